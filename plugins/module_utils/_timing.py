# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Every timing of the collection in one place: how long a run settles, polls, waits and retries, and why.

Seconds as floats unless a datetime.timedelta is needed (compared with API dates). The modules that use a value import
it from here under the same name; docs/design.md explains the race guard and the pay step these values protect.
"""

from __future__ import annotations

import datetime

# -- backoff: capped exponential intervals (_backoff.Backoff) ----------------------------------------------------------

# Polling an order or a project (Deadline.sleep): 0.5 s at first, growing by 1.6 up to 30 s. An order is usually
# delivered within a minute or two; past that, a poll every 30 s costs little against OVHcloud's rate limits.
POLL_INITIAL = 0.5
POLL_FACTOR = 1.6
POLL_CAP = 30.0
# Waiting for another run's order (a run that made way in the race guard): polled at most every 5 s, so that the run
# follows that order (or takes over from a dead run) within seconds.
WAIT_FOR_RUN_CAP = 5.0
# Waiting for the termination e-mail: 2 s growing to 15 s (terraform-provider-ovh polls the history about as often).
EMAIL_POLL_INITIAL = 2.0
EMAIL_POLL_CAP = 15.0
# Reads tried again after 5xx, 429 or no answer: 0.5 s, 1 s, 2 s... up to 10 s between tries (unless Retry-After asks
# otherwise): a short outage is bridged, a long one fails the run soon, which a rerun recovers from.
READ_INITIAL = 0.5
READ_FACTOR = 2.0
READ_CAP = 10.0

# -- retry budgets -----------------------------------------------------------------------------------------------------

# Transient failures of one read tried again at most this many times in a row.
READ_RETRIES = 3
# Seconds a run may spend, in all, waiting to read again after 5xx, 429 or dropped connections (outside following an
# order, which has wait_timeout for that).
READ_RETRY_BUDGET = 120
# Rounds of "announce, elect" a run goes through (another run that died, our cart expired) before it gives up.
MAX_ROUNDS = 10
# Listings of the carts right before checkout, while each came back slower than ELECTION_MAX_AGE.
CONFIRM_TRIES = 3

# -- the race guard (_race_guard.py; docs/design.md "Concurrent runs") -----------------------------------------------

# A cart is a lease: a run killed before checkout blocks the name at most this long (its cart then expires).
LEASE = datetime.timedelta(minutes=5)
# Between announcing and electing: more than the error of two runs' estimates of the API's clock (python-ovh measures
# it to the second: under 1 s each, plus the second-granularity of expire) plus the round trips.
SETTLE = 4.0
# A run checks out only with this much lease left beyond one call's timeout: its cart never expires mid-checkout.
CHECKOUT_MARGIN = datetime.timedelta(seconds=30)
# A cart's key (its expire) is computed before POST /order/cart; when creating and assigning it took longer than this,
# the lease is renewed (PUT expire) so that the key says when the cart became visible: a cart that other runs could
# not list yet never comes before the carts they saw.
RENEW_AFTER = datetime.timedelta(seconds=2)
# A listing of the carts is trusted for this many seconds (monotonic time, from when the call was sent): right before
# checkout the carts are listed again, and again while that listing came back slower than this.
ELECTION_MAX_AGE = 3.0
# A checked-out cart of the name is accounted for by a delivered order dated at most this long before the cart's
# announcement (the two dates come from clocks that may differ by a few seconds).
CLOCK_SLACK = datetime.timedelta(seconds=5)

# -- the pay step (_order_payment.py; docs/design.md "Paying only after checking") ------------------------------------

# Seconds between a checkout and the look at the orders for the name: the listings show an order a while after it
# was placed (UNVERIFIED how long: docs/design.md); a longer lag than this, together with a failed race guard, is the
# one way to pay twice.
ORDER_SETTLE = 6.0
# An order chosen for payment that another run placed is paid by this run once it is this old (API time) and its
# payment has not started: the run that placed it pays it within seconds of ORDER_SETTLE, unless it died.
PAY_GRACE = datetime.timedelta(seconds=30)
# Seconds between two looks at an order whose payment is due, while waiting for its grace to end.
PAY_POLL = 3.0

# -- following an order (_order_follower.py) ---------------------------------------------------------------------------

# An auto-paid order that is still notPaid after this many seconds was not paid (no usable payment method).
NOT_PAID_GRACE = 5.0
# GET /me/order/{id}/followUp is read while an order is checked at most this often, as OVHcloud's console does every
# 7 s (ovh/manager Public Cloud project creation, useAntiFraud).
FOLLOW_UP_EVERY = 7.0
# How far back /me/order is searched for a delivered order whose project is not visible yet (404 window), in hours:
# the orders of the last day (terraform-provider-ovh lost projects in this window and ordered again).
RECENT_ORDERS_HOURS = 24

# -- the API probe (_api_probe.py) -------------------------------------------------------------------------------------

# Seconds between two reads of a listing: the precision of the delays the probe measures.
PROBE_POLL_INTERVAL = 1.0


def utc_now():
    """This machine's clock, in UTC: what a workflow uses when it is given no server clock (OvhModule.server_now)."""
    return datetime.datetime.now(datetime.timezone.utc)
