# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public_cloud_project role through the order_projects playbook, with both inventory shapes.

(a) one inventory host per project (inventories/per_host), (b) a list of projects on one host
(inventories/project_list). The hosts are unresolvable names: the role must never connect to them.
Tests assert on the playbook output, on the facts the role leaves on the hosts (saved by
playbooks/role_order_projects.yml) and on the simulator's journal and state.
"""

import json
import os
import re
import subprocess

import pytest

from conftest import BIN, COLLECTIONS, run_playbook

INVENTORIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inventories")
PLAYBOOK = "role_order_projects.yml"
NIC = "xx1111-ovh"
EXISTING = ("existing-alpha", "existing-bravo")
VOUCHER = "DELTA50"
MODULE_TASK = "Make sure the projects exist"
SUMMARY = re.compile(r"Public Cloud projects: (\d+) \(found (\d+), (ordered|to order) (\d+), pending payment (\d+), failed (\d+)\)")
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
# shape (a): host -> project name (inventories/per_host/host_vars)
PER_HOST = {
    "project-a.example.invalid": "existing-alpha",
    "project-b.example.invalid": "existing-bravo",
    "project-c.example.invalid": "new-charlie",
    "project-d.example.invalid": "new-delta",
    "project-e.example.invalid": "new-charlie",
    "project-f.example.invalid": "new-foxtrot",
}
# shape (b): the list of inventories/project_list/hosts.yml, in order
LIST_HOST = "ovh-account.example.invalid"
LIST = ["existing-alpha", "existing-bravo", "new-charlie", "new-delta", "new-charlie", "new-echo"]


def seed(sim):
    """Two existing projects and the voucher of new-delta; returns {name: project_id} of the existing ones."""
    ids = sim.seed_projects(NIC, [{"description": name} for name in EXISTING])
    sim.control("POST", "/_sim/accounts/%s/vouchers" % NIC, [{"code": VOUCHER, "credit": 50}])
    return dict(zip(EXISTING, ids))


def run_role(sim, inventory, **kwargs):
    path = inventory if os.path.isabs(inventory) else os.path.join(INVENTORIES, inventory)
    return run_playbook(sim, PLAYBOOK, inventory=path, **kwargs)


def ids_by_name(sim):
    """{description: [project ids]} of the demo account's projects in the simulator."""
    found = {}
    for project in sim.state()["projects"]:
        if project["nichandle"] == NIC:
            found.setdefault(project["description"], []).append(project["project_id"])
    return found


def configurations(sim, label):
    """[(cart id, value)] of the cart item configurations POSTed with this label, in order."""
    found = []
    for entry in sim.calls("POST", r"/order/cart/[^/]+/item/\d+/configuration"):
        if entry["body"]["label"] == label:
            found.append((entry["path"].split("/")[3], entry["body"]["value"]))
    return found


def summary(output):
    """The counts of the role's summary: (projects, found, ordered, pending payment, failed)."""
    matches = SUMMARY.findall(output)
    assert len(matches) == 1, "expected exactly one summary in:\n%s" % output
    total, found, dummy, ordered, pending, failed = matches[0]
    return int(total), int(found), int(ordered), int(pending), int(failed)


def recap(output):
    """{host: (ok, changed, unreachable, failed)} from the PLAY RECAP, without localhost (where the facts are saved)."""
    return {m[0]: tuple(int(n) for n in m[1:]) for m in RECAP.findall(output) if m[0] != "localhost"}


def failure_message(output, host):
    """The message of the role's one failure of ``host`` (its fatal line)."""
    fatal = re.search(r"^fatal: \[%s\]: FAILED! => (\{.*?^\})$" % re.escape(host), output, re.M | re.S)
    assert fatal, output
    return json.loads(fatal.group(1))["msg"]


def printed(output, message):
    """How many times ``message`` was printed, as it is or JSON-escaped (in a result), without ansible-core 2.19's own
    echo of every task failure ("[ERROR]: Task failed: Action failed: <msg>", before the fatal line with the result)."""
    forms = {message, json.dumps(message)[1:-1]}
    return sum(line.count(form) for line in output.splitlines() if not line.startswith("[ERROR]: Task failed: ")
               for form in forms)


