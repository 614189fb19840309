# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The public catalogue price shown in check mode."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._catalog import catalog_price
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import FakeApi, api_err


def test_catalog_price_reads_the_plan_pricing_without_auth():
    catalog = {"locale": {"currencyCode": "EUR"}, "plans": [
        {"planCode": "other", "pricings": [{"mode": "default", "price": 1, "tax": 0}]},
        {"planCode": "project.2018", "pricings": [
            {"mode": "default", "capacities": ["installation"], "price": 999, "tax": 0},
            {"mode": "default", "duration": "P1Y", "capacities": ["renew"], "price": 888, "tax": 0},
            {"mode": "default", "duration": "P1M", "capacities": ["renew"], "price": 150000000, "tax": 30000000},
        ]},
    ]}
    api = FakeApi({"GET /order/catalog/public/cloud": catalog})
    assert catalog_price(api, "FR", "project.2018", "P1M", "default") == {"with_tax": 1.8, "without_tax": 1.5, "currency": "EUR"}
    assert api.calls == [("GET", "/order/catalog/public/cloud", {"ovhSubsidiary": "FR"})]
    assert api.need_auth is False
    assert catalog_price(api, "FR", "nope", "P1M", "default") == {"with_tax": None, "without_tax": None, "currency": "EUR"}


def test_catalog_price_unknown_when_catalogue_fails():
    api = FakeApi({"GET /order/catalog/public/cloud": api_err(500)})
    assert catalog_price(api, "FR", "project.2018", "P1M", "default") == {"with_tax": None, "without_tax": None, "currency": None}
