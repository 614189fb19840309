"""Account isolation, /cloud/order, the post-delivery 404 window."""

import time

import ovh
import pytest

from sim_helpers import PLAN, checkout, new_cart, ordered_cart, project_id_from_details, wait_status


def test_accounts_never_see_each_other(demo, other, control):
    cart_id, item_id = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    wait_status(demo, order_id, "delivered")
    project_id = project_id_from_details(demo, order_id)
    other_cart = new_cart(other)
    assert demo.get("/order/cart") == [cart_id] and other.get("/order/cart") == [other_cart]
    not_found = ovh.exceptions.ResourceNotFoundError
    for call in (lambda: other.get("/order/cart/%s" % cart_id),
                 lambda: other.get("/order/cart/%s/item/%d" % (cart_id, item_id)),
                 lambda: other.get("/order/cart/%s/checkout" % cart_id),
                 lambda: other.delete("/order/cart/%s" % cart_id),
                 lambda: other.get("/me/order/%d" % order_id),
                 lambda: other.get("/me/order/%d/status" % order_id),
                 lambda: other.get("/me/order/%d/details" % order_id),
                 lambda: other.post("/me/order/%d/pay" % order_id, paymentMethod={"id": 1}),
                 lambda: other.get("/cloud/project/%s" % project_id),
                 lambda: other.put("/cloud/project/%s" % project_id, description="stolen"),
                 lambda: demo.get("/order/cart/%s" % other_cart)):
        with pytest.raises(not_found):
            call()
    assert other.get("/me/order") == [] and other.get("/cloud/project") == [] and other.get("/cloud/order") == []
    journal = control.journal()
    assert {e["account"] for e in journal if e["path"].startswith("/me/order/%d" % order_id)} == {"xx1111-ovh", "yy2222-ovh"}


def test_cloud_order_lists_in_flight_orders(demo, control):
    control.post("/_sim/config", {"delivered_retention": 0.3})
    control.set_price(2)
    cart_id, _item = ordered_cart(demo, description="in flight")
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    listed = demo.get("/cloud/order", planCode=PLAN)
    assert listed == [{"date": listed[0]["date"], "orderId": order_id, "planCode": PLAN, "serviceName": None, "status": "unpaid"}]
    assert demo.get("/cloud/order", planCode="project") == []
    details = demo.get("/me/order/%d/details" % order_id)
    names = [c["value"] for d in details
             for c in demo.get("/me/order/%d/details/%d/extension" % (order_id, d))["order"]["configurations"] if c["label"] == "description"]
    assert names == ["in flight"]
    demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": demo.get("/me/payment/method")[0]})
    assert demo.get("/cloud/order")[0]["status"] == "delivering"
    wait_status(demo, order_id, "delivered")
    delivered = demo.get("/cloud/order")
    assert delivered[0]["status"] == "delivered" and delivered[0]["serviceName"] == project_id_from_details(demo, order_id)
    time.sleep(0.4)  # kept: what is tested is the 0.3 s delivered_retention running out
    assert demo.get("/cloud/order") == []
    assert demo.get("/me/order") == [order_id] and demo.get("/me/order/%d/status" % order_id) == "delivered"  # /me/order keeps it


def test_404_window_after_delivery(demo, control):
    control.post("/_sim/config", {"project_404_window": 0.5})
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    wait_status(demo, order_id, "delivered")
    project_id = project_id_from_details(demo, order_id)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="This service does not exist"):
        demo.get("/cloud/project/%s" % project_id)
    assert demo.get("/cloud/project") == []
    state = control.state()
    assert state["projects"][0]["visible"] is False and state["projects"][0]["project_id"] == project_id
    time.sleep(0.6)  # kept: what is tested is the 0.5 s project_404_window running out
    assert demo.get("/cloud/project") == [project_id]
    assert demo.get("/cloud/project/%s" % project_id)["description"] == "my project"


def test_seeded_projects_are_listed(demo, control):
    specs = [{"description": "a"}, {"description": "b", "status": "suspended", "project_id": "0123456789ab4cdef0123456789abcde"}]
    ids = control.post("/_sim/accounts/xx1111-ovh/projects", specs)
    assert sorted(demo.get("/cloud/project")) == sorted(ids)
    assert demo.get("/cloud/project/0123456789ab4cdef0123456789abcde")["status"] == "suspended"
