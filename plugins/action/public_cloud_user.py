# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Runs the module public_cloud_user; its secret options reach a local module by environment (plugin_utils/_secret_handoff.py)."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._secret_handoff import SecretHandoffAction


class ActionModule(SecretHandoffAction):
    """The module's action plugin."""
