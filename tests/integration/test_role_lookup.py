# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public_cloud_project role looks each account up once.

One public_cloud_project_info run per account (endpoint and credentials) for the whole play, on the controller; the
ordering module runs only for the names that lookup did not find (missing, or with an order in flight, which it
follows). Tests assert on the simulator's journal (which calls, for which account, in which order), on the facts the
role leaves on the hosts and on the PLAY RECAP.
"""

import json
import os

from conftest import FAST, OTHER_CREDENTIALS, run_module, run_playbook, run_releasing
from test_role import RECAP, summary

NIC = "xx1111-ovh"
OTHER_NIC = "yy2222-ovh"
LOOKUP = [("GET", "/auth/time"), ("GET", "/cloud/project"), ("GET", "/cloud/order")]
# held orders stay in flight (checking) until the test releases them
HOLD = 600


def write_inventory(tmp_path, groups):
    """An inventory file with ``groups`` ({group: {"hosts": {host: vars}, "vars": {...}}}) under public_cloud_projects."""
    path = os.path.join(str(tmp_path), "hosts.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"public_cloud_projects": {"children": groups}}, handle)  # JSON is YAML
    return path


def run_role(sim, inventory, **kwargs):
    return run_playbook(sim, "role_order_projects.yml", inventory=inventory, **kwargs)


def recap(output):
    """{host: (ok, changed, unreachable, failed, skipped)}, localhost (where the facts are saved) left out."""
    found = {}
    for match in RECAP.finditer(output):
        skipped = output[match.end():].split("\n", 1)[0].split("skipped=", 1)[1].split()[0]
        found[match.group(1)] = tuple(int(n) for n in match.groups()[1:]) + (int(skipped),)
    found.pop("localhost", None)
    return found


def module_items(output):
    """The names the ordering module ran for (its result lines)."""
    section = output.split("TASK [ovhcloud.public_cloud.public_cloud_project : Make sure the projects exist", 1)[1]
    section = section.split("\nTASK [", 1)[0]
    return sorted(line.rsplit("(item=", 1)[1].rstrip(")") for line in section.splitlines()
                  if line.startswith(("ok: [", "changed: [", "failed: [")))


def signed(sim, entries=None):
    """(method, path, account) of each call; /auth/time is not signed (account None)."""
    return [(e["method"], e["path"], e.get("account")) for e in (sim.journal() if entries is None else entries)]


def test_a_noop_over_100_hosts_is_one_lookup_of_three_calls(sim, tmp_path):
    sim.update_account(NIC, quota=110)
    names = ["project-%03d" % n for n in range(100)]
    ids = dict(zip(names, sim.seed_projects(NIC, [{"description": name} for name in names])))
    hosts = dict(("p%03d.example.invalid" % n, {"public_cloud_project_name": name}) for n, name in enumerate(names))
    run = run_role(sim, write_inventory(tmp_path, {"demo": {"hosts": hosts}}))
    assert run.rc == 0, run.output

    # one listing (the expanded listing, one page), no read of any project, no write: three calls in all
    journal = sim.journal()
    assert [(e["method"], e["path"]) for e in journal] == LOOKUP, signed(sim)
    assert len(sim.calls("GET", "/cloud/project")) == 1 and sim.calls("GET", r"/cloud/project/") == []
    assert journal[1]["pagination"]["X-Pagination-Mode"] == "CachedObjectList-Pages"
    assert sim.writes() == [] and len(journal) <= 10
    assert "Make sure the projects exist" in run.output and module_items(run.output) == []

    # every host has its project from the lookup, in the shape the module's result gives
    facts = run.result["project"]
    assert sorted(facts) == sorted(hosts)
    for host, host_vars in hosts.items():
        name = host_vars["public_cloud_project_name"]
        assert facts[host] == {"name": name, "project_id": ids[name], "status": "ok", "order": None,
                               "pending_payment": False, "changed": False, "failed": False, "msg": "exists"}, host
    assert all(value is None for value in run.result["results"].values())
    assert summary(run.output) == (100, 100, 0, 0, 0)

    # one task on each host (its result: the hosts the role applies to are chosen by a task run once, no task per host),
    # plus the report skipped on each before ansible-core 2.18 (later, meta end_role ends the role of the hosts with
    # nothing to report without a task); everything else ran once, on the first host (the order_projects playbook
    # leaves Ansible's argument specs check, a task per host, to the role)
    counts = recap(run.output)
    first = sorted(hosts)[0]
    assert all(c[1] == 0 and c[3] == 0 for c in counts.values()), run.output
    assert all(c[0] == 1 and c[4] <= 1 for host, c in counts.items() if host != first), counts


def hold_order(sim, name):
    """An order for ``name`` placed by an earlier run that did not wait, held in flight; its id."""
    sim.config(order_checking_delay=HOLD)
    placed = run_module(sim, name=name, wait=False)
    assert placed.result["changed"] is True and not placed.result.get("failed"), placed.output
    sim.config(**FAST)
    return placed.result["order"]["order_id"]


def test_existing_missing_and_in_flight_names_one_lookup_then_the_module_for_two(sim, tmp_path):
    existing_id = sim.seed_projects(NIC, [{"description": "existing-one"}])[0]
    order_id = hold_order(sim, "in-flight-three")
    sim.clear_journal()
    hosts = {  # the in-flight name first: its module run is the first to read the held order's status
        "c.example.invalid": {"public_cloud_project_name": "in-flight-three"},
        "a.example.invalid": {"public_cloud_project_name": "existing-one"},
        "b.example.invalid": {"public_cloud_project_name": "missing-two"},
        "d.example.invalid": {"public_cloud_project_name": "existing-one"},
    }
    # the role runs; once its module follows the held order (reads its status), the order is let deliver
    inventory = write_inventory(tmp_path, {"demo": {"hosts": hosts}})
    run = run_releasing(sim, order_id, lambda: run_role(sim, inventory))
    assert run.rc == 0, run.output

    # the lookup comes first: the listing, the orders in flight and what the held order is for; then one module run
    # per name it did not find (each starts with /auth/time), never for existing-one
    journal = sim.journal()
    assert [(e["method"], e["path"]) for e in journal[:3]] == LOOKUP
    first_module = [i for i, e in enumerate(journal) if e["path"] == "/auth/time"][1]
    assert [e for e in journal[:first_module] if e["path"] == "/cloud/project"] == [journal[1]]
    assert all(e["method"] == "GET" and e["path"].startswith("/me/order/%s/" % order_id) for e in journal[3:first_module])
    assert len([e for e in journal if e["path"] == "/auth/time"]) == 3
    assert module_items(run.output) == ["in-flight-three", "missing-two"]

    # the in-flight name was followed, not ordered again: one cart and one checkout, for missing-two
    assert [e["body"]["description"] for e in sim.calls("POST", "/order/cart")] == ["ovhcloud.public_cloud:missing-two"]
    assert len(sim.checkouts()) == 1
    projects = dict((p["description"], p["project_id"]) for p in sim.state()["projects"])
    assert sorted(projects) == ["existing-one", "in-flight-three", "missing-two"]

    facts = run.result["project"]
    assert facts["a.example.invalid"] == facts["d.example.invalid"]
    assert facts["a.example.invalid"]["project_id"] == existing_id and facts["a.example.invalid"]["order"] is None
    followed = facts["c.example.invalid"]
    assert followed["project_id"] == projects["in-flight-three"] and followed["order"]["order_id"] == order_id
    assert followed["changed"] is False and followed["status"] == "ok"
    ordered = facts["b.example.invalid"]
    assert ordered["changed"] is True and ordered["project_id"] == projects["missing-two"]
    assert ordered["order"]["order_id"] not in (None, order_id)
    assert summary(run.output) == (3, 2, 1, 0, 0)


def credentials_vars(credentials):
    return {"public_cloud_project_application_key": credentials["OVH_APPLICATION_KEY"],
            "public_cloud_project_application_secret": credentials["OVH_APPLICATION_SECRET"],
            "public_cloud_project_consumer_key": credentials["OVH_CONSUMER_KEY"]}


def test_two_accounts_in_one_play_one_lookup_each_and_orders_in_the_right_one(sim, tmp_path):
    demo_shared = sim.seed_projects(NIC, [{"description": "shared-name"}])[0]
    other_shared, other_only = sim.seed_projects(OTHER_NIC, [{"description": "shared-name"}, {"description": "other-only"}])
    groups = {
        # the demo account's credentials come from the environment (the test harness), the other's from its group
        "demo": {"hosts": {"demo-shared.example.invalid": {"public_cloud_project_name": "shared-name"}}},
        "other": {"hosts": {"other-shared.example.invalid": {"public_cloud_project_name": "shared-name"},
                            "other-only.example.invalid": {"public_cloud_project_name": "other-only"},
                            "other-new.example.invalid": {"public_cloud_project_name": "other-new"}},
                  "vars": credentials_vars(OTHER_CREDENTIALS)},
    }
    run = run_role(sim, write_inventory(tmp_path, groups))
    assert run.rc == 0, run.output

    # one lookup per account, for the whole play, before the one module run (for the missing name, in its account)
    calls = signed(sim)
    assert calls[:6] == [("GET", "/auth/time", None), ("GET", "/cloud/project", NIC), ("GET", "/cloud/order", NIC),
                         ("GET", "/auth/time", None), ("GET", "/cloud/project", OTHER_NIC),
                         ("GET", "/cloud/order", OTHER_NIC)]
    assert set(account for method, path, account in calls[6:]) == {None, OTHER_NIC}
    assert module_items(run.output) == ["other-new"]
    assert [e["account"] for e in sim.checkouts()] == [OTHER_NIC]
    new = [p for p in sim.state()["projects"] if p["description"] == "other-new"]
    assert [p["nichandle"] for p in new] == [OTHER_NIC]

    # the same name in both accounts is two projects: each host gets its own account's
    facts = run.result["project"]
    assert facts["demo-shared.example.invalid"]["project_id"] == demo_shared
    assert facts["other-shared.example.invalid"]["project_id"] == other_shared
    assert facts["other-only.example.invalid"]["project_id"] == other_only
    assert facts["other-new.example.invalid"]["project_id"] == new[0]["project_id"]
    assert summary(run.output) == (4, 3, 1, 0, 0)


PLAY_WITH_CREDENTIALS = """
- name: Public Cloud projects, credentials in the play's variables
  hosts: public_cloud_projects
  gather_facts: false
  any_errors_fatal: true
  vars:
    public_cloud_project_application_key: other-application-key
    public_cloud_project_application_secret: other-application-secret
    public_cloud_project_consumer_key: other-consumer-key
  roles:
    - role: ovhcloud.public_cloud.public_cloud_project
