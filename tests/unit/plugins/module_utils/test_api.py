# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OvhApi maps every python-ovh failure to one OvhApiError; no secret ever reaches a failure message."""

from __future__ import annotations

import json

import pytest
import requests

import ovh.exceptions as ovh_exceptions

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import REDACTED, OvhApi, call_with_headers, redact
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_transient, outcome_unknown
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import ReadRetryPolicy
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    AK, AS, CK, CSECRET, PATH, QUERY_ID, SECRETS, FakeDeadline, FakeResponse, ScriptedClient, api_error, assert_no_secret, leaky_message,
    real_client,
)


def response_error(cls, status, body, message=None):
    return cls(message if message is not None else body.get("message"), response=FakeResponse(status, body))


API_ERRORS = [
    (
        response_error(ovh_exceptions.NotGrantedCall, 403, {"errorCode": "NOT_GRANTED_CALL", "httpCode": "403 Forbidden",
                                                            "message": "This call has not been granted"}),
        403, "NOT_GRANTED_CALL", "This call has not been granted",
    ),
    (
        response_error(ovh_exceptions.InvalidKey, 403, {"errorCode": "INVALID_KEY", "message": "Invalid application key"}),
        403, "INVALID_KEY", "Invalid application key",
    ),
    (
        response_error(ovh_exceptions.InvalidCredential, 403, {"errorCode": "INVALID_CREDENTIAL", "httpCode": "403 Forbidden",
                                                               "message": "This credential is not valid"}),
        403, "INVALID_CREDENTIAL", "This credential is not valid",
    ),
    (
        response_error(ovh_exceptions.ResourceNotFoundError, 404, {"class": "Client::NotFound", "message": "This service does not exist"}),
        404, "Client::NotFound", "This service does not exist",
    ),
    (
        response_error(ovh_exceptions.BadParametersError, 400, {"class": "Client::BadRequest", "message": "Invalid signature"}),
        400, "Client::BadRequest", "Invalid signature",
    ),
    (
        response_error(ovh_exceptions.ResourceConflictError, 409, {"class": "Client::Conflict", "message": "Already exists"}),
        409, "Client::Conflict", "Already exists",
    ),
    (
        response_error(ovh_exceptions.ResourceExpiredError, 460, {"class": "Client::Gone", "message": "Service expired"}),
        460, "Client::Gone", "Service expired",
    ),
    (
        response_error(ovh_exceptions.APIError, 500, {"class": "Server::InternalServerError", "message": "Internal server error"}),
        500, "Server::InternalServerError", "Internal server error",
    ),
    (
        response_error(ovh_exceptions.APIError, 403, {"class": "Client::Forbidden", "message": "This account cannot order"}),
        403, "Client::Forbidden", "This account cannot order",
    ),
]


