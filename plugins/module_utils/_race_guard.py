# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The race guard: a run's claim on a project name, held by a cart, seen by every run that shares the account.

Runs on separate machines share nothing but the API. Each run that is about to order announces itself with a cart
described ``ovhcloud.public_cloud:<name>`` that lives LEASE (its ``expire``), waits SETTLE seconds, then lists the
account's carts with that description. Only the run whose cart comes first by (expire, cartId) orders; a checked-out
(read-only) cart always comes first. The others delete their carts and wait for that run's order, or for its cart to
vanish. docs/design.md ("Concurrent runs") gives the argument for why exactly one order results.
"""

from __future__ import annotations

import datetime
import time

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
# LEASE, SETTLE, CHECKOUT_MARGIN, RENEW_AFTER, ELECTION_MAX_AGE, CONFIRM_TRIES, CLOCK_SLACK, ORDER_SETTLE: what each protects is said in
# _timing.py
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import (
    CHECKOUT_MARGIN,
    CLOCK_SLACK,
    CONFIRM_TRIES,
    ELECTION_MAX_AGE,
    LEASE,
    ORDER_SETTLE,
    RENEW_AFTER,
    SETTLE,
)

CART_DESCRIPTION_PREFIX = "ovhcloud.public_cloud:"


def cart_description(name):
    """How a cart of this collection is recognised: prefix plus the project name."""
    return CART_DESCRIPTION_PREFIX + name


def lease_end(now):
    """The ``expire`` of a cart announced at API time ``now``, as the API takes it."""
    return (now + LEASE).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def parse_expire(text):
    """An API datetime (``2026-11-29T23:45:12+01:00``) as an aware datetime; None when absent or unreadable."""
    try:
        when = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


class ClaimingCart:
    """A cart of the collection for the name, as every run reads it."""

    def __init__(self, cart_id, expire, read_only):
        self.cart_id = cart_id
        self.expire = expire
        self.read_only = read_only

    @property
    def created(self):
        """When the cart was announced (or its lease last renewed), API time: its expire less the LEASE."""
        return self.expire - LEASE if self.expire is not None else None

    @property
    def key(self):
        """The order every run computes the same way: checked out first, then earliest expire, then cart id."""
        far = datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)
        return (not self.read_only, self.expire or far, self.cart_id)

    def __repr__(self):
        return "ClaimingCart(%s, %s, read_only=%s)" % (self.cart_id, self.expire, self.read_only)


class NameClaim:
    """Lists the carts claiming ``name`` and tells whether this run's cart comes first."""

    def __init__(self, api, name, server_now, clock=time.monotonic, sleeper=time.sleep):
        self.api = api
        self.name = name
        self.server_now = server_now
        self.clock = clock
        self.sleeper = sleeper
        self.cart_id = None
        self.expire = None
        self.announced_at = None

    def announced(self, cart):
        """Our cart exists and is assigned: its lease is renewed if that took long, then the settle time starts.
        Returns a warning text when the renewal was refused (the checks before checkout still hold), else None."""
        self.cart_id = cart["cartId"]
        self.expire = parse_expire(cart.get("expire"))
        warning = None
        if self.expire is not None and self.server_now() - (self.expire - LEASE) > RENEW_AFTER:
            warning = self._renew()
        self.announced_at = self.clock()
        return warning

    def _renew(self):
        expire = lease_end(self.server_now())
        try:
            renewed = self.api.put("/order/cart/%s" % self.cart_id, expire=expire)
        except OvhApiError as exc:
            return "cart %s: renewing its lease after a slow creation failed (%s); the carts are listed again before " \
                   "checkout all the same" % (self.cart_id, exc)
        self.expire = parse_expire((renewed or {}).get("expire") or expire)
        return None

    def claiming_carts(self):
        """Every live cart of the collection for the name (a cart gone between list and read is skipped)."""
        carts = []
        for cart_id in self.api.get_fresh("/order/cart", description=cart_description(self.name)) or []:
            try:
                cart = self.api.get("/order/cart/%s" % cart_id)
            except OvhApiError as exc:
                if is_absent(exc):
                    continue
                raise
            if (cart or {}).get("description") == cart_description(self.name):
                carts.append(ClaimingCart(cart_id, parse_expire(cart.get("expire")), bool(cart.get("readOnly"))))
        return carts

    def ahead_of_us(self):
        """After SETTLE: the carts that come before ours (empty: this run orders). Our cart must still be listed."""
        left = SETTLE - (self.clock() - self.announced_at)
        if left > 0:
            self.sleeper(left)
        carts = self.claiming_carts()
        ours = [c for c in carts if c.cart_id == self.cart_id]
        if not ours:
            return None  # our cart is gone (expired, or deleted by hand): announce again
        return [c for c in carts if c.key < ours[0].key]

    def confirm_first(self):
        """Right before checkout: list the carts again (a listing older than ELECTION_MAX_AGE is not trusted) and
        answer the carts that must go first: any cart ahead of ours, or any other cart already checked out. None when
        our cart is gone."""
        for dummy in range(CONFIRM_TRIES):
            sent = self.clock()
            carts = self.claiming_carts()
            ours = [c for c in carts if c.cart_id == self.cart_id]
            if not ours:
                return None
            ahead = [c for c in carts if c.cart_id != self.cart_id and (c.read_only or c.key < ours[0].key)]
            if ahead or self.clock() - sent <= ELECTION_MAX_AGE:
                return ahead
        return []  # the API stays slow: the payment rule after checkout still keeps one paid order

    def still_listed(self, carts):
        """The carts among ``carts`` that are still live."""
        live = set(c.cart_id for c in self.claiming_carts())
        return [c for c in carts if c.cart_id in live]

    def lease_left(self):
        if self.expire is None:
            return datetime.timedelta(0)
        return self.expire - self.server_now()

    def may_check_out(self, call_timeout):
        """Whether our lease outlasts one more call (the checkout) with a margin."""
        return self.lease_left() > datetime.timedelta(seconds=call_timeout) + CHECKOUT_MARGIN


