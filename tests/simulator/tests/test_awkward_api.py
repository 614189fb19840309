"""Awkward but plausible API behaviours, each behind a setting that is off by default (docs/simulator.md "Awkward API
options"): a second application of the same account, listing lags, per-application carts, cached listings, expired
checkouts, payment and anti-fraud follow-up. Each test shows the behaviour with its option on and the default with it off."""

import json
import re
import time
import uuid

import ovh
import pytest

from ovh_api_simulator import ControlError
from sim_helpers import DEMO_KEYS, DEMO_NIC, checkout, make_client, new_cart, ordered_cart, wait_status

SECOND_KEYS = ("second-application-key", "second-application-secret", "second-consumer-key")


@pytest.fixture
def second(sim, control):
    """python-ovh client of a second application of the demo account."""
    control.add_application(DEMO_NIC, *SECOND_KEYS)
    return make_client(sim.base_url, *SECOND_KEYS)


# -- a second application of the same account ------------------------------------------------------------------------


def test_a_second_application_signs_for_the_same_account(demo, second, control):
    account = control.account(DEMO_NIC)
    assert account["applications"] == [DEMO_KEYS[0], SECOND_KEYS[0]]
    assert {"key": SECOND_KEYS[2], "application_key": SECOND_KEYS[0]} in [
        {"key": ck["key"], "application_key": ck["application_key"]} for ck in account["consumer_keys"]]
    assert second.get("/me")["nichandle"] == DEMO_NIC
    assert second.get("/auth/currentCredential")["applicationId"] != demo.get("/auth/currentCredential")["applicationId"]


def test_the_second_application_keys_are_checked_like_any_other(sim, control):
    control.add_application(DEMO_NIC, *SECOND_KEYS, access_rules=[{"method": "GET", "path": "/me"}])
    narrow = make_client(sim.base_url, *SECOND_KEYS)
    assert narrow.get("/me")["nichandle"] == DEMO_NIC
    with pytest.raises(ovh.exceptions.NotGrantedCall):
        narrow.get("/me/order")
    wrong_secret = make_client(sim.base_url, SECOND_KEYS[0], "not-the-secret", SECOND_KEYS[2])
    with pytest.raises(ovh.exceptions.BadParametersError):
        wrong_secret.get("/me")
    crossed = make_client(sim.base_url, SECOND_KEYS[0], SECOND_KEYS[1], DEMO_KEYS[2])  # the demo key belongs to another application
    with pytest.raises(ovh.exceptions.NotCredential):
        crossed.get("/me")


@pytest.mark.parametrize("body, status", [
    ({"application_key": "demo-application-key", "application_secret": "s", "consumer_key": "fresh-ck"}, 409),
    ({"application_key": "fresh-ak", "application_secret": "s", "consumer_key": "demo-consumer-key"}, 409),
    ({"application_key": "fresh-ak", "application_secret": "s"}, 400),
    ({"application_key": "fresh-ak", "application_secret": "s", "consumer_key": "ck", "other": 1}, 400),
], ids=["known-application", "known-consumer-key", "no-consumer-key", "unknown-key"])
def test_a_bad_application_is_refused_and_nothing_is_added(control, body, status):
    with pytest.raises(ControlError) as caught:
        control.post("/_sim/accounts/%s/applications" % DEMO_NIC, body)
    assert caught.value.status == status
    assert control.account(DEMO_NIC)["applications"] == [DEMO_KEYS[0]]
    names = ("application_key", "application_secret", "consumer_key")
    control.post("/_sim/accounts/nobody-ovh/applications", dict(zip(names, SECOND_KEYS)), expect=404)


