# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's lifecycle settings (project_id, max_price, state absent and its termination options) through its filters:
recorded, checked, planned from the one lookup per account, and reported."""

from __future__ import annotations

import hashlib
import os

import pytest
import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_plan import project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_report import project_report
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import (
    NO_TOKEN,
    dedupe_projects,
    project_outcome,
    project_outcomes,
    project_specs,
    project_summary,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.plugin_utils.role_defaults import DEFAULTS

ID_A = "0123456789ab4cdef0123456789abcde"
ID_B = "fedcba9876544cdef0123456789abcde"
ROLE_SPEC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "public_cloud_project", "meta",
                         "argument_specs.yml")


def token_hash(token):
    """What project_hosts records for a termination token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:12]


def role_options():
    with open(ROLE_SPEC, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def host(name=None, projects=None, host_name="h1", entry_tokens=None, **defaults):
    """A host's record, as project_hosts gives it."""
    return {"host": host_name, "name": name, "projects": projects, "entry_tokens": entry_tokens, "endpoint": "ovh-eu",
            "application_key": "AK", "client_id": None, "secrets": "0" * 12, "defaults": dict(DEFAULTS, **defaults)}


def project(name, status="ok", project_id=None):
    return {"project_id": project_id or "id-%s-%s" % (name, status), "name": name, "status": status,
            "creation_date": "2026-11-30T05:00:00+00:00", "plan_code": "project.2018", "order_id": None}


def lookup(account, projects=(), pending=()):
    return {"item": account, "changed": False, "projects": projects if isinstance(projects, list) else list(projects),
            "pending_orders": list(pending)}


def plan_of(hosts, listed, pending=()):
    play = project_play(hosts, argument_spec=role_options())
    assert play["problems"] == []
    return play, project_plan(play["projects"], [lookup(play["accounts"][0], listed, pending)])


# recorded and converted -------------------------------------------------------------------------------------------


def test_settings_carry_the_lifecycle_options_converted_and_the_token_only_as_its_hash():
    defaults = dict(DEFAULTS, project_id=12345, max_price="1.5", allow_termination="yes", state="absent",
                    termination_token=token_hash("secret-token"))
    spec = project_specs(None, name="a", host="h1", defaults=defaults)[0]
    assert spec["index"] is None
    assert spec["settings"]["project_id"] == "12345" and spec["settings"]["max_price"] == 1.5
    assert spec["settings"]["allow_termination"] is True and spec["settings"]["termination_token_from_email"] is False
    assert spec["settings"]["termination_token"] == token_hash("secret-token")
    assert "secret-token" not in repr(spec)


def test_an_entry_token_hash_overrides_the_host_one_and_the_empty_hash_is_no_token():
    host_token = token_hash("host-token")
    specs = project_specs([{"name": "a", "termination_token": None}, {"name": "b"}, {"name": "c"}], host="h1",
                          defaults=dict(DEFAULTS, termination_token=host_token),
                          tokens=[token_hash("entry-token"), NO_TOKEN])
    assert [s["settings"]["termination_token"] for s in specs] == [token_hash("entry-token"), host_token, host_token]
    assert [s["index"] for s in specs] == [0, 1, 2]
    assert project_specs([{"name": "a"}], defaults=dict(DEFAULTS, termination_token=NO_TOKEN),
                         tokens=[NO_TOKEN])[0]["settings"]["termination_token"] is None


def test_two_names_with_the_same_project_id_in_an_account_conflict():
    specs = (project_specs([{"name": "a", "project_id": ID_A}, {"name": "b", "project_id": ID_A}], host="h1",
                           defaults=DEFAULTS)
             + project_specs([{"name": "c", "project_id": ID_A}], host="h2", endpoint="ovh-ca", defaults=DEFAULTS))
    deduped = dedupe_projects(specs)
    assert [c["name"] for c in deduped["conflicts"]] == ["b"]  # another account (endpoint) may have that id too
    assert deduped["conflicts"][0]["msg"].startswith("hosts h1 and h1 give the same project_id %s to projects a and b" % ID_A)


# checked before any API call -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("record, fragments", [
    (host("a", state="absent"), ["state is absent for project \"a\" of host h1, and allow_termination is not true",
                                 "set public_cloud_project_allow_termination: true", "Nothing was called"]),
    (host(projects=[{"name": "a", "state": "absent"}], state="present"),
     ["set public_cloud_project_allow_termination (or allow_termination in its entry of public_cloud_project_projects)"]),
    (host("a", state="absent", allow_termination=True, termination_token=token_hash("t"),
          termination_token_from_email=True), ["both a termination token and termination_token_from_email"]),
    (host("a", project_id="../me"), ["public_cloud_project_project_id \"../me\" of project \"a\" of host h1 is not a project id"]),
    (host("a", max_price=-1), ["public_cloud_project_max_price is -1.0 for project \"a\" of host h1; it must be 0 or more"]),
    (host("a", state="gone"), ["value of public_cloud_project_state must be one of: present, absent, got: gone"]),
    (host("a", max_price="cheap"), ["public_cloud_project_max_price", "float"]),
    (host("a", allow_termination="perhaps"), ["public_cloud_project_allow_termination", "bool"]),
    (host(projects=[{"name": "a", "state": "gone"}]), ["value of state must be one of: present, absent, got: gone"]),
])
def test_lifecycle_settings_are_checked_before_any_api_call(record, fragments):
    play = project_play([record, host("fine", host_name="h2")], argument_spec=role_options())
    assert len(play["problems"]) == 1, play["problems"]
    assert all(fragment in play["problems"][0]["msg"] for fragment in fragments), play["problems"][0]["msg"]
    assert play["hosts"][0]["projects"] == [] and [p["name"] for p in play["projects"]] == ["fine"]


