# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The order-cart flow for one Public Cloud project, up to (and including) checkout."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._cart_options import CartOptions
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, call_as_step, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import LEASE, cart_description, lease_end
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import utc_now

# Configuration labels this module knows how to fill.
FILLED_LABELS = ("description", "voucher")


class CartOrder:
    """Builds a cart holding one project (plan, duration, pricing mode, quantity 1) and checks it out.

    Every call goes through ``api``; ``cart_id`` is kept so that a failure before checkout can
    delete the cart (``discard``), and so that an uncertain checkout can be verified.
    """

    def __init__(self, api, name, subsidiary, plan_codes, duration, pricing_mode, voucher=None, server_now=None,
                 plan_options=(), configurations=None):
        self.api = api
        self.name = name
        self.subsidiary = subsidiary
        self.plan_codes = tuple(plan_codes)
        self.duration = duration
        self.pricing_mode = pricing_mode
        self.voucher = voucher
        self.server_now = server_now or utc_now
        self.cart_id = None
        self.item_id = None
        self.plan_code = None
        self.path = None
        self.extras = (plan_options, configurations)

    def prepare(self):
        """Create, assign and fill the cart; return the checkout summary (an order.Order with orderId null)."""
        self.create()
        return self.fill()

    def create(self):
        """Create the cart (described for the name, living one LEASE) and assign it: from then on every run of the
        account lists it. Returns the cart as created."""
        cart = call_as_step(
            Step.CREATE_CART, self.api.post, "/order/cart",
            ovhSubsidiary=self.subsidiary, description=cart_description(self.name), expire=lease_end(self.server_now()),
        )
        self.cart_id = cart["cartId"]
        self.path = "/order/cart/%s" % self.cart_id
        call_as_step(Step.ASSIGN_CART, self.api.post, self.path + "/assign")
        return cart

    def fill(self):
        """Offers, the plan options checked, the project item and its options, its configuration; return the checkout
        summary."""
        self.plan_code = self._pick_plan(call_as_step(Step.LIST_OFFERS, self.api.get, self.path + "/cloud"))
        options = CartOptions(self.api, self.path, *self.extras)
        options.check(self.plan_code)  # a read: an unknown option fails before anything is added to the cart
        item = call_as_step(
            Step.ADD_PROJECT_TO_CART, self.api.post, self.path + "/cloud",
            planCode=self.plan_code, duration=self.duration, pricingMode=self.pricing_mode, quantity=1,
        )
        self.item_id = item["itemId"]
        options.add(self.item_id, self.duration, self.pricing_mode)
        item_path = "%s/item/%s" % (self.path, self.item_id)
        required = call_as_step(Step.READ_REQUIRED_CONFIGURATION, self.api.get, item_path + "/requiredConfiguration")
        filled = FILLED_LABELS + options.required_labels()
        unknown = [r.get("label") for r in required or [] if r.get("required") and r.get("label") not in filled]
        if unknown:
            raise WorkflowError(
                Step.READ_REQUIRED_CONFIGURATION,
                "plan %s requires configuration %s, which the task does not give: set it with the configurations "
                "option (label: value), or order from the Control Panel" % (self.plan_code, ", ".join(sorted(unknown))),
                required_configuration=required,
            )
        call_as_step(Step.SET_DESCRIPTION, self.api.post, item_path + "/configuration", label="description", value=self.name)
        options.configure(item_path)
        if self.voucher:
            try:
                self.api.post(item_path + "/configuration", label="voucher", value=self.voucher)
            except OvhApiError as exc:
                raise WorkflowError(
                    Step.SET_VOUCHER,
                    "voucher %s was refused: %s. Check the code, that it is not used yet and that it belongs to this "
                    "account, or remove the voucher option" % (self.voucher, exc),
                    api_error=exc,
                ) from None
        return call_as_step(Step.READ_CHECKOUT_SUMMARY, self.api.get, self.path + "/checkout")

    def _pick_plan(self, offers):
        """The first wanted plan code the cart offers with the wanted duration and pricing mode."""
        offered = {}
        for offer in offers or []:
            pairs = set((p.get("duration"), p.get("pricingMode")) for p in offer.get("prices") or [])
            offered[offer.get("planCode")] = pairs
        for plan_code in self.plan_codes:
            if (self.duration, self.pricing_mode) in offered.get(plan_code, ()):
                return plan_code
        listing = "; ".join(
            "%s (%s)" % (code, ", ".join(sorted("%s/%s" % pair for pair in pairs if pair[0])) or "no price")
            for code, pairs in sorted(offered.items())
        ) or "nothing"
        raise WorkflowError(
            Step.LIST_OFFERS,
            "plan %s with duration %s and pricing mode %s is not offered to subsidiary %s; offered: %s. "
            "Set plan_code, duration and pricing_mode to an offered combination, or another subsidiary"
            % (" or ".join(self.plan_codes), self.duration, self.pricing_mode, self.subsidiary, listing),
            offers=sorted(offered),
        )

    def checkout(self, auto_pay, waive_retractation_period):
        """POST checkout: this spends money. Raises OvhApiError untouched so the caller can tell refusal from doubt."""
        return self.api.post(
            self.path + "/checkout",
            autoPayWithPreferredPaymentMethod=auto_pay,
            waiveRetractationPeriod=waive_retractation_period,
        )

    def is_checked_out(self):
        """True if the cart was validated (readOnly): a checkout took effect even if its answer was lost."""
        try:
            return bool(self.api.get(self.path).get("readOnly"))
        except OvhApiError as exc:
            if is_absent(exc):
                return None
            raise

    def discard(self):
        """Delete the cart; return a warning text instead of raising when that fails."""
        if not self.cart_id:
            return None
        try:
            self.api.delete(self.path)
        except OvhApiError as exc:
            return "could not delete cart %s (it expires by itself within %d minutes): %s" % (
                self.cart_id, LEASE.total_seconds() // 60, exc)
        self.cart_id = None
        return None