def module_task_lines(output):
    """The result lines of the task that runs the module."""
    section = output.split(MODULE_TASK, 1)[1].split("\nTASK [", 1)[0]
    return [line for line in section.splitlines() if re.match(r"^(ok|changed|failed|fatal): \[", line)]


def assert_ran_on_the_controller_only(run):
    assert "UNREACHABLE" not in run.output, run.output
    lines = module_task_lines(run.output)
    assert lines and all("-> localhost]" in line for line in lines), lines


def assert_module_ran_once_per_project(run, names):
    """One module run per distinct name: one result line each in the module's task."""
    items = sorted(re.search(r"\(item=(.*)\)$", line).group(1) for line in module_task_lines(run.output))
    assert items == sorted(set(names)), items


def missing(names):
    """The names the role passes to the module: those its lookup did not find (the existing ones are only read)."""
    return [name for name in names if name not in EXISTING]


def assert_one_lookup_and_no_write(sim):
    """A no-op run: the role's one lookup of the account (public_cloud_project_info) and nothing else."""
    assert [(e["method"], e["path"]) for e in sim.journal()] == [
        ("GET", "/auth/time"), ("GET", "/cloud/project"), ("GET", "/cloud/order")]


def assert_ordered_once_each(sim, names):
    """Exactly one cart, one checkout and one description configuration per name, and nothing else."""
    assert len(sim.calls("POST", "/order/cart")) == len(names)
    assert len(sim.checkouts()) == len(names)
    assert sorted(value for dummy, value in configurations(sim, "description")) == sorted(names)


def assert_orders_one_at_a_time(sim):
    """The calls of each cart form one block in the journal: no two orders were placed at the same time."""
    carts = [e["path"].split("/")[3] for e in sim.journal() if re.match(r"/order/cart/[^/]+/", e["path"])]
    blocks = [cart for index, cart in enumerate(carts) if index == 0 or carts[index - 1] != cart]
    assert len(blocks) == len(set(blocks)), blocks


def assert_voucher_on_its_project_only(sim, name, code):
    carts = dict((value, cart) for cart, value in configurations(sim, "description"))
    assert configurations(sim, "voucher") == [(carts[name], code)]
    assert [e["query"] for e in sim.calls("GET", "/cloud/eligibility") if "voucher" in (e["query"] or {})] == \
        [{"voucher": code}]
    assert [v for v in sim.account(NIC)["vouchers"] if v["code"] == code][0]["used"] is True


def test_per_host_inventory_orders_each_missing_project_once_then_changes_nothing(sim):
    existing = seed(sim)
    # credentials={}: no OVH_* credential in the environment, the group's variables must be used
    run = run_role(sim, "per_host", credentials={})
    assert run.rc == 0, run.output
    assert_ran_on_the_controller_only(run)
    assert_module_ran_once_per_project(run, missing(PER_HOST.values()))

    assert_ordered_once_each(sim, ["new-charlie", "new-delta", "new-foxtrot"])
    assert_orders_one_at_a_time(sim)
    assert_voucher_on_its_project_only(sim, "new-delta", VOUCHER)
    assert all(e["body"]["ovhSubsidiary"] == "FR" for e in sim.calls("POST", "/order/cart"))

    # one project per name in the account; every host's fact holds the id of its project
    ids = ids_by_name(sim)
    assert sorted(ids) == sorted(set(PER_HOST.values())) and all(len(v) == 1 for v in ids.values()), ids
    facts = run.result["project"]
    assert sorted(facts) == sorted(PER_HOST)
    for host, name in PER_HOST.items():
        fact = facts[host]
        assert fact["name"] == name and fact["project_id"] == ids[name][0], (host, fact)
        assert fact["status"] == "ok" and fact["failed"] is False and fact["pending_payment"] is False
        assert fact["changed"] is (name not in EXISTING), (host, fact)
    for name, project_id in existing.items():
        assert ids[name] == [project_id]
        assert [f["order"] for f in facts.values() if f["name"] == name] == [None]
    # the two hosts naming new-charlie share one order and one project
    assert facts["project-c.example.invalid"] == facts["project-e.example.invalid"]
    assert facts["project-c.example.invalid"]["order"]["order_id"] in [o["orderId"] for o in sim.state()["orders"]]
    assert all(value is None for value in run.result["results"].values())
    assert summary(run.output) == (5, 2, 3, 0, 0)

    # the second run changes nothing, writes nothing and checks no eligibility
    sim.clear_journal()
    second = run_role(sim, "per_host", credentials={})
    assert second.rc == 0, second.output
    assert_one_lookup_and_no_write(sim)
    project_ids = dict((host, fact["project_id"]) for host, fact in facts.items())
    assert dict((host, fact["project_id"]) for host, fact in second.result["project"].items()) == project_ids
    assert all(not fact["changed"] and fact["order"] is None for fact in second.result["project"].values())
    counts = recap(second.output)
    assert sorted(counts) == sorted(PER_HOST) and all(c[1] == 0 for c in counts.values()), second.output
    assert summary(second.output) == (5, 5, 0, 0, 0)


