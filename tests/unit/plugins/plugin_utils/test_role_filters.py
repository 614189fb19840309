# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's filters: named for the role in a file ansible-doc does not list, the code in plugin_utils."""

from __future__ import annotations

import importlib

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_hosts import project_hosts
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_plan import project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_report import project_report
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_users import project_users


def test_the_role_gets_its_four_filters_from_plugin_utils():
    # a module name starting with two underscores: imported by name, as ansible-core's filter loader does
    plugin = importlib.import_module("ansible_collections.ovhcloud.public_cloud.plugins.filter.__public_cloud_project_role")
    assert plugin.FilterModule().filters() == {"project_hosts": project_hosts, "project_play": project_play,
                                               "project_plan": project_plan,
                                               "project_users": project_users, "project_report": project_report}
