# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The consumer-key rights documented in docs/api-access-rules.json (and the README) are enough.

That a missing right is refused, and what the module then says, is in test_bad_input.py (consumer-key-without-*).
"""

import json
import os

import pytest

from conftest import ROOT, run_module

with open(os.path.join(ROOT, "docs", "api-access-rules.json"), encoding="utf-8") as handle:
    RULES = json.load(handle)["rules"]


def test_readme_lists_every_rule():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as readme:
        text = readme.read()
    for rule in RULES:
        assert "%s %s" % (rule["method"], rule["path"]) in text, rule


def test_documented_rules_are_enough_for_every_path(sim):
    sim.reset_demo_account(access_rules=RULES)
    sim.control("POST", "/_sim/accounts/xx1111-ovh/vouchers", [{"code": "RULES10", "credit": 10}])
    assert run_module(sim, name="planned", check=True).result["changed"] is True
    created = run_module(sim, name="granted", voucher="RULES10")
    assert created.result["changed"] is True and not created.result.get("failed"), created.output
    assert run_module(sim, name="granted").result["changed"] is False
    unpaid = run_module(sim, name="granted-later", auto_pay=False)
    assert unpaid.result["pending_payment"] is True, unpaid.output
    failed = run_module(sim, name="not-offered", plan_code="project.2099")  # cart deleted on failure
    assert "not offered" in failed.result["msg"]
    assert [e for e in sim.journal() if e["status"] == 403] == []


@pytest.mark.parametrize("missing", ["POST /order/cart/*", "GET /cloud/order", "GET /order/cart"])
def test_a_missing_right_is_refused_by_the_simulator(sim, missing):
    sim.reset_demo_account(access_rules=[r for r in RULES if "%s %s" % (r["method"], r["path"]) != missing])
    run = run_module(sim, name="ungranted")
    assert run.result["failed"] is True
    assert run.result["failure"]["status"] == 403
    assert "not been granted" in run.result["msg"]
