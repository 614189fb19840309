# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The API probe: measures, with free calls only, what the race guard assumes of the API.

It never checks out unless asked (``unpaid_order_checks``): then it checks out one cart without paying
(``autoPayWithPreferredPaymentMethod: false``: an order ``notPaid``, nothing charged), never pays that order, and
measures what only a checkout shows. Each check answers ``holds``, ``does not hold`` or ``could not tell``, with the seconds it measured where one applies.
docs/probe.md says how to run it against the real API and what each answer means.
"""

from __future__ import annotations

import datetime
import time
import uuid

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import OvhApi
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import ReadRetryPolicy
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._credentials import OvhClientFactory
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, OvhApiError, WorkflowError, is_absent, is_transient
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import EU_PLAN_CODE, US_PLAN_CODE
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._listing import EXPANDED_MODE, MODE_HEADER, NUMBER_HEADER, SIZE_HEADER
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import SETTLE, parse_expire
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._probe_carts import (
    PROBE_DESCRIPTION_PREFIX,
    ProbeCarts,
    ProbeInterrupted,
    deferred,
    expire_text,
    interruptible,
    uninterrupted,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import ORDER_SETTLE, PROBE_POLL_INTERVAL
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_project_id, check_subsidiary

HOLDS = "holds"
DOES_NOT_HOLD = "does not hold"
COULD_NOT_TELL = "could not tell"
OWN_CART_LISTED = "own_cart_listed"
OTHER_APPLICATION_CARTS_LISTED = "other_application_carts_listed"
SHORT_EXPIRE_HONOURED = "short_expire_honoured"
EXPIRED_CART_REFUSES_CHECKOUT = "expired_cart_refuses_checkout"
PRAGMA_NO_CACHE = "pragma_no_cache_bypasses_listing_cache"
CHECKED_OUT_CART_STAYS_LISTED = "checked_out_cart_stays_listed"
NEW_ORDER_LISTED_WITHIN_SETTLE = "new_order_listed_within_settle"
ASSUMPTIONS = (OWN_CART_LISTED, OTHER_APPLICATION_CARTS_LISTED, SHORT_EXPIRE_HONOURED, EXPIRED_CART_REFUSES_CHECKOUT, PRAGMA_NO_CACHE,
               CHECKED_OUT_CART_STAYS_LISTED, NEW_ORDER_LISTED_WITHIN_SETTLE)
# What only a checkout could show: without unpaid_order_checks the probe never checks out, so these answer could not
# tell, saying why, which option would measure them, and what the collection does when the assumption is false
# (docs/design.md, "Assumptions about the real API").
UNPAID_ORDER_CHECKS = "unpaid_order_checks"
ONLY_A_CHECKOUT = ("only a checkout could show it, and this probe checks out only with %s (one free checkout, an order "
                   "left unpaid: docs/probe.md)" % UNPAID_ORDER_CHECKS)
NEEDS_A_CHECKOUT = {
    CHECKED_OUT_CART_STAYS_LISTED: (
        "whether a checked-out cart stays listed (readOnly) by GET /order/cart?description=: %s. If it does not hold, a "
        "run that lists the carts after another run's checkout does not see that cart and the order listings decide; "
        "if they miss the order too, both runs check out and the payment rule pays one order (the lowest id), the other "
        "is left unpaid" % ONLY_A_CHECKOUT),
    NEW_ORDER_LISTED_WITHIN_SETTLE: (
        "whether a new order is listed by GET /me/order and GET /cloud/order within the order settle time (%.0f s): %s. "
        "If it does not hold and the race guard failed too, two runs can each place an order; the payment rule pays "
        "one order (the lowest id), the other is left unpaid" % (ORDER_SETTLE, ONLY_A_CHECKOUT)),
}
# The probe's item: the module's plan codes, duration and pricing mode when the cart offers them, else the first offered.
ITEM_PLAN_CODES = (EU_PLAN_CODE, US_PLAN_CODE)
ITEM_DURATION = "P1M"
ITEM_PRICING_MODE = "default"
# Seconds between two reads of a listing: the precision of the measured delays (_timing.py).
POLL_INTERVAL = PROBE_POLL_INTERVAL
# The listing cart lives this long past the listing wait: a probe killed with SIGKILL leaves it minutes at most.
CART_MARGIN = datetime.timedelta(seconds=120)
LISTING_PAGE_SIZE = 1000
OTHER_SECRET_OPTIONS = ("other_application_secret", "other_consumer_key")


class Assumption:
    """One answer of the probe."""

    def __init__(self, name, result, detail, seconds=None):
        self.name = name
        self.result = result
        self.detail = detail
        self.seconds = None if seconds is None else round(seconds, 1)

    def as_dict(self):
        return {"name": self.name, "result": self.result, "detail": self.detail, "seconds": self.seconds}

    def line(self):
        measured = " (%.1f s)" % self.seconds if self.seconds is not None else ""
        return "%s: %s%s - %s" % (self.name, self.result, measured, self.detail)


class Stopwatch:
    """Real time, or a fake one in tests."""

    def __init__(self, clock=time.monotonic, sleeper=time.sleep):
        self.clock = clock
        self.sleeper = sleeper

    def now(self):
        return self.clock()

    def sleep(self, seconds):
        if seconds > 0:
            self.sleeper(seconds)

    def poll(self, done, timeout, interval=POLL_INTERVAL):
        """Seconds until ``done()`` was first true (asked at once, then every ``interval``), or None past ``timeout``."""
        start = self.now()
        while True:
            if done():
                return self.now() - start
            left = timeout - (self.now() - start)
            if left <= 0:
                return None
            self.sleep(min(interval, left))


def _listed_ids(answer):
    """The ids of a listing of ids (``GET /order/cart``, ``GET /me/order``) or of objects (``GET /cloud/order``), as text."""
    ids = []
    for entry in answer if isinstance(answer, list) else []:
        ids.append(str(entry.get("orderId") if isinstance(entry, dict) else entry))
    return ids


def _settle_note(seconds):
    return "" if seconds <= SETTLE else "; later than the race guard's settle time (%.0f s)" % SETTLE


class CartListingCheck:
    """own_cart_listed and other_application_carts_listed: one cart made and assigned by application A, then
    ``GET /order/cart?description=`` asked by A and by B until each lists it, as the race guard's runs would."""

    def __init__(self, carts, api, other_api, server_now, stopwatch, listing_wait):
        self.carts = carts
        self.api = api
        self.other_api = other_api
        self.server_now = server_now
        self.stopwatch = stopwatch
        self.listing_wait = listing_wait

    def run(self):
        try:
            cart = self.carts.create(self.api, "listing", self.server_now() + datetime.timedelta(seconds=self.listing_wait) + CART_MARGIN)
        except OvhApiError as exc:
            detail = "creating and assigning a cart failed: %s" % exc
            other = self._without_other() or Assumption(OTHER_APPLICATION_CARTS_LISTED, COULD_NOT_TELL, detail)
            return [Assumption(OWN_CART_LISTED, COULD_NOT_TELL, detail), other]
        watchers = {OWN_CART_LISTED: self.api}
        if self.other_api is not None:
            watchers[OTHER_APPLICATION_CARTS_LISTED] = self.other_api
        seen, failed = {}, {}
        start = self.stopwatch.now()

        def all_answered():
            for name, api in watchers.items():
                if name in seen or name in failed:
                    continue
                try:
                    if cart.cart_id in [str(i) for i in api.get("/order/cart", description=cart.description) or []]:
                        seen[name] = self.stopwatch.now() - start
                except OvhApiError as exc:
                    failed[name] = exc
            return len(seen) + len(failed) == len(watchers)

        self.stopwatch.poll(all_answered, self.listing_wait)
        own = self._verdict(OWN_CART_LISTED, cart, seen, failed, "this application")
        return [own, self._other(cart, seen, failed)]

    def _verdict(self, name, cart, seen, failed, who):
        if name in failed:
            return Assumption(name, COULD_NOT_TELL, "GET /order/cart?description= failed for %s: %s" % (who, failed[name]))
        if name not in seen:
            return Assumption(name, DOES_NOT_HOLD, "cart %s was not listed for %s within listing_wait (%d s) of its assignment"
                              % (cart.cart_id, who, self.listing_wait))
        seconds = seen[name]
        result = HOLDS if seconds <= SETTLE else DOES_NOT_HOLD
        return Assumption(name, result, "cart %s listed for %s %.1f s after its assignment (listing read every %.0f s)%s"
                          % (cart.cart_id, who, seconds, POLL_INTERVAL, _settle_note(seconds)), seconds)

    def _without_other(self):
        if self.other_api is not None:
            return None
        return Assumption(OTHER_APPLICATION_CARTS_LISTED, COULD_NOT_TELL, "needs a second application of the account: set "
                          "other_application_key, other_application_secret and other_consumer_key")

    def _other(self, cart, seen, failed):
        if self.other_api is None:
            return self._without_other()
        verdict = self._verdict(OTHER_APPLICATION_CARTS_LISTED, cart, seen, failed, "the other application")
        if verdict.result == COULD_NOT_TELL:
            return verdict
        try:
            self.other_api.get(cart.path)
        except OvhApiError as exc:
            if not is_absent(exc):
                return Assumption(verdict.name, COULD_NOT_TELL, "%s; reading it as the other application failed: %s"
                                  % (verdict.detail, exc), verdict.seconds)
            return Assumption(verdict.name, DOES_NOT_HOLD, "%s; the other application's GET %s answered 404, so the race "
                              "guard could not read its expire" % (verdict.detail, cart.path), verdict.seconds)
        return verdict


