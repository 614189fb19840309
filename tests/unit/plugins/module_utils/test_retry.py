# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The read retry policy, applied by OvhApi: GETs retried on 5xx, 429 (Retry-After) and dropped connections; writes never."""

from __future__ import annotations

import pytest
import requests

import ovh.exceptions as ovh_exceptions

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import OvhApi
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_absent, is_transient, outcome_unknown
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import READ_RETRIES, ReadRetryPolicy
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import FakeDeadline, FakeResponse, ScriptedClient


def http(status, headers=None):
    body = {"class": "Server::Error", "message": "status %s" % status}
    return ovh_exceptions.APIError(body["message"], response=FakeResponse(status, body, headers=headers))


def dropped():
    return ovh_exceptions.HTTPError("Low HTTP request failed error", requests.exceptions.ConnectionError("reset by peer"))


def retrying(client, timeout=600):
    deadline = FakeDeadline(timeout)
    return OvhApi(client).retrying(ReadRetryPolicy(deadline)), deadline


@pytest.mark.parametrize("failure", [http(500), http(502), http(503), http(429), dropped()], ids=["500", "502", "503", "429", "dropped"])
def test_get_retried_on_transient_failures(failure):
    client = ScriptedClient(failure, failure, {"ok": True})
    api, deadline = retrying(client)
    assert api.get("/cloud/project") == {"ok": True}
    assert [c[:2] for c in client.calls] == [("GET", "/cloud/project")] * 3
    assert deadline.pauses == [0.5, 1.0]  # capped exponential backoff


def test_429_waits_what_retry_after_asks():
    client = ScriptedClient(http(429, headers={"Retry-After": "7"}), ["id"])
    api, deadline = retrying(client)
    assert api.get("/cloud/project") == ["id"]
    assert deadline.pauses == [7.0]


def test_retry_after_past_the_budget_gives_up_at_once():
    client = ScriptedClient(http(429, headers={"Retry-After": "120"}), ["id"])
    api, deadline = retrying(client, timeout=60)
    with pytest.raises(OvhApiError) as err:
        api.get("/cloud/project")
    assert err.value.status == 429
    assert err.value.retry_after == 120.0
    assert len(client.calls) == 1
    assert deadline.pauses == []


def test_no_retry_once_the_budget_is_spent():
    client = ScriptedClient(http(500), ["id"])
    api, dummy = retrying(client, timeout=0)
    with pytest.raises(OvhApiError):
        api.get("/cloud/project")
    assert len(client.calls) == 1


def test_gives_up_after_the_retry_limit():
    client = ScriptedClient(*([http(503)] * (READ_RETRIES + 1) + [["id"]]))
    api, dummy = retrying(client)
    with pytest.raises(OvhApiError) as err:
        api.get("/cloud/project")
    assert err.value.status == 503
    assert len(client.calls) == READ_RETRIES + 1


@pytest.mark.parametrize("status", [400, 403, 404, 409])
def test_client_errors_not_retried(status):
    client = ScriptedClient(http(status), ["id"])
    api, dummy = retrying(client)
    with pytest.raises(OvhApiError):
        api.get("/cloud/project")
    assert len(client.calls) == 1


@pytest.mark.parametrize("failure", [http(500), http(503), http(429), dropped()], ids=["500", "503", "429", "dropped"])
def test_post_never_retried(failure):
    client = ScriptedClient(failure, {"orderId": 1})
    api, deadline = retrying(client)
    with pytest.raises(OvhApiError):
        api.post("/order/cart/c1/checkout")
    assert [c[:2] for c in client.calls] == [("POST", "/order/cart/c1/checkout")]
    assert deadline.pauses == []


def test_without_a_policy_nothing_is_retried():
    client = ScriptedClient(http(500), ["id"])
    with pytest.raises(OvhApiError):
        OvhApi(client).get("/cloud/project")
    assert len(client.calls) == 1


def test_what_an_error_means_is_decided_in_one_place():
    def err(status=None, transport=False):
        return OvhApiError("GET", "/x", "m", status=status, transport_error=transport)

    assert [is_transient(err(s)) for s in (500, 503, 429, 404, 403)] == [True, True, True, False, False]
    assert is_transient(err(transport=True))
    assert [outcome_unknown(err(s)) for s in (500, 429, 400)] == [True, False, False]
    assert outcome_unknown(err(transport=True))
    assert [is_absent(err(s)) for s in (404, 403, 500)] == [True, False, False]
