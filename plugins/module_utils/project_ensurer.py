# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""state=present for a Public Cloud project: look first, follow an order in flight, order exactly once."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.api import OvhApiError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.cart_order import CartOrder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.catalog import catalog_price
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.eligibility import EligibilityCheck
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.errors import WorkflowError, forbidden_hint
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.order_follower import OrderFollower
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.order_reader import OrderReader, order_prices
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.pending_orders import PendingOrderFinder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.project_lookup import ProjectLookup, project_summary

EU_PLAN_CODE = "project.2018"
# terraform-provider-ovh docs: plan_code = "project" when running in the US.
US_PLAN_CODE = "project"


class ProjectEnsurer:
    """Makes sure one project named ``params['name']`` exists; see docs/design.md for the state machine."""

    def __init__(self, api, params, check_mode=False, endpoint_name=None, is_us_api=None, server_now=None):
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.endpoint_name = endpoint_name
        self._is_us_api = is_us_api
        self.server_now = server_now
        self.projects = ProjectLookup(api)
        self.changed = False
        self.warnings = []
        self.order_id = None

    # -- decisions ------------------------------------------------------------------------------
    def is_us_api(self):
        if self._is_us_api is None:
            # A URL endpoint (the simulator, a proxy): OVHcloud US accounts live only on the US API.
            self._is_us_api = (self.api.get("/me") or {}).get("ovhSubsidiary") == "US"
        return self._is_us_api

    def plan_codes(self):
        if self.params.get("plan_code"):
            return (self.params["plan_code"],)
        return (US_PLAN_CODE,) if self.is_us_api() else (EU_PLAN_CODE,)

    def subsidiary(self):
        return self.params.get("subsidiary") or ("US" if self.is_us_api() else "FR")

    # -- the story ------------------------------------------------------------------------------
    def present(self):
        name = self.params["name"]
        matches = self.projects.find_by_name(name)
        if len(matches) > 1:
            ids = sorted(p["project_id"] for p in matches)
            raise WorkflowError(
                "look up project",
                "%d projects are named %r: %s. The module cannot tell which one you mean: give all but one another "
                "description (PUT /cloud/project/{id}) or choose another name" % (len(ids), name, ", ".join(ids)),
                project_ids=ids,
            )
        if matches:
            project = project_summary(matches[0])
            return self._result(project=project, order=None, diff_before=project)
        finder = PendingOrderFinder(self.api, self.projects, self.plan_codes(), now=self.server_now)
        pending = finder.find(name)
        if pending:
            return self._follow_existing(pending)
        EligibilityCheck(self.api).check(self.params.get("voucher"), self.params["auto_pay"])
        if self.check_mode:
            return self._would_order()
        return self._order(finder)

    def _follow_existing(self, pending, placed_now=False):
        """Follow an order found in flight; ``placed_now`` when this very run placed it (a lost checkout answer)."""
        if len(pending) > 1:
            self.warnings.append(
                "%d orders are in flight for %r (%s): following the oldest, %s; cancel the others in the Control Panel"
                % (len(pending), self.params["name"], ", ".join(str(p.order_id) for p in pending), pending[0].order_id)
            )
        order_id = pending[0].order_id
        self.order_id = order_id
        order = self._order_info(order_id)
        if self.check_mode or not self.params["wait"]:
            order["status"] = OrderReader(self.api).status(order_id)
            return self._result(project=None, order=order, pending_payment=order["status"] == "notPaid")
        # An order from an earlier run may have been placed without auto-pay: notPaid is then "waiting for
        # payment", not a failure of this run's auto-pay.
        return self._follow(order_id, order, auto_pay=self.params["auto_pay"] and placed_now)

    def _would_order(self):
        self.changed = True
        order = {"order_id": None, "url": None, "status": None}
        order.update(self._split_currency(catalog_price(self.api, self.subsidiary(), self.plan_codes()[0],
                                                        self.params["duration"], self.params["pricing_mode"])))
        return self._result(project=self._planned_project(), order=order)

    def _order(self, finder):
        params = self.params
        cart = CartOrder(self.api, params["name"], self.subsidiary(), self.plan_codes(), params["duration"],
                         params["pricing_mode"], voucher=params.get("voucher"), server_now=self.server_now)
        try:
            summary = cart.prepare()
            late = finder.find(params["name"], thorough=False)  # a last look right before spending money
            if late:
                self.warnings.append("an order for %r appeared while the cart was built; following it" % params["name"])
                cart_warning = cart.discard()
                if cart_warning:
                    self.warnings.append(cart_warning)
                return self._follow_existing(late)
            placed = self._checkout(cart, finder)
        except (WorkflowError, OvhApiError):
            if not self.changed:  # nothing was placed: leave no cart behind
                warning = cart.discard()
                if warning:
                    self.warnings.append(warning)
            raise
        if isinstance(placed, list):  # the uncertain checkout had taken effect: follow what it placed
            return self._follow_existing(placed, placed_now=True)
        self.order_id = placed["orderId"]
        order = {"order_id": placed["orderId"], "url": placed.get("url"), "status": None}
        order.update(self._split_currency(order_prices(placed if placed.get("prices") else summary)))
        if not params["wait"]:
            order["status"] = OrderReader(self.api).status(self.order_id)
            return self._result(project=None, order=order, pending_payment=order["status"] == "notPaid")
        return self._follow(self.order_id, order)

    def _checkout(self, cart, finder):
        """Check out once. If the answer is lost, look whether it took effect before trying again (once)."""
        params = self.params
        for attempt in (1, 2):
            try:
                placed = cart.checkout(params["auto_pay"], params["waive_retractation_period"])
                self.changed = True
                return placed
            except OvhApiError as exc:
                uncertain = exc.transport_error or (exc.status is not None and exc.status >= 500)
                if not uncertain and attempt == 2:
                    # refused on the retry: the first attempt may have taken effect after all (e.g. "read-only cart")
                    self.changed = True
                    raise WorkflowError(
                        "checkout",
                        "the retried checkout of cart %s was refused (%s) after the first attempt got no clear answer: an "
                        "order may exist. The module will not order again blindly: rerun the task, it will follow the order "
                        "if one was placed" % (cart.cart_id, exc),
                        api_error=exc,
                    ) from None
                if not uncertain:
                    hint = forbidden_hint(exc) or " Nothing was ordered."
                    raise WorkflowError("checkout", "checkout was refused: %s.%s" % (exc, hint), api_error=exc) from None
                self.changed = True  # from here on, assume money may have been spent
                try:
                    pending = finder.find(params["name"])
                    checked_out = None if pending else cart.is_checked_out()
                except OvhApiError as check_error:
                    raise WorkflowError(
                        "checkout",
                        "checkout of cart %s got no clear answer (%s), and checking whether it took effect failed too (%s). "
                        "The module will not order again blindly: rerun the task, it will follow the order if one was placed"
                        % (cart.cart_id, exc, check_error),
                        api_error=check_error,
                    ) from None
                if pending:
                    return pending
                if checked_out is not False or attempt == 2:
                    raise WorkflowError(
                        "checkout",
                        "checkout of cart %s got no clear answer (%s) and %s. The module will not order again blindly: "
                        "rerun the task to follow the order if one was placed (check Control Panel > Orders)"
                        % (cart.cart_id, exc, "the cart is validated, so an order exists" if checked_out else
                           "its outcome cannot be confirmed"),
                        api_error=exc,
                    ) from None
                self.changed = False  # the cart is still open: the first attempt did not take effect
                self.warnings.append("checkout got no clear answer (%s); the cart was not validated, so it was retried once" % exc)
        raise AssertionError("unreachable")  # pragma: no cover

    def _follow(self, order_id, order, auto_pay=None):
        auto_pay = self.params["auto_pay"] if auto_pay is None else auto_pay
        result = OrderFollower(self.api, self.projects, auto_pay).follow(order_id, self.params["wait_timeout"])
        if result.pending_payment:
            self.warnings.append("order %s waits for payment: pay it at %s (or in the Control Panel), then rerun"
                                 % (order_id, order.get("url") or "the Control Panel"))
        order["status"] = result.status
        project = project_summary(result.project, order_id=order_id) if result.project else None
        return self._result(project=project, order=order, pending_payment=result.pending_payment)

    # -- result shaping -------------------------------------------------------------------------
    def _order_info(self, order_id):
        try:
            billing = OrderReader(self.api).order(order_id)
        except OvhApiError:
            billing = {}
        with_tax = (billing or {}).get("priceWithTax") or {}
        without_tax = (billing or {}).get("priceWithoutTax") or {}
        return {
            "order_id": order_id,
            "url": (billing or {}).get("url"),
            "status": None,
            "prices": {"with_tax": with_tax.get("value"), "without_tax": without_tax.get("value")},
            "currency": with_tax.get("currencyCode"),
        }

    @staticmethod
    def _split_currency(price):
        """{"with_tax", "without_tax", "currency"} -> the result's {"prices": {...}, "currency": ...}."""
        price = dict(price)
        currency = price.pop("currency")
        return {"prices": price, "currency": currency}

    def _planned_project(self):
        return {
            "project_id": None,
            "name": self.params["name"],
            "status": None,
            "creation_date": None,
            "plan_code": self.plan_codes()[0],
            "order_id": None,
        }

    def _result(self, project, order, pending_payment=False, diff_before=None):
        after = project or (self._planned_project() if self.changed else None)
        return {
            "changed": self.changed,
            "project": project,
            "order": order,
            "pending_payment": pending_payment,
            "warnings": self.warnings,
            "diff": {"before": diff_before or {}, "after": after or {}},
        }
