# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ProjectEnsurer: the whole story of state=present against the scripted API."""

from __future__ import annotations

import datetime
import functools

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import _project_ensurer
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import NameClaim
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_follower import OrderFollower
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule, RunReport
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_ensurer import ProjectEnsurer
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_request import ProjectRequest
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    CART, CART_STATE, NOW, PID, PID2, WRITES, FakeApi, FakeDeadline, Seq, api_err, cart_answers, delivered_order, order_lines, project,
)


ORDER_ID = 555
ORDER_URL = "https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=555"
PLACED = {"orderId": ORDER_ID, "url": ORDER_URL,
          "prices": {"withTax": {"value": 0.0, "currencyCode": "EUR"}, "withoutTax": {"value": 0.0, "currencyCode": "EUR"}}}
# GET /me/order/555: the order placed at NOW, free
BILLING = {"orderId": ORDER_ID, "url": ORDER_URL, "date": "2026-11-23T15:00:00+00:00",
           "priceWithTax": {"value": 0.0, "currencyCode": "EUR"}, "priceWithoutTax": {"value": 0.0, "currencyCode": "EUR"}}
FREE_PAY = "POST /me/order/%s/payWithRegisteredPaymentMean" % ORDER_ID
PAY = "POST /me/order/%s/pay" % ORDER_ID


@pytest.fixture(autouse=True)
def no_real_waiting(monkeypatch):
    """The orchestrator builds its OrderFollower, NameClaim and Deadline itself: give them the fake clock."""
    monkeypatch.setattr(_project_ensurer, "OrderFollower", functools.partial(OrderFollower, deadline_factory=FakeDeadline))
    monkeypatch.setattr(_project_ensurer, "NameClaim", functools.partial(NameClaim, sleeper=lambda seconds: None))
    monkeypatch.setattr(_project_ensurer, "Deadline", lambda timeout, **kwargs: FakeDeadline(timeout))


def params(**overrides):
    result = dict(name="team-a", subsidiary="FR", plan_code=None, duration="P1M", pricing_mode="default", voucher=None,
                  auto_pay=True, waive_retractation_period=False, wait=True, wait_timeout=1800)
    result.update(overrides)
    return result


def fresh_account(**overrides):
    """An account with no project and no order for the name; a checkout places order 555 (free, unpaid), which is
    notPaid when the election and the payer read it, and delivers PID once paid."""
    answers = {
        "GET /cloud/project": [],
        "GET /cloud/order": [],
        "GET /me/order": [],
        "GET /cloud/eligibility": {"actionsRequired": []},
        "POST %s/checkout" % CART: PLACED,
    }
    answers.update(cart_answers())
    answers.update(delivered_order(order_id=ORDER_ID))
    answers.update({
        "GET /me/order/%s" % ORDER_ID: BILLING,
        # the election reads it, the payer reads it, then the follower
        "GET /me/order/%s/status" % ORDER_ID: Seq("notPaid", "notPaid", "delivered"),
        FREE_PAY: None,
    })
    answers.update(overrides)
    return answers


def pay_calls(api):
    """The calls that pay an order."""
    return [c for c in api.calls if c[0] == "POST" and ("/pay" in c[1])]


class FakeModule:
    """What OvhModule.wrapping needs of an AnsibleModule."""

    def __init__(self, params):
        self.params = params
        self.check_mode = False


class Ensurer:
    """A ProjectEnsurer as the module runs it: results carry ``changed`` and the warnings of its RunReport.

    ``is_us_api=None`` asks the account, as OvhModule does for a URL endpoint (the simulator, a proxy).
    The API's clock is NOW plus the seconds the run paused (its FakeDeadline ``waiting``) plus ``skew``, which a test
    may advance (a slow call).
    """

    def __init__(self, api, check_mode, is_us_api, overrides):
        self.report = RunReport()
        self.skew = 0.0
        if is_us_api is None:
            run = OvhModule.wrapping(FakeModule({"endpoint": "http://127.0.0.1:8080/1.0"}))
            run._api = api  # pylint: disable=protected-access
            is_us = run.is_us_api
        else:
            def is_us():
                return is_us_api
        request = ProjectRequest(params(**overrides), is_us)
        self.sut = ProjectEnsurer(api, request, self.report, check_mode=check_mode, server_now=self.server_now)

    def waited(self):
        """Seconds the run paused for other runs and for the order listings (its ``waiting`` FakeDeadline)."""
        waiting = getattr(self.sut, "waiting", None)
        return waiting.now if waiting is not None else 0.0

    def server_now(self):
        return NOW + datetime.timedelta(seconds=self.waited() + self.skew)

    @property
    def changed(self):
        return self.report.changed

    def present(self):
        result = self.sut.present()
        return dict(result, changed=self.report.changed, warnings=self.report.warnings)


def ensurer(api, check_mode=False, is_us_api=False, **overrides):
    return Ensurer(api, check_mode, is_us_api, overrides)


def test_ensurer_orders_once_and_follows():
    api = FakeApi(fresh_account())
    result = ensurer(api).present()
    assert result["changed"] is True
    assert result["project"]["project_id"] == PID
    assert result["project"]["order_id"] == ORDER_ID
    assert result["order"]["order_id"] == ORDER_ID
    assert result["order"]["status"] == "delivered"
    assert result["order"]["currency"] == "EUR"
    assert result["pending_payment"] is False
    assert result["diff"] == {"before": {}, "after": result["project"]}
    assert api.count("POST %s/checkout" % CART) == 1
    assert "DELETE %s" % CART not in api.keys()
    keys = api.keys()
    assert keys.index("GET /cloud/eligibility") < keys.index("POST /order/cart")
    assert keys.index("POST /order/cart") < keys.index("POST %s/checkout" % CART)
    # checked out without paying, then paid once (free: from the fidelity account) after the orders were looked at
    assert api.calls[keys.index("POST %s/checkout" % CART)][2] == {
        "autoPayWithPreferredPaymentMethod": False, "waiveRetractationPeriod": False}
    assert pay_calls(api) == [("POST", "/me/order/%s/payWithRegisteredPaymentMean" % ORDER_ID,
                               {"paymentMean": "fidelityAccount"})]
    checkout = keys.index("POST %s/checkout" % CART)
    assert "GET /me/order" in keys[checkout:keys.index(FREE_PAY)]  # the election's listing
    assert keys.index(FREE_PAY) < len(keys) - 1 - keys[::-1].index("GET /me/order/%s/status" % ORDER_ID)
    assert result["unpaid_orders"] == []
    assert "PUT %s" % CART not in keys  # a quick creation keeps its lease
    assert api.count("GET /order/cart") == 2  # the election, and the listing again right before checkout
    assert {"/order/cart", "/cloud/order", "/me/order"} <= set(api.fresh)


