"""The API v2 routes of IAM resources and their tags, under ``/v2`` (``/v2/iam/resource…``).

python-ovh sends a path that starts with ``/v2`` to the same host with ``/v2`` instead of ``/1.0`` (python-ovh 1.2
client.py ``_get_target``), signed the same way (the signature covers that full URL); server.py hands those requests
here. Operations and bodies follow iam-v2-resource.json (an extract of OVHcloud's OpenAPI schema of the v2 ``/iam``
section): ``GET /iam/resource`` (filters ``resourceName``, ``resourceType``, ``resourceURN``, each repeatable; cursor
pages with ``X-Pagination-Size`` and ``X-Pagination-Cursor``), ``GET``/``PUT /iam/resource/{resourceURN}`` (PUT: the
``tags``, every other field is read-only), ``POST /iam/resource/{resourceURN}/tag`` (iam.resource.AddTag ``{key,
value}``) and ``DELETE /iam/resource/{resourceURN}/tag/{key}``. terraform-provider-ovh's ``ovh_iam_resource_tags``
(ovh/resource_iam_resource_tags.go) reads the resource and replaces its tags with ``PUT {"tags": {...}}``, the URN
path-escaped (``url.PathEscape``: ``:`` stays as it is; python's ``quote(urn, safe="")`` sends ``%3A``: both work).

The resources are the account's Public Cloud projects, by the URN ``GET /cloud/project/{id}`` gives in ``iam.urn``
(``urn:v1:eu:resource:publicCloudProject:<project id>``; ``us`` on the US flavour); their tags are the project's
``iam.tags``, one state for both APIs.

Tag rules, from the schema (iam.resource.AddTag): a key matches ``^[a-zA-Z0-9_.:/=+@-]{1,128}$``, a value
``^[a-zA-Z0-9_.:/=+@-]{0,256}$``; keys starting with ``ovh:`` are OVHcloud's own ("Tags that were internally computed
are prefixed with ovh:", iam.resource.Resource), kept by a PUT and refused when a client sets or removes one
(terraform-provider-ovh refuses them before calling; the API's answer is UNVERIFIED: 400 here).

Error bodies: ``{"class": "Client::NotFound::RESOURCE_NOT_FOUND", "message": "resource not found"}`` for an unknown
URN and ``{"class": "Client::BadRequest::INVALID_PARAMETER", "message": "invalid resource identitifer"}`` (sic) for
text that is not a URN, as OVHcloud's ovhcloud-cli printed them (ovh/ovhcloud-cli pull request #267, 2026); the other
messages are UNVERIFIED, with the INVALID_PARAMETER class. Access rules are matched against the path with its ``/v2``
prefix (UNVERIFIED).
"""

import json
import os
import re
import urllib.parse

from . import errors, lifecycle
from .context import RequestContext
from .dispatch import answer_of, failure_of
from .pagination import Answer

PREFIX = "/v2"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "iam-v2-resource.json"), encoding="utf-8") as _handle:
    SCHEMA = json.load(_handle)
MODELS = SCHEMA["components"]["schemas"]
KEY_RE = re.compile(r"[a-zA-Z0-9_.:/=+@-]{1,128}")
VALUE_RE = re.compile(r"[a-zA-Z0-9_.:/=+@-]{0,256}")
RESERVED_PREFIX = "ovh:"
URN_RE = re.compile(r"^urn:v1:(?P<region>[a-z]+):resource:(?P<type>[A-Za-z]+):(?P<name>[^:]+)$")
RESOURCE_TYPE = "publicCloudProject"
RESOURCE = MODELS["iam.resource.Resource"]
READ_ONLY = tuple(name for name, prop in sorted(RESOURCE["properties"].items()) if prop.get("readOnly"))  # all but tags
WRITABLE = tuple(name for name in sorted(RESOURCE["properties"]) if name not in READ_ONLY)
ADD_TAG = MODELS["iam.resource.AddTag"]
LIST_FILTERS = tuple(p["name"] for p in SCHEMA["paths"]["/iam/resource"]["get"]["parameters"] if p["in"] == "query")


def v2_error(status, cls, message):
    """An error of the v2 API: ``class`` (with its code) and ``message``."""
    return errors.class_error(status, cls, message)


def invalid_parameter(message):
    """400 Client::BadRequest::INVALID_PARAMETER."""
    return v2_error(400, "Client::BadRequest::INVALID_PARAMETER", message)


def resource_not_found():
    """404 Client::NotFound::RESOURCE_NOT_FOUND (ovh/ovhcloud-cli pull request #267)."""
    return v2_error(404, "Client::NotFound::RESOURCE_NOT_FOUND", "resource not found")