"""


def run_play_with_credentials(sim, tmp_path, inventory_vars=None):
    """PLAY_WITH_CREDENTIALS over one host naming from-the-play, a project of the other account."""
    sim.seed_projects(OTHER_NIC, [{"description": "from-the-play"}])
    playbook = os.path.join(str(tmp_path), "play.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAY_WITH_CREDENTIALS)
    group = {"hosts": {"one.example.invalid": {"public_cloud_project_name": "from-the-play"}}, "vars": inventory_vars or {}}
    return run_playbook(sim, playbook, inventory=write_inventory(tmp_path, {"play": group}))


def test_credentials_in_the_play_variables_are_used_for_the_lookup(sim, tmp_path):
    # the same for every host of the play: the role reads them as its own tasks see them
    run = run_play_with_credentials(sim, tmp_path)
    assert run.rc == 0, run.output
    assert signed(sim) == [("GET", "/auth/time", None), ("GET", "/cloud/project", OTHER_NIC),
                           ("GET", "/cloud/order", OTHER_NIC)]
    assert summary(run.output) == (1, 1, 0, 0, 0)
    assert "found: from-the-play" in run.output


def test_credentials_the_controller_would_read_otherwise_fail_their_hosts_before_any_api_call(sim, tmp_path):
    # the host's inventory names the demo account, overridden by the play's variables (the other account): the
    # controller would read the inventory's for the host, and look up or order in the wrong account
    run = run_play_with_credentials(sim, tmp_path, credentials_vars({
        "OVH_APPLICATION_KEY": "other-application-key", "OVH_APPLICATION_SECRET": "demo-application-secret",
        "OVH_CONSUMER_KEY": "demo-consumer-key"}))
    assert run.rc == 2, run.output
    assert "the consumer key or client secret of host one.example.invalid are set in play or role variables" in run.output
    assert sim.journal() == []
    assert recap(run.output)["one.example.invalid"][3] == 1, run.output
    assert "hosts left out (their variables, or a conflict; each fails with its message): one.example.invalid" in run.output
    for secret in ("demo-consumer-key", "other-consumer-key", "demo-application-secret", "other-application-secret"):
        assert secret not in run.output