def test_the_journal_names_the_application_key_of_every_call(demo, second, control):
    control.clear_journal()
    demo.post("/order/cart", ovhSubsidiary="FR", description="unsigned", _need_auth=False)
    demo.get("/me")
    second.get("/me")
    control.call("GET", "/_sim/clock")  # control calls are not journaled
    journal = [e for e in control.journal() if e["path"] != "/auth/time"]  # python-ovh reads the time once per client
    assert [(e["path"], e["signed"], e["application_key"]) for e in journal] == [
        ("/order/cart", False, DEMO_KEYS[0]), ("/me", True, DEMO_KEYS[0]), ("/me", True, SECOND_KEYS[0])]
    assert [e["account"] for e in journal] == [None, DEMO_NIC, DEMO_NIC]


# -- carts ---------------------------------------------------------------------------------------------------------------


def test_cart_listing_lag_hides_a_new_cart_from_the_other_applications_for_a_while(demo, second, control):
    control.config(cart_listing_lag=0.6)
    cart_id = new_cart(demo, description="lagging")
    assert demo.get("/order/cart", description="lagging") == [cart_id]  # its own application sees it at once
    assert second.get("/order/cart", description="lagging") == []
    assert second.get("/order/cart/%s" % cart_id)["cartId"] == cart_id  # read by id: at once
    time.sleep(0.7)  # kept: what is tested is the 0.6 s lag running out (a longer sleep on a loaded machine still passes)
    assert second.get("/order/cart", description="lagging") == [cart_id]


def test_by_default_every_application_of_the_account_lists_a_cart_at_once(demo, second):
    cart_id = new_cart(demo, description="shared")
    assert second.get("/order/cart", description="shared") == [cart_id] == demo.get("/order/cart", description="shared")


def test_carts_per_application_keeps_a_cart_to_the_application_that_created_it(demo, second, control):
    control.config(carts_per_application=True)
    cart_id, item_id = ordered_cart(demo)
    assert demo.get("/order/cart") == [cart_id]
    assert second.get("/order/cart") == []
    missing = "The requested object (cartId = %s) does not exist" % cart_id
    for call in (lambda: second.get("/order/cart/%s" % cart_id),
                 lambda: second.put("/order/cart/%s" % cart_id, description="theirs"),
                 lambda: second.delete("/order/cart/%s" % cart_id),
                 lambda: second.get("/order/cart/%s/item/%d" % (cart_id, item_id)),
                 lambda: second.post("/order/cart/%s/assign" % cart_id),
                 lambda: checkout(second, cart_id),
                 lambda: second.get("/order/cart/%s" % cart_id, _need_auth=False)):
        with pytest.raises(ovh.exceptions.ResourceNotFoundError, match=re.escape(missing)):
            call()
    unknown_id = str(uuid.uuid4())
    hidden, unknown = (second.raw_call("GET", "/order/cart/%s" % c, None, True) for c in (cart_id, unknown_id))
    assert (hidden.status_code, hidden.json()) == (unknown.status_code, json.loads(unknown.text.replace(unknown_id, cart_id)))
    other_cart = new_cart(second, description="theirs")
    assert second.get("/order/cart") == [other_cart] and demo.get("/order/cart") == [cart_id]
    order_id = checkout(demo, cart_id)["orderId"]
    assert [(o["orderId"], o["description"]) for o in control.orders(DEMO_NIC)] == [(order_id, "my project")]


def test_carts_per_application_keeps_an_unsigned_cart_to_the_application_key_it_was_created_with(demo, second, control):
    control.config(carts_per_application=True)
    cart_id = new_cart(demo, assign=False)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        second.get("/order/cart/%s" % cart_id, _need_auth=False)
    assert demo.get("/order/cart/%s" % cart_id, _need_auth=False)["cartId"] == cart_id
    assert control.state()["carts"][0]["application_key"] == DEMO_KEYS[0]


def test_by_default_another_application_of_the_account_may_use_the_cart(demo, second, control):
    cart_id, _item = ordered_cart(demo)
    assert second.get("/order/cart/%s" % cart_id)["cartId"] == cart_id
    order_id = checkout(second, cart_id)["orderId"]
    assert [(o["orderId"], o["description"]) for o in control.orders(DEMO_NIC)] == [(order_id, "my project")]
    assert [e["application_key"] for e in control.checkouts()] == [SECOND_KEYS[0]]


