"""IAM resource tags (API v2, /v2/iam/resource…) and plan options (HDS) with the vrack configuration, through python-ovh."""

import urllib.parse

import ovh
import pytest

from sim_helpers import (DEMO_KEYS, DEMO_NIC, OTHER_NIC, add_project_item, checkout, configure, make_client, new_cart, raw,
                         refused, wait_until)

HDS = "certification.hds.2018"


def resource_path(urn, quote=True):
    """/v2/iam/resource/{urn}, the URN escaped as python (every reserved character) or as Go's url.PathEscape (``:`` kept)."""
    return "/v2/iam/resource/" + (urllib.parse.quote(urn, safe="") if quote else urn)


@pytest.fixture(name="project")
def project_fixture(control):
    """A project of the demo account with an OVHcloud-computed tag."""
    return control.seed_projects(DEMO_NIC, [{"description": "tagged", "tags": {"ovh:computed": "yes"}}])[0]


def test_resource_read_put_add_remove_one_state_with_v1(demo, control, project):
    urn = demo.get("/cloud/project/%s" % project)["iam"]["urn"]
    assert urn == "urn:v1:eu:resource:publicCloudProject:%s" % project
    resource = demo.get(resource_path(urn))
    assert resource == {"displayName": "tagged", "id": demo.get("/cloud/project/%s" % project)["iam"]["id"], "name": project,
                        "owner": DEMO_NIC, "tags": {"ovh:computed": "yes"}, "type": "publicCloudProject", "urn": urn}
    assert demo.get(resource_path(urn, quote=False)) == resource  # terraform's url.PathEscape leaves ':' as it is
    put = demo.put(resource_path(urn), tags={"team": "a", "env": "prod"})
    assert put["tags"] == {"env": "prod", "ovh:computed": "yes", "team": "a"}  # the ovh: tag stays
    assert demo.post(resource_path(urn) + "/tag", key="owner", value="team@example.com") is None
    assert demo.delete(resource_path(urn) + "/tag/env") is None
    expected = {"ovh:computed": "yes", "owner": "team@example.com", "team": "a"}
    assert demo.get("/cloud/project/%s" % project)["iam"]["tags"] == expected == control.tags(project)
    assert demo.put(resource_path(urn), tags={})["tags"] == {"ovh:computed": "yes"}
    journal = [(e["method"], e["path"], e["status"], e["signed"]) for e in control.journal() if e["path"].startswith("/v2")]
    assert [j[:3] for j in journal] == [
        ("GET", resource_path(urn), 200), ("GET", resource_path(urn, quote=False), 200), ("PUT", resource_path(urn), 200),
        ("POST", resource_path(urn) + "/tag", 200), ("DELETE", resource_path(urn) + "/tag/env", 200), ("PUT", resource_path(urn), 200)]
    assert all(j[3] for j in journal)


@pytest.mark.parametrize("call, status, body", [
    (lambda c, urn: c.post(resource_path(urn) + "/tag", key="ovh:mine", value="x"), 400,
     "tag key \"ovh:mine\": keys prefixed with ovh: are computed by OVHcloud and cannot be changed"),
    (lambda c, urn: c.post(resource_path(urn) + "/tag", key="bad key", value="x"), 400,
     "invalid tag key \"bad key\": it must match ^[a-zA-Z0-9_.:/=+@-]{1,128}$"),
    (lambda c, urn: c.post(resource_path(urn) + "/tag", key="k" * 129, value="x"), 400, None),
    (lambda c, urn: c.post(resource_path(urn) + "/tag", key="team", value="two words"), 400,
     "invalid value for tag \"team\": it must match ^[a-zA-Z0-9_.:/=+@-]{0,256}$"),
    (lambda c, urn: c.post(resource_path(urn) + "/tag", key="team"), 400, "[value] property is mandatory"),
    (lambda c, urn: c.put(resource_path(urn), tags={"ovh:x": "1"}), 400, None),
    (lambda c, urn: c.put(resource_path(urn), tags={"team": "a"}, name="x"), 400, "[name] property is read-only"),
    (lambda c, urn: c.delete(resource_path(urn) + "/tag/ovh:computed"), 400, None),
    (lambda c, urn: c.delete(resource_path(urn) + "/tag/absent"), 404, "resource not found"),
    (lambda c, urn: c.get(resource_path("not-a-urn")), 400, "invalid resource identitifer"),
    (lambda c, urn: c.get(resource_path(urn.replace(":eu:", ":ca:"))), 404, "resource not found"),
    (lambda c, urn: c.get(resource_path("urn:v1:eu:resource:publicCloudProject:0123456789ab4cdef0123456789abffff")), 404,
     "resource not found"),
])
def test_refusals(demo, control, project, call, status, body):
    urn = "urn:v1:eu:resource:publicCloudProject:%s" % project
    answer = refused(lambda: call(demo, urn), status)
    assert answer["class"] == ("Client::BadRequest::INVALID_PARAMETER" if status == 400 else "Client::NotFound::RESOURCE_NOT_FOUND")
    if body:
        assert answer["message"] == body
    assert control.tags(project) == {"ovh:computed": "yes"}


