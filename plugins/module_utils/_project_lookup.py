# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Finds Public Cloud projects of the account by name (their description)."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._listing import ExpandedListing
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import KNOWN_STATUSES, live, unknown
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

UPGRADE_ADVICE = "update the collection (ansible-galaxy collection install --upgrade ovhcloud.public_cloud)"


def unknown_status_text(project):
    """How a project with a status this collection does not know is described."""
    return "project %s has status %r, which this version of the collection does not know (it knows %s)" % (
        project.get("project_id"), project.get("status"), ", ".join(KNOWN_STATUSES))


def unknown_status_error(strange, name, nothing_done):
    """The failure of a lookup that found projects of ``name`` in a status this collection does not know."""
    return WorkflowError(
        Step.LOOK_UP_PROJECT,
        "%s. It is named %r, so it may be the project you ask for: %s. Look at it in the Control Panel; if "
        "OVHcloud added this status, %s" % (unknown_status_text(strange[0]), name, nothing_done, UPGRADE_ADVICE),
        project_ids=sorted(p.get("project_id") for p in strange),
    )


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
            raise WorkflowError(Step.LOOK_UP_PROJECT, "look up project failed: %s" % exc, api_error=exc) from None

    def with_name(self, name):
        """Every project whose description is exactly ``name``, whatever its status (unknown ones included)."""
        return [p for p in self.all() if p.get("description") == name]

    def named(self, name, nothing_done="nothing was ordered"):
        """Every project whose description is exactly ``name``, deleted or being deleted ones included.

        A project of that name whose status this collection does not know is a WorkflowError of step
        ``look up project``: it may stand for the name, so nothing is done (``nothing_done`` says what).
        """
        named = self.with_name(name)
        strange = unknown(named)
        if strange:
            raise unknown_status_error(strange, name, nothing_done)
        return named

    def find_by_name(self, name):
        """Every live project whose description is exactly ``name`` (see ``named``)."""
        return live(self.named(name))
