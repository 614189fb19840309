"""A minimal OpenStack Image service (Glance) v2 for the simulator's Keystone catalogue: the image listing only.

The catalogue of a project-scoped token (keystone.py) points the ``image`` service of each region of the project at
``<root>/openstack/<REGION>/image/``. This serves there what openstacksdk's ``conn.image.images()`` (and so
openstack.cloud's ``image_info``) asks: ``GET /`` (version discovery) and ``GET /v2/images`` (the listing, with its
filters and ``limit``/``marker`` paging). Every other path answers 404, every other method 405.

Shapes follow the Image service API v2 reference (docs.openstack.org/api-ref/image/v2, "List API versions", "List
images", "Show image"): 300 ``{"versions": [...]}``; 200 ``{"images": [...], "first", "schema", "next"?}``; an image's
fields as "Show image" lists them. A request needs a valid project-scoped Keystone token in ``X-Auth-Token`` (else 401
as keystonemiddleware answers it) and a region of that project (else 404). The images are the same public images in
every region; their names and sizes are UNVERIFIED (OVHcloud's catalogue of public images changes; these are plausible
names).
"""

import re
import urllib.parse
import uuid

from .openstack_state import TOKEN_LIFETIME

IMAGE_PATH = re.compile(r"/openstack/(?P<region>[^/]+)/image(?P<rest>/.*)?")
# (name, disk_format, size in bytes, min_disk in GB) of the public images, newest first: Glance lists by created_at
# descending by default, and the creation dates images() gives follow this order.
PUBLIC_IMAGES = (
    ("Ubuntu 24.04", "qcow2", 634519552, 5),
    ("Debian 12", "qcow2", 392953856, 5),
    ("Rocky Linux 9", "qcow2", 1073741824, 10),
)
# keys that are not property filters (glance/api/v2/images.py RequestDeserializer)
PAGING_AND_SORT = {"limit", "marker", "sort_key", "sort_dir", "sort"}
FIELD_FILTERS = {"name", "status", "visibility", "owner", "protected", "os_hidden", "container_format", "disk_format",
                 "member_status", "tag", "size_min", "size_max", "id", "created_at", "updated_at"}
DEFAULT_LIMIT = 25  # Glance's limit_param_default


def serves(path):
    """True for the paths under an image endpoint of the catalogue."""
    return IMAGE_PATH.fullmatch(path) is not None


def error(status, message, headers=None):
    """An error as keystonemiddleware and Glance's JSON faults shape it."""
    titles = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
    return status, {"error": {"code": status, "message": message, "title": titles[status]}}, headers or {}


def image_id(region, name):
    """A fixed UUID per region and image name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "ovh-api-simulator:image:%s:%s" % (region, name)))


def images(region):
    """The public images of a region, newest first (Glance's default sort: created_at descending)."""
    found = []
    for index, (name, disk_format, size, min_disk) in enumerate(PUBLIC_IMAGES):
        ident = image_id(region, name)
        created = "2026-0%d-01T00:00:00Z" % (len(PUBLIC_IMAGES) - index)
        found.append({
            "checksum": uuid.uuid5(uuid.NAMESPACE_URL, ident).hex, "container_format": "bare", "created_at": created,
            "disk_format": disk_format, "file": "/v2/images/%s/file" % ident, "id": ident, "min_disk": min_disk,
            "min_ram": 0, "name": name, "os_hash_algo": "sha512", "os_hash_value": (uuid.uuid5(uuid.NAMESPACE_DNS, ident).hex * 4),
            "os_hidden": False, "owner": None, "protected": False, "schema": "/v2/schemas/image", "self": "/v2/images/%s" % ident,
            "size": size, "status": "active", "tags": [], "updated_at": created, "virtual_size": None, "visibility": "public",
        })
    return found


def scoped_project(store, headers):
    """The project of the valid, project-scoped token in X-Auth-Token, else None."""
    info = store.openstack.tokens.get(headers.get("X-Auth-Token") or "")
    if info is None or info["project"] is None or store.clock.now() >= info["issued"] + TOKEN_LIFETIME:
        return None
    return info["project"]


def handle(sim, method, path, headers, raw_query):
    """One Image service request; returns (status, JSON payload, extra headers)."""
    match = IMAGE_PATH.fullmatch(path)
    root = "http://%s/openstack/%s/image" % (headers.get("Host", "127.0.0.1"), match.group("region"))
    rest = (match.group("rest") or "/").rstrip("/") or "/"
    if rest not in ("/", "/v2/images"):
        return error(404, "The resource could not be found.")
    if method not in ("GET", "HEAD"):
        return error(405, "The method is not allowed for the requested URL.")
    if rest == "/":  # version discovery needs no token
        return 300, {"versions": [{"id": "v2.16", "status": "CURRENT", "links": [{"href": root + "/v2/", "rel": "self"}]}]}, {}
    with sim.store.lock:
        project = scoped_project(sim.store, headers)
        if project is None:
            return error(401, "The request you have made requires authentication.",
                         {"WWW-Authenticate": 'Keystone uri="http://%s/v3"' % headers.get("Host", "127.0.0.1")})
        if match.group("region") not in sim.store.openstack.regions(sim.store, project):
            return error(404, "No image service in region %s for this project." % match.group("region"))
    return list_images(match.group("region"), raw_query)


def list_images(region, raw_query):
    """GET /v2/images: field filters, property filters (no image has extra properties: they match nothing), paging."""
    query = dict(urllib.parse.parse_qsl(raw_query or "", keep_blank_values=True))
    try:
        limit = int(query.get("limit", DEFAULT_LIMIT))
    except ValueError:
        return error(400, "limit param must be an integer")
    if limit < 0:
        return error(400, "limit param must be positive")
    if query.get("sort_dir", "desc") not in ("asc", "desc"):
        return error(400, "Invalid sort direction: %s" % query["sort_dir"])
    found = images(region)
    for key, value in query.items():
        if key in PAGING_AND_SORT:
            continue
        if key in ("name", "status", "visibility", "id", "container_format", "disk_format"):
            if value.startswith("in:"):
                found = [image for image in found if image[key] in value[3:].split(",")]
            else:
                found = [image for image in found if image[key] == value]
        elif key == "member_status":
            found = [image for image in found if value == "all" or image["visibility"] != "shared"]
        elif key not in FIELD_FILTERS:
            found = []  # a property filter: no image here has extra properties
    if query.get("sort_dir") == "asc":
        found.reverse()
    if "marker" in query:
        ids = [image["id"] for image in found]
        if query["marker"] not in ids:
            return error(404, "No image found with ID %s" % query["marker"])
        found = found[ids.index(query["marker"]) + 1:]
    page = found[:limit]
    body = {"images": page, "first": "/v2/images", "schema": "/v2/schemas/images"}
    if len(found) > limit and page:
        params = dict((k, v) for k, v in query.items() if k != "marker")
        params["marker"] = page[-1]["id"]
        body["next"] = "/v2/images?" + urllib.parse.urlencode(params)
    return 200, body, {}
