# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""project_plan: what the role makes of its one lookup per account (found, or passed to the module); project_report."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_plan import NO_LOOKUP, project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_report import project_report
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import (
    dedupe_projects,
    project_outcomes,
    project_specs,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.plugin_utils.role_defaults import DEFAULTS


def deduped(names, credentials=None, host="h1"):
    return dedupe_projects(project_specs([{"name": n} for n in names], host=host, endpoint="ovh-eu",
                                         credentials=credentials or {"application_key": "AK"}, defaults=DEFAULTS))


def project(name, status="ok", project_id=None):
    return {"project_id": project_id or "id-%s-%s" % (name, status), "name": name, "status": status,
            "creation_date": "2026-11-30T05:00:00+00:00", "plan_code": "project.2018", "order_id": None}


def lookup(account, projects=(), pending=(), **values):
    """A result of the role's public_cloud_project_info loop over the accounts."""
    return dict({"item": account, "changed": False, "projects": list(projects), "pending_orders": list(pending)}, **values)


def test_one_live_project_of_the_name_is_found_with_the_module_result_shape():
    play = deduped(["found", "gone", "two", "unknown", "missing", "in-flight"])
    listed = [project("found"), project("gone", "deleted"), project("two"), project("two", "suspended"),
              project("unknown", "frozen"), project("unknown"), project("other")]
    pending = [{"order_id": 7, "name": "in-flight", "status": "delivering", "date": "d"},
               {"order_id": 8, "name": None, "status": "unpaid", "date": "d"}]
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], listed, pending)])
    assert [r["item"]["name"] for r in plan["results"]] == ["found"]
    assert plan["results"][0] == {"item": play["projects"][0], "changed": False, "failed": False,
                                  "project": listed[0], "order": None, "pending_payment": False}
    # gone only (deleted), two live ones, an unknown status, none: the module decides (orders, follows, or fails)
    assert [p["name"] for p in plan["to_order"]] == ["gone", "two", "unknown", "missing", "in-flight"]
    assert [p["orders_in_flight"] for p in plan["to_order"]] == [[], [], [], [], [7]]
    assert all(p["account_host"] == "h1" for p in plan["to_order"])
    assert plan["to_order"][0] == dict(play["projects"][1], account_host="h1", orders_in_flight=[])
    outcomes = project_outcomes(plan["results"], play["projects"])
    assert outcomes[play["projects"][0]["key"]] == {
        "name": "found", "project_id": listed[0]["project_id"], "status": "ok", "order": None, "pending_payment": False,
        "changed": False, "failed": False, "msg": "exists"}


def test_a_project_in_creating_or_suspended_is_found_as_the_module_finds_it():
    play = deduped(["new", "frozen"])
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], [project("new", "creating"),
                                                                        project("frozen", "suspended")])])
    assert [r["project"]["status"] for r in plan["results"]] == ["creating", "suspended"] and plan["to_order"] == []


def test_each_project_is_matched_to_its_own_account_lookup():
    first = deduped(["shared", "a-only"])
    second = deduped(["shared", "b-only"], credentials={"application_key": "AK", "consumer_key": "other"}, host="h2")
    projects = first["projects"] + second["projects"]
    lookups = [lookup(second["accounts"][0], [project("shared", project_id="in-b")]),
               lookup(first["accounts"][0], [project("shared", project_id="in-a"), project("b-only")])]
    plan = project_plan(projects, lookups)
    assert [(r["item"]["host"], r["project"]["project_id"]) for r in plan["results"]] == [("h1", "in-a"), ("h2", "in-b")]
    assert [(p["name"], p["account_host"]) for p in plan["to_order"]] == [("a-only", "h1"), ("b-only", "h2")]


@pytest.mark.parametrize("lookups, msg", [
    ([], NO_LOOKUP),
    (["skipped"], NO_LOOKUP),
    (["failed"], "look up project failed: the API answered 403 (This call has not been granted)"),
    (["failed-without-message"], "the lookup failed"),
    (["overridden"], "look up project failed: the API answered 403 (This call has not been granted)"),
])
def test_the_projects_of_an_account_whose_lookup_failed_fail_without_the_module(lookups, msg):
    play = deduped(["a", "b"])
    account = play["accounts"][0]
    results = {"skipped": lookup(account, skipped=True),
               "failed": lookup(account, failed=True, msg="look up project failed: the API answered 403 (This call has "
                                                          "not been granted)"),
               "failed-without-message": lookup(account, failed=True),
               # as the role registers it: failed_when false, the module's own verdict kept
               "overridden": lookup(account, failed=False, failed_when_result=False, msg="look up project failed: the API"
                                    " answered 403 (This call has not been granted)", verdict={"failed": True, "changed": False})}
    plan = project_plan(play["projects"], [results[name] for name in lookups] + [{"skipped": True}, "junk"])
    assert plan["to_order"] == []
    assert [(r["item"]["name"], r["failed"], r["msg"]) for r in plan["results"]] == [("a", True, msg), ("b", True, msg)]


