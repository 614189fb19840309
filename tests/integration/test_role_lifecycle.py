# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public_cloud_project role's lifecycle variables: adopt and rename by project id, the price cap, and
retirement (state absent) in two runs with the e-mailed token or in one run reading it from the e-mail history.

The role keeps its one lookup per account: the module runs only for a project to rename or to terminate, and a run
where nothing is to change makes the lookup's three calls and nothing else. Tests assert on the simulator's journal,
the facts the role leaves on the hosts and the playbook output (where a termination token must never appear).
"""

import json
import re

import pytest

from conftest import run_playbook
from test_role import summary
from test_role_lookup import write_inventory

NIC = "xx1111-ovh"
LOOKUP = [("GET", "/auth/time"), ("GET", "/cloud/project"), ("GET", "/cloud/order")]
RETIRE = {"public_cloud_project_state": "absent", "public_cloud_project_allow_termination": True}


def run_role(sim, tmp_path, hosts, **kwargs):
    """The order_projects playbook over ``hosts`` ({host: variables}) in one group."""
    return run_playbook(sim, "role_order_projects.yml", inventory=write_inventory(tmp_path, {"demo": {"hosts": hosts}}),
                        **kwargs)


def module_items(output):
    """The names the module ran for: its result lines, failed ones and verbose ones (item=name) => {...} included."""
    section = output.split("TASK [ovhcloud.public_cloud.public_cloud_project : Make sure the projects exist", 1)[1]
    section = section.split("\nTASK [", 1)[0]
    return sorted(re.search(r"\(item=(.*?)\)(?: => |$)", line).group(1) for line in section.splitlines()
                  if line.startswith(("ok: [", "changed: [", "failed: [")))


def calls(sim):
    return [(e["method"], e["path"]) for e in sim.journal()]


def project_of(sim, project_id):
    return next(p for p in sim.state()["projects"] if p["project_id"] == project_id)


@pytest.mark.core_matrix
def test_a_noop_with_the_lifecycle_variables_unset_or_set_makes_the_lookup_calls_only(sim, tmp_path):
    ids = sim.seed_projects(NIC, [{"description": "alpha"}, {"description": "bravo"},
                                  {"description": "gone-already", "status": "deleted", "deleted_ago": 10}])
    hosts = {"alpha.example.invalid": {"public_cloud_project_name": "alpha"},
             "list.example.invalid": {"public_cloud_project_projects": [{"name": "bravo"}]}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim) == LOOKUP and module_items(run.output) == []
    assert summary(run.output) == (2, 2, 0, 0, 0)
    assert "termination" not in run.result["project"]["alpha.example.invalid"]

    # the same projects adopted by id under their names, a price cap, and projects to retire that are already gone
    # (deleted, or not listed at all): still the lookup alone
    sim.clear_journal()
    hosts = {"alpha.example.invalid": {"public_cloud_project_name": "alpha", "public_cloud_project_project_id": ids[0],
                                       "public_cloud_project_max_price": 0},
             "list.example.invalid": {"public_cloud_project_projects": [
                 {"name": "bravo", "project_id": ids[1], "max_price": 1.5},
                 {"name": "gone-already", "state": "absent", "allow_termination": True},
                 {"name": "never-existed", "state": "absent", "allow_termination": True, "termination_token": "t0k3n"}]}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim) == LOOKUP and module_items(run.output) == []
    assert run.result["project"]["alpha.example.invalid"]["project_id"] == ids[0]
    results = run.result["results"]["list.example.invalid"]
    assert [(r["name"], r["changed"], r["msg"]) for r in results] == [
        ("bravo", False, "exists"), ("gone-already", False, "already deleted"), ("never-existed", False, "absent")]
    assert results[1]["termination"] == {"requested": True, "confirmed": True}
    assert results[2]["termination"] == {"requested": False, "confirmed": False}
    assert "t0k3n" not in run.output


def test_rename_through_the_role_then_nothing_to_do(sim, tmp_path):
    project_id = sim.seed_projects(NIC, [{"description": "old-name"}])[0]
    hosts = {"adopted.example.invalid": {"public_cloud_project_name": "new-name",
                                         "public_cloud_project_project_id": project_id}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim)[:3] == LOOKUP and module_items(run.output) == ["new-name"]
    # the module renamed it: one PUT with the new description, no cart, no order
    renames = sim.calls("PUT", "/cloud/project/%s" % project_id)
    assert [e["body"]["description"] for e in renames] == ["new-name"]
    assert [(e["method"], e["path"]) for e in sim.writes()] == [("PUT", "/cloud/project/%s" % project_id)]
    assert project_of(sim, project_id)["description"] == "new-name"
    fact = run.result["project"]["adopted.example.invalid"]
    assert (fact["project_id"], fact["changed"], fact["msg"], fact["order"]) == (project_id, True, "renamed", None)
    assert "renamed 1" in run.output and "renamed: new-name" in run.output

    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim) == LOOKUP
    assert run.result["project"]["adopted.example.invalid"]["msg"] == "exists"


def test_an_unknown_project_id_fails_its_host_through_the_module_without_ordering(sim, tmp_path):
    sim.seed_projects(NIC, [{"description": "alpha"}])
    hosts = {"unknown.example.invalid": {"public_cloud_project_name": "alpha",
                                         "public_cloud_project_project_id": "0123456789ab4cdef0123456789abcde"},
             "fine.example.invalid": {"public_cloud_project_name": "alpha-bis"}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 2, run.output
    assert sorted(module_items(run.output)) == ["alpha", "alpha-bis"]
    fail = "Public Cloud project of host unknown.example.invalid failed: alpha: "
    assert fail in run.output
    assert "no project 0123456789ab4cdef0123456789abcde in this account" in run.output.split(fail, 1)[1].splitlines()[0]
    # the other host's project was ordered; nothing for the unknown id
    assert len(sim.checkouts()) == 1 and summary(run.output) == (2, 0, 1, 0, 1)


def test_retire_in_two_runs_request_then_confirm_with_the_token(sim, tmp_path):
    sim.config(termination_email_delay=0.2, project_deleting_delay=60)
    project_id, kept = sim.seed_projects(NIC, [{"description": "retire-me"}, {"description": "keep-me"}])
    hosts = {"retire.example.invalid": dict(RETIRE, public_cloud_project_name="retire-me"),
             "keep.example.invalid": {"public_cloud_project_name": "keep-me"}}

    # run 1: the termination is requested, not confirmed
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim)[:3] == LOOKUP and module_items(run.output) == ["retire-me"]
    assert [(e["method"], e["path"]) for e in sim.writes()] == [("POST", "/cloud/project/%s/terminate" % project_id)]
    fact = run.result["project"]["retire.example.invalid"]
    assert fact["changed"] is True and fact["termination"] == {"requested": True, "confirmed": False}
    assert fact["msg"].startswith("termination requested")
    assert project_of(sim, project_id)["status"] == "ok" and project_of(sim, kept)["status"] == "ok"
    assert "termination requested 1" in run.output

    # run 2: with the e-mailed token, the termination is confirmed (the token never shows, even with -vvv)
    (request,) = sim.terminations(project_id)  # one request, whose token is still to be confirmed
    assert (request["valid"], request["confirmed"]) == (True, False)
    token = request["token"]
    hosts["retire.example.invalid"]["public_cloud_project_termination_token"] = token
    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts, verbosity=3)
    assert run.rc == 0, run.output
    assert module_items(run.output) == ["retire-me"]
    confirmations = sim.calls("POST", "/cloud/project/%s/confirmTermination" % project_id)
    assert [e["body"]["token"] for e in confirmations] == [token]
    assert sim.calls("POST", r"/cloud/project/[^/]+/terminate") == []
    assert project_of(sim, project_id)["status"] == "deleting"
    fact = run.result["project"]["retire.example.invalid"]
    assert fact["changed"] is True and fact["termination"] == {"requested": True, "confirmed": True}
    assert fact["msg"] == "terminated (project %s is being deleted)" % project_id
    assert token not in run.output and token not in json.dumps(run.result)

    # run 3: the project is being deleted; the variables can stay, nothing is called beyond the lookup
    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim) == LOOKUP
    assert run.result["project"]["retire.example.invalid"]["msg"] == "already deleting"


def test_retire_in_one_run_with_the_token_from_the_email_history(sim, tmp_path):
    sim.config(termination_email_delay=0.2, project_deleting_delay=60)
    project_id = sim.seed_projects(NIC, [{"description": "lab"}])[0]
    hosts = {"account.example.invalid": {"public_cloud_project_projects": [
        {"name": "lab", "state": "absent", "allow_termination": True, "termination_token_from_email": True}]}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert calls(sim)[:3] == LOOKUP and module_items(run.output) == ["lab"]
    assert sim.calls("GET", "/me/notification/email/history")
    token = sim.terminations(project_id)[-1]["token"]
    assert [(e["method"], e["path"]) for e in sim.writes()] == [
        ("POST", "/cloud/project/%s/terminate" % project_id), ("POST", "/cloud/project/%s/confirmTermination" % project_id)]
    assert sim.writes()[1]["body"]["token"] == token
    assert project_of(sim, project_id)["status"] == "deleting"
    result = run.result["results"]["account.example.invalid"][0]
    assert result["termination"] == {"requested": True, "confirmed": True} and result["changed"] is True
    assert token not in run.output and token not in json.dumps(run.result)
    assert "terminated 1" in run.output and "terminated: lab" in run.output


def test_absent_without_allow_termination_fails_its_host_before_any_api_call_for_it(sim, tmp_path):
    precious = sim.seed_projects(NIC, [{"description": "precious"}])[0]
    hosts = {"precious.example.invalid": {"public_cloud_project_name": "precious", "public_cloud_project_state": "absent"},
             "fine.example.invalid": {"public_cloud_project_name": "fine"}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 2, run.output
    assert ("state is absent for project \"precious\" of host precious.example.invalid, and allow_termination is not "
            "true: set public_cloud_project_allow_termination: true") in run.output
    assert re.findall(r"^fatal: \[([^\]]+)\]", run.output, re.M) == ["precious.example.invalid"]
    # the fine host's project is ordered; nothing is called for the precious one, which is left as it is
    assert len(sim.checkouts()) == 1 and [p["description"] for p in sim.state()["projects"]] == ["precious", "fine"]
    assert not [e for e in sim.journal() if precious in e["path"]]
    assert project_of(sim, precious)["status"] == "ok"


def test_a_price_above_max_price_orders_nothing(sim, tmp_path):
    sim.config(plan_price=12.5)
    hosts = {"capped.example.invalid": {"public_cloud_project_name": "capped", "public_cloud_project_max_price": 1}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 2, run.output
    assert module_items(run.output) == ["capped"]
    assert sim.checkouts() == [] and len(sim.calls("DELETE", r"/order/cart/[^/]+")) == 1
    fail = "Public Cloud project of host capped.example.invalid failed: capped: "
    assert fail in run.output
    assert "price 15.00 EUR with tax exceeds max_price 1.00: nothing was ordered" in run.output.split(fail, 1)[1].splitlines()[0]