@pytest.mark.parametrize("exc, status, error_code, message", API_ERRORS, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_api_errors_mapped(exc, status, error_code, message, method):
    error = api_error(exc, method=method)
    assert error.method == method
    assert error.path == PATH
    assert error.status == status
    assert error.query_id == QUERY_ID
    assert error.error_code == error_code
    assert error.message == message
    assert error.transport_error is False
    text = str(error)
    for part in (method, PATH, message, "HTTP %s" % status, error_code, QUERY_ID):
        assert part in text
    assert error.as_dict() == {"method": method, "path": PATH, "message": message, "status": status,
                               "error_code": error_code, "query_id": QUERY_ID}


def test_error_code_prefers_error_code_over_class():
    exc = response_error(ovh_exceptions.APIError, 403, {"errorCode": "FORBIDDEN", "class": "Client::Forbidden", "message": "no"})
    assert api_error(exc).error_code == "FORBIDDEN"


def test_query_id_read_whatever_the_header_case():
    exc = ovh_exceptions.APIError("boom", response=FakeResponse(500, {"message": "boom"}, headers={"X-Ovh-QueryID": "CA.ws-2.592b81b1"}))
    assert exc.query_id is None  # python-ovh looks for the upper-case name only in a plain dict
    assert api_error(exc).query_id == "CA.ws-2.592b81b1"


def test_http_error_wrapping_connection_error_is_a_transport_error():
    inner = requests.exceptions.ConnectionError("Connection refused by eu.api.ovh.com")
    error = api_error(ovh_exceptions.HTTPError("Low HTTP request failed error", inner), method="GET", path="/me/order/42/status")
    assert error.transport_error is True
    assert error.status is None
    assert error.query_id is None
    assert error.error_code is None
    assert error.message == "no answer from the API (ConnectionError: Connection refused by eu.api.ovh.com)"
    assert str(error) == ("GET /me/order/42/status failed: no answer from the API (ConnectionError: Connection refused by "
                          "eu.api.ovh.com). Check the endpoint and the network between this host and the API (DNS, proxy, "
                          "firewall), then rerun")


def test_http_error_wrapping_timeout_is_a_transport_error():
    inner = requests.exceptions.ReadTimeout("read timed out")
    error = api_error(ovh_exceptions.HTTPError("Low HTTP request failed error", inner))
    assert error.transport_error is True
    assert "ReadTimeout" in error.message


def test_invalid_response_is_not_a_transport_error():
    error = api_error(ovh_exceptions.InvalidResponse("Failed to decode API response", ValueError("Expecting value")), method="GET", path="/me")
    assert error.transport_error is False
    assert error.message == "the API answered with a body that is not JSON"
    assert str(error).startswith("GET /me failed: the API answered with a body that is not JSON")


def test_error_response_without_json_body_keeps_status():
    exc = ovh_exceptions.APIError("Bad gateway", response=FakeResponse(502, text="<html>502</html>"))
    error = api_error(exc)
    assert error.status == 502
    assert error.error_code is None
    assert error.query_id == QUERY_ID


def test_non_ovh_exception_is_a_transport_error_naming_its_type():
    error = api_error(requests.exceptions.ConnectionError("reset by peer"), method="GET", path="/cloud/project")
    assert error.transport_error is True
    assert error.message == "ConnectionError: reset by peer"


def test_success_passes_value_and_query_and_need_auth_through():
    client = ScriptedClient({"cartId": "abc"})
    api = OvhApi(client)
    assert api.post("/order/cart", ovhSubsidiary="FR", need_auth=False) == {"cartId": "abc"}
    assert api.get("/me/order", **{"date.from": "2026-11-22T00:00:00Z"}) == {"cartId": "abc"}
    api.put("/cloud/project/x", description="d")
    api.delete("/order/cart/abc")
    assert client.calls == [
        ("POST", "/order/cart", {"_need_auth": False, "ovhSubsidiary": "FR"}),
        ("GET", "/me/order", {"_need_auth": True, "date.from": "2026-11-22T00:00:00Z"}),
        ("PUT", "/cloud/project/x", {"_need_auth": True, "description": "d"}),
        ("DELETE", "/order/cart/abc", {"_need_auth": True}),
    ]


# -- the real python-ovh Client.call raises each class; OvhApi maps it -------------------------------


@pytest.mark.parametrize(
    "status, body, cls, error_code",
    [
        (403, {"errorCode": "NOT_GRANTED_CALL", "message": "This call has not been granted"}, ovh_exceptions.NotGrantedCall, "NOT_GRANTED_CALL"),
        (403, {"errorCode": "INVALID_KEY", "message": "Invalid key"}, ovh_exceptions.InvalidKey, "INVALID_KEY"),
        (403, {"errorCode": "INVALID_CREDENTIAL", "message": "This credential is not valid"}, ovh_exceptions.InvalidCredential, "INVALID_CREDENTIAL"),
        (404, {"class": "Client::NotFound", "message": "This service does not exist"}, ovh_exceptions.ResourceNotFoundError, "Client::NotFound"),
        (400, {"class": "Client::BadRequest", "message": "Bad"}, ovh_exceptions.BadParametersError, "Client::BadRequest"),
        (409, {"class": "Client::Conflict", "message": "Conflict"}, ovh_exceptions.ResourceConflictError, "Client::Conflict"),
        (460, {"class": "Client::Gone", "message": "Expired"}, ovh_exceptions.ResourceExpiredError, "Client::Gone"),
        (500, {"class": "Server::InternalServerError", "message": "Oops"}, ovh_exceptions.APIError, "Server::InternalServerError"),
    ],
)
def test_real_python_ovh_errors_mapped(status, body, cls, error_code):
    client, built = real_client(endpoint="http://127.0.0.1:8080", application_key=AK, application_secret=AS, consumer_key=CK)
    client._session.request = lambda *args, **kwargs: FakeResponse(status, body)  # pylint: disable=protected-access
    with pytest.raises(cls):
        client.get("/cloud/project")
    error = api_error_from(OvhApi(client, secrets=built.secrets()), "/cloud/project")
    assert (error.status, error.error_code, error.query_id, error.message) == (status, error_code, QUERY_ID, body["message"])
    assert error.transport_error is False


def test_real_python_ovh_transport_failure_mapped():
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)

    def refuse(*args, **kwargs):
        raise requests.exceptions.ConnectionError("Connection refused")

    client._session.request = refuse  # pylint: disable=protected-access
    error = api_error_from(OvhApi(client, secrets=built.secrets()), "/cloud/project")
    assert error.transport_error is True
    assert "Connection refused" in error.message