def test_post_of_an_existing_key(demo, control, project):
    path = resource_path("urn:v1:eu:resource:publicCloudProject:%s" % project) + "/tag"
    demo.post(path, key="team", value="a")
    demo.post(path, key="team", value="a")  # the same value again: nothing changes
    assert refused(lambda: demo.post(path, key="team", value="b"), 409)["class"] == "Client::Conflict::TAG_ALREADY_EXISTS"
    control.config(iam_tag_post_overwrites=True)
    demo.post(path, key="team", value="b")
    assert control.tags(project)["team"] == "b"


def test_listing_filters_pages_and_other_accounts(demo, other, control, project):
    theirs = control.seed_projects(OTHER_NIC, [{}])[0]
    second = control.seed_projects(DEMO_NIC, [{"description": "second"}])[0]
    names = [r["name"] for r in demo.get("/v2/iam/resource")]
    assert set(names) == {project, second} and theirs not in names
    assert [r["name"] for r in demo.get("/v2/iam/resource", resourceName=second)] == [second]
    assert demo.get("/v2/iam/resource", resourceType="dedicatedServer") == []
    assert refused(lambda: demo.get("/v2/iam/resource", tags="x"), 400)["class"] == "Client::BadRequest::INVALID_PARAMETER"
    first_page = demo.raw_call("GET", "/v2/iam/resource", headers={"X-Pagination-Size": "1"})
    cursor = first_page.headers["X-Pagination-Cursor-Next"]
    second_page = demo.raw_call("GET", "/v2/iam/resource", headers={"X-Pagination-Size": "1", "X-Pagination-Cursor": cursor})
    assert len(first_page.json()) == len(second_page.json()) == 1 and "X-Pagination-Cursor-Next" not in second_page.headers
    assert refused(lambda: demo.get(resource_path("urn:v1:eu:resource:publicCloudProject:%s" % theirs)), 404)
    assert other.get(resource_path("urn:v1:eu:resource:publicCloudProject:%s" % theirs))["owner"] == OTHER_NIC


def test_v2_signature_access_rules_and_v1_prefix(sim, control, project):
    urn = "urn:v1:eu:resource:publicCloudProject:%s" % project
    wrong = make_client(sim.base_url, DEMO_KEYS[0], "wrong-secret", DEMO_KEYS[2])
    assert refused(lambda: wrong.get(resource_path(urn)), 400) == \
        {"errorCode": "INVALID_SIGNATURE", "httpCode": "400 Bad Request", "message": "Invalid signature"}
    status, _headers, body = raw(sim.root_url + resource_path(urn))
    assert status == 401 and body == {"message": "You must login first"}
    control.seed_consumer_keys(DEMO_NIC, {"key": "v1-only", "access_rules": [{"method": "GET", "path": "/cloud/*"}]})
    limited = make_client(sim.base_url, DEMO_KEYS[0], DEMO_KEYS[1], "v1-only")
    assert refused(lambda: limited.get(resource_path(urn)), 403)["errorCode"] == "NOT_GRANTED_CALL"
    assert limited.get("/v1/cloud/project/%s" % project)["project_id"] == project  # /v1 is the API v1 too
    assert [e["path"] for e in control.calls("GET")][-1] == "/cloud/project/%s" % project


def test_faults_on_v2(demo, control, project):
    urn = "urn:v1:eu:resource:publicCloudProject:%s" % project
    control.fault(method="PUT", path=r"^/v2/iam/resource/", status=500)
    assert refused(lambda: demo.put(resource_path(urn), tags={"a": "b"}), 500)["class"] == "Server::InternalServerError"
    assert control.tags(project) == {"ovh:computed": "yes"}
    control.fault(method="PUT", path=r"^/v2/iam/resource/", kind="drop", phase="after")
    with pytest.raises(ovh.exceptions.HTTPError):
        demo.put(resource_path(urn), tags={"a": "b"})
    assert control.tags(project) == {"a": "b", "ovh:computed": "yes"}
    assert [e["status"] for e in control.calls("PUT", r"/v2/iam/resource/.*")] == [500, 200]