def test_lifecycle_settings_the_argument_specs_accept():
    play = project_play([host("a", state="absent", allow_termination=True, termination_token=token_hash("t")),
                         host(projects=[{"name": "b", "project_id": ID_A, "max_price": 0, "state": "present"},
                                        {"name": "c", "state": "absent", "allow_termination": True,
                                         "termination_token_from_email": True, "termination_token": None}],
                              host_name="h2", entry_tokens=[NO_TOKEN, NO_TOKEN], max_price="2.5")],
                        argument_spec=role_options())
    assert play["problems"] == []
    assert [(p["name"], p["settings"]["state"], p["settings"]["max_price"]) for p in play["projects"]] == [
        ("a", "absent", None), ("b", "present", 0.0), ("c", "absent", 2.5)]


def test_the_role_argument_specs_keep_the_token_secret():
    options = role_options()
    assert options["public_cloud_project_termination_token"]["no_log"] is True
    assert options["public_cloud_project_projects"]["options"]["termination_token"]["no_log"] is True
    assert options["public_cloud_project_state"]["choices"] == ["present", "absent"]


# planned from the one lookup per account ----------------------------------------------------------------------------


def test_present_with_the_new_settings_unset_plans_as_before():
    dummy, plan = plan_of([host(projects=[{"name": "found"}, {"name": "missing"}])], [project("found")])
    assert [r["item"]["name"] for r in plan["results"]] == ["found"]
    assert [(p["name"], p["orders_in_flight"]) for p in plan["to_order"]] == [("missing", [])]


def test_a_project_id_runs_the_module_only_to_rename_or_to_fail():
    entries = [{"name": "same", "project_id": ID_A}, {"name": "new-name", "project_id": ID_B},
               {"name": "unknown", "project_id": "0" * 32}, {"name": "gone", "project_id": "1" * 32},
               {"name": "odd", "project_id": "2" * 32}]
    listed = [project("same", project_id=ID_A), project("old-name", project_id=ID_B),
              project("gone", "deleting", project_id="1" * 32), project("odd", "frozen", project_id="2" * 32),
              project("new-name")]
    dummy, plan = plan_of([host(projects=entries)], listed, [{"order_id": 5, "name": "unknown", "status": "unpaid"}])
    assert [(r["item"]["name"], r["project"]["project_id"]) for r in plan["results"]] == [("same", ID_A)]
    # rename, id not listed, being deleted, unknown status: the module renames or fails saying why; never follows orders
    assert [(p["name"], p["orders_in_flight"]) for p in plan["to_order"]] == [
        ("new-name", []), ("unknown", []), ("gone", []), ("odd", [])]


