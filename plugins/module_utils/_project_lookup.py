# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Finds Public Cloud projects of the account by name (their description)."""

from __future__ import annotations

import re

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._listing import ExpandedListing

# terraform-provider-ovh resource_cloud_project.go L16: a project id is 32 hex chars, the 13th a '4'.
PROJECT_ID_PATTERN = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{19}$")
# A project being deleted or deleted no longer stands for the name.
GONE_STATUSES = ("deleted", "deleting")
# cloud.project.ProjectStatusEnum (the same in the EU, CA and US schemas).
KNOWN_STATUSES = ("creating", "deleted", "deleting", "ok", "suspended")
UPGRADE_ADVICE = "update the collection (ansible-galaxy collection install --upgrade ovhcloud.public_cloud)"


def unknown_status_text(project):
    """How a project with a status this collection does not know is described."""
    return "project %s has status %r, which this version of the collection does not know (it knows %s)" % (
        project.get("project_id"), project.get("status"), ", ".join(KNOWN_STATUSES))


class ProjectLookup:
    """Reads projects: all of them with ``GET /cloud/project`` (its expanded listing, see ExpandedListing), one with
    ``GET /cloud/project/{id}``."""

    def __init__(self, api):
        self.api = api

    def get(self, project_id):
        """The project, or None while the API answers 404 (it does so for a while after delivery)."""
        try:
            return self.api.get("/cloud/project/%s" % project_id)
        except OvhApiError as exc:
            if is_absent(exc):
                return None
            raise

    def all(self):
        """Every project the account lists, as ``GET /cloud/project/{id}`` gives it; a failed call is a WorkflowError
        of step ``look up project``.

        The API has no filter by description: the expanded listing gives every project in one call per page of a
        thousand; an API that answers ids gets each project read, a few at a time.
        """
        try:
            return ExpandedListing(self.api, self.get, key="project_id").objects("/cloud/project")
        except OvhApiError as exc:
            raise WorkflowError("look up project", "look up project failed: %s" % exc, api_error=exc) from None

    def named(self, name, nothing_done="nothing was ordered"):
        """Every project whose description is exactly ``name``, deleted or being deleted ones included.

        A project of that name whose status this collection does not know is a WorkflowError of step
        ``look up project``: it may stand for the name, so nothing is done (``nothing_done`` says what).
        """
        named = [p for p in self.all() if p.get("description") == name]
        unknown = [p for p in named if p.get("status") not in KNOWN_STATUSES]
        if unknown:
            raise WorkflowError(
                "look up project",
                "%s. It is named %r, so it may be the project you ask for: %s. Look at it in the Control Panel; if "
                "OVHcloud added this status, %s" % (unknown_status_text(unknown[0]), name, nothing_done, UPGRADE_ADVICE),
                project_ids=sorted(p.get("project_id") for p in unknown),
            )
        return named

    def find_by_name(self, name):
        """Every live project whose description is exactly ``name`` (see ``named``)."""
        return [p for p in self.named(name) if p.get("status") not in GONE_STATUSES]