@pytest.mark.slow  # the per-host inventory test above orders and reruns the same way
def test_project_list_inventory_orders_each_missing_project_once_then_changes_nothing(sim):
    existing = seed(sim)
    run = run_role(sim, "project_list")
    assert run.rc == 0, run.output
    assert_ran_on_the_controller_only(run)
    assert_module_ran_once_per_project(run, missing(LIST))

    assert_ordered_once_each(sim, ["new-charlie", "new-delta", "new-echo"])
    assert_voucher_on_its_project_only(sim, "new-delta", VOUCHER)
    # an entry's own subsidiary wins over the host's
    subsidiaries = dict((e["body"]["description"].split(":", 1)[1], e["body"]["ovhSubsidiary"])
                        for e in sim.calls("POST", "/order/cart"))
    assert subsidiaries == {"new-charlie": "FR", "new-delta": "FR", "new-echo": "DE"}

    ids = ids_by_name(sim)
    assert sorted(ids) == sorted(set(LIST)) and all(len(v) == 1 for v in ids.values()), ids
    results = run.result["results"][LIST_HOST]
    assert [r["name"] for r in results] == LIST
    assert [r["project_id"] for r in results] == [ids[name][0] for name in LIST]
    assert [r["changed"] for r in results] == [name not in EXISTING for name in LIST]
    assert all(r["status"] == "ok" and r["failed"] is False for r in results)
    assert [r["project_id"] for r in results[:2]] == [existing[name] for name in EXISTING]
    assert results[2] == results[4]  # new-charlie, listed twice: one order, one result
    assert run.result["project"][LIST_HOST] is None
    assert summary(run.output) == (5, 2, 3, 0, 0)

    # the second run changes nothing and writes nothing
    sim.clear_journal()
    second = run_role(sim, "project_list")
    assert second.rc == 0, second.output
    assert_one_lookup_and_no_write(sim)
    after = second.result["results"][LIST_HOST]
    assert [r["project_id"] for r in after] == [r["project_id"] for r in results] and all(not r["changed"] for r in after)
    assert recap(second.output)[LIST_HOST][1] == 0, second.output
    assert summary(second.output) == (5, 5, 0, 0, 0)


def test_credentials_from_group_variables_never_show(sim):
    seed(sim)
    run = run_role(sim, "per_host", credentials={}, verbosity=4)
    assert run.rc == 0, run.output
    assert len(sim.checkouts()) == 3
    assert "task path:" in run.output  # the verbosity really applied
    for secret in ("demo-application-secret", "demo-consumer-key"):
        assert secret not in run.output, "secret %r leaked" % secret


def test_check_mode_orders_nothing_and_reports_what_it_would_order(sim):
    existing = seed(sim)
    run = run_role(sim, "per_host", credentials={}, check=True)
    assert run.rc == 0, run.output
    assert sim.writes() == []
    state = sim.state()
    assert state["carts"] == [] and state["orders"] == []
    facts = run.result["project"]
    for host, name in PER_HOST.items():
        if name in EXISTING:
            assert facts[host]["project_id"] == existing[name] and facts[host]["changed"] is False
        else:
            assert facts[host]["project_id"] is None and facts[host]["changed"] is True
            assert facts[host]["msg"] == "would be ordered (check mode)"
    assert "to order 3" in run.output
    assert summary(run.output) == (5, 2, 3, 0, 0)


