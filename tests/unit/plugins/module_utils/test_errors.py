# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an API error means, and what the user is told to do about it."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import (
    ACCOUNT_REFUSAL_HINT,
    OvhApiError,
    api_error_hint,
    forbidden_hint,
    is_transient,
    outcome_unknown,
)


def error(status=None, code=None, message="refused", **kwargs):
    return OvhApiError("GET", "/cloud/project", message, status=status, query_id="EU.q-1" if status else None,
                       error_code=code, **kwargs)


@pytest.mark.parametrize("status, code, message, fix", [
    (403, "INVALID_KEY", "This application key is invalid", "check application_key (or OVH_APPLICATION_KEY)"),
    (403, "NOT_CREDENTIAL", "This credential does not exist", "check consumer_key (or OVH_CONSUMER_KEY), or create a consumer key"),
    (403, "INVALID_CREDENTIAL", "This credential is not valid", "expired, revoked or not validated yet. Open the validationUrl"),
    (403, "NOT_GRANTED_CALL", "This call has not been granted", "create one with every right listed"),
    (400, "INVALID_SIGNATURE", "Invalid signature", "application_secret (or OVH_APPLICATION_SECRET) is not the secret"),
    (400, "Client::BadRequest", "Invalid signature", "application_secret (or OVH_APPLICATION_SECRET) is not the secret"),
    (400, "QUERY_TIME_OUT", "Query out of time", "fix the clock of the host"),
    (401, None, "You must login first", "set consumer_key (or OVH_CONSUMER_KEY) to a validated consumer key"),
])
def test_credential_refusals_say_what_to_fix(status, code, message, fix):
    refusal = error(status, code, message)
    assert fix in api_error_hint(refusal)
    # the description: the call, the API's words, status, code and query id, then the fix
    assert str(refusal).startswith("GET /cloud/project failed: %s (HTTP %s" % (message, status))
    assert str(refusal).endswith(". " + api_error_hint(refusal))
    assert "X-Ovh-QueryID: EU.q-1). " in str(refusal)
    assert refusal.message == message  # the API's own words stay apart


def test_no_answer_and_unreadable_answer_say_what_to_check():
    assert "Check the endpoint and the network" in api_error_hint(error(transport_error=True))
    assert "cut short or replaced" in api_error_hint(error(200, undecodable=True))


@pytest.mark.parametrize("status, code", [(404, "Client::NotFound"), (500, "Server::InternalServerError"), (409, None),
                                          (403, "Client::Forbidden"), (400, "Client::BadRequest")])
def test_other_errors_get_no_hint(status, code):
    refusal = error(status, code)
    assert api_error_hint(refusal) == ""
    assert str(refusal) == "GET /cloud/project failed: refused (HTTP %s%s, X-Ovh-QueryID: EU.q-1)" % (
        status, ", " + code if code else "")


def test_forbidden_hint_adds_the_account_rules_only_to_an_application_refusal():
    assert forbidden_hint(error(403, "Client::Forbidden")) == " " + ACCOUNT_REFUSAL_HINT
    for code in ("INVALID_KEY", "NOT_CREDENTIAL", "INVALID_CREDENTIAL", "NOT_GRANTED_CALL"):
        assert forbidden_hint(error(403, code)) == " Nothing was ordered."  # the fix is in the error's description
    assert forbidden_hint(error(401)) == ""
    assert forbidden_hint(None) == ""


# (error, outcome unknown, transient): each row's two answers written out, not derived from one another
@pytest.mark.parametrize("kwargs, unknown, transient", [
    (dict(transport_error=True), True, True),
    (dict(status=500), True, True),
    (dict(status=503), True, True),
    (dict(status=200, undecodable=True), True, True),     # the call took effect, its answer was lost
    (dict(status=None, undecodable=True), True, True),
    (dict(status=502, undecodable=True), True, True),
    (dict(status=403, undecodable=True), False, False),   # refused, whatever the body
    (dict(status=400), False, False),
    (dict(status=404), False, False),
    (dict(status=409), False, False),
    (dict(status=429), False, True),                      # throttled: nothing was done, worth retrying
])
def test_outcome_unknown(kwargs, unknown, transient):
    assert outcome_unknown(error(**kwargs)) is unknown
    assert is_transient(error(**kwargs)) is transient
