# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""NameClaim, the race guard: which cart comes first, settle time, lease left."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import (
    CONFIRM_TRIES,
    ELECTION_MAX_AGE,
    LEASE,
    RENEW_AFTER,
    SETTLE,
    NameClaim,
    lease_end,
    parse_expire,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import NOW, FakeApi, api_err

OURS = "cart-ours"
DESCRIPTION = "ovhcloud.public_cloud:team-a"


def cart(cart_id, expire, read_only=False, description=DESCRIPTION):
    return {"cartId": cart_id, "description": description, "expire": expire, "readOnly": read_only, "items": []}


def claim_with(others, ours_expire="2026-11-23T16:05:00+01:00", clock_now=100.0):
    """A claim whose cart was announced at clock 100; ``others``: {cart_id: answer of GET /order/cart/{id}}."""
    answers = {"GET /order/cart": [OURS] + list(others), "GET /order/cart/%s" % OURS: cart(OURS, ours_expire)}
    answers.update(("GET /order/cart/%s" % cart_id, answer) for cart_id, answer in others.items())
    api = FakeApi(answers)
    slept = []
    clock = [100.0]
    claim = NameClaim(api, "team-a", lambda: NOW, clock=lambda: clock[0], sleeper=slept.append)
    claim.announced(cart(OURS, ours_expire))
    clock[0] = clock_now
    return claim, api, slept


def test_alone_comes_first_after_the_settle_time():
    claim, api, slept = claim_with({}, clock_now=101.5)
    assert claim.ahead_of_us() == []
    assert slept == [SETTLE - 1.5]
    assert api.calls[0] == ("GET", "/order/cart", {"description": DESCRIPTION})


def test_no_sleep_when_the_settle_time_has_passed():
    claim, dummy, slept = claim_with({}, clock_now=200.0)
    assert claim.ahead_of_us() == []
    assert slept == []


@pytest.mark.parametrize("other, ahead", [
    (cart("cart-a", "2026-11-23T16:04:59+01:00"), True),   # earlier expire (Paris time of the API)
    (cart("cart-z", "2026-11-23T15:05:01+00:00"), False),  # later, written in UTC
    (cart("cart-a", "2026-11-23T15:05:00+00:00"), True),   # same instant: the smaller cart id first
    (cart("cart-z", "2026-11-23T15:05:00+00:00"), False),
    (cart("cart-z", "2026-11-23T15:09:00+00:00", read_only=True), True),  # checked out: always first
    (cart("cart-a", "2026-11-23T15:00:00+00:00", description="ovhcloud.public_cloud:other"), False),  # another name
    (api_err(404), False),  # gone between the listing and the read
])
def test_which_cart_comes_first(other, ahead):
    cart_id = other["cartId"] if isinstance(other, dict) else "cart-gone"
    claim, dummy, dummy = claim_with({cart_id: other})
    found = claim.ahead_of_us()
    assert [c.cart_id for c in found] == ([cart_id] if ahead else [])


def test_our_cart_gone_is_none():
    claim, api, dummy = claim_with({})
    api.answers["GET /order/cart"] = ["cart-x"]
    api.answers["GET /order/cart/cart-x"] = cart("cart-x", "2026-11-23T15:05:00+00:00")
    assert claim.ahead_of_us() is None


def test_other_errors_propagate():
    claim, dummy, dummy = claim_with({"cart-other": api_err(503)})
    with pytest.raises(Exception) as err:
        claim.ahead_of_us()
    assert getattr(err.value, "status", None) == 503


def test_lease_and_checkout_margin():
    claim, dummy, dummy = claim_with({}, ours_expire=lease_end(NOW))
    assert claim.lease_left() == datetime.timedelta(minutes=5)
    assert claim.may_check_out(60)
    assert not claim.may_check_out(280)


def test_parse_expire():
    assert parse_expire("2026-11-23T16:05:00+01:00") == datetime.datetime(2026, 11, 23, 15, 5, tzinfo=datetime.timezone.utc)
    assert parse_expire("2026-11-23T15:05:00").tzinfo == datetime.timezone.utc
    assert parse_expire(None) is None and parse_expire("soon") is None


# -- the lease renewed after a slow creation, and the carts listed again right before checkout ----------------------


def announced_at(server_now, expire, put=None):
    """A claim whose cart (``expire``, computed by the API clock before POST /order/cart) is announced when the API's
    clock says ``server_now``; ``put``: the answer of PUT /order/cart/{id}."""
    api = FakeApi({"PUT /order/cart/%s" % OURS: put if put is not None else (lambda body: cart(OURS, body["expire"]))})
    claim = NameClaim(api, "team-a", lambda: server_now, clock=lambda: 100.0, sleeper=lambda seconds: None)
    return claim, api, claim.announced(cart(OURS, expire))


