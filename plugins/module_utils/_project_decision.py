# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""What a run does with the projects it found: the decisions of public_cloud_project, as pure functions.

The module's classes (ProjectEnsurer, ProjectRenamer, ProjectTerminator) call them on what the API answered, and the
role's plan (plugins/plugin_utils/_role_plan.py) on its one listing per account: both decide the same way because
they run the same code. Each function takes projects as dicts and answers a Decision; the callers make the API calls
and word the failures. No API call, no input check here, except the one check of a project id (``is_project_id``).
"""

from __future__ import annotations

import re
from collections import namedtuple

# A project id goes into the API path: letters and digits only. OVHcloud's are 32 hexadecimal characters, but the
# check is looser on purpose, so that an id of another shape (another API flavour, a new format) is not refused.
# Matched whole (fullmatch): "$" alone would let a trailing newline into the path.
PROJECT_ID = re.compile(r"[A-Za-z0-9]{1,64}")
PROJECT_ID_ADVICE = "give the id of the project (32 letters and digits, the project_id of public_cloud_project_info, " \
    "shown in the Control Panel)"
# A project being deleted or deleted no longer stands for the name.
GONE_STATUSES = ("deleted", "deleting")
# cloud.project.ProjectStatusEnum (the same in the EU, CA and US schemas).
KNOWN_STATUSES = ("creating", "deleted", "deleting", "ok", "suspended")

# The actions a Decision names.
FOUND = "found"  # the project asked for exists as asked: reported, nothing written
ORDER = "order"  # no project of the name: look for an order in flight, else order
AMBIGUOUS = "ambiguous"  # several live projects of the name: fail listing them (``projects``)
UNKNOWN_STATUS = "unknown status"  # a project in a status this collection does not know: fail, nothing done
MISSING = "missing"  # no project of that id: adopting fails (never orders); terminating has nothing to do
GONE = "gone"  # the project is being deleted or deleted: adopting fails; terminating has nothing left to do
RENAME = "rename"  # the project of the id carries another name: PUT its description
MISMATCH = "mismatch"  # terminating by id and name, and the project carries another name: fail, nothing terminated
TERMINATE = "terminate"  # a live project to terminate


class Decision(namedtuple("Decision", ("action", "project", "projects"))):
    """``action`` (one of the names above), the ``project`` it is about (or None), and ``projects``: the projects
    that made the decision (those of the name, the live ones when ambiguous, the unknown ones when a status is
    unknown)."""

    __slots__ = ()


def is_project_id(value):
    """Whether ``value`` can be a project id (the one check of the collection: module options and the role)."""
    return isinstance(value, str) and PROJECT_ID.fullmatch(value) is not None


def is_gone(project):
    return project.get("status") in GONE_STATUSES


def is_known(project):
    return project.get("status") in KNOWN_STATUSES


def live(projects):
    """The projects not being deleted nor deleted."""
    return [p for p in projects if not is_gone(p)]


def unknown(projects):
    """The projects whose status this collection does not know."""
    return [p for p in projects if not is_known(p)]


def decide_present(named):
    """state present by name; ``named`` are the projects that carry the name, whatever their status.

    UNKNOWN_STATUS when one of them has a status the collection does not know (it may be the project asked for),
    AMBIGUOUS with two live ones or more, FOUND with exactly one, else ORDER.
    """
    strange = unknown(named)
    if strange:
        return Decision(UNKNOWN_STATUS, strange[0], strange)
    alive = live(named)
    if len(alive) > 1:
        return Decision(AMBIGUOUS, None, alive)
    if alive:
        return Decision(FOUND, alive[0], alive)
    return Decision(ORDER, None, [])


def decide_adopt(project, name, current_name):
    """state present with a project_id; ``project`` is the project of that id (None when there is none),
    ``current_name`` its name, ``name`` the one asked for (None: any).

    MISSING, GONE, UNKNOWN_STATUS (failures: a run with an id never orders), FOUND when it already has the name (or
    none is asked for), else RENAME.
    """
    if project is None:
        return Decision(MISSING, None, [])
    if is_gone(project):
        return Decision(GONE, project, [project])
    if not is_known(project):
        return Decision(UNKNOWN_STATUS, project, [project])
    if name is None or name == current_name:
        return Decision(FOUND, project, [project])
    return Decision(RENAME, project, [project])


def decide_termination(by_id=None, named=None, name=None, current_name=None, with_id=False):
    """state absent. With a project_id (``with_id``): ``by_id`` is its project (None when there is none) and
    ``current_name`` that project's name, checked against ``name`` when given. Without: ``named`` are the projects
    of the name (the caller has refused unknown statuses, or leaves that to the module).

    MISSING (nothing to terminate), MISMATCH or AMBIGUOUS (failures, nothing terminated), GONE (already being deleted
    or deleted: nothing to do), else TERMINATE with the project.
    """
    if with_id:
        if by_id is None:
            return Decision(MISSING, None, [])
        if name is not None and current_name != name:
            return Decision(MISMATCH, by_id, [by_id])
        candidates = [by_id]
    else:
        candidates = list(named or [])
        alive = live(candidates)
        if len(alive) > 1:
            return Decision(AMBIGUOUS, None, alive)
    alive = live(candidates)
    if alive:
        return Decision(TERMINATE, alive[0], alive)
    if candidates:
        return Decision(GONE, candidates[0], candidates)
    return Decision(MISSING, None, [])
