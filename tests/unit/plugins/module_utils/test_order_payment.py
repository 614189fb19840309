# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Paying only after checking: the rule that chooses the order to pay (OrderElection), and paying it once (OrderPayer)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_payment import (
    PAY_GRACE,
    PAY_POLL,
    PAYMENT_LABELS,
    OrderElection,
    OrderPayer,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_reader import OrderReader
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._pending_orders import PendingOrder, PendingOrderFinder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    NOW, FakeApi, Seq, api_err, order_lines,
)

ORDER = 7
URL = "https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=7"
STATUS = "GET /me/order/%s/status" % ORDER
FOLLOW_UP = "GET /me/order/%s/followUp" % ORDER
BILLING = "GET /me/order/%s" % ORDER
METHODS = "GET /me/payment/method"
PAY = "POST /me/order/%s/pay" % ORDER
FREE_PAY = "POST /me/order/%s/payWithRegisteredPaymentMean" % ORDER


# -- the election ----------------------------------------------------------------------------------------------------


def cloud_order(order_id, status="unpaid"):
    return {"orderId": order_id, "planCode": "project.2018", "status": status, "serviceName": None}


def election_api(cloud=(), recent=(), statuses=None, names=None):
    """/cloud/order lists ``cloud`` (ids), /me/order lists ``recent``; every order is for "team-a" unless ``names``
    says otherwise; ``statuses``: {id: billing status}, notPaid by default."""
    statuses = statuses or {}
    names = names or {}
    answers = {"GET /cloud/order": [cloud_order(i) for i in cloud], "GET /me/order": list(recent)}
    for order_id in set(cloud) | set(recent) | set(statuses):
        answers.update(order_lines(order_id, names.get(order_id, "team-a")))
        answers["GET /me/order/%s/status" % order_id] = statuses.get(order_id, "notPaid")
    return FakeApi(answers)


def election(api):
    finder = PendingOrderFinder(api, ProjectLookup(api), ("project.2018",), now=lambda: NOW)
    return OrderElection(finder, OrderReader(api))


def chosen_and_unpaid(api, own=None, found=None):
    chosen, unpaid = election(api).choose("team-a", own, found=found)
    return (chosen.order_id if chosen else None), [c.order_id for c in unpaid]


def test_election_chooses_the_lowest_order_id():
    api = election_api(cloud=[12, 10], recent=[11, 12])
    assert chosen_and_unpaid(api) == (10, [11, 12])
    # both listings read past the API's cache; every order's status read once; nothing written
    assert api.fresh == ["/cloud/order", "/me/order"]
    assert [api.count("GET /me/order/%s/status" % i) for i in (10, 11, 12)] == [1, 2, 2]  # /me/order reads too
    assert api.writes() == []


def test_election_a_paid_order_wins_over_a_lower_unpaid_one():
    api = election_api(cloud=[10, 11, 12], statuses={11: "checking", 12: "delivered"})
    chosen, unpaid = election(api).choose("team-a")
    assert chosen.order_id == 11 and chosen.paid
    assert [c.order_id for c in unpaid] == [10]  # the paid 12 is not "unpaid"
    assert api.writes() == []


def test_election_skips_cancelled_orders():
    # /cloud/order still lists 10 as unpaid, its billing status says cancelled
    api = election_api(cloud=[10, 11], statuses={10: "cancelled", 11: "notPaid"})
    assert chosen_and_unpaid(api) == (11, [])


def test_election_every_order_dead_chooses_none():
    api = election_api(cloud=[10, 11], statuses={10: "cancelled", 11: "cancelling"})
    assert election(api).choose("team-a") == (None, [])


def test_election_counts_the_own_order_when_no_listing_shows_it():
    api = election_api(statuses={555: "notPaid"})
    assert chosen_and_unpaid(api, own=555) == (555, [])
    assert api.count("GET /me/order/555/status") == 1
    assert api.keys()[:2] == ["GET /cloud/order", "GET /me/order"]


def test_election_own_order_loses_to_a_lower_one_of_another_run():
    api = election_api(cloud=[9], statuses={555: "notPaid"})
    assert chosen_and_unpaid(api, own=555) == (9, [555])


def test_election_own_order_listed_too_is_counted_once():
    api = election_api(cloud=[555], recent=[555])
    assert chosen_and_unpaid(api, own=555) == (555, [])


