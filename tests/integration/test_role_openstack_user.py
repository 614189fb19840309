# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public_cloud_project role's OpenStack users: public_cloud_project_openstack_user, or openstack_user in
an entry of public_cloud_project_projects, makes sure each project has its user and clouds.yaml entry once it exists.

The public_cloud_user module runs on the controller, once per project that asks for a user, after the order step; a
play without the variable makes the calls it made before and no user call. Tests assert on the simulator's journal and
state, on the facts the role leaves on the hosts, on the clouds.yaml written, and on the output (where no password
may appear, even at -vvv).
"""

import json
import os
import re
import stat

import pytest
import yaml

from conftest import run_playbook
from test_role import recap, summary
from test_role_lookup import write_inventory

NIC = "xx1111-ovh"
LOOKUP = [("GET", "/auth/time"), ("GET", "/cloud/project"), ("GET", "/cloud/order")]
USER_TASK = "TASK [ovhcloud.public_cloud.public_cloud_project : Make sure the OpenStack users of the projects exist"
USERS_SUMMARY = re.compile(r"OpenStack users: (\d+) \(found (\d+), (?:created|to create) (\d+), (?:updated|to update) (\d+), "
                           r"not yet (\d+), failed (\d+)\)")


def run_role(sim, tmp_path, hosts, **kwargs):
    """The order_projects playbook over ``hosts`` ({host: variables}) in one group."""
    return run_playbook(sim, "role_order_projects.yml", inventory=write_inventory(tmp_path, {"demo": {"hosts": hosts}}),
                        **kwargs)


def user_posts(sim):
    """The project ids of the POST /cloud/project/{id}/user calls, in order."""
    return [e["path"].split("/")[3] for e in sim.calls("POST", r"/cloud/project/[^/]+/user")]


def user_calls(sim):
    return sim.calls(None, r"/cloud/project/[^/]+/(user|region|role)(/.*)?")


def users_summary(output):
    matches = USERS_SUMMARY.findall(output)
    assert len(matches) == 1, "expected exactly one summary of the users in:\n%s" % output
    return tuple(int(n) for n in matches[0])


def read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


def project_ids(sim):
    return dict((p["description"], p["project_id"]) for p in sim.state()["projects"] if p["nichandle"] == NIC)


@pytest.fixture(name="clouds_yaml")
def clouds_yaml_fixture(tmp_path):
    return str(tmp_path / "openstack" / "clouds.yaml")


def test_an_existing_and_a_new_project_get_their_users_once_and_a_rerun_writes_nothing(sim, tmp_path, clouds_yaml):
    sim.config(user_creating_delay=0.2)
    existing = sim.seed_projects(NIC, [{"description": "existing-alpha"}])[0]
    user = {"description": "ansible", "clouds_yaml": clouds_yaml}
    hosts = {"alpha.example.invalid": {"public_cloud_project_name": "existing-alpha", "public_cloud_project_openstack_user": user},
             "list.example.invalid": {"public_cloud_project_projects": [
                 {"name": "new-bravo", "openstack_user": dict(user, roles=["compute_operator", "network_operator"])},
                 {"name": "no-user"}]}}
    run = run_role(sim, tmp_path, hosts, verbosity=3)
    assert run.rc == 0, run.output
    ids = project_ids(sim)
    assert ids["existing-alpha"] == existing and set(ids) == {"existing-alpha", "new-bravo", "no-user"}

    # one user per project that asks for one, created once; none for the other
    assert sorted(user_posts(sim)) == sorted([existing, ids["new-bravo"]])
    [alpha] = sim.openstack_users(existing)
    [bravo] = sim.openstack_users(ids["new-bravo"])
    assert sim.openstack_users(ids["no-user"]) == []
    assert (alpha["description"], alpha["roles"], alpha["status"]) == ("ansible", ["administrator"], "ok")
    assert (bravo["description"], bravo["roles"]) == ("ansible", ["compute_operator", "network_operator"])

    # both entries in one clouds.yaml, mode 0600, named after the projects (the module's default cloud_name)
    assert stat.S_IMODE(os.stat(clouds_yaml).st_mode) == 0o600
    clouds = yaml.safe_load(read_bytes(clouds_yaml))["clouds"]
    assert sorted(clouds) == ["existing-alpha", "new-bravo"]
    for name, project_user in (("existing-alpha", alpha), ("new-bravo", bravo)):
        auth = clouds[name]["auth"]
        assert (auth["username"], auth["password"], auth["project_id"]) == (
            project_user["username"], project_user["password"], ids[name])

    # what the hosts get: the user (no password), the file and the entry
    fact = run.result["project"]["alpha.example.invalid"]
    assert fact["openstack_user"] == {
        "user": {"id": alpha["id"], "username": alpha["username"], "description": "ansible", "status": "ok",
                 "roles": ["administrator"], "creation_date": fact["openstack_user"]["user"]["creation_date"]},
        "clouds_yaml": clouds_yaml, "cloud_name": "existing-alpha", "changed": True, "failed": False, "msg": "created"}
    assert fact["changed"] is False and fact["msg"] == "exists"
    results = run.result["results"]["list.example.invalid"]
    assert results[0]["openstack_user"]["user"]["id"] == bravo["id"] and results[0]["openstack_user"]["msg"] == "created"
    assert results[0]["msg"].startswith("ordered") and "openstack_user" not in results[1]
    # (at -vvv the report's fact shows the summary too)
    assert "Public Cloud projects: 3 (found 1, ordered 2, pending payment 0, failed 0)" in run.output
    assert "OpenStack users: 2 (found 0, created 2, updated 0, not yet 0, failed 0)" in run.output

    # no password in the output at -vvv, nor in the facts
    for password in (alpha["password"], bravo["password"]):
        assert password not in run.output and password not in json.dumps(run.result)

    # a rerun: no write to the API, the file byte for byte
    before = read_bytes(clouds_yaml)
    sim.clear_journal()
    rerun = run_role(sim, tmp_path, hosts)
    assert rerun.rc == 0, rerun.output
    assert sim.writes() == [], sim.writes()
    assert [(e["method"], e["path"]) for e in sim.journal()][:3] == LOOKUP
    assert read_bytes(clouds_yaml) == before
    again = rerun.result["project"]["alpha.example.invalid"]["openstack_user"]
    assert (again["changed"], again["msg"], again["user"]["id"]) == (False, "exists", alpha["id"])
    assert summary(rerun.output) == (3, 3, 0, 0, 0) and users_summary(rerun.output) == (2, 2, 0, 0, 0, 0)


@pytest.mark.core_matrix
def test_without_the_variable_no_user_call_and_the_same_calls_as_before(sim, tmp_path):
    sim.seed_projects(NIC, [{"description": "alpha"}, {"description": "bravo"}])
    hosts = {"alpha.example.invalid": {"public_cloud_project_name": "alpha"},
             "list.example.invalid": {"public_cloud_project_projects": [{"name": "bravo"}]}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 0, run.output
    assert [(e["method"], e["path"]) for e in sim.journal()] == LOOKUP
    assert user_calls(sim) == []
    # the users' task has no item: skipped, once
    section = run.output.split(USER_TASK, 1)[1].split("\nTASK [", 1)[0]
    assert "skipping:" in section and "ok: [" not in section and "changed: [" not in section
    assert "openstack_user" not in run.result["project"]["alpha.example.invalid"]
    assert "openstack_user" not in run.result["results"]["list.example.invalid"][0]
    assert "OpenStack users:" not in run.output  # no line of the summary either


def test_a_user_that_fails_fails_its_host_and_an_unpaid_project_gets_no_user_yet(sim, tmp_path, clouds_yaml):
    sim.config(user_creating_delay=0.2)
    fine, broken = sim.seed_projects(NIC, [{"description": "fine"}, {"description": "broken"}])
    hosts = {"fine.example.invalid": {"public_cloud_project_name": "fine",
                                      "public_cloud_project_openstack_user": {"description": "ansible", "clouds_yaml": clouds_yaml}},
             "broken.example.invalid": {"public_cloud_project_name": "broken",
                                        "public_cloud_project_openstack_user": {"description": "ansible",
                                                                                "roles": ["no_such_role"]}},
             "unpaid.example.invalid": {"public_cloud_project_name": "unpaid", "public_cloud_project_auto_pay": False,
                                        "public_cloud_project_openstack_user": {"description": "ansible"}}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 2, run.output
    assert sorted(user_posts(sim)) == sorted([fine, broken])  # the broken one was refused by the API
    assert [u["description"] for u in sim.openstack_users(fine)] == ["ansible"] and sim.openstack_users(broken) == []
    # a failed host ends the play before the facts are saved: the summary and the failure say it all
    assert "OpenStack users: 3 (found 0, created 1, updated 0, not yet 1, failed 1)" in run.output
    assert "OpenStack users not yet: unpaid: no user yet: the project's order waits for payment" in run.output
    assert "OpenStack users failed: broken\"" in run.output, run.output  # named; its message is in its host's failure
    assert sim.calls(None, r"/cloud/project/[^/]+/user") and not [
        e for e in user_calls(sim) if e["path"].split("/")[3] not in (fine, broken)]
    # the broken host fails, after the summary, naming the project; the others do not
    fail = "OpenStack user of the project of host broken.example.invalid failed: broken: "
    assert fail in run.output, run.output
    counts = recap(run.output)
    assert counts["broken.example.invalid"][3] == 1
    assert counts["fine.example.invalid"][3] == 0 and counts["unpaid.example.invalid"][3] == 0


def test_bad_user_variables_fail_their_hosts_before_any_api_call(sim, tmp_path):
    hosts = {"nodesc.example.invalid": {"public_cloud_project_name": "a", "public_cloud_project_openstack_user": {"roles": ["administrator"]}},
             "list.example.invalid": {"public_cloud_project_projects": [
                 {"name": "b", "openstack_user": {"description": "ansible", "colour": "blue"}}]},
             "same-1.example.invalid": {"public_cloud_project_name": "c",
                                        "public_cloud_project_openstack_user": {"description": "x", "clouds_yaml": "/tmp/c.yaml",
                                                                                "cloud_name": "shared"}},
             "same-2.example.invalid": {"public_cloud_project_name": "d",
                                        "public_cloud_project_openstack_user": {"description": "x", "clouds_yaml": "/tmp/c.yaml",
                                                                                "cloud_name": "shared"}}}
    run = run_role(sim, tmp_path, hosts)
    assert run.rc == 2, run.output
    assert sim.journal() == []  # every host is left out: nothing to look up
    assert sorted(host for host, counts in recap(run.output).items() if counts[3]) == sorted(hosts), run.output
    assert ("Validation of the variables of host nodesc.example.invalid failed: missing required arguments: description "
            "found in public_cloud_project_openstack_user") in run.output
    assert "Validation of the variables of host list.example.invalid failed:" in run.output and "colour" in run.output
    assert 'would both write the entry "shared" of /tmp/c.yaml' in run.output