def pick_offer(offers):
    """(planCode, duration, pricingMode, quantity) for the probe's item, from ``GET /order/cart/{cartId}/cloud``: the
    module's plan, duration and pricing mode when offered, else the first offered; None when no plan has a price."""
    choices = []
    for offer in offers if isinstance(offers, list) else []:
        if not isinstance(offer, dict) or not offer.get("planCode"):
            continue
        for price in offer.get("prices") or []:
            if isinstance(price, dict) and price.get("duration"):
                mode = price.get("pricingMode") or ITEM_PRICING_MODE
                rank = (offer["planCode"] not in ITEM_PLAN_CODES, price["duration"] != ITEM_DURATION, mode != ITEM_PRICING_MODE, len(choices))
                choices.append((rank, offer["planCode"], price["duration"], mode, price.get("minimumQuantity")))
    if not choices:
        return None
    dummy, plan_code, duration, mode, minimum = min(choices)
    try:
        quantity = max(1, int(minimum or 1))
    except (TypeError, ValueError):
        quantity = 1
    return plan_code, duration, mode, quantity


def add_project_item(api, cart):
    """One project item in ``cart``, described as the cart, as the collection fills its carts (free: nothing is ordered
    without a checkout); None, or why no item could be added. Raises the API's errors."""
    offer = pick_offer(api.get(cart.path + "/cloud"))
    if offer is None:
        return "GET %s/cloud offered no plan with a price, so no item could be added" % cart.path
    plan_code, duration, pricing_mode, quantity = offer
    item = api.post(cart.path + "/cloud", planCode=plan_code, duration=duration, pricingMode=pricing_mode, quantity=quantity)
    item_id = item.get("itemId") if isinstance(item, dict) else None
    if item_id is None:
        return "POST %s/cloud answered no itemId: %r" % (cart.path, item)
    api.post("%s/item/%s/configuration" % (cart.path, item_id), label="description", value=cart.description)
    return None


