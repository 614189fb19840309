# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""public_cloud_project_info's work: projects filtered by name, id and status, orders in flight; reads only."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import Endpoint
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_info import ProjectInfo, project_info
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import project_result
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_project_options
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    PID, PID2, PID3, FakeApi, Page, api_err, order_lines, project,
)

LISTED = [project(PID, "team-a"), project(PID2, "team-b", status="suspended"), project(PID3, "team-a", status="creating")]
CLOUD_ORDERS = [
    {"orderId": 7, "planCode": "project.2018", "status": "unpaid", "date": "2026-11-23T14:00:00+01:00", "serviceName": None},
    {"orderId": 8, "planCode": "project.2018", "status": "delivered", "date": "2026-11-23T13:00:00+01:00", "serviceName": PID},
    {"orderId": 9, "planCode": "project", "status": "delivered", "date": "2026-11-23T12:00:00+01:00",
     "serviceName": "dddddddddddd4eeeeeeeeeeeeeeeeeee"},
]


def api_with(listed=None, cloud_orders=None):
    listed = LISTED if listed is None else listed
    answers = {"GET /cloud/project": Page(listed, {"X-Pagination-Elements": str(len(listed))}),
               "GET /cloud/order": CLOUD_ORDERS if cloud_orders is None else cloud_orders}
    answers.update(order_lines(7, "team-c"))
    answers.update(order_lines(8, "team-a"))
    answers.update(order_lines(9, "team-d", plan_code="project"))
    return FakeApi(answers)


class Module:  # pylint: disable=too-few-public-methods
    """What project_info needs of an OvhModule."""

    def __init__(self, api, **params):
        self.api = api
        self.report = RunReport()
        self.params = dict(dict(name=None, project_id=None, status=None), **params)


@pytest.mark.parametrize("filters, expected", [
    ({}, [PID, PID2, PID3]),
    ({"name": "team-a"}, [PID, PID3]),
    ({"project_id": PID2}, [PID2]),
    ({"statuses": ["creating", "suspended"]}, [PID2, PID3]),
    ({"name": "team-a", "statuses": ["ok"]}, [PID]),
    ({"name": "team-b", "project_id": PID}, []),
    ({"statuses": []}, [PID, PID2, PID3]),
], ids=["none", "name", "id", "status", "name-and-status", "no-match", "empty-status"])
def test_projects_pass_every_filter_given(filters, expected):
    result = ProjectInfo(api_with(), RunReport()).gather(**filters)
    # each project with its tags, read from the listing (no call of its own); its alerts only when asked
    assert result["projects"] == [dict(project_result(p), tags={}) for p in LISTED if p["project_id"] in expected]
    assert [p["project_id"] for p in result["projects"]] == expected


def test_orders_in_flight_are_those_whose_project_is_not_listed_yet():
    api = api_with()
    result = ProjectInfo(api, RunReport()).gather()
    assert result["pending_orders"] == [
        {"order_id": 7, "name": "team-c", "status": "unpaid", "date": "2026-11-23T14:00:00+01:00"},
        {"order_id": 9, "name": "team-d", "status": "delivered", "date": "2026-11-23T12:00:00+01:00"},  # in its 404 window
    ]
    assert ProjectInfo(api_with(), RunReport()).gather(name="team-c")["pending_orders"] == result["pending_orders"][:1]
    assert ProjectInfo(api_with(), RunReport()).gather(name="team-a")["pending_orders"] == []  # order 8 delivered PID
    # order 8 delivered a listed project: its details are not read
    assert not [key for key in api.keys() if key.startswith("GET /me/order/8/")]
    assert [key for key in api.keys() if key.startswith("GET /me/order/9/")]


def test_calls_do_not_grow_with_the_projects():
    many = [project("%012x4%019x" % (n, n), "p%d" % n) for n in range(500)]
    api = api_with(listed=many, cloud_orders=[])
    result = ProjectInfo(api, RunReport()).gather(name="p499")
    assert len(result["projects"]) == 1
    assert api.keys() == ["GET /cloud/project", "GET /cloud/order"] and not api.writes()


def test_a_project_of_an_unknown_status_is_listed_with_a_warning():
    report = RunReport()
    result = ProjectInfo(api_with(listed=[project(PID, "team-a", status="frozen")], cloud_orders=[]), report).gather()
    assert result["projects"][0]["status"] == "frozen"
    assert report.warnings == ["project %s has status 'frozen', which this version of the collection does not know (it knows "
                               "creating, deleted, deleting, ok, suspended); if OVHcloud added this status, update the "
                               "collection" % PID]


@pytest.mark.parametrize("failing, step", [("GET /cloud/project", "look up project"),
                                           ("GET /cloud/order", "look up orders in flight")])
def test_a_failed_read_names_its_step(failing, step):
    api = api_with()
    api.answers[failing] = api_err(503, path=failing.split()[1])
    with pytest.raises(WorkflowError) as err:
        ProjectInfo(api, RunReport()).gather()
    assert err.value.step == step and err.value.api_error.status == 503


@pytest.mark.parametrize("bad", ["team-a", "../me", "a" * 65, ""])
def test_a_project_id_that_is_not_one_is_refused_before_any_call(bad):
    api = api_with()
    with pytest.raises(InputError) as err:
        project_info(Module(api, project_id=bad))
    assert err.value.msg.startswith("project_id %r is not a project id: give the id of the project" % bad)
    assert api.calls == []


@pytest.mark.parametrize("value", ["team-a", "../me", "", "a" * 65, "0123456789AB4CDEF0123456789ABCDE",
                                   "0123456789ab5cdef0123456789abcde", "12345", PID])
def test_the_info_module_takes_the_ids_public_cloud_project_takes(value):
    """Both modules check project_id the same way: an id the main module adopts can be looked up, and the reverse."""
    try:
        check_project_options({"project_id": value, "duration": "P1M"}, Endpoint.parse("ovh-eu"))
        main_refuses = None
    except InputError as exc:
        main_refuses = exc.msg
    api = api_with(listed=LISTED + [project("0123456789AB4CDEF0123456789ABCDE", "upper")])
    try:
        result = project_info(Module(api, project_id=value))
        info_refuses = None
    except InputError as exc:
        info_refuses = exc.msg
        result = None
    assert info_refuses == main_refuses
    if main_refuses is None:
        assert api.calls and [p["project_id"] for p in result["projects"]] == [value] * (value in (PID, "0123456789AB4CDEF0123456789ABCDE"))


def test_project_info_passes_the_options_on():
    result = project_info(Module(api_with(), name="team-a", status=["creating"], project_id=PID3))
    assert [p["project_id"] for p in result["projects"]] == [PID3]