def test_nothing_to_plan():
    assert project_plan([], []) == project_plan(None, None) == {"results": [], "to_order": []}


class Counted(dict):
    """A listed project that counts how often it is read (on Ansible 2.19 each read of a templated value has a cost)."""

    reads = 0

    def get(self, key, default=None):
        Counted.reads += 1
        return super().get(key, default)


def test_matching_a_thousand_projects_to_a_listing_of_a_thousand_reads_each_a_few_times():
    names = ["p%04d" % n for n in range(1000)]
    play = deduped(names)
    Counted.reads = 0
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], [Counted(project(name)) for name in names])])
    assert len(plan["results"]) == 1000 and plan["to_order"] == []
    # each listed project read a few times, not once per project asked for (a million reads)
    assert Counted.reads <= 3 * 1000


def test_the_report_of_a_run_in_one_pass():
    play = project_play([{"host": "one", "name": "found", "projects": None, "endpoint": "ovh-eu", "application_key": "AK",
                          "client_id": None, "secrets": "0" * 12, "defaults": DEFAULTS},
                         {"host": "list", "name": None, "projects": [{"name": "found"}, {"name": "new"}, {"name": "bad"}],
                          "endpoint": "ovh-eu", "application_key": "AK", "client_id": None, "secrets": "0" * 12,
                          "defaults": DEFAULTS}])
    listed = [project("found")]
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], listed)])
    new, bad = plan["to_order"]
    ordered = [{"item": new, "changed": True, "project": project("new"), "order": {"order_id": 9}, "pending_payment": False},
               {"item": bad, "changed": False, "failed": True, "msg": "voucher NOSUCH is unknown"}]
    report = project_report(play, [lookup(play["accounts"][0], listed)], ordered)
    assert [h["host"] for h in report["hosts"]] == ["one", "list"]
    assert report["hosts"][0]["public_cloud_project"]["msg"] == "exists"
    assert [r["msg"] for r in report["hosts"][1]["public_cloud_project_results"]] == [
        "exists", "ordered (order 9)", "voucher NOSUCH is unknown"]
    assert report["summary"][0] == "Public Cloud projects: 3 (found 1, ordered 1, pending payment 0, failed 1)"
    assert report["failures"] == {"list": "Public Cloud project of host list failed: bad: voucher NOSUCH is unknown"}
    assert report["changes"] == {"list": "new: ordered (order 9)"}  # the host whose project changed, only
    assert project_report(play, [], None, check_mode=True)["failures"].keys() == {"one", "list"}  # no lookup: failed


def test_the_report_fails_the_hosts_left_out_with_their_message_and_names_them_once():
    records = [{"host": "fine", "name": "new", "projects": None, "endpoint": "ovh-eu", "application_key": "AK",
                "client_id": None, "secrets": "0" * 12, "defaults": DEFAULTS},
               {"host": "nameless", "name": None, "projects": None, "endpoint": "ovh-eu", "application_key": "AK",
                "client_id": None, "secrets": "0" * 12, "defaults": DEFAULTS}]
    play = project_play(records)
    new, = project_plan(play["projects"], [lookup(play["accounts"][0])])["to_order"]
    ordered = [{"item": new, "changed": False, "failed": False, "project": project("new"), "order": {"order_id": 9},
                "verdict": {"failed": False, "changed": True}}]
    report = project_report(play, [lookup(play["accounts"][0])], ordered)
    assert list(report["failures"]) == ["nameless"]
    assert report["failures"]["nameless"].startswith("public_cloud_project_name is not set for host nameless")
    assert report["changes"] == {"fine": "new: ordered (order 9)"}
    assert report["summary"][0] == "Public Cloud projects: 1 (found 0, ordered 1, pending payment 0, failed 0)"
    assert report["summary"][-1] == ("hosts left out (their variables, or a conflict; each fails with its message):"
                                     " nameless")


