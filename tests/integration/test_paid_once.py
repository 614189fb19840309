# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exactly one PAID order per project name, under the awkward API behaviours the race guard cannot rule out.

Every run checks out without paying, lets the order listings settle, then one rule (a paid order if any, else the lowest
orderId not cancelled) picks the order that is paid; the others stay unpaid and are reported (``unpaid_orders``).
Each test sets one of the simulator's "Awkward API options" (docs/simulator.md) and checks, on the simulator's records
AND on every run's result, that one order was paid and every run ends with that one project.

Races are separate ansible-playbook processes started together (StartedRun), as AWX jobs on separate nodes.
"""

import time

import ovh
import pytest

from conftest import DEMO_CREDENTIALS, StartedRun, run_module, wait_until

NIC = "xx1111-ovh"
# A second application of the demo account (same nichandle, its own application and consumer key).
SECOND_CREDENTIALS = {
    "OVH_APPLICATION_KEY": "second-application-key",
    "OVH_APPLICATION_SECRET": "second-application-secret",
    "OVH_CONSUMER_KEY": "second-consumer-key",
}
PAY_CALLS = r"/me/order/\d+/(pay|payWithRegisteredPaymentMean)"
LEASE = 300  # seconds a cart of the collection lives (plugins/module_utils/_race_guard.py LEASE)


def add_second_application(sim):
    sim.add_application(NIC, SECOND_CREDENTIALS["OVH_APPLICATION_KEY"], SECOND_CREDENTIALS["OVH_APPLICATION_SECRET"],
                        SECOND_CREDENTIALS["OVH_CONSUMER_KEY"])


def api_client(sim, credentials=None):
    """A python-ovh client of the simulator (the demo application unless told): what a person or a script would do."""
    credentials = credentials or DEMO_CREDENTIALS
    client = ovh.Client(endpoint="ovh-eu", application_key=credentials["OVH_APPLICATION_KEY"],
                        application_secret=credentials["OVH_APPLICATION_SECRET"],
                        consumer_key=credentials["OVH_CONSUMER_KEY"])
    client._endpoint = sim.base_url  # pylint: disable=protected-access
    return client


def race(sim, name, credentials, **module_args):
    """One run per entry of ``credentials``, started together; their PlaybookRuns, in the same order."""
    started = [StartedRun(sim, dict(module_args, name=name), credentials=c) for c in credentials]
    return [run.wait() for run in started]


def line_up_cart_assignments(sim, runs):
    """Hold each run's cart assignment until all ``runs`` runs have sent theirs: the carts are announced together, as
    by jobs launched together (a run started a few seconds late would find the first run's order and never race)."""
    sim.fault(method="POST", path=r"^/order/cart/[^/]+/assign$", kind="barrier", count=runs, latency_ms=60000)


def line_up_checkouts(sim, runs):
    """Hold each run's checkout until all ``runs`` runs have sent theirs: every run passed the guard before any order
    exists (the guard was blind), so only the payment rule stands between them and several paid orders."""
    sim.fault(method="POST", path=r"^/order/cart/[^/]+/checkout$", kind="barrier", count=runs, latency_ms=60000)


def name_orders(sim, name):
    return [o for o in sim.orders() if o["description"] == name]


def assert_paid_once(sim, name, runs, journal_complete=True):
    """The promise, on the simulator's records and on every run's result: one paid order for ``name``, paid with one
    call; no run failed; every run reports that order's project, named ``name``; every other order for the name is
    left unpaid and reported by a run (``journal_complete``: the journal holds every run's calls). Returns the paid
    order."""
    # the promise first (one paid order, no failed run, one project for every run), then how it was kept
    paid = sim.paid_orders(description=name)
    assert len(paid) == 1, paid
    paid = paid[0]
    for run in runs:
        assert run.result is not None, run.output
        assert not run.result.get("failed"), run.result.get("msg") or run.output
    project_ids = set(run.result["project"]["project_id"] for run in runs)
    assert len(project_ids) == 1, [run.result["project"] for run in runs]
    for run in runs:
        assert run.result["pending_payment"] is False, run.result
    if journal_complete:
        assert len(sim.calls("POST", PAY_CALLS)) == 1, sim.calls("POST", PAY_CALLS)
    for run in runs:
        project = run.result["project"]
        assert project["name"] == name and project["status"] == "ok", project
        assert project["order_id"] in (None, paid["orderId"]), project
        if run.result["order"] is not None:
            assert run.result["order"]["order_id"] == paid["orderId"], run.result["order"]
    assert [p["project_id"] for p in sim.state()["projects"] if p["description"] == name] == list(project_ids)
    reported = set(o["order_id"] for run in runs for o in run.result["unpaid_orders"])
    others = set(o["orderId"] for o in name_orders(sim, name)) - {paid["orderId"]}
    assert reported == others, (reported, others)
    assert paid["orderId"] not in reported
    for run in runs:
        for entry in run.result["unpaid_orders"]:
            assert entry["url"] and entry["url"].startswith("https://"), entry
            assert any("order %s for %r was left unpaid" % (entry["order_id"], name) in w
                       for w in run.result.get("warnings", [])), run.result.get("warnings")
    assert sum(run.result["changed"] for run in runs) >= 1
    return paid


def assert_each_unpaid_order_reported_by_its_run(sim, name, runs, credentials):
    """With one application per run: the order a run placed and that was not paid is in that run's unpaid_orders."""
    for order in name_orders(sim, name):
        if order["paid_with"] is not None:
            continue
        owner = [run for run, creds in zip(runs, credentials)
                 if creds["OVH_APPLICATION_KEY"] == order["application_key"]]
        assert len(owner) == 1, order
        assert order["orderId"] in [o["order_id"] for o in owner[0].result["unpaid_orders"]], owner[0].result


def test_stale_project_listing_is_read_fresh_on_a_rerun(sim):
    # the expanded listing of /cloud/project is a snapshot refreshed every 10 minutes, and /cloud/order forgets a
    # delivered order at once: only a fresh read (Pragma: no-cache) shows the rerun the project it ordered
    sim.config(project_listing_cache=600, delivered_retention=0)
    first = run_module(sim, name="stale")
    assert first.result["changed"] is True and not first.result.get("failed"), first.output
    project_id = first.result["project"]["project_id"]
    # the cache is stale indeed: a cached read does not show the new project
    cached = api_client(sim).raw_call("GET", "/cloud/project", headers={
        "X-Pagination-Mode": "CachedObjectList-Pages", "X-Pagination-Size": "100", "X-Pagination-Number": "1"})
    assert project_id not in [p["project_id"] for p in cached.json()], cached.json()
    first_run_pay_calls = len(sim.calls("POST", PAY_CALLS))
    sim.clear_journal()
    rerun = run_module(sim, name="stale")
    assert not rerun.result.get("failed"), rerun.output
    assert rerun.result["changed"] is False, rerun.result
    assert rerun.result["project"]["project_id"] == project_id
    assert rerun.result["project"]["name"] == "stale"
    assert sim.writes() == []
    listings = sim.calls("GET", r"/cloud/project")
    assert listings, sim.journal()
    assert [e.get("pragma") for e in listings] == ["no-cache"] * len(listings), listings
    assert len(sim.checkouts()) == 0
    assert_paid_once(sim, "stale", [first, rerun], journal_complete=False)
    assert first_run_pay_calls == 1


def test_slow_calls_inside_the_guard(sim):
    # Run A's POST /order/cart answers 10 s late: its cart's expire (the election key) was computed before the call,
    # but the cart becomes visible only then. Run B, started meanwhile, elects itself alone (A's cart not assigned yet),
    # then its last look at /cloud/order answers 12 s late. A, once assigned, finds its key before B's and checks out;
    # B checks out after its slow answer: without lease renewal and payment rule, two paid orders.
    sim.fault(method="POST", path=r"^/order/cart$", kind="latency", count=1, latency_ms=10000, phase="after")
    first = StartedRun(sim, {"name": "slow-calls"})
    wait_until(lambda: not sim.faults(), what="run A's cart creation")
    # B's first /cloud/order is its look before ordering; its second is the last look before checkout
    sim.fault(method="GET", path=r"^/cloud/order$", kind="latency", count=1, skip=1, latency_ms=12000, phase="after")
    second = StartedRun(sim, {"name": "slow-calls"})
    runs = [first.wait(), second.wait()]
    paid = assert_paid_once(sim, "slow-calls", runs)
    renewals = [e for e in sim.calls("PUT", r"/order/cart/[^/]+") if "expire" in (e["body"] or {})]
    assert renewals, "the slow run did not renew its cart's lease"
    assert paid["orderId"] in [o["orderId"] for o in sim.orders()]


@pytest.mark.parametrize("settings, name", [
    # each application lists the other's carts only 8 s after they were assigned: the guard's election (4 s after
    # announcing) and its last look before checkout cannot see the other run
    (dict(cart_listing_lag=8), "lagging-carts"),
    # each application never lists the other's carts
    (dict(carts_per_application=True), "own-carts"),
], ids=["listed-late", "listed-per-application"])
def test_carts_of_another_application_unseen(sim, settings, name):
    # the race guard is blind between two applications of one account; the payment rule still pays one order
    add_second_application(sim)
    sim.config(**settings)
    line_up_cart_assignments(sim, 2)
    line_up_checkouts(sim, 2)
    credentials = [DEMO_CREDENTIALS, SECOND_CREDENTIALS]
    runs = race(sim, name, credentials)
    assert_paid_once(sim, name, runs)
    assert len(sim.checkouts()) == 2  # the guard was blind: both checked out
    assert_each_unpaid_order_reported_by_its_run(sim, name, runs, credentials)


def test_checked_out_carts_unlisted_and_orders_listed_late(sim):
    # a checked-out cart leaves the listing at once, and its order is listed only 3 s later: a run that waits for the
    # run ahead sees its cart vanish with no order yet
    sim.config(checked_out_carts_unlisted=True, order_listing_lag=3)
    runs = race(sim, "vanishing-cart", [None, None])
    assert_paid_once(sim, "vanishing-cart", runs)
    assert 1 <= len(sim.checkouts()) <= 2


def test_checkout_of_an_expired_cart_accepted(sim):
    # run A's checkout is held until run B's arrives; meanwhile A's cart expires, so B, started then, sees no cart and
    # orders too.
    # The API then accepts A's checkout of its expired cart: two orders for the name, one of them paid
    sim.config(accept_expired_checkout=True)
    line_up_checkouts(sim, 2)  # A's checkout is held until B's arrives
    first = StartedRun(sim, {"name": "expired-cart"})
    wait_until(lambda: [f for f in sim.faults() if f["count"] == 1], what="run A's checkout")
    cart_id = [c for c in sim.state()["carts"] if not c["expired"]][0]["cartId"]
    expire = sim.clock()["epoch"] + 2
    api_client(sim).put("/order/cart/%s" % cart_id, expire=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(expire)))
    wait_until(lambda: sim.clock()["epoch"] > expire + 0.5, what="the cart's expiry")
    second = StartedRun(sim, {"name": "expired-cart"})
    runs = [first.wait(), second.wait()]
    assert_paid_once(sim, "expired-cart", runs)
    assert len(sim.checkouts()) == 2, sim.checkouts()
    assert len(name_orders(sim, "expired-cart")) == 2  # the expired cart's checkout was accepted
    assert [c["cartId"] for c in sim.state()["carts"] if c["readOnly"]].count(cart_id) == 1


