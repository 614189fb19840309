# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Paying only after checking: which order for a name is paid (OrderElection), paying it once (OrderPayer), and the
pay step of a run that both make up (PaymentStep).

Every run checks out without paying (``autoPayWithPreferredPaymentMethod: false``: the order is created ``notPaid``,
nothing is charged), lets the order listings settle, then lists the orders for the name. One rule, computed the same
way by every run from the same orders, chooses the one to pay; the others are left unpaid (an unpaid order costs
nothing and expires). Paying twice then needs the race guard and the order listings to fail at once: docs/design.md
("Paying only after checking").
"""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, outcome_unknown
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_reader import OrderReader
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._pending_orders import ORDER_DEAD, PendingOrder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import parse_expire
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
# PAY_GRACE, PAY_POLL (and ORDER_SETTLE, which the caller waits): what each protects is said in _timing.py
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import PAY_GRACE, PAY_POLL

# billing.order.followUp history labels that say a payment of the order was started (me schema,
# billing.order.followUp.HistoryLabelEnum): such an order is never paid again, whatever its status still says.
PAYMENT_LABELS = ("PAYMENT_INITIATED", "REGISTERED_PAYMENT_INITIATED", "PAYMENT_RECEIVED", "PAYMENT_CONFIRMED")
NOT_PAID = "notPaid"


def payment_shown(follow_up):
    """Whether a followUp answer (billing.order.FollowUp[]) shows a payment started, in any step's history."""
    labels = set(entry.get("label") for step in follow_up or [] for entry in (step or {}).get("history") or [])
    return bool(labels.intersection(PAYMENT_LABELS))


class Candidate:
    """An order for the name, with its billing status (``GET /me/order/{id}/status``), read fresh for the rule."""

    def __init__(self, order_id, status):
        self.order_id = order_id
        self.status = status

    @property
    def paid(self):
        return self.status != NOT_PAID


class OrderElection:
    """The rule: the paid order for the name if there is one (the lowest id among several), else the lowest ``orderId``
    not cancelled. Every run computes it the same way; an order already paid always wins, so a rerun never pays a
    second order next to one being delivered."""

    def __init__(self, finder, reader):
        self.finder = finder
        self.reader = reader

    def choose(self, name, own_order_id=None, found=None):
        """(the chosen Candidate, the other Candidates still unpaid). ``found``: orders already listed for the name
        (else they are listed now); ``own_order_id``: the order this run placed, counted even when no listing shows it
        yet. None chosen when every order is dead."""
        orders = list(found) if found is not None else self.finder.all_for(name)
        ids = sorted(set([o.order_id for o in orders] + ([own_order_id] if own_order_id is not None else [])))
        candidates = []
        for order_id in ids:
            status = self.reader.status(order_id)
            if status not in ORDER_DEAD:
                candidates.append(Candidate(order_id, status))
        if not candidates:
            return None, []
        paid = [c for c in candidates if c.paid]
        chosen = paid[0] if paid else candidates[0]
        return chosen, [c for c in candidates if c is not chosen and not c.paid]


