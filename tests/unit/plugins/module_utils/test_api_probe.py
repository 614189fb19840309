# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The API probe: each assumption's verdict and measured seconds, on a fake API and a fake clock; every cart deleted."""

from __future__ import annotations

import datetime
import os
import signal

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api_probe import (
    ASSUMPTIONS,
    COULD_NOT_TELL,
    DOES_NOT_HOLD,
    HOLDS,
    ApiProbe,
    Assumption,
    Stopwatch,
    check_mode_result,
    check_probe_options,
    pick_offer,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import Endpoint
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._probe_carts import (
    PROBE_DESCRIPTION_PREFIX,
    ProbeInterrupted,
    interruptible,
    uninterrupted,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import NOW, PID, FakeApi, Page, Seq, api_err

RUN = "run1"
LISTING = PROBE_DESCRIPTION_PREFIX + RUN + "-listing"
EXPIRE = PROBE_DESCRIPTION_PREFIX + RUN + "-expire"
PARAMS = {"subsidiary": "FR", "listing_wait": 10, "expire_seconds": 5, "project_id": None}


class FakeTime:
    """A Stopwatch clock: sleeping advances it; the API's clock is NOW plus it."""

    def __init__(self):
        self.now = 0.0

    def sleep(self, seconds):
        self.now += seconds

    def stopwatch(self):
        return Stopwatch(clock=lambda: self.now, sleeper=self.sleep)

    def server_now(self):
        return NOW + datetime.timedelta(seconds=self.now, microseconds=300000)


OFFERS = [{"planCode": "project.2018", "prices": [{"duration": "P1M", "pricingMode": "default", "minimumQuantity": 1}]}]
SUMMARY = {"orderId": None, "prices": {"withTax": {"currencyCode": "EUR", "text": "0.00 \u20ac", "value": 0.0}}, "details": []}


ORDER_ID = 4242
ORDER_URL = "https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=4242&orderPassword=abcd"
CHECKOUT = PROBE_DESCRIPTION_PREFIX + RUN + "-checkout"


class Account:
    """The carts of one account as two applications see them: ``lag`` seconds before the other application lists a
    cart, ``other_reads`` whether it may read it, ``expire_honoured`` whether a cart is gone ``expire_lag`` seconds after
    its expire, ``expired_checkout`` whether the checkout summary of an expired cart is still served; a checked-out cart
    leaves the listing if ``checked_out_unlisted``, and a new order is listed ``order_lag`` seconds after its checkout."""

    def __init__(self, time, lag=0.0, own_lag=0.0, other_reads=True, expire_honoured=True, expire_lag=0.0, expired_checkout=False,
                 checked_out_unlisted=False, order_lag=0.0):
        self.time = time
        self.checked_out_unlisted = checked_out_unlisted
        self.order_lag = order_lag
        self.orders = {}  # id -> seconds (fake time) of its checkout
        self.lag = lag
        self.own_lag = own_lag
        self.other_reads = other_reads
        self.expire_honoured = expire_honoured
        self.expire_lag = datetime.timedelta(seconds=expire_lag)
        self.expired_checkout = expired_checkout
        self.carts = {}  # id -> {description, expire, assigned_at, items}

    def live(self, cart_id):
        cart = self.carts.get(cart_id)
        if cart is None:
            return None
        if self.expire_honoured and cart["expire"] + self.expire_lag <= self.time.server_now():
            return None
        return cart

    def api(self, other=False):
        def create(body):
            cart_id = "cart-" + body["description"].rsplit("-", 1)[1]
            expire = datetime.datetime.fromisoformat(body["expire"])
            self.carts[cart_id] = {"description": body["description"], "expire": expire, "assigned_at": None, "items": {}}
            return {"cartId": cart_id, "description": body["description"], "expire": body["expire"], "readOnly": False}

        def listing(query):
            lag = self.lag if other else self.own_lag
            return [cart_id for cart_id in self.carts
                    if self.live(cart_id) and self.carts[cart_id]["description"] == query["description"]
                    and self.time.now >= self.carts[cart_id]["assigned_at"] + lag
                    and not (self.carts[cart_id].get("read_only") and self.checked_out_unlisted)]

        answers = {"POST /order/cart": create, "GET /order/cart": listing}
        for cart_id in ("cart-listing", "cart-expire", "cart-checkout"):
            path = "/order/cart/" + cart_id
            answers["POST %s/assign" % path] = self._assign(cart_id)
            answers["GET " + path] = self._read(cart_id, other)
            answers["DELETE " + path] = self._delete(cart_id)
        path = "/order/cart/cart-expire"
        answers["GET %s/cloud" % path] = OFFERS
        answers["POST %s/cloud" % path] = self._add_item("cart-expire")
        answers["POST %s/item/1/configuration" % path] = self._configure("cart-expire")
        answers["GET %s/checkout" % path] = self._summary("cart-expire")
        path = "/order/cart/cart-checkout"
        answers["GET %s/cloud" % path] = OFFERS
        answers["POST %s/cloud" % path] = self._add_item("cart-checkout")
        answers["POST %s/item/1/configuration" % path] = self._configure("cart-checkout")
        answers["POST %s/checkout" % path] = self._checkout("cart-checkout")
        answers["GET /me/order"] = lambda query: list(self._listed_orders())
        answers["GET /cloud/order"] = lambda query: [{"orderId": i, "planCode": "project.2018", "status": "unpaid"} for i in self._listed_orders()]
        answers["GET /me/order/%d" % ORDER_ID] = {"orderId": ORDER_ID, "url": ORDER_URL}
        return FakeApi(answers)

    def _listed_orders(self):
        return [i for i, at in self.orders.items() if self.time.now >= at + self.order_lag]

    def _checkout(self, cart_id):
        def checkout(body):
            cart = self.carts[cart_id]
            if cart.get("read_only"):
                return api_err(403, method="POST", message="already validated")
            cart["read_only"] = True
            self.orders[ORDER_ID] = self.time.now
            return {"orderId": ORDER_ID, "url": ORDER_URL.replace("abcd", "from-checkout"), "prices": SUMMARY["prices"]}
        return checkout

    def _add_item(self, cart_id):
        def add(body):
            if self.live(cart_id) is None:
                return api_err(404, method="POST")
            self.carts[cart_id]["items"][1] = dict(body, configuration={})
            return {"itemId": 1, "cartId": cart_id}
        return add

    def _configure(self, cart_id):
        def configure(body):
            self.carts[cart_id]["items"][1]["configuration"][body["label"]] = body["value"]
            return {"id": 7, "label": body["label"], "value": body["value"]}
        return configure

    def _summary(self, cart_id):
        def summary(dummy):
            cart = self.carts.get(cart_id)
            if cart is None or (self.live(cart_id) is None and not self.expired_checkout):
                return api_err(404, path="/order/cart/%s/checkout" % cart_id, message="The requested object (cartId = %s) does not exist" % cart_id)
            if not cart["items"]:
                return api_err(400, message="Cart %s is empty" % cart_id)
            return SUMMARY
        return summary

    def _assign(self, cart_id):
        def assign(dummy):
            self.carts[cart_id]["assigned_at"] = self.time.now
        return assign

    def _read(self, cart_id, other):
        def read(dummy):
            cart = self.live(cart_id)
            if cart is None or (other and not self.other_reads):
                return api_err(404)
            return {"cartId": cart_id, "description": cart["description"], "readOnly": cart.get("read_only", False),
                    "expire": cart["expire"].astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat()}
        return read

    def _delete(self, cart_id):
        def delete(dummy):
            if self.live(cart_id) is None:
                return api_err(404)
            if self.carts[cart_id].get("read_only"):
                return api_err(403, method="DELETE", message="Cart %s has already been validated (readOnly)" % cart_id)
            del self.carts[cart_id]
        return delete


def probe(account, time, other=True, params=None, api=None, extra=None):
    own = api or account.api()
    own.answers.update(extra or {})
    other_api = account.api(other=True) if other else None
    found = ApiProbe(own, other_api, time.server_now, dict(PARAMS, **(params or {})), stopwatch=time.stopwatch(), run_id=RUN)
    return found, own, other_api


def verdicts(result):
    return dict((a["name"], (a["result"], a["seconds"])) for a in result["assumptions"])


def assert_nothing_left(account, result, *apis):
    assert result["carts_left"] == []
    assert not [c for c in account.carts if account.live(c)]
    for api in apis:
        # never a checkout; the only item is the project added to the short-lived cart, to read its checkout summary
        assert not [c for c in api.calls if c[0] == "POST" and c[1].endswith("/checkout")]
        assert not [c for c in api.writes() if ("/item" in c[1] or c[1].endswith("/cloud")) and not c[1].startswith("/order/cart/cart-expire/")]


def test_everything_holds_and_every_cart_is_deleted():
    time = FakeTime()
    account = Account(time, lag=2.0, expire_lag=1.5)
    found, own, other = probe(account, time)
    result = found.run()
    assert verdicts(result) == {
        "own_cart_listed": (HOLDS, 0.0),
        "other_application_carts_listed": (HOLDS, 2.0),
        "short_expire_honoured": (HOLDS, 2.0),
        "expired_cart_refuses_checkout": (HOLDS, 2.0),
        "pragma_no_cache_bypasses_listing_cache": (COULD_NOT_TELL, None),
        "checked_out_cart_stays_listed": (COULD_NOT_TELL, None),
        "new_order_listed_within_settle": (COULD_NOT_TELL, None),
    }
    assert [a["name"] for a in result["assumptions"]] == list(ASSUMPTIONS)
    assert result["carts_created"] == ["cart-expire", "cart-listing"]
    assert_nothing_left(account, result, own, other)
    # cart descriptions never use the race guard's prefix; each cart expires soon
    creations = [c[2] for c in own.calls if c[:2] == ("POST", "/order/cart")]
    assert [c["description"] for c in creations] == [EXPIRE, LISTING]
    assert creations[0]["expire"] == "2026-11-23T15:00:05+00:00" and creations[1]["expire"] == "2026-11-23T15:02:10+00:00"
    assert other.writes() == []
    # the short-lived cart got the project item, described, and its summary was read before and after its expire
    assert [c for c in own.writes() if c[1].startswith("/order/cart/cart-expire/")] == [
        ("POST", "/order/cart/cart-expire/assign", {}),
        ("POST", "/order/cart/cart-expire/cloud", {"planCode": "project.2018", "duration": "P1M", "pricingMode": "default", "quantity": 1}),
        ("POST", "/order/cart/cart-expire/item/1/configuration", {"label": "description", "value": EXPIRE}),
    ]
    assert own.count("GET /order/cart/cart-expire/checkout") == 2
    assert "was refused 2.0 s after it: GET /order/cart/cart-expire/checkout failed" in result["assumptions"][3]["detail"]
    assert result["lines"][1] == ("other_application_carts_listed: holds (2.0 s) - cart cart-listing listed for the other "
                                  "application 2.0 s after its assignment (listing read every 1 s)")


def test_a_listing_later_than_the_settle_time_or_never_does_not_hold():
    time = FakeTime()
    account = Account(time, lag=6.0, own_lag=60.0)
    result = probe(account, time)[0].run()
    assert verdicts(result)["own_cart_listed"] == (DOES_NOT_HOLD, None)
    assert verdicts(result)["other_application_carts_listed"] == (DOES_NOT_HOLD, 6.0)
    assert "later than the race guard's settle time (4 s)" in result["assumptions"][1]["detail"]
    assert "not listed for this application within listing_wait (10 s)" in result["assumptions"][0]["detail"]
    assert result["carts_left"] == []


def test_a_cart_the_other_application_cannot_read_does_not_hold():
    time = FakeTime()
    account = Account(time, other_reads=False)
    result = probe(account, time)[0].run()
    assert verdicts(result)["other_application_carts_listed"] == (DOES_NOT_HOLD, 0.0)
    assert "answered 404" in result["assumptions"][1]["detail"]


def test_an_ignored_expire_does_not_hold_and_the_cart_is_deleted():
    time = FakeTime()
    account = Account(time, expire_honoured=False)
    found, own, dummy = probe(account, time)
    result = found.run()
    assert verdicts(result)["short_expire_honoured"] == (DOES_NOT_HOLD, None)
    assert "still there 10 s after its expire" in result["assumptions"][2]["detail"]
    assert verdicts(result)["expired_cart_refuses_checkout"][0] == DOES_NOT_HOLD  # the cart lives on: its summary is served
    assert ("DELETE", "/order/cart/cart-expire", {}) in own.calls
    assert result["carts_left"] == [] and account.carts == {}


def test_an_expired_cart_whose_checkout_summary_is_served_does_not_hold_and_is_deleted():
    time = FakeTime()
    account = Account(time, expire_lag=1.0, expired_checkout=True)
    found, own, other = probe(account, time)
    result = found.run()
    assert verdicts(result)["short_expire_honoured"] == (HOLDS, 1.0)
    assert verdicts(result)["expired_cart_refuses_checkout"] == (DOES_NOT_HOLD, 1.0)
    assert result["lines"][3] == ("expired_cart_refuses_checkout: does not hold (1.0 s) - GET /order/cart/cart-expire/checkout still "
                                  "served the checkout summary (withTax 0.00 \u20ac) 1.0 s after the cart's expire: checkout of an "
                                  "expired cart may be accepted, so a run slower than its lease could still order; the payment rule "
                                  "pays one order")
    assert ("DELETE", "/order/cart/cart-expire", {}) in own.calls  # tried: the API may still hold it (404 here: not left)
    assert_nothing_left(account, result, own, other)


@pytest.mark.parametrize("answers, detail", [
    ({"GET /order/cart/cart-expire/cloud": []}, "GET /order/cart/cart-expire/cloud offered no plan with a price"),
    ({"GET /order/cart/cart-expire/checkout": api_err(403, message="quota reached")}, "reading the checkout summary before the expire "
     "failed: GET /x failed: quota reached (HTTP 403"),
    ({"POST /order/cart/cart-expire/cloud": {"cartId": "cart-expire"}}, "answered no itemId"),
])
def test_a_summary_refused_before_the_expire_could_not_tell(answers, detail):
    time = FakeTime()
    account = Account(time)
    found, own, other = probe(account, time, extra=answers)
    result = found.run()
    assert verdicts(result)["short_expire_honoured"][0] == HOLDS
    assert verdicts(result)["expired_cart_refuses_checkout"] == (COULD_NOT_TELL, None)
    assert detail in result["assumptions"][3]["detail"] and "a refusal after the expire would tell nothing" in result["assumptions"][3]["detail"]
    assert_nothing_left(account, result, own, other)


def test_a_summary_first_read_after_the_expire_could_not_tell():
    time = FakeTime()
    account = Account(time)
    summary = account.api().answers["GET /order/cart/cart-expire/checkout"]

    def slow(dummy):
        time.now += 6.0  # the API took longer than expire_seconds to answer
        return SUMMARY

    result = probe(account, time, extra={"GET /order/cart/cart-expire/checkout": Seq(slow, summary)})[0].run()
    assert verdicts(result)["expired_cart_refuses_checkout"] == (COULD_NOT_TELL, None)
    assert "the expire had passed when the checkout summary was first read (1.3 s after it): give a longer expire_seconds" in result["lines"][3]


def test_a_failing_summary_after_the_expire_could_not_tell():
    time = FakeTime()
    account = Account(time)
    summary = account.api().answers["GET /order/cart/cart-expire/checkout"]
    result = probe(account, time, extra={"GET /order/cart/cart-expire/checkout": Seq(summary, api_err(503), api_err(429))})[0].run()
    assert verdicts(result)["expired_cart_refuses_checkout"] == (COULD_NOT_TELL, None)
    assert "after the expire failed: GET /x failed: boom (HTTP 503" in result["lines"][3]
    assert result["carts_left"] == []


def test_what_only_a_checkout_could_show_could_not_tell_with_why_and_what_then():
    time = FakeTime()
    account = Account(time)
    found, own, dummy = probe(account, time)
    result = found.run()
    for index, name in ((5, "checked_out_cart_stays_listed"), (6, "new_order_listed_within_settle")):
        assert result["assumptions"][index]["name"] == name and result["assumptions"][index]["result"] == COULD_NOT_TELL
        detail = result["assumptions"][index]["detail"]
        assert "only a checkout could show it, and this probe checks out only with unpaid_order_checks" in detail
        assert "the payment rule pays one order (the lowest id)" in detail
    assert "within the order settle time (6 s)" in result["lines"][6]
    assert not [c for c in own.calls if c[1] in ("/me/order", "/cloud/order")]


def test_the_item_is_the_modules_plan_when_offered():
    offers = [{"planCode": "other", "prices": [{"duration": "P1M", "pricingMode": "default"}]},
              {"planCode": "project.2018", "prices": [{"duration": "P1Y", "pricingMode": "upfront12"},
                                                      {"duration": "P1M", "pricingMode": "default", "minimumQuantity": 1}]}]
    assert pick_offer(offers) == ("project.2018", "P1M", "default", 1)
    assert pick_offer([{"planCode": "x", "prices": [{"duration": "P1Y", "minimumQuantity": "2"}]}]) == ("x", "P1Y", "default", 2)
    assert pick_offer([{"planCode": "x", "prices": []}, "junk"]) is None and pick_offer(None) is None


def test_without_a_second_application_or_a_project_it_could_not_tell():
    time = FakeTime()
    account = Account(time)
    result = probe(account, time, other=False)[0].run()
    assert verdicts(result)["other_application_carts_listed"] == (COULD_NOT_TELL, None)
    assert "other_application_key" in result["assumptions"][1]["detail"]
    assert "needs project_id" in result["assumptions"][4]["detail"]
    assert result["listing_cache"] == {"plain_listing_stale": None, "pragma_listing_fresh": None, "description_restored": None}


def test_a_refused_cart_could_not_tell_and_leaves_nothing():
    time = FakeTime()
    account = Account(time)
    refused = api_err(403, method="POST", path="/order/cart", message="This call has not been granted")
    result = probe(account, time, extra={"POST /order/cart": refused})[0].run()
    assert [v[0] for v in verdicts(result).values()] == [COULD_NOT_TELL] * 7
    assert "This call has not been granted" in result["assumptions"][0]["detail"]
    assert result["carts_created"] == [] and result["carts_left"] == []


def test_a_cart_that_cannot_be_deleted_is_reported_left_with_a_warning():
    time = FakeTime()
    account = Account(time)
    found, own, dummy = probe(account, time, extra={"DELETE /order/cart/cart-listing": api_err(500, method="DELETE")})
    result = found.run()
    assert result["carts_left"] == ["cart-listing"]
    assert found.warnings and "expires by itself at 2026-11-23T15:02:10+00:00" in found.warnings[0]


def project_listing(time, state, cache_seconds):
    """The expanded listing of /cloud/project: a snapshot refreshed every ``cache_seconds`` unless Pragma: no-cache."""
    snapshot = {}

    def listing(headers):
        assert headers["X-Pagination-Mode"] == "CachedObjectList-Pages"
        if headers.get("Pragma") == "no-cache":  # fresh, and the snapshot too
            snapshot.update(at=time.now, description=state["description"])
            return Page([{"project_id": PID, "description": state["description"]}])
        if not snapshot or time.now - snapshot["at"] >= cache_seconds:
            snapshot.update(at=time.now, description=state["description"])
        return Page([{"project_id": "other", "description": "x"}, {"project_id": PID, "description": snapshot["description"]}])

    def put(body):
        state["description"] = body["description"]

    return {"GET /cloud/project": listing, "GET /cloud/project/%s" % PID: lambda dummy: {"description": state["description"]},
            "PUT /cloud/project/%s" % PID: put}


@pytest.mark.parametrize("cache_seconds, plain_stale, seconds", [(0, False, 0.0), (3, True, 3.0), (2.5, True, 3.0), (60, True, None)])
def test_pragma_no_cache_reads_fresh_and_the_description_is_put_back(cache_seconds, plain_stale, seconds):
    time = FakeTime()
    account = Account(time)
    state = {"description": "keep-me"}
    found, own, dummy = probe(account, time, params={"project_id": PID}, extra=project_listing(time, state, cache_seconds))
    time.now = 0.0
    result = found.run()
    assert verdicts(result)["pragma_no_cache_bypasses_listing_cache"] == (HOLDS, seconds)
    assert result["listing_cache"] == {"plain_listing_stale": plain_stale, "pragma_listing_fresh": True, "description_restored": True}
    puts = [c[2]["description"] for c in own.calls if c[0] == "PUT"]
    assert puts == [PROBE_DESCRIPTION_PREFIX + RUN + "-1", PROBE_DESCRIPTION_PREFIX + RUN + "-2", "keep-me"]
    assert state["description"] == "keep-me"


def test_a_pragma_listing_still_stale_does_not_hold():
    time = FakeTime()
    account = Account(time)
    state = {"description": "keep-me"}
    answers = project_listing(time, state, 1)
    answers["GET /cloud/project"] = Page([{"project_id": PID, "description": "keep-me"}])
    result = probe(account, time, params={"project_id": PID}, extra=answers)[0].run()
    assert verdicts(result)["pragma_no_cache_bypasses_listing_cache"][0] == DOES_NOT_HOLD
    assert result["listing_cache"]["description_restored"] is True and state["description"] == "keep-me"


def listing_failing_after_the_first_read(time, state, failure):
    """The project's answers, whose expanded listing answers once (before the change), then ``failure``."""
    answers = project_listing(time, state, 1)
    listing = answers["GET /cloud/project"]
    calls = []

    def failing(headers):
        calls.append(headers)
        if len(calls) == 1:
            return listing(headers)
        if isinstance(failure, BaseException) and not isinstance(failure, Exception):
            raise failure
        return failure

    answers["GET /cloud/project"] = failing
    return answers


def test_the_description_is_put_back_when_the_listing_fails():
    time = FakeTime()
    account = Account(time)
    state = {"description": "keep-me"}
    answers = listing_failing_after_the_first_read(time, state, api_err(500))
    result = probe(account, time, params={"project_id": PID}, extra=answers)[0].run()
    assert verdicts(result)["pragma_no_cache_bypasses_listing_cache"] == (COULD_NOT_TELL, None)
    assert state["description"] == "keep-me" and result["listing_cache"]["description_restored"] is True


def test_an_interruption_deletes_the_carts_and_puts_the_description_back():
    time = FakeTime()
    account = Account(time)
    state = {"description": "keep-me"}
    answers = listing_failing_after_the_first_read(time, state, ProbeInterrupted(signal.SIGTERM))
    found, own, dummy = probe(account, time, params={"project_id": PID}, extra=answers)
    with pytest.raises(WorkflowError) as failure:
        found.run()
    assert "interrupted by SIGTERM; the probe's carts were deleted" in failure.value.msg
    assert failure.value.details["carts_left"] == [] and account.carts == {"cart-expire": account.carts["cart-expire"]}
    assert account.live("cart-expire") is None  # expired, hence not deleted
    assert state["description"] == "keep-me"
    assert ("DELETE", "/order/cart/cart-listing", {}) in own.calls


def test_sigterm_and_sigint_interrupt_the_probe_and_not_its_cleanup():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with interruptible():
        with pytest.raises(ProbeInterrupted) as interrupted:
            os.kill(os.getpid(), signal.SIGTERM)
        assert str(interrupted.value) == "interrupted by SIGTERM"
        with uninterrupted():
            os.kill(os.getpid(), signal.SIGINT)  # ignored: the cleanup goes on
        with pytest.raises(ProbeInterrupted):
            os.kill(os.getpid(), signal.SIGINT)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


@pytest.mark.parametrize("change, message", [
    ({"subsidiary": "fr"}, "subsidiary 'fr' is not one"),
    ({"listing_wait": 0}, "listing_wait is 0"),
    ({"expire_seconds": 4000}, "expire_seconds is 4000"),
    ({"project_id": "../me"}, "is not a project id"),
])
def test_bad_options_fail_before_any_call(change, message):
    with pytest.raises(InputError) as error:
        check_probe_options(dict(PARAMS, **change), Endpoint.parse("ovh-eu"))
    assert message in error.value.msg


def test_check_mode_calls_nothing_and_could_not_tell():
    result = check_mode_result()
    assert [a["result"] for a in result["assumptions"]] == [COULD_NOT_TELL] * 7
    assert "only a checkout could show it" in result["lines"][5] and "only a checkout could show it" in result["lines"][6]
    assert result["carts_created"] == [] and result["carts_left"] == [] and result["unpaid_orders"] == []
    asked = check_mode_result(dict(PARAMS, unpaid_order_checks=True))
    assert [a["detail"] for a in asked["assumptions"][5:]] == ["check mode: no API call was made"] * 2


def test_a_line_per_assumption():
    assert Assumption("own_cart_listed", HOLDS, "seen", 0.04).line() == "own_cart_listed: holds (0.0 s) - seen"
    assert Assumption("x", COULD_NOT_TELL, "why").line() == "x: could not tell - why"


# -- unpaid_order_checks: one checkout, never paid ---------------------------------------------------------------------

UNPAID = {"unpaid_order_checks": True}


def assert_one_unpaid_checkout(account, result, own):
    """One checkout, of the probe's checkout cart, without paying; no payment call; every other cart deleted."""
    checkouts = [c for c in own.calls if c[0] == "POST" and c[1].endswith("/checkout")]
    assert checkouts == [("POST", "/order/cart/cart-checkout/checkout", {"autoPayWithPreferredPaymentMethod": False,
                                                                         "waiveRetractationPeriod": False})]
    assert not [c for c in own.calls if c[0] == "POST" and c[1].startswith("/me/order")]
    assert [c[2] for c in own.writes() if c[1] == "/order/cart/cart-checkout/item/1/configuration"] == [
        {"label": "description", "value": CHECKOUT}]
    assert result["carts_left"] == []
    assert [c for c in account.carts if account.live(c)] == ["cart-checkout"]  # checked out: the API refused its deletion
    assert ("DELETE", "/order/cart/cart-checkout", {}) in own.calls


def test_unpaid_order_checks_hold_and_the_order_is_never_paid():
    time = FakeTime()
    account = Account(time)
    found, own, other = probe(account, time, params=UNPAID)
    result = found.run()
    assert verdicts(result)["checked_out_cart_stays_listed"] == (HOLDS, None)
    assert verdicts(result)["new_order_listed_within_settle"] == (HOLDS, 0.0)
    assert_one_unpaid_checkout(account, result, own)
    assert result["unpaid_orders"] == [{"order_id": ORDER_ID, "url": ORDER_URL, "cart_id": "cart-checkout", "cart_deleted": False}]
    assert result["lines"][7] == ("unpaid order 4242 placed by unpaid_order_checks, %s: it costs nothing, the probe never pays it, "
                                  "and it expires by itself unpaid (or cancel it at its URL); its cart cart-checkout expires by "
                                  "itself (the API kept it)" % ORDER_URL)
    assert "read back readOnly: true" in result["assumptions"][5]["detail"]
    assert "order 4242 listed by GET /me/order after 0.0 s, GET /cloud/order after 0.0 s" in result["assumptions"][6]["detail"]
    # the listings are read past the API's cache, /me/order from a minute before the checkout (API time, 5 s in)
    assert {"/me/order", "/cloud/order", "/order/cart"} <= set(own.fresh)
    assert [c[2] for c in own.calls if c[1] == "/me/order"][0] == {"date.from": "2026-11-23T14:59:05Z"}
    # the other checks ran as before, the checkout after the short-lived cart was measured
    assert verdicts(result)["short_expire_honoured"][0] == verdicts(result)["expired_cart_refuses_checkout"][0] == HOLDS
    keys = own.keys()
    assert keys.index("POST /order/cart/cart-checkout/checkout") > len(keys) - 1 - keys[::-1].index("GET /order/cart/cart-expire/checkout")
    assert other.writes() == []


def test_a_checked_out_cart_left_out_of_the_listing_does_not_hold():
    time = FakeTime()
    account = Account(time, checked_out_unlisted=True)
    found, own, dummy = probe(account, time, params=UNPAID)
    result = found.run()
    assert verdicts(result)["checked_out_cart_stays_listed"] == (DOES_NOT_HOLD, None)
    assert ("cart cart-checkout, listed before its checkout, was no longer listed by GET /order/cart?description= right after "
            "its checkout (read back readOnly: true)") in result["assumptions"][5]["detail"]
    assert verdicts(result)["new_order_listed_within_settle"] == (HOLDS, 0.0)
    assert_one_unpaid_checkout(account, result, own)


@pytest.mark.parametrize("lag, verdict, detail", [
    (3.0, (HOLDS, 3.0), "GET /me/order after 3.0 s, GET /cloud/order after 3.0 s (listings read every 1 s), within the order settle time (6 s)"),
    (8.0, (DOES_NOT_HOLD, 8.0), "after 8.0 s (listings read every 1 s): later than the order settle time (6 s)"),
    (60.0, (DOES_NOT_HOLD, None), "order 4242 not listed by GET /me/order nor GET /cloud/order within 10 s of its checkout"),
])
def test_an_order_listed_late_or_never_does_not_hold(lag, verdict, detail):
    time = FakeTime()
    account = Account(time, order_lag=lag)
    found, own, dummy = probe(account, time, params=UNPAID)
    result = found.run()
    assert verdicts(result)["new_order_listed_within_settle"] == verdict
    assert detail in result["assumptions"][6]["detail"]
    assert verdicts(result)["checked_out_cart_stays_listed"][0] == HOLDS
    assert_one_unpaid_checkout(account, result, own)


def test_a_short_listing_wait_still_waits_the_order_settle_time():
    time = FakeTime()
    account = Account(time, order_lag=5.0)
    result = probe(account, time, params=dict(UNPAID, listing_wait=2))[0].run()
    assert verdicts(result)["new_order_listed_within_settle"] == (HOLDS, 5.0)


def test_a_refused_checkout_could_not_tell_and_orders_nothing():
    time = FakeTime()
    account = Account(time)
    refused = api_err(403, method="POST", message="You have reached the maximum number of Public Cloud projects")
    found, own, dummy = probe(account, time, params=UNPAID, extra={"POST /order/cart/cart-checkout/checkout": refused})
    result = found.run()
    for name in ("checked_out_cart_stays_listed", "new_order_listed_within_settle"):
        assert verdicts(result)[name] == (COULD_NOT_TELL, None)
    assert "the checkout was refused: " in result["lines"][5] and "so nothing was ordered" in result["lines"][5]
    assert result["unpaid_orders"] == [] and len(result["lines"]) == 7
    assert_nothing_left(account, result)  # the cart, never checked out, was deleted


def test_a_lost_checkout_answer_on_a_checked_out_cart_reports_an_unpaid_order_of_unknown_id():
    time = FakeTime()
    account = Account(time)
    checkout = account.api().answers["POST /order/cart/cart-checkout/checkout"]

    def lost(body):
        checkout(body)
        return api_err(transport=True, method="POST", message="read timeout")

    found, own, dummy = probe(account, time, params=UNPAID, extra={"POST /order/cart/cart-checkout/checkout": lost})
    result = found.run()
    assert verdicts(result)["new_order_listed_within_settle"] == (COULD_NOT_TELL, None)
    assert "but the cart is now readOnly: an unpaid order was placed whose id the probe could not read" in result["lines"][6]
    assert result["unpaid_orders"] == [{"order_id": None, "url": None, "cart_id": "cart-checkout", "cart_deleted": False}]
    assert result["lines"][7].startswith("unpaid order (id unknown, cart cart-checkout) placed by unpaid_order_checks")
    assert_one_unpaid_checkout(account, result, own)


def test_an_interruption_while_waiting_for_the_order_names_the_unpaid_order():
    time = FakeTime()
    account = Account(time, order_lag=60.0)
    listing = account.api().answers["GET /cloud/order"]
    reads = []

    def interrupted(query):
        reads.append(query)
        if len(reads) == 3:
            raise ProbeInterrupted(signal.SIGINT)
        return listing(query)

    found, own, dummy = probe(account, time, params=UNPAID, extra={"GET /cloud/order": interrupted})
    with pytest.raises(WorkflowError) as failure:
        found.run()
    assert "interrupted by SIGINT; the probe's carts were deleted; unpaid order 4242 placed by unpaid_order_checks" in failure.value.msg
    assert failure.value.details["unpaid_orders"][0]["order_id"] == ORDER_ID and failure.value.details["carts_left"] == []
    assert ("DELETE", "/order/cart/cart-checkout", {}) in own.calls
    assert not [c for c in own.calls if c[0] == "POST" and c[1].startswith("/me/order")]