def order_then_rename(sim, name, new_name):
    """Order ``name``, then rename its project ``new_name`` (PUT /cloud/project/{id}, as a person in the Control Panel);
    /cloud/order keeps listing the delivered order. The first run's result."""
    sim.config(delivered_retention=3600)
    first = run_module(sim, name=name)
    assert first.result["changed"] is True and not first.result.get("failed"), first.output
    api_client(sim).put("/cloud/project/%s" % first.result["project"]["project_id"], description=new_name)
    assert first.result["order"]["order_id"] in [o["orderId"] for o in api_client(sim).get("/cloud/order")
                                                 if o["status"] == "delivered"]
    return first


def assert_ordered_again(sim, name, new_name, first, again):
    """``again`` (a run for ``name`` after its project was renamed ``new_name``) ordered a new project, paid once;
    a run for ``new_name`` then finds the renamed project, unchanged."""
    old_id = first.result["project"]["project_id"]
    old_order = first.result["order"]["order_id"]
    assert not again.result.get("failed"), again.result.get("msg") or again.output
    assert again.result["changed"] is True
    assert len(sim.checkouts()) == 1  # one new checkout (the journal was cleared after the first run)
    assert again.result["project"]["name"] == name and again.result["project"]["status"] == "ok"
    assert again.result["project"]["project_id"] != old_id
    new_order = again.result["order"]["order_id"]
    assert new_order != old_order
    assert again.result["unpaid_orders"] == []
    assert len(sim.calls("POST", PAY_CALLS)) == 1
    # the name's two orders are each paid once, one per project
    assert sorted(o["orderId"] for o in sim.paid_orders(description=name)) == sorted([old_order, new_order])
    other = run_module(sim, name=new_name)
    assert not other.result.get("failed"), other.output
    assert other.result["changed"] is False
    assert other.result["project"]["project_id"] == old_id and other.result["project"]["name"] == new_name
    assert len(sim.checkouts()) == 1