class ExpiredCheckoutCheck:
    """expired_cart_refuses_checkout: the short-lived cart gets a project item (free: nothing is ordered without a
    checkout) and its checkout summary is read (``GET /order/cart/{cartId}/checkout``, a read: prices and contracts)
    before its ``expire``, then again once the expire has passed. Never ``POST .../checkout``."""

    def __init__(self, api, server_now):
        self.api = api
        self.server_now = server_now
        self.problem = None  # why the summary before the expire tells nothing

    def prepare(self, cart):
        """Fill the cart and read its summary while it lives: a refusal after the expire then means the expire."""
        try:
            # as the collection fills its carts, so that the summary is served as it is for a real order
            self.problem = add_project_item(self.api, cart)
            if self.problem is not None:
                return
            self.api.get(cart.path + "/checkout")
        except OvhApiError as exc:
            self.problem = "adding the project item or reading the checkout summary before the expire failed: %s" % exc
            return
        if self.server_now() >= cart.expire:
            self.problem = ("the expire had passed when the checkout summary was first read (%.1f s after it): give a longer "
                            "expire_seconds" % (self.server_now() - cart.expire).total_seconds())

    def verdict(self, cart):
        if self.problem is not None:
            return Assumption(EXPIRED_CART_REFUSES_CHECKOUT, COULD_NOT_TELL, "%s; a refusal after the expire would tell "
                              "nothing" % self.problem)
        path = cart.path + "/checkout"
        try:
            summary = self.api.get(path)
            late = (self.server_now() - cart.expire).total_seconds()
        except OvhApiError as exc:
            late = (self.server_now() - cart.expire).total_seconds()
            if exc.status is None or not 400 <= exc.status < 500 or is_transient(exc):
                return Assumption(EXPIRED_CART_REFUSES_CHECKOUT, COULD_NOT_TELL, "reading GET %s after the expire failed: %s"
                                  % (path, exc))
            return Assumption(EXPIRED_CART_REFUSES_CHECKOUT, HOLDS, "the checkout summary, served before the cart's expire, "
                              "was refused %.1f s after it: %s" % (late, exc), late)
        total = ((summary if isinstance(summary, dict) else {}).get("prices") or {}).get("withTax")
        price = "" if not isinstance(total, dict) else " (withTax %s)" % total.get("text", total.get("value"))
        return Assumption(EXPIRED_CART_REFUSES_CHECKOUT, DOES_NOT_HOLD, "GET %s still served the checkout summary%s %.1f s "
                          "after the cart's expire: checkout of an expired cart may be accepted, so a run slower than its "
                          "lease could still order; the payment rule pays one order" % (path, price, late), late)


