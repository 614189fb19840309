# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The decisions the module and the role share: a table of listings and what each decides."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import (
    AMBIGUOUS,
    FOUND,
    GONE,
    MISMATCH,
    MISSING,
    ORDER,
    RENAME,
    TERMINATE,
    UNKNOWN_STATUS,
    decide_adopt,
    decide_present,
    decide_termination,
    is_project_id,
)


def p(pid, status="ok", name="team-a"):
    return {"project_id": pid, "description": name, "status": status}


OK, OK2, CREATING, SUSPENDED = p("a"), p("b"), p("c", "creating"), p("d", "suspended")
DELETING, DELETED, FROZEN = p("x", "deleting"), p("y", "deleted"), p("z", "frozen")


def ids(projects):
    return [q["project_id"] for q in projects]


@pytest.mark.parametrize("named, action, project, projects", [
    ([], ORDER, None, []),
    ([OK], FOUND, "a", ["a"]),
    ([CREATING], FOUND, "c", ["c"]),
    ([SUSPENDED], FOUND, "d", ["d"]),
    ([DELETED, DELETING], ORDER, None, []),  # gone projects no longer stand for the name
    ([DELETED, OK], FOUND, "a", ["a"]),
    ([OK, OK2], AMBIGUOUS, None, ["a", "b"]),
    ([OK, SUSPENDED, DELETED], AMBIGUOUS, None, ["a", "d"]),
    ([FROZEN], UNKNOWN_STATUS, "z", ["z"]),
    ([OK, FROZEN], UNKNOWN_STATUS, "z", ["z"]),  # the unknown one may be the project asked for: never "found"
    ([DELETED, FROZEN, OK, OK2], UNKNOWN_STATUS, "z", ["z"]),
])
def test_present_by_name(named, action, project, projects):
    decision = decide_present(named)
    assert decision.action == action
    assert (decision.project or {}).get("project_id") == project
    assert ids(decision.projects) == projects


@pytest.mark.parametrize("project, name, action", [
    (None, "team-a", MISSING),
    (None, None, MISSING),
    (DELETING, "team-a", GONE),
    (DELETED, None, GONE),
    (FROZEN, "team-a", UNKNOWN_STATUS),
    (FROZEN, "other", UNKNOWN_STATUS),
    (OK, "team-a", FOUND),
    (SUSPENDED, None, FOUND),  # no name asked for: adopted as it is
    (CREATING, "team-b", RENAME),
    (OK, "Team-A", RENAME),  # names are compared exactly
])
def test_adopt_by_id(project, name, action):
    decision = decide_adopt(project, name, None if project is None else project["description"])
    assert decision.action == action
    assert decision.project is project


@pytest.mark.parametrize("named, action, project", [
    ([], MISSING, None),
    ([OK], TERMINATE, "a"),
    ([FROZEN], TERMINATE, "z"),  # the module refuses unknown statuses in its lookup, before deciding
    ([DELETED, OK], TERMINATE, "a"),  # a live project wins over the deleted ones of its name
    ([DELETING], GONE, "x"),
    ([DELETED, DELETING], GONE, "y"),
    ([OK, CREATING], AMBIGUOUS, None),
    ([OK, CREATING, DELETED], AMBIGUOUS, None),
])
def test_termination_by_name(named, action, project):
    decision = decide_termination(named=named)
    assert decision.action == action
    assert (decision.project or {}).get("project_id") == project


@pytest.mark.parametrize("by_id, name, action", [
    (None, None, MISSING),
    (None, "team-a", MISSING),
    (OK, None, TERMINATE),
    (OK, "team-a", TERMINATE),
    (OK, "team-b", MISMATCH),  # a safety check before deleting: the project must have that name
    (DELETING, "team-b", MISMATCH),
    (DELETING, "team-a", GONE),
    (DELETED, None, GONE),
    (FROZEN, None, TERMINATE),
])
def test_termination_by_id(by_id, name, action):
    decision = decide_termination(by_id=by_id, name=name, with_id=True,
                                  current_name=None if by_id is None else by_id["description"])
    assert decision.action == action
    assert decision.project is by_id


@pytest.mark.parametrize("value, accepted", [
    ("0123456789ab4cdef0123456789abcde", True),
    ("0123456789AB4CDEF0123456789ABCDE", True),  # not OVHcloud's shape, but letters and digits: accepted
    ("0123456789ab5cdef0123456789abcde", True),
    ("1", True),
    ("a" * 64, True),
    ("a" * 65, False),
    ("", False),
    ("../me", False),
    ("team-a", False),
    ("abc/def", False),
    ("abc\n", False),
    (None, False),
    (12345, False),
])
def test_the_one_project_id_check(value, accepted):
    assert is_project_id(value) is accepted