def test_absent_runs_the_module_only_for_a_listed_project_not_being_deleted():
    entries = [{"name": n, "state": "absent", "allow_termination": True}
               for n in ("live", "deleting", "deleted", "missing", "two", "suspended")]
    entries += [{"name": "by-id", "state": "absent", "allow_termination": True, "project_id": ID_A},
                {"name": "id-gone", "state": "absent", "allow_termination": True, "project_id": ID_B}]
    listed = [project("live"), project("deleting", "deleting"), project("deleted", "deleted"), project("two"),
              project("two", "creating"), project("suspended", "suspended"), project("renamed", project_id=ID_A)]
    dummy, plan = plan_of([host(projects=entries)], listed, [{"order_id": 5, "name": "live", "status": "unpaid"}])
    assert [(p["name"], p["orders_in_flight"]) for p in plan["to_order"]] == [
        ("live", []), ("two", []), ("suspended", []), ("by-id", [])]
    settled = dict((r["item"]["name"], r) for r in plan["results"])
    assert sorted(settled) == ["deleted", "deleting", "id-gone", "missing"]
    assert settled["deleting"]["termination"] == {"requested": True, "confirmed": True}
    assert settled["deleting"]["project"]["status"] == "deleting" and settled["deleting"]["changed"] is False
    assert settled["missing"]["termination"] == {"requested": False, "confirmed": False}
    assert settled["missing"]["project"] is None and settled["id-gone"]["project"] is None


def test_the_listing_by_id_is_built_only_when_an_id_or_absent_asks_for_it():
    class Listing(list):
        reads = 0

        def __iter__(self):
            Listing.reads += 1
            return super().__iter__()

    play = project_play([host(projects=[{"name": "p%d" % n} for n in range(50)])])
    listed = Listing(project("p%d" % n) for n in range(50))
    plan = project_plan(play["projects"], [lookup(play["accounts"][0], listed)])
    assert len(plan["results"]) == 50 and Listing.reads == 1
    play = project_play([host(projects=[{"name": "p0", "state": "absent", "allow_termination": True}])])
    Listing.reads = 0
    project_plan(play["projects"], [lookup(play["accounts"][0], listed)])
    assert Listing.reads == 2


# reported ---------------------------------------------------------------------------------------------------------------


def absent_spec(name="a"):
    return {"key": "k|" + name, "name": name, "settings": dict(DEFAULTS, state="absent", allow_termination=True)}


@pytest.mark.parametrize("result, check_mode, msg, termination", [
    ({"changed": True, "project": project("a"), "termination": {"requested": True, "confirmed": False}}, False,
     "termination requested: OVHcloud e-mailed a confirmation link", {"requested": True, "confirmed": False}),
    ({"changed": True, "project": project("a", "deleting", ID_A), "termination": {"requested": True, "confirmed": True}},
     False, "terminated (project %s is being deleted)" % ID_A, {"requested": True, "confirmed": True}),
    ({"changed": True, "project": project("a"), "termination": {"requested": True, "confirmed": True}}, True,
     "would be terminated (check mode)", {"requested": True, "confirmed": True}),
    ({"changed": True, "project": project("a"), "termination": {"requested": True, "confirmed": False}}, True,
     "termination would be requested (check mode)", {"requested": True, "confirmed": False}),
    ({"changed": False, "project": None, "termination": {"requested": False, "confirmed": False}}, False, "absent",
     {"requested": False, "confirmed": False}),
    ({"changed": False, "project": project("a", "deleted"), "termination": {"requested": True, "confirmed": True}}, False,
     "already deleted", {"requested": True, "confirmed": True}),
    ({"changed": False, "failed": True, "msg": "the confirmation was refused"}, False, "the confirmation was refused",
     {"requested": False, "confirmed": False}),
])
def test_absent_outcomes_carry_the_termination(result, check_mode, msg, termination):
    outcome = project_outcome(result, "a", check_mode, state="absent")
    assert outcome["msg"].startswith(msg) and outcome["termination"] == termination


def renaming(before, after):
    """The diff of the module's result for a project it renamed (ProjectRenamer: its project before and after)."""
    return {"before": {"project_id": ID_A, "name": before}, "after": {"project_id": ID_A, "name": after}}


