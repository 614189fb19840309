# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""TerminationTokenReader: the token of a NEW e-mail about the project, as terraform-provider-ovh reads it."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._termination_mail import TerminationTokenReader, token_in
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, PID2, FakeApi, FakeDeadline, Seq, api_err

HISTORY = "/me/notification/email/history"


def mail(pid, token, html=False):
    amp = "&amp;" if html else "&"
    return {"id": 0, "subject": "Termination", "date": "2026-11-23T15:00:00+00:00",
            "body": "Project %s: confirm at https://www.ovh.com/manager/#/billing/confirmTerminate?id=%s%stoken=%s now"
                    % (pid, pid, amp, token)}


def reader(api, timeout=60):
    deadlines = []

    def deadline(seconds, **kwargs):
        deadlines.append(FakeDeadline(seconds))
        return deadlines[-1]

    sut = TerminationTokenReader(api, PID, timeout, deadline_factory=deadline)
    return sut, deadlines


def test_terraforms_link_gives_the_token():
    assert token_in(mail(PID, "Tok3n")["body"]) == "Tok3n"
    assert token_in(mail(PID, "Tok3n", html=True)["body"]) == "Tok3n"
    assert token_in("no link here") is None


def test_only_new_mails_about_the_project_are_read():
    api = FakeApi({
        "GET %s" % HISTORY: Seq([1, 2], [1, 2, 3], [1, 2, 3, 4, 5]),
        "GET %s/1" % HISTORY: mail(PID, "old"),  # an old e-mail about the same project: never read
        "GET %s/3" % HISTORY: mail(PID2, "other"),  # another project's
        "GET %s/4" % HISTORY: {"body": "your invoice"},
        "GET %s/5" % HISTORY: mail(PID, "fresh"),
    })
    sut, deadlines = reader(api)
    sut.remember()
    assert sut.token() == "fresh"
    reads = [k for k in api.keys() if k.startswith("GET %s/" % HISTORY)]
    assert reads == ["GET %s/3" % HISTORY, "GET %s/5" % HISTORY]  # new ones only, the newest first: 4 was not needed
    assert deadlines[0].sleeps == 1


def test_no_mail_within_the_timeout_fails_saying_termination_was_requested():
    api = FakeApi({"GET %s" % HISTORY: [1]})
    sut, deadlines = reader(api, timeout=5)
    sut.remember()
    with pytest.raises(WorkflowError) as err:
        sut.token()
    assert "within wait_timeout (5s)" in err.value.msg
    assert "Termination was requested: confirm it with termination_token" in err.value.msg
    assert deadlines[0].now == 5


def test_forbidden_history_names_the_rights_and_the_alternative():
    api = FakeApi({"GET %s" % HISTORY: api_err(403, path=HISTORY, message="This call has not been granted",
                                               error_code="NOT_GRANTED_CALL")})
    with pytest.raises(WorkflowError) as err:
        reader(api)[0].remember()
    assert err.value.step == "read termination e-mail"
    assert "Nothing was terminated" in err.value.msg
    assert "GET %s and GET %s/*" % (HISTORY, HISTORY) in err.value.msg
    assert "give termination_token" in err.value.msg


def test_a_link_without_a_readable_token_fails_at_once():
    api = FakeApi({
        "GET %s" % HISTORY: Seq([], [7]),
        "GET %s/7" % HISTORY: {"body": "project %s /billing/confirmTerminate?id=%s&token=" % (PID, PID)},
    })
    sut = reader(api)[0]
    sut.remember()
    with pytest.raises(WorkflowError) as err:
        sut.token()
    assert "e-mail 7 about project %s" % PID in err.value.msg


def test_a_mail_gone_meanwhile_is_skipped():
    api = FakeApi({
        "GET %s" % HISTORY: Seq([], [7, 8]),
        "GET %s/8" % HISTORY: api_err(404),
        "GET %s/7" % HISTORY: mail(PID, "abc"),
    })
    sut = reader(api)[0]
    sut.remember()
    assert sut.token() == "abc"
