# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""max_price: the highest price with tax a run may check out, compared with the checkout summary before checkout.

A Public Cloud project is billed by use: the summary is the price of the order itself (usually 0), not the month's bill.
"""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

BILLED_BY_USE = ("A Public Cloud project is billed by use: this is the price of the order itself, not of the resources "
                 "the project will run")


def amount(value):
    """A price as a message shows it: two decimals when that is exact, else every digit."""
    cents = value * 100
    return "%.2f" % value if abs(cents - round(cents)) < 1e-6 else repr(value)


class PriceCap:
    """``max_price`` (None: no cap) against a flat price ``{"with_tax", "without_tax", "currency"}``."""

    def __init__(self, max_price):
        self.max_price = max_price

    def within(self, price):
        """True or False; None when there is no cap or the price is not known."""
        if self.max_price is None or price.get("with_tax") is None:
            return None
        return price["with_tax"] <= self.max_price

    def check(self, price):
        """Before checkout: raise a WorkflowError (the caller deletes the cart) unless the price is known and within
        the cap."""
        if self.max_price is None:
            return
        if price.get("with_tax") is None:
            raise WorkflowError(Step.CHECK_PRICE, "the checkout summary shows no price with tax, so max_price %s cannot be checked: "
                                "nothing was ordered and the cart is deleted. Leave max_price out to order without a cap"
                                % amount(self.max_price), price=price, max_price=self.max_price)
        if not self.within(price):
            raise WorkflowError(Step.CHECK_PRICE, self._over(price, "nothing was ordered and the cart is deleted"),
                                price=price, max_price=self.max_price)

    def mark(self, order, within):
        """``order`` with ``within_max_price`` when a cap is set."""
        if self.max_price is not None:
            order["within_max_price"] = within
        return order

    def check_planned(self, price):
        """Check mode, with the catalogue's price: raise as the run would (the run itself checks the summary);
        answer whether the price is within the cap (None when unknown)."""
        within = self.within(price)
        if within is False:
            raise WorkflowError(Step.CHECK_PRICE, self._over(price, "a run would order nothing (check mode: no call was written)"),
                                price=price, max_price=self.max_price)
        return within

    def _over(self, price, outcome):
        currency = price.get("currency") or "(currency not shown)"
        return ("price %s %s with tax exceeds max_price %s: %s. %s; raise max_price to accept this price"
                % (amount(price["with_tax"]), currency, amount(self.max_price), outcome, BILLED_BY_USE))
