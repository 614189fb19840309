# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""A project order's extras: plan options (``/order/cart/{cartId}/cloud/options``) and the cart configurations the user
gives (``configurations``), beside the description and voucher the module sets itself."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError, call_as_step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import tag_text


def _option_price(option, duration, pricing_mode):
    """The (duration, pricing mode) to order an option with: the project's when the option offers it, else the first the
    option offers in the same pricing mode, else its first."""
    pairs = [(p.get("duration"), p.get("pricingMode")) for p in option.get("prices") or [] if p.get("duration")]
    if (duration, pricing_mode) in pairs or not pairs:
        return duration, pricing_mode
    same_mode = [pair for pair in pairs if pair[1] == pricing_mode]
    return (same_mode or pairs)[0]


def unknown_options_error(step, unknown, plan_code, offered, source):
    """The failure for wanted options ``unknown`` that ``source`` (the cart's offer, or the public catalogue) does not
    offer with ``plan_code``; ``offered`` names the ones it offers."""
    return WorkflowError(
        step,
        "plan option %s is not offered with plan %s (according to %s); offered: %s. Nothing was ordered: remove it "
        "from plan_options, or choose an offered option"
        % (", ".join(unknown), plan_code, source, ", ".join(sorted(offered)) or "none"),
        offered_options=sorted(offered),
    )


class CartOptions:
    """Checks the wanted plan options against the cart's offer (a read, before anything is added to the cart), then adds
    them to the project item; sets the user's configurations on that item."""

    def __init__(self, api, cart_path, plan_options=(), configurations=None):
        self.api = api
        self.cart_path = cart_path
        self.plan_options = list(plan_options or [])
        self.configurations = dict(configurations or {})
        self.offered = {}

    def check(self, plan_code):
        """Each wanted option offered with ``plan_code``, else a WorkflowError naming the unknown ones and the offered
        ones (raised before the project is added: the caller deletes the cart). The public catalogue checked them
        before the cart was created, when it could (_catalog.PublicCatalog.check_options); the cart's answer is the
        authority."""
        if not self.plan_options:
            return
        listing = call_as_step(Step.LIST_PLAN_OPTIONS, self.api.get, self.cart_path + "/cloud/options", planCode=plan_code)
        self.offered = dict((o.get("planCode"), o) for o in listing or [] if isinstance(o, dict))
        unknown = [option for option in self.plan_options if option not in self.offered]
        if unknown:
            raise unknown_options_error(Step.LIST_PLAN_OPTIONS, unknown, plan_code, self.offered, "the cart's offer")

    def required_labels(self):
        """The configuration labels the user fills."""
        return tuple(self.configurations)

    def add(self, item_id, duration, pricing_mode):
        """Add every wanted option to the project item ``item_id``."""
        for option in self.plan_options:
            option_duration, option_mode = _option_price(self.offered[option], duration, pricing_mode)
            call_as_step(Step.ADD_PLAN_OPTION, self.api.post, self.cart_path + "/cloud/options", itemId=item_id,
                         planCode=option, duration=option_duration, pricingMode=option_mode, quantity=1)

    def configure(self, item_path):
        """Set the user's configurations on the project item (``item_path``), in the order given."""
        for label, value in self.configurations.items():
            call_as_step(Step.SET_CONFIGURATION, self.api.post, item_path + "/configuration", label=label,
                         value=tag_text(value))
