# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project's settings: a spending alert, IAM tags and a plan option on an order, then reruns that change
exactly what differs (journal assertions), purge_tags, check and diff mode, an unknown plan option before any write, the rights."""

import json
import os
import re

import pytest

from conftest import ROOT, run_module

with open(os.path.join(ROOT, "docs", "api-access-rules.json"), encoding="utf-8") as handle:
    RULES = json.load(handle)["rules"]
with open(os.path.join(ROOT, "docs", "api-access-rules-settings.json"), encoding="utf-8") as handle:
    SETTINGS_RULES = json.load(handle)["rules"]

NAME = "governed"
ALERT = {"monthly_threshold": 500, "email": "finops@example.com", "delay": 86400}
TAGS = {"team": "team-d", "environment": "production"}
OPTION = "certification.hds.2018"
ALERTING = r"/cloud/project/[0-9a-f]{32}/alerting"
TAG = r"/v2/iam/resource/urn:v1:eu:resource:publicCloudProject:[0-9a-f]{32}/tag"


def writes(sim):
    """(method, path) of every write the journal recorded."""
    return [(e["method"], e["path"]) for e in sim.writes()]


def matches(entries, expected):
    """Whether the (method, path) entries are exactly ``expected`` (method, path regex), in order."""
    return len(entries) == len(expected) and all(
        method == want_method and re.fullmatch(pattern, path)
        for (method, path), (want_method, pattern) in zip(entries, expected))


def ordered(sim, **extra):
    run = run_module(sim, name=NAME, alerting=[ALERT], tags=TAGS, **extra)
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    return run


def test_an_order_gets_its_option_then_its_alert_and_tags_once_delivered(sim):
    run = ordered(sim, plan_options=[OPTION])
    result = run.result
    assert result["alerting"] == [dict(ALERT, id=result["alerting"][0]["id"])]
    assert result["tags"] == TAGS
    expected = [
        ("POST", r"/order/cart"), ("POST", r"/order/cart/[^/]+/assign"),
        ("POST", r"/order/cart/[^/]+/cloud"),                        # the project
        ("POST", r"/order/cart/[^/]+/cloud/options"),                # its option, on the project item
        ("POST", r"/order/cart/[^/]+/item/\d+/configuration"),       # description
        ("POST", r"/order/cart/[^/]+/checkout"),
        ("POST", r"/me/order/\d+/payWithRegisteredPaymentMean"),
        ("POST", ALERTING),                                          # once delivered
        ("POST", TAG), ("POST", TAG),
    ]
    assert matches(writes(sim), expected), writes(sim)
    # the option was checked against the cart's offer before the project went into the cart
    journal = [(e["method"], e["path"]) for e in sim.journal()]
    listing = next(i for i, (m, p) in enumerate(journal) if m == "GET" and p.endswith("/cloud/options"))
    project_item = next(i for i, (m, p) in enumerate(journal) if m == "POST" and re.fullmatch(r"/order/cart/[^/]+/cloud", p))
    assert listing < project_item
    option = sim.calls("POST", r"/order/cart/[^/]+/cloud/options")[0]["body"]
    assert option["planCode"] == OPTION and option["duration"] == "P1M" and option["quantity"] == 1
    alert = sim.calls("POST", ALERTING)[0]["body"]
    assert alert == {"delay": 86400, "email": "finops@example.com", "monthlyThreshold": 500}
    assert sorted((c["body"]["key"], c["body"]["value"]) for c in sim.calls("POST", TAG)) == sorted(TAGS.items())


def test_a_rerun_writes_nothing_and_changes_one_threshold_and_one_tag_with_exactly_those_writes(sim):
    ordered(sim)
    sim.clear_journal()
    again = run_module(sim, name=NAME, alerting=[ALERT], tags=TAGS, plan_options=[OPTION])
    assert again.result["changed"] is False and writes(sim) == [], again.output
    assert any("plan_options only apply when the module orders the project" in w
               for w in again.result.get("warnings", [])), again.output
    sim.clear_journal()
    changed = run_module(sim, name=NAME, alerting=[dict(ALERT, monthly_threshold=800)], tags=dict(TAGS, team="team-e"))
    assert changed.result["changed"] is True, changed.output
    assert matches(writes(sim), [("PUT", ALERTING + r"/[0-9a-f-]+"), ("DELETE", TAG + "/team"), ("POST", TAG)]), writes(sim)
    assert sim.calls("PUT", ALERTING + r"/[0-9a-f-]+")[0]["body"]["monthlyThreshold"] == 800
    assert sim.calls("POST", TAG)[0]["body"] == {"key": "team", "value": "team-e"}
    assert changed.result["alerting"][0]["monthly_threshold"] == 800 and changed.result["tags"]["team"] == "team-e"


def test_purge_tags_removes_only_with_tags_given(sim):
    ordered(sim)
    sim.clear_journal()
    kept = run_module(sim, name=NAME, tags={"team": "team-d"}, purge_tags=False)
    assert kept.result["changed"] is False and writes(sim) == [], kept.output
    untouched = run_module(sim, name=NAME)  # no tags: purge_tags (default true) does nothing
    assert untouched.result["changed"] is False and writes(sim) == [] and untouched.result["tags"] == TAGS
    purged = run_module(sim, name=NAME, tags={"team": "team-d"})
    assert purged.result["changed"] is True and purged.result["tags"] == {"team": "team-d"}
    assert matches(writes(sim), [("DELETE", TAG + "/environment")]), writes(sim)
    emptied = run_module(sim, name=NAME, alerting=[], tags={})
    assert emptied.result["alerting"] == [] and emptied.result["tags"] == {}
    assert matches(writes(sim)[1:], [("DELETE", ALERTING + r"/[0-9a-f-]+"), ("DELETE", TAG + "/team")]), writes(sim)


def test_ovhclouds_own_tags_are_kept_and_the_simulator_holds_what_the_result_says(sim):
    project_id = ordered(sim).result["project"]["project_id"]
    sim.seed_tags(project_id, {"ovh:computed": "x"})
    sim.clear_journal()
    run = run_module(sim, name=NAME, alerting=[ALERT], tags={})
    assert run.result["tags"] == {"ovh:computed": "x"} == sim.tags(project_id), run.output
    assert matches(writes(sim), [("DELETE", TAG + "/environment"), ("DELETE", TAG + "/team")]), writes(sim)
    assert [(a["email"], a["monthly_threshold"], a["delay"]) for a in sim.alerts(project_id)] == [
        ("finops@example.com", 500, 86400)]


def test_check_mode_writes_nothing_and_the_diff_shows_the_change(sim):
    planned = run_module(sim, check=True, diff=True, name=NAME, alerting=[ALERT], tags=TAGS)
    assert planned.result["changed"] is True and writes(sim) == [], planned.output
    assert planned.result["diff"]["after"]["tags"] == TAGS and planned.result["diff"]["before"]["tags"] == {}
    ordered(sim)
    sim.clear_journal()
    check = run_module(sim, check=True, diff=True, name=NAME, alerting=[dict(ALERT, delay=3600)], tags={"team": "x"})
    assert check.result["changed"] is True and writes(sim) == [], check.output
    diff = check.result["diff"]
    assert [a["delay"] for a in diff["before"]["alerting"]] == [86400]
    assert [a["delay"] for a in diff["after"]["alerting"]] == [3600]
    assert diff["before"]["tags"] == TAGS and diff["after"]["tags"] == {"team": "x"}
    assert "team" in check.output and "86400" in check.output  # what ansible-playbook --diff printed


# the bad inputs of these options (threshold, e-mail, delay, tags, plan options) are cases of test_bad_input.py's
# catalogue, which also renders them in docs/errors.md
CATALOGUE = r"/order/catalog/public/cloud"


def test_an_unknown_option_fails_on_the_catalogue_before_any_write(sim):
    run = run_module(sim, name=NAME, plan_options=[OPTION, "certification.nope.2099"])
    assert run.result["failed"] is True and run.result["failure"]["step"] == "check plan options", run.output
    assert "certification.nope.2099 is not offered with plan project.2018" in run.result["msg"]
    assert "offered: %s." % OPTION in run.result["msg"] and "remove it from plan_options" in run.result["msg"]
    assert writes(sim) == [] and sim.state()["carts"] == []
    # the catalogue was read once, unauthenticated, before anything else of the order
    assert [e["path"] for e in sim.journal() if e["path"] == CATALOGUE] == [CATALOGUE]
    assert not [e for e in sim.journal() if e["path"].startswith("/order/cart") or e["path"] == "/cloud/eligibility"]


def test_check_mode_with_an_unknown_option_fails_with_no_write(sim):
    run = run_module(sim, check=True, name=NAME, plan_options=["certification.nope.2099"])
    assert run.result["failed"] is True and run.result["failure"]["step"] == "check plan options", run.output
    assert writes(sim) == []


def test_an_unreadable_catalogue_leaves_the_check_to_the_cart_which_is_deleted(sim):
    sim.fault(method="GET", path="^%s$" % CATALOGUE, status=503, count=10)
    run = run_module(sim, name=NAME, plan_options=["certification.nope.2099"])
    assert run.result["failed"] is True and run.result["failure"]["step"] == "list plan options", run.output
    assert "certification.nope.2099 is not offered" in run.result["msg"] and OPTION in run.result["msg"]
    assert "the cart's offer" in run.result["msg"]
    assert [e["status"] for e in sim.journal() if e["path"] == CATALOGUE][:1] == [503]
    assert matches(writes(sim), [("POST", r"/order/cart"), ("POST", r"/order/cart/[^/]+/assign"),
                                 ("DELETE", r"/order/cart/[^/]+")]), writes(sim)
    assert [c for c in sim.state()["carts"] if not c.get("expired")] == [] and sim.state()["orders"] == []


def test_the_settings_rights_are_enough_and_needed(sim):
    sim.reset_demo_account(access_rules=RULES + SETTINGS_RULES)
    run = ordered(sim)
    assert [e for e in sim.journal() if e["status"] == 403] == [], run.output
    sim.reset_demo_account(access_rules=RULES)
    refused = run_module(sim, name="ordering-key-only", alerting=[ALERT])
    assert refused.result["failed"] is True and refused.result["failure"]["step"] == "set alerts", refused.output
    assert "Spending alerts and tags" in refused.result["msg"]


# Where no source says how the API behaves, the module is run under each plausible answer (docs/design.md,
# "Assumptions about the real API"): how an alert's e-mail reads back, whether the alert listing honours the expanded
# mode, whether a POST of an existing tag key overwrites it, how many alerts a project may hold.
@pytest.mark.parametrize("settings", [
    {"alerting_email": "absent"},
    {"alerting_email": "shown"},
    {"alerting_expanded_listing": True},
    {"iam_tag_post_overwrites": True},
    {"alerts_per_project": 3},
], ids=["email-absent", "email-shown", "expanded-alert-listing", "tag-post-overwrites", "three-alerts"])
def test_the_settings_converge_under_each_unverified_api_behaviour(sim, settings):
    sim.config(**settings)
    alerts = [ALERT, dict(ALERT, monthly_threshold=900)] if settings.get("alerts_per_project") else [ALERT]
    first = run_module(sim, name=NAME, alerting=alerts, tags=TAGS)
    assert first.result["changed"] is True and not first.result.get("failed"), first.output
    sim.clear_journal()
    again = run_module(sim, name=NAME, alerting=alerts, tags=TAGS)
    assert again.result["changed"] is False and writes(sim) == [], again.output
    changed = run_module(sim, name=NAME, alerting=[dict(alerts[0], monthly_threshold=800)] + alerts[1:],
                         tags=dict(TAGS, team="team-e"))
    assert changed.result["changed"] is True, changed.output
    assert matches(writes(sim), [("PUT", ALERTING + r"/[0-9a-f-]+"), ("DELETE", TAG + "/team"), ("POST", TAG)]), writes(sim)
    project_id = changed.result["project"]["project_id"]
    assert sim.tags(project_id)["team"] == "team-e"
    assert sorted(a["monthly_threshold"] for a in sim.alerts(project_id)) == sorted([800] + [a["monthly_threshold"] for a in alerts[1:]])