def test_checked_out_carts_unlisted_drops_a_cart_from_the_listing_once_checked_out(demo, control):
    control.config(checked_out_carts_unlisted=True)
    cart_id, _item = ordered_cart(demo)
    assert demo.get("/order/cart") == [cart_id]
    checkout(demo, cart_id)
    assert demo.get("/order/cart") == []
    assert demo.get("/order/cart/%s" % cart_id)["readOnly"] is True


def test_by_default_a_checked_out_cart_stays_listed(demo):
    cart_id, _item = ordered_cart(demo)
    checkout(demo, cart_id)
    assert demo.get("/order/cart") == [cart_id]
    assert demo.get("/order/cart/%s" % cart_id)["readOnly"] is True


def test_accept_expired_checkout_lets_an_expired_cart_be_checked_out(sim, demo, control):
    control.config(accept_expired_checkout=True)
    cart_id, _item = ordered_cart(demo)
    control.advance_clock(86401)
    demo = make_client(sim.base_url, *DEMO_KEYS)  # the old client's time delta is now stale
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        demo.get("/order/cart/%s" % cart_id)  # gone for everything else
    assert demo.get("/order/cart/%s/checkout" % cart_id)["orderId"] is None
    order_id = checkout(demo, cart_id)["orderId"]
    assert [o["orderId"] for o in control.state()["orders"]] == [order_id]
    with pytest.raises(ovh.exceptions.APIError, match="already been validated"):
        checkout(demo, cart_id)  # and once only


def test_by_default_an_expired_cart_cannot_be_checked_out(sim, demo, control):
    cart_id, _item = ordered_cart(demo)
    control.advance_clock(86401)
    demo = make_client(sim.base_url, *DEMO_KEYS)
    for call in (lambda: checkout(demo, cart_id), lambda: demo.get("/order/cart/%s/checkout" % cart_id)):
        with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="cartId = %s" % cart_id):
            call()
    assert control.state()["orders"] == []


# -- order listings ----------------------------------------------------------------------------------------------------


def test_order_listing_lag_hides_a_new_order_from_the_listings_for_a_while(demo, control):
    control.config(order_listing_lag=0.6, order_checking_delay=5)
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert demo.get("/me/order") == [] and demo.get("/cloud/order") == []
    assert demo.get("/me/order/%d" % order_id)["orderId"] == order_id  # by id: at once
    assert demo.get("/me/order/%d/status" % order_id) == "checking"
    assert len(demo.get("/me/order/%d/details" % order_id)) == 2
    time.sleep(0.7)  # kept: what is tested is the 0.6 s lag running out (a longer sleep on a loaded machine still passes)
    assert demo.get("/me/order") == [order_id]
    assert [o["orderId"] for o in demo.get("/cloud/order")] == [order_id]


def test_by_default_a_new_order_is_listed_at_once(demo, control):
    control.config(order_checking_delay=5)
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert demo.get("/me/order") == [order_id]
    assert [(o["orderId"], o["status"]) for o in demo.get("/cloud/order")] == [(order_id, "delivering")]


# -- cached expanded listing of projects -------------------------------------------------------------------------------

EXPANDED = {"X-Pagination-Mode": "CachedObjectList-Pages"}
NO_CACHE = dict(EXPANDED, Pragma="no-cache")


def descriptions(client, headers=None):
    """The descriptions in the expanded listing of GET /cloud/project (one signed raw call)."""
    response = client.raw_call("GET", "/cloud/project", None, True, headers or EXPANDED)
    assert response.status_code == 200
    return sorted(o["description"] for o in response.json())


