# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project: clear failures, before any write where possible, and nothing left behind.

Bad input (options, credentials, vouchers, plans, answers the module does not expect) is catalogued in
test_bad_input.py; this file covers the account's state: payment, quota, cancelled orders, required configuration.
"""

import threading
import time

from conftest import StartedRun, run_module, wait_until

PRICED = {"FR": [{"planCode": "project.2018", "prices": [{"duration": "P1M", "pricingMode": "default", "price": 10.0}]}]}


def live_carts(sim):
    return [c for c in sim.state()["carts"] if not c.get("expired")]


def test_required_configuration_the_module_cannot_fill(sim):
    sim.config(required_configuration={"project.2018": [
        {"label": "description", "type": "string", "required": False},
        {"label": "region", "type": "string", "required": True}]})
    run = run_module(sim, name="needs-region")
    assert run.result["failed"] is True and "region" in run.result["msg"]
    assert live_carts(sim) == [] and sim.checkouts() == []


def test_priced_order_without_a_default_payment_method_fails_before_checkout(sim):
    # a valid payment method exists but none is the default: nothing could pay a priced order, so none is placed
    sim.reset_demo_account(payment_methods=[{"type": "CREDIT_CARD", "status": "VALID", "default": False}])
    sim.config(offers=PRICED)
    run = run_module(sim, name="unpaid")
    assert run.result["failed"] is True
    assert run.result["failure"]["step"] == "check payment method"
    assert "no default payment method" in run.result["msg"] and "auto_pay: false" in run.result["msg"]
    assert sim.checkouts() == [] and sim.state()["orders"] == []
    assert live_carts(sim) == []


def test_refused_payment_fails_naming_the_order_and_is_never_repeated(sim):
    sim.config(offers=PRICED)
    run = StartedRun(sim, {"name": "refused-pay"})
    # the order is paid ORDER_SETTLE after checkout: catch it in between (or stop waiting if the run ended first)
    wait_until(lambda: sim.state()["orders"] or run.proc.poll() is not None, what="the run's checkout")
    order_id = sim.state()["orders"][0]["orderId"]
    sim.control("POST", "/_sim/orders/%s/never_payable" % order_id, {"mode": "refuse"})
    run = run.wait()
    assert run.result["failed"] is True, run.output
    assert run.result["failure"]["step"] == "pay order"
    assert str(order_id) in run.result["msg"] and "https://" in run.result["msg"]
    assert len(sim.calls("POST", r"/me/order/\d+/pay")) == 1  # read again after the refusal, never paid again
    assert len(sim.checkouts()) == 1


def test_cancelled_order_fails_naming_it(sim):
    sim.config(order_checking_delay=3)

    run_ended = threading.Event()
    cancelled = []

    def cancel_when_placed():
        # until the order appears, however long the run takes to get there (the race guard's settle, a loaded machine)
        while not run_ended.is_set():
            orders = sim.state()["orders"]
            if orders:
                sim.control("POST", "/_sim/orders/%s/cancel" % orders[0]["orderId"])
                cancelled.append(orders[0]["orderId"])
                return
            time.sleep(0.1)

    canceller = threading.Thread(target=cancel_when_placed)
    canceller.start()
    try:
        run = run_module(sim, name="cancelled")
    finally:
        run_ended.set()
        canceller.join()
    assert cancelled, "the order was never placed: %s" % run.output
    assert run.result["failed"] is True, run.result
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
