# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Whether a value is a name the public_cloud_project module accepts, with the module's own check: the role checks
the names of its inventory with it before any API call (_role_play.py)."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_name


def project_name(value):
    """True if the public_cloud_project module accepts ``value`` as a project name."""
    if not isinstance(value, str):
        return False
    try:
        check_name(value)
    except InputError:
        return False
    return True
