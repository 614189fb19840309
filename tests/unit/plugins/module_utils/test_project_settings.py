# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A project's settings: spending alerts matched in the fewest writes, IAM tags diffed with purge, the options checked
before any call, plan options checked against the cart's offer, and what a run reports."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._cart_options import CartOptions
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_alerts import ProjectAlerts, plan_alerts
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_info import ProjectInfo
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_settings import ProjectSettings
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_tags import ProjectTags, tag_changes
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import ensure_result, project_result
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_settings_options
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    CART, PID, FakeApi, Page, api_err, project,
)

ALERTS = "/cloud/project/%s/alerting" % PID
URN = "urn:v1:eu:resource:publicCloudProject:%s" % PID
TAGS = "/v2/iam/resource/%s/tag" % URN


def alert(alert_id, email, threshold, delay=3600, created="2026-01-01T00:00:00+00:00"):
    return {"id": alert_id, "email": email, "monthly_threshold": threshold, "delay": delay, "creation_date": created}


def wanted(email, threshold, delay=3600):
    return {"email": email, "monthly_threshold": threshold, "delay": delay}


def api_alert(alert_id, email, threshold, delay=3600, created="2026-01-01T00:00:00+00:00"):
    return {"id": alert_id, "email": email, "monthlyThreshold": threshold, "delay": delay, "creationDate": created,
            "formattedMonthlyThreshold": {"currencyCode": "EUR", "text": "%d.00 €" % threshold, "value": threshold}}


def with_iam(tags, status="ok"):
    iam = {"id": "iam-1", "urn": URN, "displayName": "team-a", "tags": dict(tags)}
    return dict(project(PID, "team-a", status=status), iam=iam)


# -- alert matching --------------------------------------------------------------------------------


def test_equal_alerts_are_kept_without_a_write():
    existing = [alert("a", "x@example.com", 100), alert("b", "y@example.com", 200)]
    kept, updates, creates, deletes = plan_alerts(existing, [wanted("y@example.com", 200), wanted("x@example.com", 100)])
    assert ([a["id"] for a in kept], updates, creates, deletes) == (["b", "a"], [], [], [])


def test_a_changed_threshold_is_one_update_of_that_alert():
    existing = [alert("a", "x@example.com", 100), alert("b", "y@example.com", 200)]
    kept, updates, creates, deletes = plan_alerts(existing, [wanted("x@example.com", 100), wanted("y@example.com", 900)])
    assert [a["id"] for a in kept] == ["a"]
    assert [(old["id"], new["monthly_threshold"]) for old, new in updates] == [("b", 900)]
    assert (creates, deletes) == ([], [])


def test_pairs_prefer_the_same_email_then_the_threshold_then_the_oldest():
    existing = [alert("new", "x@example.com", 100, created="2026-02-01T00:00:00+00:00"),
                alert("old", "x@example.com", 100, created="2026-01-01T00:00:00+00:00"),
                alert("other", "z@example.com", 500)]
    kept, updates, creates, deletes = plan_alerts(existing, [wanted("x@example.com", 300), wanted("q@example.com", 500)])
    assert kept == [] and creates == []
    # x@ takes the oldest x@ alert; q@ takes z@ (same threshold) rather than the younger x@ alert
    assert [(old["id"], new["email"]) for old, new in updates] == [("old", "x@example.com"), ("other", "q@example.com")]
    assert [a["id"] for a in deletes] == ["new"]


@pytest.mark.parametrize("shown", ["", None], ids=["empty", "absent"])
def test_an_alert_read_without_its_email_is_matched_on_threshold_and_delay(shown):
    existing = [dict(alert("a", "x@example.com", 100), email=shown)]
    kept, updates, creates, deletes = plan_alerts(existing, [wanted("x@example.com", 100)])
    assert [a["email"] for a in kept] == ["x@example.com"] and (updates, creates, deletes) == ([], [], [])
    updates = plan_alerts(existing, [wanted("x@example.com", 200)])[1]
    assert [(old["id"], new["monthly_threshold"]) for old, new in updates] == [("a", 200)]


def test_a_rerun_against_an_api_that_hides_the_email_writes_nothing_and_shows_no_change():
    api = alerts_api([dict(api_alert("a", "x@example.com", 100), email="")])
    report = RunReport()
    before, after = ProjectAlerts(api, report).reconcile(PID, [wanted("x@example.com", 100)])
    assert api.writes() == [] and report.changed is False and before == after