def test_ensurer_existing_project_makes_no_write():
    api = FakeApi({
        "GET /cloud/project": [PID, PID2],
        "GET /cloud/project/%s" % PID: project(PID, "team-a"),
        "GET /cloud/project/%s" % PID2: project(PID2, "other"),
    })
    result = ensurer(api).present()
    assert api.writes() == []
    assert result["changed"] is False
    assert result["order"] is None
    assert result["project"]["project_id"] == PID
    assert result["diff"]["before"] == result["project"] == result["diff"]["after"]
    assert "GET /cloud/order" not in api.keys()


def test_ensurer_existing_project_in_check_mode_makes_no_write():
    api = FakeApi({"GET /cloud/project": [PID], "GET /cloud/project/%s" % PID: project(PID, "team-a")})
    assert ensurer(api, check_mode=True).present()["changed"] is False
    assert api.writes() == []


def test_ensurer_two_projects_with_the_name_lists_both():
    api = FakeApi({
        "GET /cloud/project": [PID2, PID],
        "GET /cloud/project/%s" % PID: project(PID, "team-a"),
        "GET /cloud/project/%s" % PID2: project(PID2, "team-a"),
    })
    with pytest.raises(WorkflowError) as err:
        ensurer(api).present()
    assert err.value.step == "look up project"
    assert "2 projects are named 'team-a': %s, %s" % (PID, PID2) in err.value.msg
    assert err.value.details["project_ids"] == [PID, PID2]
    assert api.writes() == []


def pending_account(order_id=9, status="delivering", **overrides):
    """An order of another run (or an earlier one) in /cloud/order, delivered; /me/order does not show it yet."""
    answers = {
        "GET /cloud/project": [],
        "GET /cloud/order": [{"orderId": order_id, "planCode": "project.2018", "status": status}],
        "GET /me/order": [],
        "GET /me/order/%s" % order_id: {"orderId": order_id, "url": "https://pay/9",
                                        "priceWithTax": {"value": 0.0, "currencyCode": "EUR"}, "priceWithoutTax": {"value": 0.0}},
    }
    answers.update(delivered_order(order_id=order_id))
    answers.update(overrides)
    return answers


def test_ensurer_pending_order_followed_no_cart():
    api = FakeApi(pending_account())
    result = ensurer(api).present()
    assert api.writes() == []  # delivered, so paid: no pay call either
    assert "POST /order/cart" not in api.keys()
    assert result["unpaid_orders"] == []
    assert "GET /cloud/eligibility" not in api.keys()
    assert result["project"]["project_id"] == PID
    assert result["project"]["order_id"] == 9
    assert result["order"]["order_id"] == 9
    assert result["order"]["url"] == "https://pay/9"
    assert result["order"]["status"] == "delivered"


def test_ensurer_several_pending_orders_follow_the_paid_one_and_report_the_others_unpaid():
    # was: "follow the oldest, with a warning"; now the payment rule: the paid order (4, delivering) is followed, the
    # unpaid one (8) is left unpaid, reported in unpaid_orders with a warning, and never paid
    answers = pending_account(order_id=4)
    answers["GET /cloud/order"] = [{"orderId": 8, "planCode": "project.2018", "status": "unpaid"},
                                   {"orderId": 4, "planCode": "project.2018", "status": "delivering"}]
    answers.update(order_lines(8, "team-a"))
    answers["GET /me/order/8/status"] = "notPaid"
    answers["GET /me/order/8"] = {"orderId": 8, "url": "https://pay/8"}
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert result["order"]["order_id"] == 4
    assert result["project"]["project_id"] == PID
    assert result["unpaid_orders"] == [{"order_id": 8, "url": "https://pay/8"}]
    assert "order 8 for 'team-a' was left unpaid: order 4 is the one paid and followed" in result["warnings"][0]
    assert "https://pay/8" in result["warnings"][0]
    assert len(result["warnings"]) == 1
    assert api.writes() == []
    assert "GET /me/order/8/followUp" not in api.keys()  # never considered for payment


def test_ensurer_pending_order_check_mode_reads_status_only():
    api = FakeApi(pending_account(status="unpaid", **{"GET /me/order/9/status": "notPaid"}))
    result = ensurer(api, check_mode=True).present()
    assert api.writes() == []
    assert result["order"]["status"] == "notPaid"
    assert result["pending_payment"] is True
    assert result["project"] is None


def test_ensurer_check_mode_makes_no_write():
    catalog = {"locale": {"currencyCode": "EUR"},
               "plans": [{"planCode": "project.2018", "pricings": [{"mode": "default", "duration": "P1M", "price": 0, "tax": 0}]}]}
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": catalog}))
    result = ensurer(api, check_mode=True).present()
    assert [c for c in api.calls if c[0] in WRITES] == []
    assert result["changed"] is True
    assert result["project"] == {"project_id": None, "name": "team-a", "status": None, "creation_date": None,
                                 "plan_code": "project.2018", "order_id": None}
    assert result["order"]["order_id"] is None
    assert result["order"]["prices"]["with_tax"] == 0.0
    assert result["diff"]["after"]["name"] == "team-a"
    assert "GET /cloud/eligibility" in api.keys()


def test_ensurer_check_mode_with_ineligible_account_fails_without_write():
    api = FakeApi(fresh_account(**{"GET /cloud/eligibility": {"actionsRequired": ["askIncreaseProjectsQuota"]}}))
    with pytest.raises(WorkflowError):
        ensurer(api, check_mode=True).present()
    assert api.writes() == []


