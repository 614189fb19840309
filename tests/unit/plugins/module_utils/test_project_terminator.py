# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""state=absent: terminate_project (input, US API) and ProjectTerminator (request, confirm, token from e-mail)."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import _project_terminator
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import Endpoint
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_ensurer import ensure_project
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_terminator import ProjectTerminator
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._termination_mail import TerminationTokenReader
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    PID, PID2, FakeApi, FakeDeadline, Page, Seq, api_err, project,
)

PATH = "/cloud/project/%s" % PID
HISTORY = "/me/notification/email/history"
TOKEN = "S3cretTok3n"


class FakeRun:
    """What ensure_project needs of an OvhModule."""

    def __init__(self, api, endpoint="ovh-eu", check_mode=False, us_account=False, **params):
        self.params = dict(name="team-a", project_id=None, state="absent", allow_termination=True, termination_token=None,
                           termination_token_from_email=False, wait_timeout=60, max_price=None)
        self.params.update(params)
        self.endpoint = Endpoint.parse(endpoint)
        self.api = api
        self.report = RunReport()
        self.check_mode = check_mode
        self.us_account = us_account
        self.hidden = []

    def is_us_api(self):
        self.api.get("/me")  # a URL endpoint asks the account
        return self.us_account

    def add_secret(self, value):
        self.hidden.append(value)


def listing(*projects):
    """The expanded listing of ``GET /cloud/project``."""
    return Page(list(projects), {"X-Pagination-Elements": str(len(projects))})


def account(status="ok", **overrides):
    """PID named team-a in ``status``, PID2 named team-b; a confirmation makes PID deleting."""
    state = {"status": status}

    def confirm(body):
        state["status"] = "deleting"
        return "The service will be deleted"

    answers = {
        "GET /cloud/project": listing(project(PID, "team-a", status=status), project(PID2, "team-b")),
        "GET %s" % PATH: lambda query: project(PID, "team-a", status=state["status"]),
        "POST %s/terminate" % PATH: "The termination was requested",
        "POST %s/confirmTermination" % PATH: confirm,
    }
    answers.update(overrides)
    return answers


def run(api, **kwargs):
    sut = FakeRun(api, **kwargs)
    result = ensure_project(sut)
    return dict(result, changed=sut.report.changed, warnings=sut.report.warnings), sut


def mails(**overrides):
    answers = {
        "GET %s" % HISTORY: Seq([1], [1, 2]),
        "GET %s/2" % HISTORY: {"body": "Project %s https://x/billing/confirmTerminate?id=abc&token=%s" % (PID, TOKEN)},
    }
    answers.update(overrides)
    return answers


@pytest.fixture(autouse=True)
def no_real_waiting(monkeypatch):
    """terminate_project builds its TerminationTokenReader itself: give it the fake clock."""
    monkeypatch.setattr(_project_terminator, "TerminationTokenReader",
                        functools.partial(TerminationTokenReader, deadline_factory=lambda timeout, **kwargs: FakeDeadline(timeout)))


# -- before any call -------------------------------------------------------------------------------------------------

def test_without_allow_termination_fails_before_any_call():
    api = FakeApi(account())
    with pytest.raises(InputError) as err:
        run(api, allow_termination=False)
    assert "set allow_termination: true" in err.value.msg
    assert api.calls == []


def test_allow_termination_is_checked_before_the_endpoint_is_resolved():
    class NoEndpoint(FakeRun):
        @property
        def endpoint(self):
            raise AssertionError("the endpoint was resolved")

        @endpoint.setter
        def endpoint(self, value):
            pass

    sut = NoEndpoint(FakeApi(), allow_termination=False)
    with pytest.raises(InputError):
        ensure_project(sut)


def test_both_token_options_are_refused_before_any_call():
    api = FakeApi(account())
    with pytest.raises(InputError) as err:
        run(api, termination_token=TOKEN, termination_token_from_email=True)
    assert "mutually exclusive" in err.value.msg
    assert api.calls == []