def test_absent_by_id_with_another_name_goes_to_the_module_which_refuses_it_even_when_the_project_is_gone():
    """The role decides with the module's decide_termination: a project_id whose project carries another name is the
    module's to refuse (nothing terminated), whatever its status; the same name and a gone project is settled here."""
    entries = [{"name": "wrong-name", "state": "absent", "allow_termination": True, "project_id": "a" * 32},
               {"name": "gone", "state": "absent", "allow_termination": True, "project_id": "b" * 32}]
    play = dedupe_projects(project_specs(entries, host="h1", endpoint="ovh-eu", credentials={"application_key": "AK"},
                                         defaults=DEFAULTS))
    listed = [project("gone", "deleting", project_id="a" * 32), project("gone", "deleted", project_id="b" * 32)]
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], listed)])
    assert [p["name"] for p in plan["to_order"]] == ["wrong-name"]
    assert [(r["item"]["name"], r["termination"]) for r in plan["results"]] == [
        ("gone", {"requested": True, "confirmed": True})]


def governed(names, **settings):
    """A play whose projects set spending alerts or tags (the role's variables of those options)."""
    return dedupe_projects(project_specs([{"name": n} for n in names], host="h1", endpoint="ovh-eu",
                                         credentials={"application_key": "AK"}, defaults=dict(DEFAULTS, **settings)))


ALERT = {"monthly_threshold": 300, "email": "finops@example.com", "delay": 3600}


def listed_alert(threshold=300, delay=3600, email=None):
    """An alert as public_cloud_project_info lists it (the API no longer shows its e-mail: null)."""
    return {"id": "a-%d" % threshold, "email": email, "monthly_threshold": threshold, "delay": delay,
            "creation_date": "2026-11-30T05:00:00+00:00"}


def test_a_found_project_whose_tags_differ_goes_to_the_module_and_one_that_matches_does_not():
    play = governed(["same", "other-value", "extra", "ovh-only"], tags={"team": "a"})
    listed = [dict(project("same"), tags={"team": "a", "ovh:computed": "x"}),
              dict(project("other-value"), tags={"team": "b"}),
              dict(project("extra"), tags={"team": "a", "old": "1"}),  # purge_tags (default true) removes old
              dict(project("ovh-only"), tags={"ovh:computed": "x"})]
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], listed)])
    assert [r["item"]["name"] for r in plan["results"]] == ["same"]
    assert [p["name"] for p in plan["to_order"]] == ["other-value", "extra", "ovh-only"]
    assert play["accounts"][0]["alerting"] is False  # no project sets alerting: the lookup reads no alert

    kept = governed(["extra"], tags={"team": "a"}, purge_tags=False)
    assert project_plan(kept["projects"], [lookup(kept["accounts"][0], listed)])["to_order"] == []


def test_a_found_project_whose_alerts_differ_goes_to_the_module_and_one_that_matches_does_not():
    play = governed(["same", "threshold", "none", "unread", "removed"], alerting=[ALERT])
    assert play["accounts"][0]["alerting"] is True  # the lookup reads the account's alerts
    listed = [dict(project("same"), alerting=[listed_alert()]), dict(project("threshold"), alerting=[listed_alert(500)]),
              dict(project("none"), alerting=[]), project("unread"),  # a lookup that did not read the alerts
              dict(project("removed"), alerting=[listed_alert(), listed_alert(900)])]
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], listed)])
    assert [r["item"]["name"] for r in plan["results"]] == ["same"]
    assert [p["name"] for p in plan["to_order"]] == ["threshold", "none", "unread", "removed"]

    emptied = governed(["none", "same"], alerting=[])
    plan = project_plan(emptied["projects"], [lookup(emptied["accounts"][0], listed)])
    assert [r["item"]["name"] for r in plan["results"]] == ["none"] and [p["name"] for p in plan["to_order"]] == ["same"]


def test_a_found_project_that_is_not_ok_is_left_to_the_module_when_it_sets_alerts_or_tags():
    play = governed(["frozen"], tags={"team": "a"})
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], [dict(project("frozen", "suspended"), tags={})])])
    assert plan["results"] == [] and [p["name"] for p in plan["to_order"]] == ["frozen"]