def test_election_ignores_orders_for_another_name():
    api = election_api(cloud=[3, 10], names={3: "team-b"})
    assert chosen_and_unpaid(api) == (10, [])


def test_election_on_orders_found_lists_nothing():
    api = election_api(statuses={4: "notPaid", 8: "delivering"})
    found = [PendingOrder(8, "delivering", "/cloud/order"), PendingOrder(4, "unpaid", "/cloud/order")]
    assert chosen_and_unpaid(api, found=found) == (8, [4])
    assert api.keys() == ["GET /me/order/4/status", "GET /me/order/8/status"]


# -- the payer -------------------------------------------------------------------------------------------------------


class ServerClock:
    """The API's clock; the payer's pauser advances it (and may run out of time)."""

    def __init__(self, now=NOW, time_left=3600.0):
        self.now = now
        self.time_left = time_left
        self.pauses = []

    def __call__(self):
        return self.now

    def pause(self, seconds):
        if self.time_left <= 0:
            return False
        self.pauses.append(seconds)
        self.time_left -= seconds
        self.now += datetime.timedelta(seconds=seconds)
        return True


def billing(value=12.0, date=NOW, url=URL):
    return {"orderId": ORDER, "url": url, "date": date.isoformat() if date else None,
            "priceWithTax": {"value": value, "currencyCode": "EUR"}, "priceWithoutTax": {"value": value, "currencyCode": "EUR"}}


def step(status, *labels):
    return {"step": "VALIDATING", "status": status, "history": [{"label": label, "date": NOW.isoformat()} for label in labels]}


def payer_api(**overrides):
    answers = {STATUS: "notPaid", FOLLOW_UP: [step("DOING", "ORDER_STARTED")], BILLING: billing(), METHODS: [42], PAY: None,
               FREE_PAY: None}
    answers.update(overrides)
    return FakeApi(answers)


def payer(api, clock=None):
    report = RunReport()
    clock = clock or ServerClock()
    return OrderPayer(api, report, clock, clock.pause), report


def test_free_order_is_paid_from_the_fidelity_account():
    api = payer_api(**{BILLING: billing(value=0)})
    sut, report = payer(api)
    assert sut.pay(ORDER, URL) is True
    assert report.changed is True
    assert api.writes() == [("POST", "/me/order/%s/payWithRegisteredPaymentMean" % ORDER, {"paymentMean": "fidelityAccount"})]
    assert METHODS not in api.keys()
    # the payment's state is read before the price, and both before paying
    assert api.keys() == [STATUS, FOLLOW_UP, BILLING, FREE_PAY]


def test_order_with_a_price_is_paid_with_the_default_payment_method():
    api = payer_api()
    sut, report = payer(api)
    assert sut.pay(ORDER, URL) is True
    assert report.changed is True
    assert api.writes() == [("POST", "/me/order/%s/pay" % ORDER, {"paymentMethod": {"id": 42}})]
    assert ("GET", "/me/payment/method", {"default": True}) in api.calls
    assert api.keys().index(METHODS) < api.keys().index(PAY)


@pytest.mark.parametrize("url, shown", [(URL, URL), (None, "https://pay/7")], ids=["given", "read"])
def test_no_default_payment_method_fails_naming_the_order_without_paying(url, shown):
    api = payer_api(**{METHODS: [], BILLING: billing(url="https://pay/7")})
    sut, report = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.pay(ORDER, url)
    assert err.value.step == "pay order"
    assert "order %s was placed but the account has no default payment method" % ORDER in err.value.msg
    assert shown in err.value.msg
    assert err.value.details["order_id"] == ORDER
    assert api.writes() == []
    assert report.changed is False


def test_default_payment_method_unreadable_fails_without_paying():
    api = payer_api(**{METHODS: api_err(500, path="/me/payment/method")})
    sut, dummy = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.pay(ORDER, URL)
    assert err.value.step == "pay order"
    assert "Order %s exists and is not paid" % ORDER in err.value.msg and URL in err.value.msg
    assert api.writes() == []


@pytest.mark.parametrize("status", ["checking", "delivering", "delivered", "documentsRequested"])
def test_status_other_than_not_paid_means_no_payment(status):
    api = payer_api(**{STATUS: status})
    sut, report = payer(api)
    assert sut.pay(ORDER, URL) is False
    assert api.writes() == []
    assert api.keys() == [STATUS]  # nothing else read
    assert report.changed is False


