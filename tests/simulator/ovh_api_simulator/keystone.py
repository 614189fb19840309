"""A minimal OpenStack Identity (Keystone) v3 on the simulator's own server, for the OpenStack users it created.

Serves ``GET /`` (version list), ``GET /v3`` (version document), ``POST /v3/auth/tokens`` (password authentication) and
``GET /v3/auth/tokens`` (token validation): what keystoneauth1 / openstacksdk need for ``conn.authorize()``. These calls
are not OVH API calls: no ``X-Ovh-*`` signature is checked, and they are not in the ``/1.0`` journal.

Shapes and statuses follow the Keystone v3 API reference (docs.openstack.org/api-ref/identity/v3, "Password
authentication with scoped authorization", "Validate and show information for token"): 201 with ``X-Subject-Token``
and ``{"token": {...}}``; errors ``{"error": {"code", "message", "title"}}``; 401 "The request you have made requires
authentication." for a wrong password, an unknown user or a project the user has no role on. OVHcloud's Keystone
(https://auth.cloud.ovh.net/v3) answers the same API; its exact catalogue is UNVERIFIED (the simulator's endpoints point
under ``<root>/openstack/<REGION>/<service>``, where only the image service answers, its listing: glance.py).

Every request to this Keystone and to the image service is recorded, body included (passwords too: a test tool), in
the OpenStack journal (``GET /_sim/openstack_journal``, ``SimulatorControl.openstack_calls``): ``{seq, service
("identity" or "image"), method, path, query, body, auth_token (the X-Auth-Token sent), status, subject_token (the
token issued)}``. Fault rules whose path starts with ``/v3`` or ``/openstack/`` (faults.py) make these services fail or
drop the connection, as a Keystone down would.
"""

import datetime
import json
import secrets
import urllib.parse
import uuid

from . import glance
from .journal import Journal
from .openstack_state import TOKEN_LIFETIME, role_id, tenant_name

DEFAULT_DOMAIN = {"id": "default", "name": "Default"}
# (type, name, path under <root>/openstack/<REGION>/, with {project} for the project id); identity is <root>/v3/.
SERVICES = (
    ("compute", "nova", "compute/v2.1/{project}"),
    ("network", "neutron", "network/"),
    ("image", "glance", "image/"),
    ("volumev3", "cinderv3", "volume/v3/{project}"),
    ("object-store", "swift", "object-store/v1/AUTH_{project}"),
)
TITLES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
UNAUTHORIZED = "The request you have made requires authentication."


class OpenStackJournal(Journal):
    """Thread-safe, ordered record of the Keystone and image service requests (the server's ``openstack_journal``): the
    OVH API journal's record (journal.py), each entry whole when it arrives."""

    def append(self, entry):
        """Record one request, numbered."""
        with self._lock:
            self._entries.append(dict(entry, seq=next(self._seq)))


def get_journal(sim, _match, _body):
    """GET /_sim/openstack_journal."""
    return sim.openstack_journal.entries()


def clear_journal(sim, _match, _body):
    """DELETE /_sim/openstack_journal."""
    sim.openstack_journal.clear()
    return {"cleared": True}


CONTROL_ROUTES = [
    ("GET", r"/_sim/openstack_journal", get_journal),
    ("DELETE", r"/_sim/openstack_journal", clear_journal),
]


def serves(path):
    """True for the paths of this Keystone and of the image service of its catalogue (the server routes them here)."""
    return path == "/" or path == "/v3" or path.startswith("/v3/") or glance.serves(path)


def error(status, message):
    """Keystone error body (keystone/exception.py: {"error": {"code", "message", "title"}})."""
    return status, {"error": {"code": status, "message": message, "title": TITLES[status]}}, {}


