# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""state=present with project_id: adopt an existing project by its id, and rename it when a name is given."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import (
    FOUND,
    GONE,
    MISSING,
    UNKNOWN_STATUS,
    decide_adopt,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import (
    UPGRADE_ADVICE,
    ProjectLookup,
    unknown_status_text,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import ensure_result, project_result
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step


class ProjectRenamer:
    """Reads one project by id (never orders), and gives it ``name`` as its description with
    ``PUT /cloud/project/{id}`` when it differs."""

    def __init__(self, api, report, check_mode=False):
        self.api = api
        self.report = report
        self.check_mode = check_mode
        self.projects = ProjectLookup(api)
        self.project = None  # the cloud.ProjectWithIAM read, for its settings (ProjectSettings)

    def adopt(self, project_id, name=None):
        project = self.projects.get(project_id)
        decision = decide_adopt(project, name, None if project is None else project.get("description"))
        if decision.action == MISSING:
            raise WorkflowError(
                Step.LOOK_UP_PROJECT,
                "no project %s in this account (GET /cloud/project/%s answered 404): check project_id and the "
                "credentials' account. Nothing was ordered: give name without project_id to order a project"
                % (project_id, project_id),
            )
        if decision.action == GONE:
            raise WorkflowError(
                Step.LOOK_UP_PROJECT,
                "project %s is %s (terminated): it cannot be managed any more. Nothing was ordered: give name without "
                "project_id to order a new project" % (project_id, project.get("status")),
                project_ids=[project_id],
            )
        if decision.action == UNKNOWN_STATUS:
            raise WorkflowError(Step.LOOK_UP_PROJECT, "%s: nothing was changed; %s" % (unknown_status_text(project), UPGRADE_ADVICE),
                                project_ids=[project_id])
        before = project_result(project)
        self.project = project
        if decision.action == FOUND:
            return ensure_result(before, None, before=before, after=before)
        self._check_name_is_free(project_id, name)
        if not self.check_mode:
            try:
                self.api.put("/cloud/project/%s" % project_id, description=name)
            except OvhApiError as exc:
                raise WorkflowError(Step.RENAME_PROJECT, "renaming project %s to %r failed: %s" % (project_id, name, exc),
                                    api_error=exc) from None
        self.report.changed = True
        after = dict(before, name=name)
        return ensure_result(after, None, before=before, after=after)

    def _check_name_is_free(self, project_id, name):
        """A name held by another live project would stand for two projects: runs by name could not tell them apart."""
        others = sorted(p["project_id"] for p in self.projects.find_by_name(name) if p.get("project_id") != project_id)
        if others:
            raise WorkflowError(
                Step.RENAME_PROJECT,
                "project %s is already named %r: renaming %s too would give two projects that name, and runs by name "
                "could not tell them apart. Nothing was renamed: choose another name, or rename %s first"
                % (", ".join(others), name, project_id, others[0]),
                project_ids=others,
            )
