# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PendingOrderFinder: orders in flight for a name."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._pending_orders import PendingOrderFinder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import NOW, PID, PID2, FakeApi, api_err, order_lines, project


def finder(api, plan_codes=("project.2018",)):
    return PendingOrderFinder(api, ProjectLookup(api), plan_codes, now=lambda: NOW)


def test_pending_from_cloud_order_matches_description_and_plan_code():
    answers = {
        "GET /cloud/order": [
            {"orderId": 1, "planCode": "project.2018", "status": "delivering", "date": "2026-11-23T14:00:00+00:00"},
            {"orderId": 2, "planCode": "project.2018", "status": "unpaid"},
            {"orderId": 3, "planCode": "other.plan", "status": "unpaid"},
            {"orderId": 4, "planCode": "project.2018", "status": "unpaid"},
        ],
    }
    answers.update(order_lines(1, "team-a"))
    answers.update(order_lines(2, "other-name"))
    answers.update(order_lines(4, "team-a", plan_code="other.plan"))
    api = FakeApi(answers)
    found = finder(api).find("team-a")
    assert [(o.order_id, o.status, o.source, o.date) for o in found] == [(1, "delivering", "/cloud/order", "2026-11-23T14:00:00+00:00")]
    assert "GET /me/order/3/details" not in api.keys()  # filtered on planCode before any read
    assert "GET /me/order" not in api.keys()  # found there: no fallback
    assert not api.writes()


def test_pending_from_cloud_order_sorted_by_order_id():
    answers = {"GET /cloud/order": [{"orderId": 9, "planCode": "project.2018", "status": "unpaid"},
                                    {"orderId": 3, "planCode": "project.2018", "status": "unknown"}]}
    answers.update(order_lines(9, "team-a"))
    answers.update(order_lines(3, "team-a"))
    assert [o.order_id for o in finder(FakeApi(answers)).find("team-a")] == [3, 9]


def test_pending_recent_orders_fallback():
    answers = {
        "GET /cloud/order": [],
        "GET /me/order": [10, 11, 12, 13, 14],
        "GET /me/order/10/status": "cancelled",
        "GET /me/order/11/status": "delivered",
        "GET /me/order/12/status": "delivered",
        "GET /me/order/13/status": "notPaid",
        "GET /me/order/14/status": "checking",
        "GET /cloud/project/%s" % PID: api_err(404),
        "GET /cloud/project/%s" % PID2: project(PID2, "renamed"),
    }
    answers.update(order_lines(10, "team-a"))
    answers.update(order_lines(11, "team-a", pid=PID))
    answers.update(order_lines(12, "team-a", pid=PID2))
    answers.update(order_lines(13, "other-name"))
    answers.update(order_lines(14, "team-a"))
    api = FakeApi(answers)
    found = finder(api).find("team-a")
    assert [(o.order_id, o.status, o.source) for o in found] == [(11, "delivered", "/me/order"), (14, "checking", "/me/order")]
    me_order = [c for c in api.calls if c[1] == "/me/order"]
    assert me_order == [("GET", "/me/order", {"date.from": "2026-11-22T15:00:00Z"})]
    assert "GET /me/order/10/details" not in api.keys()  # cancelled orders are not even read


def test_pending_nothing():
    api = FakeApi({"GET /cloud/order": [], "GET /me/order": []})
    assert finder(api).find("team-a") == []


def test_in_flight_lists_every_project_order_with_its_name_in_the_apis_order():
    answers = {
        "GET /cloud/order": [
            {"orderId": 9, "planCode": "project.2018", "status": "unpaid", "date": "2026-11-23T14:00:00+00:00",
             "serviceName": None},
            {"orderId": 3, "planCode": "project", "status": "delivered", "serviceName": PID},
            {"orderId": 4, "planCode": "other.plan", "status": "unpaid"},
            {"orderId": 5, "planCode": "project.2018", "status": "cancelled"},
            {"orderId": 6, "planCode": "project.2018", "status": "delivering"},
        ],
        "GET /me/order/6/details": [],  # an order whose details say nothing of a project: not listed
    }
    answers.update(order_lines(9, "team-b"))
    answers.update(order_lines(3, "team-a", plan_code="project"))
    api = FakeApi(answers)
    found = PendingOrderFinder(api, None, ("project.2018", "project")).in_flight()
    assert [(o.order_id, o.name, o.status, o.date, o.project_id) for o in found] == [
        (9, "team-b", "unpaid", "2026-11-23T14:00:00+00:00", None), (3, "team-a", "delivered", None, PID)]
    assert not [k for k in api.keys() if "/me/order/4/" in k or "/me/order/5/" in k]  # filtered before any read
    assert "GET /me/order" not in api.keys() and not api.writes()