@pytest.mark.parametrize("inventory, failing, fine, fragments", [
    ("bad_wait_timeout.yml", ["bad.example.invalid"], ["good-project"],
     ["argument 'public_cloud_project_wait_timeout' is of type", "convert to int"]),
    ("unknown_subsidiary.yml", ["project-a.example.invalid", "project-b.example.invalid"], [],
     ["value of public_cloud_project_subsidiary must be one of", "got: XX"]),
    ("unknown_subsidiary_in_list.yml", [LIST_HOST], [], ["value of subsidiary must be one of",
                                                         "got: XX found in public_cloud_project_projects"]),
    ("missing_name.yml", ["nameless.example.invalid"], ["good-project"],
     ["public_cloud_project_name is not set for host nameless.example.invalid"]),
    ("missing_name_in_list.yml", [LIST_HOST], [], ["missing required arguments: name found in public_cloud_project_projects"]),
    ("name_and_projects.yml", [LIST_HOST], [], ["public_cloud_project_name and public_cloud_project_projects are both set"]),
    ("bad_name.yml", ["spaced.example.invalid"], ["good-project"],
     ["public_cloud_project_name ", "spaced-project ", " of host spaced.example.invalid is not a project name"]),
    ("conflicting_settings.yml", ["first.example.invalid", "second.example.invalid"], [],
     ["hosts first.example.invalid and second.example.invalid both name project shared-project but differ in voucher",
      "FIRST10", "SECOND20"]),
])
@pytest.mark.core_matrix
def test_bad_variables_fail_their_hosts_before_any_api_call_and_the_others_go_on(sim, inventory, failing, fine, fragments):
    run = run_role(sim, inventory)
    assert run.rc == 2, run.output
    # each host at fault fails, once, with the message; the host that is fine has its project ordered
    counts = recap(run.output)
    assert sorted(host for host, c in counts.items() if c[3]) == sorted(failing), run.output
    messages = dict((host, failure_message(run.output, host)) for host in failing)
    for host, message in messages.items():
        fatal = [line for line in run.output.splitlines() if line.startswith("fatal: [%s]" % host)]
        assert len(fatal) == 1, run.output
        assert all(fragment in message for fragment in fragments), message
        # printed in its host's failure only (two hosts in conflict share the message: once each)
        assert printed(run.output, message) == list(messages.values()).count(message), run.output
    assert "...ignoring" not in run.output
    if fine:
        assert_ordered_once_each(sim, fine)
    else:  # nothing to look up: no API call at all
        assert sim.journal() == []
    assert summary(run.output)[0] == len(fine)


def test_failed_project_is_summarised_and_fails_its_host_after_the_others(sim):
    run = run_role(sim, "failures_and_unpaid.yml")
    assert run.rc == 2, run.output
    assert summary(run.output) == (3, 0, 1, 1, 1)
    # the failure is named after the summary, on its own host only
    fail = "Public Cloud project of host voucher-unknown.example.invalid failed: with-unknown-voucher: "
    assert fail in run.output and "NOSUCHVOUCHER" in run.output.split(fail, 1)[1].splitlines()[0]
    assert run.output.index(fail) > SUMMARY.search(run.output).start()
    counts = recap(run.output)
    assert counts["voucher-unknown.example.invalid"][3] == 1
    assert counts["unpaid.example.invalid"][3] == 0 and counts["fine.example.invalid"][3] == 0
    # the others were ordered, the unpaid one without paying; the failed one never got a cart
    assert_ordered_once_each(sim, ["pay-later", "fine-project"])
    # every checkout pays nothing; the order of the auto-paid project is paid once checked, the other one is not
    assert [e["body"]["autoPayWithPreferredPaymentMethod"] for e in sim.checkouts()] == [False, False]
    assert sorted(o["description"] for o in sim.paid_orders()) == ["fine-project"]
    pending = re.search(r"pending payment: pay-later: order (\d+) waits for payment at https://", run.output)
    assert pending, run.output
    unpaid = [o for o in sim.state()["orders"] if o["orderId"] == int(pending.group(1))]
    assert unpaid and unpaid[0]["status"] == "notPaid"


RECAP_INVENTORY = "per_host_recap.yml"
CONFLICTING = ("conflict-a.example.invalid", "conflict-b.example.invalid")