def test_a_quick_creation_keeps_its_lease():
    for seconds in (0, RENEW_AFTER.total_seconds()):
        claim, api, warning = announced_at(NOW + datetime.timedelta(seconds=seconds), lease_end(NOW))
        assert warning is None
        assert api.calls == []
        assert claim.expire == NOW + LEASE


def test_a_slow_creation_renews_the_lease_from_now():
    now = NOW + RENEW_AFTER + datetime.timedelta(seconds=1)
    claim, api, warning = announced_at(now, lease_end(NOW))
    assert warning is None
    assert api.calls == [("PUT", "/order/cart/%s" % OURS, {"expire": lease_end(now)})]
    assert claim.expire == now + LEASE
    assert claim.cart_id == OURS and claim.announced_at == 100.0


def test_a_refused_renewal_is_a_warning_and_keeps_the_old_lease():
    now = NOW + datetime.timedelta(seconds=5)
    claim, api, warning = announced_at(now, lease_end(NOW), put=api_err(400, method="PUT", message="Invalid expire"))
    assert "cart %s: renewing its lease after a slow creation failed" % OURS in warning
    assert "Invalid expire" in warning
    assert api.count("PUT /order/cart/%s" % OURS) == 1
    assert claim.expire == NOW + LEASE
    assert claim.announced_at == 100.0  # announced all the same


def confirming(listings, carts, durations=None):
    """A claim on our cart (expire 15:05 UTC) whose listings of the carts answer ``listings`` in turn, each taking
    ``durations`` seconds of the monotonic clock (0 by default)."""
    durations = list(durations or [])
    clock = [100.0]

    def listing(query):
        clock[0] += durations.pop(0) if durations else 0.0
        return listings.pop(0) if len(listings) > 1 else listings[0]

    answers = {"GET /order/cart": listing, "GET /order/cart/%s" % OURS: cart(OURS, "2026-11-23T15:05:00+00:00")}
    answers.update(("GET /order/cart/%s" % cart_id, answer) for cart_id, answer in carts.items())
    api = FakeApi(answers)
    claim = NameClaim(api, "team-a", lambda: NOW, clock=lambda: clock[0], sleeper=lambda seconds: None)
    claim.announced(cart(OURS, "2026-11-23T15:05:00+00:00"))
    return claim, api


def test_confirm_first_alone_is_an_empty_list():
    claim, api = confirming([[OURS]], {})
    assert claim.confirm_first() == []
    assert api.keys() == ["GET /order/cart", "GET /order/cart/%s" % OURS]
    assert api.fresh == ["/order/cart"]  # listed past the API's cache


def test_confirm_first_gives_way_to_a_read_only_cart_even_a_later_one():
    later = cart("cart-z", "2026-11-23T15:09:00+00:00", read_only=True)
    claim, api = confirming([[OURS, "cart-z"]], {"cart-z": later})
    assert [c.cart_id for c in claim.confirm_first()] == ["cart-z"]
    assert api.writes() == []


def test_confirm_first_gives_way_to_a_cart_ahead():
    claim, dummy = confirming([[OURS, "cart-a"]], {"cart-a": cart("cart-a", "2026-11-23T15:04:00+00:00")})
    assert [c.cart_id for c in claim.confirm_first()] == ["cart-a"]


def test_confirm_first_ignores_a_later_open_cart():
    claim, dummy = confirming([[OURS, "cart-z"]], {"cart-z": cart("cart-z", "2026-11-23T15:06:00+00:00")})
    assert claim.confirm_first() == []


def test_confirm_first_our_cart_gone_is_none():
    claim, dummy = confirming([["cart-z"]], {"cart-z": cart("cart-z", "2026-11-23T15:06:00+00:00")})
    assert claim.confirm_first() is None


def test_confirm_first_lists_again_after_a_slow_listing():
    slow = ELECTION_MAX_AGE + 0.5
    later = cart("cart-z", "2026-11-23T15:09:00+00:00", read_only=True)
    claim, api = confirming([[OURS], [OURS, "cart-z"]], {"cart-z": later}, durations=[slow, 0.1])
    assert [c.cart_id for c in claim.confirm_first()] == ["cart-z"]  # seen by the second, quick listing
    assert api.count("GET /order/cart") == 2


def test_confirm_first_gives_up_listing_after_confirm_tries():
    claim, api = confirming([[OURS]], {}, durations=[ELECTION_MAX_AGE + 1] * 10)
    assert claim.confirm_first() == []
    assert api.count("GET /order/cart") == CONFIRM_TRIES


def test_confirm_first_a_listing_just_within_the_max_age_is_trusted():
    claim, api = confirming([[OURS]], {}, durations=[ELECTION_MAX_AGE])
    assert claim.confirm_first() == []
    assert api.count("GET /order/cart") == 1
