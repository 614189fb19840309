"""Request authentication: application key, consumer key, timestamp, signature and access rules.

Signature (python-ovh client.py ``raw_call``; go-ovh ovh.go):
``"$1$" + sha1_hex(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TS)`` with the full URL as sent
and the raw body bytes.
"""

import hashlib
import hmac
import re

from . import errors


def compute_signature(application_secret, consumer_key, method, url, body, timestamp):
    """The ``X-Ovh-Signature`` value for one request."""
    text = "+".join([application_secret, consumer_key, method.upper(), url, body, str(timestamp)])
    return "$1$" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def request_url(host_header, raw_path, scheme="http"):
    """The URL the client signed: scheme://Host + raw request path (query included), never re-encoded."""
    return "%s://%s%s" % (scheme, host_header, raw_path)


def rule_matches(rule, method, path):
    """auth.AccessRule match: same method (or '*') and path glob where '*' matches anything, '/' included."""
    if rule["method"] not in (method, "*"):
        return False
    pattern = "^" + re.escape(rule["path"]).replace("\\*", ".*") + "$"
    return re.match(pattern, path) is not None


class Caller:
    """Who made a request: the account (None when unsigned) and the credential used."""

    def __init__(self, account=None, consumer_key=None, application=None):
        self.account = account
        self.consumer_key = consumer_key
        self.application = application

    @property
    def nichandle(self):
        """Nichandle of the signed caller, or None."""
        return self.account.nichandle if self.account else None


def authenticate(store, headers, method, url, api_path, raw_body, op):
    """Check the X-Ovh-* headers of a request to ``op``; returns a Caller (anonymous for unsigned no-auth calls).

    ``headers`` is case-insensitive (``http.client.HTTPMessage``); ``api_path`` is the path without /1.0 and query.
    """
    if op.key == ("GET", "/auth/time"):
        return Caller()  # never signed (python-ovh "Never sign 'time'"); headers ignored
    app_key = headers.get("X-Ovh-Application")
    consumer = headers.get("X-Ovh-Consumer")
    timestamp = headers.get("X-Ovh-Timestamp")
    signature = headers.get("X-Ovh-Signature")
    signed = any(value is not None for value in (consumer, timestamp, signature))
    if op.no_auth and not signed:
        if app_key is not None and app_key not in store.applications:
            # UNVERIFIED: stricter choice -- an unknown application key is refused even on no-auth calls.
            raise errors.invalid_key()
        return Caller()
    # Live API answers, most specific last (sources in errors.py): no consumer key at all -> 401; unknown application
    # key -> INVALID_KEY; unknown consumer key, or one of another application -> NOT_CREDENTIAL; a known consumer key
    # that is expired, not validated yet or refused -> INVALID_CREDENTIAL.
    if not consumer:
        raise errors.login_first()
    if not app_key or app_key not in store.applications:
        raise errors.invalid_key()
    application = store.applications[app_key]
    credential = store.consumer_keys.get(consumer)
    if credential is None or credential.application_key != app_key:
        raise errors.not_credential()
    if credential.state != "validated":
        raise errors.invalid_credential()
    if not signature or not timestamp:
        raise errors.invalid_signature()
    expected = compute_signature(application.secret, credential.key, method, url, raw_body.decode("utf-8", "replace"), timestamp)
    if not hmac.compare_digest(expected, signature):
        raise errors.invalid_signature()
    try:
        skew = abs(int(timestamp) - store.clock.now())
    except ValueError as exc:
        raise errors.invalid_signature() from exc
    if skew > store.config.timestamp_tolerance:
        raise errors.query_time_out()  # UNVERIFIED: code/message and 180 s tolerance (no public source gives them)
    if not any(rule_matches(rule, method, api_path) for rule in credential.rules):
        raise errors.not_granted_call()
    account = store.accounts.get(credential.nichandle)
    if account is None:
        raise errors.invalid_credential()
    return Caller(account=account, consumer_key=credential, application=application)