def test_renamed_project_is_not_followed_and_the_name_is_ordered_again(sim):
    first = order_then_rename(sim, "team-x", "team-y")
    # the first run's checked-out cart (still listed, named for team-x) has outlived its lease
    sim.advance_clock(LEASE + 1)
    sim.clear_journal()
    again = run_module(sim, name="team-x")
    assert_ordered_again(sim, "team-x", "team-y", first, again)


def test_renamed_project_rerun_within_the_old_carts_lease(sim):
    first = order_then_rename(sim, "team-x", "team-y")
    sim.clear_journal()
    again = run_module(sim, name="team-x", wait_timeout=30)
    assert_ordered_again(sim, "team-x", "team-y", first, again)


def test_order_held_by_anti_fraud_fails_naming_it_and_a_rerun_follows_it(sim):
    started_at = time.monotonic()
    started = StartedRun(sim, {"name": "held", "wait_timeout": 900})
    order_id = wait_until(lambda: [o["orderId"] for o in sim.orders()], what="the order")[0]
    sim.order_fraud(order_id, "FRAUD_MANUAL_REVIEW")
    run = started.wait()
    took = time.monotonic() - started_at
    url = api_client(sim).get("/me/order/%s" % order_id)["url"]
    assert run.result["failed"] is True, run.output
    assert run.result["failure"]["step"] == "wait for order"
    assert str(order_id) in run.result["msg"] and "FRAUD_MANUAL_REVIEW" in run.result["msg"]
    assert url in run.result["msg"], run.result["msg"]
    # kept: the promise tested is that an anti-fraud hold ends the wait at once (docs/design.md, "following"), not after
    # wait_timeout (900 s): 60 s leaves a loaded machine fifteen times the margin
    assert took < 60, took
    assert [o["orderId"] for o in sim.paid_orders(description="held")] == [order_id]
    rerun = run_module(sim, name="held", wait_timeout=900)
    assert rerun.result["failed"] is True, rerun.output
    assert rerun.result["failure"]["step"] == "wait for order"
    assert str(order_id) in rerun.result["msg"] and url in rerun.result["msg"]
    assert len(sim.checkouts()) == 1
    assert len(sim.calls("POST", PAY_CALLS)) == 1
    assert [o["orderId"] for o in sim.paid_orders(description="held")] == [order_id]


def test_order_refused_by_anti_fraud_fails_naming_the_refusal(sim):
    started = StartedRun(sim, {"name": "refused", "wait_timeout": 900})
    order_id = wait_until(lambda: [o["orderId"] for o in sim.orders()], what="the order")[0]
    sim.order_fraud(order_id, "FRAUD_REFUSED")
    run = started.wait()
    assert run.result["failed"] is True, run.output
    assert run.result["failure"]["step"] == "wait for order"
    assert str(order_id) in run.result["msg"] and "FRAUD_REFUSED" in run.result["msg"], run.result["msg"]
    assert api_client(sim).get("/me/order/%s" % order_id)["url"] in run.result["msg"]
    assert len(sim.checkouts()) == 1
    assert len(sim.calls("POST", PAY_CALLS)) == 1
