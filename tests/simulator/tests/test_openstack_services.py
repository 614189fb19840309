"""The simulator's image listing (glance.py) behind its Keystone's catalogue, and the OpenStack journal (keystone.py)."""

import pytest

from sim_helpers import DEMO_NIC, raw


@pytest.fixture(name="user")
def user_fixture(control):
    """A project of the demo account (regions GRA11, SBG5, BHS5) and an ok OpenStack user of it."""
    project = control.seed_projects(DEMO_NIC, [{"description": "images"}])[0]
    seeded = control.seed_openstack_users(project, {"password": "s3cret", "roles": ["image_operator"]})[0]
    return dict(seeded, project=project)


def token(control, user, scoped=True):
    """A Keystone token of ``user`` (project-scoped unless ``scoped`` is false)."""
    password_user = {"name": user["username"], "domain": {"name": "Default"}, "password": user["password"]}
    auth = {"identity": {"methods": ["password"], "password": {"user": password_user}}}
    if scoped:
        auth["scope"] = {"project": {"id": user["project"]}}
    status, headers, body = raw(control.keystone_url() + "/auth/tokens", {"auth": auth})
    assert status == 201
    return headers["X-Subject-Token"], body["token"]


def test_the_catalogues_image_endpoint_lists_public_images_with_paging(control, user):
    subject, body = token(control, user)
    [image_service] = [s for s in body["catalog"] if s["type"] == "image"]
    endpoint = [e["url"] for e in image_service["endpoints"] if e["region"] == "SBG5"][0]
    assert endpoint == control.root_url + "/openstack/SBG5/image/"
    status, _headers, versions = raw(endpoint)  # version discovery: no token needed
    assert status == 300 and versions["versions"][0]["links"][0]["href"] == endpoint + "v2/"
    status, _headers, listing = raw(endpoint + "v2/images", headers={"X-Auth-Token": subject})
    assert status == 200 and listing["first"] == "/v2/images" and "next" not in listing
    names = [image["name"] for image in listing["images"]]
    assert names == ["Ubuntu 24.04", "Debian 12", "Rocky Linux 9"]
    assert [i["created_at"] for i in listing["images"]] == sorted((i["created_at"] for i in listing["images"]), reverse=True)
    image = listing["images"][0]
    assert image["self"] == "/v2/images/%s" % image["id"] and image["visibility"] == "public" and image["status"] == "active"
    # paging: limit, then the next link's marker
    status, _headers, page = raw(endpoint + "v2/images?limit=2", headers={"X-Auth-Token": subject})
    assert [i["name"] for i in page["images"]] == names[:2] and page["next"].startswith("/v2/images?")
    status, _headers, rest = raw(control.root_url + "/openstack/SBG5/image" + page["next"], headers={"X-Auth-Token": subject})
    assert [i["name"] for i in rest["images"]] == names[2:] and "next" not in rest
    # filters: by name, and by a property no image has
    assert [i["name"] for i in raw(endpoint + "v2/images?name=Debian%2012", headers={"X-Auth-Token": subject})[2]["images"]] == ["Debian 12"]
    assert raw(endpoint + "v2/images?os_distro=ubuntu", headers={"X-Auth-Token": subject})[2]["images"] == []
    # another region of the project: its own image ids
    other = raw(control.root_url + "/openstack/GRA11/image/v2/images", headers={"X-Auth-Token": subject})[2]["images"]
    assert [i["name"] for i in other] == names and {i["id"] for i in other}.isdisjoint(i["id"] for i in listing["images"])


def test_the_image_listing_refuses_what_glance_refuses(control, user):
    subject, _body = token(control, user)
    unscoped, _body = token(control, user, scoped=False)
    images = control.root_url + "/openstack/GRA11/image/v2/images"
    for headers in ({}, {"X-Auth-Token": "gAAAAAnot-a-token"}, {"X-Auth-Token": unscoped}):
        status, answer_headers, body = raw(images, headers=headers)
        assert status == 401 and body["error"]["title"] == "Unauthorized"
        assert answer_headers["WWW-Authenticate"] == 'Keystone uri="%s/v3"' % control.root_url
    assert raw(control.root_url + "/openstack/DE1/image/v2/images", headers={"X-Auth-Token": subject})[0] == 404  # not a region of it
    assert raw(images + "/0000", headers={"X-Auth-Token": subject})[0] == 404
    assert raw(images, body={"name": "mine"}, headers={"X-Auth-Token": subject})[0] == 405
    assert raw(images + "?limit=x", headers={"X-Auth-Token": subject})[0] == 400
    assert raw(images + "?marker=unknown", headers={"X-Auth-Token": subject})[0] == 404
    assert raw(control.root_url + "/openstack/GRA11/compute/v2.1/servers", headers={"X-Auth-Token": subject})[0] == 404


def test_the_openstack_journal_records_keystone_and_image_requests_apart_from_the_api_journal(control, user):
    before = len(control.journal())
    subject, _body = token(control, user)
    raw(control.root_url + "/openstack/GRA11/image/v2/images?limit=1", headers={"X-Auth-Token": subject})
    raw(control.keystone_url() + "/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user["username"], "domain": {"name": "Default"}, "password": "wrong"}}}}})
    entries = control.openstack_journal()
    assert [(e["service"], e["method"], e["path"], e["status"]) for e in entries] == [
        ("identity", "POST", "/v3/auth/tokens", 201), ("image", "GET", "/openstack/GRA11/image/v2/images", 200),
        ("identity", "POST", "/v3/auth/tokens", 401)]
    assert [e["seq"] for e in entries] == list(range(entries[0]["seq"], entries[0]["seq"] + 3))  # numbered, in order
    assert entries[0]["body"]["auth"]["identity"]["password"]["user"]["password"] == "s3cret"
    assert entries[0]["subject_token"] == subject and entries[2]["subject_token"] is None
    assert entries[1]["auth_token"] == subject and entries[1]["query"] == {"limit": "1"}
    assert control.openstack_calls("identity", "POST") == [entries[0], entries[2]]
    assert len(control.journal()) == before  # not OVH API calls
    control.delete("/_sim/openstack_journal")
    assert control.openstack_journal() == []
    token(control, user)
    control.reset()
    assert control.openstack_journal() == []
