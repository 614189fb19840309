# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Finds Public Cloud projects of the account by name (their description)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_absent

# terraform-provider-ovh resource_cloud_project.go L16: a project id is 32 hex chars, the 13th a '4'.
PROJECT_ID_PATTERN = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{19}$")
# A project being deleted or deleted no longer stands for the name.
GONE_STATUSES = ("deleted", "deleting")
# Project reads in flight at once: python-ovh's requests session and its connection pool are shared by the threads.
READ_WORKERS = 8


class ProjectLookup:
    """Reads projects: ``GET /cloud/project`` lists ids, ``GET /cloud/project/{id}`` gives each one."""

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

    def find_by_name(self, name):
        """Every live project whose description is exactly ``name``.

        The API has no filter by description, so each project is read; the reads run a few at a time
        (the time of a rerun then grows with the number of projects divided by READ_WORKERS, not with it).
        """
        project_ids = self.api.get("/cloud/project") or []
        if len(project_ids) <= 1:
            projects = [self.get(project_id) for project_id in project_ids]
        else:
            with ThreadPoolExecutor(max_workers=min(READ_WORKERS, len(project_ids))) as pool:
                projects = list(pool.map(self.get, project_ids))
        return [p for p in projects
                if p is not None and p.get("status") not in GONE_STATUSES and p.get("description") == name]
