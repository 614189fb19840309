# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filters of the public_cloud_project role: specs, deduplication, outcomes, summary and failures."""

from __future__ import annotations

import hashlib
import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import (
    NO_RESULT,
    NO_VERDICT,
    account_id,
    dedupe_projects,
    project_changes,
    project_failures,
    project_host_facts,
    project_outcome,
    project_outcomes,
    project_specs,
    project_summary,
    verdict,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.plugin_utils.role_defaults import DEFAULTS

CREDENTIALS = {"application_key": "AK", "consumer_key": "the-consumer-key"}
SECRETS = ("the-consumer-key", "the-client-secret", "the-application-secret")


def specs(projects, host="h1", name=None, credentials=None, endpoint="ovh-eu", **defaults):
    return project_specs(projects, name=name, host=host, endpoint=endpoint,
                         credentials=CREDENTIALS if credentials is None else credentials, defaults=dict(DEFAULTS, **defaults))


def test_account_is_keys_and_a_truncated_hash_of_the_secrets_only():
    digest = hashlib.sha256(b"the-consumer-key/the-client-secret").hexdigest()[:12]
    credentials = {"application_key": "AK", "client_id": "CID", "consumer_key": "the-consumer-key",
                   "client_secret": "the-client-secret", "application_secret": "the-application-secret"}
    assert account_id(credentials) == "AK/CID/" + digest
    # unset and null credentials count as empty (as default('') did)
    empty = hashlib.sha256(b"/").hexdigest()[:12]
    assert account_id({}) == account_id(None) == account_id(dict.fromkeys(credentials)) == "//" + empty
    # the hash may be given instead of the secrets (the role hashes them on each host), and is truncated the same way
    assert account_id({"application_key": "AK", "client_id": "CID", "secrets": digest}) == "AK/CID/" + digest
    full = hashlib.sha256(b"the-consumer-key/the-client-secret").hexdigest()
    assert account_id({"application_key": "AK", "client_id": "CID", "secrets": full}) == "AK/CID/" + digest


def test_one_project_per_host():
    assert specs(None, name="team-a") == [{
        "key": "ovh-eu|" + account_id(CREDENTIALS) + "|team-a",
        "host": "h1",
        "name": "team-a",
        "index": None,
        "settings": DEFAULTS,
        "account": "ovh-eu|" + account_id(CREDENTIALS),
        "connection": {"endpoint": "ovh-eu", "application_key": "AK", "client_id": None,
                       "secrets": account_id(CREDENTIALS).split("/")[2]},
        # the settings that are set, as the module gets them (allow_termination and termination_token_from_email
        # apply to state absent only, termination_token never: the controller reads the token)
        "module_args": {"state": "present", "auto_pay": True, "waive_retractation_period": False, "wait": True,
                        "wait_timeout": 1800},
    }]


def test_the_account_is_the_key_without_the_name_and_connection_has_no_secret():
    credentials = {"application_key": "", "client_id": "CID", "consumer_key": "", "client_secret": "the-client-secret"}
    spec = specs(None, name="a|b", credentials=credentials, endpoint="")[0]
    digest = hashlib.sha256(b"/the-client-secret").hexdigest()[:12]
    assert spec["account"] == "|/CID/" + digest
    assert spec["key"] == spec["account"] + "|a|b"
    # empty values are left out (the module then reads OVH_* and ovh.conf)
    assert spec["connection"] == {"endpoint": None, "application_key": None, "client_id": "CID", "secrets": digest}


def test_entries_override_the_role_variables_except_with_null():
    wanted = specs([{"name": "a"}, {"name": "b", "voucher": "V10", "auto_pay": False, "subsidiary": None, "wait": None}],
                   subsidiary="FR")
    assert [w["name"] for w in wanted] == ["a", "b"]
    assert wanted[0]["settings"] == dict(DEFAULTS, subsidiary="FR")
    assert wanted[1]["settings"] == dict(DEFAULTS, subsidiary="FR", voucher="V10", auto_pay=False)
    assert list(wanted[1]["settings"]) == ["state", "subsidiary", "voucher", "auto_pay", "waive_retractation_period",
                                           "wait", "wait_timeout", "project_id", "max_price", "allow_termination",
                                           "termination_token", "termination_token_from_email"]
    assert [w["index"] for w in wanted] == [0, 1]


def test_settings_are_converted_like_the_bool_and_int_filters():
    settings = specs([{"name": "a", "wait": "no", "wait_timeout": "60"}], auto_pay="yes",
                     waive_retractation_period="1")[0]["settings"]
    assert settings["auto_pay"] is True and settings["waive_retractation_period"] is True and settings["wait"] is False
    assert settings["wait_timeout"] == 60
    assert specs(None, name="a", wait_timeout="12.0")[0]["settings"]["wait_timeout"] == 12
    # null booleans stay null (the module's default applies)
    assert specs(None, name="a", auto_pay=None)[0]["settings"]["auto_pay"] is None


def test_names_are_strings_as_the_name_check_saw_them():
    assert [w["name"] for w in specs([{"name": 2026}, {"name": None}])] == ["2026", "None"]
    assert specs(None, name=42)[0]["key"].endswith("|42")


def test_the_key_tells_endpoints_accounts_and_names_apart():
    keys = {
        specs(None, name="a")[0]["key"],
        specs(None, name="b")[0]["key"],
        specs(None, name="a", endpoint="ovh-ca")[0]["key"],
        specs(None, name="a", credentials={"application_key": "AK", "consumer_key": "another-key"})[0]["key"],
        specs(None, name="a", credentials={"client_id": "CID", "client_secret": "the-client-secret"})[0]["key"],
    }
    assert len(keys) == 5
    assert specs(None, name="a", host="h2")[0]["key"] == specs(None, name="a", host="h1")[0]["key"]
    assert specs(None, name="a", endpoint=None)[0]["key"].startswith("|")


def test_no_secret_in_the_specs():
    credentials = {"application_key": "AK", "consumer_key": "the-consumer-key", "client_secret": "the-client-secret",
                   "application_secret": "the-application-secret"}
    text = json.dumps(specs([{"name": "a"}], credentials=credentials))
    assert not [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("projects", ["a", {"name": "a"}, 3, ["a"]])
def test_projects_that_are_not_a_list_of_dicts_are_refused(projects):
    with pytest.raises(AnsibleFilterError):
        specs(projects)


def test_an_empty_list_asks_for_nothing():
    assert specs([]) == []


def test_dedupe_keeps_the_first_entry_of_each_key():
    wanted = specs([{"name": "a"}, {"name": "b"}, {"name": "a"}], host="h1") + specs([{"name": "b"}, {"name": "c"}], host="h2")
    deduped = dedupe_projects(wanted)
    assert [(p["host"], p["name"]) for p in deduped["projects"]] == [("h1", "a"), ("h1", "b"), ("h2", "c")]
    assert deduped["conflicts"] == []
    assert dedupe_projects([]) == {"projects": [], "conflicts": [], "accounts": []}


def test_dedupe_lists_each_account_once_with_the_host_of_its_first_project():
    other = {"application_key": "AK", "consumer_key": "another-key"}
    wanted = (specs([{"name": "a"}], host="h1") + specs([{"name": "a"}, {"name": "b"}], host="h2", credentials=other)
              + specs([{"name": "c"}], host="h3") + specs(None, name="a", host="h4", endpoint="ovh-ca"))
    accounts = dedupe_projects(wanted)["accounts"]
    hosts = [(a["account_host"], a["connection"]["endpoint"]) for a in accounts]
    assert hosts == [("h1", "ovh-eu"), ("h2", "ovh-eu"), ("h4", "ovh-ca")]
    assert [a["account"] for a in accounts] == [wanted[0]["account"], wanted[1]["account"], wanted[4]["account"]]
    assert len(set(a["account"] for a in accounts)) == 3


def test_dedupe_reports_each_host_that_disagrees_with_the_first():
    wanted = (specs(None, name="shared", host="first", voucher="FIRST10")
              + specs(None, name="shared", host="second", voucher="SECOND20", auto_pay=False)
              + specs(None, name="shared", host="third", voucher="FIRST10"))
    deduped = dedupe_projects(wanted)
    assert [p["host"] for p in deduped["projects"]] == ["first"]
    assert deduped["conflicts"] == [{
        "host": "second",
        "name": "shared",
        "keys": [deduped["projects"][0]["key"]],
        "msg": 'hosts first and second both name project shared but differ in voucher, auto_pay ("FIRST10", true on'
               ' first, "SECOND20", false on second): make them agree; nothing was ordered',
    }]


def test_dedupe_tells_null_from_values_and_types_apart():
    wanted = specs(None, name="p", host="a") + specs(None, name="p", host="b", subsidiary="FR")
    assert dedupe_projects(wanted)["conflicts"][0]["msg"].startswith(
        'hosts a and b both name project p but differ in subsidiary (null on a, "FR" on b)')
    wanted = specs(None, name="p", host="a", voucher="1") + specs(None, name="p", host="b", voucher=1)
    assert len(dedupe_projects(wanted)["conflicts"]) == 1


def test_dedupe_reports_an_identical_conflict_once():
    wanted = specs(None, name="p", host="a") + specs([{"name": "p", "wait": False}] * 2, host="b")
    assert len(dedupe_projects(wanted)["conflicts"]) == 1


def result(spec, **values):
    return dict({"item": spec, "changed": False, "failed": False}, **values)


ORDER = {"order_id": 123, "url": "https://pay.example/123", "status": "delivered"}
PROJECT = {"project_id": "p1", "status": "ok"}


@pytest.mark.parametrize("values, check_mode, msg", [
    ({"project": PROJECT, "order": None}, False, "exists"),
    ({"project": PROJECT, "order": ORDER, "changed": True}, False, "ordered (order 123)"),
    ({"project": None, "order": ORDER, "changed": True, "pending_payment": True}, False,
     "order 123 waits for payment at https://pay.example/123"),
    ({"project": None, "order": ORDER, "pending_payment": True}, False,
     "order 123 waits for payment at https://pay.example/123"),
    ({"project": None, "order": None, "changed": True}, True, "would be ordered (check mode)"),
    ({"project": PROJECT, "order": None}, True, "exists"),
    ({"failed": True, "msg": "voucher NOSUCH is unknown"}, False, "voucher NOSUCH is unknown"),
    ({"failed": True, "changed": True, "msg": "boom"}, True, "boom"),
    ({"failed": True}, False, ""),
])
def test_outcome_message(values, check_mode, msg):
    assert project_outcome(result({}, **values), "p", check_mode)["msg"] == msg


def test_outcome_shape():
    assert project_outcome(result({}, project=PROJECT, order=ORDER, changed=True, pending_payment=False), "p") == {
        "name": "p", "project_id": "p1", "status": "ok", "order": ORDER, "pending_payment": False,
        "changed": True, "failed": False, "msg": "ordered (order 123)",
    }
    # a failed module result has no project: nulls, not errors
    assert project_outcome({"failed": True, "msg": "x"}, "p") == {
        "name": "p", "project_id": None, "status": None, "order": None, "pending_payment": False,
        "changed": False, "failed": True, "msg": "x",
    }
    assert project_outcome(None, "p")["msg"] == NO_RESULT


def test_outcomes_match_results_to_projects_by_key():
    unique = dedupe_projects(specs([{"name": "a"}, {"name": "b"}, {"name": "c"}]))["projects"]
    a, b, dummy = unique
    # results of several hosts, with skipped loops and results without an item
    results = [result(b, project=PROJECT, changed=True, order=ORDER), {"skipped": True}, result(a, project=PROJECT)]
    outcomes = project_outcomes(results, unique)
    assert list(outcomes) == [spec["key"] for spec in unique]
    assert [o["msg"] for o in outcomes.values()] == ["exists", "ordered (order 123)", NO_RESULT]
    assert outcomes[unique[2]["key"]]["failed"] is True
    assert project_outcomes(None, []) == {}


def outcome(name, changed=False, failed=False, pending=False, msg="exists"):
    return {"name": name, "changed": changed, "failed": failed, "pending_payment": pending, "msg": msg}


def test_summary():
    outcomes = [outcome("alpha"), outcome("new", changed=True, msg="ordered (order 1)"),
                outcome("later", changed=True, pending=True, msg="order 2 waits for payment at U2"),
                outcome("earlier", pending=True, msg="order 3 waits for payment at U3"),
                outcome("bad", failed=True, changed=True, msg="boom"), outcome("worse", failed=True, msg="bang")]
    assert project_summary(outcomes) == [
        "Public Cloud projects: 6 (found 2, ordered 1, pending payment 2, failed 2)",
        "found: alpha, earlier",
        "ordered: new",
        "pending payment: later: order 2 waits for payment at U2; earlier: order 3 waits for payment at U3",
        "failed: bad, worse",  # names only: each failure fails its hosts with its message
    ]


def test_summary_in_check_mode_and_of_nothing():
    assert project_summary(iter([outcome("n", changed=True)]), check_mode=True)[:3] == [
        "Public Cloud projects: 1 (found 0, to order 1, pending payment 0, failed 0)", "found: -", "to order: n"]
    assert project_summary([]) == ["Public Cloud projects: 0 (found 0, ordered 0, pending payment 0, failed 0)",
                                   "found: -", "ordered: -", "pending payment: -", "failed: -"]


def test_failures_of_a_host():
    assert project_failures([outcome("a")], "h") == ""
    assert project_failures([], "h") == ""
    assert project_failures([outcome("a"), outcome("b", failed=True, msg="boom")], "h") == \
        "Public Cloud project of host h failed: b: boom"
    assert project_failures(iter([outcome("b", failed=True, msg="boom"), outcome("c", failed=True, msg="bang")]), "h") == \
        "Public Cloud projects of host h failed: b: boom; c: bang"


def test_changes_name_what_changed_and_leave_a_failure_to_its_message():
    outcomes = [outcome("found"), outcome("new", changed=True, msg="ordered (order 7)"),
                outcome("broken", changed=True, failed=True, msg="boom"), outcome("bad", failed=True, msg="bang"),
                dict(outcome("with-user"), openstack_user={"changed": True, "failed": False, "msg": "created"})]
    assert project_changes(outcomes) == ("new: ordered (order 7); broken: changed, then failed; "
                                         "with-user: OpenStack user created")
    assert project_changes([outcome("found"), outcome("bad", failed=True, msg="bang")]) == ""


def test_host_facts_of_either_shape_in_order_with_the_failure_of_each_host():
    unique = dedupe_projects(specs([{"name": "a"}, {"name": "b"}]))["projects"]
    outcomes = project_outcomes([result(unique[0], project=PROJECT), result(unique[1], failed=True, msg="boom")], unique)
    hosts = [{"host": "one", "one_project": True, "projects": specs(None, name="a")},
             {"host": "list", "one_project": False, "projects": specs([{"name": "b"}, {"name": "a"}, {"name": "b"}])},
             {"host": "empty", "one_project": False, "projects": []}]
    facts = project_host_facts(hosts, outcomes)
    assert [sorted(f) for f in facts] == [["change", "failure", "host", "public_cloud_project"],
                                          ["change", "failure", "host", "public_cloud_project_results"],
                                          ["change", "failure", "host", "public_cloud_project_results"]]
    assert facts[0] == {"host": "one", "public_cloud_project": outcomes[unique[0]["key"]], "failure": "", "change": ""}
    assert [r["name"] for r in facts[1]["public_cloud_project_results"]] == ["b", "a", "b"]
    assert facts[1]["public_cloud_project_results"][0] == outcomes[unique[1]["key"]]
    assert facts[1]["failure"] == "Public Cloud project of host list failed: b: boom"  # named once
    assert facts[2] == {"host": "empty", "public_cloud_project_results": [], "failure": "", "change": ""}
    # a project without an outcome is reported as never passed to the module
    missing = project_host_facts([{"host": "z", "one_project": True, "projects": specs(None, name="z")}], {})[0]
    assert missing["public_cloud_project"]["msg"] == NO_RESULT and missing["failure"].endswith("z: " + NO_RESULT)


def test_outcomes_read_the_modules_own_verdict_under_the_roles_overrides():
    unique = dedupe_projects(specs([{"name": "a"}, {"name": "b"}, {"name": "c"}]))["projects"]
    # as registered with failed_when: false and changed_when: false, the verdict added by the action plugin
    overridden = {"failed": False, "changed": False, "failed_when_result": False}
    results = [dict(overridden, item=unique[0], project=PROJECT, order={"order_id": 7},
                    verdict={"failed": False, "changed": True}),
               dict(overridden, item=unique[1], msg="checkout refused", failure={"step": "checkout"},
                    verdict={"failed": True, "changed": False}),
               dict(overridden, item=unique[2], msg="missing required arguments: name",
                    verdict={"failed": True, "changed": False})]
    outcomes = project_outcomes(results, unique)
    assert [(o["changed"], o["failed"], o["msg"]) for o in (outcomes[spec["key"]] for spec in unique)] == [
        (True, False, "ordered (order 7)"), (False, True, "checkout refused"),
        (False, True, "missing required arguments: name")]
    # without a verdict (a result not overridden), the result's own
    assert verdict({"failed": True, "msg": "x"}) == {"failed": True, "msg": "x"}
    # overridden without a verdict: what the module did is unknown, and the project fails saying so
    assert verdict(dict(overridden, item=unique[0], project=PROJECT))["failed"] is True
    assert project_outcomes([dict(overridden, item=unique[0], project=PROJECT)], unique[:1])[unique[0]["key"]]["msg"] == \
        NO_VERDICT