def test_project_listing_cache_serves_a_stale_snapshot_until_no_cache_or_its_age(demo, control):
    control.config(project_listing_cache=0.8)
    (first,) = control.seed_projects(DEMO_NIC, [{"description": "first"}])
    assert descriptions(demo) == ["first"]  # the snapshot is taken
    control.seed_projects(DEMO_NIC, [{"description": "second"}])
    demo.put("/cloud/project/%s" % first, description="renamed")
    assert descriptions(demo) == ["first"]  # stale: the new project is missing, the renamed one has its old name
    response = demo.raw_call("GET", "/cloud/project", None, True, EXPANDED)
    assert response.headers["X-Pagination-Elements"] == "1"
    assert len(demo.get("/cloud/project")) == 2  # the id listing is never cached
    assert demo.get("/cloud/project/%s" % first)["description"] == "renamed"  # nor a project's own read
    assert descriptions(demo, NO_CACHE) == ["renamed", "second"]  # fresh, and the snapshot is refreshed
    demo.put("/cloud/project/%s" % first, description="again")
    assert descriptions(demo) == ["renamed", "second"]
    time.sleep(0.9)  # kept: what is tested is the snapshot growing older than the cache's lifetime
    assert descriptions(demo) == ["again", "second"]  # the snapshot was too old
    assert [e.get("pragma") for e in control.calls("GET", "/cloud/project") if "pagination" in e] == [None] * 3 + ["no-cache"] + [None] * 2


def test_project_listing_cache_keeps_the_statuses_of_the_snapshot_and_is_per_account(demo, other, control):
    control.config(project_listing_cache=30, project_deleting_delay=30)
    (project_id,) = control.seed_projects(DEMO_NIC, [{"description": "busy"}])
    assert [o["status"] for o in demo.raw_call("GET", "/cloud/project", None, True, EXPANDED).json()] == ["ok"]
    demo.post("/cloud/project/%s/terminate" % project_id)
    demo.post("/cloud/project/%s/confirmTermination" % project_id, token=control.termination_token(project_id))
    assert demo.get("/cloud/project/%s" % project_id)["status"] == "deleting"
    assert [o["status"] for o in demo.raw_call("GET", "/cloud/project", None, True, EXPANDED).json()] == ["ok"]
    assert [o["status"] for o in demo.raw_call("GET", "/cloud/project", None, True, NO_CACHE).json()] == ["deleting"]
    assert other.raw_call("GET", "/cloud/project", None, True, EXPANDED).json() == []
    control.seed_projects("yy2222-ovh", [{"description": "theirs"}])
    assert descriptions(other) == []  # its own snapshot
    assert descriptions(other, NO_CACHE) == ["theirs"]
    assert descriptions(demo) == ["busy"]


def test_by_default_the_expanded_listing_is_always_fresh(demo, control):
    (first,) = control.seed_projects(DEMO_NIC, [{"description": "first"}])
    assert descriptions(demo) == ["first"]
    control.seed_projects(DEMO_NIC, [{"description": "second"}])
    demo.put("/cloud/project/%s" % first, description="renamed")
    assert descriptions(demo) == ["renamed", "second"]
    assert control.journal()[-1].get("pragma") is None


# -- paying, follow-up and anti-fraud ----------------------------------------------------------------------------------


def labels(client, order_id):
    """{step: (status, [history labels])} of an order's followUp."""
    return {s["step"]: (s["status"], [h["label"] for h in s["history"]]) for s in client.get("/me/order/%d/followUp" % order_id)}


PAID = ["ORDER_STARTED", "REGISTERED_PAYMENT_INITIATED", "PAYMENT_RECEIVED", "PAYMENT_CONFIRMED", "FRAUD_CHECK"]


def test_without_auto_pay_the_order_is_not_paid_and_not_charged(demo, control):
    control.set_price(12.5)
    cart_id, _item = ordered_cart(demo, description="unpaid")
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    time.sleep(0.3)  # kept: past the 0.2 s order delays, so that an order wrongly paid would have moved on
    assert demo.get("/me/order/%d/status" % order_id) == "notPaid"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", ["ORDER_STARTED"])
    (order,) = control.orders(DEMO_NIC)
    assert (order["orderId"], order["status"], order["paid_with"], order["paid"], order["description"]) == (
        order_id, "notPaid", None, False, "unpaid")
    assert control.paid_orders() == []


