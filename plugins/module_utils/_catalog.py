# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The public catalogue (``GET /order/catalog/public/cloud``, no authentication, BETA), read once per run: a plan's
price for check mode (no cart: creating one is a write), and the early check of the wanted plan options, before any
cart is created."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._cart_options import unknown_options_error
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

# order.catalog.public.Pricing.price is in micro-cents (1/100000000 of the currency unit).
MICRO_CENTS = 100000000


class PublicCatalog:
    """The catalogue of one subsidiary, read at the first question. Being BETA, an error reading it, or an answer
    without what is asked, means "unknown": the caller falls back (the price is reported unknown, the options are
    checked on the cart)."""

    def __init__(self, api, subsidiary):
        self.api = api
        self.subsidiary = subsidiary
        self._catalog = None

    def _read(self):
        if self._catalog is None:
            try:
                answer = self.api.get("/order/catalog/public/cloud", need_auth=False, ovhSubsidiary=self.subsidiary)
            except OvhApiError:
                answer = None
            self._catalog = answer if isinstance(answer, dict) else {}
        return self._catalog

    def _plan(self, plan_code):
        for plan in self._read().get("plans") or []:
            if isinstance(plan, dict) and plan.get("planCode") == plan_code:
                return plan
        return None

    def price(self, plan_code, duration, pricing_mode):
        """{"with_tax", "without_tax", "currency"} of the plan's pricing; values None when not shown."""
        currency = (self._read().get("locale") or {}).get("currencyCode")
        for pricing in (self._plan(plan_code) or {}).get("pricings") or []:
            if pricing.get("mode") != pricing_mode or "installation" in (pricing.get("capacities") or []):
                continue
            if pricing.get("duration") not in (None, duration):
                continue
            price = pricing.get("price") or 0
            tax = pricing.get("tax") or 0
            return {"with_tax": (price + tax) / MICRO_CENTS, "without_tax": price / MICRO_CENTS, "currency": currency}
        return {"with_tax": None, "without_tax": None, "currency": currency}

    def offered_options(self, plan_code):
        """The option plan codes of the plan's ``addonFamilies`` (order.catalog.public.AddonFamily.addons), or None when
        the catalogue does not tell: unreadable, the plan not listed, or no addon family (an empty list is taken as no
        information: the catalogue is BETA, and the cart's own listing is the authority)."""
        families = (self._plan(plan_code) or {}).get("addonFamilies")
        if not isinstance(families, list):
            return None
        offered = set()
        for family in families:
            addons = family.get("addons") if isinstance(family, dict) else None
            offered.update(code for code in addons or [] if isinstance(code, str))
        return sorted(offered) or None

    def check_options(self, plan_code, plan_options):
        """Each wanted option in the plan's addon families, else a WorkflowError naming the unknown and the offered
        ones (nothing is written yet). Returns False when the catalogue does not tell (the cart checks them then),
        True when it checked them; makes no call without wanted options."""
        if not plan_options:
            return True
        offered = self.offered_options(plan_code)
        if offered is None:
            return False
        unknown = [option for option in plan_options if option not in offered]
        if unknown:
            raise unknown_options_error(Step.CHECK_PLAN_OPTIONS, unknown, plan_code, offered,
                                        "the public catalogue of subsidiary %s" % self.subsidiary)
        return True