class ShortExpireCheck:
    """short_expire_honoured: a cart whose ``expire`` is ``expire_seconds`` away (API time) is gone soon after it; and,
    on the same cart, expired_cart_refuses_checkout (ExpiredCheckoutCheck)."""

    def __init__(self, carts, api, server_now, stopwatch, expire_seconds, grace):
        self.carts = carts
        self.api = api
        self.server_now = server_now
        self.stopwatch = stopwatch
        self.expire_seconds = expire_seconds
        self.grace = grace
        self.cart = None
        self.problem = None
        self.read_back = None
        self.checkout = ExpiredCheckoutCheck(api, server_now)

    def start(self):
        """Create the cart now, so that its wait overlaps the other checks; fill it and read its summary."""
        try:
            self.cart = self.carts.create(self.api, "expire", self.server_now() + datetime.timedelta(seconds=self.expire_seconds))
            self.read_back = (self.api.get(self.cart.path) or {}).get("expire")
        except OvhApiError as exc:
            self.problem = exc
        if self.cart is not None:
            self.checkout.prepare(self.cart)

    def finish(self):
        """[short_expire_honoured, expired_cart_refuses_checkout]."""
        if self.cart is None:
            detail = "creating and assigning a cart with an expire %d s away failed: %s" % (self.expire_seconds, self.problem)
            return [Assumption(SHORT_EXPIRE_HONOURED, COULD_NOT_TELL, detail), Assumption(EXPIRED_CART_REFUSES_CHECKOUT, COULD_NOT_TELL, detail)]
        expire, gone = self._expire()
        checkout = self.checkout.verdict(self.cart)
        if gone and checkout.result == HOLDS:
            self.carts.forget(self.cart)  # gone for good; otherwise it is deleted at the end (a 404 there is not left)
        return [expire, checkout]

    def _expire(self):
        """(short_expire_honoured, whether the cart was seen gone)."""
        asked = expire_text(self.cart.expire)
        if self.read_back is None:
            echo = "expire %s (reading the cart back failed: %s)" % (asked, self.problem)
        elif parse_expire(self.read_back) != self.cart.expire:
            echo = "expire %s read back as %s" % (asked, self.read_back)
        else:
            echo = "expire %s read back as sent" % asked
        gone = []
        try:
            self.stopwatch.sleep((self.cart.expire - self.server_now()).total_seconds())
            found = self.stopwatch.poll(lambda: self._gone(gone), self.grace)
        except OvhApiError as exc:
            return Assumption(SHORT_EXPIRE_HONOURED, COULD_NOT_TELL, "%s; reading the cart failed: %s" % (echo, exc)), False
        if found is None:
            return Assumption(SHORT_EXPIRE_HONOURED, DOES_NOT_HOLD, "%s; cart %s still there %d s after its expire (a killed "
                              "run would block its name that much longer)" % (echo, self.cart.cart_id, self.grace)), False
        late = max(0.0, (self.server_now() - self.cart.expire).total_seconds())
        return Assumption(SHORT_EXPIRE_HONOURED, HOLDS, "%s; cart %s gone %.1f s after its expire (%s)"
                          % (echo, self.cart.cart_id, late, gone[0]), late), True

    def _gone(self, how):
        try:
            self.api.get(self.cart.path)
        except OvhApiError as exc:
            if not is_absent(exc):
                raise
            how.append("GET %s answered 404" % self.cart.path)
            return True
        if self.cart.cart_id not in [str(i) for i in self.api.get("/order/cart", description=self.cart.description) or []]:
            how.append("no longer listed")
            return True
        return False


# How far back (API time) GET /me/order is asked for (date.from): the order is dated by the API a moment after this
# clock was read; the margin absorbs a clock read late.
ORDER_LISTING_MARGIN = datetime.timedelta(minutes=1)
UNPAID_ORDER_NOTE = "it costs nothing, the probe never pays it, and it expires by itself unpaid (or cancel it at its URL)"