def test_a_payment_is_in_the_follow_up_at_once_although_the_order_is_still_not_paid(demo, control):
    control.config(payment_clearing_delay=0.5)
    cart_id, _item = ordered_cart(demo, description="clearing")
    order_id = checkout(demo, cart_id)["orderId"]  # auto-pay with the default payment method
    assert demo.get("/me/order/%d/status" % order_id) == "notPaid"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", ["ORDER_STARTED", "REGISTERED_PAYMENT_INITIATED"])
    method_id = demo.get("/me/payment/method", default=True)[0]
    with pytest.raises(ovh.exceptions.BadParametersError, match="already been paid"):
        demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": method_id})  # never a second charge
    assert [o["description"] for o in control.paid_orders(DEMO_NIC)] == ["clearing"]
    assert control.paid_orders(description="other") == []
    wait_status(demo, order_id, "delivered")
    assert labels(demo, order_id) == {
        "VALIDATING": ("DONE", PAID), "VALIDATED": ("DONE", ["ORDER_ACCEPTED"]), "DELIVERING": ("DONE", ["DELIVERY"]),
        "AVAILABLE": ("DONE", ["INVOICE_SENT"])}


@pytest.mark.parametrize("pay", ["pay", "fidelityAccount"])
def test_pay_and_pay_with_registered_payment_mean_start_the_payment_history(demo, control, pay):
    control.config(payment_clearing_delay=0.0, order_checking_delay=5)
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    if pay == "pay":
        demo.post("/me/order/%d/pay" % order_id, paymentMethod={"id": demo.get("/me/payment/method", default=True)[0]})
    else:
        demo.post("/me/order/%d/payWithRegisteredPaymentMean" % order_id, paymentMean="fidelityAccount")
    assert labels(demo, order_id)["VALIDATING"] == ("DONE", PAID)
    assert labels(demo, order_id)["VALIDATED"] == ("DOING", ["ORDER_ACCEPTED"])
    with pytest.raises(ovh.exceptions.BadParametersError):
        demo.post("/me/order/%d/payWithRegisteredPaymentMean" % order_id, paymentMean="fidelityAccount")
    assert len(control.paid_orders()) == 1


def test_a_payment_that_never_clears_stays_initiated(demo, control):
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    control.never_payable(order_id)
    demo.post("/me/order/%d/payWithRegisteredPaymentMean" % order_id, paymentMean="fidelityAccount")
    time.sleep(0.3)  # kept: past the 0.2 s order delays, so that a payment wrongly cleared would have moved the order on
    assert demo.get("/me/order/%d/status" % order_id) == "notPaid"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", ["ORDER_STARTED", "REGISTERED_PAYMENT_INITIATED"])
    assert control.paid_orders()[0]["status"] == "notPaid"


@pytest.mark.parametrize("label", ["FRAUD_DOCS_REQUESTED", "FRAUD_MANUAL_REVIEW"])
def test_an_order_held_by_anti_fraud_stays_checking_and_is_never_delivered(demo, control, label):
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert control.order_fraud(order_id, label) == {"orderId": order_id, "status": "checking", "fraud": label}
    time.sleep(0.6)  # kept: longer than the checking and delivering delays, that a held order must outlast
    assert demo.get("/me/order/%d/status" % order_id) == "checking"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", PAID + [label])
    assert [s["status"] for s in demo.get("/me/order/%d/followUp" % order_id)] == ["DOING", "TODO", "TODO", "TODO"]
    assert demo.get("/cloud/project") == []
    (order,) = control.orders()
    assert (order["status"], order["fraud"], order["paid"]) == ("checking", label, True)
    control.reschedule_order(order_id, order_checking_delay=0, order_delivering_delay=0)  # the review passed
    wait_status(demo, order_id, "delivered")
    assert label in labels(demo, order_id)["VALIDATING"][1]


