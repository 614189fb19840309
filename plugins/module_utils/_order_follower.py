# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Follows a placed order until its project exists with status ok."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import Deadline, ReadRetryPolicy
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_payment import payment_shown
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_reader import OrderReader
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import (
    KNOWN_STATUSES as KNOWN_PROJECT_STATUSES,
    UPGRADE_ADVICE,
    ProjectLookup,
    unknown_status_text,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import FOLLOW_UP_EVERY, NOT_PAID_GRACE

# What auto_pay means to the follower: True (this run placed it with auto-pay: still notPaid after the grace is a
# failed payment), False (placed without auto-pay: notPaid is waiting for payment), None (another run placed it, with
# or without auto-pay: waited for through the grace, then reported as waiting for payment).
# billing.order.OrderStatusEnum: the statuses of an order on its way ("unknown" is a value of the enum, not ours),
# and every value. A status outside the enum stops the follower: waiting on it until wait_timeout would only hide it.
ORDER_IN_PROGRESS = ("checking", "delivering", "unknown")
KNOWN_ORDER_STATUSES = ("cancelled", "cancelling", "checking", "delivered", "delivering", "documentsRequested", "notPaid",
                        "unknown")
# A delivered project on its way to ok.
PROJECT_IN_PROGRESS = ("creating",)
# GET /me/order/{id}/followUp (billing.order.FollowUp, me schema) is read while an order is checked, at most every
# FOLLOW_UP_EVERY seconds (_timing.py): these history labels of a step in DOING mean OVHcloud waits for the customer
# (documents, manual review), so the order will not be delivered soon...
FRAUD_HOLD_LABELS = ("FRAUD_DOCS_REQUESTED", "FRAUD_MANUAL_REVIEW")
# ...and this one ends the order.
FRAUD_REFUSED = "FRAUD_REFUSED"


class FollowResult:
    """Where the order stands when following stops."""

    def __init__(self, status, project=None, pending_payment=False):
        self.status = status
        self.project = project
        self.pending_payment = pending_payment


class OrderFollower:
    """Polls ``/me/order/{id}/status`` with capped exponential backoff, then finds and waits for the project.

    Its reads are retried on transient failures (ReadRetryPolicy), within the same ``wait_timeout``.
    """

    def __init__(self, api, auto_pay, deadline_factory=Deadline):
        self.api = api
        self.auto_pay = auto_pay
        self.deadline_factory = deadline_factory
        self.deadline = None
        self.order_id = None
        self.reader = None
        self.projects = None
        self.url = None
        self.follow_up_read_at = None

    def _read(self, step, call, *args):
        try:
            return call(*args)
        except OvhApiError as exc:
            raise WorkflowError(
                step,
                "%s failed: %s. Order %s was placed: rerun the task to follow it, nothing will be ordered twice"
                % (step, exc, self.order_id),
                api_error=exc,
                order_id=self.order_id,
            ) from None

    def _timeout(self, order_id, status, what):
        return WorkflowError(
            Step.WAIT_FOR_ORDER,
            "order %s is still %s after %ss (%s). Nothing was ordered twice: rerun the task to follow this same order, "
            "or raise wait_timeout" % (order_id, status, self.deadline.timeout, what),
            order_id=order_id,
        )

    def follow(self, order_id, wait_timeout, url=None):
        self.order_id = order_id
        self.url = url
        self.deadline = self.deadline_factory(wait_timeout)
        api = self.api.retrying(ReadRetryPolicy(self.deadline))
        self.reader = OrderReader(api)
        self.projects = ProjectLookup(api)
        status = self._wait_for_delivery(order_id)
        if status != "delivered":
            return FollowResult(status, pending_payment=True)
        return FollowResult(status, project=self._wait_for_project(order_id))

    def _wait_for_delivery(self, order_id):
        not_paid_since = None
        while True:
            status = self._read(Step.READ_ORDER_STATUS, self.reader.status, order_id)
            if status == "delivered":
                return status
            if status in ("cancelled", "cancelling"):
                self.follow_up_read_at = None
                self._check_follow_up(order_id)  # an anti-fraud refusal is named as such
                what = "cancelled" if status == "cancelled" else "being cancelled"
                where = self.url or "the Control Panel (Billing > Orders)"
                raise WorkflowError(
                    Step.WAIT_FOR_ORDER,
                    "order %s was %s by OVHcloud (status %s): no project will be delivered. See the order at %s; "
                    "rerun the task to place a new order" % (order_id, what, status, where),
                    order_id=order_id,
                )
            if status == "documentsRequested":
                raise WorkflowError(
                    Step.WAIT_FOR_ORDER,
                    "order %s waits for documents OVHcloud asked for (status documentsRequested): send them from the "
                    "Control Panel (Billing > Orders), then rerun the task; it follows this same order, it does not "
                    "order again" % order_id,
                    order_id=order_id,
                )
            if status == "checking":
                self._check_follow_up(order_id)
            if status not in KNOWN_ORDER_STATUSES:
                raise WorkflowError(
                    Step.WAIT_FOR_ORDER,
                    "order %s has status %r, which this version of the collection does not know (it knows %s). The "
                    "order was placed and will not be placed again: look at it in the Control Panel, rerun the task "
                    "to follow it, and if OVHcloud added this status, %s"
                    % (order_id, status, ", ".join(KNOWN_ORDER_STATUSES), UPGRADE_ADVICE),
                    order_id=order_id,
                )
            if status == "notPaid":
                if self.auto_pay is False:
                    return status
                not_paid_since = self.deadline.elapsed() if not_paid_since is None else not_paid_since
                if self.deadline.elapsed() - not_paid_since >= NOT_PAID_GRACE and not self._payment_started(order_id):
                    if self.auto_pay is None:
                        return status
                    raise WorkflowError(
                        Step.WAIT_FOR_ORDER,
                        "order %s is notPaid although auto_pay was requested: the account has no usable default payment "
                        "method. Pay the order in the Control Panel (or add a default payment method) and rerun: the module "
                        "will follow this order, not place another" % order_id,
                        order_id=order_id,
                    )
            if not self.deadline.sleep():
                raise self._timeout(order_id, status, "order not delivered")

    def _payment_started(self, order_id):
        """A notPaid order whose follow-up shows a payment under way (it may clear slowly): waited for, not failed."""
        return payment_shown(self._read(Step.READ_ORDER_FOLLOW_UP, self.reader.api.get, "/me/order/%s/followUp" % order_id))

    def _check_follow_up(self, order_id):
        """While the order is checked: a WorkflowError when OVHcloud's anti-fraud check holds or refused it."""
        now = self.deadline.elapsed()
        if self.follow_up_read_at is not None and now - self.follow_up_read_at < FOLLOW_UP_EVERY:
            return
        self.follow_up_read_at = now
        steps = self._read(Step.READ_ORDER_FOLLOW_UP, self.reader.api.get,
                           "/me/order/%s/followUp" % order_id) or []
        where = self.url or "the Control Panel (Billing > Orders)"
        for step in steps:
            labels = [entry.get("label") for entry in (step or {}).get("history") or []]
            if FRAUD_REFUSED in labels:
                raise WorkflowError(
                    Step.WAIT_FOR_ORDER,
                    "order %s was refused by OVHcloud's anti-fraud check (FRAUD_REFUSED): no project will be delivered. "
                    "See the order at %s and contact OVHcloud support; rerun the task only once the account may order "
                    "again (it will place a new order)" % (order_id, where), order_id=order_id)
            held = [label for label in labels if label in FRAUD_HOLD_LABELS]
            if held and (step or {}).get("status") == "DOING":
                raise WorkflowError(
                    Step.WAIT_FOR_ORDER,
                    "order %s is held by OVHcloud's anti-fraud check (%s): OVHcloud waits for you (documents or a manual "
                    "review) before delivering it. Act on the order at %s; it was placed and will not be placed again: "
                    "rerun the task afterwards, it follows this same order" % (order_id, held[-1], where),
                    order_id=order_id)

    def _wait_for_project(self, order_id):
        project_id = None
        while True:
            if project_id is None:
                project_id = self._read(Step.FIND_DELIVERED_PROJECT, self.reader.delivered_project_id, order_id)
            if project_id is not None:
                # 404 for a while after delivery (terraform-provider-ovh #1288): get() answers None then.
                project = self._read(Step.READ_PROJECT, self.projects.get, project_id)
                if project is not None and project.get("status") == "ok":
                    return project
                if project is not None and project.get("status") not in PROJECT_IN_PROGRESS:
                    raise unexpected_project_error(order_id, project)
                what = "project %s %s" % (project_id, "not visible yet" if project is None else project.get("status"))
            else:
                what = "delivered, project id not in the order yet"
            if not self.deadline.sleep():
                raise self._timeout(order_id, "delivered", what)


def unexpected_project_error(order_id, project):
    """A delivered project that is neither ok nor on its way: suspended, being deleted, or a status we do not know."""
    status = project.get("status")
    if status in KNOWN_PROJECT_STATUSES:
        text = "project %s delivered by order %s is %s, not ok" % (project.get("project_id"), order_id, status)
        advice = "Look at it in the Control Panel (a suspended project usually waits for a payment); rerun the task " \
                 "once it is ok: it reports the project, it does not order again"
    else:
        text = "%s; it was delivered by order %s" % (unknown_status_text(project), order_id)
        advice = "Nothing will be ordered again: look at it in the Control Panel, rerun the task, and if OVHcloud " \
                 "added this status, %s" % UPGRADE_ADVICE
    return WorkflowError(Step.WAIT_FOR_PROJECT, "%s. %s" % (text, advice), order_id=order_id,
                         project_id=project.get("project_id"))
