# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shapes the module returns: project, prices, order."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._pending_orders import PendingOrder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import (
    billing_price, checkout_price, order_result, pending_order_summary, project_result,
)
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, project


def test_project_summary():
    assert project_result(project(PID, "team-a", order_id=None), order_id=7) == {
        "project_id": PID, "name": "team-a", "status": "ok", "creation_date": "2026-11-23T15:40:00+00:00",
        "plan_code": "project.2018", "order_id": 7,
    }
    assert project_result(project(PID, "team-a", order_id=3), order_id=7)["order_id"] == 3


def test_checkout_price():
    order = {"prices": {"withTax": {"value": 1.2, "currencyCode": "EUR"}, "withoutTax": {"value": 1.0, "currencyCode": "EUR"}}}
    assert checkout_price(order) == {"with_tax": 1.2, "without_tax": 1.0, "currency": "EUR"}
    assert checkout_price(None) == {"with_tax": None, "without_tax": None, "currency": None}


def test_billing_price_and_order_result_share_one_shape():
    billing = {"priceWithTax": {"value": 1.2, "currencyCode": "EUR"}, "priceWithoutTax": {"value": 1.0, "currencyCode": "EUR"}}
    assert billing_price(billing) == {"with_tax": 1.2, "without_tax": 1.0, "currency": "EUR"}
    assert order_result(9, "https://x", billing_price(billing)) == {
        "order_id": 9, "url": "https://x", "status": None, "prices": {"with_tax": 1.2, "without_tax": 1.0}, "currency": "EUR",
    }
    assert billing_price({})["currency"] is None


def test_pending_order_summary():
    order = PendingOrder(5, "unpaid", "/cloud/order", date="2026-11-23T14:00:00+01:00", name="team-b", project_id=None)
    assert pending_order_summary(order) == {"order_id": 5, "name": "team-b", "status": "unpaid",
                                            "date": "2026-11-23T14:00:00+01:00"}
