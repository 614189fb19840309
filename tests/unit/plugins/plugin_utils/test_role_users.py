# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's OpenStack users (public_cloud_project_openstack_user, openstack_user per entry) through its filters:
the variable checked and keyed with the projects, the projects the public_cloud_user module runs for, and the report."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_report import project_report
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_users import (
    NO_USER_RESULT,
    project_users,
    user_outcome,
)
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import (
    openstack_user,
    project_failures,
    project_specs,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.plugin_utils.role_defaults import DEFAULTS

USER = {"description": "ansible", "roles": ["administrator"], "region": None, "clouds_yaml": None, "cloud_name": None,
        "regenerate_password": False}
ROLE_SPEC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "public_cloud_project", "meta",
                         "argument_specs.yml")
MODULE_USER = {"id": 7, "username": "user-abc", "description": "ansible", "status": "ok", "roles": ["administrator"],
               "creation_date": "2026-11-30T05:00:00+00:00"}


def role_options():
    with open(ROLE_SPEC, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def host(name=None, projects=None, host_name="h1", **defaults):
    """A host's record, as project_hosts gives it."""
    return {"host": host_name, "name": name, "projects": projects, "endpoint": "ovh-eu", "application_key": "AK",
            "client_id": None, "secrets": "0" * 12, "defaults": dict(DEFAULTS, **defaults)}


def project(name, project_id=None, status="ok"):
    return {"project_id": project_id or "id-" + name, "name": name, "status": status,
            "creation_date": "2026-11-30T05:00:00+00:00", "plan_code": "project.2018", "order_id": None}


def lookup(account, projects=()):
    return {"item": account, "changed": False, "projects": list(projects), "pending_orders": []}


def test_the_user_asked_for_gets_the_role_defaults():
    assert openstack_user({"description": "ansible"}) == USER
    assert openstack_user({"description": "ci", "roles": "compute_operator, network_operator", "region": "SBG5",
                           "clouds_yaml": "~/c.yaml", "cloud_name": "", "regenerate_password": "yes"}) == {
        "description": "ci", "roles": ["compute_operator", "network_operator"], "region": "SBG5", "clouds_yaml": "~/c.yaml",
        "cloud_name": None, "regenerate_password": True}
    assert openstack_user(None) is None and openstack_user("ansible") is None


def test_specs_have_the_user_of_their_entry_else_of_the_host_and_none_with_state_absent():
    specs = project_specs([{"name": "a"}, {"name": "b", "openstack_user": {"description": "b-user", "roles": ["x"]}},
                           {"name": "c", "openstack_user": None}, {"name": "d", "state": "absent", "allow_termination": True}],
                          host="h1", endpoint="ovh-eu", defaults=dict(DEFAULTS, openstack_user={"description": "ansible"}))
    assert [s.get("openstack_user") for s in specs] == [USER, dict(USER, description="b-user", roles=["x"]), USER, None]
    assert "openstack_user" not in specs[3]
    # no user asked for: no key at all (the specs are those of a run without the variable)
    assert all("openstack_user" not in s for s in project_specs(None, name="a", host="h1", defaults=DEFAULTS))


def test_hosts_naming_one_project_with_different_users_disagree():
    play = project_play([host("a", openstack_user={"description": "one"}), host("a", host_name="h2"),
                         host("a", host_name="h3", openstack_user={"description": "one"})])
    msg = ('hosts h1 and h2 both name project a but differ in openstack_user ({"cloud_name": null, "clouds_yaml": null, '
           '"description": "one", "regenerate_password": false, "region": null, "roles": ["administrator"]} on h1, null on'
           ' h2): make them agree; nothing was ordered')
    # every host naming the project fails with the message, and the project is left alone
    assert play["problems"] == [{"host": "h1", "msg": msg}, {"host": "h2", "msg": msg}, {"host": "h3", "msg": msg}]
    assert play["projects"] == [] and play["accounts"] == []


@pytest.mark.parametrize("changes, fragments", [
    ({"defaults": dict(DEFAULTS, openstack_user={"roles": ["administrator"]})},
     ["missing required arguments: description found in public_cloud_project_openstack_user"]),
    ({"defaults": dict(DEFAULTS, openstack_user="ansible")}, ["public_cloud_project_openstack_user", "dict"]),
    ({"defaults": dict(DEFAULTS, openstack_user={"description": "a", "colour": "blue"})},
     ["colour", "public_cloud_project_openstack_user"]),
    ({"defaults": dict(DEFAULTS, openstack_user={"description": "a", "regenerate_password": "perhaps"})},
     ["regenerate_password", "bool"]),
    ({"name": None, "projects": [{"name": "a", "openstack_user": {"roles": ["x"]}}]},
     ["missing required arguments: description found in public_cloud_project_projects -> openstack_user"]),
])
def test_the_argument_specs_check_the_user(changes, fragments):
    play = project_play([dict(host("a"), **changes), host("fine", host_name="h2")], argument_spec=role_options())
    assert len(play["problems"]) == 1, play["problems"]
    msg = play["problems"][0]["msg"]
    assert msg.startswith("Validation of the variables of host h1 failed: ")
    assert all(fragment in msg for fragment in fragments), msg


def test_the_user_values_the_specs_cannot_check():
    play = project_play([host("a", openstack_user={"description": "  "}),
                         host(projects=[{"name": "b", "openstack_user": {"description": "x", "roles": []}}], host_name="h2")],
                        argument_spec=role_options())
    assert [p["msg"] for p in play["problems"]] == [
        'the OpenStack user of project "a" of host h1 has an empty description: set description in '
        "public_cloud_project_openstack_user to the text that identifies the user in the project (for example ansible)",
        'the OpenStack user of project "b" of host h2 has no roles: set roles in openstack_user of its entry of '
        "public_cloud_project_projects (or public_cloud_project_openstack_user) (for example [administrator]), or leave "
        "it out for the default [administrator]"]


def test_two_projects_writing_one_entry_of_one_clouds_yaml_stop_the_play():
    home = os.path.expanduser("~")
    play = project_play([host("a", openstack_user={"description": "x", "clouds_yaml": "~/c.yaml", "cloud_name": "b"}),
                         host("b", host_name="h2", openstack_user={"description": "x", "clouds_yaml": home + "/./c.yaml"}),
                         host("c", host_name="h3", openstack_user={"description": "x", "clouds_yaml": "~/other.yaml",
                                                                   "cloud_name": "b"}),
                         host("d", host_name="h4", openstack_user={"description": "x"})],
                        argument_spec=role_options())
    msg = ('projects "a" of host h1 and "b" of host h2 would both write the entry "b" of %s/./c.yaml (cloud_name, by'
           " default the project's name): give their OpenStack users different cloud_name values; nothing was"
           " ordered" % home)
    # both hosts fail with the message; the others go on
    assert [(p["host"], p["msg"]) for p in play["problems"]] == [("h1", msg), ("h2", msg)]
    assert [p["name"] for p in play["projects"]] == ["c", "d"]


def users_play():
    user = {"description": "ansible"}
    return project_play([host("found", openstack_user=user),
                         host(projects=[{"name": "new", "openstack_user": user}, {"name": "unpaid", "openstack_user": user},
                                        {"name": "bad", "openstack_user": user}, {"name": "plain"}], host_name="list")])


def ordered_results(play):
    specs = dict((spec["name"], spec) for spec in play["projects"])
    return [{"item": specs["new"], "changed": True, "project": project("new"), "order": {"order_id": 9},
             "pending_payment": False},
            {"item": specs["unpaid"], "changed": True, "project": None, "order": {"order_id": 10, "url": "https://pay"},
             "pending_payment": True},
            {"item": specs["bad"], "changed": False, "failed": True, "msg": "voucher NOSUCH is unknown"},
            {"item": specs["plain"], "changed": True, "project": project("plain"), "order": {"order_id": 11},
             "pending_payment": False}]


def test_the_module_runs_for_the_projects_that_exist_and_ask_for_a_user():
    play = users_play()
    lookups = [lookup(play["accounts"][0], [project("found")])]
    users = project_users(play, lookups, ordered_results(play))
    assert [(u["name"], u["project_id"], u["host"], u["account_host"]) for u in users] == [
        ("found", "id-found", "h1", "h1"), ("new", "id-new", "list", "h1")]
    assert users[0]["openstack_user"] == USER and users[0]["connection"] == play["projects"][0]["connection"]
    assert users[0]["key"] == play["projects"][0]["key"]
    # no project asks for a user: nothing, whatever the lookups
    assert project_users(project_play([host("a"), host("b", host_name="h2")]), None) == []
    assert project_users(None, None) == [] and project_users({}, []) == []


def test_check_mode_a_project_to_order_has_no_id_yet():
    user = {"description": "x"}
    play = project_play([host("found", openstack_user=user), host("new", host_name="h2", openstack_user=user)])
    ordered = [{"item": play["projects"][1], "changed": True, "project": None, "order": None, "pending_payment": False}]
    users = project_users(play, [lookup(play["accounts"][0], [project("found")])], ordered, check_mode=True)
    assert [u["name"] for u in users] == ["found"]


@pytest.mark.parametrize("result, check_mode, msg, changed", [
    ({"changed": True, "user": MODULE_USER, "diff": {"before": {"user": None}, "after": {}}}, False, "created", True),
    ({"changed": True, "user": MODULE_USER, "diff": {"before": {"user": MODULE_USER}}}, False, "updated", True),
    ({"changed": False, "user": MODULE_USER}, False, "exists", False),
    ({"changed": True, "user": dict(MODULE_USER, id=None), "diff": {"before": {"user": None}}}, True,
     "would be created (check mode)", True),
])
def test_what_a_host_gets_of_its_user(result, check_mode, msg, changed):
    result = dict(result, clouds_yaml="/c.yaml", cloud_name="found", item={"key": "k"})
    outcome = {"name": "found", "project_id": "id", "failed": False, "pending_payment": False}
    assert user_outcome(result, outcome, check_mode) == {
        "user": result["user"], "clouds_yaml": "/c.yaml", "cloud_name": "found", "changed": changed, "failed": False,
        "msg": msg}


def test_only_the_user_keys_are_reported_never_a_password():
    result = {"changed": True, "user": dict(MODULE_USER, password="s3cret"), "password": "s3cret", "clouds_yaml": None,
              "cloud_name": None, "invocation": {"module_args": {"consumer_key": "ck"}}}
    reported = user_outcome(result, {"project_id": "id", "failed": False, "pending_payment": False})
    assert "s3cret" not in repr(reported) and "ck" not in repr(reported.get("invocation"))
    assert reported["user"] == MODULE_USER


def test_the_report_gives_each_host_its_users_fails_the_hosts_whose_user_failed_and_sums_them_up():
    play = users_play()
    lookups = [lookup(play["accounts"][0], [project("found")])]
    ordered = ordered_results(play)
    items = project_users(play, lookups, ordered)
    users = [{"item": items[0], "changed": False, "user": MODULE_USER, "clouds_yaml": None, "cloud_name": None},
             {"item": items[1], "changed": False, "failed": True, "msg": "unknown role x", "user": None}]
    report = project_report(play, lookups, ordered, users=users)
    found = report["hosts"][0]["public_cloud_project"]
    assert found["msg"] == "exists" and found["openstack_user"]["msg"] == "exists"
    results = dict((r["name"], r) for r in report["hosts"][1]["public_cloud_project_results"])
    assert results["new"]["openstack_user"] == {"user": None, "clouds_yaml": None, "cloud_name": None, "changed": False,
                                                "failed": True, "msg": "unknown role x"}
    assert results["unpaid"]["openstack_user"]["failed"] is False
    assert results["unpaid"]["openstack_user"]["msg"].startswith("no user yet: the project's order waits for payment")
    assert results["bad"]["openstack_user"]["msg"] == "no user: the project failed"
    assert "openstack_user" not in results["plain"]
    assert report["failures"] == {"list": "Public Cloud project of host list failed: bad: voucher NOSUCH is unknown; "
                                          "OpenStack user of the project of host list failed: new: unknown role x"}
    assert report["summary"][5:] == ["OpenStack users: 4 (found 1, created 0, updated 0, not yet 2, failed 1)",
                                     "OpenStack users created: -",
                                     "OpenStack users not yet: unpaid: %s; bad: no user: the project failed"
                                     % results["unpaid"]["openstack_user"]["msg"],
                                     "OpenStack users failed: new"]
    # a user the module never ran for, though its project exists: failed, saying so
    report = project_report(play, lookups, ordered, users=[])
    assert report["hosts"][0]["public_cloud_project"]["openstack_user"]["msg"] == NO_USER_RESULT
    assert "OpenStack user of the project of host h1 failed: found: " + NO_USER_RESULT == report["failures"]["h1"]


def test_a_report_without_users_is_the_report_of_before():
    play = project_play([host("a"), host("b", host_name="h2")])
    lookups = [lookup(play["accounts"][0], [project("a"), project("b")])]
    report = project_report(play, lookups, [], users=[])
    assert report == project_report(play, lookups, [])
    assert len(report["summary"]) == 5 and all("openstack_user" not in h["public_cloud_project"] for h in report["hosts"])


def test_failures_name_the_failed_users_after_the_failed_projects():
    ok_user = {"failed": False, "msg": "exists"}
    outcomes = [{"name": "a", "failed": False, "openstack_user": {"failed": True, "msg": "boom"}},
                {"name": "b", "failed": False, "openstack_user": {"failed": True, "msg": "bang"}},
                {"name": "c", "failed": False, "openstack_user": ok_user}, {"name": "d", "failed": False}]
    assert project_failures(outcomes, "h") == "OpenStack users of the projects of host h failed: a: boom; b: bang"
    assert project_failures(outcomes[2:], "h") == ""
