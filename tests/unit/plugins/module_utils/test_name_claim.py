# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""NameClaim, the race guard: which cart comes first, settle time, lease left."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._name_claim import SETTLE, NameClaim, lease_end, parse_expire
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
