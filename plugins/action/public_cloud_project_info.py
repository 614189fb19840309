# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs the module public_cloud_project_info; its secret options reach a local module by environment (plugin_utils/_secret_handoff.py)."""

from __future__ import annotations

import importlib

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._in_process import MODULES_PACKAGE
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._secret_handoff import SecretHandoffAction

# Ansible imports this file in the controller's main process, to read the plugin's class, when the play first reaches a
# task of public_cloud_project_info: for the public_cloud_project role, its first task. Each later task runs in a fork of
# that process, which has what the main process imported: importing here the role's filters and the module its lookup
# runs in process spares each of those workers importing them again (about 0.1 s of the role's run at any size).
importlib.import_module("ansible_collections.ovhcloud.public_cloud.plugins.filter.__public_cloud_project_role")
importlib.import_module(MODULES_PACKAGE + "public_cloud_project_info")


class ActionModule(SecretHandoffAction):
    """The module's action plugin."""