def region_of(ctx):
    """The URN region of this flavour (as cloud_api.project_view writes it)."""
    return "us" if ctx.config.flavour == "us" else "eu"


def project_urn(ctx, project):
    """A project's URN."""
    return "urn:v1:%s:resource:%s:%s" % (region_of(ctx), RESOURCE_TYPE, project.project_id)


def listed_projects(ctx):
    """The caller's projects that are IAM resources: visible, not gone."""
    retention = ctx.config.project_deleted_retention
    return [p for p in ctx.store.projects_of(ctx.account.nichandle)
            if lifecycle.project_visible(p, ctx.now_real) and not lifecycle.project_gone(p, ctx.now_real, retention)]


def resource_project(ctx):
    """The project of the path's URN: 400 when it is not a URN, 404 when no resource of the caller has it."""
    found = URN_RE.match(ctx.params["resourceURN"])
    if not found:
        raise invalid_parameter("invalid resource identitifer")
    if found.group("region") != region_of(ctx) or found.group("type") != RESOURCE_TYPE:
        raise resource_not_found()
    for project in listed_projects(ctx):
        if project.project_id == found.group("name"):
            return project
    raise resource_not_found()


def resource_view(ctx, project):
    """iam.resource.Resource of a project."""
    return {"displayName": project.description or project.project_id, "id": project.iam_id, "name": project.project_id,
            "owner": project.nichandle, "tags": dict(sorted(project.tags.items())), "type": RESOURCE_TYPE,
            "urn": project_urn(ctx, project)}


def check_tag(key, value=None):
    """A tag a client may set (or remove, ``value`` None): the schema's patterns, and not OVHcloud's ``ovh:`` prefix."""
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise invalid_parameter("invalid tag key %s: it must match ^[a-zA-Z0-9_.:/=+@-]{1,128}$" % json.dumps(key))
    if key.lower().startswith(RESERVED_PREFIX):
        raise invalid_parameter("tag key %s: keys prefixed with ovh: are computed by OVHcloud and cannot be changed" % json.dumps(key))
    if value is not None and (not isinstance(value, str) or not VALUE_RE.fullmatch(value)):
        raise invalid_parameter("invalid value for tag %s: it must match ^[a-zA-Z0-9_.:/=+@-]{0,256}$" % json.dumps(key))


def json_body(ctx, required_keys, allowed_keys):
    """The request's JSON object: unknown and read-only keys refused (stricter choice), required ones present."""
    body = ctx.body
    if not isinstance(body, dict):
        raise invalid_parameter("the request body must be a JSON object")
    for key in body:
        if key in READ_ONLY:
            raise invalid_parameter("[%s] property is read-only" % key)
        if key not in allowed_keys:
            raise invalid_parameter("[%s] unknown property" % key)
    for key in required_keys:
        if key not in body:
            raise invalid_parameter("[%s] property is mandatory" % key)
    return body


def list_resources(ctx):
    """GET /v2/iam/resource -> iam.resource.Resource[] of the caller's projects, filtered, in cursor pages."""
    query = ctx.query
    if "tags" in query:
        raise invalid_parameter("[tags] filtering by tags is not supported by the simulator")
    resources = [resource_view(ctx, project) for project in listed_projects(ctx)]
    for name, field in (("resourceName", "name"), ("resourceType", "type"), ("resourceURN", "urn")):
        if name in query:
            resources = [r for r in resources if r[field] in query[name]]
    size_text = ctx.headers.get("X-Pagination-Size")
    cursor_text = ctx.headers.get("X-Pagination-Cursor")
    if size_text is None and cursor_text is None:
        return resources
    try:
        size = int(size_text) if size_text is not None else len(resources) or 1
        start = int(cursor_text) if cursor_text is not None else 0
    except ValueError as exc:
        raise invalid_parameter("invalid pagination header") from exc
    if size < 1 or start < 0:
        raise invalid_parameter("invalid pagination header")
    # UNVERIFIED: a real cursor is opaque; here it is the offset of the next page.
    headers = {"X-Pagination-Cursor-Next": str(start + size)} if start + size < len(resources) else {}
    return Answer(resources[start:start + size], headers)


def get_resource(ctx):
    """GET /v2/iam/resource/{resourceURN} -> iam.resource.Resource."""
    return resource_view(ctx, resource_project(ctx))


