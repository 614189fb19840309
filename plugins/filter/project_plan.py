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


def _found(projects, name):
    """The one live project named ``name``, or None when the module must decide (none, several, unknown status)."""
    named = [p for p in projects if isinstance(p, Mapping) and p.get("name") == name]
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
            by_account.setdefault(lookup["item"].get("account"), lookup)
    results = []
    to_order = []
    for spec in projects or []:
        lookup = by_account.get(spec.get("account"))
        if lookup is None or lookup.get("failed") or lookup.get("skipped"):
            msg = NO_LOOKUP if lookup is None or lookup.get("skipped") else lookup.get("msg") or "the lookup failed"
            results.append({"item": spec, "changed": False, "failed": True, "msg": msg})
            continue
        project = _found(lookup.get("projects") or [], spec["name"])
        if project is not None:
            results.append({"item": spec, "changed": False, "failed": False, "project": project, "order": None,
                            "pending_payment": False})
            continue
        in_flight = [order.get("order_id") for order in lookup.get("pending_orders") or []
                     if isinstance(order, Mapping) and order.get("name") == spec["name"]]
        to_order.append(dict(spec, account_host=lookup["item"].get("account_host"), orders_in_flight=in_flight))
    return {"results": results, "to_order": to_order}


class FilterModule:
    """The lookup filter of the public_cloud_project role."""

    def filters(self):
        return {"project_plan": project_plan}
