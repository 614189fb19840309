# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project: orders in flight are followed, never placed twice (timeouts, crashes, lost answers, unpaid)."""

import pytest

from conftest import run_module, run_releasing, wait_until


def test_auto_pay_false_returns_order_and_url_then_rerun_orders_nothing(sim):
    run = run_module(sim, name="pay-later", auto_pay=False)
    result = run.result
    assert result["changed"] is True and not result.get("failed"), run.output
    assert result["pending_payment"] is True
    assert result["project"] is None
    assert result["order"]["status"] == "notPaid"
    assert result["order"]["order_id"] and result["order"]["url"].startswith("https://")
    assert sim.checkouts()[0]["body"]["autoPayWithPreferredPaymentMethod"] is False

    rerun = run_module(sim, name="pay-later", auto_pay=False)
    assert rerun.result["changed"] is False, rerun.output
    assert rerun.result["pending_payment"] is True
    assert rerun.result["order"]["order_id"] == result["order"]["order_id"]
    assert len(sim.checkouts()) == 1
    assert len(sim.calls("POST", "/order/cart")) == 1


# Orders below are held with a long checking delay (whatever the machine's load, they are still in flight when the
# first run has ended and when the rerun finds them), then released once the rerun follows them.
HOLD = 600


def rerun_following(sim, order_id, **args):
    """Run the module again; once it reads the held order's status (it follows the order), let the order deliver."""
    return run_releasing(sim, order_id, lambda: run_module(sim, **args))


def test_wait_timeout_then_rerun_follows_the_same_order(sim):
    sim.config(order_checking_delay=HOLD)
    run = run_module(sim, name="slow-project", wait_timeout=1)
    assert run.result["failed"] is True
    order_id = sim.state()["orders"][0]["orderId"]
    assert str(order_id) in run.result["msg"]
    assert "rerun" in run.result["msg"]
    assert run.result["changed"] is True  # an order was placed

    # the order is still in flight: the rerun must find it and follow it to the end
    assert sim.state()["orders"][0]["status"] != "delivered"
    rerun = rerun_following(sim, order_id, name="slow-project")
    assert not rerun.result.get("failed"), rerun.output
    assert rerun.result["changed"] is False
    assert rerun.result["order"]["order_id"] == order_id, rerun.result
    assert rerun.result["project"]["status"] == "ok"
    assert len(sim.checkouts()) == 1


def test_crash_while_polling_then_rerun_places_no_second_order(sim):
    sim.config(order_checking_delay=HOLD)
    # the status is read three times before the order is paid (the listing of the orders for the name, the payment rule,
    # the check that no payment started): the faults hit the follower's polling
    sim.fault(method="GET", path=r"^/me/order/\d+/status$", kind="status", status=500, count=4, skip=3)
    run = run_module(sim, name="crashy")
    assert run.result["failed"] is True
    assert run.result["failure"]["status"] == 500
    assert run.result["failure"]["query_id"]
    order_id = sim.state()["orders"][0]["orderId"]
    assert str(order_id) in run.result["msg"]
    assert len(sim.calls("GET", r"/me/order/\d+/status")) == 3 + 4  # the follower's first call + 3 retries of a read

    assert sim.state()["orders"][0]["status"] != "delivered"
    rerun = rerun_following(sim, order_id, name="crashy")
    assert not rerun.result.get("failed"), rerun.output
    assert rerun.result["order"]["order_id"] == order_id, rerun.result
    assert rerun.result["project"]["name"] == "crashy"
    assert len(sim.checkouts()) == 1
    assert len(sim.state()["orders"]) == 1


@pytest.mark.parametrize("fault", [dict(kind="drop"), dict(kind="truncate", bytes=25)], ids=["dropped", "cut-short"])
def test_checkout_answer_lost_is_checked_not_retried(sim, fault):
    # The checkout is processed (order placed) but its answer is lost: the connection drops, or the body is cut short
    # (a 200 whose body is not JSON: the outcome is unknown, not a refusal).
    sim.fault(method="POST", path=r"/checkout$", phase="after", count=1, **fault)
    run = run_module(sim, name="lost-answer")
    assert not run.result.get("failed"), run.output
    assert run.result["changed"] is True
    assert run.result["project"]["name"] == "lost-answer"
    assert len(sim.checkouts()) == 1
    assert len(sim.state()["orders"]) == 1


def test_checkout_that_did_not_happen_is_retried_once(sim):
    # The connection drops before the checkout is processed: the cart stays open, so one retry is safe.
    sim.fault(method="POST", path=r"/checkout$", kind="drop", phase="before", count=1)
    run = run_module(sim, name="retried")
    assert not run.result.get("failed"), run.output
    assert len(sim.checkouts()) == 2
    assert len(sim.state()["orders"]) == 1
    assert any("retried once" in w for w in run.result.get("warnings", []))


def test_delivered_order_hidden_by_404_window_is_followed(sim):
    # First run: wait=false leaves right after checkout. The project is then delivered but hidden
    # (404) for a while: a rerun must follow that order, not place another.
    sim.config(project_404_window=30)
    first = run_module(sim, name="hidden", wait=False)
    assert first.result["changed"] is True, first.output
    order_id = first.result["order"]["order_id"]
    sim.config(delivered_retention=0)  # /cloud/order no longer lists it once delivered
    wait_until(lambda: sim.state()["orders"][0]["status"] == "delivered", timeout=30, what="the order's delivery")
    rerun = run_module(sim, name="hidden", wait=False)
    assert rerun.result["changed"] is False, rerun.output
    assert rerun.result["order"]["order_id"] == order_id
    assert len(sim.checkouts()) == 1


def test_unpaid_order_of_an_earlier_run_is_paid_once_by_an_auto_pay_rerun(sim):
    first = run_module(sim, name="unpaid-earlier", auto_pay=False)
    assert first.result["pending_payment"] is True, first.output
    assert sim.paid_orders() == []
    rerun = run_module(sim, name="unpaid-earlier")  # auto_pay defaults to true: the order in flight is paid, once
    assert not rerun.result.get("failed"), rerun.output
    assert rerun.result["changed"] is True
    assert rerun.result["pending_payment"] is False
    assert rerun.result["order"]["order_id"] == first.result["order"]["order_id"]
    assert rerun.result["project"]["status"] == "ok"
    assert len(sim.checkouts()) == 1
    assert [o["orderId"] for o in sim.paid_orders()] == [first.result["order"]["order_id"]]
    assert len(sim.calls("POST", r"/me/order/\d+/(pay|payWithRegisteredPaymentMean)")) == 1
