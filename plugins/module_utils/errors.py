# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Failures the workflows raise; the module turns each into one fail_json shape."""

from __future__ import annotations


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
