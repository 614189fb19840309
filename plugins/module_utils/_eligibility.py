# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Asks ``GET /cloud/eligibility`` whether the account may order a project, before any cart exists."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

# cloud.project.NewProjectInfoActionsRequiredEnum -> what the user must do.
ACTION_ADVICE = {
    "addPaymentMethod": "add a payment method to the account and make it the default (Control Panel > Billing > Payment methods)",
    "askIncreaseProjectsQuota": "the account reached its Public Cloud project quota: delete an unused project or ask OVHcloud "
                                "support to raise the quota",
    "challengePaymentMethod": "confirm the default payment method (OVHcloud asks for a challenge in the Control Panel)",
    "verifyPaypal": "verify the PayPal payment method in the Control Panel",
}
# Without auto-pay the order can be placed and paid later, so a missing payment method does not block it.
NOT_BLOCKING_WITHOUT_AUTO_PAY = ("addPaymentMethod",)


class EligibilityCheck:
    """Turns each ``actionsRequired`` entry into one clear failure."""

    def __init__(self, api):
        self.api = api

    def check(self, voucher=None, auto_pay=True):
        query = {"voucher": voucher} if voucher else {}
        try:
            info = self.api.get("/cloud/eligibility", **query)
        except OvhApiError as exc:
            if voucher and exc.status == 400:
                raise WorkflowError(
                    Step.CHECK_ELIGIBILITY,
                    "voucher %s was refused: %s. Check the code (and that it is unused and for this account), or remove the "
                    "voucher option" % (voucher, exc.message),
                    api_error=exc,
                ) from None
            raise WorkflowError(Step.CHECK_ELIGIBILITY, "check eligibility failed: %s" % exc, api_error=exc) from None
        actions = [a for a in (info or {}).get("actionsRequired") or []
                   if auto_pay or a not in NOT_BLOCKING_WITHOUT_AUTO_PAY]
        if actions:
            advice = "; ".join("%s: %s" % (a, ACTION_ADVICE.get(a, "see the Control Panel")) for a in actions)
            raise WorkflowError(
                Step.CHECK_ELIGIBILITY,
                "OVHcloud will not accept a Public Cloud project order from this account yet. %s. Nothing was ordered." % advice,
                actions_required=actions,
            )
