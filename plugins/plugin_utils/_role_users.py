# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The OpenStack users of a run of the public_cloud_project role: which projects the public_cloud_user module runs for,
and what each host's result says of their users.

A project asks for a user with public_cloud_project_openstack_user (or openstack_user in its entry of
public_cloud_project_projects); project_specs gives its entry ``openstack_user`` (state present only). The module runs
for it once the project exists: found by the lookup, or ordered, renamed or followed by the module, with a project id.
A project that failed, waits for payment, or is not delivered yet (no id: wait false, check mode) gets no user this run.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_plan import project_plan
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import project_outcomes, verdicts

# What the role reports of a user: the module's ``user`` result without anything else (it never holds a password,
# and only these keys are copied).
USER_KEYS = ("id", "username", "description", "status", "roles", "creation_date")
NO_USER_RESULT = "no result: the user was not passed to the module"


def _asking(projects):
    return [spec for spec in projects or [] if isinstance(spec, Mapping) and spec.get("openstack_user") is not None]


def _waiting(outcome, check_mode):
    """Why a project that asks for a user gets none this run (None: the module runs for it)."""
    if outcome["failed"]:
        return "no user: the project failed"
    if outcome["pending_payment"]:
        return "no user yet: the project's order waits for payment; a run after its delivery makes sure of the user"
    if outcome.get("project_id") is None:
        if check_mode:
            return "would be made sure of once the project exists (check mode)"
        return "no user yet: the project is not delivered (no project id); a later run makes sure of the user"
    return None


def project_users(play, lookups, ordered=None, check_mode=False):
    """The projects the public_cloud_user module runs for: [{key, host, name, project_id, account_host, connection,
    openstack_user}], in the order of the play's projects, for those that ask for a user and exist (with an id, not
    failed nor pending payment). ``play`` is project_play's result, ``lookups`` and ``ordered`` the results of the
    role's public_cloud_project_info and public_cloud_project tasks. Empty, with no other work, when no project asks
    for a user."""
    projects = (play or {}).get("projects") or []
    asking = _asking(projects)
    if not asking:
        return []
    results = project_plan(projects, lookups)["results"] + list(ordered or [])
    outcomes = project_outcomes(results, asking, check_mode=check_mode)
    account_hosts = dict((account.get("account"), account.get("account_host")) for account in play.get("accounts") or [])
    users = []
    for spec in asking:
        outcome = outcomes[spec["key"]]
        if _waiting(outcome, check_mode) is not None:
            continue
        users.append({"key": spec["key"], "host": spec["host"], "name": spec["name"], "project_id": outcome["project_id"],
                      "account_host": account_hosts.get(spec.get("account"), spec["host"]),
                      "connection": spec.get("connection") or {}, "openstack_user": spec["openstack_user"]})
    return users


def _user(value):
    if not isinstance(value, Mapping):
        return None
    return dict((key, value.get(key)) for key in USER_KEYS)


def user_outcome(result, outcome, check_mode=False):
    """What the role reports of the user of a project: {user, clouds_yaml, cloud_name, changed, failed, msg}, from the
    module's result (None: the module did not run for it) and the project's outcome."""
    if result is None:
        reason = _waiting(outcome, check_mode)
        return {"user": None, "clouds_yaml": None, "cloud_name": None, "changed": False,
                "failed": reason is None, "msg": NO_USER_RESULT if reason is None else reason}
    report = {"user": _user(result.get("user")), "clouds_yaml": result.get("clouds_yaml"),
              "cloud_name": result.get("cloud_name"), "changed": bool(result.get("changed", False)),
              "failed": bool(result.get("failed", False))}
    if report["failed"]:
        report["msg"] = str(result.get("msg") or "the module failed")
    elif not report["changed"]:
        report["msg"] = "exists"
    else:
        before = (result.get("diff") or {}).get("before") or {}
        verb = "created" if before.get("user") is None else "updated"
        report["msg"] = "would be %s (check mode)" % verb if check_mode else verb
    return report


def user_outcomes(outcomes, projects, users=None, check_mode=False):
    """Add ``openstack_user`` (user_outcome()) to the outcome of each of ``projects`` that asks for a user, from
    ``users``, the results of the public_cloud_user module (registered in a loop over project_users()). Returns
    ``outcomes``."""
    by_key = {}
    for result in verdicts(users):
        key = (result.get("item") or {}).get("key") if isinstance(result, Mapping) else None
        if key is not None and not result.get("skipped"):
            by_key.setdefault(key, result)
    for spec in _asking(projects):
        outcome = outcomes.get(spec["key"])
        if outcome is not None:
            outcome["openstack_user"] = user_outcome(by_key.get(spec["key"]), outcome, check_mode)
    return outcomes


def user_summary(outcomes, check_mode=False):
    """The summary's lines of the OpenStack users: none when no project asked for one."""
    named = [(outcome["name"], outcome["openstack_user"]) for outcome in outcomes or [] if outcome.get("openstack_user")]
    if not named:
        return []
    failed = [(name, user) for name, user in named if user["failed"]]
    made = [(name, user) for name, user in named if not user["failed"] and user["changed"]]
    created = [(name, user) for name, user in made if user["msg"].startswith(("created", "would be created"))]
    updated = [(name, user) for name, user in made if not user["msg"].startswith(("created", "would be created"))]
    found = [(name, user) for name, user in named if not user["failed"] and not user["changed"] and user["user"]]
    waiting = [(name, user) for name, user in named if not user["failed"] and user["user"] is None]
    labels = ("to create", "to update") if check_mode else ("created", "updated")
    lines = ["OpenStack users: %d (found %d, %s %d, %s %d, not yet %d, failed %d)"
             % (len(named), len(found), labels[0], len(created), labels[1], len(updated), len(waiting), len(failed)),
             "OpenStack users %s: %s" % (labels[0], ", ".join(name for name, user in created) or "-")]
    if waiting:
        lines.append("OpenStack users not yet: %s" % "; ".join("%s: %s" % (name, user["msg"]) for name, user in waiting))
    # names only: each failed user fails its hosts at the end of the role, with its message (printed once)
    lines.append("OpenStack users failed: %s" % (", ".join(name for name, user in failed) or "-"))
    return lines
