# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Calls to the OVHcloud API through python-ovh, with one failure shape for every error and opt-in read retries."""

from __future__ import annotations

import threading

from urllib.parse import urlencode

try:
    import ovh.exceptions as ovh_exceptions
    from requests.exceptions import RequestException
except ImportError:  # pragma: no cover - reported by the client factory
    ovh_exceptions = None
    RequestException = None

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError

REDACTED = "********"
# Listings served from OVHcloud's server-side cache are read fresh with this request header, as OVHcloud's own console
# does (ovh/manager packages/manager/core/api/src/iceberg.ts, setDisabledCache): a decision "no such project, order
# one" or "no other run, check out" is never taken on a cached answer.
NO_CACHE = {"Pragma": "no-cache"}
# How much of an answer that is not JSON a failure message quotes.
EXCERPT_LENGTH = 60


def redact(text, secrets):
    """Replace every occurrence of a secret value in text."""
    if text is None:
        return None
    text = str(text)
    # longest first, so that a secret containing a shorter one is replaced whole
    for secret in sorted(set(s for s in secrets if s), key=len, reverse=True):
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


def _retry_after(headers):
    """Retry-After in seconds (its delta-seconds form; an HTTP date is taken as absent)."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _response_details(response):
    """Status, query id, error code and Retry-After of a python-ovh error response."""
    if response is None:
        return None, None, None, None
    status = getattr(response, "status_code", None)
    headers = getattr(response, "headers", None) or {}
    query_id = headers.get("X-OVH-QUERYID") or headers.get("X-Ovh-QueryID")
    error_code = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error_code = body.get("errorCode") or body.get("class")
    return status, query_id, error_code, _retry_after(headers)


# python-ovh's Client.call(): the exception each refusal becomes (a 403 by its errorCode, other statuses by status).
FORBIDDEN_EXCEPTIONS = {"NOT_GRANTED_CALL": "NotGrantedCall", "NOT_CREDENTIAL": "NotCredential", "INVALID_KEY": "InvalidKey",
                        "INVALID_CREDENTIAL": "InvalidCredential", "FORBIDDEN": "Forbidden"}
STATUS_EXCEPTIONS = {404: "ResourceNotFoundError", 400: "BadParametersError", 409: "ResourceConflictError",
                     460: "ResourceExpiredError"}


def call_with_headers(client, method, path, headers, need_auth=True):
    """What python-ovh's ``Client.call()`` does, for a call that sends request ``headers`` (``call()`` takes none):
    (decoded body, response headers).

    ``Client.raw_call`` signs and sends (never done here); its answer is read as ``call()`` reads it (python-ovh 1.2.0,
    ovh/client.py): a transport failure is ``HTTPError``, a body that is not JSON ``InvalidResponse``, a refusal the
    same exception class with ``response=``; so OvhApi maps and retries it like any other call.
    """
    try:
        response = client.raw_call(method, path, None, need_auth, dict(headers))  # raw_call adds to the dict it gets
    except RequestException as error:
        raise ovh_exceptions.HTTPError("Low HTTP request failed error", error) from None
    status = response.status_code
    try:
        body = response.json() if status != 204 else None
    except ValueError as error:
        raise ovh_exceptions.InvalidResponse("Failed to decode API response", error) from None
    if 100 <= status < 300:
        return body, response.headers
    if status == 0:
        raise ovh_exceptions.NetworkError()
    # as call(), an error answer that is JSON but not an object fails here (AttributeError): to_api_error says so
    name = FORBIDDEN_EXCEPTIONS.get(body.get("errorCode")) if status == 403 else STATUS_EXCEPTIONS.get(status)
    raise getattr(ovh_exceptions, name or "APIError")(body.get("message"), response=response)


def with_query(path, query):
    """``path?query`` as python-ovh's ``Client.get`` builds it (``_prepare_query_string``: booleans as ``true`` and
    ``false``, None as ``null``, then urlencode)."""
    if not query:
        return path
    values = {}
    for key, value in query.items():
        values[key] = str(value).lower() if isinstance(value, bool) else ("null" if value is None else value)
    return "%s%s%s" % (path, "&" if "?" in path else "?", urlencode(values))


class _LastResponse(threading.local):
    """The HTTP response python-ovh got for the current call, per thread (lookups read projects from several threads)."""

    response = None


def _recorded_responses(client):
    """Have ``client.raw_call`` remember its last response, and return where it does (None for a stand-in client).

    python-ovh drops the response when it cannot decode it (``InvalidResponse`` carries no status, no query id), or when
    an error answer is JSON but not an object; the status tells whether the call was refused or may have taken effect.
    """
    recorder = getattr(client, "_ovhcloud_last_response", None)
    raw_call = getattr(client, "raw_call", None)
    if recorder is not None or not callable(raw_call):
        return recorder
    recorder = _LastResponse()

    def recording_raw_call(*args, **kwargs):
        recorder.response = None
        recorder.response = raw_call(*args, **kwargs)
        return recorder.response

    client.raw_call = recording_raw_call
    client._ovhcloud_last_response = recorder  # pylint: disable=protected-access
    return recorder


def _excerpt(response):
    """The start of an answer's body, for a message: its length and first characters."""
    try:
        text = response.text or ""
    except Exception:  # pylint: disable=broad-except
        return "unreadable body"
    if not text.strip():
        return "an empty body"
    quoted = repr(text[:EXCERPT_LENGTH]) + ("..." if len(text) > EXCERPT_LENGTH else "")
    return "%d characters: %s" % (len(text), quoted)


