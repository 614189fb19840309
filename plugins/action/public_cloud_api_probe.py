# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs the module public_cloud_api_probe; its secret options reach a local module by environment (plugin_utils/_secret_handoff.py),
the second application's too (the variables the module falls back to)."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._secret_handoff import SecretHandoffAction, process_environment

# option -> the environment variable the module's argument spec falls back to
OTHER_SECRET_OPTION_VARIABLES = {"other_application_secret": "OVH_OTHER_APPLICATION_SECRET", "other_consumer_key": "OVH_OTHER_CONSUMER_KEY"}


class ActionModule(SecretHandoffAction):
    """The module's action plugin."""

    def _execute_module(self, module_name=None, module_args=None, **kwargs):  # pylint: disable=arguments-differ
        module_args = dict(self._task.args if module_args is None else module_args)
        environ = {}
        if self._hands_off_by_environment():
            for option, variable in OTHER_SECRET_OPTION_VARIABLES.items():
                value = module_args.get(option)
                if isinstance(value, str) and value and "\0" not in value:
                    environ[variable] = str(value)
                    del module_args[option]
        with process_environment(environ):
            return super()._execute_module(module_name=module_name, module_args=module_args, **kwargs)
