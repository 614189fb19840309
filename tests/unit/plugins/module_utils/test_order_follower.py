# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OrderFollower: following a placed order until its project is ok."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._order_follower import FOLLOW_UP_EVERY, NOT_PAID_GRACE, OrderFollower
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import READ_RETRIES as TRANSIENT_READ_RETRIES
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, FakeApi, FakeDeadline, Seq, api_err, delivered_order, project


def follower(api, auto_pay=True, deadlines=None):
    deadlines = [] if deadlines is None else deadlines

    def factory(timeout):
        deadline = FakeDeadline(timeout)
        deadlines.append(deadline)
        return deadline

    return OrderFollower(api, auto_pay, deadline_factory=factory)


def test_follow_delivered_then_project_404_creating_ok():
    answers = delivered_order(project_answer=Seq(api_err(404), project(PID, "team-a", "creating"), project(PID, "team-a", "ok")))
    deadlines = []
    result = follower(FakeApi(answers), deadlines=deadlines).follow(5, 600)
    assert (result.status, result.pending_payment) == ("delivered", False)
    assert result.project["project_id"] == PID
    assert result.project["status"] == "ok"
    assert deadlines[0].sleeps == 2
    assert deadlines[0].timeout == 600


def test_follow_waits_while_order_is_checking():
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq("checking", "delivering", "delivered")
    api = FakeApi(answers)
    assert follower(api).follow(5, 600).project["status"] == "ok"
    assert api.count("GET /me/order/5/status") == 3
    assert api.count("GET /me/order/5/followUp") == 1  # read while checking only
    assert not api.writes()


def test_follow_waits_for_project_id_in_order():
    answers = delivered_order()
    answers["GET /me/order/5/details/1"] = Seq({"domain": "*001"}, {"domain": PID})
    answers["GET /me/order/5/details/1/operations"] = []
    assert follower(FakeApi(answers)).follow(5, 600).project["project_id"] == PID


@pytest.mark.parametrize("status", ["cancelled", "cancelling"])
def test_follow_cancelled_order_names_it(status):
    api = FakeApi({"GET /me/order/5/status": status, "GET /me/order/5/followUp": []})
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600, url="https://pay/5")
    assert err.value.step == "wait for order"
    assert "order 5 was %s by OVHcloud (status %s)" % ("cancelled" if status == "cancelled" else "being cancelled",
                                                       status) in err.value.msg
    assert "See the order at https://pay/5" in err.value.msg
    assert err.value.details["order_id"] == 5


@pytest.mark.parametrize("status", ["cancelled", "cancelling"])
def test_follow_order_cancelled_by_the_anti_fraud_check_names_the_refusal(status):
    # the order went from notPaid straight to cancelling: its follow-up says why, whatever the 7 s between reads
    refused = [{"step": "VALIDATING", "status": "ERROR", "history": [
        {"label": "FRAUD_REFUSED", "date": "2026-11-23T15:00:00+00:00", "description": ""}]}]
    api = FakeApi({"GET /me/order/5/status": status, "GET /me/order/5/followUp": refused})
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600, url="https://pay/5")
    assert "refused by OVHcloud's anti-fraud check (FRAUD_REFUSED)" in err.value.msg
    assert "https://pay/5" in err.value.msg


def test_follow_not_paid_without_auto_pay_is_pending_payment():
    deadlines = []
    api = FakeApi({"GET /me/order/5/status": "notPaid"})
    result = follower(api, auto_pay=False, deadlines=deadlines).follow(5, 600)
    assert (result.status, result.pending_payment, result.project) == ("notPaid", True, None)
    assert deadlines[0].sleeps == 0
    assert api.keys() == ["GET /me/order/5/status"]


def test_follow_not_paid_with_auto_pay_fails_after_grace():
    deadlines = []
    api = FakeApi({"GET /me/order/5/status": "notPaid", "GET /me/order/5/followUp": []})  # no payment started
    with pytest.raises(WorkflowError) as err:
        follower(api, auto_pay=True, deadlines=deadlines).follow(5, 600)
    assert "order 5 is notPaid although auto_pay was requested" in err.value.msg
    assert "no usable default payment method" in err.value.msg
    assert deadlines[0].elapsed() >= NOT_PAID_GRACE
    assert deadlines[0].elapsed() < 600


