# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project: ordering, idempotent reruns, check and diff mode, vouchers, the 404 window."""

import re

import pytest

from conftest import OTHER_CREDENTIALS, run_module

CART_FLOW = [
    ("GET", r"/cloud/eligibility"),
    ("POST", r"/order/cart"),
    ("POST", r"/order/cart/[^/]+/assign"),
    ("GET", r"/order/cart/[^/]+/cloud"),
    ("POST", r"/order/cart/[^/]+/cloud"),
    ("GET", r"/order/cart/[^/]+/item/\d+/requiredConfiguration"),
    ("POST", r"/order/cart/[^/]+/item/\d+/configuration"),
    ("GET", r"/order/cart/[^/]+/checkout"),
    ("POST", r"/order/cart/[^/]+/checkout"),
    # paid only after the orders for the name were looked at (a free order: from the fidelity account)
    ("GET", r"/cloud/order"),
    ("POST", r"/me/order/\d+/payWithRegisteredPaymentMean"),
]


def positions(journal, flow):
    """Index in the journal of each (method, path regex) of flow, in order; fails if one is missing or out of order."""
    found, start = [], 0
    for method, pattern in flow:
        for index in range(start, len(journal)):
            entry = journal[index]
            if entry["method"] == method and re.fullmatch(pattern, entry["path"]):
                found.append(index)
                start = index + 1
                break
        else:
            raise AssertionError("%s %s not found after position %d in %s" % (
                method, pattern, start, [(e["method"], e["path"]) for e in journal]))
    return found


def test_create_orders_once_through_the_cart_flow(sim):
    run = run_module(sim, name="demo-project")
    result = run.result
    assert result["changed"] is True and not result.get("failed"), run.output
    project = result["project"]
    assert re.fullmatch(r"[0-9a-f]{12}4[0-9a-f]{19}", project["project_id"])
    assert project["name"] == "demo-project" and project["status"] == "ok"
    assert project["plan_code"] == "project.2018"
    assert result["order"]["order_id"] == project["order_id"]
    assert result["order"]["status"] == "delivered"
    assert result["order"]["url"].startswith("https://")
    assert result["order"]["currency"] == "EUR"

    journal = sim.journal()
    positions(journal, CART_FLOW)
    assert len(sim.checkouts()) == 1
    create = sim.calls("POST", "/order/cart")[0]
    assert create["body"]["ovhSubsidiary"] == "FR"
    assert "demo-project" in create["body"]["description"]
    assert "expire" in create["body"]
    item = [e for e in journal if e["method"] == "POST" and re.fullmatch(r"/order/cart/[^/]+/cloud", e["path"])][0]
    assert item["body"] == {"planCode": "project.2018", "duration": "P1M", "pricingMode": "default", "quantity": 1}
    configs = [e["body"] for e in journal if e["path"].endswith("/configuration") and e["method"] == "POST"]
    assert configs == [{"label": "description", "value": "demo-project"}]
    assert sim.checkouts()[0]["body"] == {"autoPayWithPreferredPaymentMethod": False, "waiveRetractationPeriod": False}
    pays = [e for e in journal if e["method"] == "POST" and e["path"].startswith("/me/order/")]
    assert [(e["path"], e["body"]) for e in pays] == [
        ("/me/order/%s/payWithRegisteredPaymentMean" % project["order_id"], {"paymentMean": "fidelityAccount"})]
    # the project really exists in the simulator, under the right account
    projects = [p for p in sim.state()["projects"] if p["description"] == "demo-project"]
    assert [p["project_id"] for p in projects] == [project["project_id"]]


def test_second_run_changes_nothing_and_writes_nothing(sim):
    first = run_module(sim, name="demo-project")
    assert first.result["changed"] is True, first.output
    sim.clear_journal()
    second = run_module(sim, name="demo-project")
    assert second.result["changed"] is False, second.output
    assert second.result["project"]["project_id"] == first.result["project"]["project_id"]
    assert sim.writes() == []
    assert second.result["order"] is None


