# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the public_cloud_project role makes of its one lookup per account: the projects found, and those to order.

Documented in project_plan.yml next to this file. The decision is the module's own (ProjectEnsurer): exactly one live
project of the name, in a status the collection knows, is the project; anything else (none, several, an unknown
status) goes to the module, which orders, follows the order in flight, or fails saying why.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import GONE_STATUSES, KNOWN_STATUSES

NO_LOOKUP = "no lookup of the account's projects: the project was not passed to the module"


def _by_name(items):
    """{name: [items of that name]}, in order: one pass, so that matching N projects to a listing of N stays linear."""
    named = {}
    for item in items or []:
        if isinstance(item, Mapping):
            named.setdefault(item.get("name"), []).append(item)
    return named


def _found(named):
    """The one live project of ``named`` (the projects of a name), or None when the module must decide (none,
    several, an unknown status)."""
    if any(p.get("status") not in KNOWN_STATUSES for p in named):
        return None
    live = [p for p in named if p.get("status") not in GONE_STATUSES]
    return live[0] if len(live) == 1 else None


def project_plan(projects, lookups):
    """{results, to_order} for the deduplicated ``projects``, from ``lookups`` (the registered loop of
    public_cloud_project_info over the accounts: each result's ``item`` is an account of dedupe_projects).

    ``results`` are shaped as the module's results (``item`` the project's entry): the projects found (``changed`` false,
    no order), and those of an account whose lookup failed (its message). ``to_order`` are the other entries, with
    ``account_host`` (whose credentials the module gets) and ``orders_in_flight`` (ids of the orders for the name that
    the module will follow instead of ordering).
    """
    by_account = {}
    for lookup in lookups or []:
        if isinstance(lookup, Mapping) and isinstance(lookup.get("item"), Mapping):
            account = lookup["item"].get("account")
            if account not in by_account:
                by_account[account] = (lookup, _by_name(lookup.get("projects")), _by_name(lookup.get("pending_orders")))
    results = []
    to_order = []
    for spec in projects or []:
        lookup, projects_named, orders_named = by_account.get(spec.get("account"), (None, {}, {}))
        if lookup is None or lookup.get("failed") or lookup.get("skipped"):
            msg = NO_LOOKUP if lookup is None or lookup.get("skipped") else lookup.get("msg") or "the lookup failed"
            results.append({"item": spec, "changed": False, "failed": True, "msg": msg})
            continue
        project = _found(projects_named.get(spec["name"], []))
        if project is not None:
            results.append({"item": spec, "changed": False, "failed": False, "project": project, "order": None,
                            "pending_payment": False})
            continue
        in_flight = [order.get("order_id") for order in orders_named.get(spec["name"], [])]
        to_order.append(dict(spec, account_host=lookup["item"].get("account_host"), orders_in_flight=in_flight))
    return {"results": results, "to_order": to_order}


class FilterModule:
    """The lookup filter of the public_cloud_project role."""

    def filters(self):
        return {"project_plan": project_plan}