def test_ensurer_ineligible_account_creates_no_cart():
    api = FakeApi(fresh_account(**{"GET /cloud/eligibility": {"actionsRequired": ["addPaymentMethod"]}}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api).present()
    assert "addPaymentMethod" in err.value.msg
    assert api.writes() == []


def test_ensurer_refused_checkout_deletes_cart_and_explains_account_restriction():
    refusal = api_err(403, method="POST", path=CART + "/checkout", message="This account cannot order Public Cloud projects",
                      error_code="Client::Forbidden")
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: refusal}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert err.value.step == "checkout"
    assert err.value.api_error is refusal
    assert "checkout was refused" in err.value.msg
    assert "a new account must create its first project in the Control Panel" in err.value.msg
    assert "Nothing was ordered" in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 1
    assert api.keys()[-1] == "DELETE %s" % CART
    assert sut.changed is False


def test_ensurer_refused_checkout_other_than_403_says_nothing_ordered():
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: api_err(400, message="Cart is empty")}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api).present()
    assert "Nothing was ordered" in err.value.msg
    assert "first project in the Control Panel" not in err.value.msg
    assert api.count("DELETE %s" % CART) == 1


def test_ensurer_lost_checkout_with_readonly_cart_is_not_retried():
    lost = api_err(None, transport=True, method="POST", path=CART + "/checkout", message="no answer from the API")
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: lost, "GET %s" % CART: dict(CART_STATE, readOnly=True)}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert err.value.step == "checkout"
    assert "the cart is validated, so an order exists" in err.value.msg
    assert "will not order again blindly" in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 1
    assert "DELETE %s" % CART not in api.keys()
    assert sut.changed is True


def test_ensurer_lost_checkout_with_open_cart_retried_exactly_once():
    lost = api_err(None, transport=True, method="POST", path=CART + "/checkout")
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: Seq(lost, PLACED)}))
    result = ensurer(api).present()
    assert api.count("POST %s/checkout" % CART) == 2
    assert result["changed"] is True
    assert result["project"]["project_id"] == PID
    assert any("retried once" in w for w in result["warnings"])
    keys = api.keys()
    first, second = [i for i, k in enumerate(keys) if k == "POST %s/checkout" % CART]
    assert "GET %s" % CART in keys[first:second]  # looked at the cart before trying again
    assert "GET /cloud/order" in keys[first:second]


def test_ensurer_lost_checkout_twice_stops_after_the_retry():
    lost = api_err(503, method="POST", path=CART + "/checkout", message="Service unavailable")
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: lost}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert api.count("POST %s/checkout" % CART) == 2
    assert "its outcome cannot be confirmed" in err.value.msg
    assert "DELETE %s" % CART not in api.keys()
    assert sut.changed is True


def test_ensurer_retry_refused_after_a_lost_answer_does_not_claim_nothing_was_ordered():
    # the cart looked open, but the first checkout took effect after all: the retry is refused (read-only cart)
    lost = api_err(None, transport=True, method="POST", path=CART + "/checkout")
    read_only = api_err(403, method="POST", path=CART + "/checkout", message="Cart has already been validated",
                        error_code="Client::Forbidden")
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: Seq(lost, read_only)}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert api.count("POST %s/checkout" % CART) == 2
    assert "an order may exist" in err.value.msg
    assert "Nothing was ordered" not in err.value.msg
    assert "DELETE %s" % CART not in api.keys()
    assert sut.changed is True


def test_ensurer_lost_checkout_and_cart_gone_is_not_retried():
    lost = api_err(None, transport=True, method="POST", path=CART + "/checkout")
    # read by the election and by the listing right before checkout, then gone once the checkout's answer was lost
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: lost,
                                   "GET %s" % CART: Seq(CART_STATE, CART_STATE, api_err(404))}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api).present()
    assert api.count("POST %s/checkout" % CART) == 1
    assert "its outcome cannot be confirmed" in err.value.msg
    assert not pay_calls(api)


def test_ensurer_lost_checkout_that_placed_an_order_follows_it():
    lost = api_err(None, transport=True, method="POST", path=CART + "/checkout")
    answers = fresh_account(**{"POST %s/checkout" % CART: lost})
    # the order shows up in /cloud/order only after the checkout call
    answers["GET /cloud/order"] = Seq([], [], [{"orderId": ORDER_ID, "planCode": "project.2018", "status": "delivering"}])
    answers.update(order_lines(ORDER_ID, "team-a", pid=PID))
    answers["GET /me/order/%s" % ORDER_ID] = {"orderId": ORDER_ID, "url": "https://pay/555"}
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert api.count("POST %s/checkout" % CART) == 1
    assert result["order"]["order_id"] == ORDER_ID
    assert result["project"]["project_id"] == PID
    assert result["changed"] is True
    assert "DELETE %s" % CART not in api.keys()


def test_ensurer_follow_failure_after_checkout_keeps_cart():
    api = FakeApi(fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "cancelled"}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert err.value.step == "wait for order"
    assert "order %s was cancelled" % ORDER_ID in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 1
    assert "DELETE %s" % CART not in api.keys()
    assert sut.changed is True


def test_ensurer_follow_timeout_after_checkout_keeps_cart_and_names_order():
    api = FakeApi(fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "checking"}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api, wait_timeout=30).present()
    assert "order %s is still checking after 30s" % ORDER_ID in err.value.msg
    assert "DELETE %s" % CART not in api.keys()


