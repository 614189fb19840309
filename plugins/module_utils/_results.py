# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The shapes the modules return: a project, an order and its prices, an order in flight, the module result with its diff.

Every price source (a checkout's order.Order, a billing.Order, the public catalogue) is first read into one flat
price ``{"with_tax", "without_tax", "currency"}``; ``order_result`` nests it as the module returns it.
"""

from __future__ import annotations


def project_result(project, order_id=None):
    """The ``project`` result, from a cloud.ProjectWithIAM."""
    return {
        "project_id": project.get("project_id"),
        "name": project.get("description"),
        "status": project.get("status"),
        "creation_date": project.get("creationDate"),
        "plan_code": project.get("planCode"),
        "order_id": project.get("orderId") if project.get("orderId") is not None else order_id,
    }


def pending_order_summary(order):
    """An entry of ``pending_orders`` (public_cloud_project_info), from a PendingOrder."""
    return {"order_id": order.order_id, "name": order.name, "status": order.status, "date": order.date}


def planned_project(name, plan_code):
    """The ``project`` a run would create (check mode, or an order not delivered yet)."""
    return {"project_id": None, "name": name, "status": None, "creation_date": None, "plan_code": plan_code,
            "order_id": None}


def _price(with_tax, without_tax):
    with_tax = with_tax or {}
    without_tax = without_tax or {}
    return {
        "with_tax": with_tax.get("value"),
        "without_tax": without_tax.get("value"),
        "currency": with_tax.get("currencyCode") or without_tax.get("currencyCode"),
    }


def checkout_price(order):
    """The price of an order.Order (the checkout summary, or the checkout's answer)."""
    prices = (order or {}).get("prices") or {}
    return _price(prices.get("withTax"), prices.get("withoutTax"))


def billing_price(billing):
    """The price of a billing.Order (``GET /me/order/{id}``)."""
    billing = billing or {}
    return _price(billing.get("priceWithTax"), billing.get("priceWithoutTax"))


def order_result(order_id, url, price, status=None):
    """The ``order`` result: id, url, status, and the flat ``price`` split into ``prices`` and ``currency``."""
    price = dict(price)
    currency = price.pop("currency")
    return {"order_id": order_id, "url": url, "status": status, "prices": price, "currency": currency}


def ensure_result(project, order, pending_payment=False, before=None, after=None, unpaid_orders=None):
    """The result of a ``state=present`` run (``changed`` and warnings are added by the module run).

    ``unpaid_orders``: the orders for the name the payment rule did not choose, left unpaid (``order_id``, ``url``)."""
    return {
        "project": project,
        "order": order,
        "pending_payment": pending_payment,
        "unpaid_orders": list(unpaid_orders or []),
        "diff": {"before": before or {}, "after": after or {}},
    }


def termination_result(project, requested, confirmed, before=None, after=None):
    """The result of a ``state=absent`` run: the project after the run, and where its termination stands."""
    result = ensure_result(project, None, before=before, after=after)
    result["termination"] = {"requested": requested, "confirmed": confirmed}
    return result
