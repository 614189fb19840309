# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ProjectLookup: projects by name (from the expanded listing, or from ids and reads), 404 as absent."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, PID2, PID3, FakeApi, Page, api_err, project


def test_lookup_takes_the_projects_from_the_expanded_listing_without_reading_each():
    listed = [project(PID, "other"), project(PID2, "team-a"), project(PID3, "team-a", status="deleting")]
    api = FakeApi({"GET /cloud/project": Page(listed, {"X-Pagination-Elements": "3"})})
    assert ProjectLookup(api).find_by_name("team-a") == [project(PID2, "team-a")]
    assert api.keys() == ["GET /cloud/project"]
    assert api.calls[0][2]["X-Pagination-Mode"] == "CachedObjectList-Pages"
    assert ProjectLookup(api).all() == listed


def test_lookup_refuses_an_unknown_status_of_the_name_from_the_expanded_listing_too():
    api = FakeApi({"GET /cloud/project": Page([project(PID, "team-a", status="frozen")], {"X-Pagination-Elements": "1"})})
    with pytest.raises(WorkflowError) as err:
        ProjectLookup(api).find_by_name("team-a")
    assert err.value.details["project_ids"] == [PID]


def test_lookup_of_a_listing_that_is_not_objects_is_a_look_up_failure():
    api = FakeApi({"GET /cloud/project": Page({"unexpected": True})})
    with pytest.raises(WorkflowError) as err:
        ProjectLookup(api).find_by_name("team-a")
    assert err.value.step == "look up project"
    assert err.value.msg == ("look up project failed: GET /cloud/project failed: page 1 of the expanded listing is an "
                             "object, not a list of objects (HTTP 200)")


def test_lookup_finds_the_live_project_with_the_name():
    api = FakeApi({
        "GET /cloud/project": [PID, PID2, PID3, "gone", "vanished"],
        "GET /cloud/project/%s" % PID: project(PID, "other"),
        "GET /cloud/project/%s" % PID2: project(PID2, "team-a"),
        "GET /cloud/project/%s" % PID3: project(PID3, "team-a", status="deleted"),
        "GET /cloud/project/gone": project("gone", "team-a", status="deleting"),
        "GET /cloud/project/vanished": api_err(404),
    })
    assert ProjectLookup(api).find_by_name("team-a") == [project(PID2, "team-a")]
    assert api.count("GET /cloud/project/vanished") == 1
    assert not api.writes()


def test_lookup_finds_every_project_with_the_name_and_is_exact():
    api = FakeApi({
        "GET /cloud/project": [PID, PID2, PID3],
        "GET /cloud/project/%s" % PID: project(PID, "team-a", status="creating"),
        "GET /cloud/project/%s" % PID2: project(PID2, "team-a"),
        "GET /cloud/project/%s" % PID3: project(PID3, "team-a "),
    })
    assert [p["project_id"] for p in ProjectLookup(api).find_by_name("team-a")] == [PID, PID2]
    assert ProjectLookup(api).find_by_name("Team-A") == []


@pytest.mark.parametrize("answers", [
    {"GET /cloud/project": [PID], "GET /cloud/project/%s" % PID: api_err(500, path="/cloud/project/%s" % PID)},
    {"GET /cloud/project": [PID, PID2], "GET /cloud/project/%s" % PID: project(PID, "x"),
     "GET /cloud/project/%s" % PID2: api_err(500, path="/cloud/project/%s" % PID2)},
    {"GET /cloud/project": api_err(403, error_code="INVALID_CREDENTIAL", path="/cloud/project")},
], ids=["one-read", "threaded-read", "listing"])
def test_lookup_other_errors_are_a_look_up_failure(answers):
    with pytest.raises(WorkflowError) as err:
        ProjectLookup(FakeApi(answers)).find_by_name("team-a")
    assert err.value.step == "look up project"
    assert err.value.msg.startswith("look up project failed: GET /cloud/project")
    assert err.value.api_error.status in (500, 403)


@pytest.mark.parametrize("status", ["frozen", None, ""])
def test_lookup_refuses_a_project_of_the_name_with_a_status_it_does_not_know(status):
    api = FakeApi({
        "GET /cloud/project": [PID, PID2],
        "GET /cloud/project/%s" % PID: project(PID, "team-a", status=status),
        "GET /cloud/project/%s" % PID2: project(PID2, "other", status="melting"),  # another name: not our business
    })
    with pytest.raises(WorkflowError) as err:
        ProjectLookup(api).find_by_name("team-a")
    assert err.value.step == "look up project"
    assert "project %s has status %r, which this version of the collection does not know" % (PID, status) in err.value.msg
    assert "nothing was ordered" in err.value.msg and "--upgrade ovhcloud.public_cloud" in err.value.msg
    assert err.value.details["project_ids"] == [PID]


def test_lookup_ignores_unknown_statuses_of_projects_of_other_names():
    api = FakeApi({"GET /cloud/project": [PID], "GET /cloud/project/%s" % PID: project(PID, "other", status="melting")})
    assert ProjectLookup(api).find_by_name("team-a") == []


def test_lookup_get_is_none_on_404():
    api = FakeApi({"GET /cloud/project/%s" % PID: api_err(404)})
    assert ProjectLookup(api).get(PID) is None