def test_us_endpoint_fails_with_guidance_without_any_call():
    api = FakeApi(account())
    with pytest.raises(WorkflowError) as err:
        run(api, endpoint="ovh-us")
    assert "not supported on the OVHcloud US API" in err.value.msg
    assert "US Control Panel" in err.value.msg
    assert api.calls == []


def test_us_account_behind_a_url_endpoint_costs_one_read_only():
    api = FakeApi(account(**{"GET /me": {"ovhSubsidiary": "US"}}))
    with pytest.raises(WorkflowError):
        run(api, endpoint="http://127.0.0.1:8080/1.0", us_account=True)
    assert api.keys() == ["GET /me"]


# -- request, then confirm in a later run ------------------------------------------------------------------------------

def test_without_token_requests_termination_only():
    api = FakeApi(account())
    result, dummy = run(api)
    assert result["changed"] is True
    assert api.writes() == [("POST", PATH + "/terminate", {})]
    assert result["termination"] == {"requested": True, "confirmed": False}
    assert result["project"]["status"] == "ok"
    assert "e-mails a confirmation link" in result["warnings"][0]


def test_with_token_confirms_and_reports_deleting():
    api = FakeApi(account())
    result, dummy = run(api, termination_token=TOKEN)
    assert result["changed"] is True
    assert api.writes() == [("POST", PATH + "/confirmTermination", {"token": TOKEN})]
    assert result["termination"] == {"requested": True, "confirmed": True}
    assert result["project"]["status"] == "deleting"
    assert result["diff"] == {"before": dict(result["project"], status="ok"), "after": {}}


def test_by_project_id_without_name():
    api = FakeApi(account())
    result, dummy = run(api, name=None, project_id=PID, termination_token=TOKEN)
    assert result["termination"]["confirmed"] is True
    assert "GET /cloud/project" not in api.keys()


def test_project_id_with_another_name_is_refused():
    api = FakeApi(account())
    with pytest.raises(WorkflowError) as err:
        run(api, name="team-b", project_id=PID)
    assert "is named 'team-a', not 'team-b'" in err.value.msg
    assert api.writes() == []


def test_a_refused_token_says_which_token_to_give():
    refusal = api_err(400, method="POST", path=PATH + "/confirmTermination", message="Invalid token")
    api = FakeApi(account(**{"POST %s/confirmTermination" % PATH: refusal}))
    with pytest.raises(WorkflowError) as err:
        run(api, termination_token="wrong")
    assert err.value.step == "confirm termination"
    assert "Invalid token" in err.value.msg
    assert "latest termination e-mail" in err.value.msg
    assert "termination_token_from_email" in err.value.msg


def test_a_lost_confirmation_that_took_effect_is_reported_confirmed():
    lost = api_err(None, transport=True, method="POST", path=PATH + "/confirmTermination")
    api = FakeApi(account(**{"POST %s/confirmTermination" % PATH: lost, "GET %s" % PATH: project(PID, "team-a", "deleting")}))
    result, dummy = run(api, termination_token=TOKEN)
    assert result["changed"] is True
    assert result["termination"]["confirmed"] is True
    assert api.count("POST %s/confirmTermination" % PATH) == 1


def test_a_lost_confirmation_that_did_not_take_effect_fails_without_retry():
    lost = api_err(502, method="POST", path=PATH + "/confirmTermination")
    api = FakeApi(account(**{"POST %s/confirmTermination" % PATH: lost, "GET %s" % PATH: project(PID, "team-a")}))
    with pytest.raises(WorkflowError) as err:
        run(api, termination_token=TOKEN)
    assert "rerun the task with the same token" in err.value.msg
    assert api.count("POST %s/confirmTermination" % PATH) == 1


def test_terminate_answering_404_or_460_is_nothing_to_do():
    api = FakeApi(account(**{"POST %s/terminate" % PATH: api_err(460, method="POST", message="expired")}))
    result, dummy = run(api)
    assert result["changed"] is False
    assert result["termination"] == {"requested": False, "confirmed": False}


# -- token from the e-mail history -------------------------------------------------------------------------------------

