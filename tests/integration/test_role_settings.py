# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public_cloud_project role passes a project's settings to the module as a whole: an option of the module that no
task of the role names (duration) reaches the module, from a host's variable and from an entry of a list, and a host
whose inventory the play's variables override is left out before any API call. Tests assert on the playbook output and
the simulator's journal."""

import os

import pytest

from conftest import run_playbook
from test_role import failure_message, summary
from test_role_lifecycle import module_items
from test_role_lookup import write_inventory

NIC = "xx1111-ovh"


def run_role(sim, tmp_path, hosts, playbook="role_order_projects.yml"):
    return run_playbook(sim, playbook, inventory=write_inventory(tmp_path, {"demo": {"hosts": hosts}}))


@pytest.mark.core_matrix
def test_an_option_no_task_names_reaches_the_module_from_a_variable_and_from_an_entry(sim, tmp_path):
    sim.seed_projects(NIC, [{"description": "existing"}])
    hosts = {"variable.example.invalid": {"public_cloud_project_name": "by-variable",
                                          "public_cloud_project_duration": "one month"},
             "entry.example.invalid": {"public_cloud_project_projects": [{"name": "by-entry", "duration": "P1Y2"},
                                                                         {"name": "existing"}]}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 2, run.output
    # the module ran for both names, and refused each duration with its own check, before any cart
    assert module_items(run.output) == ["by-entry", "by-variable"]
    assert "duration 'one month' is not an ISO-8601 duration" in failure_message(run.output, "variable.example.invalid")
    assert "duration 'P1Y2' is not an ISO-8601 duration" in failure_message(run.output, "entry.example.invalid")
    assert sim.calls("POST", "/order/cart") == []
    assert summary(run.output) == (3, 1, 0, 0, 2)


PLAY_OVERRIDING = """
- name: Public Cloud projects, a setting in the play's variables
  hosts: public_cloud_projects
  gather_facts: false
  vars:
    public_cloud_project_wait_timeout: 600
  tasks:
    - name: Make sure the Public Cloud projects exist
      ansible.builtin.import_role:
        name: ovhcloud.public_cloud.public_cloud_project
        rolespec_validate: false
"""


@pytest.mark.core_matrix
def test_play_variables_apply_to_every_host_and_a_host_whose_inventory_they_override_fails(sim, tmp_path):
    sim.seed_projects(NIC, [{"description": "alpha"}, {"description": "bravo"}])
    playbook = os.path.join(str(tmp_path), "play.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAY_OVERRIDING)
    hosts = {"alpha.example.invalid": {"public_cloud_project_name": "alpha"},
             "bravo.example.invalid": {"public_cloud_project_name": "bravo", "public_cloud_project_wait_timeout": 60}}
    run = run_role(sim, tmp_path, hosts, playbook=playbook)
    assert run.rc == 2, run.output
    assert failure_message(run.output, "bravo.example.invalid").startswith(
        "public_cloud_project_wait_timeout of host bravo.example.invalid is set both in its inventory variables and, with"
        " another value, in play or role variables")
    assert "fatal: [alpha.example.invalid]" not in run.output
    # the host that is fine was looked up (one lookup, no module run)
    assert [(e["method"], e["path"]) for e in sim.journal()] == [("GET", "/auth/time"), ("GET", "/cloud/project"),
                                                                 ("GET", "/cloud/order")]
    assert summary(run.output) == (1, 1, 0, 0, 0)


PLAY_WHEN = """
- name: Public Cloud projects, the role applied with a condition
  hosts: public_cloud_projects
  gather_facts: false
  tasks:
    - name: Make sure the Public Cloud projects exist, but for the hosts the condition leaves out
      ansible.builtin.import_role:
        name: ovhcloud.public_cloud.public_cloud_project
        rolespec_validate: false
      when: inventory_hostname != 'left-out.example.invalid'
"""


@pytest.mark.core_matrix
def test_a_condition_on_the_role_leaves_its_hosts_out(sim, tmp_path):
    """The tasks run once read only the hosts the role applies to: a host a `when` leaves out orders nothing."""
    playbook = os.path.join(str(tmp_path), "play.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAY_WHEN)
    hosts = {"wanted.example.invalid": {"public_cloud_project_name": "wanted"},
             "left-out.example.invalid": {"public_cloud_project_name": "left-out"}}
    run = run_playbook(sim, playbook, inventory=write_inventory(tmp_path, {"demo": {"hosts": hosts}}))
    assert run.rc == 0, run.output
    assert module_items(run.output) == ["wanted"]
    names = [e["body"]["value"] for e in sim.calls("POST", r"/order/cart/[^/]+/item/\d+/configuration")
             if e["body"]["label"] == "description"]
    assert names == ["wanted"], run.output
    assert len(sim.checkouts()) == 1
    assert sorted(p["description"] for p in sim.state()["projects"]) == ["wanted"]


PLAY_NESTED_CONDITIONS = """
- name: Public Cloud projects, the role included under a block's condition and its own, one of them a host's fact
  hosts: public_cloud_projects
  gather_facts: false
  tasks:
    - name: Each host says whether it wants a project
      ansible.builtin.set_fact:
        wants_project: "{{ inventory_hostname != 'left-out-by-fact.example.invalid' }}"

    - name: Projects, but not for the hosts the block leaves out
      when: inventory_hostname != 'left-out-by-block.example.invalid'
      block:
        - name: Make sure the Public Cloud projects exist, for the hosts that want one
          ansible.builtin.include_role:
            name: ovhcloud.public_cloud.public_cloud_project
          when: wants_project | bool
"""


@pytest.mark.core_matrix
def test_the_conditions_of_a_block_and_an_include_leave_their_hosts_out_each_evaluated_for_its_host(sim, tmp_path):
    """The role's first task keeps the hosts for which every condition it inherits holds, evaluated for each host with
    that host's variables (a fact set by an earlier task here): no task runs per host for it."""
    playbook = os.path.join(str(tmp_path), "play.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(PLAY_NESTED_CONDITIONS)
    hosts = {"a-wanted.example.invalid": {"public_cloud_project_name": "a-wanted"},
             "left-out-by-fact.example.invalid": {"public_cloud_project_name": "by-fact"},
             "left-out-by-block.example.invalid": {"public_cloud_project_name": "by-block"},
             "z-wanted.example.invalid": {"public_cloud_project_name": "z-wanted"}}
    run = run_playbook(sim, playbook, inventory=write_inventory(tmp_path, {"demo": {"hosts": hosts}}))
    assert run.rc == 0, run.output
    assert module_items(run.output) == ["a-wanted", "z-wanted"]
    assert len(sim.checkouts()) == 2
    assert sorted(p["description"] for p in sim.state()["projects"]) == ["a-wanted", "z-wanted"]
    assert summary(run.output) == (2, 0, 2, 0, 0)
