# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""state=present for a Public Cloud project: look first, follow an order in flight, order exactly once."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import Deadline
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._cart_checkout import CartCheckout
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._cart_order import CartOrder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._catalog import PublicCatalog
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._eligibility import EligibilityCheck
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_follower import OrderFollower
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_payment import (
    OrderPayer,
    PaymentStep,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_reader import OrderReader
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._pending_orders import PendingOrderFinder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._price_cap import PriceCap
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import (
    AMBIGUOUS,
    FOUND,
    UNKNOWN_STATUS,
    decide_present,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup, unknown_status_error
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_renamer import ProjectRenamer
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_request import ProjectRequest
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_settings import ProjectSettings
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_terminator import terminate_project
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import NameClaim, RaceGuard, RoundLost
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import (
    billing_price,
    checkout_price,
    ensure_result,
    order_result,
    planned_project,
    project_result,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import MAX_ROUNDS, ORDER_SETTLE, WAIT_FOR_RUN_CAP, utc_now
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_project_options


def ensure_project(module):
    """The work of one public_cloud_project run; ``module`` is the OvhModule that owns it."""
    if module.params["state"] == "absent":
        return terminate_project(module)
    check_project_options(module.params, module.endpoint)
    settings = ProjectSettings(module.api, module.report, module.params, check_mode=module.check_mode)
    if module.params.get("project_id"):  # adopt by id: never orders
        renamer = ProjectRenamer(module.api, module.report, check_mode=module.check_mode)
        result = renamer.adopt(module.params["project_id"], module.params.get("name"))
        return settings.apply(result, renamer.project)
    request = ProjectRequest(module.params, module.is_us_api)
    ensurer = ProjectEnsurer(module.api, request, module.report, check_mode=module.check_mode,
                             server_now=module.server_now)
    result = ensurer.present()
    return settings.apply(result, ensurer.project)


class ProjectEnsurer:
    """Makes sure one project named ``request.name`` exists; see docs/design.md for the state machine."""

    def __init__(self, api, request, report, check_mode=False, server_now=None):
        self.api = api
        self.request = request
        self.report = report
        self.check_mode = check_mode
        self.server_now = server_now
        self.projects = ProjectLookup(api)
        self.unpaid_orders = []
        self.price_cap = PriceCap(getattr(request, "max_price", None))
        self.project = None  # the cloud.ProjectWithIAM found or delivered, for its settings (ProjectSettings)

    def present(self):
        self.waiting = Deadline(self.request.wait_timeout, cap=WAIT_FOR_RUN_CAP)  # the time this run may wait for other runs
        for dummy in range(MAX_ROUNDS):
            try:
                return self._present_once()
            except RoundLost as exc:
                self.report.warn(str(exc))
        raise WorkflowError(Step.ORDER, "gave up after %d rounds of waiting for other runs ordering %r: rerun the task"
                            % (MAX_ROUNDS, self.request.name))

    def _present_once(self):
        name = self.request.name
        decision = decide_present(self.projects.with_name(name))
        if decision.action == UNKNOWN_STATUS:
            raise unknown_status_error(decision.projects, name, "nothing was ordered")
        if decision.action == AMBIGUOUS:
            ids = sorted(p["project_id"] for p in decision.projects)
            raise WorkflowError(
                Step.LOOK_UP_PROJECT,
                "%d projects are named %r: %s. The module cannot tell which one you mean: give all but one another "
                "description (PUT /cloud/project/{id}) or choose another name" % (len(ids), name, ", ".join(ids)),
                project_ids=ids,
            )
        if decision.action == FOUND:
            self.project = decision.project
            project = project_result(decision.project)
            return self._result(project, None, before=project)
        finder = PendingOrderFinder(self.api, self.projects, self.request.plan_codes, now=self.server_now)
        pending = finder.find(name)
        if pending:
            return self._follow_existing(pending, finder)
        catalogue = PublicCatalog(self.api, self.request.subsidiary)  # an unknown plan option fails before any write
        catalogue.check_options(self.request.plan_code, self.request.plan_options)
        EligibilityCheck(self.api).check(self.request.voucher, self.request.auto_pay)
        if self.check_mode:
            price = catalogue.price(self.request.plan_code, self.request.duration, self.request.pricing_mode)
            within = self.price_cap.check_planned(price)  # predicts the refusal of a run over the cap
            self.report.changed = True
            return self._result(planned_project(name, self.request.plan_code), self.price_cap.mark(order_result(None, None, price), within))
        return self._order(finder)

    def _follow_existing(self, pending, finder, own_order_id=None):
        """Follow the order the payment rule chooses among the orders for the name (``pending``, those found; with
        auto-pay every order of both listings, and ``own_order_id``, the one this run placed); with auto-pay, make sure
        that order is paid, once. The others are left unpaid and reported."""
        paying = self.request.auto_pay is True and not self.check_mode
        step = PaymentStep(self.api, self.report, self.request.name, self._billing, self._payer, self.unpaid_orders,
                           check_mode=self.check_mode)
        chosen = step.choose(finder, own_order_id, found=None if paying else pending)
        if chosen is None:  # every order for the name is cancelled: the follower says so, naming it
            billing = self._billing(pending[0].order_id) if pending else {}
            return self._follow(order_result(pending[0].order_id if pending else own_order_id, billing.get("url"),
                                             billing_price(billing)), None, report_only=self.check_mode)
        billing = self._billing(chosen.order_id)
        order = order_result(chosen.order_id, billing.get("url"), billing_price(billing))
        if paying:
            return self._follow(order, step.pay(chosen, order["url"], own_order_id))
        return self._follow(order, self.request.auto_pay if chosen.order_id == own_order_id else None,
                            report_only=self.check_mode)

    def _payer(self):
        return OrderPayer(self.api, self.report, self.server_now or utc_now, self.waiting.pause)

    def _billing(self, order_id):
        try:
            return OrderReader(self.api).order(order_id) or {}
        except OvhApiError:
            return {}

    def _order(self, finder):
        request = self.request
        cart = CartOrder(self.api, request.name, request.subsidiary, request.plan_codes, request.duration,
                         request.pricing_mode, voucher=request.voucher, server_now=self.server_now,
                         plan_options=request.plan_options, configurations=request.configurations)
        claim = NameClaim(self.api, request.name, self.server_now)
        try:
            self.report.warn(claim.announced(cart.create()))
            summary = cart.fill()
            self.price_cap.check(checkout_price(summary))  # over the cap: the cart is deleted below, before the election
            if request.auto_pay is True:
                self._payer().check_payable(checkout_price(summary)["with_tax"])
            guard = RaceGuard(claim, cart, finder, self.report, self.waiting, self._billing, request.wait_timeout)
            found = guard.run_ahead()
            if not found:
                found = finder.find(request.name, thorough=False)  # a last look right before spending money
                if found:
                    self.report.warn("an order for %r appeared while the cart was built; following it" % request.name)
            if not found:
                found = guard.confirm_first()
            if found:
                self.report.warn(cart.discard())
                return self._follow_existing(found, finder)
            if not claim.may_check_out(request.api_timeout):
                raise RoundLost("cart %s has too little of its lease left to check out safely: announced again"
                                % cart.cart_id)
            # never paid at checkout: the order is paid below, once the orders for the name were looked at
            placed = CartCheckout(cart, finder, request.name, self.report, False, request.waive_retractation_period).run()
        except (WorkflowError, OvhApiError, RoundLost):
            if not self.report.changed:  # nothing was placed: leave no cart behind
                self.report.warn(cart.discard())
            raise
        if isinstance(placed, list):  # the uncertain checkout had taken effect: an order for the name exists
            own_order_id = None
        else:
            own_order_id = placed["orderId"]
        if request.auto_pay is True:
            self.waiting.pause(ORDER_SETTLE)  # let the order listings show every order placed for the name
            try:
                result = self._follow_existing([], finder, own_order_id)
            except OvhApiError as exc:
                raise WorkflowError(
                    Step.CHOOSE_ORDER_TO_PAY,
                    "choosing the order to pay for %r failed: %s. Order %s was placed and is not paid yet: rerun the "
                    "task, it finds this order and pays it once (it orders nothing else)"
                    % (request.name, exc, own_order_id if own_order_id is not None else "(its id was not answered)"),
                    api_error=exc, order_id=own_order_id) from None
            if result["order"] and result["order"]["order_id"] == own_order_id:
                self.price_cap.mark(result["order"], self.price_cap.within(checkout_price(summary)))
            return result
        if own_order_id is None:
            return self._follow_existing(placed, finder)
        order = order_result(own_order_id, placed.get("url"), checkout_price(placed if placed.get("prices") else summary))
        self.price_cap.mark(order, self.price_cap.within(checkout_price(summary)))
        return self._follow(order, request.auto_pay)

    def _follow(self, order, auto_pay, report_only=False):
        """Follow the order until its project is ok (or only read its status: check mode, or ``wait: false``)."""
        order_id = order["order_id"]
        if report_only or not self.request.wait:
            order["status"] = OrderReader(self.api).status(order_id)
            # an order this run just placed with auto-pay is being paid, not waiting for payment
            return self._result(None, order, pending_payment=order["status"] == "notPaid" and auto_pay is not True)
        result = OrderFollower(self.api, auto_pay).follow(order_id, self.request.wait_timeout, url=order.get("url"))
        if result.pending_payment:
            why = "it was placed without auto-pay" if auto_pay is False else \
                "it was placed without auto-pay, or its automatic payment failed"
            self.report.warn("order %s waits for payment (%s): pay it at %s (or in the Control Panel), then rerun"
                             % (order_id, why, order.get("url") or "the Control Panel"))
        order["status"] = result.status
        self.project = result.project
        project = project_result(result.project, order_id=order_id) if result.project else None
        return self._result(project, order, pending_payment=result.pending_payment)

    def _result(self, project, order, pending_payment=False, before=None):
        after = project or (planned_project(self.request.name, self.request.plan_code) if self.report.changed else None)
        return ensure_result(project, order, pending_payment, before=before, after=after, unpaid_orders=self.unpaid_orders)
