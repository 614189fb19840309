# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a run of the public_cloud_project role reports, in one pass: each host's result and failure, and the summary.
Documented in project_report.yml next to this file."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.filter.project_plan import project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.filter.public_cloud_project import (
    project_host_facts,
    project_outcomes,
    project_summary,
)


def project_report(play, lookups, ordered=None, check_mode=False):
    """{hosts, summary, failures} of a run: ``play`` is project_play's result, ``lookups`` the results of
    public_cloud_project_info over its accounts, ``ordered`` those of public_cloud_project over the projects project_plan
    left to order. ``hosts`` is project_host_facts', ``summary`` project_summary's lines, ``failures`` {host: message}
    of the hosts whose projects failed."""
    projects = play.get("projects") or []
    results = project_plan(projects, lookups)["results"] + list(ordered or [])
    outcomes = project_outcomes(results, projects, check_mode=check_mode)
    hosts = project_host_facts(play.get("hosts") or [], outcomes)
    return {"hosts": hosts,
            "summary": project_summary([outcomes[spec["key"]] for spec in projects], check_mode=check_mode),
            "failures": dict((host["host"], host["failure"]) for host in hosts if host["failure"])}


class FilterModule:
    """The report filter of the public_cloud_project role."""

    def filters(self):
        return {"project_report": project_report}