def test_follow_not_paid_while_a_payment_clears_is_waited_for_not_failed():
    # the payment was registered (follow-up label) but the status says notPaid a while longer: no false failure
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq(*(["notPaid"] * 10 + ["checking", "delivered"]))
    answers["GET /me/order/5/followUp"] = [{"step": "VALIDATING", "status": "DOING", "history": [
        {"label": "REGISTERED_PAYMENT_INITIATED", "date": "2026-11-23T15:00:00+00:00", "description": ""}]}]
    deadlines = []
    api = FakeApi(answers)
    result = follower(api, auto_pay=True, deadlines=deadlines).follow(5, 600)
    assert result.project["status"] == "ok"
    assert deadlines[0].elapsed() > NOT_PAID_GRACE
    assert api.writes() == []


def test_follow_not_paid_with_auto_pay_within_grace_then_delivered():
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq("notPaid", "notPaid", "delivered")
    assert follower(FakeApi(answers), auto_pay=True).follow(5, 600).project["status"] == "ok"


def test_follow_timeout_names_the_order():
    api = FakeApi({"GET /me/order/5/status": "checking", "GET /me/order/5/followUp": []})
    deadlines = []
    with pytest.raises(WorkflowError) as err:
        follower(api, deadlines=deadlines).follow(5, 10)
    assert err.value.step == "wait for order"
    assert "order 5 is still checking after 10s" in err.value.msg
    assert "rerun the task to follow this same order" in err.value.msg
    assert err.value.details["order_id"] == 5
    assert deadlines[0].elapsed() == 10
    # the follow-up is read at most every FOLLOW_UP_EVERY seconds: at 0 s and at 7 s of the 10
    assert api.count("GET /me/order/5/followUp") == 1 + int(10 // FOLLOW_UP_EVERY)
    assert api.count("GET /me/order/5/status") == 11


def test_follow_timeout_while_project_is_creating():
    api = FakeApi(delivered_order(project_answer=project(PID, "team-a", "creating")))
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 10)
    assert "order 5 is still delivered after 10s (project %s creating)" % PID in err.value.msg


def test_follow_zero_timeout_still_reads_once():
    api = FakeApi(delivered_order())
    assert follower(api).follow(5, 0).project["status"] == "ok"


@pytest.mark.parametrize("transient", [api_err(500), api_err(503), api_err(None, transport=True)], ids=["500", "503", "transport"])
def test_follow_transient_read_errors_retried(transient):
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq(*([transient] * TRANSIENT_READ_RETRIES + ["delivered"]))
    api = FakeApi(answers)
    assert follower(api).follow(5, 600).status == "delivered"
    assert api.count("GET /me/order/5/status") == TRANSIENT_READ_RETRIES + 1


def test_follow_transient_read_errors_give_up_after_the_limit():
    answers = {"GET /me/order/5/status": Seq(*([api_err(502)] * (TRANSIENT_READ_RETRIES + 1) + ["delivered"]))}
    api = FakeApi(answers)
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.step == "read order status"
    assert err.value.api_error.status == 502
    assert api.count("GET /me/order/5/status") == TRANSIENT_READ_RETRIES + 1


def test_follow_non_transient_read_error_not_retried():
    api = FakeApi({"GET /me/order/5/status": Seq(api_err(403), "delivered")})
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.api_error.status == 403
    assert api.count("GET /me/order/5/status") == 1


def test_follow_project_read_errors_retried_then_reported():
    answers = delivered_order(project_answer=Seq(api_err(500), project(PID, "team-a")))
    assert follower(FakeApi(answers)).follow(5, 600).project["status"] == "ok"
    answers = delivered_order(project_answer=api_err(403))
    with pytest.raises(WorkflowError) as err:
        follower(FakeApi(answers)).follow(5, 600)
    assert err.value.step == "read project"


def test_follow_waits_while_order_status_is_the_enum_value_unknown():
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq("unknown", "checking", "delivered")
    assert follower(FakeApi(answers)).follow(5, 600).project["status"] == "ok"


def test_follow_documents_requested_fails_saying_what_to_send():
    api = FakeApi({"GET /me/order/5/status": "documentsRequested"})
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.step == "wait for order"
    assert "order 5 waits for documents" in err.value.msg and "send them from the Control Panel" in err.value.msg
    assert api.count("GET /me/order/5/status") == 1


@pytest.mark.parametrize("status", ["blocked", "", None, 3])
def test_follow_order_status_it_does_not_know_fails_at_once_naming_it(status):
    deadlines = []
    api = FakeApi({"GET /me/order/5/status": status})
    with pytest.raises(WorkflowError) as err:
        follower(api, deadlines=deadlines).follow(5, 600)
    assert err.value.step == "wait for order"
    assert "order 5 has status %r, which this version of the collection does not know" % (status,) in err.value.msg
    assert "will not be placed again" in err.value.msg and "rerun the task" in err.value.msg
    assert err.value.details["order_id"] == 5
    assert deadlines[0].sleeps == 0 and not api.writes()