class UnpaidOrderCheck:
    """checked_out_cart_stays_listed and new_order_listed_within_settle, with unpaid_order_checks only: one cart holding
    the project item (described as the cart, a probe description, never a project name) is checked out without paying
    (``autoPayWithPreferredPaymentMethod: false``, ``waiveRetractationPeriod: false``: an order ``notPaid``, nothing
    charged), as the collection checks out; the probe never pays it. Then: is the cart still listed by
    ``GET /order/cart?description=`` (and read back ``readOnly``), right after the checkout and once the orders were
    looked for; how long until ``GET /me/order`` and ``GET /cloud/order`` list the order. The checked-out cart is then
    deleted if the API lets it (a refusal is fine: it expires by itself)."""

    def __init__(self, carts, api, server_now, stopwatch, listing_wait):
        self.carts = carts
        self.api = api
        self.server_now = server_now
        self.stopwatch = stopwatch
        self.listing_wait = listing_wait
        # the orders wait at least the settle time: not listed within a shorter wait would tell nothing
        self.order_wait = max(float(listing_wait), ORDER_SETTLE)
        self.unpaid_orders = []

    def run(self):
        """[checked_out_cart_stays_listed, new_order_listed_within_settle]."""
        try:
            cart = self.carts.create(self.api, "checkout", self.server_now() + datetime.timedelta(seconds=self.listing_wait) + CART_MARGIN)
            problem = add_project_item(self.api, cart)
            listed_before = problem is None and self._cart_listed(cart)
        except OvhApiError as exc:
            return both_could_not_tell("creating the cart to check out or adding its project item failed: %s; nothing was ordered" % exc)
        if problem is not None:
            return both_could_not_tell("%s; nothing was ordered" % problem)
        since = self.server_now() - ORDER_LISTING_MARGIN
        with deferred():  # an interruption waits until the order is recorded
            order, failure = self._checkout(cart)
        if order is None:
            return both_could_not_tell(failure)
        checked_out_at = self.stopwatch.now()
        try:
            try:
                listed_at_once = self._cart_listed(cart)
            except OvhApiError as exc:
                listed_at_once = exc
            order_verdict = self._order_listed(order, since, checked_out_at)
            cart_verdict = self._cart_verdict(cart, listed_before, listed_at_once, checked_out_at)
        finally:
            self._delete(cart)
            read_order_url(self.api, order)
        return [cart_verdict, order_verdict]

    def _checkout(self, cart):
        """(the order placed, recorded at once, or None; why none). Checked out without paying, never paid; the
        checked-out cart is this check's to delete (the API may refuse: it is not counted left)."""
        try:
            answer = self.api.post(cart.path + "/checkout", autoPayWithPreferredPaymentMethod=False, waiveRetractationPeriod=False)
        except OvhApiError as exc:
            try:
                read_only = self._read_only_or_raise(cart)
            except OvhApiError as again:
                return None, ("POST %s/checkout failed (%s) and reading the cart failed too (%s): an unpaid order may have been "
                              "placed; look in the Control Panel (%s)" % (cart.path, exc, again, UNPAID_ORDER_NOTE))
            if not read_only:
                return None, "the checkout was refused: %s; the cart is not readOnly, so nothing was ordered" % exc
            self.carts.forget(cart)
            self.unpaid_orders.append({"order_id": None, "url": None, "cart_id": cart.cart_id, "cart_deleted": False})
            self._delete(cart)
            return None, ("POST %s/checkout failed (%s) but the cart is now readOnly: an unpaid order was placed whose id the "
                          "probe could not read; find it in the Control Panel (%s)" % (cart.path, exc, UNPAID_ORDER_NOTE))
        self.carts.forget(cart)
        answer = answer if isinstance(answer, dict) else {}
        order = {"order_id": answer.get("orderId"), "url": answer.get("url"), "cart_id": cart.cart_id, "cart_deleted": False}
        self.unpaid_orders.append(order)
        return order, None

    def _cart_listed(self, cart):
        return cart.cart_id in _listed_ids(self.api.get_fresh("/order/cart", description=cart.description))

    def _cart_verdict(self, cart, listed_before, listed_at_once, checked_out_at):
        """Listed before the checkout, right after it, and once the orders were looked for; read back readOnly."""
        if not listed_before:
            return Assumption(CHECKED_OUT_CART_STAYS_LISTED, COULD_NOT_TELL, "cart %s was not listed by GET /order/cart?description= "
                              "even before its checkout (see own_cart_listed)" % cart.cart_id)
        try:
            if isinstance(listed_at_once, OvhApiError):
                raise listed_at_once
            listed_later = self._cart_listed(cart)
            later = self.stopwatch.now() - checked_out_at
            read_only = self._read_only_or_raise(cart)
        except OvhApiError as exc:
            return Assumption(CHECKED_OUT_CART_STAYS_LISTED, COULD_NOT_TELL, "reading cart %s after its checkout failed: %s" % (cart.cart_id, exc))
        seen = "read back readOnly: %s" % ("404, gone" if read_only is None else str(read_only).lower())
        if listed_at_once and listed_later and read_only:
            return Assumption(CHECKED_OUT_CART_STAYS_LISTED, HOLDS, "cart %s, listed before its checkout, was still listed right after "
                              "it and %.1f s later (%s)" % (cart.cart_id, later, seen))
        if listed_at_once and listed_later:
            return Assumption(CHECKED_OUT_CART_STAYS_LISTED, COULD_NOT_TELL, "cart %s stayed listed after its checkout but was %s, "
                              "so the race guard would not take it for checked out" % (cart.cart_id, seen))
        when = "right after its checkout" if not listed_at_once else "%.1f s after its checkout" % later
        return Assumption(CHECKED_OUT_CART_STAYS_LISTED, DOES_NOT_HOLD, "cart %s, listed before its checkout, was no longer listed "
                          "by GET /order/cart?description= %s (%s): a run listing the carts after another run's checkout does "
                          "not see that cart, and the order listings decide" % (cart.cart_id, when, seen))

    def _read_only_or_raise(self, cart):
        """Whether the cart reads back readOnly; None when it is gone (404)."""
        try:
            return bool((self.api.get(cart.path) or {}).get("readOnly"))
        except OvhApiError as exc:
            if is_absent(exc):
                return None
            raise

    def _order_listed(self, order, since, checked_out_at):
        order_id = order["order_id"]
        if order_id is None:
            return Assumption(NEW_ORDER_LISTED_WITHIN_SETTLE, COULD_NOT_TELL, "the checkout answered no orderId, so the listings "
                              "could not be searched for it (%s)" % UNPAID_ORDER_NOTE)
        listings = {"GET /me/order": lambda: self.api.get_fresh("/me/order", **{"date.from": since.strftime("%Y-%m-%dT%H:%M:%SZ")}),
                    "GET /cloud/order": lambda: self.api.get_fresh("/cloud/order")}
        seen, failed = {}, {}

        def all_answered():
            for name, read in listings.items():
                if name in seen or name in failed:
                    continue
                try:
                    if str(order_id) in _listed_ids(read()):
                        seen[name] = self.stopwatch.now() - checked_out_at
                except OvhApiError as exc:
                    failed[name] = exc
            return len(seen) + len(failed) == len(listings)

        self.stopwatch.poll(all_answered, self.order_wait)
        times = ", ".join("%s after %.1f s" % (name, seen[name]) for name in listings if name in seen)
        listed = "order %s listed by %s" % (order_id, times) if seen else "order %s" % order_id
        if failed:
            name = sorted(failed)[0]
            return Assumption(NEW_ORDER_LISTED_WITHIN_SETTLE, COULD_NOT_TELL, "%s; %s failed: %s" % (listed, name, failed[name]))
        missing = [name for name in listings if name not in seen]
        if missing:
            return Assumption(NEW_ORDER_LISTED_WITHIN_SETTLE, DOES_NOT_HOLD, "%s%s not listed by %s within %.0f s of its checkout "
                              "(the order settle time is %.0f s; listings read every %.0f s): a run looking at the orders after "
                              "the settle time may miss another run's order; the payment rule pays one order (the lowest id)"
                              % (listed, ";" if seen else "", " nor ".join(missing), self.order_wait, ORDER_SETTLE, POLL_INTERVAL))
        seconds = max(seen.values())
        if seconds <= ORDER_SETTLE:
            return Assumption(NEW_ORDER_LISTED_WITHIN_SETTLE, HOLDS, "%s (listings read every %.0f s), within the order settle time "
                              "(%.0f s)" % (listed, POLL_INTERVAL, ORDER_SETTLE), seconds)
        return Assumption(NEW_ORDER_LISTED_WITHIN_SETTLE, DOES_NOT_HOLD, "%s (listings read every %.0f s): later than the order "
                          "settle time (%.0f s), so a run looking at the orders then may miss another run's order; the payment "
                          "rule pays one order (the lowest id)" % (listed, POLL_INTERVAL, ORDER_SETTLE), seconds)

    def _delete(self, cart):
        with uninterrupted():
            try:
                self.api.delete(cart.path)
            except OvhApiError as exc:
                self.unpaid_orders[-1]["cart_deleted"] = is_absent(exc)
                return
            self.unpaid_orders[-1]["cart_deleted"] = True