class OrderPayer:
    """Pays one order with the account's default payment method (a free order from the fidelity account), as
    terraform-provider-ovh does (ovh/order.go), and never pays an order whose payment was started."""

    def __init__(self, api, report, server_now, pauser):
        self.api = api
        self.reader = OrderReader(api)
        self.report = report
        self.server_now = server_now
        self.pauser = pauser  # pauser(seconds) -> False when the run's time is up

    def payment_started(self, order_id):
        """Whether the order is paid, or a payment of it is under way (its status may say notPaid a while longer)."""
        if self.reader.status(order_id) != NOT_PAID:
            return True
        return payment_shown(self.api.get("/me/order/%s/followUp" % order_id))

    def pay_when_due(self, order_id, url=None):
        """An order another run placed (or an earlier, killed run): paid by this run only once its grace is over and
        nobody started paying it. True when this run paid it, False when a payment started, None when the run's time
        ran out first (the order is then reported as waiting for payment)."""
        placed = parse_expire((self._billing(order_id) or {}).get("date"))
        due = (placed or self.server_now()) + PAY_GRACE
        while self.server_now() < due:
            if self.payment_started(order_id):
                return False
            if not self.pauser(min(PAY_POLL, max(0.1, (due - self.server_now()).total_seconds()))):
                return None
        return self.pay(order_id, url)

    def pay(self, order_id, url=None):
        """Pay the order unless its payment started; True when this run paid it. After a lost answer the order is read
        again, never paid again."""
        if self.payment_started(order_id):
            return False
        billing = self._billing(order_id) or {}
        url = url or billing.get("url")
        free = ((billing.get("priceWithTax") or {}).get("value")) == 0
        try:
            if free:
                self.api.post("/me/order/%s/payWithRegisteredPaymentMean" % order_id, paymentMean="fidelityAccount")
            else:
                self.api.post("/me/order/%s/pay" % order_id, paymentMethod={"id": self._default_method(order_id, url)})
        except OvhApiError as exc:
            started = self._started_after(exc, order_id)
            if started:
                self.report.changed = True
                return True
            if outcome_unknown(exc):
                raise WorkflowError(
                    Step.PAY_ORDER,
                    "paying order %s got no clear answer (%s), and the order does not show a payment yet. It is not "
                    "paid again blindly: rerun the task, it pays this same order if it is still unpaid (or pay it at %s)"
                    % (order_id, exc, url or "the Control Panel"), api_error=exc, order_id=order_id) from None
            raise WorkflowError(
                Step.PAY_ORDER,
                "paying order %s was refused: %s. The order exists and is not paid: pay it at %s (or in the Control "
                "Panel), then rerun the task; it follows this same order and orders nothing else"
                % (order_id, exc, url or "the Control Panel"), api_error=exc, order_id=order_id) from None
        self.report.changed = True
        return True

    def _billing(self, order_id):
        try:
            return self.reader.order(order_id)
        except OvhApiError:
            return None

    def _started_after(self, exc, order_id):
        """After a failed pay: whether a payment started all the same (ours whose answer was lost, or another run's)."""
        try:
            return self.payment_started(order_id)
        except OvhApiError as check_error:
            raise WorkflowError(
                Step.PAY_ORDER,
                "paying order %s failed (%s), and reading the order again failed too (%s): rerun the task, it pays this "
                "same order if it is still unpaid" % (order_id, exc, check_error), api_error=check_error,
                order_id=order_id) from None

    def check_payable(self, price_with_tax):
        """Before checkout: a priced order needs a default payment method to be paid with; none is a WorkflowError
        (the caller deletes its cart: nothing is ordered). A free order is paid from the fidelity account."""
        if not price_with_tax:
            return
        try:
            ids = self.api.get("/me/payment/method", default=True) or []
        except OvhApiError as exc:
            raise WorkflowError(Step.CHECK_PAYMENT_METHOD, "reading the default payment method failed: %s. Nothing was "
                                "ordered" % exc, api_error=exc) from None
        if not ids:
            raise WorkflowError(
                Step.CHECK_PAYMENT_METHOD,
                "the account has no default payment method to pay this order (%s with tax) with: add one (Control Panel > "
                "Billing > Payment methods, and make it the default), or set auto_pay: false to place the order and pay "
                "it yourself. Nothing was ordered" % price_with_tax)

    def _default_method(self, order_id, url):
        try:
            ids = self.api.get("/me/payment/method", default=True) or []
        except OvhApiError as exc:
            raise WorkflowError(Step.PAY_ORDER, "reading the default payment method failed: %s. Order %s exists and is not "
                                "paid: rerun the task, or pay it at %s" % (exc, order_id, url or "the Control Panel"),
                                api_error=exc, order_id=order_id) from None
        if not ids:
            raise WorkflowError(
                Step.PAY_ORDER,
                "order %s was placed but the account has no default payment method to pay it with: add one (Control "
                "Panel > Billing > Payment methods) and rerun the task, or pay the order at %s; it will not be placed "
                "again" % (order_id, url or "the Control Panel"), order_id=order_id)
        return ids[0]


class PaymentStep:
    """The pay step of one run for ``name``: the order the payment rule chooses among the orders for the name, the
    others reported (a warning each, and an entry of ``unpaid_orders``), and with auto-pay the chosen order paid once.
    ``billing(order_id)`` answers an order's billing fields ({} when unreadable), ``payer()`` an OrderPayer."""

    def __init__(self, api, report, name, billing, payer, unpaid_orders, check_mode=False):
        self.api = api
        self.report = report
        self.name = name
        self.billing = billing
        self.payer = payer
        self.unpaid_orders = unpaid_orders
        self.check_mode = check_mode

    def choose(self, finder, own_order_id, found):
        """The chosen Candidate (None when every order for the name is cancelled); the others reported unpaid."""
        chosen, unpaid = OrderElection(finder, OrderReader(self.api)).choose(self.name, own_order_id, found=found)
        if chosen is None:
            return None
        for other in unpaid:
            url = self.billing(other.order_id).get("url")
            self.unpaid_orders.append(unpaid_summary(other, url))
            self.report.warn("order %s for %r was left unpaid: order %s is the one %s. An unpaid order costs nothing "
                             "and expires by itself; or cancel it at %s"
                             % (other.order_id, self.name, chosen.order_id,
                                "that would be paid and followed" if self.check_mode else "paid and followed",
                                url or "the Control Panel"))
        return chosen

    def pay(self, chosen, url, own_order_id):
        """Make sure the chosen order is paid: ours at once, another run's once its grace is over. True when this run
        made sure it is paid (or saw its payment start: notPaid for good is then a failed payment), None when the
        run's time ran out before the order was due (nobody tried to pay it yet: it waits for payment)."""
        payer = self.payer()
        if chosen.order_id == own_order_id:
            payer.pay(chosen.order_id, url)
        elif not chosen.paid and payer.pay_when_due(chosen.order_id, url) is None:
            return None
        return True


def unpaid_summary(candidate, url):
    """An entry of ``unpaid_orders``."""
    return {"order_id": candidate.order_id, "url": url}


def as_pending(candidate):
    """The chosen Candidate as the follower takes it."""
    return PendingOrder(candidate.order_id, candidate.status, "/me/order")
