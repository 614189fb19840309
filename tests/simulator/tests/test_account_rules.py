"""Account-level rules: vouchers, API ordering allowed, project quota, /cloud/eligibility."""

import ovh
import pytest

from sim_helpers import DEMO_NIC, add_project_item, checkout, configure, make_client, new_cart, ordered_cart


def test_unknown_voucher_is_refused_at_configuration(demo):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.BadParametersError, match="Voucher NOPE.*unknown"):
        configure(demo, cart_id, item_id, "voucher", "NOPE")
    with pytest.raises(ovh.exceptions.BadParametersError, match="Voucher NOPE"):
        demo.get("/cloud/eligibility", voucher="NOPE")


def test_used_voucher_is_refused(demo, control):
    control.post("/_sim/accounts/%s/vouchers" % DEMO_NIC, {"code": "USED1", "credit": 10, "used": True})
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.BadParametersError, match="Voucher USED1.*already been used"):
        configure(demo, cart_id, item_id, "voucher", "USED1")
    with pytest.raises(ovh.exceptions.BadParametersError, match="USED1"):
        demo.get("/cloud/eligibility", voucher="USED1")


def test_voucher_of_another_subsidiary_is_refused_by_the_cart_only(demo, control):
    control.seed_vouchers(DEMO_NIC, {"code": "FRONLY", "credit": 10, "subsidiary": "FR"})
    assert demo.get("/cloud/eligibility", voucher="FRONLY")["voucher"]["credit"]["value"] == 10  # no subsidiary there
    cart_id = new_cart(demo, subsidiary="DE")
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.BadParametersError, match="Voucher FRONLY is not valid: .*subsidiary FR.* DE"):
        configure(demo, cart_id, item_id, "voucher", "FRONLY")
    assert ordered_cart(demo, voucher="FRONLY", subsidiary="FR")
    assert [v["subsidiary"] for v in control.account(DEMO_NIC)["vouchers"]] == ["FR"]
    control.post("/_sim/accounts/%s/vouchers" % DEMO_NIC, {"code": "MARS", "credit": 1, "subsidiary": "MARS"}, expect=400)


def test_voucher_needs_an_assigned_cart(demo, control):
    control.post("/_sim/accounts/%s/vouchers" % DEMO_NIC, {"code": "GOOD", "credit": 10})
    cart_id = new_cart(demo, assign=False)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.BadParametersError, match="GOOD"):
        configure(demo, cart_id, item_id, "voucher", "GOOD")


def test_voucher_reduces_the_price_and_is_used_once(demo, control):
    control.set_price(30)
    control.post("/_sim/accounts/%s/vouchers" % DEMO_NIC, {"code": "CLOUD10", "credit": 10})
    info = demo.get("/cloud/eligibility", voucher="CLOUD10")["voucher"]
    assert info["credit"]["value"] == 10 and info["paymentMethodRequired"] is True
    cart_id, _item = ordered_cart(demo, voucher="CLOUD10")
    preview = demo.get("/order/cart/%s/checkout" % cart_id)
    assert preview["prices"]["withoutTax"]["value"] == 20 and preview["prices"]["originalWithoutTax"]["value"] == 30
    assert preview["prices"]["reduction"]["value"] == 10
    order = checkout(demo, cart_id)
    assert order["prices"]["withoutTax"]["value"] == 20
    project_line = [d for d in order["details"] if d["detailType"] == "DURATION"][0]
    assert project_line["totalPrice"]["value"] == 20 and project_line["reductions"][0]["context"] == "voucher"
    assert [v["used"] for v in control.state()["accounts"][0]["vouchers"]] == [True]
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(ovh.exceptions.BadParametersError, match="CLOUD10"):
        configure(demo, cart_id, item_id, "voucher", "CLOUD10")


def test_voucher_used_by_another_checkout_meanwhile_is_refused(demo, control):
    control.post("/_sim/accounts/%s/vouchers" % DEMO_NIC, {"code": "ONCE", "credit": 5})
    first, _item = ordered_cart(demo, voucher="ONCE")
    second, _item = ordered_cart(demo, description="second", voucher="ONCE")
    checkout(demo, first)
    with pytest.raises(ovh.exceptions.BadParametersError, match="ONCE"):
        checkout(demo, second)


def test_api_ordering_not_allowed(demo, control):
    control.post("/_sim/accounts/%s/settings" % DEMO_NIC, {"api_order_allowed": False})
    # No documented eligibility action means "use the Control Panel": eligibility says nothing because of the flag.
    assert demo.get("/cloud/eligibility")["actionsRequired"] == []
    cart_id, _item = ordered_cart(demo)
    for call in (lambda: checkout(demo, cart_id), lambda: demo.get("/order/cart/%s/checkout" % cart_id)):
        with pytest.raises(ovh.exceptions.APIError, match="Control Panel") as excinfo:
            call()
        assert excinfo.value.response.status_code == 403
        assert excinfo.value.response.json()["class"] == "Client::Forbidden"
    assert control.state()["orders"] == [] and demo.get("/me/order") == []
    assert demo.get("/order/cart/%s" % cart_id)["readOnly"] is False


def test_quota_reached(demo, control):
    control.post("/_sim/accounts/%s/settings" % DEMO_NIC, {"quota": 2})
    control.post("/_sim/accounts/%s/projects" % DEMO_NIC, [{"description": "existing"}])
    assert demo.get("/cloud/eligibility")["actionsRequired"] == []
    control.set_price(1)
    cart_id, _item = ordered_cart(demo)
    checkout(demo, cart_id, auto_pay=False)  # in flight: counts against the quota (terraform-provider-ovh #554)
    assert demo.get("/cloud/eligibility")["actionsRequired"] == ["askIncreaseProjectsQuota"]
    cart_id, _item = ordered_cart(demo, description="one too many")
    with pytest.raises(ovh.exceptions.APIError, match="maximum number of Public Cloud projects") as excinfo:
        checkout(demo, cart_id)
    assert excinfo.value.response.status_code == 403
    with pytest.raises(ovh.exceptions.APIError, match="maximum"):
        demo.get("/order/cart/%s/checkout" % cart_id)


def test_eligibility_payment_method_and_extra_actions(sim, demo, control):
    info = demo.get("/cloud/eligibility")
    assert set(info) == {"actionsRequired", "minimumCredit", "paymentMethodsAuthorized", "voucher"}
    assert info["actionsRequired"] == [] and info["voucher"] is None
    control.post("/_sim/accounts", {"nichandle": "nopm-ovh", "payment_methods": [], "eligibility_actions": ["verifyPaypal"]})
    client = make_client(sim.base_url, "nopm-ovh-application-key", "nopm-ovh-application-secret", "nopm-ovh-consumer-key")
    assert client.get("/cloud/eligibility")["actionsRequired"] == ["addPaymentMethod", "verifyPaypal"]
    control.post("/_sim/accounts/nopm-ovh/eligibility_actions", [])
    control.post("/_sim/accounts/nopm-ovh/payment_methods", {"type": "PAYPAL", "status": "VALID", "default": True})
    assert client.get("/cloud/eligibility")["actionsRequired"] == []
