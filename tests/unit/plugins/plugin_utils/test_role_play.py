# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""project_play: the variables of every host of the play checked, their projects listed and deduplicated, the accounts."""

from __future__ import annotations

import hashlib
import os

import pytest
import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import project_specs
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.plugin_utils.role_defaults import DEFAULTS

# what project_hosts records for the consumer key "the-consumer-key" and no client secret
SECRETS = hashlib.sha256(b"the-consumer-key/").hexdigest()[:12]


def host(name=None, projects=None, host_name="h1", endpoint="ovh-eu", **defaults):
    """A host's record, as project_hosts gives it."""
    return {"host": host_name, "name": name, "projects": projects, "endpoint": endpoint, "application_key": "AK",
            "client_id": None, "secrets": SECRETS, "defaults": dict(DEFAULTS, **defaults)}


def test_hosts_of_either_shape_their_projects_and_the_keys_the_secrets_would_make():
    play = project_play([host("a"), host(projects=[{"name": "b", "voucher": "V"}, {"name": "a"}], host_name="h2"),
                         host(projects=[], host_name="h3")])
    assert [(h["host"], h["one_project"], [p["name"] for p in h["projects"]]) for h in play["hosts"]] == [
        ("h1", True, ["a"]), ("h2", False, ["b", "a"]), ("h3", False, [])]
    # the hash recorded on the host gives the key project_specs gives for the secrets themselves
    assert play["hosts"][0]["projects"] == project_specs(None, name="a", host="h1", endpoint="ovh-eu", defaults=DEFAULTS,
                                                         credentials={"application_key": "AK",
                                                                      "consumer_key": "the-consumer-key"})
    assert [(p["host"], p["name"]) for p in play["projects"]] == [("h1", "a"), ("h2", "b")]
    assert play["projects"][1]["settings"]["voucher"] == "V"
    assert [a["account_host"] for a in play["accounts"]] == ["h1"] and play["problems"] == []


def test_a_host_without_an_endpoint_gets_the_controllers():
    play = project_play([host("a", endpoint=None), host("a", endpoint="", host_name="h2"),
                         host("a", endpoint="ovh-ca", host_name="h3")], endpoint="https://api.example/1.0")
    assert [p["connection"]["endpoint"] for p in play["projects"]] == ["https://api.example/1.0", "ovh-ca"]
    assert len(play["accounts"]) == 2
    assert project_play([host("a", endpoint=None)])["projects"][0]["connection"]["endpoint"] is None


@pytest.mark.parametrize("name, projects, msg", [
    (None, None, "public_cloud_project_name is not set for host h1: set public_cloud_project_name to the name of its "
                 "project (one project per host), or public_cloud_project_projects to a list of projects ({name, voucher, "
                 "...})"),
    ("a", [{"name": "a"}], "public_cloud_project_name and public_cloud_project_projects are both set for host h1: set "
                           "only one of them (public_cloud_project_name for one project per host, "
                           "public_cloud_project_projects for a list)"),
    ("spaced ", None, 'public_cloud_project_name "spaced " of host h1 is not a project name: use 1 to 64 printable '
                      'characters, without leading or trailing spaces'),
    ("x" * 65, None, 'public_cloud_project_name "%s" of host h1 is not a project name' % ("x" * 65)),
    ("zero\u200bwidth", None, 'public_cloud_project_name "zero\\u200bwidth" of host h1 is not a project name'),
    (None, [{"name": "ok"}, {"name": " lead"}, {"name": ""}, {"name": "fine"}],
     'public_cloud_project_projects of host h1 has names that are not project names: " lead", ""; use 1 to 64 '
     'printable characters, without leading or trailing spaces'),
])
def test_variables_the_argument_specs_cannot_check(name, projects, msg):
    play = project_play([host(name, projects), host("fine", host_name="h2")])
    assert len(play["problems"]) == 1 and play["problems"][0]["host"] == "h1"
    assert play["problems"][0]["msg"].startswith(msg)
    # nothing of a host with errors is listed; the others are
    assert play["hosts"][0]["projects"] == [] and [p["name"] for p in play["projects"]] == ["fine"]