def read_order_url(api, order):
    """The order's URL as ``GET /me/order/{id}`` gives it (the checkout's answer's if that read fails)."""
    if order["order_id"] is None:
        return
    try:
        url = (api.get("/me/order/%s" % order["order_id"]) or {}).get("url")
    except OvhApiError:
        return
    if url:
        order["url"] = url


def both_could_not_tell(detail):
    """Neither assumption of UnpaidOrderCheck could be told, for ``detail``."""
    return [Assumption(CHECKED_OUT_CART_STAYS_LISTED, COULD_NOT_TELL, detail),
            Assumption(NEW_ORDER_LISTED_WITHIN_SETTLE, COULD_NOT_TELL, detail)]


def unpaid_order_line(order):
    """The printed line for an order the probe placed."""
    cart = "its cart %s %s" % (order["cart_id"], "was deleted" if order["cart_deleted"] else "expires by itself (the API kept it)")
    if order["order_id"] is None:
        return "unpaid order (id unknown, cart %s) placed by unpaid_order_checks: %s; find it in the Control Panel" % (order["cart_id"], UNPAID_ORDER_NOTE)
    return "unpaid order %s placed by unpaid_order_checks, %s: %s; %s" % (order["order_id"], order["url"] or "no URL read", UNPAID_ORDER_NOTE, cart)