def test_existing_project_is_reported_without_any_order(sim):
    sim.seed_projects("xx1111-ovh", [{"description": "already-there"}])
    run = run_module(sim, name="already-there")
    assert run.result["changed"] is False
    assert run.result["project"]["name"] == "already-there"
    assert sim.writes() == []
    assert sim.calls("GET", "/cloud/eligibility") == []


@pytest.mark.core_matrix
def test_check_mode_makes_no_write(sim):
    run = run_module(sim, name="checked", check=True)
    assert run.result["changed"] is True, run.output
    # as documented (RETURN project): only the name and the plan are known before an order
    assert run.result["project"] == {"project_id": None, "name": "checked", "status": None, "creation_date": None,
                                     "plan_code": "project.2018", "order_id": None}
    assert run.result["order"]["order_id"] is None
    assert sim.writes() == []
    state = sim.state()
    assert state["carts"] == [] and state["orders"] == []


@pytest.mark.core_matrix
def test_diff_mode_shows_the_project(sim):
    run = run_module(sim, name="with-diff", diff=True)
    diff = run.result["diff"]
    assert diff["before"] == {}
    assert diff["after"]["name"] == "with-diff"
    assert diff["after"]["project_id"] == run.result["project"]["project_id"]
    assert "with-diff" in run.stdout  # the diff is printed
    check = run_module(sim, name="other-diff", diff=True, check=True)
    assert check.result["diff"]["after"]["name"] == "other-diff"
    assert check.result["diff"]["before"] == {}


def test_voucher_is_configured_before_checkout(sim):
    sim.control("POST", "/_sim/accounts/xx1111-ovh/vouchers", [{"code": "WELCOME50", "credit": 50}])
    run = run_module(sim, name="with-voucher", voucher="WELCOME50")
    assert run.result["changed"] is True, run.output
    journal = sim.journal()
    eligibility = sim.calls("GET", "/cloud/eligibility")
    assert eligibility[0]["query"] == {"voucher": "WELCOME50"}
    voucher_post = [i for i, e in enumerate(journal) if e["method"] == "POST" and e["path"].endswith("/configuration")
                    and e["body"] == {"label": "voucher", "value": "WELCOME50"}]
    checkout = [i for i, e in enumerate(journal) if e["method"] == "POST" and e["path"].endswith("/checkout")]
    assert len(voucher_post) == 1 and len(checkout) == 1 and voucher_post[0] < checkout[0]
    vouchers = sim.account("xx1111-ovh")["vouchers"]
    assert [v for v in vouchers if v["code"] == "WELCOME50"][0]["used"] is True


def test_project_404_window_is_tolerated(sim):
    sim.config(project_404_window=1.5)
    run = run_module(sim, name="late-project")
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    project_id = run.result["project"]["project_id"]
    reads = [e["status"] for e in sim.calls("GET", "/cloud/project/%s" % project_id)]
    assert 404 in reads and reads[-1] == 200
    assert len(sim.checkouts()) == 1


def test_project_of_another_account_is_not_reported(sim):
    sim.seed_projects("yy2222-ovh", [{"description": "shared-name"}])
    other_id = [p for p in sim.state()["projects"] if p["description"] == "shared-name"][0]["project_id"]
    run = run_module(sim, name="shared-name")
    assert run.result["changed"] is True, run.output
    assert run.result["project"]["project_id"] != other_id
    assert len(sim.checkouts()) == 1
    # and the other account still sees only its own
    sim.clear_journal()
    other = run_module(sim, name="shared-name", credentials=OTHER_CREDENTIALS)
    assert other.result["changed"] is False and other.result["project"]["project_id"] == other_id


def test_two_projects_with_the_same_name_fail_listing_both(sim):
    sim.seed_projects("xx1111-ovh", [{"description": "twin"}, {"description": "twin"}])
    ids = sorted(p["project_id"] for p in sim.state()["projects"] if p["description"] == "twin")
    run = run_module(sim, name="twin")
    assert run.result["failed"] is True
    for project_id in ids:
        assert project_id in run.result["msg"]
    assert run.result["project_ids"] == ids
    assert sim.writes() == []
