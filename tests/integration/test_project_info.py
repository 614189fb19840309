# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project_info: the account's projects, filtered by name, project_id and status, and the project orders in
flight; read-only, and a constant number of calls whatever the number of projects."""

import json
import re

import pytest

from conftest import run_module, run_playbook

NIC = "xx1111-ovh"
SUMMARY_KEYS = {"project_id", "name", "status", "creation_date", "plan_code", "order_id", "tags"}


def run_info(sim, cases, check=False, in_process=False, verbosity=0):
    """public_cloud_project_info once per case (case id -> module arguments) in one ansible-playbook run."""
    run = run_playbook(sim, "project_info.yml", {"batch": cases, "batch_ids": list(cases), "in_process": in_process},
                       check=check, verbosity=verbosity)
    assert run.result is not None, "playbook did not save a result:\n%s" % run.output
    results = dict((result["item"], result) for result in run.result)
    assert list(results) == list(cases), run.output
    return run, results


def ids(result):
    return [p["project_id"] for p in result["projects"]]


def assert_three_reads_per_run(sim, runs):
    """Each module run: GET /auth/time, the expanded listing in one page, GET /cloud/order; nothing else."""
    journal = sim.journal()
    assert [(e["method"], e["path"]) for e in journal] == [("GET", "/auth/time"), ("GET", "/cloud/project"),
                                                           ("GET", "/cloud/order")] * runs
    assert all(e["pagination"]["X-Pagination-Mode"] == "CachedObjectList-Pages" for e in sim.calls("GET", "/cloud/project"))


@pytest.mark.core_matrix
def test_info_lists_the_projects_and_filters_them_by_name_id_and_status(sim):
    alpha, beta, beta_suspended, gamma, old = sim.seed_projects(NIC, [
        {"description": "alpha"}, {"description": "beta"}, {"description": "beta", "status": "suspended"},
        {"description": "gamma", "status": "creating", "order_id": 210000042}, {"description": "old", "status": "deleting"}])
    sim.seed_projects("yy2222-ovh", [{"description": "alpha"}])  # another account's: never listed
    cases = {
        "all": {},
        "by-name": {"name": "beta"},
        "by-id": {"project_id": gamma},
        "by-status": {"status": ["suspended", "creating"]},
        "combined": {"name": "beta", "status": ["ok"]},
        "nothing": {"name": "alpha", "status": ["deleting"]},
        "unknown-id": {"project_id": "ffffffffffff4fffffffffffffffffff"},
    }
    run, results = run_info(sim, cases)
    assert not any(r.get("failed") for r in results.values()), run.output
    assert ids(results["all"]) == [alpha, beta, beta_suspended, gamma, old]
    assert ids(results["by-name"]) == [beta, beta_suspended]
    assert ids(results["by-id"]) == [gamma]
    assert ids(results["by-status"]) == [beta_suspended, gamma]
    assert ids(results["combined"]) == [beta]
    assert ids(results["nothing"]) == [] and ids(results["unknown-id"]) == []
    assert results["by-id"]["projects"] == [{"project_id": gamma, "name": "gamma", "status": "creating",
                                             "creation_date": results["by-id"]["projects"][0]["creation_date"],
                                             "plan_code": "project.2018", "order_id": 210000042, "tags": {}}]
    assert all(set(p) == SUMMARY_KEYS for r in results.values() for p in r["projects"])
    assert all(r["changed"] is False and r["pending_orders"] == [] for r in results.values())
    assert_three_reads_per_run(sim, len(cases))


def test_info_reports_orders_in_flight_with_their_names_and_not_delivered_ones(sim):
    sim.config(delivered_retention=600)  # GET /cloud/order still lists the delivered order
    delivered = run_module(sim, name="done")  # delivered, and its project listed: not in flight any more
    assert delivered.result["changed"] is True, delivered.output
    waiting = run_module(sim, name="waiting", auto_pay=False)  # placed, waits for payment
    assert waiting.result["pending_payment"] is True, waiting.output
    order_id = waiting.result["order"]["order_id"]
    assert sim.state()["orders"][0]["status"] == "delivered"
    sim.seed_projects(NIC, [{"description": "p%03d" % n} for n in range(50)])
    sim.clear_journal()
    run, results = run_info(sim, {"all": {}, "waiting": {"name": "waiting"}, "done": {"name": "done"}})
    assert not any(r.get("failed") for r in results.values()), run.output
    pending = results["all"]["pending_orders"]
    assert [(o["order_id"], o["name"], o["status"]) for o in pending] == [(order_id, "waiting", "unpaid")]
    assert pending[0]["date"] == [o for o in sim.state()["orders"] if o["orderId"] == order_id][0]["date"]
    assert len(results["all"]["projects"]) == 51
    assert results["waiting"]["projects"] == [] and results["waiting"]["pending_orders"] == pending
    assert [p["project_id"] for p in results["done"]["projects"]] == [delivered.result["project"]["project_id"]]
    assert results["done"]["pending_orders"] == []
    # the order's name comes from its details (a few calls per order in flight), never from reading the projects
    assert sim.calls("GET", r"/cloud/project/.+") == [] and sim.writes() == []
    per_run = [e["path"] for e in sim.journal()][:3]
    assert per_run == ["/auth/time", "/cloud/project", "/cloud/order"]
    assert len(sim.calls("GET", "/cloud/project")) == 3


def test_info_in_check_mode_reads_the_same_with_a_thousand_projects(sim):
    seeded = sim.seed_projects(NIC, [{"description": "p%04d" % n} for n in range(1000)])
    run, results = run_info(sim, {"all": {}, "one": {"name": "p0999"}}, check=True)
    assert not any(r.get("failed") for r in results.values()), run.output
    assert ids(results["all"]) == seeded and ids(results["one"]) == [seeded[-1]]
    assert results["all"]["changed"] is False
    assert_three_reads_per_run(sim, 2)


def test_info_bad_input_and_unknown_statuses(sim):
    frozen = sim.seed_projects(NIC, [{"description": "odd"}])[0]
    sim.fault(method="GET", path="^/cloud/project$", kind="patch", phase="after", patch={"status": "frozen"}, count=1)
    run, results = run_info(sim, {"frozen": {}, "bad-status": {"status": ["frozen"]}, "bad-id": {"project_id": "team-a"}})
    assert results["frozen"]["projects"][0]["status"] == "frozen" and not results["frozen"].get("failed")
    # Ansible prints a loop item's warnings (and leaves them out of the registered result)
    assert ("project %s has status 'frozen', which this version of the collection does not know" % frozen) in \
        " ".join(run.output.split())
    assert results["bad-status"]["failed"] is True
    assert "value of status must be one or more of: creating, deleted, deleting, ok, suspended" in results["bad-status"]["msg"]
    assert results["bad-id"]["failed"] is True and results["bad-id"]["failure"] == {"step": "validate input"}
    assert results["bad-id"]["msg"].startswith("project_id 'team-a' is not a project id: give the id of the project")
    assert len(sim.calls("GET", "/cloud/project")) == 1  # the bad inputs made no call


@pytest.mark.core_matrix
def test_the_lookup_run_in_the_action_plugins_process_returns_what_the_module_returns(sim):
    """The role's lookup asks the action plugin to run the module's work in its own process (no Python process, no
    AnsiballZ): same calls, same results, the same failures, no secret in any of them, and no module file run."""
    alpha, dummy = sim.seed_projects(NIC, [{"description": "alpha"}, {"description": "beta", "status": "suspended"}])
    cases = {
        "all": {},
        "by-name": {"name": "alpha"},
        "bad-status": {"status": ["no-such-status"]},
        "bad-id": {"project_id": "not-an-id"},
        "bad-secret": {"application_secret": "the-wrong-secret-x9"},
    }
    results = {}
    for in_process in (False, True):
        sim.clear_journal()
        run, results[in_process] = run_info(sim, cases, in_process=in_process, verbosity=3)
        assert ("AnsiballZ_public_cloud_project_info" in run.output) is not in_process, run.output
        assert "the-wrong-secret-x9" not in run.output
        calls = [(e["method"], e["path"], e["status"]) for e in sim.journal()]
        if not in_process:
            module_calls = calls
    assert calls == module_calls
    for case in cases:  # each call has its own X-Ovh-QueryID; the traceback AnsibleModule adds at -vvv is left out
        module, here = (re.sub(r"EU[.][\w.-]+", "QUERY-ID", json.dumps(dict(
            (k, v) for k, v in results[flag][case].items() if k not in ("invocation", "warnings", "exception")), sort_keys=True))
            for flag in (False, True))
        assert here == module, case
    assert ids(results[True]["by-name"]) == [alpha]
    assert results[True]["bad-status"]["failed"] and "no-such-status" in results[True]["bad-status"]["msg"]
    assert results[True]["bad-secret"]["failed"] and results[True]["bad-secret"]["failure"]["status"] == 400


def test_info_shows_the_tags_from_the_listing_and_the_alerts_only_when_asked(sim):
    alpha, beta = sim.seed_projects(NIC, [{"description": "alpha"}, {"description": "beta"}])
    sim.seed_tags(alpha, {"team": "a", "ovh:computed": "x"})
    sim.seed_alerts(alpha, {"email": "finops@example.com", "monthly_threshold": 300, "delay": 3600})
    sim.clear_journal()
    run, results = run_info(sim, {"plain": {}, "alerts": {"alerting": True}})
    assert not any(r.get("failed") for r in results.values()), run.output
    plain = dict((p["project_id"], p) for p in results["plain"]["projects"])
    assert plain[alpha]["tags"] == {"team": "a", "ovh:computed": "x"} and plain[beta]["tags"] == {}
    assert all("alerting" not in p for p in plain.values())
    alerts = dict((p["project_id"], p["alerting"]) for p in results["alerts"]["projects"])
    # the API no longer shows an alert's e-mail: the simulator answers "" by default, reported as null
    assert [(a["monthly_threshold"], a["delay"], a["email"]) for a in alerts[alpha]] == [(300, 3600, None)]
    assert alerts[beta] == []
    # the plain run made its three reads; the other one listed each project's alerts, and read alpha's one alert
    listings = sim.calls("GET", r"/cloud/project/[0-9a-f]{32}/alerting")
    assert sorted(e["path"].split("/")[3] for e in listings) == sorted([alpha, beta])
    assert len(sim.calls("GET", r"/cloud/project/%s/alerting/[0-9a-f-]+" % alpha)) == 1
    assert sim.writes() == []