def test_in_flight_leaves_out_orders_that_delivered_a_listed_project_without_reading_them():
    answers = {"GET /cloud/order": [{"orderId": 3, "planCode": "project", "status": "delivered", "serviceName": PID},
                                    {"orderId": 9, "planCode": "project.2018", "status": "unpaid", "serviceName": None}]}
    answers.update(order_lines(9, "team-b"))
    api = FakeApi(answers)
    found = PendingOrderFinder(api, None, ("project.2018", "project")).in_flight(listed={PID})
    assert [o.order_id for o in found] == [9]
    assert not [k for k in api.keys() if "/me/order/3/" in k]


# -- a delivered order is the name's only while its project carries the name; every order for the name (all_for) ----


def delivered_cloud_order(order_id=3, pid=PID):
    return {"orderId": order_id, "planCode": "project.2018", "status": "delivered", "serviceName": pid}


def test_cloud_order_of_a_renamed_project_is_skipped():
    answers = {"GET /cloud/order": [delivered_cloud_order()], "GET /me/order": [],
               "GET /cloud/project/%s" % PID: project(PID, "renamed")}
    answers.update(order_lines(3, "team-a", pid=PID))
    api = FakeApi(answers)
    assert finder(api).find("team-a") == []
    assert api.count("GET /cloud/project/%s" % PID) == 1  # the project itself is read, not a listing
    assert "GET /cloud/project" not in api.keys()
    assert not api.writes()


def test_cloud_order_of_a_project_being_deleted_is_skipped():
    for status in ("deleting", "deleted"):
        answers = {"GET /cloud/order": [delivered_cloud_order()], "GET /me/order": [],
                   "GET /cloud/project/%s" % PID: project(PID, "team-a", status=status)}
        answers.update(order_lines(3, "team-a", pid=PID))
        assert finder(FakeApi(answers)).find("team-a") == []


def test_cloud_order_whose_project_still_carries_the_name_or_is_not_visible_is_followed():
    for answer in (project(PID, "team-a"), project(PID, "team-a", status="creating"), api_err(404)):
        answers = {"GET /cloud/order": [delivered_cloud_order()], "GET /cloud/project/%s" % PID: answer}
        answers.update(order_lines(3, "team-a", pid=PID))
        api = FakeApi(answers)
        assert [(o.order_id, o.project_id) for o in finder(api).find("team-a")] == [(3, PID)]
        assert "GET /me/order" not in api.keys()


def test_recent_delivered_order_whose_project_carries_the_name_is_followed():
    # a project listing that lagged (or was cached) missed the project: its delivered order is followed, not ordered again
    answers = {"GET /cloud/order": [], "GET /me/order": [11], "GET /me/order/11/status": "delivered",
               "GET /cloud/project/%s" % PID: project(PID, "team-a")}
    answers.update(order_lines(11, "team-a", pid=PID))
    api = FakeApi(answers)
    assert [(o.order_id, o.status) for o in finder(api).find("team-a")] == [(11, "delivered")]
    assert api.fresh == ["/cloud/order", "/me/order"]


def test_recent_delivered_order_of_a_project_being_deleted_is_skipped():
    answers = {"GET /cloud/order": [], "GET /me/order": [11], "GET /me/order/11/status": "delivered",
               "GET /cloud/project/%s" % PID: project(PID, "team-a", status="deleting")}
    answers.update(order_lines(11, "team-a", pid=PID))
    assert finder(FakeApi(answers)).find("team-a") == []


def test_all_for_reads_both_listings_each_order_once_lowest_id_first():
    answers = {
        "GET /cloud/order": [{"orderId": 9, "planCode": "project.2018", "status": "unpaid"},
                             {"orderId": 5, "planCode": "project.2018", "status": "unpaid"}],
        # /me/order shows 9 again, 7 (another name), 6 (cancelled), 4 (notPaid, not in /cloud/order yet)
        "GET /me/order": [9, 7, 6, 4],
        "GET /me/order/9/status": "notPaid",
        "GET /me/order/7/status": "notPaid",
        "GET /me/order/6/status": "cancelled",
        "GET /me/order/4/status": "notPaid",
    }
    for order_id in (9, 5, 6, 4):
        answers.update(order_lines(order_id, "team-a"))
    answers.update(order_lines(7, "team-b"))
    api = FakeApi(answers)
    found = finder(api).all_for("team-a")
    assert [(o.order_id, o.source) for o in found] == [(4, "/me/order"), (5, "/cloud/order"), (9, "/cloud/order")]
    assert api.fresh == ["/cloud/order", "/me/order"]  # /me/order read even though /cloud/order found orders
    assert not api.writes()