class RoundLost(Exception):
    """This round of the race guard ended without an order to follow: look again from the start."""


class RaceGuard:
    """What this run does about the runs ahead of it for one name: go on when its cart comes first, else give way
    (its cart deleted) and wait for the orders of the run ahead. ``finder`` is the PendingOrderFinder of the name,
    ``waiting`` the Deadline of this run's waits for other runs, ``billing(order_id)`` an order's billing fields."""

    def __init__(self, claim, cart, finder, report, waiting, billing, wait_timeout):
        self.claim = claim
        self.cart = cart
        self.finder = finder
        self.report = report
        self.waiting = waiting
        self.billing = billing
        self.wait_timeout = wait_timeout

    def run_ahead(self):
        """The race guard: None when this run comes first; else the orders of the run ahead, once it placed them.
        RoundLost when the runs ahead vanished without an order (died before checkout), or our own cart did."""
        ahead = self.claim.ahead_of_us()
        if ahead is None:
            raise RoundLost("cart %s expired or was deleted before checkout: announced again" % self.cart.cart_id)
        ahead = self._not_settled(ahead)
        if not ahead:
            return None
        return self._wait_for_run_ahead(ahead)

    def confirm_first(self):
        """Right before checkout, the carts listed again: another cart ahead or checked out is given way to (its
        orders, once placed, are followed)."""
        ahead = self.claim.confirm_first()
        if ahead is None:
            raise RoundLost("cart %s expired or was deleted before checkout: announced again" % self.cart.cart_id)
        ahead = self._not_settled(ahead) if ahead else ahead
        if not ahead:
            return None
        self.report.warn("another run's cart for %r (%s) came first when the carts were listed again before checkout: "
                         "following that run" % (self.claim.name, ahead[0].cart_id))
        return self._wait_for_run_ahead(ahead)

    def _not_settled(self, ahead):
        """The carts ahead, less the checked-out ones whose order is done with the name: it delivered a project that
        was renamed or deleted since (an order for the name, seen delivered elsewhere, dated after the cart was
        announced). Such a cart stays listed until its lease ends, but no run behind it is ordering the name."""
        if not any(c.read_only for c in ahead):
            return ahead
        self.finder.all_for(self.claim.name)  # fills finder.delivered_elsewhere
        dates = [parse_expire(d if d is not None else self.billing(order_id).get("date"))
                 for order_id, d in self.finder.delivered_elsewhere.items()]
        dates = [d for d in dates if d is not None]
        settled = [c for c in ahead if c.read_only and c.created is not None
                   and any(d >= c.created - CLOCK_SLACK for d in dates)]
        return [c for c in ahead if c not in settled]

    def _wait_for_run_ahead(self, ahead):
        """Make way for the runs ahead (our cart deleted), then wait for their orders."""
        name = self.claim.name
        self.report.warn(self.cart.discard())  # make way; nothing of ours stays behind
        while True:
            found = self.finder.find(name, thorough=False)
            if found:
                return found
            if not self.claim.still_listed(ahead):
                # a cart that leaves the listing may have been checked out (some APIs unlist checked-out carts) and
                # its order not listed yet: the order listings get ORDER_SETTLE before the run ahead counts as dead
                found = self.finder.find(name)
                if not found and self.waiting.pause(ORDER_SETTLE):
                    found = self.finder.find(name)
                if found:
                    return found
                raise RoundLost("the run ordering %r before this one (cart %s) stopped without an order: looked again"
                                % (name, ahead[0].cart_id))
            if not self.waiting.sleep():
                raise WorkflowError(
                    Step.WAIT_FOR_ANOTHER_RUN,
                    "another run is ordering %r (cart %s, which expires by itself at %s if that run died); this run "
                    "waited wait_timeout (%ss) and ordered nothing. Rerun the task: it will follow that run's order, "
                    "or order if there is none" % (name, ahead[0].cart_id, ahead[0].expire, self.wait_timeout),
                )