def test_ensurer_failure_while_building_cart_deletes_it():
    api = FakeApi(fresh_account(**{"GET %s/cloud" % CART: []}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert err.value.step == "list offers"
    assert api.count("DELETE %s" % CART) == 1
    assert "POST %s/checkout" % CART not in api.keys()
    assert sut.changed is False


def test_ensurer_api_error_in_last_look_before_checkout_deletes_cart():
    answers = fresh_account()
    answers["GET /cloud/order"] = Seq([], api_err(500, path="/cloud/order"))
    api = FakeApi(answers)
    with pytest.raises(OvhApiError) as err:
        ensurer(api).present()
    assert err.value.status == 500
    assert "POST %s/checkout" % CART not in api.keys()
    assert api.count("DELETE %s" % CART) == 1


def test_ensurer_order_appearing_while_building_cart_is_followed_and_cart_deleted():
    answers = fresh_account()
    answers["GET /cloud/order"] = Seq([], [{"orderId": 9, "planCode": "project.2018", "status": "delivering"}])
    answers.update(delivered_order(order_id=9))
    answers["GET /me/order/9"] = {"orderId": 9}
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert "POST %s/checkout" % CART not in api.keys()
    assert api.count("DELETE %s" % CART) == 1
    assert result["order"]["order_id"] == 9
    assert any("appeared while the cart was built" in w for w in result["warnings"])


def test_ensurer_without_auto_pay_returns_pending_payment():
    answers = fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "notPaid"})
    api = FakeApi(answers)
    result = ensurer(api, auto_pay=False).present()
    assert result["pending_payment"] is True
    assert result["project"] is None
    assert result["order"]["url"] == PLACED["url"]
    assert api.calls[api.keys().index("POST %s/checkout" % CART)][2] == {
        "autoPayWithPreferredPaymentMethod": False, "waiveRetractationPeriod": False}
    assert not pay_calls(api)
    assert "GET /me/payment/method" not in api.keys()
    assert result["unpaid_orders"] == []


def test_ensurer_without_wait_reads_status_once():
    # checking: the payment started (status other than notPaid), so the payer pays nothing
    api = FakeApi(fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "checking"}))
    result = ensurer(api, wait=False).present()
    assert result["order"]["status"] == "checking"
    assert result["project"] is None
    assert result["changed"] is True
    assert not pay_calls(api)
    # the election's read, the payer's read, and one read for the result: never polled
    assert api.count("GET /me/order/%s/status" % ORDER_ID) == 3
    assert "GET /me/order/%s/details" % ORDER_ID not in api.keys()


def test_ensurer_us_account_uses_us_plan_and_subsidiary():
    answers = fresh_account(**{"GET /me": {"ovhSubsidiary": "US"}})
    offers = [{"planCode": "project", "prices": [{"duration": "P1M", "pricingMode": "default"}]}]
    answers["GET %s/cloud" % CART] = offers
    api = FakeApi(answers)
    ensurer(api, is_us_api=None, subsidiary=None).present()
    assert api.calls[api.keys().index("POST /order/cart")][2]["ovhSubsidiary"] == "US"
    assert api.calls[api.keys().index("POST %s/cloud" % CART)][2]["planCode"] == "project"


# -- the race guard and orders of other runs ------------------------------------------------------------------------

OTHER = "/order/cart/cart-0"
OTHER_CART = dict(CART_STATE, cartId="cart-0", expire="2026-11-23T15:04:00+00:00")  # announced a minute before ours


def test_run_ahead_is_waited_for_and_its_order_followed():
    answers = fresh_account(**pending_account(order_id=9))
    answers["GET /cloud/order"] = Seq([], [], [], [{"orderId": 9, "planCode": "project.2018", "status": "delivering"}])
    answers["GET /order/cart"] = ["cart-0", "cart-1"]
    answers["GET %s" % OTHER] = OTHER_CART
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert result["changed"] is False
    assert result["order"]["order_id"] == 9
    assert result["project"]["project_id"] == PID
    assert api.count("POST %s/checkout" % CART) == 0
    assert api.count("DELETE %s" % CART) == 1  # our cart made way
    assert "DELETE %s" % OTHER not in api.keys()  # never another run's cart


def test_run_ahead_that_vanishes_without_order_is_taken_over():
    answers = fresh_account()
    answers["GET /order/cart"] = Seq(["cart-0", "cart-1"], ["cart-0"], [], ["cart-1"])
    answers["GET %s" % OTHER] = OTHER_CART
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert result["changed"] is True
    assert api.count("POST %s/checkout" % CART) == 1
    assert api.count("POST /order/cart") == 2  # announced again after the run ahead died
    assert any("stopped without an order" in w for w in result["warnings"])


def test_waiting_for_a_run_ahead_is_bounded_by_wait_timeout():
    answers = fresh_account()
    answers["GET /order/cart"] = ["cart-0", "cart-1"]
    answers["GET %s" % OTHER] = OTHER_CART
    api = FakeApi(answers)
    with pytest.raises(WorkflowError) as err:
        ensurer(api, wait_timeout=10).present()
    assert err.value.step == "wait for another run"
    assert "another run is ordering 'team-a' (cart cart-0" in err.value.msg
    assert "ordered nothing" in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 0
    assert api.count("DELETE %s" % CART) == 1


def test_order_of_another_run_that_is_not_paid_yet_is_waited_for():
    # the other run pays it within the grace (checking): this run waits and pays nothing
    answers = pending_account(order_id=9, status="unpaid")
    answers["GET /me/order/9/status"] = Seq("notPaid", "notPaid", "checking", "delivered")
    api = FakeApi(answers)
    sut = ensurer(api)
    result = sut.present()
    assert result["pending_payment"] is False
    assert result["project"]["project_id"] == PID
    assert result["changed"] is False
    assert api.writes() == []
    assert 0 < sut.waited() < 30


def test_order_of_another_run_that_stays_unpaid_waits_for_payment_without_auto_pay():
    # auto_pay false: nothing is paid, the order is reported waiting for payment (as before the payment rule)
    answers = pending_account(order_id=9, status="unpaid")
    answers["GET /me/order/9/status"] = "notPaid"
    api = FakeApi(answers)
    result = ensurer(api, auto_pay=False).present()
    assert result["pending_payment"] is True and result["changed"] is False
    assert any("placed without auto-pay, or its automatic payment failed" in w for w in result["warnings"])
    assert api.writes() == []
    assert "GET /me/order" not in api.keys()  # no election over both listings: nothing is paid


def test_short_lease_left_announces_again():
    answers = fresh_account()
    short = dict(CART_STATE, expire="2026-11-23T15:01:00+00:00")
    answers["POST /order/cart"] = Seq(short, CART_STATE)
    # a lease shorter than asked looks like a slow creation: renewed, and the API keeps it short
    answers["PUT %s" % CART] = short
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert api.count("POST /order/cart") == 2
    assert api.count("PUT %s" % CART) == 1  # the second cart has its full lease: not renewed
    assert api.count("POST %s/checkout" % CART) == 1
    assert any("too little of its lease left" in w for w in result["warnings"])