def test_more_wanted_alerts_are_created_fewer_are_deleted():
    existing = [alert("a", "x@example.com", 100)]
    assert plan_alerts(existing, [wanted("x@example.com", 100), wanted("x@example.com", 200)])[2] == [
        wanted("x@example.com", 200)]
    assert [a["id"] for a in plan_alerts(existing, [])[3]] == ["a"]


def test_the_plan_does_not_depend_on_the_listing_order():
    existing = [alert("b", "x@example.com", 100, created="2026-01-02"), alert("a", "x@example.com", 100, created="2026-01-02")]
    for listing in (existing, list(reversed(existing))):
        updates = plan_alerts(listing, [wanted("x@example.com", 5)])[1]
        assert [old["id"] for old, dummy in updates] == ["a"]


def alerts_api(existing, expanded=True):
    answers = {"POST %s" % ALERTS: lambda body: dict(body, id="created-1"), "DELETE %s/a" % ALERTS: None,
               "DELETE %s/b" % ALERTS: None, "PUT %s/a" % ALERTS: None, "PUT %s/b" % ALERTS: None}
    if expanded:
        answers["GET %s" % ALERTS] = Page(existing, {"X-Pagination-Elements": str(len(existing))})
    else:  # an API that answers ids: each alert read
        answers["GET %s" % ALERTS] = [a["id"] for a in existing]
        for item in existing:
            answers["GET %s/%s" % (ALERTS, item["id"])] = item
    return FakeApi(answers)


@pytest.mark.parametrize("expanded", [True, False], ids=["expanded-listing", "ids"])
def test_reconcile_writes_exactly_the_plan(expanded):
    api = alerts_api([api_alert("a", "x@example.com", 100), api_alert("b", "y@example.com", 200)], expanded)
    report = RunReport()
    before, after = ProjectAlerts(api, report).reconcile(PID, [wanted("x@example.com", 150), wanted("n@example.com", 9)])
    assert api.writes() == [("PUT", ALERTS + "/a", {"delay": 3600, "email": "x@example.com", "monthlyThreshold": 150}),
                            ("PUT", ALERTS + "/b", {"delay": 3600, "email": "n@example.com", "monthlyThreshold": 9})]
    assert report.changed is True
    assert [a["monthly_threshold"] for a in before] == [100, 200]
    assert after == [{"id": "b", "email": "n@example.com", "monthly_threshold": 9, "delay": 3600},
                     {"id": "a", "email": "x@example.com", "monthly_threshold": 150, "delay": 3600}]


def test_reconcile_in_check_mode_reads_only():
    api = alerts_api([api_alert("a", "x@example.com", 100)])
    report = RunReport()
    alerts = ProjectAlerts(api, report, check_mode=True)
    dummy, after = alerts.reconcile(PID, [wanted("x@example.com", 1), wanted("n@example.com", 2)])
    assert api.writes() == [] and report.changed is True
    assert [(a["id"], a["monthly_threshold"]) for a in after] == [(None, 2), ("a", 1)]


def test_reconcile_with_nothing_to_change_writes_nothing():
    api = alerts_api([api_alert("a", "x@example.com", 100)])
    report = RunReport()
    ProjectAlerts(api, report).reconcile(PID, [wanted("x@example.com", 100)])
    assert api.writes() == [] and report.changed is False


def test_a_refused_alert_write_names_its_step_and_the_rights():
    api = alerts_api([])
    api.answers["POST %s" % ALERTS] = api_err(403, method="POST", path=ALERTS, message="This call has not been granted")
    with pytest.raises(WorkflowError) as err:
        ProjectAlerts(api, RunReport()).reconcile(PID, [wanted("x@example.com", 100)])
    assert err.value.step == "set alerts" and "Spending alerts and tags" in err.value.msg


