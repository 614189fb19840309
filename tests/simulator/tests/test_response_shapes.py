"""Every response of the flow has exactly the fields and types of the operation's responseType in the bundled schemas."""

import re

import pytest

from shape_helpers import REGISTRY, assert_shape
from sim_helpers import DEMO_NIC, checkout, ordered_cart, project_id_from_details, wait_status


def check(client, path, flavour="eu", **query):
    """GET ``path`` and check the response against its operation's responseType."""
    op, _params = REGISTRY.match("GET", re.sub(r"\?.*", "", path), flavour)
    value = client.get(path, **query)
    if op.response_type != "void":
        assert_shape(value, op.response_type, op.models, path)
    return value


def test_flow_responses_match_the_schema(demo, control):
    control.post("/_sim/accounts/%s/vouchers" % DEMO_NIC, {"code": "SHAPE", "credit": 1})
    control.set_price(4)
    cart_id, item_id = ordered_cart(demo, voucher="SHAPE")
    base = "/order/cart/%s" % cart_id
    for path in (base, base + "/cloud", base + "/item", base + "/item/%d" % item_id, base + "/item/%d/requiredConfiguration" % item_id,
                 base + "/item/%d/configuration" % item_id, base + "/checkout", base + "/summary", "/order/cart", "/me",
                 "/me/payment/method", "/cloud/eligibility", "/auth/currentCredential", "/auth/details"):
        check(demo, path)
    for conf_id in demo.get(base + "/item/%d/configuration" % item_id):
        check(demo, base + "/item/%d/configuration/%d" % (item_id, conf_id))
    check(demo, "/me/payment/method/%d" % demo.get("/me/payment/method")[0])
    check(demo, "/order/catalog/public/cloud", ovhSubsidiary="FR")
    order = demo.post(base + "/checkout", autoPayWithPreferredPaymentMethod=True)
    assert_shape(order, "order.Order", REGISTRY.files["order-cart.json"]["models"], "checkout")
    order_id = order["orderId"]
    check(demo, "/cloud/order")
    wait_status(demo, order_id, "delivered")
    prefix = "/me/order/%d" % order_id
    for path in ("/me/order", prefix, prefix + "/status", prefix + "/details", prefix + "/associatedObject", prefix + "/followUp",
                 prefix + "/paymentMethods", prefix + "/availableRegisteredPaymentMean", "/cloud/project", "/cloud/order"):
        check(demo, path)
    for detail_id in demo.get(prefix + "/details"):
        check(demo, prefix + "/details/%d" % detail_id)
        check(demo, prefix + "/details/%d/extension" % detail_id)
    check(demo, "/cloud/project/%s" % project_id_from_details(demo, order_id))


def test_the_shape_checker_itself_is_strict():
    models = REGISTRY.files["order-cart.json"]["models"]
    cart = {"cartId": "c", "description": "", "expire": None, "items": [], "readOnly": False}
    assert_shape(cart, "order.cart.Cart", models, "cart")
    for broken in (dict(cart, extra=1), {k: v for k, v in cart.items() if k != "items"}, dict(cart, readOnly="no"),
                   dict(cart, items=["1"]), dict(cart, description=None)):
        with pytest.raises(AssertionError):
            assert_shape(broken, "order.cart.Cart", models, "cart")


def test_us_operation_shape(demo, control):
    control.post("/_sim/config", {"flavour": "us"})
    control.post("/_sim/accounts/%s/settings" % DEMO_NIC, {"subsidiary": "US"})
    cart_id, _item = ordered_cart(demo, subsidiary="US", plan="project")
    order_id = checkout(demo, cart_id)["orderId"]
    wait_status(demo, order_id, "delivered")
    for detail_id in demo.get("/me/order/%d/details" % order_id):
        for operation_id in check(demo, "/me/order/%d/details/%d/operations" % (order_id, detail_id), flavour="us"):
            check(demo, "/me/order/%d/details/%d/operations/%d" % (order_id, detail_id, operation_id), flavour="us")
