# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every failure of the collection, and what an API error means: transient, absent, outcome unknown, forbidden."""

from __future__ import annotations


class OvhApiError(Exception):
    """A failed API call: what was called, what the API said, the HTTP status and the query id."""

    def __init__(self, method, path, message, status=None, query_id=None, error_code=None, transport_error=False,
                 retry_after=None):
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
        super().__init__("validate input", msg, **details)


# -- what an API error means ---------------------------------------------------------------------------------------

def outcome_unknown(exc):
    """No answer, or a server error: the call may or may not have taken effect (a write must be checked, not repeated)."""
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
    "(docs/api-access-rules.json). Nothing was ordered."
)


def forbidden_hint(api_error):
    """What a 403 means for the user: missing consumer-key right, or the account's ordering rules."""
    if api_error is None or api_error.status != 403:
        return ""
    if api_error.error_code == "NOT_GRANTED_CALL":
        return " " + NOT_GRANTED_HINT
    if api_error.error_code in ("INVALID_CREDENTIAL", "INVALID_KEY", "NOT_CREDENTIAL"):
        return " Check the application key and consumer key (and that the consumer key was validated)."
    return " " + ACCOUNT_REFUSAL_HINT
