# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Every failure of the collection, and what an API error means: transient, absent, outcome unknown, forbidden."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step


class OvhApiError(Exception):
    """A failed API call: what was called, what the API said, the HTTP status and the query id."""

    def __init__(self, method, path, message, status=None, query_id=None, error_code=None, transport_error=False,
                 retry_after=None, undecodable=False):
        self.method = method
        self.path = path
        self.message = message
        self.status = status
        self.query_id = query_id
        self.error_code = error_code
        # True when no HTTP answer came back at all (connection dropped, timeout, DNS):
        # the call may or may not have taken effect on the API side.
        self.transport_error = transport_error
        # seconds the API asked to wait (Retry-After of a 429 or 503), or None
        self.retry_after = retry_after
        # True when an answer came back but its body is not JSON (cut short, or a proxy's page)
        self.undecodable = undecodable
        super().__init__(self.describe())

    def describe(self):
        detail = []
        if self.status is not None:
            detail.append("HTTP %s" % self.status)
        if self.error_code:
            detail.append(self.error_code)
        if self.query_id:
            detail.append("X-Ovh-QueryID: %s" % self.query_id)
        text = "%s %s failed: %s" % (self.method, self.path, self.message)
        if detail:
            text += " (%s)" % ", ".join(detail)
        hint = api_error_hint(self)
        if hint:
            text += ". " + hint
        return text

    def as_dict(self):
        """The structured failure returned to the user next to msg."""
        return {
            "method": self.method,
            "path": self.path,
            "message": self.message,
            "status": self.status,
            "error_code": self.error_code,
            "query_id": self.query_id,
        }


class OvhConfigError(Exception):
    """Connection settings that cannot work; the message names the setting and the fix."""


class EndpointError(OvhConfigError):
    """An endpoint value that names no API: bad input, reported as such (step ``validate input``)."""


class WorkflowError(Exception):
    """A step of the workflow failed: ``step`` names it, ``msg`` says what happened and what to do.

    ``api_error`` is the OvhApiError behind it, when there is one; ``details`` go into the result.
    """

    def __init__(self, step, msg, api_error=None, **details):
        self.step = step
        self.msg = msg
        self.api_error = api_error
        self.details = details
        super().__init__(msg)


class InputError(WorkflowError):
    """Bad module input, found before any API call."""

    def __init__(self, msg, **details):
        super().__init__(Step.VALIDATE_INPUT, msg, **details)


# -- what an API error means ---------------------------------------------------------------------------------------

def outcome_unknown(exc):
    """No answer, a server error, or a success whose body cannot be read: the call may or may not have taken effect
    (a write must be checked, not repeated)."""
    if exc.undecodable and (exc.status is None or exc.status < 300):
        return True
    return exc.transport_error or (exc.status is not None and exc.status >= 500)


def is_transient(exc):
    """Worth asking again later (for a read): no answer, a server error, or throttling (429)."""
    return outcome_unknown(exc) or exc.status == 429


def is_absent(exc):
    """The API says the thing is not there (404): a project right after delivery, a detail line, a US-only path."""
    return exc.status == 404


ACCOUNT_REFUSAL_HINT = (
    "OVHcloud does not let every account order Public Cloud projects through the API: a new account must create its "
    "first project in the Control Panel, and a project quota applies (ask support to raise it). Nothing was ordered."
)
NOT_GRANTED_HINT = (
    "The consumer key lacks the right for this call: create one with every right listed in the collection's README "
    "(docs/api-access-rules.json)"
)
# What each refusal of the API's authentication layer (errorCode) means, and what to do about it.
CREDENTIAL_HINTS = {
    "INVALID_KEY": "The application key is not known to this API: check application_key (or OVH_APPLICATION_KEY), and "
                   "that the application was created on the same OVHcloud API as the endpoint (ovh-eu, ovh-ca or ovh-us)",
    "NOT_CREDENTIAL": "The consumer key does not exist for this application key: check consumer_key (or OVH_CONSUMER_KEY), "
                      "or create a consumer key for this application with the rights listed in docs/api-access-rules.json",
    "INVALID_CREDENTIAL": "The consumer key cannot be used: it is expired, revoked or not validated yet. Open the "
                          "validationUrl given when it was created, or create a new consumer key with the rights listed "
                          "in docs/api-access-rules.json",
    "NOT_GRANTED_CALL": NOT_GRANTED_HINT,
    "INVALID_SIGNATURE": "The API refused the request signature: application_secret (or OVH_APPLICATION_SECRET) is not "
                         "the secret of application_key; check both",
    "QUERY_TIME_OUT": "The request's timestamp was too far from the API's clock: fix the clock of the host that runs "
                      "the module (NTP), then rerun",
}
LOGIN_HINT = (
    "The API got no usable consumer key: set consumer_key (or OVH_CONSUMER_KEY) to a validated consumer key of this "
    "application, or use OAuth2 client_id and client_secret"
)
NO_ANSWER_HINT = "Check the endpoint and the network between this host and the API (DNS, proxy, firewall), then rerun"
UNDECODABLE_HINT = (
    "The answer was cut short or replaced (by a proxy?): rerun the task; if this persists, check the endpoint and any "
    "proxy between this host and the API"
)
AUTH_ERROR_CODES = ("INVALID_KEY", "NOT_CREDENTIAL", "INVALID_CREDENTIAL", "NOT_GRANTED_CALL")


def api_error_hint(api_error):
    """What the user can do about a failed call, when the failure itself tells (credentials, network, a garbled
    answer); "" otherwise. OvhApiError adds it to its description."""
    code = api_error.error_code
    if api_error.transport_error:
        return NO_ANSWER_HINT
    if api_error.undecodable:
        return UNDECODABLE_HINT
    if api_error.status == 401:
        return LOGIN_HINT
    if code in CREDENTIAL_HINTS:
        return CREDENTIAL_HINTS[code]
    if api_error.status == 400 and api_error.message == "Invalid signature":  # the same refusal, application-layer shape
        return CREDENTIAL_HINTS["INVALID_SIGNATURE"]
    return ""


def forbidden_hint(api_error):
    """What a 403 means for the user, beyond the credential hint of the error itself: the account's ordering rules."""
    if api_error is None or api_error.status != 403:
        return ""
    if api_error.error_code in AUTH_ERROR_CODES:
        return " Nothing was ordered."
    return " " + ACCOUNT_REFUSAL_HINT


def call_as_step(step, call, *args, what=None, hint=forbidden_hint, **body):
    """``call(*args, **body)`` (an API call), its OvhApiError raised as a WorkflowError of ``step``: "<what, else the
    step> failed: <the API's error>.<hint(error)>" (by default, what a 403 means for an order: forbidden_hint)."""
    try:
        return call(*args, **body)
    except OvhApiError as exc:
        raise WorkflowError(step, "%s failed: %s.%s" % (what or step, exc, hint(exc)), api_error=exc) from None
