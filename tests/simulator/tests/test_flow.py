"""The OVHcloud guide's whole flow ("Ordering Public Cloud projects using the OVHcloud API"), with real field names, through the real python-ovh client."""

import time

import ovh
import pytest

from sim_helpers import PLAN, PROJECT_ID_RE, add_project_item, configure, new_cart, project_id_from_details, wait_status


def test_guide_flow_end_to_end(demo, control):
    control.post("/_sim/config", {"project_404_window": 0.6})
    # 1 + 1b: create (unsigned) and assign
    cart = demo.post("/order/cart", ovhSubsidiary="FR", description="ansible", _need_auth=False)
    assert set(cart) == {"cartId", "description", "expire", "items", "readOnly"}
    assert cart["items"] == [] and cart["readOnly"] is False and cart["description"] == "ansible"
    cart_id = cart["cartId"]
    assert demo.post("/order/cart/%s/assign" % cart_id) is None
    assert demo.get("/order/cart", description="ansible") == [cart_id]
    # 2: offers
    offers = demo.get("/order/cart/%s/cloud" % cart_id)
    assert [o["planCode"] for o in offers] == [PLAN]
    assert offers[0]["productName"] == "Public Cloud Project" and offers[0]["productType"] == "cloud_service"
    pricing = offers[0]["prices"][0]
    assert pricing["duration"] == "P1M" and pricing["pricingMode"] == "default" and pricing["price"]["value"] == 0
    # 3 + 4: item
    item = demo.post("/order/cart/%s/cloud" % cart_id, planCode=PLAN, duration="P1M", pricingMode="default", quantity=1)
    item_id = item["itemId"]
    assert isinstance(item_id, int) and item["settings"] == {"planCode": PLAN, "pricingMode": "default", "quantity": 1}
    assert demo.get("/order/cart/%s/item/%d" % (cart_id, item_id))["itemId"] == item_id
    assert demo.get("/order/cart/%s" % cart_id, _need_auth=True)["items"] == [item_id]
    # 5: required configuration
    reqs = demo.get("/order/cart/%s/item/%d/requiredConfiguration" % (cart_id, item_id))
    assert {r["label"] for r in reqs} == {"description", "voucher", "vrack"}
    assert all(set(r) == {"label", "type", "required", "fields"} for r in reqs)
    # 6 + 7: configuration (the field is "id", not the guide's configurationId)
    conf = configure(demo, cart_id, item_id, "description", "my project")
    assert set(conf) == {"id", "label", "value"}
    assert demo.get("/order/cart/%s/item/%d/configuration/%d" % (cart_id, item_id, conf["id"])) == conf
    assert demo.get("/order/cart/%s/item/%d/configuration" % (cart_id, item_id), label="description") == [conf["id"]]
    # 8: dry run
    preview = demo.get("/order/cart/%s/checkout" % cart_id)
    assert preview["orderId"] is None and preview["url"] is None and preview["prices"]["withoutTax"]["value"] == 0
    # 9: checkout with auto-pay
    order = demo.post("/order/cart/%s/checkout" % cart_id, autoPayWithPreferredPaymentMethod=True, waiveRetractationPeriod=False)
    order_id = order["orderId"]
    assert isinstance(order_id, int) and "orderId=%d" % order_id in order["url"] and order["contracts"]
    assert demo.get("/order/cart/%s" % cart_id)["readOnly"] is True
    # 12: asynchronous delivery
    seen = wait_status(demo, order_id, "delivered")
    assert seen[-1] == "delivered" and "notPaid" not in seen
    # 13: details: a placeholder line and the project line
    details = [demo.get("/me/order/%d/details/%d" % (order_id, d)) for d in demo.get("/me/order/%d/details" % order_id)]
    assert len(details) >= 2 and all(isinstance(d["quantity"], str) for d in details)
    assert details[0]["domain"] == "*001"
    project_id = project_id_from_details(demo, order_id)
    assert project_id and PROJECT_ID_RE.match(project_id)
    # 14: 404 window, then the project with its description
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="This service does not exist"):
        demo.get("/cloud/project/%s" % project_id)
    assert project_id not in demo.get("/cloud/project")
    project = wait_visible(demo, project_id)
    assert project["description"] == "my project" and project["orderId"] == order_id and project["planCode"] == PLAN
    assert project["project_id"] == project_id and project["access"] == "full" and project["iam"]["urn"].endswith(project_id)
    assert project_id in demo.get("/cloud/project")
    demo.put("/cloud/project/%s" % project_id, description="renamed")
    assert demo.get("/cloud/project/%s" % project_id)["description"] == "renamed"


def wait_visible(client, project_id, timeout=3.0):
    """Retry GET /cloud/project/{id} on 404 (terraform PR #1295 does the same)."""
    deadline = time.time() + timeout
    while True:
        try:
            return client.get("/cloud/project/%s" % project_id)
        except ovh.exceptions.ResourceNotFoundError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def test_project_goes_creating_then_ok(demo, control):
    control.post("/_sim/config", {"project_creating_delay": 0.5})
    cart_id = new_cart(demo)
    add_project_item(demo, cart_id)
    order_id = demo.post("/order/cart/%s/checkout" % cart_id, autoPayWithPreferredPaymentMethod=True)["orderId"]
    wait_status(demo, order_id, "delivered")
    project_id = project_id_from_details(demo, order_id)
    assert demo.get("/cloud/project/%s" % project_id)["status"] == "creating"
    time.sleep(0.6)  # kept: what is tested is the 0.5 s project_creating_delay running out
    assert demo.get("/cloud/project/%s" % project_id)["status"] == "ok"


def test_details_extension_names_plan_and_configuration(demo):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    configure(demo, cart_id, item_id, "description", "with extension")
    order_id = demo.post("/order/cart/%s/checkout" % cart_id, autoPayWithPreferredPaymentMethod=True)["orderId"]
    plans = {}
    for detail_id in demo.get("/me/order/%d/details" % order_id):
        ext = demo.get("/me/order/%d/details/%d/extension" % (order_id, detail_id))["order"]
        plans[ext["plan"]["code"]] = ext
    assert PLAN in plans and len(plans) >= 2
    project_ext = plans[PLAN]
    assert project_ext["plan"]["duration"] == "P1M" and project_ext["plan"]["pricingMode"] == "default"
    assert project_ext["plan"]["quantity"] == 1 and project_ext["plan"]["product"]["name"]
    assert {"label": "description", "value": "with extension"} in project_ext["configurations"]


def test_checkout_accepts_empty_body(demo):
    """terraform-provider-ovh sends no checkout body."""
    cart_id = new_cart(demo)
    add_project_item(demo, cart_id)
    order = demo.post("/order/cart/%s/checkout" % cart_id)
    assert demo.get("/me/order") == [order["orderId"]]
    assert demo.get("/me/order/%d/status" % order["orderId"]) == "notPaid"
