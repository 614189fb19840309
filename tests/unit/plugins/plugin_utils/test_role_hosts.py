# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's variables from one source: the module's argument spec, the role's argument specs, what the role reads of
each host (project_hosts) and passes to the module (module_args)."""

from __future__ import annotations

import copy
import hashlib
import os

import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.modules.public_cloud_project import argument_spec
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_hosts import project_hosts, role_settings
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play

ROLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "public_cloud_project")
# the module's options the role does not take as project settings: the name is public_cloud_project_name (or the
# entries' name), the connection options are the account's
NOT_SETTINGS = ("name",)
PREFIX = "public_cloud_project_"


def role_options():
    with open(os.path.join(ROLE, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


def _checked(spec):
    """What of an option the role must say as the module does."""
    return {"type": spec.get("type", "str"), "no_log": bool(spec.get("no_log", False))}


def test_each_module_option_is_a_role_variable_and_an_entry_key_as_the_module_takes_it():
    role = role_options()
    entry = role[PREFIX + "projects"]["options"]
    missing = []
    for option, spec in argument_spec().items():
        if option in NOT_SETTINGS:
            continue
        variable = role.get(PREFIX + option)
        if variable is None or option not in entry:
            missing.append(option)
            continue
        assert _checked(variable) == _checked(spec), option
        assert _checked(entry[option]) == _checked(spec), option
        # the role's default is the module's; an entry has none (unset, the host's variable applies)
        assert variable.get("default") == spec.get("default"), option
        assert "default" not in entry[option], option
        # the module's choices, or stricter ones (subsidiary: the module checks them per endpoint)
        if spec.get("choices"):
            assert variable.get("choices") == entry[option].get("choices") == spec["choices"], option
    assert not missing, (
        "module options the role does not document: %s; add public_cloud_project_<option> to the options of"
        " roles/public_cloud_project/meta/argument_specs.yml, and <option> to those of its public_cloud_project_projects"
        " entries (the role passes them to the module as they are)" % ", ".join(missing))


def test_each_project_setting_of_the_role_is_a_module_option():
    settings = role_settings(role_options())
    assert [s for s in settings if s not in argument_spec() and s != "openstack_user"] == []
    assert [s for s in settings if PREFIX + s not in role_options()] == []


def test_the_role_sets_no_default_itself():
    # the defaults are the argument specs' (the module's): one in defaults/main.yml would read as a play variable
    with open(os.path.join(ROLE, "defaults", "main.yml"), encoding="utf-8") as handle:
        assert not yaml.safe_load(handle)


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def play_of(hostvars, this_host="h1", play_vars=None, spec=None):
    spec = spec or role_options()
    records = project_hosts(list(hostvars), hostvars, this_host, play_vars or {}, spec)
    return records, project_play(records, argument_spec=spec)


def test_each_host_is_read_from_its_hostvars_with_the_module_defaults_and_no_secret():
    hostvars = {"h1": {"public_cloud_project_name": "a", "public_cloud_project_consumer_key": "ck",
                       "public_cloud_project_wait": "no", "other": 1},
                "h2": {"public_cloud_project_projects": [{"name": "b", "termination_token": "tok", "state": "absent",
                                                          "allow_termination": True}],
                       "public_cloud_project_termination_token": "host-token"}}
    records, play = play_of(hostvars)
    assert records[0]["secrets"] == digest("ck/") and records[1]["secrets"] == digest("/")
    assert records[1]["entry_tokens"] == [digest("tok")] and records[1]["projects"][0]["termination_token"] is None
    assert records[1]["defaults"]["termination_token"] == digest("host-token")
    assert "ck" not in repr(play) and "tok\"" not in repr(play) and "host-token" not in repr(play)
    first, second = play["projects"]
    assert first["settings"]["wait"] is False and first["settings"]["wait_timeout"] == 1800
    assert first["module_args"] == {"state": "present", "auto_pay": True, "waive_retractation_period": False,
                                    "wait": False, "wait_timeout": 1800, "duration": "P1M", "pricing_mode": "default",
                                    "purge_tags": True}
    # state absent: the termination options, not max_price; the token never (the controller reads it)
    assert second["module_args"]["allow_termination"] is True and "termination_token" not in second["module_args"]
    assert second["settings"]["termination_token"] == digest("tok") and play["problems"] == []


def test_the_play_variables_apply_to_the_hosts_that_do_not_set_them():
    hostvars = {"h1": {"public_cloud_project_name": "a"}, "h2": {"public_cloud_project_name": "b",
                                                                 "public_cloud_project_voucher": "MINE"}}
    # as the role's task sees them on h1: h1's inventory, and the play's voucher and wait
    seen = {"public_cloud_project_name": "a", "public_cloud_project_wait": False, "public_cloud_project_results": []}
    dummy, play = play_of(hostvars, play_vars=seen)
    assert [(p["name"], p["settings"]["wait"]) for p in play["projects"]] == [("a", False), ("b", False)]
    assert play["projects"][1]["settings"]["voucher"] == "MINE"


def test_a_host_whose_inventory_the_play_overrides_is_left_out():
    hostvars = {"h1": {"public_cloud_project_name": "a", "public_cloud_project_consumer_key": "inventory-key"},
                "h2": {"public_cloud_project_name": "b", "public_cloud_project_wait_timeout": 60},
                "h3": {"public_cloud_project_name": "c"}}
    seen = {"public_cloud_project_name": "a", "public_cloud_project_consumer_key": "play-key",
            "public_cloud_project_wait_timeout": 120}
    dummy, play = play_of(hostvars, play_vars=seen)
    assert [p["host"] for p in play["problems"]] == ["h1", "h2"]
    assert play["problems"][0]["msg"].startswith("the consumer key or client secret of host h1 are set in play or role"
                                                 " variables that the controller cannot read for that host")
    assert play["problems"][1]["msg"].startswith("public_cloud_project_wait_timeout of host h2 is set both in its"
                                                 " inventory variables and, with another value, in play or role")
    assert "play-key" not in repr(play) and "inventory-key" not in repr(play)
    assert [(p["host"], p["settings"]["wait_timeout"]) for p in play["projects"]] == [("h3", 120)]


def test_a_new_option_of_the_module_reaches_the_module_with_no_change_in_the_role():
    # the argument specs are the one source: an option added there (as the unit test above asks, once the module
    # has it) is read on each host, checked, defaulted, compared between hosts and passed to the module
    spec = copy.deepcopy(role_options())
    spec[PREFIX + "trial_option"] = {"type": "int", "default": 3}
    spec[PREFIX + "projects"]["options"]["trial_option"] = {"type": "int"}
    hostvars = {"h1": {"public_cloud_project_name": "a", "public_cloud_project_trial_option": "7"},
                "h2": {"public_cloud_project_projects": [{"name": "b", "trial_option": 8}, {"name": "c"}]},
                "h3": {"public_cloud_project_name": "a"}}
    dummy, play = play_of(hostvars, spec=spec)
    assert [(p["name"], p["module_args"]["trial_option"]) for p in play["projects"]] == [("b", 8), ("c", 3)]
    assert [p["host"] for p in play["problems"]] == ["h1", "h3"]
    assert "differ in trial_option (7 on h1, 3 on h3)" in play["problems"][0]["msg"]
    hostvars["h1"]["public_cloud_project_trial_option"] = "many"
    dummy, play = play_of(hostvars, spec=spec)
    assert "public_cloud_project_trial_option" in play["problems"][0]["msg"]


class Failing(dict):
    """hostvars of a host whose variable fails to template."""

    def __getitem__(self, key):
        if key == "public_cloud_project_voucher":
            raise ValueError("'vault_voucher' is undefined")
        return dict.__getitem__(self, key)


def test_a_host_whose_variable_cannot_be_read_is_left_out_and_the_others_go_on():
    hostvars = {"h1": {"public_cloud_project_name": "a"},
                "h2": Failing(public_cloud_project_name="b", public_cloud_project_voucher="{{ vault_voucher }}")}
    dummy, play = play_of(hostvars)
    assert play["problems"] == [{"host": "h2", "msg": "public_cloud_project_voucher of host h2 cannot be read:"
                                                      " 'vault_voucher' is undefined"}]
    assert [p["name"] for p in play["projects"]] == ["a"]