@pytest.mark.parametrize("label", PAYMENT_LABELS)
def test_payment_label_in_the_follow_up_means_no_payment(label):
    # the status still says notPaid: the payment is under way
    api = payer_api(**{FOLLOW_UP: [step("DONE", "ORDER_STARTED"), step("DOING", "ORDER_ACCEPTED", label)]})
    sut, report = payer(api)
    assert sut.pay(ORDER, URL) is False
    assert api.writes() == []
    assert api.keys() == [STATUS, FOLLOW_UP]
    assert report.changed is False


def test_labels_other_than_payments_do_not_stop_the_payment():
    api = payer_api(**{FOLLOW_UP: [step("DOING", "ORDER_STARTED", "ORDER_ACCEPTED", "FRAUD_CHECK"), None, {}]})
    sut, dummy = payer(api)
    assert sut.pay(ORDER, URL) is True
    assert api.count(PAY) == 1


def test_refused_pay_then_status_shows_paid_is_ok_without_a_second_pay():
    api = payer_api(**{STATUS: Seq("notPaid", "checking"),
                       PAY: api_err(409, method="POST", path="/me/order/7/pay", message="Order already paid")})
    sut, report = payer(api)
    assert sut.pay(ORDER, URL) is True
    assert report.changed is True
    assert api.count(PAY) == 1 and api.count(FREE_PAY) == 0
    assert api.keys()[-1] == STATUS  # read again after the refusal


def test_refused_pay_of_an_unpaid_order_fails_naming_it_and_its_url():
    api = payer_api(**{PAY: api_err(403, method="POST", path="/me/order/7/pay", message="Payment refused")})
    sut, report = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.pay(ORDER, URL)
    assert err.value.step == "pay order"
    assert "paying order %s was refused" % ORDER in err.value.msg and URL in err.value.msg
    assert err.value.api_error.status == 403
    assert err.value.details["order_id"] == ORDER
    assert api.count(PAY) == 1
    assert api.count(STATUS) == 2 and api.count(FOLLOW_UP) == 2  # read again: still no payment started
    assert report.changed is False


@pytest.mark.parametrize("lost", [api_err(500, method="POST", path="/me/order/7/pay"),
                                  api_err(None, transport=True, method="POST", path="/me/order/7/pay")],
                         ids=["500", "transport"])
def test_lost_pay_answer_and_still_unpaid_fails_after_exactly_one_pay(lost):
    api = payer_api(**{PAY: lost})
    sut, report = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.pay(ORDER, URL)
    assert err.value.step == "pay order"
    assert "paying order %s got no clear answer" % ORDER in err.value.msg
    assert "not paid again blindly" in err.value.msg and URL in err.value.msg
    assert err.value.details["order_id"] == ORDER
    assert api.count(PAY) == 1
    assert api.keys()[-2:] == [STATUS, FOLLOW_UP]  # the order read again, never paid again
    assert report.changed is False


def test_lost_pay_answer_whose_payment_started_is_ok():
    api = payer_api(**{PAY: api_err(None, transport=True, method="POST", path="/me/order/7/pay"),
                       FOLLOW_UP: Seq([], [step("DOING", "ORDER_STARTED", "REGISTERED_PAYMENT_INITIATED")])})
    sut, report = payer(api)
    assert sut.pay(ORDER, URL) is True
    assert report.changed is True
    assert api.count(PAY) == 1


def test_lost_pay_answer_and_unreadable_order_fails_without_paying_again():
    api = payer_api(**{PAY: api_err(502, method="POST", path="/me/order/7/pay"),
                       STATUS: Seq("notPaid", api_err(503, path="/me/order/7/status"))})
    sut, dummy = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.pay(ORDER, URL)
    assert err.value.step == "pay order"
    assert "reading the order again failed too" in err.value.msg
    assert api.count(PAY) == 1


# -- paying an order another run placed, once its grace is over --------------------------------------------------------


