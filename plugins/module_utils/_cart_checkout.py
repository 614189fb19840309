# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Checking a cart out (the call that spends money) at most once in effect, whatever happens to its answer."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import (
    OvhApiError,
    WorkflowError,
    forbidden_hint,
    outcome_unknown,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

NOT_AGAIN = "The module will not order again blindly: rerun the task"


class CartCheckout:
    """``POST checkout``; when its answer is lost, look whether it took effect before trying again, once.

    ``run()`` answers the placed order.Order, or the PendingOrders found for the name when a checkout whose answer
    was lost had taken effect. ``report.changed`` is set as soon as money may have been spent.
    """

    def __init__(self, cart, finder, name, report, auto_pay, waive_retractation_period):
        self.cart = cart
        self.finder = finder
        self.name = name
        self.report = report
        self.auto_pay = auto_pay
        self.waive_retractation_period = waive_retractation_period

    def run(self):
        try:
            return self._place()
        except OvhApiError as exc:
            if not outcome_unknown(exc):
                hint = forbidden_hint(exc) or " Nothing was ordered."
                raise WorkflowError(Step.CHECKOUT, "checkout was refused: %s.%s" % (exc, hint), api_error=exc) from None
            found = self._took_effect(exc, may_retry=True)
            if found:
                return found
            self.report.warn("checkout got no clear answer (%s); the cart was not validated, so it was retried once" % exc)
        try:
            return self._place()
        except OvhApiError as exc:
            if not outcome_unknown(exc):
                # refused on the retry: the first attempt may have taken effect after all (e.g. "read-only cart")
                self.report.changed = True
                raise WorkflowError(
                    Step.CHECKOUT,
                    "the retried checkout of cart %s was refused (%s) after the first attempt got no clear answer: an "
                    "order may exist. %s, it will follow the order if one was placed" % (self.cart.cart_id, exc, NOT_AGAIN),
                    api_error=exc,
                ) from None
            return self._took_effect(exc, may_retry=False)

    def _place(self):
        placed = self.cart.checkout(self.auto_pay, self.waive_retractation_period)
        self.report.changed = True
        return placed

    def _took_effect(self, exc, may_retry):
        """After a lost answer: the orders in flight for the name, or None when the cart is still open and
        ``may_retry``. Anything else raises, and counts as changed: money may have been spent."""
        try:
            pending = self.finder.find(self.name)
            checked_out = None if pending else self.cart.is_checked_out()
        except OvhApiError as check_error:
            self.report.changed = True
            raise WorkflowError(
                Step.CHECKOUT,
                "checkout of cart %s got no clear answer (%s), and checking whether it took effect failed too (%s). "
                "%s, it will follow the order if one was placed" % (self.cart.cart_id, exc, check_error, NOT_AGAIN),
                api_error=check_error,
            ) from None
        if checked_out is False and may_retry:
            return None
        self.report.changed = True
        if pending:
            return pending
        raise WorkflowError(
            Step.CHECKOUT,
            "checkout of cart %s got no clear answer (%s) and %s. %s to follow the order if one was placed (check "
            "Control Panel > Orders)" % (self.cart.cart_id, exc, "the cart is validated, so an order exists" if checked_out
                                         else "its outcome cannot be confirmed", NOT_AGAIN),
            api_error=exc,
        ) from None
