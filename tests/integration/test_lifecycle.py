# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project over a project's life: adopt by id, rename, a price cap on orders, and state=absent
(terminate, then confirm with a token given or read from the e-mail history). Every test asserts on the simulator's
journal: which writes were made, and none where none may be."""

import pytest

from conftest import run_module

NIC = "xx1111-ovh"


def writes(sim):
    """(method, path) of every POST, PUT and DELETE so far."""
    return [(e["method"], e["path"]) for e in sim.writes()]


def project(sim, project_id):
    return [p for p in sim.state()["projects"] if p["project_id"] == project_id][0]


def test_adopt_by_id_rename_in_check_mode_then_for_real_then_again(sim):
    project_id = sim.seed_projects(NIC, {"description": "made-by-hand"})[0]
    sim.clear_journal()
    adopted = run_module(sim, project_id=project_id)
    assert adopted.result["changed"] is False and not adopted.result.get("failed"), adopted.output
    assert adopted.result["project"]["project_id"] == project_id
    assert adopted.result["project"]["name"] == "made-by-hand"
    assert writes(sim) == []
    # check mode: reports the rename and its diff, writes nothing
    checked = run_module(sim, project_id=project_id, name="team-a", check=True, diff=True)
    assert checked.result["changed"] is True, checked.output
    assert checked.result["diff"]["before"]["name"] == "made-by-hand"
    assert checked.result["diff"]["after"]["name"] == "team-a"
    assert writes(sim) == []
    assert project(sim, project_id)["description"] == "made-by-hand"
    renamed = run_module(sim, project_id=project_id, name="team-a", diff=True)
    assert renamed.result["changed"] is True and not renamed.result.get("failed"), renamed.output
    assert renamed.result["diff"]["after"]["name"] == "team-a"
    assert writes(sim) == [("PUT", "/cloud/project/%s" % project_id)]
    assert sim.calls("PUT", "/cloud/project/%s" % project_id)[0]["body"] == {"description": "team-a"}
    assert project(sim, project_id)["description"] == "team-a"
    sim.clear_journal()
    again = run_module(sim, project_id=project_id, name="team-a")
    assert again.result["changed"] is False, again.output
    assert writes(sim) == []
    assert again.result["project"]["name"] == "team-a"


def test_unknown_project_id_fails_clearly_and_never_orders(sim):
    sim.clear_journal()
    run = run_module(sim, project_id="0123456789abcdef0123456789abcdef", name="would-be")
    assert run.result["failed"] is True
    assert "0123456789abcdef0123456789abcdef" in run.result["msg"], run.result["msg"]
    assert writes(sim) == []
    assert sim.calls("POST", "/order/cart") == []


def test_price_cap_refuses_with_no_checkout_and_no_cart_then_allows(sim):
    sim.config(plan_price=10.0)  # 12.00 with the simulator's 20 % tax
    sim.clear_journal()
    checked = run_module(sim, name="capped", max_price=5, check=True)
    assert checked.result["failed"] is True, checked.output  # check mode predicts the refusal
    assert "12" in checked.result["msg"] and "5" in checked.result["msg"], checked.result["msg"]
    assert writes(sim) == []
    refused = run_module(sim, name="capped", max_price=5)
    assert refused.result["failed"] is True, refused.output
    assert "12.00" in refused.result["msg"] and "max_price 5" in refused.result["msg"], refused.result["msg"]
    assert sim.checkouts() == []
    assert len(sim.calls("POST", "/order/cart")) == 1
    assert len(sim.calls("DELETE", "/order/cart/[^/]+")) == 1  # its cart, deleted
    assert [c for c in sim.state()["carts"] if not c["expired"] and not c["readOnly"]] == []
    allowed = run_module(sim, name="capped", max_price=20)
    assert allowed.result["changed"] is True and not allowed.result.get("failed"), allowed.output
    assert allowed.result["order"]["within_max_price"] is True
    assert len(sim.checkouts()) == 1
    assert [p["description"] for p in sim.state()["projects"]] == ["capped"]


@pytest.mark.core_matrix
def test_absent_without_allow_termination_fails_before_any_call(sim):
    project_id = sim.seed_projects(NIC, {"description": "keep-me"})[0]
    sim.clear_journal()
    run = run_module(sim, name="keep-me", state="absent")
    assert run.result["failed"] is True
    assert "allow_termination" in run.result["msg"], run.result["msg"]
    assert sim.journal() == []
    assert project(sim, project_id)["status"] == "ok"


def test_absent_in_two_runs_request_then_confirm_with_the_token_then_nothing(sim):
    project_id = sim.seed_projects(NIC, {"description": "retire-me"})[0]
    sim.clear_journal()
    checked = run_module(sim, name="retire-me", state="absent", allow_termination=True, check=True)
    assert checked.result["changed"] is True, checked.output
    assert writes(sim) == []
    requested = run_module(sim, name="retire-me", state="absent", allow_termination=True)
    assert requested.result["changed"] is True and not requested.result.get("failed"), requested.output
    assert requested.result["termination"] == {"requested": True, "confirmed": False}
    assert writes(sim) == [("POST", "/cloud/project/%s/terminate" % project_id)]
    (request,) = sim.terminations(project_id)  # one request, whose token is still to be confirmed
    assert (request["valid"], request["confirmed"]) == (True, False)
    token = request["token"]
    sim.clear_journal()
    confirmed = run_module(sim, name="retire-me", state="absent", allow_termination=True, termination_token=token,
                           verbosity=3)
    assert confirmed.result["changed"] is True and not confirmed.result.get("failed"), confirmed.output
    assert confirmed.result["termination"]["confirmed"] is True
    assert writes(sim) == [("POST", "/cloud/project/%s/confirmTermination" % project_id)]
    assert token not in confirmed.output
    assert project(sim, project_id)["status"] in ("deleting", "deleted")
    sim.clear_journal()
    again = run_module(sim, name="retire-me", state="absent", allow_termination=True)
    assert again.result["changed"] is False and not again.result.get("failed"), again.output
    assert writes(sim) == []


def test_absent_with_the_token_read_from_the_email_history(sim):
    project_id = sim.seed_projects(NIC, {"description": "mail-me"})[0]
    sim.clear_journal()
    run = run_module(sim, name="mail-me", state="absent", allow_termination=True, termination_token_from_email=True,
                     verbosity=3)
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    assert run.result["termination"] == {"requested": True, "confirmed": True}
    assert writes(sim) == [("POST", "/cloud/project/%s/terminate" % project_id),
                           ("POST", "/cloud/project/%s/confirmTermination" % project_id)]
    assert sim.calls("GET", r"/me/notification/email/history/\d+")  # the e-mails were read
    token = sim.terminations(project_id)[-1]["token"]
    assert sim.terminations(project_id)[-1]["confirmed"] is True
    assert token not in run.output
    assert project(sim, project_id)["status"] in ("deleting", "deleted")


def test_absent_on_an_ambiguous_name_fails_without_a_write(sim):
    first, second = sim.seed_projects(NIC, [{"description": "twin"}, {"description": "twin"}])
    sim.clear_journal()
    run = run_module(sim, name="twin", state="absent", allow_termination=True)
    assert run.result["failed"] is True
    assert first in run.result["msg"] and second in run.result["msg"], run.result["msg"]
    assert writes(sim) == []


@pytest.mark.core_matrix
def test_check_mode_of_each_lifecycle_task_writes_nothing(sim):
    """Check mode: adopt, unknown id, a price within the cap, confirming with a token, the e-mail lookup."""
    sim.config(plan_price=10.0)
    project_id = sim.seed_projects(NIC, {"description": "checked"})[0]
    sim.clear_journal()
    adopted = run_module(sim, project_id=project_id, check=True)
    assert adopted.result["changed"] is False and adopted.result["project"]["name"] == "checked", adopted.output
    unknown = run_module(sim, project_id="fedcba9876543210fedcba9876543210", check=True)
    assert unknown.result["failed"] is True and "fedcba9876543210fedcba9876543210" in unknown.result["msg"]
    capped = run_module(sim, name="cheap-enough", max_price=20, check=True)
    assert capped.result["changed"] is True and not capped.result.get("failed"), capped.output
    assert capped.result["order"]["within_max_price"] is True
    confirm = run_module(sim, name="checked", state="absent", allow_termination=True, termination_token="abc123", check=True)
    assert confirm.result["changed"] is True and not confirm.result.get("failed"), confirm.output
    mailed = run_module(sim, name="checked", state="absent", allow_termination=True, termination_token_from_email=True,
                        check=True)
    assert mailed.result["changed"] is True and not mailed.result.get("failed"), mailed.output
    assert writes(sim) == []
    assert sim.terminations() == []
    assert project(sim, project_id)["status"] == "ok"
