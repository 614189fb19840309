# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The regions of an OpenStack user's clouds.yaml entry: the ones asked for, checked against the project's, or the
project's first region that runs instances (``ProjectRegions``)."""

from __future__ import annotations

import urllib.parse

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

# the cloud.Component name of the compute service in a region's ``services`` (GET /cloud/project/{id}/region/{name})
COMPUTE_SERVICE = "instance"


class ProjectRegions:
    """``choose(asked)``: the regions asked for when the project has them all, else a WorkflowError naming the
    project's regions; nothing asked, the first region (in the API's order) whose services include ``instance``."""

    def __init__(self, api, project_id):
        self.api = api
        self.base = "/cloud/project/%s/region" % urllib.parse.quote(project_id, safe="")
        self.project_id = project_id

    def names(self):
        try:
            return list(self.api.get(self.base) or [])
        except OvhApiError as exc:
            raise WorkflowError(Step.CHECK_REGION, "cannot list the regions of project %s: %s" % (self.project_id, exc), api_error=exc) from None

    def offers_compute(self, name):
        try:
            region = self.api.get("%s/%s" % (self.base, urllib.parse.quote(name, safe=""))) or {}
        except OvhApiError as exc:
            raise WorkflowError(Step.CHECK_REGION, "cannot read region %s of project %s: %s" % (name, self.project_id, exc), api_error=exc) from None
        return any(isinstance(service, dict) and service.get("name") == COMPUTE_SERVICE for service in region.get("services") or [])

    def choose(self, asked):
        known = self.names()
        if asked:
            unknown = [name for name in asked if name not in known]
            if unknown:
                raise WorkflowError(Step.CHECK_REGION, "project %s has no region %s; its regions are: %s. Nothing was changed: set region "
                                    "(or regions) to regions of the project" % (self.project_id, ", ".join(unknown),
                                                                                ", ".join(known) or "none"))
            return list(asked)
        for name in known:
            if self.offers_compute(name):
                return [name]
        raise WorkflowError(Step.CHECK_REGION, "project %s has no region that runs instances (service %s) among %s, so there is no "
                            "default region for the clouds.yaml entry. Nothing was changed: set region"
                            % (self.project_id, COMPUTE_SERVICE, ", ".join(known) or "no region"))