def assert_each_host_reports_its_own(run, changed, failed):
    """The PLAY RECAP: changed on the hosts of ``changed`` only, failed on those of ``failed`` only; each failure once,
    with its one message, and no failure shown and ignored on the way (the role's run_once tasks)."""
    counts = recap(run.output)
    assert sorted(counts) == sorted(["existing.example.invalid", "ordered.example.invalid",
                                     "voucher-unknown.example.invalid"] + list(CONFLICTING)), run.output
    assert sorted(host for host, c in counts.items() if c[1]) == sorted(changed), run.output
    assert sorted(host for host, c in counts.items() if c[3]) == sorted(failed), run.output
    assert all(c[1] <= 1 and c[3] <= 1 for c in counts.values()), run.output
    assert "...ignoring" not in run.output and not re.search(r"^failed: \[", run.output, re.M), run.output
    fatal = re.findall(r"^fatal: \[([^\]]+)\]", run.output, re.M)
    assert sorted(fatal) == sorted(failed), run.output
    messages = dict((host, failure_message(run.output, host)) for host in failed)
    for message in messages.values():
        assert printed(run.output, message) == list(messages.values()).count(message), (message, run.output)
    return messages


@pytest.mark.core_matrix
def test_each_host_reports_its_own_change_and_failure_in_the_recap(sim):
    seed(sim)
    run = run_role(sim, RECAP_INVENTORY)
    assert run.rc == 2, run.output
    messages = assert_each_host_reports_its_own(run, changed=["ordered.example.invalid"],
                                                failed=["voucher-unknown.example.invalid"] + list(CONFLICTING))
    assert messages["voucher-unknown.example.invalid"].startswith(
        "Public Cloud project of host voucher-unknown.example.invalid failed: recap-bad-voucher: ")
    assert "NOSUCHVOUCHER" in messages["voucher-unknown.example.invalid"]
    conflict = ("hosts conflict-a.example.invalid and conflict-b.example.invalid both name project recap-shared but "
                "differ in voucher")
    assert messages["conflict-a.example.invalid"] == messages["conflict-b.example.invalid"]
    assert messages["conflict-a.example.invalid"].startswith(conflict)
    # the summary names the failed project and the hosts left out, without their messages
    assert summary(run.output) == (3, 1, 1, 0, 1)
    assert re.search(r'^ +"failed: recap-bad-voucher",?$', run.output, re.M), run.output
    assert re.search(r'"hosts left out \(.*\): conflict-a.example.invalid, conflict-b.example.invalid"', run.output)
    # the simulator recorded one order, for the ordered host's project; no cart for the others
    assert_ordered_once_each(sim, ["recap-new"])
    assert sorted(ids_by_name(sim)) == ["existing-alpha", "existing-bravo", "recap-new"]
    facts = run.result["project"]
    assert facts["ordered.example.invalid"]["changed"] is True and facts["existing.example.invalid"]["changed"] is False
    assert facts["voucher-unknown.example.invalid"]["failed"] is True

    # a rerun, in a new ansible-playbook process: nothing changes anywhere, the same hosts fail, nothing is ordered
    sim.clear_journal()
    second = run_role(sim, RECAP_INVENTORY)
    assert second.rc == 2, second.output
    again = assert_each_host_reports_its_own(second, changed=[], failed=list(messages))
    assert [again[host] for host in CONFLICTING] == [messages[host] for host in CONFLICTING]
    assert again["voucher-unknown.example.invalid"].split("(X-Ovh-QueryID")[0] == \
        messages["voucher-unknown.example.invalid"].split("(X-Ovh-QueryID")[0]
    assert sim.checkouts() == [] and sim.calls("POST", "/order/cart") == []


@pytest.mark.core_matrix
def test_the_roles_filters_are_no_public_plugins():
    """ansible-doc lists the modules and the role, and neither the role's internal filters nor a test."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    listed = {}
    for kind in ("module", "role", "filter", "test"):
        proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-t", kind, "-l", "--json", "ovhcloud.public_cloud"],
                              env=env, capture_output=True, text=True, check=True)
        listed[kind] = sorted(json.loads(proc.stdout))
    assert listed == {"module": ["ovhcloud.public_cloud.public_cloud_api_probe", "ovhcloud.public_cloud.public_cloud_project",
                                 "ovhcloud.public_cloud.public_cloud_project_info", "ovhcloud.public_cloud.public_cloud_user"],
                      "role": ["ovhcloud.public_cloud.public_cloud_project"], "filter": [], "test": []}
