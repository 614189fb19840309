"""Orders: asynchronous statuses, payment, cancellation, billing objects."""

import time

import ovh
import pytest

from sim_helpers import DEMO_NIC, checkout, make_client, ordered_cart, wait_status


def test_asynchronous_delivery_status_sequence(demo, control):
    control.post("/_sim/config", {"order_checking_delay": 0.3, "order_delivering_delay": 0.3})
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert wait_status(demo, order_id, "delivered") == ["checking", "delivering", "delivered"]
    assert [s["status"] for s in demo.get("/me/order/%d/followUp" % order_id)] == ["DONE"] * 4


def test_per_account_delays(demo, control):
    control.post("/_sim/accounts/%s/settings" % DEMO_NIC, {"delays": {"order_checking_delay": 5}})
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    time.sleep(0.5)  # kept: past the global 0.2 s delays, so only the account's own 5 s delay keeps it checking
    assert demo.get("/me/order/%d/status" % order_id) == "checking"


def test_auto_paid_order_is_not_paid_until_the_payment_clears(demo, control):
    control.post("/_sim/config", {"payment_clearing_delay": 0.5})
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert demo.get("/me/order/%d/status" % order_id) == "notPaid"
    assert wait_status(demo, order_id, "delivered") == ["notPaid", "checking", "delivering", "delivered"]


def test_reschedule_releases_a_held_order(demo, control):
    control.post("/_sim/config", {"order_checking_delay": 600})
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert demo.get("/me/order/%d/status" % order_id) == "checking"
    control.reschedule_order(order_id, order_checking_delay=0.2, order_delivering_delay=0.2)
    assert wait_status(demo, order_id, "delivered")[-1] == "delivered"
    control.post("/_sim/orders/%d/reschedule" % order_id, {}, expect=400)  # delivered: nothing to reschedule


def test_not_paid_without_auto_pay_then_pay(demo, control):
    control.set_price(12.5)
    cart_id, _item = ordered_cart(demo)
    order = checkout(demo, cart_id, auto_pay=False)
    assert order["prices"]["withoutTax"]["value"] == 12.5 and order["prices"]["withTax"]["value"] == 15.0
    order_id = order["orderId"]
    time.sleep(0.3)  # kept: past the 0.2 s order delays, so that an order wrongly paid would have moved on
    assert demo.get("/me/order/%d/status" % order_id) == "notPaid"
    assert demo.get("/me/order/%d/associatedObject" % order_id) == {"id": None, "type": None}
    method_id = demo.get("/me/payment/method", default=True)[0]
    assert demo.get("/me/payment/method/%d" % method_id)["status"] == "VALID"
    assert demo.get("/me/order/%d/paymentMethods" % order_id)["registered"] == [method_id]
    with pytest.raises(ovh.exceptions.BadParametersError, match="999"):
        demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": 999})
    assert demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": method_id}) is None
    with pytest.raises(ovh.exceptions.BadParametersError, match="already been paid"):
        demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": method_id})
    assert wait_status(demo, order_id, "delivered")[-1] == "delivered"
    assert demo.get("/me/order/%d/associatedObject" % order_id)["type"] == "Bill"


def test_pay_with_registered_payment_mean(demo, control):
    control.set_price(3)
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    with pytest.raises(ovh.exceptions.BadParametersError, match="total is not zero"):
        demo.post("/me/order/%d/payWithRegisteredPaymentMean" % order_id, paymentMean="fidelityAccount")
    with pytest.raises(ovh.exceptions.BadParametersError, match="paymentMean not found"):
        demo.post("/me/order/%d/payWithRegisteredPaymentMean" % order_id, paymentMean="paypal")
    assert {"paymentMean": "creditCard"} in demo.get("/me/order/%d/availableRegisteredPaymentMean" % order_id)
    control.set_price(0)
    cart_id, _item = ordered_cart(demo, description="free")
    free_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    assert demo.get("/me/order/%d/status" % free_id) == "notPaid"  # ovh/docs: even a 0 order must be "paid"
    assert {"paymentMean": "fidelityAccount"} in demo.get("/me/order/%d/availableRegisteredPaymentMean" % free_id)
    demo.post("/me/order/%d/payWithRegisteredPaymentMean" % free_id, paymentMean="fidelityAccount")
    assert wait_status(demo, free_id, "delivered")[-1] == "delivered"


def test_auto_pay_without_valid_payment_method_stays_not_paid(sim, control):
    control.set_price(5)
    control.post("/_sim/accounts", {"nichandle": "zz3333-ovh", "payment_methods": [{"type": "CREDIT_CARD", "status": "EXPIRED", "default": True}]})
    client = make_client(sim.base_url, "zz3333-ovh-application-key", "zz3333-ovh-application-secret", "zz3333-ovh-consumer-key")
    cart_id, _item = ordered_cart(client)
    order_id = checkout(client, cart_id)["orderId"]
    time.sleep(0.3)  # kept: past the 0.2 s order delays, so that an order wrongly paid would have moved on
    assert client.get("/me/order/%d/status" % order_id) == "notPaid"
    assert client.get("/me/payment/method", status="VALID") == []


def test_cancel(demo, control):
    control.set_price(1)
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    assert control.post("/_sim/orders/%d/cancel" % order_id)["status"] == "cancelling"
    assert wait_status(demo, order_id, "cancelled") == ["cancelling", "cancelled"]
    with pytest.raises(ovh.exceptions.BadParametersError):
        demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": demo.get("/me/payment/method")[0]})
    assert demo.get("/cloud/order") == []
    control.post("/_sim/orders/%d/cancel" % order_id, expect=400)


def test_never_payable(demo, control):
    control.set_price(1)
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    control.post("/_sim/orders/%d/never_payable" % order_id, {"mode": "stall"})
    method_id = demo.get("/me/payment/method")[0]
    demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": method_id})
    time.sleep(0.5)  # kept: past the 0.2 s order delays, so that a payment wrongly cleared would have moved the order on
    assert demo.get("/me/order/%d/status" % order_id) == "notPaid"
    cart_id, _item = ordered_cart(demo, description="refused")
    refused_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    control.post("/_sim/orders/%d/never_payable" % refused_id, {"mode": "refuse"})
    with pytest.raises(ovh.exceptions.BadParametersError, match="refused"):
        demo.post("/me/order/%d/pay" % refused_id, paymentMethod={"id": method_id})


def test_billing_order_and_listing_filters(demo):
    cart_id, _item = ordered_cart(demo)
    order = checkout(demo, cart_id)
    billing = demo.get("/me/order/%d" % order["orderId"])
    assert set(billing) == {"date", "expirationDate", "orderId", "password", "pdfUrl", "priceWithTax", "priceWithoutTax",
                            "retractionDate", "tax", "url"}
    assert billing["url"] == order["url"] and billing["password"] in order["url"]
    assert demo.get("/me/order") == [order["orderId"]]
    assert demo.get("/me/order", **{"date.from": "2000-01-01T00:00:00Z"}) == [order["orderId"]]
    assert demo.get("/me/order", **{"date.to": "2000-01-01T00:00:00Z"}) == []
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="orderId"):
        demo.get("/me/order/1")
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        demo.get("/me/order/%d/details/1" % order["orderId"])
