# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The filters the public_cloud_project role calls (roles/public_cloud_project/tasks/). Internal to the role, not a
public plugin: they may change in any release, and have no documentation page.

The code is in plugins/plugin_utils/_role_*.py (and unit-tested there); this file only names the filters for the role.
A collection role cannot bring its own filter_plugins/ (ansible-core loads plugins from the directories of legacy roles
only), so the filters live in the collection's plugins/filter/. A file there whose name starts with two underscores is
loaded when one of its filters is called by its full name (ovhcloud.public_cloud.project_play), but ansible-doc's listing
skips it (ansible-doc -l -t filter, as for Python's internal files): the filters stay out of the collection's public
plugins.
"""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_plan import project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_hosts import project_hosts
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_play import project_play
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_report import project_report
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_users import project_users


class FilterModule:
    """The filters of the public_cloud_project role (internal)."""

    def filters(self):
        return {
            "project_hosts": project_hosts,
            "project_play": project_play,
            "project_plan": project_plan,
            "project_users": project_users,
            "project_report": project_report,
        }