# -- max_price -------------------------------------------------------------------------------------------------------

PRICED_SUMMARY = {"orderId": None, "url": None, "prices": {"withTax": {"value": 12.0, "currencyCode": "EUR"},
                                                           "withoutTax": {"value": 10.0, "currencyCode": "EUR"}}}


def catalogue(price_micro_cents, tax_micro_cents=0):
    return {"locale": {"currencyCode": "EUR"}, "plans": [{"planCode": "project.2018", "pricings": [
        {"mode": "default", "duration": "P1M", "price": price_micro_cents, "tax": tax_micro_cents}]}]}


def test_price_over_max_price_refuses_before_checkout_and_deletes_the_cart():
    api = FakeApi(fresh_account(**{"GET %s/checkout" % CART: PRICED_SUMMARY}))
    sut = ensurer(api, max_price=10.0)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert err.value.step == "check price"
    assert "price 12.00 EUR with tax exceeds max_price 10.00" in err.value.msg
    assert "nothing was ordered" in err.value.msg
    assert "billed by use" in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 0
    assert api.keys()[-1] == "DELETE %s" % CART
    # refused before the race guard's election: no listing of the carts for the name
    assert "GET /order/cart" not in api.keys()
    assert sut.changed is False


def test_price_within_max_price_orders_and_says_so():
    priced = dict(BILLING, priceWithTax={"value": 12.0, "currencyCode": "EUR"},
                  priceWithoutTax={"value": 10.0, "currencyCode": "EUR"})
    api = FakeApi(fresh_account(**{"GET %s/checkout" % CART: PRICED_SUMMARY, "GET /me/order/%s" % ORDER_ID: priced,
                                   "GET /me/payment/method": [42], PAY: None}))
    result = ensurer(api, max_price=12.0).present()
    assert result["changed"] is True
    assert api.count("POST %s/checkout" % CART) == 1
    assert result["order"]["within_max_price"] is True
    assert result["order"]["prices"] == {"with_tax": 12.0, "without_tax": 10.0}
    # not free: paid once with the default payment method
    assert pay_calls(api) == [("POST", "/me/order/%s/pay" % ORDER_ID, {"paymentMethod": {"id": 42}})]


def test_no_max_price_adds_nothing_to_the_order():
    result = ensurer(FakeApi(fresh_account())).present()
    assert "within_max_price" not in result["order"]


def test_summary_without_price_is_refused_when_a_cap_is_set():
    summary = {"orderId": None, "url": None, "prices": {}}
    api = FakeApi(fresh_account(**{"GET %s/checkout" % CART: summary}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api, max_price=5).present()
    assert "shows no price with tax" in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 0
    assert api.count("DELETE %s" % CART) == 1


def test_check_mode_predicts_the_refusal_with_the_catalogue_price():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": catalogue(1000000000, 200000000)}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api, check_mode=True, max_price=10.0).present()
    assert "price 12.00 EUR with tax exceeds max_price 10.00" in err.value.msg
    assert "check mode" in err.value.msg
    assert api.writes() == []


def test_check_mode_reports_the_price_within_the_cap():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": catalogue(0)}))
    result = ensurer(api, check_mode=True, max_price=0).present()
    assert result["changed"] is True
    assert result["order"]["prices"]["with_tax"] == 0.0
    assert result["order"]["within_max_price"] is True
    assert api.writes() == []


def test_check_mode_with_an_unknown_price_reports_it_unknown():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": api_err(500)}))
    result = ensurer(api, check_mode=True, max_price=1.0).present()
    assert result["changed"] is True
    assert result["order"]["within_max_price"] is None
    assert api.writes() == []


def test_an_order_in_flight_is_followed_whatever_max_price():
    answers = fresh_account(**{"GET /cloud/order": [{"orderId": 9, "date": "2026-11-23T14:55:00+00:00",
                                                     "planCode": "project.2018", "serviceName": None, "status": "delivering"}]})
    answers.update(delivered_order(order_id=9))
    answers["GET /me/order/9"] = {"orderId": 9, "url": "u", "priceWithTax": {"value": 99.0, "currencyCode": "EUR"}}
    api = FakeApi(answers)
    result = ensurer(api, max_price=1.0).present()
    assert result["project"]["project_id"] == PID
    assert api.writes() == []


# -- paying only after checking: one order paid for the name -------------------------------------------------------


def cloud_order(order_id, status="unpaid", service_name=None):
    return {"orderId": order_id, "planCode": "project.2018", "status": status, "serviceName": service_name}


def other_run_order(api, order_id=9, date=NOW, price=0.0, paid_by_other_run_after=None):
    """Order ``order_id`` for "team-a" placed at ``date`` by another run, notPaid until someone pays it (this run's pay
    call, or the other run ``paid_by_other_run_after`` seconds of this run's waiting); delivered PID once paid."""
    answers = delivered_order(order_id=order_id)
    answers["GET /me/order/%s" % order_id] = {
        "orderId": order_id, "url": "https://pay/%s" % order_id, "date": date.isoformat(),
        "priceWithTax": {"value": price, "currencyCode": "EUR"}, "priceWithoutTax": {"value": price, "currencyCode": "EUR"}}
    pays = ("POST /me/order/%s/payWithRegisteredPaymentMean" % order_id, "POST /me/order/%s/pay" % order_id)

    def status(query):
        paid_here = any(api.count(key) for key in pays)
        paid_there = paid_by_other_run_after is not None and api.run.waited() >= paid_by_other_run_after
        return "delivered" if paid_here or paid_there else "notPaid"

    answers["GET /me/order/%s/status" % order_id] = status
    for key in pays:
        answers[key] = lambda body: api.paid_at.append(api.run.waited())
    api.paid_at = []
    api.answers.update(answers)


def running(api, **overrides):
    """The run, known to the fake API (whose answers may depend on how long the run waited)."""
    api.run = ensurer(api, **overrides)
    return api.run


def placed_by_us(api):
    return api.count("POST %s/checkout" % CART) > 0


def test_own_order_is_left_unpaid_when_another_run_placed_a_lower_one():
    # the race guard missed the other run (its order shows in /cloud/order only after our checkout): its order 9 is the
    # one paid (once its grace is over: that run died or is slow), ours is left unpaid and reported
    api = FakeApi(fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "notPaid"}))
    api.answers["GET /cloud/order"] = lambda query: [cloud_order(9)] if placed_by_us(api) else []
    other_run_order(api, 9)
    run = running(api)
    result = run.present()
    assert result["order"]["order_id"] == 9
    assert result["project"]["project_id"] == PID
    assert result["changed"] is True
    assert result["unpaid_orders"] == [{"order_id": ORDER_ID, "url": ORDER_URL}]
    assert any("order %s for 'team-a' was left unpaid: order 9 is the one paid and followed" % ORDER_ID in w
               and ORDER_URL in w for w in result["warnings"])
    assert pay_calls(api) == [("POST", "/me/order/9/payWithRegisteredPaymentMean", {"paymentMean": "fidelityAccount"})]
    assert not [k for k in api.keys() if k.startswith("POST /me/order/%s/" % ORDER_ID)]
    # paid once its grace was over (placed at NOW; the run's clock is NOW plus what it waited), not before
    assert len(api.paid_at) == 1 and 30 <= api.paid_at[0] < 30 + 3
    assert run.sut.waiting.pauses[0] == 6.0  # the listings settled before the election


