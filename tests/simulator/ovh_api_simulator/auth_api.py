"""``/auth`` routes: ``time`` (unsigned, bare JSON integer), ``currentCredential`` and ``details``."""

from .clock import iso


def get_time(ctx):
    """GET /auth/time -> simulator clock as a bare JSON integer (auth.json; python-ovh client.py ``time_delta``)."""
    return int(ctx.store.clock.now())


def current_credential(ctx):
    """GET /auth/currentCredential -> auth.ApiCredential."""
    credential = ctx.caller.consumer_key
    return {
        "allowedIPs": None, "applicationId": ctx.caller.application.application_id, "creation": iso(credential.created),
        "credentialId": credential.credential_id, "expiration": None, "lastUse": iso(ctx.store.clock.now_dt()),
        "ovhSupport": False, "rules": [{"method": r["method"], "path": r["path"]} for r in credential.rules], "status": credential.state,
    }


def details(ctx):
    """GET /auth/details -> auth.Details."""
    return {"account": ctx.account.nichandle, "allowedRoutes": None, "description": None, "identities": [],
            "method": "account", "roles": None, "user": None}


ROUTES = {
    ("GET", "/auth/time"): get_time,
    ("GET", "/auth/currentCredential"): current_credential,
    ("GET", "/auth/details"): details,
}