@pytest.mark.parametrize("status, fragment", [
    ("suspended", "project %s delivered by order 5 is suspended, not ok" % PID),
    ("deleting", "project %s delivered by order 5 is deleting, not ok" % PID),
    ("frozen", "project %s has status 'frozen', which this version of the collection does not know" % PID),
])
def test_follow_delivered_project_neither_ok_nor_creating_fails_naming_it(status, fragment):
    deadlines = []
    api = FakeApi(delivered_order(project_answer=Seq(project(PID, "team-a", "creating"), project(PID, "team-a", status))))
    with pytest.raises(WorkflowError) as err:
        follower(api, deadlines=deadlines).follow(5, 600)
    assert err.value.step == "wait for project"
    assert fragment in err.value.msg and "rerun the task" in err.value.msg
    assert err.value.details == {"order_id": 5, "project_id": PID}
    assert deadlines[0].sleeps == 1


# -- OVHcloud's anti-fraud check, read from the order's follow-up while it is checked -------------------------------


def step(status, *labels):
    return {"step": "VALIDATING", "status": status, "history": [{"label": label} for label in labels]}


def checking_with(follow_up, statuses=("checking", "checking", "delivered")):
    answers = delivered_order()
    answers["GET /me/order/5/status"] = Seq(*statuses)
    answers["GET /me/order/5/followUp"] = follow_up
    return FakeApi(answers)


@pytest.mark.parametrize("label", ["FRAUD_DOCS_REQUESTED", "FRAUD_MANUAL_REVIEW"])
def test_follow_fraud_hold_in_a_doing_step_fails_naming_the_order_and_its_url(label):
    api = checking_with([step("DONE", "ORDER_STARTED"), step("DOING", "FRAUD_CHECK", label)])
    deadlines = []
    with pytest.raises(WorkflowError) as err:
        follower(api, deadlines=deadlines).follow(5, 600, url="https://pay/5")
    assert err.value.step == "wait for order"
    assert "order 5 is held by OVHcloud's anti-fraud check (%s)" % label in err.value.msg
    assert "https://pay/5" in err.value.msg and "will not be placed again" in err.value.msg
    assert err.value.details["order_id"] == 5
    assert api.count("GET /me/order/5/followUp") == 1 and deadlines[0].sleeps == 0  # stops at once, not at the timeout
    assert not api.writes()


def test_follow_fraud_refused_in_any_step_fails_naming_the_order():
    api = checking_with([step("DONE", "ORDER_STARTED", "FRAUD_REFUSED"), step("TODO")])
    with pytest.raises(WorkflowError) as err:
        follower(api).follow(5, 600)
    assert err.value.step == "wait for order"
    assert "order 5 was refused by OVHcloud's anti-fraud check (FRAUD_REFUSED)" in err.value.msg
    assert "the Control Panel (Billing > Orders)" in err.value.msg  # no url given
    assert err.value.details["order_id"] == 5
    assert "GET /me/order/5/details" not in api.keys()


def test_follow_fraud_labels_of_a_done_step_are_ignored():
    api = checking_with([step("DONE", "FRAUD_CHECK", "FRAUD_MANUAL_REVIEW", "FRAUD_DOCS_REQUESTED"),
                         step("DOING", "ORDER_ACCEPTED")])
    result = follower(api).follow(5, 600, url="https://pay/5")
    assert result.project["status"] == "ok"
    assert api.count("GET /me/order/5/followUp") == 1  # the second checking read is within FOLLOW_UP_EVERY


def test_follow_up_is_not_read_unless_the_order_is_checking():
    api = checking_with(api_err(500), statuses=("notPaid", "delivering", "delivered"))
    assert follower(api).follow(5, 600).status == "delivered"
    assert "GET /me/order/5/followUp" not in api.keys()


def test_follow_a_hold_appearing_later_is_seen_at_the_next_follow_up_read():
    api = checking_with(Seq([step("DOING", "FRAUD_CHECK")], [step("DOING", "FRAUD_CHECK", "FRAUD_MANUAL_REVIEW")]),
                        statuses=("checking",))
    deadlines = []
    with pytest.raises(WorkflowError) as err:
        follower(api, deadlines=deadlines).follow(5, 600)
    assert "FRAUD_MANUAL_REVIEW" in err.value.msg
    assert api.count("GET /me/order/5/followUp") == 2
    assert deadlines[0].elapsed() == FOLLOW_UP_EVERY
