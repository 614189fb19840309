# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The public catalogue: the price shown in check mode, and the early check of the plan options."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._catalog import PublicCatalog
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import FakeApi, api_err

PATH = "/order/catalog/public/cloud"
HDS = "certification.hds.2018"
# order.catalog.public.Plan.addonFamilies of project.2018: two families
FAMILIES = [{"name": "certification", "addons": [HDS, "certification.pci-dss"], "default": None, "exclusive": False,
             "mandatory": False},
            {"name": "support", "addons": ["support.business"], "default": None, "exclusive": True, "mandatory": False}]


def catalog_with(families):
    return {"locale": {"currencyCode": "EUR"}, "plans": [
        {"planCode": "other", "addonFamilies": [{"name": "x", "addons": ["other.option"]}]},
        {"planCode": "project.2018", "addonFamilies": families, "pricings": []},
    ]}


def test_price_reads_the_plan_pricing_without_auth():
    catalog = {"locale": {"currencyCode": "EUR"}, "plans": [
        {"planCode": "other", "pricings": [{"mode": "default", "price": 1, "tax": 0}]},
        {"planCode": "project.2018", "pricings": [
            {"mode": "default", "capacities": ["installation"], "price": 999, "tax": 0},
            {"mode": "default", "duration": "P1Y", "capacities": ["renew"], "price": 888, "tax": 0},
            {"mode": "default", "duration": "P1M", "capacities": ["renew"], "price": 150000000, "tax": 30000000},
        ]},
    ]}
    api = FakeApi({"GET " + PATH: catalog})
    catalogue = PublicCatalog(api, "FR")
    assert catalogue.price("project.2018", "P1M", "default") == {"with_tax": 1.8, "without_tax": 1.5, "currency": "EUR"}
    assert catalogue.price("nope", "P1M", "default") == {"with_tax": None, "without_tax": None, "currency": "EUR"}
    assert api.calls == [("GET", PATH, {"ovhSubsidiary": "FR"})]  # read once for every question
    assert api.need_auth is False


def test_price_unknown_when_catalogue_fails():
    api = FakeApi({"GET " + PATH: api_err(500)})
    assert PublicCatalog(api, "FR").price("project.2018", "P1M", "default") == {
        "with_tax": None, "without_tax": None, "currency": None}


def test_offered_options_pass_with_one_read_shared_with_the_price():
    api = FakeApi({"GET " + PATH: catalog_with(FAMILIES)})
    catalogue = PublicCatalog(api, "FR")
    assert catalogue.check_options("project.2018", [HDS, "support.business"]) is True
    catalogue.price("project.2018", "P1M", "default")
    assert api.calls == [("GET", PATH, {"ovhSubsidiary": "FR"})]
    assert api.need_auth is False


def test_an_option_not_in_the_addon_families_fails_naming_the_offered_ones():
    api = FakeApi({"GET " + PATH: catalog_with(FAMILIES)})
    with pytest.raises(WorkflowError) as err:
        PublicCatalog(api, "FR").check_options("project.2018", [HDS, "certification.nope.2099", "other.option"])
    assert err.value.step == "check plan options"
    assert err.value.msg.startswith("plan option certification.nope.2099, other.option is not offered "
                                    "with plan project.2018 (according to the public catalogue of subsidiary FR)")
    assert "offered: certification.hds.2018, certification.pci-dss, support.business." in err.value.msg
    assert "remove it from plan_options, or choose an offered option" in err.value.msg
    assert err.value.details["offered_options"] == [HDS, "certification.pci-dss", "support.business"]
    assert api.writes() == []


@pytest.mark.parametrize("answer", [
    api_err(500),                                      # unreadable
    api_err(404),                                      # the BETA route gone
    catalog_with([]),                                  # no addon family: no information
    {"plans": [{"planCode": "project.2018"}]},         # no addonFamilies field
    catalog_with(None),
    catalog_with([{"name": "certification"}]),         # a family without its addons
    {"plans": [{"planCode": "project.2099", "addonFamilies": FAMILIES}]},  # the plan not listed
    "not a catalogue",
], ids=["500", "404", "empty-families", "no-families", "null-families", "no-addons", "plan-not-listed", "not-an-object"])
def test_a_catalogue_that_does_not_tell_falls_back_to_the_cart(answer):
    api = FakeApi({"GET " + PATH: answer})
    assert PublicCatalog(api, "FR").check_options("project.2018", ["certification.nope.2099"]) is False
    assert api.calls == [("GET", PATH, {"ovhSubsidiary": "FR"})]


def test_no_option_no_read():
    api = FakeApi()
    assert PublicCatalog(api, "FR").check_options("project.2018", ()) is True
    assert api.calls == []
