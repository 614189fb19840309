# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The modules' action plugin: secret options reach a local module by environment, never in its arguments."""

from __future__ import annotations

import os
from unittest import mock

import pytest

from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalAction

from ansible_collections.ovhcloud.public_cloud.plugins.action.public_cloud_project import ActionModule
from ansible_collections.ovhcloud.public_cloud.plugins.action.public_cloud_project_info import (
    ActionModule as InfoActionModule,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_terminator import TERMINATION_TOKEN_VARIABLE
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._secret_handoff import (
    VERDICT_VARIABLE,
    process_environment,
    split_secrets,
)

ARGS = {"name": "p", "application_key": "ak", "application_secret": "the-as", "consumer_key": "the-ck",
        "client_secret": "the-cs", "termination_token": "the-tt"}
VARIABLES = ("OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY", "OVH_CLIENT_SECRET", TERMINATION_TOKEN_VARIABLE)


def test_split_secrets_moves_the_secret_options():
    kept, environ = split_secrets(ARGS)
    assert kept == {"name": "p", "application_key": "ak"}
    assert environ == {"OVH_APPLICATION_SECRET": "the-as", "OVH_CONSUMER_KEY": "the-ck", "OVH_CLIENT_SECRET": "the-cs",
                       TERMINATION_TOKEN_VARIABLE: "the-tt"}
    assert ARGS["application_secret"] == "the-as"  # the task's own arguments are not changed


@pytest.mark.parametrize("value", ["", None, 12345, ["a"], "with\0nul"])
def test_split_secrets_leaves_what_cannot_be_a_variable_to_the_module(value):
    kept, environ = split_secrets({"name": "p", "consumer_key": value})
    assert kept == {"name": "p", "consumer_key": value}
    assert environ == {}


def test_process_environment_sets_then_restores(monkeypatch):
    monkeypatch.setenv("OVH_CONSUMER_KEY", "from-the-controller")
    monkeypatch.delenv("OVH_APPLICATION_SECRET", raising=False)
    with process_environment({"OVH_CONSUMER_KEY": "from-the-task", "OVH_APPLICATION_SECRET": "as"}):
        assert os.environ["OVH_CONSUMER_KEY"] == "from-the-task"
        assert os.environ["OVH_APPLICATION_SECRET"] == "as"
    assert os.environ["OVH_CONSUMER_KEY"] == "from-the-controller"
    assert "OVH_APPLICATION_SECRET" not in os.environ


def test_process_environment_restores_after_an_error(monkeypatch):
    monkeypatch.delenv("OVH_CLIENT_SECRET", raising=False)
    with pytest.raises(RuntimeError):
        with process_environment({"OVH_CLIENT_SECRET": "cs"}):
            raise RuntimeError("the module failed")
    assert "OVH_CLIENT_SECRET" not in os.environ


def action(action_class=ActionModule, transport="local", become=False):
    task = mock.MagicMock()
    task.args = dict(ARGS)
    connection = mock.MagicMock()
    connection.transport = transport
    connection._load_name = "ansible.builtin." + transport
    connection.become = object() if become else None
    play_context = mock.MagicMock()
    play_context.become = become
    return action_class(task, connection, play_context, loader=None, templar=None, shared_loader_obj=None)


def run_module(plugin, **kwargs):
    """Call the plugin's _execute_module with ActionBase's replaced: what arguments and environment it got."""
    seen = {}

    def fake_execute(self, module_name=None, module_args=None, **rest):  # pylint: disable=unused-argument
        seen["module_args"] = dict(module_args if module_args is not None else self._task.args)
        seen["environ"] = {v: os.environ.get(v) for v in VARIABLES}
        return {"changed": False}

    with mock.patch.object(ActionBase, "_execute_module", fake_execute):
        result = plugin._execute_module(**kwargs)
    assert result == {"changed": False}
    return seen


@pytest.mark.parametrize("action_class", [ActionModule, InfoActionModule])
def test_local_module_gets_secrets_by_environment_only(monkeypatch, action_class):
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    seen = run_module(action(action_class), task_vars={}, wrap_async=False)
    assert seen["module_args"] == {"name": "p", "application_key": "ak"}
    assert seen["environ"] == {"OVH_APPLICATION_SECRET": "the-as", "OVH_CONSUMER_KEY": "the-ck", "OVH_CLIENT_SECRET": "the-cs",
                               TERMINATION_TOKEN_VARIABLE: "the-tt"}
    assert all(variable not in os.environ for variable in VARIABLES)  # put back once the module ran


def test_explicit_module_args_are_handed_off_too(monkeypatch):
    monkeypatch.delenv("OVH_CONSUMER_KEY", raising=False)
    seen = run_module(action(), module_args={"name": "q", "consumer_key": "ck2"})
    assert seen["module_args"] == {"name": "q"}
    assert seen["environ"]["OVH_CONSUMER_KEY"] == "ck2"


@pytest.mark.parametrize("transport, become", [("ssh", False), ("paramiko_ssh", False), ("local", True)])
def test_remote_or_become_gets_the_arguments_unchanged(monkeypatch, transport, become):
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    seen = run_module(action(transport=transport, become=become), task_vars={})
    assert seen["module_args"] == ARGS
    assert seen["environ"] == dict.fromkeys(VARIABLES)


@pytest.mark.parametrize("module_result, verdict", [
    ({"changed": True, "project": {"project_id": "p"}}, {"failed": False, "changed": True}),
    ({"changed": False, "failed": True, "msg": "checkout refused", "failure": {"step": "checkout"}},
     {"failed": True, "changed": False}),
    # AnsibleModule's own argument check: msg only
    ({"failed": True, "msg": "missing required arguments: name"}, {"failed": True, "changed": False}),
    ({"failed": True, "msg": "MODULE FAILURE", "module_stderr": "Traceback"}, {"failed": True, "changed": False}),
])
def test_the_role_gets_the_modules_own_verdict_when_it_asks(module_result, verdict):
    with mock.patch.object(NormalAction, "run", lambda self, tmp=None, task_vars=None: dict(module_result)):
        asked = action().run(task_vars={VERDICT_VARIABLE: True})
        plain = action().run(task_vars={"other": 1})
    assert asked == dict(module_result, verdict=verdict)
    assert plain == module_result  # a task of a playbook gets the module's result as it is