class ListingCacheCheck:
    """pragma_no_cache_bypasses_listing_cache: change a project's description, read the expanded listing of
    ``GET /cloud/project`` without and with ``Pragma: no-cache``, then put the description back (always)."""

    def __init__(self, api, project_id, run_id, stopwatch, listing_wait):
        self.api = api
        self.project_id = project_id
        self.probe_description = PROBE_DESCRIPTION_PREFIX + run_id
        self.stopwatch = stopwatch
        self.listing_wait = listing_wait
        self.facts = {"plain_listing_stale": None, "pragma_listing_fresh": None, "description_restored": None}

    def run(self):
        if not self.project_id:
            return Assumption(PRAGMA_NO_CACHE, COULD_NOT_TELL, "needs project_id: a project whose description the probe may "
                              "change for a few seconds (it is put back)")
        path = "/cloud/project/%s" % self.project_id
        try:
            original = (self.api.get(path) or {}).get("description") or ""
            self._listed(pragma=False)  # the cache now holds the description before the change
        except OvhApiError as exc:
            return Assumption(PRAGMA_NO_CACHE, COULD_NOT_TELL, "reading project %s failed: %s" % (self.project_id, exc))
        self.facts["description_restored"] = False
        try:
            return self._measure(path)
        except OvhApiError as exc:
            return Assumption(PRAGMA_NO_CACHE, COULD_NOT_TELL, "changing or listing project %s failed: %s" % (self.project_id, exc))
        finally:
            self._restore(path, original)

    def _measure(self, path):
        """Two changes: after the first, how long the plain listing stays stale (a Pragma read could refresh the cache,
        so none is made yet); after the second, the plain listing and the Pragma one, read at once."""
        first, second = self.probe_description + "-1", self.probe_description + "-2"
        self.api.put(path, description=first)
        changed_at = self.stopwatch.now()
        fresh_at_once = self._listed(pragma=False) == first
        seconds = 0.0
        if not fresh_at_once:
            waited = self.stopwatch.poll(lambda: self._listed(pragma=False) == first, self.listing_wait)
            seconds = None if waited is None else self.stopwatch.now() - changed_at
        self.api.put(path, description=second)
        plain_fresh = self._listed(pragma=False) == second
        pragma_fresh = self._listed(pragma=True) == second
        stale = not (fresh_at_once and plain_fresh)
        self.facts.update(plain_listing_stale=stale, pragma_listing_fresh=pragma_fresh)
        if not stale:
            plain = "without it, the listing was fresh at once too (no cache seen)"
        elif seconds is None:
            plain = "without it, the listing was stale, still after listing_wait (%d s)" % self.listing_wait
        else:
            plain = "without it, the listing was stale, fresh %.1f s after the change" % seconds
        if pragma_fresh:
            return Assumption(PRAGMA_NO_CACHE, HOLDS, "with Pragma: no-cache the listing showed a changed description at "
                              "once; " + plain, seconds)
        return Assumption(PRAGMA_NO_CACHE, DOES_NOT_HOLD, "with Pragma: no-cache the listing still showed the description "
                          "before the change; " + plain, seconds)

    def _listed(self, pragma):
        """The project's description in the expanded listing (None: not listed)."""
        headers = {MODE_HEADER: EXPANDED_MODE, SIZE_HEADER: str(LISTING_PAGE_SIZE)}
        if pragma:
            headers["Pragma"] = "no-cache"
        number = 1
        while True:
            headers[NUMBER_HEADER] = str(number)
            page, dummy = self.api.get_with_headers("/cloud/project", headers)
            page = page if isinstance(page, list) else []
            for item in page:
                if isinstance(item, dict) and item.get("project_id") == self.project_id:
                    return item.get("description")
            if len(page) < LISTING_PAGE_SIZE:
                return None
            number += 1

    def _restore(self, path, original):
        with uninterrupted():
            try:
                self.api.put(path, description=original)
                self.facts["description_restored"] = True
            except OvhApiError:
                self.facts["description_restored"] = False


