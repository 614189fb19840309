# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""PriceCap: max_price against a flat price (the ordering story is in test_project_ensurer.py)."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._price_cap import PriceCap, amount


def price(with_tax, currency="EUR"):
    return {"with_tax": with_tax, "without_tax": with_tax, "currency": currency}


def test_no_cap_checks_nothing():
    PriceCap(None).check(price(None))
    assert PriceCap(None).within(price(1000.0)) is None
    assert PriceCap(None).check_planned(price(1000.0)) is None


def test_a_price_equal_to_the_cap_is_within():
    PriceCap(1.5).check(price(1.5))
    assert PriceCap(1.5).check_planned(price(1.5)) is True


def test_over_the_cap_names_price_currency_and_cap():
    with pytest.raises(WorkflowError) as err:
        PriceCap(0).check(price(0.01, "CAD"))
    assert err.value.msg.startswith("price 0.01 CAD with tax exceeds max_price 0.00")
    assert err.value.details["max_price"] == 0


def test_unknown_price_is_refused_at_checkout_but_only_reported_in_check_mode():
    with pytest.raises(WorkflowError):
        PriceCap(3).check(price(None))
    assert PriceCap(3).check_planned(price(None)) is None


def test_amounts_keep_every_digit_that_matters():
    assert amount(12.0) == "12.00"
    assert amount(0.001) == "0.001"
