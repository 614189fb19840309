# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's per-project settings at their defaults, as the role passes them to its filters (one copy for every
filter test: a new setting is added here once)."""

from __future__ import annotations

DEFAULTS = {"state": "present", "subsidiary": None, "voucher": None, "auto_pay": True,
            "waive_retractation_period": False, "wait": True, "wait_timeout": 1800, "project_id": None, "max_price": None,
            "allow_termination": False, "termination_token": None, "termination_token_from_email": False}
