# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ProjectLookup: projects by name, 404 as absent."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, PID2, PID3, FakeApi, api_err, project


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


def test_lookup_other_errors_propagate():
    api = FakeApi({"GET /cloud/project": [PID], "GET /cloud/project/%s" % PID: api_err(500)})
    with pytest.raises(OvhApiError) as err:
        ProjectLookup(api).find_by_name("team-a")
    assert err.value.status == 500


def test_lookup_get_is_none_on_404():
    api = FakeApi({"GET /cloud/project/%s" % PID: api_err(404)})
    assert ProjectLookup(api).get(PID) is None
