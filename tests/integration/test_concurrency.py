# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs that share nothing but the API: started together, or killed mid-run, a name is still ordered exactly once.

Each run is a separate ansible-playbook process with its own HOME and temporary directory (StartedRun): the race
guard (docs/design.md, "Concurrent runs") may only rely on what the API shows every run, the carts.
"""

import datetime
import time

import ovh

from conftest import DEMO_CREDENTIALS, StartedRun, run_module, wait_until

LEASE = 300  # seconds a cart of the collection lives (plugins/module_utils/_race_guard.py LEASE)


def open_carts(sim):
    """Carts that are neither checked out nor expired: what a run would leave behind."""
    return [c for c in sim.state()["carts"] if not c["expired"] and not c["readOnly"]]


def test_runs_started_together_order_once_and_all_end_with_the_project(sim):
    # the auto-paid order is notPaid for 2 s: the runs that follow it must wait, not report it unpaid
    sim.config(payment_clearing_delay=2)
    # line the runs up: each one's checkout summary (the last call before the guard and the last look), then each
    # one's listing of the carts for the name (the guard's election), is held until all four have sent it, so that
    # they decide at the same moment, as jobs launched together may
    sim.fault(method="GET", path=r"^/order/cart/[^/]+/checkout$", kind="barrier", count=4, latency_ms=120000)
    sim.fault(method="GET", path=r"^/order/cart$", kind="barrier", count=4, latency_ms=60000)
    runs = [StartedRun(sim, {"name": "raced"}) for dummy in range(4)]
    results = [run.wait() for run in runs]
    for run in results:
        assert run.result is not None and not run.result.get("failed"), run.output
        assert run.result["pending_payment"] is False, run.result
        assert run.result["project"]["status"] == "ok", run.result
    assert len(sim.checkouts()) == 1
    assert len(sim.state()["orders"]) == 1
    assert len(set(r.result["project"]["project_id"] for r in results)) == 1
    assert [r.result["changed"] for r in results].count(True) == 1
    assert open_carts(sim) == []


def kill_after(sim, method, path, timeout=120):
    """Start a run for "killed"; SIGKILL it as soon as it sends ``method path``, which a latency fault holds unprocessed
    (the rule leaves the fault list when a request takes it: the journal only shows a request once it is answered)."""
    sim.fault(method=method, path=path, kind="latency", latency_ms=60000)
    run = StartedRun(sim, {"name": "killed"})
    wait_until(lambda: not sim.faults(), timeout, "the run to send %s %s" % (method, path))
    run.kill()


def test_run_killed_before_checkout_blocks_the_name_only_for_its_lease(sim):
    kill_after(sim, "GET", r"^/order/cart$")  # killed after its cart was created and filled, before the election
    assert len(open_carts(sim)) == 1  # left behind, with a five-minute life
    sim.advance_clock(LEASE + 1)
    assert open_carts(sim) == []
    rerun = run_module(sim, name="killed")
    assert rerun.result["changed"] is True and not rerun.result.get("failed"), rerun.output
    assert len(sim.checkouts()) == 1
    assert open_carts(sim) == []


def test_rerun_waits_for_a_killed_runs_cart_then_takes_over(sim):
    kill_after(sim, "GET", r"^/order/cart$")
    dead = open_carts(sim)[0]["cartId"]
    # the dead run's cart has a few seconds of lease left when the rerun looks at the carts: the rerun must wait for
    # it, then order once. The lease is cut short once the rerun has announced its own cart (the guard lists the
    # carts SETTLE = 4 s later), so that a slow start of the rerun on a loaded machine cannot outlast it.
    client = ovh.Client(endpoint="ovh-eu", application_key=DEMO_CREDENTIALS["OVH_APPLICATION_KEY"],
                        application_secret=DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"],
                        consumer_key=DEMO_CREDENTIALS["OVH_CONSUMER_KEY"])
    client._endpoint = sim.base_url  # pylint: disable=protected-access
    started = StartedRun(sim, {"name": "killed"})
    wait_until(lambda: len(sim.calls("POST", r"^/order/cart$")) >= 2, what="the rerun to announce its cart")
    assert len(sim.calls("POST", r"^/order/cart$")) == 2
    assert not sim.calls("GET", r"^/order/cart$")[1:], "the rerun listed the carts before the dead cart's lease was cut"
    expire = sim.clock()["epoch"] + 10
    client.put("/order/cart/%s" % dead, expire=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(expire)))
    rerun = started.wait()
    assert rerun.result["changed"] is True and not rerun.result.get("failed"), rerun.output
    assert any("stopped without an order" in w for w in rerun.result.get("warnings", [])), rerun.result
    checkout_time = datetime.datetime.fromisoformat(sim.checkouts()[0]["time"]).timestamp()
    assert checkout_time >= expire  # not before the dead run's lease ended
    assert len(sim.checkouts()) == 1
    assert len(sim.calls("DELETE", r"/order/cart/%s" % dead)) == 0  # never another run's cart
    assert open_carts(sim) == []


def test_run_killed_between_checkout_and_payment_is_finished_by_the_rerun(sim):
    kill_after(sim, "GET", r"^/me/order/\d+/status$")  # its order placed, not paid yet (paid once checked)
    assert len(sim.checkouts()) == 1
    assert [o["paid_with"] for o in sim.orders()] == [None]
    rerun = run_module(sim, name="killed")
    assert not rerun.result.get("failed"), rerun.output
    assert rerun.result["changed"] is True  # it paid the order
    assert rerun.result["project"]["status"] == "ok"
    assert len(sim.checkouts()) == 1
    assert len(sim.paid_orders()) == 1
    assert len(sim.calls("POST", r"/me/order/\d+/(pay|payWithRegisteredPaymentMean)")) == 1
    assert open_carts(sim) == []


def test_run_killed_after_payment_is_followed_by_the_rerun(sim):
    kill_after(sim, "GET", r"^/me/order/\d+/details/\d+$")  # read only once an order is delivered: after payment
    assert len(sim.paid_orders()) == 1
    sim.clear_journal()
    rerun = run_module(sim, name="killed")
    assert not rerun.result.get("failed"), rerun.output
    assert rerun.result["changed"] is False
    assert rerun.result["project"]["status"] == "ok"
    assert sim.writes() == []
    assert len(sim.paid_orders()) == 1
    assert open_carts(sim) == []