def put_resource(ctx):
    """PUT /v2/iam/resource/{resourceURN} {"tags": {...}} -> iam.resource.Resource: the client's tags become exactly these
    (null: none); the ``ovh:`` ones stay."""
    project = resource_project(ctx)
    body = json_body(ctx, WRITABLE, WRITABLE)
    tags = body["tags"] if body["tags"] is not None else {}
    if not isinstance(tags, dict):
        raise invalid_parameter("[tags] must be an object of tag keys to values")
    for key, value in tags.items():
        check_tag(key, value)
    kept = {key: value for key, value in project.tags.items() if key.lower().startswith(RESERVED_PREFIX)}
    project.tags = dict(kept, **tags)
    return resource_view(ctx, project)


def add_tag(ctx):
    """POST /v2/iam/resource/{resourceURN}/tag {key, value} -> nothing. A key the resource has already: 409 (UNVERIFIED),
    unless ``iam_tag_post_overwrites``."""
    project = resource_project(ctx)
    body = json_body(ctx, ADD_TAG["required"], tuple(ADD_TAG["properties"]))
    check_tag(body["key"], body["value"])
    if body["key"] in project.tags and project.tags[body["key"]] != body["value"] and not ctx.config.iam_tag_post_overwrites:
        raise v2_error(409, "Client::Conflict::TAG_ALREADY_EXISTS",
                       "tag %s already exists with another value: remove it first, or replace every tag with PUT" % body["key"])
    project.tags[body["key"]] = body["value"]


def remove_tag(ctx):
    """DELETE /v2/iam/resource/{resourceURN}/tag/{key} -> nothing; a key the resource does not have: 404 (UNVERIFIED)."""
    project = resource_project(ctx)
    key = ctx.params["key"]
    check_tag(key)
    if key not in project.tags:
        raise resource_not_found()
    del project.tags[key]


class Route:  # pylint: disable=too-few-public-methods
    """One v2 operation: what auth.authenticate and the journal need of it (``key``, ``no_auth``) and its path pattern."""

    no_auth = False

    def __init__(self, method, path, handler, query=()):
        self.method = method
        self.path = path
        self.handler = handler
        self.query = query
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
        self.regex = re.compile("^" + pattern + "$")

    @property
    def key(self):
        """(METHOD, path template)."""
        return (self.method, PREFIX + self.path)


ROUTES = [
    Route("GET", "/iam/resource", list_resources, LIST_FILTERS),
    Route("GET", "/iam/resource/{resourceURN}", get_resource),
    Route("PUT", "/iam/resource/{resourceURN}", put_resource),
    Route("POST", "/iam/resource/{resourceURN}/tag", add_tag),
    Route("DELETE", "/iam/resource/{resourceURN}/tag/{key}", remove_tag),
]


def match(method, path):
    """The route and its (decoded) path parameters; 404 "invalid URL" as the v1 API when none."""
    for route in ROUTES:
        found = route.regex.match(path)
        if found and route.method == method:
            return route, {name: urllib.parse.unquote(value) for name, value in found.groupdict().items()}
    raise errors.invalid_url()


def parse_query(raw_query, route):
    """Query parameters, each a list of its values (the filters repeat); unknown ones refused (stricter choice)."""
    result = {}
    for key, value in urllib.parse.parse_qsl(raw_query or "", keep_blank_values=True):
        if key not in route.query:
            raise invalid_parameter("[%s] unknown query parameter for %s %s" % (key, route.method, PREFIX + route.path))
        result.setdefault(key, []).append(value)
    return result


def parse_body(raw_body, content_type):
    """The JSON body (None when empty); Content-Type application/json required with a body (stricter, as v1)."""
    text = raw_body.decode("utf-8", "replace") if raw_body else ""
    if not text.strip():
        return None
    if not (content_type or "").lower().startswith("application/json"):
        raise invalid_parameter("Request body must be sent with Content-Type: application/json")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise invalid_parameter("Invalid JSON in request body: %s" % exc) from exc


def process(store, request, authenticate):
    """One ``/v2`` request (``request.api_path`` without ``/v2``) -> (status, payload, nichandle, signed, headers)."""
    caller = None
    signed = request.headers.get("X-Ovh-Signature") is not None
    with store.lock:
        now_real = store.clock.real()
        lifecycle.tick(store, now_real)
        try:
            route, params = match(request.method, request.api_path)
            caller = authenticate(store, request.headers, request.method, request.url, PREFIX + request.api_path,
                                  request.raw_body, route)
            query = parse_query(request.raw_query, route)
            body = parse_body(request.raw_body, request.headers.get("Content-Type"))
            if body is None and route.method in ("POST", "PUT"):
                raise invalid_parameter("Missing request body")
            ctx = RequestContext(store, caller, route, params, query, body, now_real, request.headers)
            return answer_of(route.handler(ctx), caller, signed)
        except Exception as exc:  # pylint: disable=broad-except
            return failure_of(exc, caller, signed)
