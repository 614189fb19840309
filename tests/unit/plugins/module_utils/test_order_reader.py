# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OrderReader: what an order is for and which project it delivered."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_reader import OrderReader
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, PID2, FakeApi, api_err, extension


def test_delivered_project_id_skips_placeholder_domain_even_first():
    api = FakeApi({
        "GET /me/order/5/details": [11, 12, 13],
        "GET /me/order/5/details/11": {"domain": "*001"},
        "GET /me/order/5/details/12": {"domain": PID},
        "GET /me/order/5/details/13": {"domain": PID2},
    })
    assert OrderReader(api).delivered_project_id(5) == PID
    assert "GET /me/order/5/details/13" not in api.keys()
    assert not [k for k in api.keys() if "operations" in k]


def test_delivered_project_id_falls_back_to_us_operations():
    api = FakeApi({
        "GET /me/order/5/details": [11, 12],
        "GET /me/order/5/details/11": {"domain": "*001"},
        "GET /me/order/5/details/12": {"domain": None},
        "GET /me/order/5/details/11/operations": api_err(404),
        "GET /me/order/5/details/12/operations": [101, 102],
        "GET /me/order/5/details/12/operations/101": {"resource": {"name": "*001"}},
        "GET /me/order/5/details/12/operations/102": {"resource": {"name": PID}},
    })
    assert OrderReader(api).delivered_project_id(5) == PID


def test_delivered_project_id_unknown_yet():
    api = FakeApi({
        "GET /me/order/5/details": [11],
        "GET /me/order/5/details/11": {"domain": "*001"},
        "GET /me/order/5/details/11/operations": [],
    })
    assert OrderReader(api).delivered_project_id(5) is None


def test_project_request_reads_extension_plan_and_description():
    api = FakeApi({
        "GET /me/order/5/details": [1, 2, 3],
        "GET /me/order/5/details/1/extension": api_err(404),
        "GET /me/order/5/details/2/extension": extension("team-a", plan_code="other.plan"),
        "GET /me/order/5/details/3/extension": extension("team-a"),
    })
    assert OrderReader(api).project_request(5, ("project.2018",)) == ("project.2018", "team-a")
    assert OrderReader(api).project_request(5, ("project",)) is None
