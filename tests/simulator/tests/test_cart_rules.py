"""Cart rules: assignment, checkout preconditions, read-only after checkout, expiry."""

import ovh
import pytest

from sim_helpers import DEMO_KEYS, DEMO_NIC, PLAN, add_project_item, checkout, configure, make_client, new_cart, ordered_cart


def test_checkout_of_unassigned_cart_is_refused(demo, control):
    cart_id = new_cart(demo, assign=False)
    add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.APIError, match="not assigned") as excinfo:
        checkout(demo, cart_id)
    assert excinfo.value.response.status_code == 403
    with pytest.raises(ovh.exceptions.APIError, match="not assigned"):
        demo.get("/order/cart/%s/checkout" % cart_id)
    assert control.state()["orders"] == []


def test_checkout_of_empty_cart_is_refused(demo):
    cart_id = new_cart(demo)
    with pytest.raises(ovh.exceptions.BadParametersError, match="empty"):
        checkout(demo, cart_id)


def test_missing_required_configuration_is_refused_at_checkout(demo, control):
    control.post("/_sim/config", {"required_configuration": {PLAN: [{"label": "description", "type": "string", "required": True},
                                                                    {"label": "voucher", "type": "string", "required": False}]}})
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.BadParametersError, match="required configuration description"):
        checkout(demo, cart_id)
    configure(demo, cart_id, item_id, "description", "now named")
    order_id = checkout(demo, cart_id)["orderId"]
    assert [(o["orderId"], o["description"]) for o in control.orders(DEMO_NIC)] == [(order_id, "now named")]


def test_duplicate_configuration_label_conflicts(demo):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    conf = configure(demo, cart_id, item_id, "description", "first")
    with pytest.raises(ovh.exceptions.ResourceConflictError):
        configure(demo, cart_id, item_id, "description", "second")
    demo.delete("/order/cart/%s/item/%d/configuration/%d" % (cart_id, item_id, conf["id"]))
    assert configure(demo, cart_id, item_id, "description", "second")["value"] == "second"
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="configurationId"):
        demo.get("/order/cart/%s/item/%d/configuration/%d" % (cart_id, item_id, conf["id"]))


def test_writes_to_a_checked_out_cart_are_refused(demo):
    cart_id, item_id = ordered_cart(demo)
    checkout(demo, cart_id)
    base = "/order/cart/%s" % cart_id
    writes = [
        lambda: add_project_item(demo, cart_id),
        lambda: configure(demo, cart_id, item_id, "voucher", "X"),
        lambda: demo.put(base, description="changed"),
        lambda: demo.put(base + "/item/%d" % item_id, quantity=1),
        lambda: demo.delete(base + "/item/%d" % item_id),
        lambda: checkout(demo, cart_id),
        lambda: demo.post(base + "/assign"),
        lambda: demo.delete(base),
    ]
    for write in writes:
        with pytest.raises(ovh.exceptions.APIError, match="read") as excinfo:
            write()
        assert excinfo.value.response.status_code == 403
    cart = demo.get(base)
    assert cart["readOnly"] is True and cart["items"] == [item_id]
    assert demo.get(base + "/checkout")["orderId"] is None  # reads still work


def test_assign_rules(demo, other):
    cart_id = new_cart(demo)
    demo.post("/order/cart/%s/assign" % cart_id)  # idempotent for the owner
    with pytest.raises(ovh.exceptions.APIError, match="another account") as excinfo:
        other.post("/order/cart/%s/assign" % cart_id)
    assert excinfo.value.response.status_code == 403
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="cartId"):
        demo.post("/order/cart/00000000-0000-4000-8000-000000000000/assign")


def test_signed_creation_does_not_assign(demo):
    cart = demo.post("/order/cart", ovhSubsidiary="FR", description="signed")
    assert demo.get("/order/cart", description="signed") == []
    demo.post("/order/cart/%s/assign" % cart["cartId"])
    assert demo.get("/order/cart", description="signed") == [cart["cartId"]]


def test_assigned_cart_is_hidden_from_unsigned_calls(demo):
    cart_id = new_cart(demo)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        demo.get("/order/cart/%s" % cart_id, _need_auth=False)
    assert demo.get("/order/cart/%s" % cart_id)["cartId"] == cart_id


def test_expired_cart_is_gone(sim, demo, control):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    control.post("/_sim/clock", {"advance": 86400 + 60})
    fresh = make_client(sim.base_url, *DEMO_KEYS)  # the old client's time delta is now stale
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="cartId = %s" % cart_id):
        fresh.get("/order/cart/%s" % cart_id)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        fresh.get("/order/cart/%s/item/%d" % (cart_id, item_id))
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        fresh.post("/order/cart/%s/assign" % cart_id)
    assert fresh.get("/order/cart") == []
    assert [c["expired"] for c in control.state()["carts"]] == [True]


def test_custom_expiry_and_cart_update_delete(sim, demo, control):
    cart = demo.post("/order/cart", ovhSubsidiary="FR", expire="2999-01-01T00:00:00+00:00", _need_auth=False)
    control.post("/_sim/clock", {"advance": 86400 * 3})
    assert demo.get("/order/cart/%s" % cart["cartId"], _need_auth=False)["cartId"] == cart["cartId"]
    updated = demo.put("/order/cart/%s" % cart["cartId"], description="renamed", _need_auth=False)
    assert updated["description"] == "renamed"
    fresh = make_client(sim.base_url, *DEMO_KEYS)
    fresh.delete("/order/cart/%s" % cart["cartId"])
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        fresh.get("/order/cart/%s" % cart["cartId"], _need_auth=False)


def test_items_can_be_listed_updated_and_deleted(demo):
    cart_id = new_cart(demo)
    first, second = add_project_item(demo, cart_id), add_project_item(demo, cart_id)
    assert demo.get("/order/cart/%s/item" % cart_id) == [first, second]
    assert demo.put("/order/cart/%s/item/%d" % (cart_id, first), duration="P1M")["duration"] == "P1M"
    demo.delete("/order/cart/%s/item/%d" % (cart_id, second))
    assert demo.get("/order/cart/%s/item" % cart_id) == [first]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="itemId"):
        demo.get("/order/cart/%s/item/%d" % (cart_id, second))