def test_other_runs_lower_order_paid_by_that_run_during_the_grace_is_only_followed():
    api = FakeApi(fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "notPaid"}))
    api.answers["GET /cloud/order"] = lambda query: [cloud_order(9)] if placed_by_us(api) else []
    other_run_order(api, 9, paid_by_other_run_after=12)
    result = running(api).present()
    assert result["order"]["order_id"] == 9 and result["project"]["project_id"] == PID
    assert result["unpaid_orders"] == [{"order_id": ORDER_ID, "url": ORDER_URL}]
    assert pay_calls(api) == []
    assert 12 <= api.run.waited() < 30  # stopped waiting when the payment showed


def test_own_lower_order_is_paid_at_once_and_the_later_one_reported():
    # another run's order 556 shows up too, placed after ours: ours (555) is paid without waiting any grace
    api = FakeApi(fresh_account())
    api.answers["GET /me/order"] = lambda query: [556, ORDER_ID] if placed_by_us(api) else []
    api.answers.update(order_lines(556, "team-a"))
    api.answers["GET /me/order/556/status"] = "notPaid"
    api.answers["GET /me/order/556"] = {"orderId": 556, "url": "https://pay/556"}
    api.answers["GET /me/order/%s/status" % ORDER_ID] = lambda query: "delivered" if pay_calls(api) else "notPaid"
    run = running(api)
    result = run.present()
    assert result["order"]["order_id"] == ORDER_ID and result["project"]["project_id"] == PID
    assert result["unpaid_orders"] == [{"order_id": 556, "url": "https://pay/556"}]
    assert [c[1] for c in pay_calls(api)] == ["/me/order/%s/payWithRegisteredPaymentMean" % ORDER_ID]
    assert run.sut.waiting.pauses == [6.0]  # the settle time only
    assert "GET /me/order/556/followUp" not in api.keys()


def test_killed_winners_unpaid_order_is_paid_once_by_the_rerun_without_a_cart():
    # the run that placed order 9 died before paying it; it is older than the grace: paid at once, with the default
    # payment method (not free)
    api = FakeApi({"GET /cloud/project": [], "GET /cloud/order": [cloud_order(9)], "GET /me/order": [],
                   "GET /me/payment/method": [42]})
    other_run_order(api, 9, date=NOW - datetime.timedelta(minutes=10), price=12.0)
    run = running(api)
    result = run.present()
    assert api.writes() == [("POST", "/me/order/9/pay", {"paymentMethod": {"id": 42}})]
    assert "POST /order/cart" not in api.keys() and "GET /cloud/eligibility" not in api.keys()
    assert result["changed"] is True
    assert result["order"]["order_id"] == 9 and result["order"]["url"] == "https://pay/9"
    assert result["project"]["project_id"] == PID
    assert result["pending_payment"] is False and result["unpaid_orders"] == []
    assert run.waited() == 0  # its grace was long over


def test_killed_winners_unpaid_order_is_not_paid_without_auto_pay():
    api = FakeApi({"GET /cloud/project": [], "GET /cloud/order": [cloud_order(9)], "GET /me/order": []})
    other_run_order(api, 9, date=NOW - datetime.timedelta(minutes=10))
    result = running(api, auto_pay=False).present()
    assert api.writes() == []
    assert result["pending_payment"] is True and result["order"]["order_id"] == 9
    assert "GET /me/payment/method" not in api.keys()  # nothing is paid: no payment method is even looked at


def test_killed_winners_unpaid_order_in_check_mode_writes_nothing():
    api = FakeApi({"GET /cloud/project": [], "GET /cloud/order": [cloud_order(9)], "GET /me/order": []})
    other_run_order(api, 9, date=NOW - datetime.timedelta(minutes=10))
    result = running(api, check_mode=True).present()
    assert api.writes() == []
    assert result["order"]["order_id"] == 9 and result["order"]["status"] == "notPaid"
    assert result["pending_payment"] is True and result["project"] is None
    assert "GET /me/payment/method" not in api.keys() and "GET /me/order/9/followUp" not in api.keys()


def test_check_mode_with_two_orders_for_the_name_writes_nothing():
    answers = pending_account(order_id=4)
    answers["GET /cloud/order"] = [cloud_order(8), cloud_order(4, "delivering")]
    answers.update(order_lines(8, "team-a"))
    answers["GET /me/order/8/status"] = "notPaid"
    answers["GET /me/order/8"] = {"orderId": 8, "url": "https://pay/8"}
    api = FakeApi(answers)
    result = running(api, check_mode=True).present()
    assert api.writes() == []
    assert result["order"]["order_id"] == 4
    assert result["unpaid_orders"] == [{"order_id": 8, "url": "https://pay/8"}]


