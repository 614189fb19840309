# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The order workflow against a scripted fake API: lookup, pending orders, cart, follow, eligibility, the orchestrator."""

from __future__ import annotations

import copy
import datetime
import functools

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import project_ensurer
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.api import OvhApiError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.cart_order import CART_DESCRIPTION_PREFIX, CartOrder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.catalog import catalog_price
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.eligibility import ACTION_ADVICE, EligibilityCheck
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.order_follower import (
    NOT_PAID_GRACE,
    TRANSIENT_READ_RETRIES,
    OrderFollower,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.order_reader import OrderReader, order_prices
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.pending_orders import PendingOrderFinder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.project_ensurer import ProjectEnsurer
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.project_lookup import ProjectLookup, project_summary

PID = "0123456789ab4cdef0123456789abcde"
PID2 = "aaaaaaaaaaaa4bbbbbbbbbbbbbbbbbbb"
PID3 = "cccccccccccc4ddddddddddddddddddd"
NOW = datetime.datetime(2026, 11, 23, 15, 0, 0, tzinfo=datetime.timezone.utc)
WRITES = ("POST", "PUT", "DELETE")


# -- the scripted fake API -------------------------------------------------------------------------


class UnexpectedCall(AssertionError):
    pass


class Seq:
    """Successive answers for one call; the last one repeats."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def next(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class FakeApi:
    """Records (method, path, query-or-body) and answers from a dict keyed by "METHOD path".

    An answer is a value (returned), an exception (raised), a Seq (successive answers) or a callable
    (called with the query/body dict; it may return or raise).
    """

    def __init__(self, answers=None):
        self.answers = dict(answers or {})
        self.calls = []
        self.client = None

    def get(self, path, need_auth=True, **query):
        return self._answer("GET", path, query, need_auth)

    def post(self, path, need_auth=True, **body):
        return self._answer("POST", path, body, need_auth)

    def put(self, path, need_auth=True, **body):
        return self._answer("PUT", path, body, need_auth)

    def delete(self, path, need_auth=True):
        return self._answer("DELETE", path, {}, need_auth)

    def _answer(self, method, path, data, need_auth):
        key = "%s %s" % (method, path)
        self.calls.append((method, path, data))
        self.need_auth = need_auth
        if key not in self.answers:
            raise UnexpectedCall("unexpected call %s %r" % (key, data))
        answer = self.answers[key]
        if isinstance(answer, Seq):
            answer = answer.next()
        if callable(answer) and not isinstance(answer, type):
            answer = answer(data)
        if isinstance(answer, BaseException):
            raise answer
        return copy.deepcopy(answer)

    # what the tests look at
    def writes(self):
        return [c for c in self.calls if c[0] in WRITES]

    def keys(self):
        return ["%s %s" % (m, p) for m, p, dummy in self.calls]

    def count(self, key):
        return self.keys().count(key)


def api_err(status=None, transport=False, method="GET", path="/x", message="boom", error_code=None):
    return OvhApiError(method, path, message, status=status, query_id="EU.q.1" if status else None,
                       error_code=error_code, transport_error=transport)


class FakeDeadline:
    """A Deadline on a fake clock: sleep() advances the clock one second; no real waiting."""

    def __init__(self, timeout, step=1.0):
        self.timeout = timeout
        self.now = 0.0
        self.step = step
        self.sleeps = 0

    def elapsed(self):
        return self.now

    def remaining(self):
        return self.timeout - self.now

    def expired(self):
        return self.remaining() <= 0

    def sleep(self):
        if self.remaining() <= 0:
            return False
        self.now += min(self.step, self.remaining())
        self.sleeps += 1
        return True


def project(pid, name, status="ok", order_id=None):
    return {"project_id": pid, "description": name, "status": status, "creationDate": "2026-11-23T15:40:00+00:00",
            "planCode": "project.2018", "orderId": order_id}


def extension(name, plan_code="project.2018"):
    return {"order": {"action": "create", "plan": {"code": plan_code, "duration": "P1M"},
                      "configurations": [{"label": "voucher", "value": "X"}, {"label": "description", "value": name}]}}


def order_lines(order_id, name, pid=None, plan_code="project.2018"):
    """The /me/order/{id}/details answers of an order for ``name`` that delivered ``pid``."""
    base = "/me/order/%s/details" % order_id
    return {
        "GET %s" % base: [1],
        "GET %s/1/extension" % base: extension(name, plan_code),
        "GET %s/1" % base: {"orderDetailId": 1, "domain": pid or "*001"},
        "GET %s/1/operations" % base: api_err(404),
    }


# -- ProjectLookup -------------------------------------------------------------------------------


def test_lookup_finds_the_live_project_with_the_name():
    api = FakeApi({
        "GET /cloud/project": [PID, PID2, PID3, "gone", "vanished"],
        "GET /cloud/project/%s" % PID: project(PID, "other"),
        "GET /cloud/project/%s" % PID2: project(PID2, "team-a"),
        "GET /cloud/project/%s" % PID3: project(PID3, "team-a", status="deleted"),
        "GET /cloud/project/gone": project("gone", "team-a", status="deleting"),
        "GET /cloud/project/vanished": api_err(404),
    })
    assert ProjectLookup(api).find_by_name("team-a") == [project(PID2, "team-a")]
    assert api.count("GET /cloud/project/vanished") == 1
    assert not api.writes()


def test_lookup_finds_every_project_with_the_name_and_is_exact():
    api = FakeApi({
        "GET /cloud/project": [PID, PID2, PID3],
        "GET /cloud/project/%s" % PID: project(PID, "team-a", status="creating"),
        "GET /cloud/project/%s" % PID2: project(PID2, "team-a"),
        "GET /cloud/project/%s" % PID3: project(PID3, "team-a "),
    })
    assert [p["project_id"] for p in ProjectLookup(api).find_by_name("team-a")] == [PID, PID2]
    assert ProjectLookup(api).find_by_name("Team-A") == []


def test_lookup_other_errors_propagate():
    api = FakeApi({"GET /cloud/project": [PID], "GET /cloud/project/%s" % PID: api_err(500)})
    with pytest.raises(OvhApiError) as err:
        ProjectLookup(api).find_by_name("team-a")
    assert err.value.status == 500


def test_lookup_get_is_none_on_404():
    api = FakeApi({"GET /cloud/project/%s" % PID: api_err(404)})
    assert ProjectLookup(api).get(PID) is None


def test_project_summary():
    assert project_summary(project(PID, "team-a", order_id=None), order_id=7) == {
        "project_id": PID, "name": "team-a", "status": "ok", "creation_date": "2026-11-23T15:40:00+00:00",
        "plan_code": "project.2018", "order_id": 7,
    }
    assert project_summary(project(PID, "team-a", order_id=3), order_id=7)["order_id"] == 3


# -- OrderReader ---------------------------------------------------------------------------------


def test_delivered_project_id_skips_placeholder_domain_even_first():
    api = FakeApi({
        "GET /me/order/5/details": [11, 12, 13],
        "GET /me/order/5/details/11": {"domain": "*001"},
        "GET /me/order/5/details/12": {"domain": PID},
        "GET /me/order/5/details/13": {"domain": PID2},
    })
    assert OrderReader(api).delivered_project_id(5) == PID
    assert "GET /me/order/5/details/13" not in api.keys()
    assert not [k for k in api.keys() if "operations" in k]


def test_delivered_project_id_falls_back_to_us_operations():
    api = FakeApi({
        "GET /me/order/5/details": [11, 12],
        "GET /me/order/5/details/11": {"domain": "*001"},
        "GET /me/order/5/details/12": {"domain": None},
        "GET /me/order/5/details/11/operations": api_err(404),
        "GET /me/order/5/details/12/operations": [101, 102],
        "GET /me/order/5/details/12/operations/101": {"resource": {"name": "*001"}},
        "GET /me/order/5/details/12/operations/102": {"resource": {"name": PID}},
    })
    assert OrderReader(api).delivered_project_id(5) == PID


def test_delivered_project_id_unknown_yet():
    api = FakeApi({
        "GET /me/order/5/details": [11],
        "GET /me/order/5/details/11": {"domain": "*001"},
        "GET /me/order/5/details/11/operations": [],
    })
    assert OrderReader(api).delivered_project_id(5) is None


def test_project_request_reads_extension_plan_and_description():
    api = FakeApi({
        "GET /me/order/5/details": [1, 2, 3],
        "GET /me/order/5/details/1/extension": api_err(404),
        "GET /me/order/5/details/2/extension": extension("team-a", plan_code="other.plan"),
        "GET /me/order/5/details/3/extension": extension("team-a"),
    })
    assert OrderReader(api).project_request(5, ("project.2018",)) == ("project.2018", "team-a")
    assert OrderReader(api).project_request(5, ("project",)) is None


def test_order_prices():
    order = {"prices": {"withTax": {"value": 1.2, "currencyCode": "EUR"}, "withoutTax": {"value": 1.0, "currencyCode": "EUR"}}}
    assert order_prices(order) == {"with_tax": 1.2, "without_tax": 1.0, "currency": "EUR"}
    assert order_prices(None) == {"with_tax": None, "without_tax": None, "currency": None}


# -- PendingOrderFinder --------------------------------------------------------------------------


def finder(api, plan_codes=("project.2018",)):
    return PendingOrderFinder(api, ProjectLookup(api), plan_codes, now=lambda: NOW)


def test_pending_from_cloud_order_matches_description_and_plan_code():
    answers = {
        "GET /cloud/order": [
            {"orderId": 1, "planCode": "project.2018", "status": "delivering", "date": "2026-11-23T14:00:00+00:00"},
            {"orderId": 2, "planCode": "project.2018", "status": "unpaid"},
            {"orderId": 3, "planCode": "other.plan", "status": "unpaid"},
            {"orderId": 4, "planCode": "project.2018", "status": "unpaid"},
        ],
    }
    answers.update(order_lines(1, "team-a"))
    answers.update(order_lines(2, "other-name"))
    answers.update(order_lines(4, "team-a", plan_code="other.plan"))
    api = FakeApi(answers)
    found = finder(api).find("team-a")
    assert [(o.order_id, o.status, o.source, o.date) for o in found] == [(1, "delivering", "/cloud/order", "2026-11-23T14:00:00+00:00")]
    assert "GET /me/order/3/details" not in api.keys()  # filtered on planCode before any read
    assert "GET /me/order" not in api.keys()  # found there: no fallback
    assert not api.writes()


def test_pending_from_cloud_order_sorted_by_order_id():
    answers = {"GET /cloud/order": [{"orderId": 9, "planCode": "project.2018", "status": "unpaid"},
                                    {"orderId": 3, "planCode": "project.2018", "status": "unknown"}]}
    answers.update(order_lines(9, "team-a"))
    answers.update(order_lines(3, "team-a"))
    assert [o.order_id for o in finder(FakeApi(answers)).find("team-a")] == [3, 9]


def test_pending_recent_orders_fallback():
    answers = {
        "GET /cloud/order": [],
        "GET /me/order": [10, 11, 12, 13, 14],
        "GET /me/order/10/status": "cancelled",
        "GET /me/order/11/status": "delivered",
        "GET /me/order/12/status": "delivered",
        "GET /me/order/13/status": "notPaid",
        "GET /me/order/14/status": "checking",
        "GET /cloud/project/%s" % PID: api_err(404),
        "GET /cloud/project/%s" % PID2: project(PID2, "renamed"),
    }
    answers.update(order_lines(10, "team-a"))
    answers.update(order_lines(11, "team-a", pid=PID))
    answers.update(order_lines(12, "team-a", pid=PID2))
    answers.update(order_lines(13, "other-name"))
    answers.update(order_lines(14, "team-a"))
    api = FakeApi(answers)
    found = finder(api).find("team-a")
    assert [(o.order_id, o.status, o.source) for o in found] == [(11, "delivered", "/me/order"), (14, "checking", "/me/order")]
    me_order = [c for c in api.calls if c[1] == "/me/order"]
    assert me_order == [("GET", "/me/order", {"date.from": "2026-11-22T15:00:00Z"})]
    assert "GET /me/order/10/details" not in api.keys()  # cancelled orders are not even read


def test_pending_nothing():
    api = FakeApi({"GET /cloud/order": [], "GET /me/order": []})
    assert finder(api).find("team-a") == []


# -- CartOrder -----------------------------------------------------------------------------------

CART = "/order/cart/cart-1"
ITEM = CART + "/item/77"
OFFERS = [
    {"planCode": "project.2018", "productName": "Public Cloud Project",
     "prices": [{"duration": "P1M", "pricingMode": "default", "price": {"value": 0}}]},
    {"planCode": "project.legacy", "prices": [{"duration": "P1Y", "pricingMode": "upfront12"}]},
]
SUMMARY = {"orderId": None, "url": None, "prices": {"withTax": {"value": 0.0, "currencyCode": "EUR"},
                                                    "withoutTax": {"value": 0.0, "currencyCode": "EUR"}}}


def cart_answers(**overrides):
    answers = {
        "POST /order/cart": {"cartId": "cart-1", "readOnly": False},
        "POST %s/assign" % CART: None,
        "GET %s/cloud" % CART: OFFERS,
        "POST %s/cloud" % CART: {"itemId": 77},
        "GET %s/requiredConfiguration" % ITEM: [
            {"label": "description", "required": True, "type": "String"},
            {"label": "voucher", "required": False, "type": "String"},
        ],
        "POST %s/configuration" % ITEM: lambda body: {"id": 1, "label": body["label"], "value": body["value"]},
        "GET %s/checkout" % CART: SUMMARY,
        "DELETE %s" % CART: None,
        "GET %s" % CART: {"cartId": "cart-1", "readOnly": False},
    }
    answers.update(overrides)
    return answers


def cart(api, voucher=None, plan_codes=("project.2018",), duration="P1M", pricing_mode="default"):
    return CartOrder(api, "team-a", "FR", plan_codes, duration, pricing_mode, voucher=voucher, server_now=lambda: NOW)


def test_cart_prepare_calls_in_order_with_bodies():
    api = FakeApi(cart_answers())
    order = cart(api, voucher="V2026")
    assert order.prepare() == SUMMARY
    assert api.calls == [
        ("POST", "/order/cart", {"ovhSubsidiary": "FR", "description": CART_DESCRIPTION_PREFIX + "team-a",
                                 "expire": "2026-11-23T16:00:00+00:00"}),
        ("POST", CART + "/assign", {}),
        ("GET", CART + "/cloud", {}),
        ("POST", CART + "/cloud", {"planCode": "project.2018", "duration": "P1M", "pricingMode": "default", "quantity": 1}),
        ("GET", ITEM + "/requiredConfiguration", {}),
        ("POST", ITEM + "/configuration", {"label": "description", "value": "team-a"}),
        ("POST", ITEM + "/configuration", {"label": "voucher", "value": "V2026"}),
        ("GET", CART + "/checkout", {}),
    ]
    assert (order.cart_id, order.item_id, order.plan_code) == ("cart-1", 77, "project.2018")


def test_cart_without_voucher_sets_only_description():
    api = FakeApi(cart_answers())
    cart(api).prepare()
    assert [c[2]["label"] for c in api.calls if c[1] == ITEM + "/configuration"] == ["description"]


def test_cart_picks_first_wanted_plan_offered_with_duration_and_mode():
    api = FakeApi(cart_answers())
    order = cart(api, plan_codes=("project.legacy", "project.2018"), duration="P1Y", pricing_mode="upfront12")
    order.prepare()
    assert order.plan_code == "project.legacy"


def test_cart_plan_not_offered_lists_offers():
    api = FakeApi(cart_answers())
    with pytest.raises(WorkflowError) as err:
        cart(api, duration="P1Y").prepare()
    error = err.value
    assert error.step == "list offers"
    assert "plan project.2018 with duration P1Y and pricing mode default is not offered to subsidiary FR" in error.msg
    assert "project.2018 (P1M/default); project.legacy (P1Y/upfront12)" in error.msg
    assert error.details["offers"] == ["project.2018", "project.legacy"]
    assert "POST %s/cloud" % CART not in api.keys()


def test_cart_no_offers_at_all():
    api = FakeApi(cart_answers(**{"GET %s/cloud" % CART: []}))
    with pytest.raises(WorkflowError) as err:
        cart(api).prepare()
    assert "offered: nothing" in err.value.msg


def test_cart_unknown_required_label_refused():
    required = [{"label": "description", "required": True}, {"label": "region", "required": True},
                {"label": "optional_thing", "required": False}]
    api = FakeApi(cart_answers(**{"GET %s/requiredConfiguration" % ITEM: required}))
    with pytest.raises(WorkflowError) as err:
        cart(api).prepare()
    assert err.value.step == "read required configuration"
    assert "requires configuration region" in err.value.msg
    assert "optional_thing" not in err.value.msg
    assert err.value.details["required_configuration"] == required
    assert "POST %s/configuration" % ITEM not in api.keys()


def test_cart_step_failure_names_the_step_and_keeps_api_error():
    failure = api_err(400, method="POST", path=CART + "/cloud", message="Invalid duration")
    api = FakeApi(cart_answers(**{"POST %s/cloud" % CART: failure}))
    with pytest.raises(WorkflowError) as err:
        cart(api).prepare()
    assert err.value.step == "add project to cart"
    assert err.value.api_error is failure
    assert "Invalid duration" in err.value.msg


def test_cart_voucher_refused_names_the_voucher():
    def configuration(body):
        if body["label"] == "voucher":
            raise api_err(400, method="POST", path=ITEM + "/configuration", message="This voucher is not valid")
        return {"id": 1}

    api = FakeApi(cart_answers(**{"POST %s/configuration" % ITEM: configuration}))
    with pytest.raises(WorkflowError) as err:
        cart(api, voucher="BADCODE").prepare()
    assert err.value.step == "set voucher"
    assert "voucher BADCODE was refused" in err.value.msg
    assert "This voucher is not valid" in err.value.msg


def test_cart_checkout_body():
    api = FakeApi(cart_answers(**{"POST %s/checkout" % CART: {"orderId": 9}}))
    order = cart(api)
    order.prepare()
    assert order.checkout(auto_pay=False, waive_retractation_period=True) == {"orderId": 9}
    assert api.calls[-1] == ("POST", CART + "/checkout", {"autoPayWithPreferredPaymentMethod": False, "waiveRetractationPeriod": True})


def test_cart_discard_deletes_once():
    api = FakeApi(cart_answers())
    order = cart(api)
    assert order.discard() is None  # no cart yet: nothing to delete
    assert api.calls == []
    order.prepare()
    assert order.discard() is None
    assert order.discard() is None
    assert api.count("DELETE %s" % CART) == 1


def test_cart_discard_failure_is_a_warning():
    api = FakeApi(cart_answers(**{"DELETE %s" % CART: api_err(500, method="DELETE", path=CART)}))
    order = cart(api)
    order.prepare()
    warning = order.discard()
    assert "could not delete cart cart-1" in warning
    assert "expires by itself" in warning


@pytest.mark.parametrize("answer, expected", [({"readOnly": True}, True), ({"readOnly": False}, False), (api_err(404), None)])
def test_cart_is_checked_out(answer, expected):
    api = FakeApi(cart_answers(**{"GET %s" % CART: answer}))
    order = cart(api)
    order.prepare()
    assert order.is_checked_out() is expected


# -- OrderFollower -------------------------------------------------------------------------------


def follower(api, auto_pay=True, deadlines=None):
    deadlines = [] if deadlines is None else deadlines

    def factory(timeout):
        deadline = FakeDeadline(timeout)
        deadlines.append(deadline)
        return deadline

    return OrderFollower(api, ProjectLookup(api), auto_pay, deadline_factory=factory)


def delivered_order(order_id=5, pid=PID, project_answer=None):
    answers = {"GET /me/order/%s/status" % order_id: "delivered"}
    answers.update(order_lines(order_id, "team-a", pid=pid))
    answers["GET /cloud/project/%s" % pid] = project_answer if project_answer is not None else project(pid, "team-a")
    return answers


def test_follow_delivered_then_project_404_creating_ok():
    answers = delivered_order(project_answer=Seq(api_err(404), project(PID, "team-a", "creating"), project(PID, "team-a", "ok")))
    deadlines = []
    result = follower(FakeApi(answers), deadlines=deadlines).follow(5, 600)
    assert (result.order_id, result.status, result.pending_payment) == (5, "delivered", False)
    assert result.project["project_id"] == PID
    assert result.project["status"] == "ok"
    assert deadlines[0].sleeps == 2
    assert deadlines[0].timeout == 600


def test_follow_waits_while_order_is_checking():
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq("checking", "delivering", "delivered")
    api = FakeApi(answers)
    assert follower(api).follow(5, 600).project["status"] == "ok"
    assert api.count("GET /me/order/5/status") == 3


def test_follow_waits_for_project_id_in_order():
    answers = delivered_order()
    answers["GET /me/order/5/details/1"] = Seq({"domain": "*001"}, {"domain": PID})
    answers["GET /me/order/5/details/1/operations"] = []
    assert follower(FakeApi(answers)).follow(5, 600).project["project_id"] == PID


@pytest.mark.parametrize("status", ["cancelled", "cancelling"])
def test_follow_cancelled_order_names_it(status):
    api = FakeApi({"GET /me/order/5/status": status})
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.step == "wait for order"
    assert "order 5 was %s" % status in err.value.msg
    assert err.value.details["order_id"] == 5


def test_follow_not_paid_without_auto_pay_is_pending_payment():
    deadlines = []
    api = FakeApi({"GET /me/order/5/status": "notPaid"})
    result = follower(api, auto_pay=False, deadlines=deadlines).follow(5, 600)
    assert (result.status, result.pending_payment, result.project) == ("notPaid", True, None)
    assert deadlines[0].sleeps == 0
    assert api.keys() == ["GET /me/order/5/status"]


def test_follow_not_paid_with_auto_pay_fails_after_grace():
    deadlines = []
    api = FakeApi({"GET /me/order/5/status": "notPaid"})
    with pytest.raises(WorkflowError) as err:
        follower(api, auto_pay=True, deadlines=deadlines).follow(5, 600)
    assert "order 5 is notPaid although auto_pay was requested" in err.value.msg
    assert "no usable default payment method" in err.value.msg
    assert deadlines[0].elapsed() >= NOT_PAID_GRACE
    assert deadlines[0].elapsed() < 600


def test_follow_not_paid_with_auto_pay_within_grace_then_delivered():
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq("notPaid", "notPaid", "delivered")
    assert follower(FakeApi(answers), auto_pay=True).follow(5, 600).project["status"] == "ok"


def test_follow_timeout_names_the_order():
    api = FakeApi({"GET /me/order/5/status": "checking"})
    deadlines = []
    with pytest.raises(WorkflowError) as err:
        follower(api, deadlines=deadlines).follow(5, 10)
    assert err.value.step == "wait for order"
    assert "order 5 is still checking after 10s" in err.value.msg
    assert "rerun the task to follow this same order" in err.value.msg
    assert err.value.details["order_id"] == 5
    assert deadlines[0].elapsed() == 10


def test_follow_timeout_while_project_is_creating():
    api = FakeApi(delivered_order(project_answer=project(PID, "team-a", "creating")))
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 10)
    assert "order 5 is still delivered after 10s (project %s creating)" % PID in err.value.msg


def test_follow_zero_timeout_still_reads_once():
    api = FakeApi(delivered_order())
    assert follower(api).follow(5, 0).project["status"] == "ok"


@pytest.mark.parametrize("transient", [api_err(500), api_err(503), api_err(None, transport=True)], ids=["500", "503", "transport"])
def test_follow_transient_read_errors_retried(transient):
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq(*([transient] * TRANSIENT_READ_RETRIES + ["delivered"]))
    api = FakeApi(answers)
    assert follower(api).follow(5, 600).status == "delivered"
    assert api.count("GET /me/order/5/status") == TRANSIENT_READ_RETRIES + 1


def test_follow_transient_read_errors_give_up_after_the_limit():
    answers = {"GET /me/order/5/status": Seq(*([api_err(502)] * (TRANSIENT_READ_RETRIES + 1) + ["delivered"]))}
    api = FakeApi(answers)
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.step == "read order status"
    assert err.value.api_error.status == 502
    assert api.count("GET /me/order/5/status") == TRANSIENT_READ_RETRIES + 1


def test_follow_non_transient_read_error_not_retried():
    api = FakeApi({"GET /me/order/5/status": Seq(api_err(403), "delivered")})
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.api_error.status == 403
    assert api.count("GET /me/order/5/status") == 1


def test_follow_project_read_errors_retried_then_reported():
    answers = delivered_order(project_answer=Seq(api_err(500), project(PID, "team-a")))
    assert follower(FakeApi(answers)).follow(5, 600).project["status"] == "ok"
    answers = delivered_order(project_answer=api_err(403))
    with pytest.raises(WorkflowError) as err:
        follower(FakeApi(answers)).follow(5, 600)
    assert err.value.step == "read project"


# -- EligibilityCheck ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(ACTION_ADVICE))
def test_eligibility_action_gives_its_advice(action):
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": [action], "minimumCredit": None}})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert err.value.step == "check eligibility"
    assert "%s: %s" % (action, ACTION_ADVICE[action]) in err.value.msg
    assert "Nothing was ordered" in err.value.msg
    assert err.value.details["actions_required"] == [action]


def test_eligibility_unknown_action_still_blocks():
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": ["somethingNew"]}})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert "somethingNew: see the Control Panel" in err.value.msg


def test_eligibility_several_actions_all_reported():
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": ["verifyPaypal", "askIncreaseProjectsQuota"]}})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert err.value.details["actions_required"] == ["verifyPaypal", "askIncreaseProjectsQuota"]
    assert "project quota" in err.value.msg and "PayPal" in err.value.msg


def test_eligibility_missing_payment_method_not_blocking_without_auto_pay():
    info = {"actionsRequired": ["addPaymentMethod"]}
    api = FakeApi({"GET /cloud/eligibility": info})
    assert EligibilityCheck(api).check(auto_pay=False) == info
    with pytest.raises(WorkflowError):
        EligibilityCheck(api).check(auto_pay=True)


def test_eligibility_ok_passes_voucher_as_query():
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": []}})
    EligibilityCheck(api).check(voucher="V2026")
    EligibilityCheck(api).check()
    assert api.calls == [("GET", "/cloud/eligibility", {"voucher": "V2026"}), ("GET", "/cloud/eligibility", {})]


def test_eligibility_400_with_voucher_names_the_voucher():
    api = FakeApi({"GET /cloud/eligibility": api_err(400, message="This voucher does not exist")})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check(voucher="NOPE2026")
    assert "voucher NOPE2026 was refused: This voucher does not exist" in err.value.msg
    assert err.value.api_error.status == 400


def test_eligibility_other_errors():
    api = FakeApi({"GET /cloud/eligibility": api_err(400, message="bad")})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert err.value.msg.startswith("check eligibility failed:")
    api = FakeApi({"GET /cloud/eligibility": api_err(500)})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check(voucher="V1")
    assert "voucher" not in err.value.msg


# -- catalogue price (check mode) ----------------------------------------------------------------


def test_catalog_price_reads_the_plan_pricing_without_auth():
    catalog = {"locale": {"currencyCode": "EUR"}, "plans": [
        {"planCode": "other", "pricings": [{"mode": "default", "price": 1, "tax": 0}]},
        {"planCode": "project.2018", "pricings": [
            {"mode": "default", "capacities": ["installation"], "price": 999, "tax": 0},
            {"mode": "default", "duration": "P1Y", "capacities": ["renew"], "price": 888, "tax": 0},
            {"mode": "default", "duration": "P1M", "capacities": ["renew"], "price": 150000000, "tax": 30000000},
        ]},
    ]}
    api = FakeApi({"GET /order/catalog/public/cloud": catalog})
    assert catalog_price(api, "FR", "project.2018", "P1M", "default") == {"with_tax": 1.8, "without_tax": 1.5, "currency": "EUR"}
    assert api.calls == [("GET", "/order/catalog/public/cloud", {"ovhSubsidiary": "FR"})]
    assert api.need_auth is False
    assert catalog_price(api, "FR", "nope", "P1M", "default") == {"with_tax": None, "without_tax": None, "currency": "EUR"}


def test_catalog_price_unknown_when_catalogue_fails():
    api = FakeApi({"GET /order/catalog/public/cloud": api_err(500)})
    assert catalog_price(api, "FR", "project.2018", "P1M", "default") == {"with_tax": None, "without_tax": None, "currency": None}


# -- ProjectEnsurer ------------------------------------------------------------------------------

ORDER_ID = 555
PLACED = {"orderId": ORDER_ID, "url": "https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=555",
          "prices": {"withTax": {"value": 0.0, "currencyCode": "EUR"}, "withoutTax": {"value": 0.0, "currencyCode": "EUR"}}}


@pytest.fixture(autouse=True)
def no_real_waiting(monkeypatch):
    """The orchestrator builds its OrderFollower itself: give it the fake clock."""
    monkeypatch.setattr(project_ensurer, "OrderFollower", functools.partial(OrderFollower, deadline_factory=FakeDeadline))


def params(**overrides):
    result = dict(name="team-a", subsidiary="FR", plan_code=None, duration="P1M", pricing_mode="default", voucher=None,
                  auto_pay=True, waive_retractation_period=False, wait=True, wait_timeout=1800)
    result.update(overrides)
    return result


def fresh_account(**overrides):
    """An account with no project and no order for the name; a checkout delivers PID."""
    answers = {
        "GET /cloud/project": [],
        "GET /cloud/order": [],
        "GET /me/order": [],
        "GET /cloud/eligibility": {"actionsRequired": []},
        "POST %s/checkout" % CART: PLACED,
    }
    answers.update(cart_answers())
    answers.update(delivered_order(order_id=ORDER_ID))
    answers.update(overrides)
    return answers


def ensurer(api, check_mode=False, is_us_api=False, **overrides):
    return ProjectEnsurer(api, params(**overrides), check_mode=check_mode, endpoint_name="ovh-eu", is_us_api=is_us_api,
                          server_now=lambda: NOW)


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
    answers = {
        "GET /cloud/project": [],
        "GET /cloud/order": [{"orderId": order_id, "planCode": "project.2018", "status": status}],
        "GET /me/order/%s" % order_id: {"orderId": order_id, "url": "https://pay/9",
                                        "priceWithTax": {"value": 0.0, "currencyCode": "EUR"}, "priceWithoutTax": {"value": 0.0}},
    }
    answers.update(delivered_order(order_id=order_id))
    answers.update(overrides)
    return answers


def test_ensurer_pending_order_followed_no_cart():
    api = FakeApi(pending_account())
    result = ensurer(api).present()
    assert api.writes() == []
    assert "GET /cloud/eligibility" not in api.keys()
    assert result["project"]["project_id"] == PID
    assert result["project"]["order_id"] == 9
    assert result["order"]["order_id"] == 9
    assert result["order"]["url"] == "https://pay/9"
    assert result["order"]["status"] == "delivered"


def test_ensurer_several_pending_orders_follow_oldest_with_warning():
    answers = pending_account(order_id=4)
    answers["GET /cloud/order"] = [{"orderId": 8, "planCode": "project.2018", "status": "unpaid"},
                                   {"orderId": 4, "planCode": "project.2018", "status": "delivering"}]
    answers.update(order_lines(8, "team-a"))
    api = FakeApi(answers)
    result = ensurer(api).present()
    assert result["order"]["order_id"] == 4
    assert "2 orders are in flight for 'team-a' (4, 8): following the oldest, 4" in result["warnings"][0]
    assert api.writes() == []


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
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: lost, "GET %s" % CART: {"cartId": "cart-1", "readOnly": True}}))
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
    api = FakeApi(fresh_account(**{"POST %s/checkout" % CART: lost, "GET %s" % CART: api_err(404)}))
    with pytest.raises(WorkflowError) as err:
        ensurer(api).present()
    assert api.count("POST %s/checkout" % CART) == 1
    assert "its outcome cannot be confirmed" in err.value.msg


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


def test_ensurer_without_wait_reads_status_once():
    api = FakeApi(fresh_account(**{"GET /me/order/%s/status" % ORDER_ID: "checking"}))
    result = ensurer(api, wait=False).present()
    assert result["order"]["status"] == "checking"
    assert result["project"] is None
    assert result["changed"] is True
    assert api.count("GET /me/order/%s/status" % ORDER_ID) == 1


def test_ensurer_us_account_uses_us_plan_and_subsidiary():
    answers = fresh_account(**{"GET /me": {"ovhSubsidiary": "US"}})
    offers = [{"planCode": "project", "prices": [{"duration": "P1M", "pricingMode": "default"}]}]
    answers["GET %s/cloud" % CART] = offers
    api = FakeApi(answers)
    ensurer(api, is_us_api=None, subsidiary=None).present()
    assert api.calls[api.keys().index("POST /order/cart")][2]["ovhSubsidiary"] == "US"
    assert api.calls[api.keys().index("POST %s/cloud" % CART)][2]["planCode"] == "project"
