# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project: clear failures, before any write where possible, and nothing left behind."""

import threading
import time

import pytest

from conftest import run_module

PRICED = {"FR": [{"planCode": "project.2018", "prices": [{"duration": "P1M", "pricingMode": "default", "price": 10.0}]}]}


def live_carts(sim):
    return [c for c in sim.state()["carts"] if not c.get("expired")]


@pytest.mark.parametrize("args, fragment", [
    ({"name": ""}, "name is empty"),
    ({"name": "x" * 65}, "at most 64"),
    ({"name": " padded"}, "leading or trailing"),
    ({"name": "ok", "subsidiary": "XX"}, "subsidiary 'XX'"),
    ({"name": "ok", "duration": "1 month"}, "ISO-8601"),
    ({"name": "ok", "endpoint": "http://api.example.com/1.0"}, "https://"),
    ({"name": "ok", "endpoint": "kimsufi-eu"}, "does not sell Public Cloud"),
    ({"name": "ok", "state": "absent"}, "state=absent is not supported"),
])
def test_bad_input_fails_before_any_api_call(sim, args, fragment):
    run = run_module(sim, **args)
    assert run.result["failed"] is True
    assert fragment in run.result["msg"], run.result["msg"]
    assert sim.journal() == []


def test_subsidiary_of_another_endpoint_is_refused(sim):
    run = run_module(sim, name="ok", subsidiary="QC", endpoint="ovh-eu")
    assert run.result["failed"] is True
    assert "FR" in run.result["msg"] and "QC" in run.result["msg"]
    assert sim.journal() == []


def test_bad_voucher_names_it_and_leaves_no_cart(sim):
    run = run_module(sim, name="vouchered", voucher="NOSUCHCODE")
    assert run.result["failed"] is True
    assert "NOSUCHCODE" in run.result["msg"]
    assert run.result["failure"]["query_id"]
    assert run.result["failure"]["step"] == "check eligibility"
    assert run.result["failure"]["query_id"] in run.result["msg"]
    assert sim.calls("POST", "/order/cart") == []
    assert live_carts(sim) == [] and sim.state()["orders"] == []


def test_used_voucher_is_refused(sim):
    sim.control("POST", "/_sim/accounts/xx1111-ovh/vouchers", [{"code": "USEDONE", "credit": 10, "used": True}])
    run = run_module(sim, name="vouchered", voucher="USEDONE")
    assert run.result["failed"] is True and "USEDONE" in run.result["msg"]
    assert sim.writes() == []


def test_plan_not_offered_lists_offers_and_deletes_the_cart(sim):
    run = run_module(sim, name="exotic", plan_code="project.2099")
    assert run.result["failed"] is True
    assert "project.2099" in run.result["msg"] and "project.2018" in run.result["msg"]
    assert len(sim.calls("POST", "/order/cart")) == 1
    assert len(sim.calls("DELETE", "/order/cart/[^/]+")) == 1
    assert live_carts(sim) == []
    assert sim.checkouts() == []


def test_duration_not_offered_is_refused(sim):
    run = run_module(sim, name="yearly", duration="P1Y")
    assert run.result["failed"] is True and "P1Y" in run.result["msg"]
    assert live_carts(sim) == [] and sim.checkouts() == []


def test_required_configuration_the_module_cannot_fill(sim):
    sim.config(required_configuration={"project.2018": [
        {"label": "description", "type": "string", "required": False},
        {"label": "region", "type": "string", "required": True}]})
    run = run_module(sim, name="needs-region")
    assert run.result["failed"] is True and "region" in run.result["msg"]
    assert live_carts(sim) == [] and sim.checkouts() == []


def test_auto_paid_order_left_not_paid_fails_naming_the_order(sim):
    # a valid payment method exists but none is the default: auto-pay cannot pay a priced order
    sim.reset_demo_account(payment_methods=[{"type": "CREDIT_CARD", "status": "VALID", "default": False}])
    sim.config(offers=PRICED)
    run = run_module(sim, name="unpaid")
    assert run.result["failed"] is True
    order_id = sim.state()["orders"][0]["orderId"]
    assert str(order_id) in run.result["msg"] and "notPaid" in run.result["msg"]
    assert len(sim.checkouts()) == 1


def test_cancelled_order_fails_naming_it(sim):
    sim.config(order_checking_delay=3)

    def cancel_when_placed():
        for _attempt in range(100):
            orders = sim.state()["orders"]
            if orders:
                sim.control("POST", "/_sim/orders/%s/cancel" % orders[0]["orderId"])
                return
            time.sleep(0.1)

    canceller = threading.Thread(target=cancel_when_placed)
    canceller.start()
    run = run_module(sim, name="cancelled")
    canceller.join()
    assert run.result["failed"] is True
    order_id = sim.state()["orders"][0]["orderId"]
    assert str(order_id) in run.result["msg"] and "cancel" in run.result["msg"]


def test_no_payment_method_fails_before_any_cart(sim):
    sim.reset_demo_account(payment_methods=[])
    run = run_module(sim, name="no-card")
    assert run.result["failed"] is True
    assert "payment method" in run.result["msg"]
    assert run.result["actions_required"] == ["addPaymentMethod"]
    assert sim.writes() == []


def test_quota_reached_fails_before_any_cart(sim):
    sim.control("POST", "/_sim/accounts/xx1111-ovh/settings", {"quota": 1})
    sim.seed_projects("xx1111-ovh", [{"description": "first"}])
    run = run_module(sim, name="second")
    assert run.result["failed"] is True
    assert "quota" in run.result["msg"]
    assert sim.writes() == []


def test_account_refused_api_orders_is_explained(sim):
    sim.control("POST", "/_sim/accounts/xx1111-ovh/settings", {"api_order_allowed": False})
    run = run_module(sim, name="newcomer")
    assert run.result["failed"] is True
    assert "first project in the Control Panel" in run.result["msg"]  # the module's explanation, not only the API's
    assert "Nothing was ordered" in run.result["msg"]
    assert run.result["failure"]["status"] == 403
    assert sim.state()["orders"] == []
    assert live_carts(sim) == []


def test_check_mode_reports_the_catalogue_price(sim):
    sim.config(offers=PRICED)
    run = run_module(sim, name="priced", check=True)
    assert run.result["changed"] is True, run.output
    assert run.result["order"]["prices"] == {"with_tax": 12.0, "without_tax": 10.0}
    assert run.result["order"]["currency"] == "EUR"
    assert sim.calls("GET", "/order/catalog/public/cloud")[0]["query"] == {"ovhSubsidiary": "FR"}
    assert sim.writes() == []