def test_slow_cart_creation_renews_the_lease_before_the_election():
    api = FakeApi(fresh_account(**{"PUT %s" % CART: lambda body: dict(CART_STATE, expire=body["expire"])}))
    run = running(api)

    def slow_assign(body):
        run.skew += 3.0  # creating and assigning the cart took 3 s of API time

    api.answers["POST %s/assign" % CART] = slow_assign
    result = run.present()
    assert result["project"]["project_id"] == PID
    assert [c for c in api.writes() if c[0] == "PUT"] == [("PUT", CART, {"expire": "2026-11-23T15:05:03+00:00"})]
    keys = api.keys()
    assert keys.index("POST %s/assign" % CART) < keys.index("PUT %s" % CART) < keys.index("GET /order/cart")
    assert api.count("POST %s/checkout" % CART) == 1 and len(pay_calls(api)) == 1
    assert not [w for w in result["warnings"] if "renewing" in w]


def test_refused_lease_renewal_is_a_warning_and_the_run_still_orders():
    api = FakeApi(fresh_account(**{"PUT %s" % CART: api_err(403, method="PUT", path=CART, message="Forbidden")}))
    run = running(api)
    api.answers["POST %s/assign" % CART] = lambda body: setattr(run, "skew", run.skew + 5.0)
    result = run.present()
    assert api.count("PUT %s" % CART) == 1
    assert any("cart cart-1: renewing its lease after a slow creation failed" in w for w in result["warnings"])
    assert api.count("POST %s/checkout" % CART) == 1 and len(pay_calls(api)) == 1
    assert result["project"]["project_id"] == PID and result["changed"] is True


def test_read_only_cart_seen_right_before_checkout_is_given_way_to():
    # the first listing shows only our cart; the listing again right before checkout shows another run's cart,
    # already checked out (read-only), whose order then appears: followed, ours never checked out
    api = FakeApi(fresh_account())
    listings = [["cart-1"], ["cart-0", "cart-1"]]
    api.answers["GET /order/cart"] = lambda query: listings.pop(0) if len(listings) > 1 else listings[0]
    api.answers["GET %s" % OTHER] = dict(OTHER_CART, readOnly=True, expire="2026-11-23T15:06:00+00:00")
    api.answers["GET /cloud/order"] = lambda query: [cloud_order(9, "delivering")] if "DELETE %s" % CART in api.keys() else []
    api.answers.update(delivered_order(order_id=9))
    api.answers["GET /me/order/9"] = {"orderId": 9, "url": "https://pay/9"}
    result = running(api).present()
    assert api.count("POST %s/checkout" % CART) == 0
    assert api.count("DELETE %s" % CART) == 1 and "DELETE %s" % OTHER not in api.keys()
    assert pay_calls(api) == []
    assert result["changed"] is False
    assert result["order"]["order_id"] == 9 and result["project"]["project_id"] == PID
    assert any("another run's cart for 'team-a' (cart-0) came first when the carts were listed again before checkout"
               in w for w in result["warnings"])
    assert api.count("GET /order/cart") == 2


def test_delivered_order_missed_by_a_stale_project_listing_is_followed_without_a_cart():
    answers = {"GET /cloud/project": [], "GET /cloud/order": [], "GET /me/order": [11],
               "GET /me/order/11": {"orderId": 11, "url": "https://pay/11"}}
    answers.update(delivered_order(order_id=11))  # its project PID carries the name
    api = FakeApi(answers)
    result = running(api).present()
    assert api.writes() == []
    assert "POST /order/cart" not in api.keys() and "GET /cloud/eligibility" not in api.keys()
    assert result["order"]["order_id"] == 11 and result["project"]["project_id"] == PID
    assert result["changed"] is False


def test_order_of_a_renamed_project_is_skipped_and_the_name_ordered():
    api = FakeApi(fresh_account(**{"GET /cloud/order": [cloud_order(3, "delivered", service_name=PID2)],
                                   "GET /cloud/project/%s" % PID2: project(PID2, "renamed")}))
    api.answers.update(order_lines(3, "team-a", pid=PID2))
    result = running(api).present()
    assert api.count("POST /order/cart") == 1 and api.count("POST %s/checkout" % CART) == 1
    assert result["order"]["order_id"] == ORDER_ID and result["project"]["project_id"] == PID
    assert "GET /me/order/3/status" not in api.keys()  # never a candidate for payment
    assert [c[1] for c in pay_calls(api)] == ["/me/order/%s/payWithRegisteredPaymentMean" % ORDER_ID]
    assert result["unpaid_orders"] == []


def test_priced_order_without_a_default_payment_method_fails_before_checkout_and_deletes_the_cart():
    api = FakeApi(fresh_account(**{"GET %s/checkout" % CART: PRICED_SUMMARY, "GET /me/payment/method": []}))
    sut = ensurer(api)
    with pytest.raises(WorkflowError) as err:
        sut.present()
    assert err.value.step == "check payment method"
    assert "Nothing was ordered" in err.value.msg
    assert api.count("POST %s/checkout" % CART) == 0 and not pay_calls(api)
    assert api.keys()[-1] == "DELETE %s" % CART
    assert "GET /order/cart" not in api.keys()  # refused before the race guard's election
    assert sut.changed is False


def test_priced_order_without_auto_pay_needs_no_default_payment_method():
    answers = fresh_account(**{"GET %s/checkout" % CART: PRICED_SUMMARY, "GET /me/order/%s/status" % ORDER_ID: "notPaid"})
    api = FakeApi(answers)
    result = ensurer(api, auto_pay=False).present()
    assert "GET /me/payment/method" not in api.keys()
    assert api.count("POST %s/checkout" % CART) == 1 and not pay_calls(api)
    assert result["pending_payment"] is True


def test_free_order_needs_no_default_payment_method():
    api = FakeApi(fresh_account())
    ensurer(api).present()
    assert "GET /me/payment/method" not in api.keys()


