# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public_cloud_project role applies the spending alerts and IAM tags an inventory gives its projects: a new project
gets them once ordered, a project found by name gets them reconciled, a project that already has them costs no module
run; a rerun writes nothing and reads the alerts in its one lookup; a change of one tag and one threshold is exactly
those writes; check mode writes nothing. Tests assert on the simulator's journal and the playbook output."""

import re

from conftest import run_playbook
from test_role import recap, summary
from test_role_lifecycle import module_items
from test_role_lookup import write_inventory

NIC = "xx1111-ovh"
ALERT = {"monthly_threshold": 300, "email": "finops@example.com", "delay": 3600}
TAGS = {"team": "a", "env": "prod"}


def run_role(sim, tmp_path, hosts, group_vars, check=False):
    inventory = write_inventory(tmp_path, {"demo": {"hosts": hosts, "vars": group_vars}})
    return run_playbook(sim, "role_order_projects.yml", inventory=inventory, check=check)


def writes(sim):
    """(method, path without ids) of each write, in order."""
    return [(e["method"], re.sub(r"[0-9a-f]{32}|[0-9a-f-]{36}|urn:v1:[^/]+", "ID", e["path"])) for e in sim.writes()]


def settings_calls(sim):
    """The calls of the alerting and IAM routes: (method, path without ids)."""
    return [(method, path) for method, path in ((e["method"], re.sub(r"[0-9a-f]{32}|[0-9a-f-]{36}|urn:v1:[^/]+", "ID",
                                                                     e["path"])) for e in sim.journal())
            if "/alerting" in path or path.startswith("/v2/")]


def test_the_role_applies_alerts_and_tags_then_a_rerun_writes_nothing_and_a_change_is_exactly_its_writes(sim, tmp_path):
    untagged, ready = sim.seed_projects(NIC, [{"description": "untagged"}, {"description": "ready"}])
    sim.seed_tags(untagged, {"team": "old", "ovh:computed": "x"})
    sim.seed_tags(ready, TAGS)
    sim.seed_alerts(ready, dict(ALERT))
    hosts = {"untagged.example.invalid": {"public_cloud_project_name": "untagged"},
             "new.example.invalid": {"public_cloud_project_name": "brand-new"},
             "ready.example.invalid": {"public_cloud_project_name": "ready"}}
    group_vars = {"public_cloud_project_alerting": [ALERT], "public_cloud_project_tags": TAGS}

    # first run: the module runs for the project to order and the one whose alerts and tags differ, not for "ready"
    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts, group_vars)
    assert run.rc == 0, run.output
    assert module_items(run.output) == ["brand-new", "untagged"]
    assert len(sim.calls("POST", r"/order/cart/[^/]+/checkout")) == 1
    new = [p["project_id"] for p in sim.state()["projects"] if p["description"] == "brand-new"][0]
    for project_id in (untagged, new, ready):
        assert sim.tags(project_id) == dict(TAGS, **({"ovh:computed": "x"} if project_id == untagged else {})), project_id
        assert [(a["monthly_threshold"], a["delay"], a["email"]) for a in sim.alerts(project_id)] == [(300, 3600, ALERT["email"])]
    settings_writes = [w for w in writes(sim) if "/alerting" in w[1] or w[1].startswith("/v2/")]
    assert sorted(settings_writes) == sorted([
        ("POST", "/cloud/project/ID/alerting"), ("POST", "/cloud/project/ID/alerting"),  # untagged, brand-new
        ("DELETE", "/v2/iam/resource/ID/tag/team"), ("POST", "/v2/iam/resource/ID/tag"),  # untagged: team old -> a
        ("POST", "/v2/iam/resource/ID/tag"),  # untagged: env
        ("POST", "/v2/iam/resource/ID/tag"), ("POST", "/v2/iam/resource/ID/tag")])  # brand-new: team, env
    assert summary(run.output)[:3] == (3, 1, 1)
    assert "alerts or tags updated 1" in run.output
    counts = recap(run.output)
    assert counts["untagged.example.invalid"][1] == 1 and counts["new.example.invalid"][1] == 1
    assert counts["ready.example.invalid"][1] == 0

    # rerun: no module run, no write; the lookup reads the alerts of the account's projects (the listing of each, then
    # each alert: the API answers ids) and the tags come with the projects
    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts, group_vars)
    assert run.rc == 0, run.output
    assert module_items(run.output) == [] and sim.writes() == []
    assert summary(run.output) == (3, 3, 0, 0, 0)
    reads = settings_calls(sim)
    assert sorted(reads) == sorted([("GET", "/cloud/project/ID/alerting")] * 3 + [("GET", "/cloud/project/ID/alerting/ID")] * 3)
    assert len(sim.journal()) == 3 + len(reads)

    # one tag of one host, one threshold of another: check mode writes nothing and says what it would update
    hosts["untagged.example.invalid"]["public_cloud_project_tags"] = dict(TAGS, env="dev")
    hosts["ready.example.invalid"]["public_cloud_project_alerting"] = [dict(ALERT, monthly_threshold=500)]
    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts, group_vars, check=True)
    assert run.rc == 0, run.output
    assert sim.writes() == [] and module_items(run.output) == ["ready", "untagged"]
    assert "alerts or tags to update 2" in run.output

    # then for real: exactly those writes (a changed tag value is removed, then added: the API documents no overwrite)
    sim.clear_journal()
    run = run_role(sim, tmp_path, hosts, group_vars)
    assert run.rc == 0, run.output
    assert sorted(writes(sim)) == sorted([("DELETE", "/v2/iam/resource/ID/tag/env"), ("POST", "/v2/iam/resource/ID/tag"),
                                          ("PUT", "/cloud/project/ID/alerting/ID")])
    assert sim.tags(untagged)["env"] == "dev" and sim.alerts(ready)[0]["monthly_threshold"] == 500
    assert "alerts or tags updated 2" in run.output
