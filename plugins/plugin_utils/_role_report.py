# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a run of the public_cloud_project role reports, in one pass: each host's result and failure, and the summary."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_plan import project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import (
    project_host_facts,
    project_outcomes,
    project_summary,
)
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_users import user_outcomes, user_summary

# the variables each host gets from the role
RESULT_VARIABLES = ("public_cloud_project", "public_cloud_project_results")


def project_report(play, lookups, ordered=None, check_mode=False, users=None):
    """{hosts, summary, failures} of a run: ``play`` is project_play's result, ``lookups`` the results of
    public_cloud_project_info over its accounts, ``ordered`` those of public_cloud_project over the projects project_plan
    left to order, ``users`` those of public_cloud_user over project_users' projects. ``hosts`` is project_host_facts'
    (the outcome of a project that asks for an OpenStack user has ``openstack_user``), ``summary`` project_summary's
    lines (then user_summary's, then the hosts left out), ``failures`` {host: message} of the hosts whose projects, or
    their users, failed, and of the hosts of the play's ``problems`` (left out before any API call), ``changes`` {host:
    message} of the hosts whose projects, or their users, changed (project_changes), ``results`` {host: {variable:
    value}}: what each host gets, public_cloud_project (one project) or public_cloud_project_results (a list)."""
    projects = play.get("projects") or []
    results = project_plan(projects, lookups)["results"] + list(ordered or [])
    outcomes = user_outcomes(project_outcomes(results, projects, check_mode=check_mode), projects, users, check_mode=check_mode)
    hosts = project_host_facts(play.get("hosts") or [], outcomes)
    in_order = [outcomes[spec["key"]] for spec in projects]
    failures = dict((host["host"], host["failure"]) for host in hosts if host["failure"])
    problems = {}
    for problem in play.get("problems") or []:  # hosts left out before any API call (their variables, a conflict)
        problems.setdefault(problem["host"], []).append(problem["msg"])
    for host, messages in problems.items():
        failures[host] = "; ".join(messages + ([failures[host]] if failures.get(host) else []))
    summary = project_summary(in_order, check_mode=check_mode) + user_summary(in_order, check_mode=check_mode)
    if problems:
        summary.append("hosts left out (their variables, or a conflict; each fails with its message): %s"
                       % ", ".join(problems))
    return {"hosts": hosts, "summary": summary, "failures": failures,
            "changes": dict((host["host"], host["change"]) for host in hosts if host["change"]),
            "results": dict((host["host"], dict((variable, host[variable]) for variable in RESULT_VARIABLES if variable in host))
                            for host in hosts)}