class ApiProbe:
    """Runs the checks (the short-expire wait overlapping the listing check; then, with unpaid_order_checks, the
    checkout, after the short-expire cart was measured so that it does not delay that measure), then deletes every
    cart it made."""

    def __init__(self, api, other_api, server_now, params, stopwatch=None, run_id=None):
        self.api = api
        self.other_api = other_api
        self.server_now = server_now
        self.params = params
        self.stopwatch = stopwatch or Stopwatch()
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.carts = ProbeCarts(params["subsidiary"], self.run_id)
        self.cache_check = ListingCacheCheck(api, params.get("project_id"), self.run_id, self.stopwatch, params["listing_wait"])
        self.unpaid = None
        if params.get(UNPAID_ORDER_CHECKS):
            self.unpaid = UnpaidOrderCheck(self.carts, api, server_now, self.stopwatch, params["listing_wait"])
        # without the checkout check, what only a checkout shows could not tell, saying why
        self.found = {} if self.unpaid is not None else dict((a.name, a) for a in needs_a_checkout())
        self.warnings = []

    def run(self):
        """The result; a WorkflowError (after the cleanup) when interrupted."""
        interrupted, left = None, None
        try:
            with interruptible():
                try:
                    self._checks()
                finally:
                    left, self.warnings = self.carts.delete_all()
        except ProbeInterrupted as exc:
            interrupted = exc
            if left is None:  # the signal came before the cleanup had started
                left, self.warnings = self.carts.delete_all()
        result = self.result(left)
        if interrupted is not None:
            unpaid = "".join("; %s" % unpaid_order_line(order) for order in result["unpaid_orders"])
            raise WorkflowError(Step.PROBE_API, "%s; the probe's carts were deleted%s%s" % (
                interrupted, "" if not left else " except %s" % ", ".join(left), unpaid), **result)
        return result

    def _checks(self):
        params = self.params
        expire = ShortExpireCheck(self.carts, self.api, self.server_now, self.stopwatch, params["expire_seconds"], params["listing_wait"])
        expire.start()
        listing = CartListingCheck(self.carts, self.api, self.other_api, self.server_now, self.stopwatch, params["listing_wait"])
        for assumption in listing.run() + expire.finish():
            self.found[assumption.name] = assumption
        if self.unpaid is not None:
            for assumption in self.unpaid.run():
                self.found[assumption.name] = assumption
        assumption = self.cache_check.run()
        self.found[assumption.name] = assumption

    def result(self, left):
        assumptions = [self.found.get(name) or Assumption(name, COULD_NOT_TELL, "not measured: the probe stopped first")
                       for name in ASSUMPTIONS]
        unpaid_orders = [dict(order) for order in self.unpaid.unpaid_orders] if self.unpaid is not None else []
        return {
            "probe_id": self.run_id,
            "assumptions": [a.as_dict() for a in assumptions],
            "lines": [a.line() for a in assumptions] + [unpaid_order_line(order) for order in unpaid_orders],
            "carts_created": list(self.carts.created),
            "carts_left": list(left),
            "listing_cache": dict(self.cache_check.facts),
            "unpaid_orders": unpaid_orders,
        }


def needs_a_checkout():
    """The assumptions only a checkout could show, without unpaid_order_checks: could not tell, saying why."""
    return [Assumption(name, COULD_NOT_TELL, detail) for name, detail in NEEDS_A_CHECKOUT.items()]


def check_probe_options(params, endpoint):
    check_subsidiary(params["subsidiary"], endpoint)
    check_project_id(params.get("project_id"))
    if not 1 <= params["listing_wait"] <= 600:
        raise InputError("listing_wait is %d; give 1 to 600 seconds" % params["listing_wait"])
    if not 1 <= params["expire_seconds"] <= 3600:
        raise InputError("expire_seconds is %d; give 1 to 3600 seconds" % params["expire_seconds"])


def other_application_api(module):
    """An OvhApi signed by the second application (same endpoint), or None when none is given."""
    params = module.params
    if not params.get("other_application_key"):
        return None
    for option in OTHER_SECRET_OPTIONS:
        module.add_secret(params.get(option))
    factory = OvhClientFactory(dict(params, application_key=params["other_application_key"],
                                    application_secret=params["other_application_secret"],
                                    consumer_key=params["other_consumer_key"], client_id=None, client_secret=None))
    return OvhApi(factory.create(), secrets=module.secrets(), read_retry=ReadRetryPolicy())  # as the module's own client


def check_mode_result(params=None):
    """No call: every assumption could not tell; without unpaid_order_checks, the two only a checkout shows say why."""
    unmeasured = {} if (params or {}).get(UNPAID_ORDER_CHECKS) else NEEDS_A_CHECKOUT
    assumptions = [Assumption(name, COULD_NOT_TELL, unmeasured.get(name, "check mode: no API call was made")) for name in ASSUMPTIONS]
    return {"probe_id": None, "assumptions": [a.as_dict() for a in assumptions], "lines": [a.line() for a in assumptions],
            "carts_created": [], "carts_left": [], "unpaid_orders": [],
            "listing_cache": {"plain_listing_stale": None, "pragma_listing_fresh": None, "description_restored": None}}


def probe_api(module):
    """The module's work: options checked, then the probe; ``changed`` only if something could not be put back, or an
    unpaid order was placed (unpaid_order_checks)."""
    check_probe_options(module.params, module.endpoint)
    if module.check_mode:
        return check_mode_result(module.params)
    probe = ApiProbe(module.api, other_application_api(module), module.server_now, module.params)
    try:
        result = probe.run()
    finally:
        for warning in probe.warnings:
            module.report.warn(warning)
    if result["listing_cache"]["description_restored"] is False:
        module.report.warn("the description of project %s could not be put back: set it again by hand" % module.params["project_id"])
    module.report.changed = (bool(result["carts_left"]) or result["listing_cache"]["description_restored"] is False
                             or bool(result["unpaid_orders"]))
    return result