class OvhApi:
    """Thin wrapper over ``ovh.Client``: signing and HTTP stay in python-ovh, errors become OvhApiError.

    With a ``read_retry`` policy (see ``retrying``), GETs are tried again on transient failures; writes never are.
    """

    def __init__(self, client, secrets=(), read_retry=None):
        self.client = client
        self.secrets = tuple(s for s in secrets if s)
        self.read_retry = read_retry
        self._responses = _recorded_responses(client)

    def retrying(self, policy):
        """The same client and secrets, with GETs retried by ``policy`` (a ReadRetryPolicy)."""
        return OvhApi(self.client, self.secrets, read_retry=policy)

    def get(self, path, need_auth=True, **query):
        return self._call("GET", path, need_auth, lambda: self.client.get(path, _need_auth=need_auth, **query))

    def get_with_headers(self, path, headers, need_auth=True):
        """GET with request headers: (decoded body, response headers); errors and read retries as ``get``."""
        return self._call("GET", path, need_auth, lambda: call_with_headers(self.client, "GET", path, headers, need_auth))

    def get_fresh(self, path, need_auth=True, **query):
        """GET a listing past the API's cache (``Pragma: no-cache``); the query is encoded as python-ovh encodes it."""
        return self.get_with_headers(with_query(path, query), NO_CACHE, need_auth)[0]

    def post(self, path, need_auth=True, **body):
        return self._call("POST", path, need_auth, lambda: self.client.post(path, _need_auth=need_auth, **body))

    def put(self, path, need_auth=True, **body):
        return self._call("PUT", path, need_auth, lambda: self.client.put(path, _need_auth=need_auth, **body))

    def delete(self, path, need_auth=True):
        return self._call("DELETE", path, need_auth, lambda: self.client.delete(path, _need_auth=need_auth))

    def _call(self, method, path, need_auth, send):
        if method == "GET" and self.read_retry is not None:
            return self.read_retry.run(lambda: self._once(method, path, send))
        return self._once(method, path, send)

    def _once(self, method, path, send):
        if self._responses is not None:
            self._responses.response = None
        try:
            return send()
        except Exception as exc:  # pylint: disable=broad-except
            raise self.to_api_error(method, path, exc) from None

    def to_api_error(self, method, path, exc):
        """Map any python-ovh (or transport) exception to OvhApiError, with secrets removed."""
        recorded = self._responses.response if self._responses is not None else None
        response = getattr(exc, "response", None)
        is_ovh_error = ovh_exceptions is not None and isinstance(exc, ovh_exceptions.APIError)
        undecodable = ovh_exceptions is not None and isinstance(exc, ovh_exceptions.InvalidResponse)
        if response is None and recorded is not None and (undecodable or not is_ovh_error):
            response = recorded  # what python-ovh could not decode, or choked on
        status, query_id, error_code, retry_after = _response_details(response)
        query_id = getattr(exc, "query_id", None) or query_id
        transport = False
        if ovh_exceptions is not None and isinstance(exc, ovh_exceptions.HTTPError):
            transport = True
            inner = exc.args[1] if len(exc.args) > 1 else exc
            message = "no answer from the API (%s: %s)" % (type(inner).__name__, inner)
        elif undecodable:
            message = "the API answered with a body that is not JSON"
            if response is not None:
                message = "the answer is not valid JSON (%s)" % _excerpt(response)
        elif not is_ovh_error and response is not None:
            # python-ovh reads error answers as JSON objects; this one was JSON of another kind
            message = "the error answer is not the JSON object the API sends (%s)" % _excerpt(response)
        else:
            message = exc.args[0] if exc.args and exc.args[0] is not None else None
            if message is None:
                message = "the API gave no message" if status else type(exc).__name__
            if not isinstance(message, str):
                message = str(message)
            if ovh_exceptions is not None and isinstance(exc, ovh_exceptions.NetworkError):
                transport = True  # python-ovh's status 0: no HTTP answer
            elif ovh_exceptions is not None and not isinstance(exc, ovh_exceptions.APIError):
                transport = True
                message = "%s: %s" % (type(exc).__name__, message)
        return OvhApiError(
            method,
            path,
            redact(message, self.secrets),
            status=status,
            query_id=query_id,
            error_code=error_code,
            transport_error=transport,
            retry_after=retry_after,
            undecodable=undecodable,
        )