# -- tags --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("current, want, purge, to_set, to_remove", [
    ({"a": "1"}, {"a": "1"}, True, {}, []),
    ({"a": "1"}, {"a": "2"}, True, {"a": "2"}, []),
    ({"a": "1", "b": "2"}, {"a": "1"}, True, {}, ["b"]),
    ({"a": "1", "b": "2"}, {"a": "1"}, False, {}, []),
    ({"a": "1", "ovh:type": "x"}, {}, True, {}, ["a"]),  # OVHcloud's tags are never purged
    ({}, {"n": 12}, True, {"n": "12"}, []),  # an integer goes as its digits
], ids=["same", "changed", "purge", "no-purge", "ovh-kept", "integer"])
def test_tag_changes(current, want, purge, to_set, to_remove):
    assert tag_changes(current, want, purge) == (to_set, to_remove)


def test_tags_are_posted_and_deleted_on_the_urn_escaped():
    api = FakeApi({"POST %s" % TAGS: None, "DELETE %s/old%%2Fkey" % TAGS: None})
    report = RunReport()
    before, after = ProjectTags(api, report).reconcile(with_iam({"old/key": "v", "ovh:x": "y", "same": "1"}),
                                                       {"same": "1", "team": "a"}, True)
    assert api.writes() == [("DELETE", TAGS + "/old%2Fkey", {}), ("POST", TAGS, {"key": "team", "value": "a"})]
    assert before == {"old/key": "v", "ovh:x": "y", "same": "1"}
    assert after == {"ovh:x": "y", "same": "1", "team": "a"} and report.changed is True


def test_a_changed_value_is_removed_then_added():
    api = FakeApi({"POST %s" % TAGS: None, "DELETE %s/team" % TAGS: None})
    dummy, after = ProjectTags(api, RunReport()).reconcile(with_iam({"team": "a", "keep": "1"}), {"team": "b"}, False)
    assert api.writes() == [("DELETE", TAGS + "/team", {}), ("POST", TAGS, {"key": "team", "value": "b"})]
    assert after == {"keep": "1", "team": "b"}


def test_tags_in_check_mode_write_nothing():
    api = FakeApi()
    report = RunReport()
    dummy, after = ProjectTags(api, report, check_mode=True).reconcile(with_iam({}), {"team": "a"}, True)
    assert api.calls == [] and after == {"team": "a"} and report.changed is True


# -- what a run reports --------------------------------------------------------------------------------


def settings(api, check_mode=False, **params):
    report = RunReport()
    return ProjectSettings(api, report, dict(dict(purge_tags=True), **params), check_mode=check_mode), report


def test_a_found_project_gets_its_settings_with_the_diff():
    api = alerts_api([])
    api.answers["POST %s" % TAGS] = None
    runner, report = settings(api, alerting=[wanted("x@example.com", 100)], tags={"team": "a"})
    found = with_iam({})
    result = runner.apply(ensure_result(project_result(found), None), found)
    assert result["alerting"] == [{"id": "created-1", "email": "x@example.com", "monthly_threshold": 100, "delay": 3600}]
    assert result["tags"] == {"team": "a"} and report.changed is True
    assert result["diff"]["before"] == {"alerting": [], "tags": {}}
    assert result["diff"]["after"] == {"alerting": result["alerting"], "tags": {"team": "a"}}


def test_without_the_options_the_alerts_are_not_read_and_the_tags_shown():
    api = FakeApi()
    runner, report = settings(api, plan_options=["certification.hds.2018"])
    found = with_iam({"team": "a"})
    result = runner.apply(ensure_result(project_result(found), None), found)
    assert api.calls == [] and result["alerting"] is None and result["tags"] == {"team": "a"}
    assert report.changed is False
    assert report.warnings == ["plan_options only apply when the module orders the project; project %s exists, so they "
                               "were not changed (change them in the Control Panel)" % PID]


def test_a_project_not_delivered_gets_them_on_a_later_run():
    runner, report = settings(FakeApi(), alerting=[], tags={})
    result = runner.apply(ensure_result(None, {"order_id": 5}), None)
    assert result["alerting"] is None and result["tags"] is None
    assert "rerun the task once the order is delivered" in report.warnings[0]