def test_names_are_checked_by_the_module_own_check_as_strings():
    assert project_play([host("équipe α"), host("x" * 64), host(2026)])["problems"] == []
    assert project_play([host(2026)])["projects"][0]["name"] == "2026"
    assert project_play([host("tab\there")])["problems"] and project_play([host(projects=[{"name": "new\nline"}])])["problems"]


def test_every_host_errors_then_each_host_that_names_a_project_in_conflict_once_and_the_others_go_on():
    play = project_play([host("shared", voucher="A"), host(None, host_name="h2"), host("shared", host_name="h3", voucher="B"),
                         host("bad ", host_name="h4"), host("shared", host_name="h5", voucher="A"),
                         host("fine", host_name="h6")])
    assert [p["host"] for p in play["problems"]] == ["h2", "h4", "h1", "h3", "h5"]
    conflict = play["problems"][2]["msg"]
    assert conflict.startswith("hosts h1 and h3 both name project shared but differ in voucher")
    # each host naming the project fails with the one message of the conflict (h5 agrees with h1, but not with h3)
    assert [p["msg"] for p in play["problems"][2:]] == [conflict] * 3
    # the project in conflict is neither looked up nor ordered; the host that is fine goes on
    assert [(p["host"], p["name"]) for p in play["projects"]] == [("h6", "fine")]
    assert [(r["host"], [s["name"] for s in r["projects"]]) for r in play["hosts"]] == [
        ("h1", []), ("h2", []), ("h3", []), ("h4", []), ("h5", []), ("h6", ["fine"])]
    assert len(play["accounts"]) == 1 and play["accounts"][0]["account_host"] == "h6"


def test_a_host_of_a_list_with_one_project_in_conflict_is_left_out_whole():
    play = project_play([host(projects=[{"name": "mine"}, {"name": "shared", "voucher": "A"}], host_name="list"),
                         host("shared", host_name="other", voucher="B"), host("mine", host_name="same")])
    assert [p["host"] for p in play["problems"]] == ["list", "other"]
    # "mine" is still made sure of, for the host that names it and is fine
    assert [(p["host"], p["name"]) for p in play["projects"]] == [("same", "mine")]


ROLE_SPEC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "public_cloud_project", "meta",
                         "argument_specs.yml")


def role_options():
    with open(ROLE_SPEC, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


@pytest.mark.parametrize("changes, fragments", [
    ({"defaults": dict(DEFAULTS, wait_timeout="soon")},
     ["argument 'public_cloud_project_wait_timeout' is of type", "convert to int"]),
    ({"defaults": dict(DEFAULTS, subsidiary="XX")}, ["value of public_cloud_project_subsidiary must be one of", "got: XX"]),
    ({"name": None, "projects": [{"name": "a", "subsidiary": "XX"}]},
     ["value of subsidiary must be one of", "got: XX found in public_cloud_project_projects"]),
    ({"name": None, "projects": [{"voucher": "V"}]}, ["missing required arguments: name found in public_cloud_project_projects"]),
    ({"name": None, "projects": [{"name": "a", "colour": "blue"}]}, ["colour", "public_cloud_project_projects"]),
    ({"defaults": dict(DEFAULTS, auto_pay="perhaps")}, ["public_cloud_project_auto_pay", "bool"]),
])
def test_the_role_argument_specs_are_checked_as_ansible_checks_them(changes, fragments):
    bad = dict(host("a"), **changes)
    play = project_play([bad, host("fine", host_name="h2")], argument_spec=role_options())
    assert len(play["problems"]) == 1, play["problems"]
    msg = play["problems"][0]["msg"]
    assert msg.startswith("Validation of the variables of host h1 failed: ")
    assert all(fragment in msg for fragment in fragments), msg
    assert [p["name"] for p in play["projects"]] == ["fine"]


def test_values_the_argument_specs_accept_and_null_ones_pass():
    fine = [host("a", voucher=None, subsidiary="DE", auto_pay="yes", wait_timeout="60"),
            host(projects=[{"name": "b", "auto_pay": False, "state": "present"}], host_name="h2",
                 endpoint=None)]
    play = project_play(fine, argument_spec=role_options())
    assert play["problems"] == []
    assert play["projects"][0]["settings"]["auto_pay"] is True and play["projects"][0]["settings"]["wait_timeout"] == 60


def test_nothing():
    assert project_play([]) == project_play(None) == {"hosts": [], "projects": [], "accounts": [], "problems": []}
