# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""A read-only module run inside the action plugin's worker process, for the public_cloud_project role's lookup.

A module run on the controller costs a Python process, its AnsiballZ payload and a temporary directory (about 0.3 s
on 2 cores); the role's lookup runs once per play, and on a no-op run it is most of the role's fixed cost. A task
that sets the variable ``public_cloud_project__in_process`` to true, on a local connection without become, has its
module's work run here instead, by the same code: the module file's ``argument_spec()`` and its work function
(``IN_PROCESS_WORK``, which only modules that write nothing declare) under an OvhModule, with the arguments
checked by ansible-core's ArgumentSpecValidator (types, choices, fallbacks to the environment, no_log values) as
AnsibleModule checks them, and the result scrubbed of every no_log value as AnsibleModule's exit scrubs it. The
worker process is forked for the task: nothing here outlives it. Anything else (another connection, become, a module
that does not declare its work, python-ovh missing from the controller's Python) runs the module as usual.
"""

from __future__ import annotations

import importlib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule, with_connection_options
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._python_ovh import HAS_OVH

# the task variable that asks for a run in the worker process
IN_PROCESS_VARIABLE = "public_cloud_project__in_process"
MODULES_PACKAGE = "ansible_collections.ovhcloud.public_cloud.plugins.modules."


class _Exit(Exception):
    """The end of the run: ``result`` is what exit_json or fail_json were given."""

    def __init__(self, result):
        super().__init__("module exit")
        self.result = result


class WorkerModule:
    """What OvhModule needs of an AnsibleModule (params, check_mode, no_log_values, warn, exit_json, fail_json), for
    a run in this process: the arguments checked as AnsibleModule checks them, the exit raised instead of printed."""

    def __init__(self, validation, check_mode):
        self.no_log_values = set(validation._no_log_values)  # pylint: disable=protected-access
        self.params = validation.validated_parameters
        self.check_mode = check_mode
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)

    def exit_json(self, **result):
        raise _Exit(result)

    def fail_json(self, msg, **result):
        raise _Exit(dict(result, failed=True, msg=msg))

    def finish(self, result):
        """The result as AnsibleModule's exit returns it: every no_log value masked, the warnings attached."""
        if self.warnings:
            result = dict(result, warnings=list(result.get("warnings") or []) + self.warnings)
        return remove_values(result, self.no_log_values)


def in_process_work(module_name):
    """(argument_spec, work) of a collection module that declares a work safe to run here, else None."""
    short = module_name.rsplit(".", 1)[-1]
    if not HAS_OVH or not module_name.startswith("ovhcloud.public_cloud."):
        return None
    try:
        module = importlib.import_module(MODULES_PACKAGE + short)
    except ImportError:
        return None
    work = getattr(module, "IN_PROCESS_WORK", None)
    return None if work is None else (module.argument_spec, work)


def run_in_process(argument_spec, work, arguments, check_mode):
    """The result of ``work`` run by an OvhModule over ``arguments``, as the module would return it."""
    validation = ArgumentSpecValidator(with_connection_options(argument_spec())).validate(dict(arguments))
    module = WorkerModule(validation, check_mode)
    try:
        if validation.error_messages:
            module.fail_json(msg="; ".join(validation.error_messages))
        OvhModule.wrapping(module).run(work)
    except _Exit as end:
        return module.finish(end.result)
    return module.finish({"failed": True, "msg": "the module's work ended without a result"})