def test_token_from_email_remembers_then_requests_then_confirms():
    api = FakeApi(dict(account(), **mails()))
    result, sut = run(api, termination_token_from_email=True)
    assert result["changed"] is True
    assert result["termination"] == {"requested": True, "confirmed": True}
    keys = api.keys()
    assert keys.index("GET %s" % HISTORY) < keys.index("POST %s/terminate" % PATH)
    assert api.writes()[-1] == ("POST", PATH + "/confirmTermination", {"token": TOKEN})
    assert sut.hidden == [TOKEN]
    assert TOKEN not in repr(result)


def test_token_from_email_forbidden_fails_before_the_request():
    forbidden = api_err(403, path=HISTORY, message="This call has not been granted", error_code="NOT_GRANTED_CALL")
    api = FakeApi(dict(account(), **mails(**{"GET %s" % HISTORY: forbidden})))
    with pytest.raises(WorkflowError) as err:
        run(api, termination_token_from_email=True)
    assert "Nothing was terminated" in err.value.msg
    assert api.writes() == []


def test_token_from_email_timeout_fails_as_changed():
    api = FakeApi(dict(account(), **mails(**{"GET %s" % HISTORY: [1]})))
    sut = FakeRun(api, termination_token_from_email=True, wait_timeout=3)
    with pytest.raises(WorkflowError) as err:
        ensure_project(sut)
    assert "within wait_timeout (3s)" in err.value.msg
    assert sut.report.changed is True
    assert api.writes() == [("POST", PATH + "/terminate", {})]


# -- nothing to do, check mode, ambiguity --------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["deleting", "deleted"])
def test_a_project_already_being_deleted_is_left_alone(status):
    api = FakeApi(account(status=status))
    result, dummy = run(api, termination_token=TOKEN)
    assert result["changed"] is False
    assert api.writes() == []
    assert result["project"]["status"] == status
    assert result["termination"] == {"requested": True, "confirmed": True}


def test_no_project_of_the_name_is_no_change():
    api = FakeApi(account())
    result, dummy = run(api, name="gone")
    assert result["changed"] is False
    assert result["project"] is None
    assert api.writes() == []


def test_an_unknown_id_is_no_change():
    api = FakeApi(account(**{"GET %s" % PATH: api_err(404)}))
    result, dummy = run(api, name=None, project_id=PID)
    assert result["changed"] is False
    assert api.writes() == []
    assert "no project %s in this account" % PID in result["warnings"][0]


def test_two_projects_of_the_name_fail_without_write():
    api = FakeApi(account(**{"GET /cloud/project": listing(project(PID, "team-a"), project(PID2, "team-a"))}))
    with pytest.raises(WorkflowError) as err:
        run(api, termination_token=TOKEN)
    assert "2 projects are named 'team-a'" in err.value.msg
    assert "give project_id" in err.value.msg
    assert err.value.details["project_ids"] == sorted([PID, PID2])
    assert api.writes() == []


def test_a_live_project_is_chosen_over_deleted_ones_of_the_name():
    api = FakeApi(account(**{"GET /cloud/project": listing(project(PID2, "team-a", status="deleted"), project(PID, "team-a"))}))
    result, dummy = run(api)
    assert result["project"]["project_id"] == PID


@pytest.mark.parametrize("options, confirmed", [({}, False), ({"termination_token": TOKEN}, True),
                                                ({"termination_token_from_email": True}, True)])
def test_check_mode_writes_and_reads_no_mail(options, confirmed):
    api = FakeApi(account())
    result, dummy = run(api, check_mode=True, **options)
    assert result["changed"] is True
    assert api.writes() == []
    assert not [k for k in api.keys() if HISTORY in k]
    assert result["termination"] == {"requested": True, "confirmed": confirmed}


def test_terminator_alone_defaults_to_no_hiding():
    api = FakeApi(dict(account(), **mails()))
    sut = ProjectTerminator(api, RunReport(), wait_timeout=5,
                            reader_factory=functools.partial(TerminationTokenReader,
                                                             deadline_factory=lambda t, **k: FakeDeadline(t)))
    assert sut.absent(name="team-a", token_from_email=True)["termination"]["confirmed"] is True
