# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The options of one public_cloud_project run, read once, with the defaults of the API flavour."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import default_plan_code, default_subsidiary


class ProjectRequest:
    """What the user asks for. ``is_us_api`` is a callable, asked only when a default depends on it (a URL endpoint
    costs a ``GET /me`` then, and a project that exists already needs no default)."""

    def __init__(self, params, is_us_api):
        self.name = params["name"]
        self.duration = params["duration"]
        self.pricing_mode = params["pricing_mode"]
        self.voucher = params.get("voucher")
        self.auto_pay = params["auto_pay"]
        self.waive_retractation_period = params["waive_retractation_period"]
        self.wait = params["wait"]
        self.wait_timeout = params["wait_timeout"]
        self.api_timeout = params.get("api_timeout") or 60
        self.max_price = params.get("max_price")
        self.plan_options = tuple(params.get("plan_options") or ())
        self.configurations = dict(params.get("configurations") or {})
        self._plan_code = params.get("plan_code")
        self._subsidiary = params.get("subsidiary")
        self._is_us_api = is_us_api

    @property
    def plan_codes(self):
        """The plan codes an order or an order in flight may carry for this project."""
        return (self._plan_code or default_plan_code(self._is_us_api()),)

    @property
    def plan_code(self):
        return self.plan_codes[0]

    @property
    def subsidiary(self):
        return self._subsidiary or default_subsidiary(self._is_us_api())
