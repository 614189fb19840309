# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Reads what an order is for and what it delivered, from ``/me/order/{orderId}/...``."""

from __future__ import annotations

import re

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_absent

# Which detail of an order names the project it delivered (terraform-provider-ovh resource_cloud_project.go: 32 hex
# characters, the 13th a '4'): some details carry a placeholder such as *001. This recognises an id OVHcloud issued in
# an answer; it is no input check (that is _project_decision.is_project_id, looser on purpose).
DELIVERED_PROJECT_ID = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{19}$")


class OrderReader:
    """Status, prices, the project name an order carries, and the project id it delivered."""

    def __init__(self, api):
        self.api = api

    def status(self, order_id):
        return self.api.get("/me/order/%s/status" % order_id)

    def order(self, order_id):
        return self.api.get("/me/order/%s" % order_id)

    def detail_ids(self, order_id):
        return self.api.get("/me/order/%s/details" % order_id)

    def project_request(self, order_id, plan_codes):
        """(plan_code, description) of the order's project line, or None when the order is not for a project.

        Read from each detail's extension (``order.plan.code`` and the ``description`` configuration),
        as terraform-provider-ovh's serviceNameFromOrder does.
        """
        for detail_id in self.detail_ids(order_id):
            try:
                extension = self.api.get("/me/order/%s/details/%s/extension" % (order_id, detail_id))
            except OvhApiError as exc:
                if is_absent(exc):
                    continue
                raise
            item = (extension or {}).get("order") or {}
            plan_code = (item.get("plan") or {}).get("code")
            if plan_code not in plan_codes:
                continue
            for configuration in item.get("configurations") or []:
                if configuration.get("label") == "description":
                    return plan_code, configuration.get("value")
            return plan_code, None
        return None

    def delivered_project_id(self, order_id):
        """The project id the order delivered, or None if it is not known yet.

        Every detail line is scanned, never just the first: some carry a placeholder ``domain``
        such as ``*001`` (terraform-provider-ovh PR #478). On OVHcloud US, ``domain`` never holds
        the id; it is in ``/details/{id}/operations/{op}`` ``resource.name`` (terraform
        resource_cloud_project.go L112-136), which we read when no domain matches.
        """
        detail_ids = self.detail_ids(order_id)
        for detail_id in detail_ids:
            detail = self.api.get("/me/order/%s/details/%s" % (order_id, detail_id))
            domain = (detail or {}).get("domain") or ""
            if DELIVERED_PROJECT_ID.match(domain):
                return domain
        for detail_id in detail_ids:
            project_id = self._project_id_from_operations(order_id, detail_id)
            if project_id:
                return project_id
        return None

    def _project_id_from_operations(self, order_id, detail_id):
        base = "/me/order/%s/details/%s/operations" % (order_id, detail_id)
        try:
            operation_ids = self.api.get(base)
        except OvhApiError as exc:
            if is_absent(exc):  # not the US API, or no operation for this line
                return None
            raise
        for operation_id in operation_ids or []:
            operation = self.api.get("%s/%s" % (base, operation_id))
            name = ((operation or {}).get("resource") or {}).get("name") or ""
            if DELIVERED_PROJECT_ID.match(name):
                return name
        return None
