# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""EligibilityCheck: clear failures before any cart."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._eligibility import ACTION_ADVICE, EligibilityCheck
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import FakeApi, api_err


@pytest.mark.parametrize("action", sorted(ACTION_ADVICE))
def test_eligibility_action_gives_its_advice(action):
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": [action], "minimumCredit": None}})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert err.value.step == "check eligibility"
    assert "%s: %s" % (action, ACTION_ADVICE[action]) in err.value.msg
    assert "Nothing was ordered" in err.value.msg
    assert err.value.details["actions_required"] == [action]


def test_eligibility_unknown_action_still_blocks():
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": ["somethingNew"]}})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert "somethingNew: see the Control Panel" in err.value.msg


def test_eligibility_several_actions_all_reported():
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": ["verifyPaypal", "askIncreaseProjectsQuota"]}})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert err.value.details["actions_required"] == ["verifyPaypal", "askIncreaseProjectsQuota"]
    assert "project quota" in err.value.msg and "PayPal" in err.value.msg


def test_eligibility_missing_payment_method_not_blocking_without_auto_pay():
    info = {"actionsRequired": ["addPaymentMethod"]}
    api = FakeApi({"GET /cloud/eligibility": info})
    EligibilityCheck(api).check(auto_pay=False)  # does not raise
    with pytest.raises(WorkflowError):
        EligibilityCheck(api).check(auto_pay=True)


def test_eligibility_ok_passes_voucher_as_query():
    api = FakeApi({"GET /cloud/eligibility": {"actionsRequired": []}})
    EligibilityCheck(api).check(voucher="V2026")
    EligibilityCheck(api).check()
    assert api.calls == [("GET", "/cloud/eligibility", {"voucher": "V2026"}), ("GET", "/cloud/eligibility", {})]


def test_eligibility_400_with_voucher_names_the_voucher():
    api = FakeApi({"GET /cloud/eligibility": api_err(400, message="This voucher does not exist")})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check(voucher="NOPE2026")
    assert "voucher NOPE2026 was refused: This voucher does not exist" in err.value.msg
    assert err.value.api_error.status == 400


def test_eligibility_other_errors():
    api = FakeApi({"GET /cloud/eligibility": api_err(400, message="bad")})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check()
    assert err.value.msg.startswith("check eligibility failed:")
    api = FakeApi({"GET /cloud/eligibility": api_err(500)})
    with pytest.raises(WorkflowError) as err:
        EligibilityCheck(api).check(voucher="V1")
    assert "voucher" not in err.value.msg