def test_anti_fraud_set_before_payment_applies_when_the_payment_clears(demo, control):
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id, auto_pay=False)["orderId"]
    assert control.order_fraud(order_id, "FRAUD_MANUAL_REVIEW")["status"] == "notPaid"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", ["ORDER_STARTED"])
    demo.post("/me/order/%d/payWithRegisteredPaymentMean" % order_id, paymentMean="fidelityAccount")
    time.sleep(0.6)  # kept: longer than the checking and delivering delays, that a held order must outlast
    assert demo.get("/me/order/%d/status" % order_id) == "checking"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", PAID + ["FRAUD_MANUAL_REVIEW"])


def test_an_order_refused_by_anti_fraud_is_cancelled(demo, control):
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    assert control.order_fraud(order_id, "FRAUD_REFUSED")["status"] == "cancelling"
    wait_status(demo, order_id, "cancelled")
    assert labels(demo, order_id)["VALIDATING"] == ("ERROR", PAID + ["FRAUD_REFUSED"])
    assert demo.get("/cloud/order") == [] and demo.get("/cloud/project") == []
    with pytest.raises(ControlError) as late:
        control.order_fraud(order_id, "FRAUD_MANUAL_REVIEW")
    assert late.value.status == 400


def test_anti_fraud_labels_and_orders_are_checked(demo, control):
    with pytest.raises(ControlError) as unknown:
        control.order_fraud(999, "FRAUD_REFUSED")
    assert unknown.value.status == 404
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    with pytest.raises(ControlError) as bad:
        control.order_fraud(order_id, "FRAUD_CHECK")
    assert bad.value.status == 400
    wait_status(demo, order_id, "delivered")
    with pytest.raises(ControlError) as delivered:
        control.order_fraud(order_id, "FRAUD_REFUSED")
    assert delivered.value.status == 400


def test_by_default_an_auto_paid_order_is_delivered_with_a_plain_history(demo, control):
    cart_id, _item = ordered_cart(demo, description="plain")
    order_id = checkout(demo, cart_id)["orderId"]
    wait_status(demo, order_id, "delivered")
    assert all(status == "DONE" for status, _history in labels(demo, order_id).values())
    (order,) = control.paid_orders()
    assert (order["orderId"], order["status"], order["paid_with"], order["fraud"], order["application_key"]) == (
        order_id, "delivered", "autoPay:free", None, DEMO_KEYS[0])


def test_challenge_payment_method_can_be_required_by_eligibility(demo, control):
    assert demo.get("/cloud/eligibility")["actionsRequired"] == []
    control.set_eligibility_actions(DEMO_NIC, ["challengePaymentMethod"])
    assert demo.get("/cloud/eligibility")["actionsRequired"] == ["challengePaymentMethod"]
    assert control.account(DEMO_NIC)["eligibility_actions"] == ["challengePaymentMethod"]


def test_an_order_held_for_documents_may_show_the_documents_requested_status(demo, control):
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    held = control.order_fraud(order_id, "FRAUD_DOCS_REQUESTED", status="documentsRequested")
    assert held["status"] == "documentsRequested"
    time.sleep(0.6)  # kept: longer than the checking and delivering delays, that a held order must outlast
    assert demo.get("/me/order/%d/status" % order_id) == "documentsRequested"
    assert labels(demo, order_id)["VALIDATING"] == ("DOING", PAID + ["FRAUD_DOCS_REQUESTED"])
    assert [(o["orderId"], o["status"]) for o in demo.get("/cloud/order")] == [(order_id, "delivering")]
    with pytest.raises(ControlError) as bad:
        control.order_fraud(order_id, "FRAUD_MANUAL_REVIEW", status="delivering")
    assert bad.value.status == 400
    control.reschedule_order(order_id, order_checking_delay=0, order_delivering_delay=0)
    wait_status(demo, order_id, "delivered")
