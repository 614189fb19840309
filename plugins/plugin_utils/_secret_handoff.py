# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The collection's modules' action plugin: the secret options reach a local module by its environment, not its arguments.

ansible-core writes a module's arguments where ``no_log`` does not reach: with ``ANSIBLE_DEBUG=1`` its
"done with _execute_module (module, arguments)" line prints every argument, ``no_log`` ones included (a documented
limit of DEFAULT_DEBUG), and without pipelining the arguments sit in the AnsiballZ file of the remote temporary
directory, which a controller killed mid-task leaves on disk. On a local connection without become (how an API
module runs: ``hosts: localhost``, ``delegate_to: localhost``) the module process inherits the environment of the
worker process that runs this task. So the secret options given as arguments (``application_secret``,
``consumer_key``, ``client_secret``, and public_cloud_project's ``termination_token``) are taken out of the arguments
and set, for this task's worker process only, in the variables the module reads them from when the option is unset
(OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY, OVH_CLIENT_SECRET; a private variable for the token): an argument still
wins over a variable of the controller's environment, as before. The worker process is forked for this task, and
the variables are restored when the module has run.

Anything else runs as ansible.builtin.normal runs it: a remote or become connection (whose command line or sudo would
not carry the environment, or would log it) gets the arguments unchanged; so does a value that is not a non-empty
string without NUL (the module reports its type error as usual).

A task that sets the variable ``public_cloud_project__verdict`` to true (the public_cloud_project role's tasks that run
once for the play, on the controller) also gets the module's own ``failed`` and ``changed`` in the result's
``verdict``: those tasks override both with ``failed_when: false`` and ``changed_when: false`` (a failure or change of
a task run once would be counted on the first host of the play), and the role reports each project on its own hosts
from ``verdict``. Any failure reaches ``verdict``: the module's own, an argument check's, a crash's.

A task that sets the variable ``public_cloud_project__select_hosts`` to true (the role's first task) runs no module: its
result's ``hosts`` are the hosts of the play the role applies to (plugin_utils/_host_selection.py).

A task that sets the variable ``public_cloud_project__in_process`` to true (the role's lookup) has a read-only module
run inside this worker process when it may (plugin_utils/_in_process.py), with the same arguments, checks and result.

A task that sets the variable ``public_cloud_project__module_args`` to a dictionary (the role's task that runs the
public_cloud_project module for each project) gives the module those arguments too, under the task's own (which win):
the role passes a project's settings as a whole, so that a new option of the module needs no change in its tasks.
(A task's ``args`` keyword given a template would do the same, but ansible-core 2.16 warns on every run that it is
unsafe when facts are injected as variables.)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action.normal import ActionModule as NormalAction

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_terminator import TERMINATION_TOKEN_VARIABLE
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._host_selection import SELECT_HOSTS_VARIABLE, selected_hosts
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._in_process import (
    IN_PROCESS_VARIABLE,
    in_process_work,
    run_in_process,
)

# option -> the environment variable the module's argument spec falls back to (module_utils/_credentials.py)
SECRET_OPTION_VARIABLES = {
    "application_secret": "OVH_APPLICATION_SECRET",
    "consumer_key": "OVH_CONSUMER_KEY",
    "client_secret": "OVH_CLIENT_SECRET",
    # public_cloud_project's state=absent: a private variable, read only as this option's fallback
    "termination_token": TERMINATION_TOKEN_VARIABLE,
}
LOCAL_TRANSPORTS = ("local", "ansible.builtin.local", "ansible.legacy.local")
# the task variable that asks for the result's ``verdict`` (the module's own failed and changed)
VERDICT_VARIABLE = "public_cloud_project__verdict"
# the task variable whose dictionary the module gets as arguments, under the task's own
MODULE_ARGS_VARIABLE = "public_cloud_project__module_args"


def split_secrets(module_args):
    """(the arguments without the secret options that can travel by environment, {variable: value} for them)."""
    kept = dict(module_args)
    environ = {}
    for option, variable in SECRET_OPTION_VARIABLES.items():
        value = kept.get(option)
        if isinstance(value, str) and value and "\0" not in value:
            environ[variable] = str(value)  # a plain str (ansible-core 2.19 tags templated strings)
            del kept[option]
    return kept, environ


@contextlib.contextmanager
def process_environment(environ):
    """Set ``environ`` in this process's environment, and put back what was there."""
    saved = {variable: os.environ.get(variable) for variable in environ}
    os.environ.update(environ)
    try:
        yield
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value


class SecretHandoffAction(NormalAction):
    """ansible.builtin.normal, with the secret options handed to a local module by environment."""

    def _hands_off_by_environment(self):
        transport = getattr(self._connection, "transport", None)
        load_name = getattr(self._connection, "_load_name", None)
        if transport not in LOCAL_TRANSPORTS and load_name not in LOCAL_TRANSPORTS:
            return False
        become = getattr(self._connection, "become", None) or getattr(self._play_context, "become", False)
        return not become

    def _execute_module(self, module_name=None, module_args=None, **kwargs):  # pylint: disable=arguments-differ
        if module_args is None:
            module_args = self._task.args
        found = self._in_process_work(module_name, kwargs)
        if found is not None:  # plugin_utils/_in_process.py: a read-only module's work, in this worker process
            return run_in_process(*found, arguments=module_args, check_mode=bool(self._task.check_mode))
        environ = {}
        if self._hands_off_by_environment():
            module_args, environ = split_secrets(module_args)
        with process_environment(environ):
            return super()._execute_module(module_name=module_name, module_args=module_args, **kwargs)

    def _in_process_work(self, module_name, kwargs):
        """The module's (argument_spec, work) when the task asks for a run in this process and it may run here."""
        asked = (kwargs.get("task_vars") or {}).get(IN_PROCESS_VARIABLE)
        if asked is None or not boolean(self._templar.template(asked), strict=False) or kwargs.get("wrap_async") \
                or any(self._task.environment or []) or not self._hands_off_by_environment():
            return None
        return in_process_work(module_name or getattr(self._task, "resolved_action", None) or self._task.action)

    def run(self, tmp=None, task_vars=None):
        if boolean((task_vars or {}).get(SELECT_HOSTS_VARIABLE, False), strict=False):
            # the public_cloud_project role's first task: the hosts it applies to, no module run (_host_selection.py)
            return {"changed": False, "hosts": selected_hosts(self._task, task_vars, self._loader)}
        given = (task_vars or {}).get(MODULE_ARGS_VARIABLE)
        given = None if given is None else self._templar.template(given)
        if given is not None and not isinstance(given, Mapping):
            result = {"failed": True, "msg": "%s must be a dictionary of the module's arguments, got %s"
                      % (MODULE_ARGS_VARIABLE, type(given).__name__)}
        else:
            if given:
                self._task.args = dict(given, **self._task.args)
            result = super().run(tmp=tmp, task_vars=task_vars)
        if boolean((task_vars or {}).get(VERDICT_VARIABLE, False), strict=False):
            result["verdict"] = {"failed": bool(result.get("failed", False)), "changed": bool(result.get("changed", False))}
        return result
