# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

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

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_absent
# LEASE, SETTLE, CHECKOUT_MARGIN, RENEW_AFTER, ELECTION_MAX_AGE, CONFIRM_TRIES: what each protects is said in _timing.py
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import (
    CHECKOUT_MARGIN,
    CONFIRM_TRIES,
    ELECTION_MAX_AGE,
    LEASE,
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
