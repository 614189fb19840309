# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Calls to the OVHcloud API through python-ovh, with one failure shape for every error and opt-in read retries."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._python_ovh import (
    call_with_headers,
    ovh_exceptions,
    recorded_responses,
    with_query,
)

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
        self._responses = recorded_responses(client)

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