def test_failure_choosing_the_order_to_pay_names_the_placed_order_and_pays_nothing():
    # the listing after checkout fails for good: the run says which order it placed, and that a rerun pays it once
    api = FakeApi(fresh_account(**{"GET /cloud/order": Seq([], [], api_err(503))}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api).present()
    assert err.value.step == "choose order to pay"
    assert "Order %s was placed and is not paid yet" % ORDER_ID in err.value.msg
    assert err.value.details["order_id"] == ORDER_ID
    assert api.count("POST %s/checkout" % CART) == 1
    assert [k for k in api.keys() if k.startswith("POST /me/order")] == []


def test_checked_out_cart_whose_order_delivered_a_renamed_project_does_not_hold_the_name():
    # order 3 (for team-a, dated after cart-0 was announced) delivered PID2, renamed since: cart-0, still listed
    # read-only for the rest of its lease, is that order's cart; nobody is ordering team-a, so this run orders
    api = FakeApi(fresh_account(**{"GET /cloud/order": [dict(cloud_order(3, "delivered", service_name=PID2),
                                                             date="2026-11-23T14:58:00+00:00")],
                                   "GET /cloud/project/%s" % PID2: project(PID2, "renamed")}))
    api.answers.update(order_lines(3, "team-a", pid=PID2))
    api.answers["GET /order/cart"] = ["cart-0", "cart-1"]
    api.answers["GET %s" % OTHER] = dict(OTHER_CART, readOnly=True, expire="2026-11-23T15:02:30+00:00")  # announced 14:57:30
    result = running(api).present()
    assert api.count("POST %s/checkout" % CART) == 1
    assert "DELETE %s" % OTHER not in api.keys()
    assert result["order"]["order_id"] == ORDER_ID and result["project"]["project_id"] == PID


def test_checked_out_cart_of_an_order_not_listed_yet_is_still_given_way_to():
    # the renamed project's order 3 is older than cart-0: cart-0's own order is not listed yet, so this run waits
    api = FakeApi(fresh_account(**{"GET /cloud/order": [dict(cloud_order(3, "delivered", service_name=PID2),
                                                             date="2026-11-23T14:50:00+00:00")],
                                   "GET /cloud/project/%s" % PID2: project(PID2, "renamed")}))
    api.answers.update(order_lines(3, "team-a", pid=PID2))
    api.answers["GET /order/cart"] = ["cart-0", "cart-1"]
    api.answers["GET %s" % OTHER] = dict(OTHER_CART, readOnly=True, expire="2026-11-23T15:02:30+00:00")
    with pytest.raises(WorkflowError) as err:
        running(api, wait_timeout=20).present()
    assert err.value.step == "wait for another run"
    assert api.count("POST %s/checkout" % CART) == 0 and api.count("DELETE %s" % CART) == 1


def test_run_ahead_whose_cart_leaves_the_listing_before_its_order_is_listed_is_followed():
    # the API unlists a checked-out cart, and lists its order a few seconds later: the order listings get their settle
    # time before the run ahead counts as dead, so this run follows its order instead of ordering too
    answers = fresh_account()
    answers["GET /order/cart"] = Seq(["cart-0", "cart-1"], ["cart-0"], [])
    answers["GET %s" % OTHER] = OTHER_CART
    answers.update(delivered_order(order_id=9))
    answers["GET /me/order/9"] = {"orderId": 9, "url": "https://pay/9", "priceWithTax": {"value": 0}}
    api = FakeApi(answers)
    cloud_orders = Seq([], [], [], [], [cloud_order(9, "delivering")])  # listed only after the pause
    api.answers["GET /cloud/order"] = lambda query: cloud_orders.next()
    result = running(api).present()
    assert api.count("POST %s/checkout" % CART) == 0 and api.count("POST /order/cart") == 1
    assert result["order"]["order_id"] == 9 and result["project"]["project_id"] == PID
    assert not any("stopped without an order" in w for w in result["warnings"])


# -- plan options: the public catalogue first, the cart's offer as the authority ------------------------------------

HDS = "certification.hds.2018"
OPTIONS_CATALOGUE = {"locale": {"currencyCode": "EUR"}, "plans": [{
    "planCode": "project.2018", "pricings": [{"mode": "default", "duration": "P1M", "price": 0, "tax": 0}],
    "addonFamilies": [{"name": "certification", "addons": [HDS], "default": None, "exclusive": False, "mandatory": False}]}]}
CART_OPTIONS = [{"planCode": HDS, "prices": [{"duration": "P1M", "pricingMode": "default"}]}]


def test_an_option_the_catalogue_does_not_offer_fails_before_any_write():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": OPTIONS_CATALOGUE}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api, plan_options=[HDS, "certification.nope.2099"]).present()
    assert err.value.step == "check plan options" and "certification.nope.2099 is not offered" in err.value.msg
    assert api.writes() == [] and "GET /cloud/eligibility" not in api.keys()


def test_check_mode_with_an_option_the_catalogue_does_not_offer_fails_too():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": OPTIONS_CATALOGUE}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api, check_mode=True, plan_options=["certification.nope.2099"]).present()
    assert err.value.step == "check plan options" and api.writes() == []


def test_options_the_catalogue_offers_are_checked_on_the_cart_and_ordered_with_one_catalogue_read():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": OPTIONS_CATALOGUE,
                                   "GET %s/cloud/options" % CART: CART_OPTIONS,
                                   "POST %s/cloud/options" % CART: {"itemId": 78}}))
    result = ensurer(api, plan_options=[HDS]).present()
    assert result["project"]["project_id"] == PID
    keys = api.keys()
    assert keys.count("GET /order/catalog/public/cloud") == 1
    assert keys.index("GET /order/catalog/public/cloud") < keys.index("POST /order/cart")
    assert keys.index("GET %s/cloud/options" % CART) < keys.index("POST %s/cloud" % CART)
    assert api.count("POST %s/cloud/options" % CART) == 1


def test_an_unreadable_catalogue_leaves_the_check_to_the_cart_which_deletes_its_cart():
    api = FakeApi(fresh_account(**{"GET /order/catalog/public/cloud": api_err(503),
                                   "GET %s/cloud/options" % CART: CART_OPTIONS}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api, plan_options=["certification.nope.2099"]).present()
    assert err.value.step == "list plan options" and "according to the cart's offer" in err.value.msg
    assert [key for key in api.keys() if key.split()[0] in WRITES] == [
        "POST /order/cart", "POST %s/assign" % CART, "DELETE %s" % CART]


def test_no_option_no_catalogue_read_when_ordering():
    api = FakeApi(fresh_account())
    ensurer(api).present()
    assert "GET /order/catalog/public/cloud" not in api.keys()
