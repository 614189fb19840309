# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ProjectRenamer: adopt a project by id, rename it; never an order."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_renamer import ProjectRenamer
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, PID2, FakeApi, Page, api_err, project

PATH = "/cloud/project/%s" % PID


def listing(*projects):
    return Page(list(projects), {"X-Pagination-Elements": str(len(projects))})


def renamer(api, check_mode=False):
    report = RunReport()
    return ProjectRenamer(api, report, check_mode=check_mode), report


def account(**overrides):
    answers = {"GET %s" % PATH: project(PID, "team-a"), "GET /cloud/project": listing(project(PID, "team-a")), "PUT %s" % PATH: None}
    answers.update(overrides)
    return answers


def test_adopt_by_id_without_name_reports_the_project():
    api = FakeApi(account())
    sut, report = renamer(api)
    result = sut.adopt(PID)
    assert report.changed is False
    assert result["project"]["project_id"] == PID
    assert result["project"]["name"] == "team-a"
    assert result["order"] is None
    assert api.keys() == ["GET %s" % PATH]


def test_same_name_is_a_no_op_without_write():
    api = FakeApi(account())
    sut, report = renamer(api)
    result = sut.adopt(PID, "team-a")
    assert report.changed is False
    assert api.writes() == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_rename_puts_the_description_and_shows_the_diff():
    api = FakeApi(account())
    sut, report = renamer(api)
    result = sut.adopt(PID, "team-b")
    assert report.changed is True
    assert api.writes() == [("PUT", PATH, {"description": "team-b"})]
    assert result["project"]["name"] == "team-b"
    assert result["diff"]["before"]["name"] == "team-a"
    assert result["diff"]["after"]["name"] == "team-b"


def test_rename_in_check_mode_writes_nothing():
    api = FakeApi(account())
    sut, report = renamer(api, check_mode=True)
    result = sut.adopt(PID, "team-b")
    assert report.changed is True
    assert api.writes() == []
    assert result["diff"]["after"]["name"] == "team-b"


def test_unknown_id_fails_clearly_and_never_orders():
    api = FakeApi({"GET %s" % PATH: api_err(404, path=PATH, message="This service does not exist")})
    with pytest.raises(WorkflowError) as err:
        renamer(api)[0].adopt(PID, "team-b")
    assert err.value.msg.startswith("no project %s in this account" % PID)
    assert "Nothing was ordered" in err.value.msg
    assert api.keys() == ["GET %s" % PATH]


@pytest.mark.parametrize("status", ["deleting", "deleted"])
def test_project_being_deleted_fails_clearly(status):
    api = FakeApi(account(**{"GET %s" % PATH: project(PID, "team-a", status=status)}))
    with pytest.raises(WorkflowError) as err:
        renamer(api)[0].adopt(PID, "team-b")
    assert "project %s is %s" % (PID, status) in err.value.msg
    assert api.writes() == []


def test_unknown_status_fails_without_write():
    api = FakeApi(account(**{"GET %s" % PATH: project(PID, "team-a", status="frozen")}))
    with pytest.raises(WorkflowError) as err:
        renamer(api)[0].adopt(PID, "team-b")
    assert "'frozen'" in err.value.msg
    assert api.writes() == []


def test_a_name_another_project_holds_is_refused():
    api = FakeApi(account(**{"GET /cloud/project": listing(project(PID, "team-a"), project(PID2, "team-b"))}))
    with pytest.raises(WorkflowError) as err:
        renamer(api)[0].adopt(PID, "team-b")
    assert err.value.step == "rename project"
    assert "project %s is already named 'team-b'" % PID2 in err.value.msg
    assert api.writes() == []


def test_a_refused_rename_names_the_call():
    api = FakeApi(account(**{"PUT %s" % PATH: api_err(403, method="PUT", path=PATH, message="not allowed")}))
    with pytest.raises(WorkflowError) as err:
        renamer(api)[0].adopt(PID, "team-b")
    assert err.value.step == "rename project"
    assert "PUT %s failed: not allowed" % PATH in err.value.msg
