# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""CartOrder: the cart flow up to checkout."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._cart_order import CartOrder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._race_guard import CART_DESCRIPTION_PREFIX
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import CART, ITEM, NOW, SUMMARY, FakeApi, api_err, cart_answers


def cart(api, voucher=None, plan_codes=("project.2018",), duration="P1M", pricing_mode="default"):
    return CartOrder(api, "team-a", "FR", plan_codes, duration, pricing_mode, voucher=voucher, server_now=lambda: NOW)


def test_cart_prepare_calls_in_order_with_bodies():
    api = FakeApi(cart_answers())
    order = cart(api, voucher="V2026")
    assert order.prepare() == SUMMARY
    assert api.calls == [
        ("POST", "/order/cart", {"ovhSubsidiary": "FR", "description": CART_DESCRIPTION_PREFIX + "team-a",
                                 "expire": "2026-11-23T15:05:00+00:00"}),  # a five-minute lease
        ("POST", CART + "/assign", {}),
        ("GET", CART + "/cloud", {}),
        ("POST", CART + "/cloud", {"planCode": "project.2018", "duration": "P1M", "pricingMode": "default", "quantity": 1}),
        ("GET", ITEM + "/requiredConfiguration", {}),
        ("POST", ITEM + "/configuration", {"label": "description", "value": "team-a"}),
        ("POST", ITEM + "/configuration", {"label": "voucher", "value": "V2026"}),
        ("GET", CART + "/checkout", {}),
    ]
    assert (order.cart_id, order.item_id, order.plan_code) == ("cart-1", 77, "project.2018")


def test_cart_without_voucher_sets_only_description():
    api = FakeApi(cart_answers())
    cart(api).prepare()
    assert [c[2]["label"] for c in api.calls if c[1] == ITEM + "/configuration"] == ["description"]


def test_cart_picks_first_wanted_plan_offered_with_duration_and_mode():
    api = FakeApi(cart_answers())
    order = cart(api, plan_codes=("project.legacy", "project.2018"), duration="P1Y", pricing_mode="upfront12")
    order.prepare()
    assert order.plan_code == "project.legacy"


def test_cart_plan_not_offered_lists_offers():
    api = FakeApi(cart_answers())
    with pytest.raises(WorkflowError) as err:
        cart(api, duration="P1Y").prepare()
    error = err.value
    assert error.step == "list offers"
    assert "plan project.2018 with duration P1Y and pricing mode default is not offered to subsidiary FR" in error.msg
    assert "project.2018 (P1M/default); project.legacy (P1Y/upfront12)" in error.msg
    assert error.details["offers"] == ["project.2018", "project.legacy"]
    assert "POST %s/cloud" % CART not in api.keys()


def test_cart_no_offers_at_all():
    api = FakeApi(cart_answers(**{"GET %s/cloud" % CART: []}))
    with pytest.raises(WorkflowError) as err:
        cart(api).prepare()
    assert "offered: nothing" in err.value.msg


def test_cart_unknown_required_label_refused():
    required = [{"label": "description", "required": True}, {"label": "region", "required": True},
                {"label": "optional_thing", "required": False}]
    api = FakeApi(cart_answers(**{"GET %s/requiredConfiguration" % ITEM: required}))
    with pytest.raises(WorkflowError) as err:
        cart(api).prepare()
    assert err.value.step == "read required configuration"
    assert "requires configuration region" in err.value.msg
    assert "optional_thing" not in err.value.msg
    assert err.value.details["required_configuration"] == required
    assert "POST %s/configuration" % ITEM not in api.keys()


def test_cart_step_failure_names_the_step_and_keeps_api_error():
    failure = api_err(400, method="POST", path=CART + "/cloud", message="Invalid duration")
    api = FakeApi(cart_answers(**{"POST %s/cloud" % CART: failure}))
    with pytest.raises(WorkflowError) as err:
        cart(api).prepare()
    assert err.value.step == "add project to cart"
    assert err.value.api_error is failure
    assert "Invalid duration" in err.value.msg


def test_cart_voucher_refused_names_the_voucher():
    def configuration(body):
        if body["label"] == "voucher":
            raise api_err(400, method="POST", path=ITEM + "/configuration", message="This voucher is not valid")
        return {"id": 1}

    api = FakeApi(cart_answers(**{"POST %s/configuration" % ITEM: configuration}))
    with pytest.raises(WorkflowError) as err:
        cart(api, voucher="BADCODE").prepare()
    assert err.value.step == "set voucher"
    assert "voucher BADCODE was refused" in err.value.msg
    assert "This voucher is not valid" in err.value.msg


def test_cart_checkout_body():
    api = FakeApi(cart_answers(**{"POST %s/checkout" % CART: {"orderId": 9}}))
    order = cart(api)
    order.prepare()
    assert order.checkout(auto_pay=False, waive_retractation_period=True) == {"orderId": 9}
    assert api.calls[-1] == ("POST", CART + "/checkout", {"autoPayWithPreferredPaymentMethod": False, "waiveRetractationPeriod": True})


def test_cart_discard_deletes_once():
    api = FakeApi(cart_answers())
    order = cart(api)
    assert order.discard() is None  # no cart yet: nothing to delete
    assert api.calls == []
    order.prepare()
    assert order.discard() is None
    assert order.discard() is None
    assert api.count("DELETE %s" % CART) == 1


def test_cart_discard_failure_is_a_warning():
    api = FakeApi(cart_answers(**{"DELETE %s" % CART: api_err(500, method="DELETE", path=CART)}))
    order = cart(api)
    order.prepare()
    warning = order.discard()
    assert "could not delete cart cart-1" in warning
    assert "expires by itself" in warning


@pytest.mark.parametrize("answer, expected", [({"readOnly": True}, True), ({"readOnly": False}, False), (api_err(404), None)])
def test_cart_is_checked_out(answer, expected):
    api = FakeApi(cart_answers(**{"GET %s" % CART: answer}))
    order = cart(api)
    order.prepare()
    assert order.is_checked_out() is expected