def test_real_python_ovh_invalid_json_mapped():
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    client._session.request = lambda *args, **kwargs: FakeResponse(200, text="<html>")  # pylint: disable=protected-access
    error = api_error_from(OvhApi(client, secrets=built.secrets()), "/cloud/project")
    # python-ovh's InvalidResponse has no response: OvhApi kept it, so the status and the query id are known
    assert error.message == "the answer is not valid JSON (6 characters: '<html>')"
    assert (error.status, error.query_id, error.undecodable, error.transport_error) == (200, QUERY_ID, True, False)
    assert outcome_unknown(error) and is_transient(error)  # a 200 that cannot be read: a write may have taken effect
    assert str(error).endswith("(HTTP 200, X-Ovh-QueryID: %s). The answer was cut short or replaced (by a proxy?): rerun the "
                               "task; if this persists, check the endpoint and any proxy between this host and the API" % QUERY_ID)


@pytest.mark.parametrize("status, text, known_outcome", [
    (200, '{"cartId": "0f1e2d3c-1111-2222-3333-4444', False),
    (201, "", False),
    (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", False),
    (403, "<html>Forbidden by the proxy</html>", True),
])
def test_real_python_ovh_answer_that_is_not_json_keeps_its_status(status, text, known_outcome):
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    client._session.request = lambda *args, **kwargs: FakeResponse(status, text=text)  # pylint: disable=protected-access
    error = api_error_from(OvhApi(client, secrets=built.secrets()), "/order/cart")
    assert (error.status, error.undecodable) == (status, True)
    assert error.message.startswith("the answer is not valid JSON (%s" % ("%d characters: " % len(text) if text else "an empty body"))
    assert outcome_unknown(error) is not known_outcome


def test_long_answer_that_is_not_json_is_quoted_in_part():
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    client._session.request = lambda *args, **kwargs: FakeResponse(200, text="x" * 500)  # pylint: disable=protected-access
    error = api_error_from(OvhApi(client, secrets=built.secrets()), "/cloud/project")
    assert error.message == "the answer is not valid JSON (500 characters: %r...)" % ("x" * 60)


@pytest.mark.parametrize("body", ["boom", ["a", "list"], 42])
def test_real_python_ovh_error_answer_that_is_not_an_object(body):
    # python-ovh calls .get() on the decoded error body and fails with AttributeError: the answer is still an answer
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    client._session.request = lambda *args, **kwargs: FakeResponse(500, body)  # pylint: disable=protected-access
    error = api_error_from(OvhApi(client, secrets=built.secrets()), "/cloud/project")
    assert (error.status, error.transport_error, error.query_id) == (500, False, QUERY_ID)
    assert error.message.startswith("the error answer is not the JSON object the API sends (")


def test_response_of_an_earlier_call_is_not_taken_for_a_later_failure():
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    answers = [FakeResponse(200, ["ok"]), requests.exceptions.ConnectionError("Connection refused")]

    def respond(*args, **kwargs):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client._session.request = respond  # pylint: disable=protected-access
    api = OvhApi(client, secrets=built.secrets())
    assert api.get("/cloud/project") == ["ok"]
    error = api_error_from(api.retrying(None), "/cloud/project")  # the same client: its recorder is shared, not stacked
    assert (error.transport_error, error.status, error.query_id) == (True, None, None)


def api_error_from(api, path):
    with pytest.raises(OvhApiError) as err:
        api.get(path)
    return err.value


# -- secrets never reach a failure message --------------------------------------------------------


def test_redact():
    assert redact("a %s b %s" % (AS, CK), SECRETS) == "a %s b %s" % (REDACTED, REDACTED)
    assert redact(None, SECRETS) is None
    assert redact(42, SECRETS) == "42"
    assert redact("abc xyz", ("abc",)) == "abc xyz"  # too short to be a secret worth hiding
    assert redact("nothing", ()) == "nothing"


@pytest.mark.parametrize(
    "exc",
    [
        ovh_exceptions.APIError(leaky_message(), response=FakeResponse(400, {"message": leaky_message()})),
        ovh_exceptions.InvalidKey("Invalid ApplicationSecret '%s'" % AS),
        ovh_exceptions.InvalidKey("Invalid ConsumerKey '%s'" % CK),
        ovh_exceptions.OAuth2FailureError("OAuth2 failure: client_secret=%s" % CSECRET),
        ovh_exceptions.HTTPError("Low HTTP request failed error", requests.exceptions.ConnectionError(leaky_message())),
        RuntimeError(leaky_message()),
    ],
    ids=["api-error", "invalid-app-secret", "invalid-consumer-key", "oauth2", "http-error", "other"],
)
def test_no_secret_in_api_error(exc):
    error = api_error(exc, secrets=SECRETS)
    assert_no_secret(str(error))
    assert_no_secret(error.message)
    assert_no_secret(json.dumps(error.as_dict()))
    assert REDACTED in error.message


@pytest.mark.parametrize("attribute", ["_consumer_key", "_application_secret"])
def test_client_side_invalid_key_of_real_client_has_no_secret(attribute):
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    setattr(client, attribute, "")

    def no_network(*args, **kwargs):
        raise AssertionError("python-ovh must refuse before sending")

    client._session.request = no_network  # pylint: disable=protected-access
    with pytest.raises(OvhApiError) as err:
        OvhApi(client, secrets=built.secrets()).get("/me")
    assert "Invalid" in err.value.message
    assert_no_secret(str(err.value))


# -- a GET with request headers: python-ovh's raw_call, read as call() reads it ------------------------------------


def stubbed_client(*answers):
    """A real python-ovh client whose HTTP session answers ``answers`` in turn (an exception is raised); each request's
    (method, url, headers) is recorded in ``sent``."""
    client, built = real_client(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    queue = list(answers)
    sent = []

    def respond(method, url, headers=None, **kwargs):
        sent.append((method, url, dict(headers)))
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    client._session.request = respond  # pylint: disable=protected-access
    return client, built, sent


PAGING = {"X-Pagination-Mode": "CachedObjectList-Pages", "X-Pagination-Size": "1000", "X-Pagination-Number": "1"}


def test_get_with_headers_sends_them_signed_and_returns_the_answer_and_its_headers():
    answer_headers = {"X-OVH-QUERYID": QUERY_ID, "X-Pagination-Elements": "2"}
    client, built, sent = stubbed_client(FakeResponse(200, [{"project_id": "a"}, {"project_id": "b"}], headers=answer_headers))
    asked = dict(PAGING)
    body, headers = OvhApi(client, secrets=built.secrets()).get_with_headers("/cloud/project", asked)
    assert body == [{"project_id": "a"}, {"project_id": "b"}] and headers == answer_headers
    method, url, request_headers = sent[0]
    assert (method, url) == ("GET", "https://eu.api.ovh.com/1.0/cloud/project")
    assert dict((k, v) for k, v in request_headers.items() if k.startswith("X-Pagination")) == PAGING
    assert request_headers["X-Ovh-Signature"].startswith("$1$") and request_headers["X-Ovh-Consumer"] == CK
    assert asked == PAGING  # python-ovh adds its own headers to the dict it gets: not to ours


# Each answer, read by python-ovh's own Client.call() and by call_with_headers: the same value or the same exception.
CALL_CASES = [
    FakeResponse(200, ["a", "b"]),
    FakeResponse(204, None),
    FakeResponse(200, text="<html>maintenance</html>"),
    FakeResponse(403, {"errorCode": "NOT_GRANTED_CALL", "message": "This call has not been granted"}),
    FakeResponse(403, {"errorCode": "NOT_CREDENTIAL", "message": "This credential does not exist"}),
    FakeResponse(403, {"errorCode": "INVALID_KEY", "message": "This application key is invalid"}),
    FakeResponse(403, {"errorCode": "INVALID_CREDENTIAL", "message": "This credential is not valid"}),
    FakeResponse(403, {"errorCode": "FORBIDDEN", "message": "no"}),
    FakeResponse(403, {"class": "Client::Forbidden", "message": "You are not allowed"}),
    FakeResponse(404, {"class": "Client::NotFound", "message": "This service does not exist"}),
    FakeResponse(400, {"class": "Client::BadRequest", "message": "[X-Pagination-Size] bad"}),
    FakeResponse(409, {"class": "Client::Conflict", "message": "Conflict"}),
    FakeResponse(460, {"class": "Client::Gone", "message": "Expired"}),
    FakeResponse(429, {"class": "Client::TooManyRequests", "message": "Too many requests"}),
    FakeResponse(503, {"class": "Server::ServiceUnavailable", "message": "Service is temporarily unavailable"}),
    FakeResponse(500, ["not", "an", "object"]),
    FakeResponse(0, {}),
    requests.exceptions.ConnectionError("Connection refused"),
    requests.exceptions.ReadTimeout("read timed out"),
]


def outcome(read):
    try:
        return ("value", read())
    except Exception as exc:  # pylint: disable=broad-except
        return (type(exc), exc.args[0] if exc.args else None, getattr(exc, "response", None))


@pytest.mark.parametrize("answer", CALL_CASES, ids=["%02d-%s" % (n, getattr(a, "status_code", type(a).__name__)) for n, a in enumerate(CALL_CASES)])
def test_call_with_headers_reads_every_answer_as_python_ovh_call_does(answer):
    client, dummy, sent = stubbed_client(answer)
    by_call = outcome(lambda: client.call("GET", "/cloud/project"))
    by_headers = outcome(lambda: call_with_headers(client, "GET", "/cloud/project", PAGING)[0])
    assert by_headers == by_call
    assert len(sent) == 2


def test_get_with_headers_failures_become_the_same_api_errors_as_get():
    for answer in CALL_CASES[2:]:
        client, built, dummy = stubbed_client(answer)
        api = OvhApi(client, secrets=built.secrets())
        with pytest.raises(OvhApiError) as by_get:
            api.get("/cloud/project")
        with pytest.raises(OvhApiError) as by_headers:
            api.get_with_headers("/cloud/project", PAGING)
        assert by_headers.value.as_dict() == by_get.value.as_dict()
        assert (by_headers.value.transport_error, by_headers.value.undecodable) == (by_get.value.transport_error, by_get.value.undecodable)


def test_get_with_headers_is_retried_as_a_read():
    busy = FakeResponse(503, {"class": "Server::ServiceUnavailable", "message": "Service is temporarily unavailable"})
    client, built, sent = stubbed_client(busy, requests.exceptions.ConnectionError("reset"), FakeResponse(200, []))
    api = OvhApi(client, secrets=built.secrets()).retrying(ReadRetryPolicy(FakeDeadline(600)))
    assert api.get_with_headers("/cloud/project", PAGING) == ([], {"X-OVH-QUERYID": QUERY_ID})
    assert len(sent) == 3