def test_present_outcomes_have_no_termination_and_a_rename_says_so():
    renamed = {"changed": True, "project": project("new", project_id=ID_A), "order": None, "diff": renaming("old", "new")}
    assert "termination" not in project_outcome(renamed, "new")
    assert project_outcome(renamed, "new")["msg"] == "renamed"
    assert project_outcome(renamed, "new", check_mode=True)["msg"] == "would be renamed (check mode)"
    assert project_outcome({"changed": True, "project": None, "order": None}, "n", True)["msg"] == "would be ordered (check mode)"
    outcomes = project_outcomes([dict(renamed, item={"key": "k|new"})], [{"key": "k|new", "name": "new"}])
    assert "termination" not in outcomes["k|new"]


def test_the_summary_counts_renames_and_terminations_only_when_there_are_some():
    plain = project_summary([project_outcome({"changed": False, "project": project("a")}, "a")])
    assert plain == ["Public Cloud projects: 1 (found 1, ordered 0, pending payment 0, failed 0)", "found: a", "ordered: -",
                     "pending payment: -", "failed: -"]
    outcomes = [
        project_outcome({"changed": False, "project": project("a")}, "a"),
        project_outcome({"changed": True, "project": project("b", project_id=ID_A), "order": None,
                         "diff": renaming("old-b", "b")}, "b"),
        project_outcome({"changed": True, "termination": {"requested": True, "confirmed": True}}, "c", state="absent"),
        project_outcome({"changed": True, "termination": {"requested": True, "confirmed": False}}, "d", state="absent"),
        project_outcome({"changed": False, "termination": {"requested": False, "confirmed": False}}, "e", state="absent"),
        project_outcome({"failed": True, "msg": "boom"}, "f", state="absent"),
    ]
    lines = project_summary(outcomes)
    assert lines[0] == ("Public Cloud projects: 6 (found 1, ordered 0, pending payment 0, failed 1), renamed 1, terminated 1,"
                        " termination requested 1, absent 1")
    assert lines[5:] == ["renamed: b", "terminated: c", "termination requested: d", "absent: e: absent"]
    assert project_summary(outcomes, check_mode=True)[0].endswith("to rename 1, to terminate 1, termination to request 1, absent 1")


def test_the_report_of_a_retirement_and_a_rename():
    play = project_play([host("old", state="absent", allow_termination=True),
                         host(projects=[{"name": "adopted", "project_id": ID_A}, {"name": "gone", "state": "absent",
                                                                                  "allow_termination": True}],
                              host_name="list")], argument_spec=role_options())
    listed = [project("old"), project("before", project_id=ID_A)]
    lookups = [lookup(play["accounts"][0], listed)]
    old, adopted = project_plan(play["projects"], lookups)["to_order"]
    ordered = [{"item": old, "changed": True, "project": project("old"), "termination": {"requested": True, "confirmed": False}},
               {"item": adopted, "changed": True, "project": project("adopted", project_id=ID_A), "order": None,
                "diff": renaming("before", "adopted")}]
    report = project_report(play, lookups, ordered)
    assert report["hosts"][0]["public_cloud_project"]["termination"] == {"requested": True, "confirmed": False}
    results = report["hosts"][1]["public_cloud_project_results"]
    assert [(r["name"], r["msg"]) for r in results] == [("adopted", "renamed"), ("gone", "absent")]
    assert "termination" not in results[0] and results[1]["termination"] == {"requested": False, "confirmed": False}
    assert report["failures"] == {}
    assert report["summary"][0].endswith("renamed 1, terminated 0, termination requested 1, absent 1")


def test_a_project_whose_alerts_or_tags_changed_is_updated_not_ordered_nor_renamed():
    tagged = {"changed": True, "project": project("a", project_id=ID_A), "order": None,
              "diff": {"before": {"tags": {}}, "after": {"tags": {"team": "x"}}}}
    assert project_outcome(tagged, "a")["msg"] == "spending alerts or tags updated"
    assert project_outcome(tagged, "a", check_mode=True)["msg"] == "spending alerts or tags would be updated (check mode)"
    lines = project_summary([project_outcome(tagged, "a"), project_outcome({"changed": False, "project": project("b")}, "b")])
    assert lines[0] == "Public Cloud projects: 2 (found 1, ordered 0, pending payment 0, failed 0), alerts or tags updated 1"
    assert lines[1:] == ["found: b", "ordered: -", "pending payment: -", "failed: -", "alerts or tags updated: a"]