def version_document(root):
    """The v3 entry of Keystone's version discovery (keystone/api/discovery.py)."""
    return {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": root + "/v3/"}],
            "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]}


def handle(sim, method, path, headers, raw_body, raw_query=""):  # pylint: disable=too-many-arguments
    """One Keystone or image service request, recorded in the OpenStack journal; returns (status, JSON payload, extra
    headers)."""
    if glance.serves(path):
        status, payload, extra = glance.handle(sim, method, path, headers, raw_query)
    else:
        status, payload, extra = identity(sim, method, path, headers, raw_body)
    record(sim, service_of(path), method, path, headers, raw_body, raw_query, status, extra)
    return status, payload, extra


def service_of(path):
    """The OpenStack journal's ``service`` of a path: "image" or "identity"."""
    return "image" if glance.serves(path) else "identity"


def record(sim, service, method, path, headers, raw_body, raw_query, status, extra):  # pylint: disable=too-many-arguments
    """One entry of the OpenStack journal."""
    try:
        body = json.loads(raw_body.decode("utf-8")) if raw_body.strip() else None
    except (UnicodeDecodeError, ValueError):
        body = {"raw": raw_body.decode("utf-8", "replace")}
    sim.openstack_journal.append({"service": service, "method": method, "path": path,
                                  "query": dict(urllib.parse.parse_qsl(raw_query or "", keep_blank_values=True)),
                                  "body": body, "auth_token": headers.get("X-Auth-Token"), "status": status,
                                  "subject_token": extra.get("X-Subject-Token") if method == "POST" else None})


def identity(sim, method, path, headers, raw_body):
    """One Keystone request; returns (status, JSON payload, extra headers)."""
    root = "http://%s" % headers.get("Host", "127.0.0.1")
    path = path.rstrip("/") or "/"
    if path == "/":
        if method not in ("GET", "HEAD"):
            return error(405, "The method is not allowed for the requested URL.")
        return 300, {"versions": {"values": [version_document(root)]}}, {}  # Keystone answers 300 Multiple Choices
    if path == "/v3":
        if method not in ("GET", "HEAD"):
            return error(405, "The method is not allowed for the requested URL.")
        return 200, {"version": version_document(root)}, {}
    if path != "/v3/auth/tokens":
        return error(404, "The resource could not be found.")
    with sim.store.lock:
        if method == "POST":
            return issue_token(sim.store, root, raw_body)
        if method in ("GET", "HEAD"):
            return validate_token(sim.store, headers)
    return error(405, "The method is not allowed for the requested URL.")


def unauthorized(root):
    """401 with the ``WWW-Authenticate`` header Keystone sends (keystone/server/flask/application.py)."""
    status, body = error(401, UNAUTHORIZED)[:2]
    return status, body, {"WWW-Authenticate": 'Keystone uri="%s/v3"' % root}


def parse_auth(raw_body):
    """(identity, scope) of a POST /v3/auth/tokens body, or a 400 message."""
    try:
        body = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "Malformed request body"
    auth = body.get("auth") if isinstance(body, dict) else None
    identity = auth.get("identity") if isinstance(auth, dict) else None
    if not isinstance(identity, dict) or not isinstance(identity.get("methods"), list):
        return None, "Invalid input for field 'identity': 'methods' is a required property"
    scope = auth.get("scope")
    if scope is not None and not isinstance(scope, dict):
        return None, "Invalid input for field 'scope': not an object"
    return (identity, scope), None


def domain_is_default(domain):
    """The only domain of OVHcloud's OpenStack users: Default (openrc: OS_USER_DOMAIN_NAME=Default)."""
    return isinstance(domain, dict) and (domain.get("name") == "Default" or domain.get("id") == "default")


def find_user(store, now_real, spec):
    """The ``ok`` user named by a password.user object (id, or name + domain), else None."""
    if not isinstance(spec, dict):
        return None
    for user in store.openstack.live_users(now_real):
        if user.status(now_real) != "ok":
            continue  # the Keystone user exists once the API says ok (UNVERIFIED), and no longer while deleting
        if spec.get("id") is not None and spec.get("id") == user.openstack_id:
            return user
        if spec.get("name") is not None and spec.get("name") == user.username and domain_is_default(spec.get("domain")):
            return user
    return None


def issue_token(store, root, raw_body):
    """POST /v3/auth/tokens: password authentication, project-scoped (by id, or name + domain) or unscoped.

    A wrong password (as an unknown user, or a user not yet or no longer ``ok``) answers 401 with Keystone's error body,
    ``{"error": {"code": 401, "message": "The request you have made requires authentication.", "title":
    "Unauthorized"}}`` and ``WWW-Authenticate`` (Keystone v3 API reference,
    https://docs.openstack.org/api-ref/identity/v3/#password-authentication-with-scoped-authorization, response codes:
    401 Unauthorized; keystone/exception.py ``Unauthorized``); what clients such as public_cloud_user's password check
    read as a stale password. Every attempt, refused or not, is in the OpenStack journal."""
    parsed, problem = parse_auth(raw_body)
    if problem:
        return error(400, problem)
    identity, scope = parsed
    if identity["methods"] != ["password"]:
        return unauthorized(root)  # Keystone: unsupported or incomplete method -> 401; only passwords here
    password = identity.get("password") if isinstance(identity.get("password"), dict) else {}
    spec = password.get("user")
    now_real = store.clock.real()
    user = find_user(store, now_real, spec)
    if user is None or not isinstance(spec.get("password"), str) or not secrets.compare_digest(spec["password"], user.password):
        return unauthorized(root)
    project = None
    if scope is not None:
        target = scope.get("project")
        if not isinstance(target, dict):
            return unauthorized(root)  # domain or system scope: OVHcloud users have no role there (UNVERIFIED)
        by_id = target.get("id") == user.project_id
        by_name = target.get("name") == tenant_name(user.project_id) and domain_is_default(target.get("domain"))
        if not (by_id or by_name) or not user.roles:
            return unauthorized(root)  # Keystone: no role on the project -> 401
        project = user.project_id
    token = "gAAAAA" + secrets.token_urlsafe(96)  # Fernet tokens start with gAAAAA
    info = {"user_id": user.user_id, "project": project, "issued": store.clock.now(), "audit": secrets.token_urlsafe(16)[:22]}
    store.openstack.tokens[token] = info
    return 201, token_body(store, root, user, info), {"X-Subject-Token": token}


def keystone_time(seconds):
    """Keystone's timestamp format: 2015-11-06T15:32:17.000000Z."""
    return datetime.datetime.fromtimestamp(int(seconds), tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def token_body(store, root, user, info):
    """{"token": {...}}: methods, user, audit_ids, expires_at, issued_at and, when scoped, project, roles and catalog."""
    token = {"methods": ["password"], "audit_ids": [info["audit"]],
             "user": {"domain": dict(DEFAULT_DOMAIN), "id": user.openstack_id, "name": user.username, "password_expires_at": None},
             "expires_at": keystone_time(info["issued"] + TOKEN_LIFETIME), "issued_at": keystone_time(info["issued"])}
    if info["project"] is not None:
        token.update({"project": {"domain": dict(DEFAULT_DOMAIN), "id": user.project_id, "name": tenant_name(user.project_id)},
                      "is_domain": False, "roles": [{"id": role_id(name), "name": name} for name in user.roles],
                      "catalog": catalog(store, root, user.project_id)})
    return {"token": token}


def endpoint_id(*parts):
    """A fixed 32-hex id for a catalogue entry."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "ovh-api-simulator:" + ":".join(parts)).hex


def catalog(store, root, project_id):
    """The service catalogue: identity, then compute, network, image, volumev3, object-store, one public endpoint per
    region of the project (GET /cloud/project/{id}/region)."""
    regions = store.openstack.regions(store, project_id)
    services = [("identity", "keystone", [(region, root + "/v3/") for region in regions])]
    for kind, name, path in SERVICES:
        services.append((kind, name, [(region, "%s/openstack/%s/%s" % (root, region, path.format(project=project_id))) for region in regions]))
    return [{"type": kind, "name": name, "id": endpoint_id(kind),
             "endpoints": [{"id": endpoint_id(kind, region), "interface": "public", "region": region, "region_id": region, "url": url}
                           for region, url in endpoints]}
            for kind, name, endpoints in services]


def validate_token(store, headers):
    """GET /v3/auth/tokens with X-Auth-Token (any valid token) and X-Subject-Token (the one to show) -> 200 {"token"}."""
    root = "http://%s" % headers.get("Host", "127.0.0.1")
    now = store.clock.now()
    tokens = store.openstack.tokens
    auth, subject = tokens.get(headers.get("X-Auth-Token") or ""), headers.get("X-Subject-Token") or ""
    if auth is None or now >= auth["issued"] + TOKEN_LIFETIME:
        return unauthorized(root)
    info = tokens.get(subject)
    user = store.openstack.users.get(info["user_id"]) if info is not None else None
    if user is None or now >= info["issued"] + TOKEN_LIFETIME:
        return error(404, "Could not find token: %s." % subject[:16])
    return 200, token_body(store, root, user, info), {"X-Subject-Token": subject}
