# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the public_cloud_project role makes of its one lookup per account: the projects settled by it, and those the
module must see.

The decisions are the module's own functions
(module_utils/_project_decision.py), run on the listing: a project the module would report as it is (FOUND, its
spending alerts and tags as asked: the module's tag_changes and plan_alerts), and a termination with nothing to do
(MISSING, GONE), are settled here; every other decision (order, follow an order in
flight, rename, terminate, or fail saying why) goes to the module, which looks again and decides the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_alerts import plan_alerts
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import (
    FOUND,
    GONE,
    MISSING,
    decide_adopt,
    decide_present,
    decide_termination,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_tags import tag_changes
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import verdicts

NO_LOOKUP = "no lookup of the account's projects: the project was not passed to the module"


def _by_name(items):
    """{name: [items of that name]}, in order: one pass, so that matching N projects to a listing of N stays linear."""
    named = {}
    for item in items or []:
        if isinstance(item, Mapping):
            named.setdefault(item.get("name"), []).append(item)
    return named


def _by_id(items):
    """{project_id: project} of a listing (the first of an id)."""
    listed = {}
    for item in items or []:
        if isinstance(item, Mapping):
            listed.setdefault(item.get("project_id"), item)
    return listed


def _found(named):
    """The one live project of ``named`` (the projects of a name, as the lookup lists them: ``name`` is the project's
    description), or None when the module must decide (none, several, an unknown status)."""
    decision = decide_present(named)
    return decision.project if decision.action == FOUND else None


def _adopted(project, name):
    """The listed project of a project_id if the module would leave it as it is (live, known status, already named
    ``name``), else None: the module renames it, or fails saying why."""
    decision = decide_adopt(project, name, None if project is None else project.get("name"))
    return decision.project if decision.action == FOUND else None


def _settled(project, settings):
    """Whether a listed project already has the spending alerts and tags ``settings`` ask for (the module's own
    comparisons, tag_changes and plan_alerts): if not, the module runs for it, and writes only what differs. The tags
    come with the listing; the alerts only when the lookup read them (public_cloud_project_info's alerting option,
    which the role sets for an account where a project sets alerting). A project that is not ok is left to the module,
    which says so."""
    wanted_tags, wanted_alerts = settings.get("tags"), settings.get("alerting")
    if wanted_tags is None and wanted_alerts is None:
        return True
    if project.get("status") != "ok":
        return False
    if wanted_tags is not None and any(tag_changes(project.get("tags") or {}, wanted_tags,
                                                   settings.get("purge_tags") is not False)):
        return False
    if wanted_alerts is not None:
        if project.get("alerting") is None:
            return False
        dummy, updates, creates, deletes = plan_alerts(project["alerting"], wanted_alerts)
        return not (updates or creates or deletes)
    return True


def _termination(spec, projects_named, listed_by_id):
    """For state absent: (result, None) when there is nothing to terminate, or (None, project) when the module must
    run (to terminate, or to fail saying why)."""
    settings = spec["settings"]
    project_id = settings.get("project_id")
    by_id = listed_by_id.get(project_id) if project_id is not None else None
    decision = decide_termination(by_id=by_id, named=projects_named, name=spec["name"], with_id=project_id is not None,
                                  current_name=None if by_id is None else by_id.get("name"))
    if decision.action not in (MISSING, GONE):
        return None, decision.project
    gone = decision.action == GONE
    return {"item": spec, "changed": False, "failed": False, "project": decision.project, "order": None,
            "pending_payment": False, "termination": {"requested": gone, "confirmed": gone}}, None


def project_plan(projects, lookups):
    """{results, to_order} for the deduplicated ``projects``, from ``lookups`` (the registered loop of
    public_cloud_project_info over the accounts: each result's ``item`` is an account of dedupe_projects).

    ``results`` are shaped as the module's results (``item`` the project's entry): the projects found (``changed`` false,
    no order), those with state absent that have nothing to terminate (with ``termination``), and those of an account
    whose lookup failed (its message). ``to_order`` are the other entries (the module runs for them), with
    ``account_host`` (whose credentials the module gets) and ``orders_in_flight`` (ids of the orders for the name that
    the module will follow instead of ordering; empty with a project_id or state absent).
    """
    by_account = {}
    for lookup in verdicts(lookups):
        if isinstance(lookup, Mapping) and isinstance(lookup.get("item"), Mapping):
            account = lookup["item"].get("account")
            if account not in by_account:
                by_account[account] = (lookup, _by_name(lookup.get("projects")), _by_name(lookup.get("pending_orders")), {})
    results = []
    to_order = []
    for spec in projects or []:
        lookup, projects_named, orders_named, listed_by_id = by_account.get(spec.get("account"), (None, {}, {}, {}))
        if lookup is None or lookup.get("failed") or lookup.get("skipped"):
            msg = NO_LOOKUP if lookup is None or lookup.get("skipped") else lookup.get("msg") or "the lookup failed"
            results.append({"item": spec, "changed": False, "failed": True, "msg": msg})
            continue
        settings = spec.get("settings") or {}
        if (settings.get("project_id") is not None or settings.get("state") == "absent") and not listed_by_id:
            listed_by_id.update(_by_id(lookup.get("projects")))  # once per account, only when an id may be asked for
        in_flight = []
        if settings.get("state") == "absent":
            result, project = _termination(spec, projects_named.get(spec["name"], []), listed_by_id)
        elif settings.get("project_id") is not None:
            project = _adopted(listed_by_id.get(settings["project_id"]), spec["name"])
            result = None
        else:
            project = _found(projects_named.get(spec["name"], []))
            result = None
            in_flight = [order.get("order_id") for order in orders_named.get(spec["name"], [])]
        if settings.get("state") != "absent" and project is not None and not _settled(project, settings):
            project = None  # its alerts or tags differ: the module runs for it
        if settings.get("state") != "absent" and project is not None:
            result = {"item": spec, "changed": False, "failed": False, "project": project, "order": None,
                      "pending_payment": False}
        if result is not None:
            results.append(result)
            continue
        to_order.append(dict(spec, account_host=lookup["item"].get("account_host"), orders_in_flight=in_flight))
    return {"results": results, "to_order": to_order}