def test_info_reads_alerts_only_when_asked():
    listed = [with_iam({"team": "a"})]
    api = alerts_api([api_alert("a", "x@example.com", 100)])
    api.answers["GET /cloud/project"] = Page(listed, {"X-Pagination-Elements": "1"})
    api.answers["GET /cloud/order"] = []
    without = ProjectInfo(api, RunReport()).gather()
    assert "alerting" not in without["projects"][0] and without["projects"][0]["tags"] == {"team": "a"}
    assert api.count("GET %s" % ALERTS) == 0
    asked = ProjectInfo(api, RunReport()).gather(alerting=True)
    assert asked["projects"][0]["alerting"] == [{"id": "a", "email": "x@example.com", "monthly_threshold": 100,
                                                 "delay": 3600}]
    assert api.count("GET %s" % ALERTS) == 1


# -- input checks, before any call --------------------------------------------------------------------


@pytest.mark.parametrize("params, words", [
    ({"alerting": [wanted("x@example.com", 0)]}, "monthly_threshold is 0"),
    ({"alerting": [wanted("x@example.com", -5)]}, "above 0"),
    ({"alerting": [wanted("not-an-address", 10)]}, "is not an e-mail address"),
    ({"alerting": [wanted("a b@example.com", 10)]}, "is not an e-mail address"),
    ({"alerting": [wanted("x@example.com", 10, delay=60)]}, "delay 60 is not one the API accepts"),
    ({"alerting": [wanted("x@example.com", 10), wanted("x@example.com", 10)]}, "alerting[2] is the same alert"),
    ({"tags": {"": "v"}}, "tag key '' is refused"),
    ({"tags": {"k" * 129: "v"}}, "1 to 128"),
    ({"tags": {"with space": "v"}}, "is refused"),
    ({"tags": {"ovh:type": "v"}}, "starts with 'ovh:'"),
    ({"tags": {"OVH:type": "v"}}, "starts with 'ovh:'"),
    ({"tags": {"k": "v" * 257}}, "0 to 256"),
    ({"tags": {"k": "caf\u00e9"}}, "which the API refuses"),
    ({"tags": {"k": True}}, "quote it in YAML"),
    ({"tags": {"k": None}}, "quote it in YAML"),
    ({"plan_options": [""]}, "empty entry"),
    ({"plan_options": ["certification.hds.2018", "certification.hds.2018"]}, "twice"),
    ({"plan_options": ["Not A Code"]}, "is malformed"),
    ({"configurations": {"description": "x"}}, "give it with the name option"),
    ({"configurations": {"voucher": "x"}}, "give it with the voucher option"),
    ({"configurations": {"vrack": ""}}, "non-empty string"),
])
def test_bad_settings_are_refused(params, words):
    with pytest.raises(InputError) as err:
        check_settings_options(params)
    assert words in err.value.msg and err.value.step == "validate input"


def test_good_settings_pass():
    check_settings_options({"alerting": [wanted("x@example.com", 1, delay=604800), wanted("x@example.com", 2)],
                            "tags": {"team": "a", "cost:center/x=y+z@w": "", "n": 4711, "k" * 128: "v" * 256},
                            "plan_options": ["certification.hds.2018"], "configurations": {"vrack": "pn-123"}})


# -- plan options in the cart ------------------------------------------------------------------------------


OFFERED = [{"planCode": "certification.hds.2018", "prices": [{"duration": "P1M", "pricingMode": "default"}]}]


def test_an_unknown_option_fails_on_the_listing_before_any_write():
    api = FakeApi({"GET %s/cloud/options" % CART: OFFERED})
    with pytest.raises(WorkflowError) as err:
        CartOptions(api, CART, ["certification.hds.2018", "nope.2099"]).check("project.2018")
    assert err.value.step == "list plan options" and "nope.2099 is not offered" in err.value.msg
    assert "offered: certification.hds.2018" in err.value.msg
    assert api.calls == [("GET", CART + "/cloud/options", {"planCode": "project.2018"})]


def test_options_are_added_to_the_project_item():
    api = FakeApi({"GET %s/cloud/options" % CART: OFFERED, "POST %s/cloud/options" % CART: {"itemId": 78}})
    options = CartOptions(api, CART, ["certification.hds.2018"])
    options.check("project.2018")
    options.add(77, "P1M", "default")
    assert api.writes() == [("POST", CART + "/cloud/options", {"itemId": 77, "planCode": "certification.hds.2018",
                                                               "duration": "P1M", "pricingMode": "default",
                                                               "quantity": 1})]


def test_no_option_no_call():
    api = FakeApi()
    CartOptions(api, CART, []).check("project.2018")
    assert api.calls == []