def test_pay_when_due_waits_until_the_grace_ends_then_pays():
    clock = ServerClock()
    placed = NOW - datetime.timedelta(seconds=10)  # due at NOW + 20 s
    paid_at = []
    api = payer_api(**{BILLING: billing(date=placed), PAY: lambda body: paid_at.append(clock())})
    sut, report = payer(api, clock)
    assert sut.pay_when_due(ORDER, URL) is True
    assert report.changed is True
    assert api.count(PAY) == 1
    assert placed + PAY_GRACE <= paid_at[0] < placed + PAY_GRACE + datetime.timedelta(seconds=PAY_POLL)
    assert clock.pauses and max(clock.pauses) <= PAY_POLL
    # looked at the payment before each pause, and once more right before paying
    assert api.count(FOLLOW_UP) == len(clock.pauses) + 1


def test_pay_when_due_pays_at_once_when_the_grace_is_over():
    clock = ServerClock()
    api = payer_api(**{BILLING: billing(date=NOW - PAY_GRACE - datetime.timedelta(seconds=1))})
    sut, dummy = payer(api, clock)
    assert sut.pay_when_due(ORDER, URL) is True
    assert clock.pauses == []
    assert api.count(PAY) == 1


def test_pay_when_due_stops_waiting_when_a_payment_starts():
    clock = ServerClock()
    # the run that placed it starts paying a few seconds later (status still notPaid, the follow-up says so)
    api = payer_api(**{BILLING: billing(date=NOW)})
    api.answers[FOLLOW_UP] = lambda query: (
        [step("DOING", "ORDER_STARTED", "PAYMENT_INITIATED")] if clock() >= NOW + datetime.timedelta(seconds=7) else [])
    sut, report = payer(api, clock)
    assert sut.pay_when_due(ORDER, URL) is False
    assert api.writes() == []
    assert report.changed is False
    assert clock() < NOW + PAY_GRACE  # did not wait for the whole grace
    assert sum(clock.pauses) >= 7


def test_pay_when_due_stops_when_the_status_shows_paid():
    clock = ServerClock()
    api = payer_api(**{BILLING: billing(date=NOW), STATUS: Seq("notPaid", "notPaid", "checking")})
    sut, dummy = payer(api, clock)
    assert sut.pay_when_due(ORDER, URL) is False
    assert api.writes() == []
    assert len(clock.pauses) == 2


def test_pay_when_due_out_of_time_pays_nothing():
    clock = ServerClock(time_left=10.0)
    api = payer_api(**{BILLING: billing(date=NOW)})
    sut, dummy = payer(api, clock)
    assert sut.pay_when_due(ORDER, URL) is None  # out of time, nobody paid: the caller reports it waiting for payment
    assert api.writes() == []
    assert clock() < NOW + PAY_GRACE


def test_pay_when_due_without_a_date_waits_a_whole_grace_from_now():
    clock = ServerClock(now=NOW + datetime.timedelta(minutes=10))
    start = clock()
    paid_at = []
    api = payer_api(**{BILLING: billing(date=None), PAY: lambda body: paid_at.append(clock())})
    sut, dummy = payer(api, clock)
    assert sut.pay_when_due(ORDER, URL) is True
    assert paid_at[0] >= start + PAY_GRACE
    assert api.count(PAY) == 1


# -- before checkout: a priced order needs a default payment method ----------------------------------------------------


@pytest.mark.parametrize("price", [0, 0.0, None], ids=["free", "free-float", "unknown"])
def test_check_payable_free_or_unpriced_reads_nothing(price):
    api = payer_api()
    sut, dummy = payer(api)
    sut.check_payable(price)
    assert api.calls == []


def test_check_payable_priced_with_a_default_method_is_fine():
    api = payer_api()
    sut, report = payer(api)
    sut.check_payable(12.0)
    assert api.calls == [("GET", "/me/payment/method", {"default": True})]
    assert report.changed is False


def test_check_payable_priced_without_a_default_method_fails_saying_nothing_was_ordered():
    api = payer_api(**{METHODS: []})
    sut, report = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.check_payable(12.0)
    assert err.value.step == "check payment method"
    assert "no default payment method to pay this order (12.0 with tax)" in err.value.msg
    assert "auto_pay: false" in err.value.msg and "Nothing was ordered" in err.value.msg
    assert api.writes() == [] and report.changed is False


def test_check_payable_unreadable_methods_fail_saying_nothing_was_ordered():
    api = payer_api(**{METHODS: api_err(500, path="/me/payment/method")})
    sut, dummy = payer(api)
    with pytest.raises(WorkflowError) as err:
        sut.check_payable(12.0)
    assert err.value.step == "check payment method"
    assert err.value.api_error.status == 500 and "Nothing was ordered" in err.value.msg
