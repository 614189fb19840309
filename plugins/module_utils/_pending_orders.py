# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Finds an order already placed for a project name, so that it is followed instead of placed again."""

from __future__ import annotations

import datetime

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_reader import OrderReader
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import GONE_STATUSES
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import RECENT_ORDERS_HOURS, utc_now

# cloud.order.StatusEnum values that mean the order may still deliver a project.
CLOUD_ORDER_IN_FLIGHT = ("unpaid", "delivering", "delivered", "unknown")
# billing.order.OrderStatusEnum values of orders that will never deliver.
ORDER_DEAD = ("cancelled", "cancelling")


class PendingOrder:
    """An order for a project name that has not given a visible project yet."""

    def __init__(self, order_id, status, source, date=None, name=None, project_id=None):
        self.order_id = order_id
        self.status = status
        self.source = source
        self.date = date
        self.name = name
        # the project a delivered order of /cloud/order made (its serviceName), else None
        self.project_id = project_id

    def __repr__(self):
        return "PendingOrder(%s, %s, %s)" % (self.order_id, self.status, self.source)


class PendingOrderFinder:
    """Looks for orders in flight for ``name``.

    First ``GET /cloud/order`` (the account's Public Cloud orders not yet delivered), each matched
    to the name through its details' extension. Then, only if that found nothing, the account's
    orders of the last 24 hours in ``GET /me/order``: a delivered order whose project still answers
    404 (the window after delivery, terraform-provider-ovh #1288/#1377) is in flight too.
    """

    def __init__(self, api, projects, plan_codes, now=None):
        self.api = api
        self.reader = OrderReader(api)
        self.projects = projects
        self.plan_codes = tuple(plan_codes)
        self.now = now
        # order id -> date (None: not read yet) of the orders for the name seen delivered whose project no longer
        # carries the name
        self.delivered_elsewhere = {}

    def find(self, name, thorough=True):
        """Orders in flight for name, oldest first; ``thorough=False`` asks /cloud/order only."""
        found = self._from_cloud_orders(name)
        if not found and thorough:
            found = self._from_recent_orders(name)
        return sorted(found, key=lambda o: o.order_id)

    def in_flight(self, listed=()):
        """Every project order of ``GET /cloud/order`` that may still deliver a project, with the name it is for (read
        from its details: a few calls per order in flight, none per project), in the API's order.

        ``listed``: ids of the projects the caller has listed. An order that delivered one of them is not in flight any
        more: it is left out without reading its details (the API lists delivered orders for a while, and a rerun just
        after ordering many projects would read each one's details again)."""
        found = []
        for order in self.api.get_fresh("/cloud/order") or []:
            if order.get("planCode") not in self.plan_codes or order.get("status") not in CLOUD_ORDER_IN_FLIGHT:
                continue
            if order.get("serviceName") and order.get("serviceName") in listed:
                continue
            request = self.reader.project_request(order["orderId"], self.plan_codes)
            if request is not None:
                found.append(PendingOrder(order["orderId"], order.get("status"), "/cloud/order", order.get("date"),
                                          name=request[1], project_id=order.get("serviceName")))
        return found

    def all_for(self, name):
        """Every order of both listings for ``name`` that may still deliver (or did deliver) its project, each once,
        oldest first: what the payment rule (OrderElection) chooses from."""
        found = {}
        for order in self._from_cloud_orders(name) + self._from_recent_orders(name):
            found.setdefault(order.order_id, order)
        return sorted(found.values(), key=lambda o: o.order_id)

    def _is_for(self, order_id, name):
        request = self.reader.project_request(order_id, self.plan_codes)
        return request is not None and request[1] == name

    def _still_named(self, project_id, name):
        """Whether the project an order delivered still stands for ``name``: True while it is not visible (404 after
        delivery) or carries the name, False once it was renamed or is being deleted. The project itself is read, never
        a listing: a cached or lagging listing that misses it proves nothing."""
        project = self.projects.get(project_id)
        if project is None:
            return True
        return project.get("description") == name and project.get("status") not in GONE_STATUSES

    def _from_cloud_orders(self, name):
        found = []
        for order in self.in_flight():
            if order.name != name:
                continue
            if order.project_id and not self._still_named(order.project_id, name):
                self.delivered_elsewhere[order.order_id] = order.date
                continue  # delivered a project that was renamed or deleted since: not the name's any more
            found.append(order)
        return found

    def _server_now(self):
        return (self.now or utc_now)()

    def _from_recent_orders(self, name):
        since = self._server_now() - datetime.timedelta(hours=RECENT_ORDERS_HOURS)
        found = []
        order_ids = self.api.get_fresh("/me/order", **{"date.from": since.strftime("%Y-%m-%dT%H:%M:%SZ")}) or []
        for order_id in dict.fromkeys(order_ids):  # each id once, in the API's order
            status = self.reader.status(order_id)
            if status in ORDER_DEAD or not self._is_for(order_id, name):
                continue
            if status == "delivered":
                project_id = self.reader.delivered_project_id(order_id)
                if project_id and not self._still_named(project_id, name):
                    self.delivered_elsewhere[order_id] = None  # its date is read only if a checked-out cart asks
                    continue  # its project was renamed or deleted since: not ours to follow
            found.append(PendingOrder(order_id, status, "/me/order", name=name))
        return found
