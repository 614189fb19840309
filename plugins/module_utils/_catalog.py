# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Reads a plan's price from the public catalogue, for check mode (no cart: creating one is a write)."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError

# order.catalog.public.Pricing.price is in micro-cents (1/100000000 of the currency unit).
MICRO_CENTS = 100000000


def catalog_price(api, subsidiary, plan_code, duration, pricing_mode):
    """{"with_tax", "without_tax", "currency"} from GET /order/catalog/public/cloud; values None when not shown."""
    unknown = {"with_tax": None, "without_tax": None, "currency": None}
    try:
        catalog = api.get("/order/catalog/public/cloud", need_auth=False, ovhSubsidiary=subsidiary)
    except OvhApiError:
        return unknown  # the catalogue is BETA; check mode still reports what would happen
    currency = ((catalog or {}).get("locale") or {}).get("currencyCode")
    for plan in (catalog or {}).get("plans") or []:
        if plan.get("planCode") != plan_code:
            continue
        for pricing in plan.get("pricings") or []:
            if pricing.get("mode") != pricing_mode or "installation" in (pricing.get("capacities") or []):
                continue
            if pricing.get("duration") not in (None, duration):
                continue
            price = pricing.get("price") or 0
            tax = pricing.get("tax") or 0
            return {"with_tax": (price + tax) / MICRO_CENTS, "without_tax": price / MICRO_CENTS, "currency": currency}
    return dict(unknown, currency=currency)
