# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared fakes of the unit tests: a scripted API, a fake clock, and the API answers of a project's order."""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import OvhApi
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._credentials import OvhClientFactory, ovh_argument_spec
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError

PID = "0123456789ab4cdef0123456789abcde"
PID2 = "aaaaaaaaaaaa4bbbbbbbbbbbbbbbbbbb"
PID3 = "cccccccccccc4ddddddddddddddddddd"
NOW = datetime.datetime(2026, 11, 23, 15, 0, 0, tzinfo=datetime.timezone.utc)
WRITES = ("POST", "PUT", "DELETE")
# python-ovh's base URL of each named endpoint, written out here so that tests do not echo the code's own table
EXPECTED_BASE_URLS = {
    "ovh-eu": "https://eu.api.ovh.com/1.0",
    "ovh-ca": "https://ca.api.ovh.com/1.0",
    "ovh-us": "https://api.us.ovhcloud.com/1.0",
    "kimsufi-eu": "https://eu.api.kimsufi.com/1.0",
    "kimsufi-ca": "https://ca.api.kimsufi.com/1.0",
    "soyoustart-eu": "https://eu.api.soyoustart.com/1.0",
    "soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
}


# -- the scripted fake API -------------------------------------------------------------------------


class UnexpectedCall(AssertionError):
    pass


class Seq:
    """Successive answers for one call; the last one repeats."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def next(self):
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class Page:
    """An answer with response headers, for ``get_with_headers`` (``get`` gets only its ``body``)."""

    def __init__(self, body, headers=None):
        self.body = body
        self.headers = dict(headers or {})


class FakeApi:
    """Records (method, path, query-or-body) and answers from a dict keyed by "METHOD path".

    An answer is a value (returned), an exception (raised), a Seq (successive answers) or a callable
    (called with the query/body dict; it may return or raise). ``get_with_headers`` records and passes the request
    headers in place of the query, and gets a Page's headers (none for another answer: an API that ignores them).
    """

    def __init__(self, answers=None):
        self.answers = dict(answers or {})
        self.calls = []
        self.fresh = []
        self.client = None
        self.read_retry = None

    def retrying(self, policy):
        """As OvhApi.retrying: the same answers and call record, with GETs retried by ``policy``."""
        clone = copy.copy(self)
        clone.read_retry = policy
        return clone

    def get(self, path, need_auth=True, **query):
        def body():
            answer = self._answer("GET", path, query, need_auth)
            return answer.body if isinstance(answer, Page) else answer
        return self.read_retry.run(body) if self.read_retry is not None else body()

    def get_fresh(self, path, need_auth=True, **query):
        """As OvhApi.get_fresh (Pragma: no-cache): recorded as a GET, and its path in ``fresh``."""
        self.fresh.append(path)
        return self.get(path, need_auth, **query)

    def get_with_headers(self, path, headers, need_auth=True):
        def page():
            answer = self._answer("GET", path, dict(headers), need_auth)
            return (answer.body, answer.headers) if isinstance(answer, Page) else (answer, {})
        return self.read_retry.run(page) if self.read_retry is not None else page()

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
    """A Deadline on a fake clock: sleep() advances the clock one second, pause(s) by s; no real waiting."""

    def __init__(self, timeout, step=1.0):
        self.timeout = timeout
        self.now = 0.0
        self.step = step
        self.sleeps = 0
        self.pauses = []

    def elapsed(self):
        return self.now

    def remaining(self):
        return self.timeout - self.now

    def pause(self, seconds):
        if self.remaining() <= 0:
            return False
        self.now += min(seconds, self.remaining())
        self.pauses.append(seconds)
        return True

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


# -- a cart and a delivered order --------------------------------------------------------------

CART = "/order/cart/cart-1"
ITEM = CART + "/item/77"
OFFERS = [
    {"planCode": "project.2018", "productName": "Public Cloud Project",
     "prices": [{"duration": "P1M", "pricingMode": "default", "price": {"value": 0}}]},
    {"planCode": "project.legacy", "prices": [{"duration": "P1Y", "pricingMode": "upfront12"}]},
]
SUMMARY = {"orderId": None, "url": None, "prices": {"withTax": {"value": 0.0, "currencyCode": "EUR"},
                                                    "withoutTax": {"value": 0.0, "currencyCode": "EUR"}}}


# The cart as the race guard reads it back: described for "team-a", leased five minutes past NOW.
CART_STATE = {"cartId": "cart-1", "readOnly": False, "description": "ovhcloud.public_cloud:team-a",
              "expire": "2026-11-23T15:05:00+00:00", "items": []}


def cart_answers(**overrides):
    answers = {
        "POST /order/cart": lambda body: {"cartId": "cart-1", "readOnly": False, "description": body["description"],
                                          "expire": body["expire"], "items": []},
        "GET /order/cart": ["cart-1"],
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
        "GET %s" % CART: CART_STATE,
    }
    answers.update(overrides)
    return answers


def delivered_order(order_id=5, pid=PID, project_answer=None):
    """An order for "team-a" that delivered ``pid``; its follow-up (read while it is checked) shows no fraud check."""
    answers = {"GET /me/order/%s/status" % order_id: "delivered", "GET /me/order/%s/followUp" % order_id: []}
    answers.update(order_lines(order_id, "team-a", pid=pid))
    answers["GET /cloud/project/%s" % pid] = project_answer if project_answer is not None else project(pid, "team-a")
    return answers


# -- python-ovh stand-ins, secrets -------------------------------------------------------------

AK = "app-key-1234"
AS = "as-Secret-0f9e8d7c6b5a"
CK = "ck-Consumer-1a2b3c4d5e6f"
CSECRET = "cs-Oauth2-9z8y7x6w5v"
SECRETS = (AS, CK, CSECRET)
QUERY_ID = "EU.ext-3.63ac85b6.10528.27b4f1fc"
PATH = "/order/cart/0f1e2d3c/checkout"


class FakeResponse:
    """What python-ovh keeps of a requests.Response in its exceptions."""

    def __init__(self, status_code, body=None, headers=None, text=None):
        self.status_code = status_code
        self.headers = {"X-OVH-QUERYID": QUERY_ID} if headers is None else headers
        self._body = body
        self._text = text

    def json(self):
        if self._text is not None:
            raise ValueError("Expecting value: line 1 column 1 (char 0)")
        return self._body

    @property
    def text(self):
        return self._text if self._text is not None else json.dumps(self._body)


class ScriptedClient:
    """Stands for ovh.Client: successive answers, the last one repeating (an exception is raised); calls recorded."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def _answer(self, method, path, kwargs):
        self.calls.append((method, path, kwargs))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def get(self, path, **kwargs):
        return self._answer("GET", path, kwargs)

    def post(self, path, **kwargs):
        return self._answer("POST", path, kwargs)

    def put(self, path, **kwargs):
        return self._answer("PUT", path, kwargs)

    def delete(self, path, **kwargs):
        return self._answer("DELETE", path, kwargs)


def api_error(exc, method="POST", path=PATH, secrets=()):
    api = OvhApi(ScriptedClient(exc), secrets=secrets)
    call = getattr(api, method.lower())
    with pytest.raises(OvhApiError) as err:
        call(path)
    return err.value


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text


def leaky_message():
    return "signature %s+%s mismatch; oauth2 secret %s refused" % (AS, CK, CSECRET)


def real_client(**options):
    params = ArgumentSpecValidator(ovh_argument_spec()).validate(dict(options)).validated_parameters
    built = OvhClientFactory(params)
    client = built.create()
    client._time_delta = 0  # pylint: disable=protected-access
    return client, built