# -- plan options and the vrack configuration ----------------------------------------------------------------------


def test_options_listed_added_priced_and_delivered(demo, control):
    control.config(plan_options={"project.2018": [{"planCode": HDS, "family": "certification", "productName": "HDS",
                                                   "prices": [{"duration": "P1M", "pricingMode": "default", "price": 12.5}]}]})
    cart_id = new_cart(demo)
    [option] = demo.get("/order/cart/%s/cloud/options" % cart_id, planCode="project.2018")
    assert (option["planCode"], option["family"], option["mandatory"], option["prices"][0]["price"]["value"]) == (HDS, "certification", False, 12.5)
    item_id = add_project_item(demo, cart_id)
    configure(demo, cart_id, item_id, "description", "hds project")
    configure(demo, cart_id, item_id, "vrack", "pn-123456")
    added = demo.post("/order/cart/%s/cloud/options" % cart_id, itemId=item_id, planCode=HDS, duration="P1M", pricingMode="default", quantity=1)
    assert added["parentItemId"] == item_id and added["settings"]["planCode"] == HDS
    assert demo.get("/order/cart/%s/item/%d" % (cart_id, item_id))["options"] == [added["itemId"]]
    assert demo.get("/order/cart/%s/item/%d/requiredConfiguration" % (cart_id, added["itemId"])) == []
    preview = demo.get("/order/cart/%s/checkout" % cart_id)
    assert preview["prices"]["withoutTax"]["value"] == 12.5
    order = checkout(demo, cart_id)
    wait_until(lambda: any(p["description"] == "hds project" for p in control.state()["projects"]), what="the HDS project")
    [project] = [p for p in control.state()["projects"] if p["description"] == "hds project"]
    assert project["options"] == [HDS] and project["plan_code"] == "project.2018"
    assert [o["prices"]["withoutTax"] for o in control.orders(DEMO_NIC) if o["orderId"] == order["orderId"]] == [12.5]


@pytest.mark.parametrize("body, status, message", [
    ({"planCode": "certification.unknown"}, 400, "Option certification.unknown is not available for plan project.2018 (available: %s)" % HDS),
    ({"itemId": 1}, 400, None),
    ({"duration": "P1Y"}, 400, None),
])
def test_option_refusals(demo, body, status, message):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    request = dict({"itemId": item_id, "planCode": HDS, "duration": "P1M", "pricingMode": "default", "quantity": 1}, **body)
    answer = refused(lambda: demo.post("/order/cart/%s/cloud/options" % cart_id, **request), status)
    assert answer["class"] == "Client::BadRequest"
    if message:
        assert answer["message"] == message
    assert demo.get("/order/cart/%s/item" % cart_id) == [item_id]


def test_option_twice_option_item_as_parent_and_unknown_plan(demo):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    request = {"itemId": item_id, "planCode": HDS, "duration": "P1M", "pricingMode": "default", "quantity": 1}
    option_id = demo.post("/order/cart/%s/cloud/options" % cart_id, **request)["itemId"]
    assert refused(lambda: demo.post("/order/cart/%s/cloud/options" % cart_id, **request), 409)["class"] == "Client::Conflict"
    assert refused(lambda: demo.post("/order/cart/%s/cloud/options" % cart_id, **dict(request, itemId=option_id)), 400)["message"] == \
        "Item %d is not a project item of cart %s: give the itemId of the plan the option is for" % (option_id, cart_id)
    assert refused(lambda: demo.get("/order/cart/%s/cloud/options" % cart_id, planCode="project.1999"), 400)["message"].startswith(
        "Plan project.1999 is not available")
    demo.delete("/order/cart/%s/item/%d" % (cart_id, item_id))
    assert demo.get("/order/cart/%s/item" % cart_id) == []  # its option went with it


def test_vrack_configuration(demo):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    assert "vrack" in [r["label"] for r in demo.get("/order/cart/%s/item/%d/requiredConfiguration" % (cart_id, item_id))]
    assert refused(lambda: configure(demo, cart_id, item_id, "vrack", "my-vrack"), 400)["message"] == \
        "Configuration vrack 'my-vrack' is not a vRack service name (pn-123456)"
    assert configure(demo, cart_id, item_id, "vrack", "pn-42")["label"] == "vrack"
    assert refused(lambda: configure(demo, cart_id, item_id, "colour", "blue"), 400)["message"].startswith(
        "Configuration label colour is not allowed for plan project.2018")
