"""A project's lifecycle: rename, terminate, the token e-mail, confirmTermination, deleting -> deleted, the plan price."""

import re
import time

import ovh
import pytest

from ovh_api_simulator import ControlError
from shape_helpers import REGISTRY, assert_shape
from sim_helpers import DEMO_NIC, OTHER_NIC, new_cart, add_project_item, ordered_cart

BadParameters = ovh.exceptions.BadParametersError
NotFound = ovh.exceptions.ResourceNotFoundError
Expired = ovh.exceptions.ResourceExpiredError
# terraform-provider-ovh ovh/order.go L28 ([[:alnum:]] spelled out for Python's re)
TOKEN_RE = re.compile(r".*/billing/confirmTerminate\?id=[A-Za-z0-9]+&token=([A-Za-z0-9]+).*")
HISTORY = "/me/notification/email/history"
EMAIL_MODELS = REGISTRY.files["me-notification-email.json"]["models"]
LIFECYCLE_CONFIG = {"termination_email_delay": 0.3, "project_deleting_delay": 0.3}


@pytest.fixture
def project(demo, control):
    """A project of the demo account, with short termination delays."""
    control.config(**LIFECYCLE_CONFIG)
    return control.seed_projects(DEMO_NIC, {"description": "to delete"})[0]


def wait_for(predicate, timeout=5.0):
    """Poll ``predicate`` until it returns something true; that value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in %.1f s" % timeout)


def token_from_new_email(client, project_id, seen):
    """terraform's reader: an e-mail with an id not seen before, whose body has the project id and the confirm link."""
    for email_id in sorted(set(client.get(HISTORY)) - set(seen)):
        body = client.get("%s/%d" % (HISTORY, email_id))["body"]
        found = TOKEN_RE.search(body)
        if project_id in body and found:
            return found.group(1)
    return None


def status_of(client, project_id):
    """The project's status."""
    return client.get("/cloud/project/%s" % project_id)["status"]


def test_rename_and_its_validation(demo, other, control, project):
    assert demo.put("/cloud/project/%s" % project, description="new") is None
    renamed = demo.get("/cloud/project/%s" % project)
    assert renamed["description"] == "new" and renamed["status"] == "ok"
    for bad, field in (({"description": 5}, "description"), ({"description": "x", "name": "y"}, "name"),
                       ({"status": "ok"}, "status"), ({"manualQuota": "yes"}, "manualQuota")):
        with pytest.raises(BadParameters, match=field):
            demo.put("/cloud/project/%s" % project, **bad)
    for client, path in ((other, project), (demo, "0" * 32)):
        with pytest.raises(NotFound, match="This service does not exist"):
            client.put("/cloud/project/%s" % path, description="stolen")
    assert demo.get("/cloud/project/%s" % project)["description"] == "new"
    deleting = control.seed_projects(DEMO_NIC, {"description": "old", "status": "deleting"})[0]
    with pytest.raises(Expired, match="This service is expired"):
        demo.put("/cloud/project/%s" % deleting, description="renamed")


def test_terminate_emails_a_token_after_a_delay_and_confirmation_deletes(demo, control, project):
    seen = demo.get(HISTORY)
    assert len(seen) == 2  # the seeded older e-mails: an old termination of another project, an invoice
    answer = demo.post("/cloud/project/%s/terminate" % project)
    assert answer == "A termination token has been sent by e-mail to the administrator of service %s" % project
    assert demo.get(HISTORY) == seen and token_from_new_email(demo, project, seen) is None  # not there yet
    pending = [mail for mail in control.emails(DEMO_NIC) if not mail["visible"]]
    assert len(pending) == 1
    with pytest.raises(NotFound):
        demo.get("%s/%d" % (HISTORY, pending[0]["id"]))
    token = wait_for(lambda: token_from_new_email(demo, project, seen))
    assert token == control.termination_token(project) and token.isalnum()
    new_id = max(demo.get(HISTORY))
    mail = demo.get("%s/%d" % (HISTORY, new_id))
    assert_shape(mail, "nichandle.EmailNotification", EMAIL_MODELS, "email")
    assert set(mail) == {"id", "date", "subject", "body"} and mail["id"] == new_id
    assert "https://www.ovh.com/manager/#/billing/confirmTerminate?id=" in mail["body"] and project in mail["body"]
    assert status_of(demo, project) == "ok"
    confirmed = demo.post("/cloud/project/%s/confirmTermination" % project, token=token, reason="NOT_NEEDED_ANYMORE",
                          futureUse="NOT_REPLACING_SERVICE", commentary="tests")
    assert confirmed == "Service %s will be terminated" % project
    assert status_of(demo, project) == "deleting" and project in demo.get("/cloud/project")
    wait_for(lambda: status_of(demo, project) == "deleted")
    assert project in demo.get("/cloud/project")  # still listed, with its status, for project_deleted_retention
    assert control.terminations(project)[-1]["confirmed"] is True and control.termination_token(project) is None


def test_a_reader_that_takes_the_first_link_gets_a_wrong_token(demo, control, project):
    old = [demo.get("%s/%d" % (HISTORY, i)) for i in sorted(demo.get(HISTORY))]
    old_tokens = [TOKEN_RE.search(mail["body"]).group(1) for mail in old if TOKEN_RE.search(mail["body"])]
    assert len(old_tokens) == 1 and project not in old[0]["body"] + old[1]["body"]
    demo.post("/cloud/project/%s/terminate" % project)
    wait_for(lambda: len(demo.get(HISTORY)) == 3)
    with pytest.raises(BadParameters, match="Invalid termination token"):
        demo.post("/cloud/project/%s/confirmTermination" % project, token=old_tokens[0])
    assert status_of(demo, project) == "ok"


def test_a_second_request_replaces_the_first_token(demo, control, project):
    control.config(termination_email_delay=0.0)
    seen = demo.get(HISTORY)
    demo.post("/cloud/project/%s/terminate" % project)
    first = token_from_new_email(demo, project, seen)
    demo.post("/cloud/project/%s/terminate" % project)
    assert len(set(demo.get(HISTORY)) - set(seen)) == 2
    second = token_from_new_email(demo, project, seen + [max(demo.get(HISTORY)) - 1])
    assert first and second and first != second
    assert [t["valid"] for t in control.terminations(project)] == [False, True]
    with pytest.raises(BadParameters, match="Invalid termination token"):
        demo.post("/cloud/project/%s/confirmTermination" % project, token=first)
    demo.post("/cloud/project/%s/confirmTermination" % project, token=second)
    assert status_of(demo, project) == "deleting"


def test_confirmation_body_is_checked(demo, control, project):
    path = "/cloud/project/%s/confirmTermination" % project
    with pytest.raises(BadParameters, match="token"):
        demo.post(path)
    with pytest.raises(BadParameters, match="token"):
        demo.post(path, reason="OTHER")
    demo.post("/cloud/project/%s/terminate" % project)
    token = control.termination_token(project)
    for bad, field in (({"token": 12}, "token"), ({"token": token, "reason": "BORED"}, "reason"),
                       ({"token": token, "futureUse": "nothing"}, "futureUse"), ({"token": token, "commentary": 1}, "commentary"),
                       ({"token": token, "why": "x"}, "why"), ({"token": None}, "token")):
        with pytest.raises(BadParameters, match=field):
            demo.post(path, **bad)
    with pytest.raises(BadParameters, match="Invalid termination token"):
        demo.post(path, token="wrong0token")
    with pytest.raises(BadParameters, match="reason"):
        demo.post("/cloud/project/%s/terminate" % project, reason="OTHER")  # terminate takes no body
    assert status_of(demo, project) == "ok"
    demo.post(path, token=token)  # the refused attempts did not spend the token
    assert status_of(demo, project) == "deleting"


def test_no_request_means_every_token_is_wrong(demo, control, project):
    with pytest.raises(BadParameters, match="Invalid termination token"):
        demo.post("/cloud/project/%s/confirmTermination" % project, token="abc123")


def test_terminating_what_is_deleting_deleted_suspended_or_gone(demo, control, project):
    control.config(project_deleted_retention=0.5, termination_email_delay=0.0)
    demo.post("/cloud/project/%s/terminate" % project)
    demo.post("/cloud/project/%s/confirmTermination" % project, token=control.termination_token(project))
    for call in (lambda: demo.post("/cloud/project/%s/terminate" % project),
                 lambda: demo.post("/cloud/project/%s/confirmTermination" % project, token="x1")):
        with pytest.raises(Expired, match="This service is expired"):
            call()
    wait_for(lambda: status_of(demo, project) == "deleted")
    listed = demo.get("/cloud/project")
    assert project in listed
    with pytest.raises(Expired):
        demo.post("/cloud/project/%s/terminate" % project)
    with pytest.raises(Expired):
        demo.put("/cloud/project/%s" % project, description="too late")
    wait_for(lambda: project not in demo.get("/cloud/project"))
    for call in (lambda: demo.get("/cloud/project/%s" % project), lambda: demo.post("/cloud/project/%s/terminate" % project),
                 lambda: demo.put("/cloud/project/%s" % project, description="gone")):
        with pytest.raises(NotFound, match="This service does not exist"):
            call()
    assert [p["gone"] for p in control.state()["projects"] if p["project_id"] == project] == [True]
    suspended, deleted = control.seed_projects(DEMO_NIC, [{"status": "suspended"}, {"status": "deleted"}])
    with pytest.raises(Expired):
        demo.post("/cloud/project/%s/terminate" % suspended)
    with pytest.raises(NotFound):
        demo.post("/cloud/project/%s/terminate" % deleted)  # seeded deleted long ago: gone
    assert deleted not in demo.get("/cloud/project")
    recent = control.seed_projects(DEMO_NIC, {"status": "deleted", "deleted_ago": 0.2})[0]
    assert recent in demo.get("/cloud/project") and status_of(demo, recent) == "deleted"
    wait_for(lambda: recent not in demo.get("/cloud/project"))


def test_accounts_never_see_each_others_emails_or_projects(demo, other, control, project):
    demo.post("/cloud/project/%s/terminate" % project)
    token = control.termination_token(project)
    mine = wait_for(lambda: len(demo.get(HISTORY)) == 3 and demo.get(HISTORY))
    theirs = other.get(HISTORY)
    assert len(theirs) == 2 and not set(mine) & set(theirs)
    for email_id in mine:
        with pytest.raises(NotFound):
            other.get("%s/%d" % (HISTORY, email_id))
    for email_id in theirs:
        with pytest.raises(NotFound):
            demo.get("%s/%d" % (HISTORY, email_id))
    for call in (lambda: other.post("/cloud/project/%s/terminate" % project),
                 lambda: other.post("/cloud/project/%s/confirmTermination" % project, token=token)):
        with pytest.raises(NotFound, match="This service does not exist"):
            call()
    assert status_of(demo, project) == "ok" and control.termination_token(project) == token
    assert [mail["nichandle"] for mail in control.emails(OTHER_NIC)] == [OTHER_NIC] * 2
    with pytest.raises(BadParameters, match="id"):
        demo.get("%s/abc" % HISTORY)


def test_history_lists_every_email_newest_first_and_seeded_emails(demo, control):
    assert len(demo.get(HISTORY)) == 2
    ids = control.seed_emails(DEMO_NIC, [{"subject": "Welcome", "body": "Hello", "days_ago": 400},
                                         {"subject": "Later", "body": "Soon", "delay": 0.3}])
    listed = demo.get(HISTORY)
    assert ids[0] in listed and ids[1] not in listed and listed == sorted(listed, reverse=True)
    wait_for(lambda: ids[1] in demo.get(HISTORY))
    assert demo.get("%s/%d" % (HISTORY, ids[0]))["subject"] == "Welcome"
    control.add_account(nichandle="quiet-ovh", emails=[])
    assert control.emails("quiet-ovh") == []
    for bad in ({"subject": "x"}, {"subject": "x", "body": "y", "when": 1}, {"subject": "x", "body": "y", "delay": -1}):
        with pytest.raises(ControlError) as failure:
            control.seed_emails(DEMO_NIC, bad)
        assert failure.value.status == 400


def test_journal_records_the_lifecycle_calls(demo, control, project):
    control.clear_journal()
    demo.put("/cloud/project/%s" % project, description="renamed")
    demo.post("/cloud/project/%s/terminate" % project)
    demo.get(HISTORY)
    demo.post("/cloud/project/%s/confirmTermination" % project, token=control.termination_token(project))
    entries = [e for e in control.journal() if e["path"] != "/auth/time"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("PUT", "/cloud/project/%s" % project, 200), ("POST", "/cloud/project/%s/terminate" % project, 200),
        ("GET", HISTORY, 200), ("POST", "/cloud/project/%s/confirmTermination" % project, 200)]
    assert entries[0]["body"] == {"description": "renamed"} and entries[1]["body"] is None and "token" in entries[3]["body"]
    assert all(e["account"] == DEMO_NIC and e["signed"] for e in entries)


def test_lifecycle_settings_are_checked_and_per_account(demo, control, project):
    for key in ("plan_price", "termination_email_delay", "project_deleting_delay", "project_deleted_retention"):
        with pytest.raises(ControlError):
            control.config(**{key: -1})
    config = control.get_config()
    assert config["plan_price"] == 0.0 and config["project_deleted_retention"] == 60.0
    control.update_account(DEMO_NIC, delays={"termination_email_delay": 0.0, "project_deleting_delay": 30})
    seen = demo.get(HISTORY)
    demo.post("/cloud/project/%s/terminate" % project)
    token = token_from_new_email(demo, project, seen)  # no delay for this account
    demo.post("/cloud/project/%s/confirmTermination" % project, token=token)
    time.sleep(0.4)  # kept: past the global delays, so only the account's own 30 s deleting delay keeps it deleting
    assert status_of(demo, project) == "deleting"


def test_plan_price_is_what_the_cart_and_the_checkout_charge(demo, control):
    control.config(plan_price=12.5)
    cart_id = new_cart(demo)
    assert demo.get("/order/cart/%s/cloud" % cart_id)[0]["prices"][0]["price"]["value"] == 12.5
    item_id = add_project_item(demo, cart_id)
    item = demo.get("/order/cart/%s/item/%d" % (cart_id, item_id))
    assert [p["price"]["value"] for p in item["prices"]] == [12.5, 12.5]
    preview = demo.get("/order/cart/%s/checkout" % cart_id)
    assert {k: preview["prices"][k]["value"] for k in ("withoutTax", "tax", "withTax")} == {"withoutTax": 12.5, "tax": 2.5, "withTax": 15.0}
    assert preview["prices"]["withTax"]["currencyCode"] == "EUR"
    assert demo.get("/order/cart/%s/summary" % cart_id)["prices"]["withTax"]["value"] == 15.0
    catalogue = demo.get("/order/catalog/public/cloud", ovhSubsidiary="FR")
    assert 12.5 * 10 ** 8 in [p["price"] for plan in catalogue["plans"] for p in plan["pricings"]]
    control.config(plan_price=0)
    free_cart, _item = ordered_cart(demo)
    assert demo.get("/order/cart/%s/checkout" % free_cart)["prices"]["withTax"]["value"] == 0
    assert demo.get("/order/cart/%s/checkout" % cart_id)["prices"]["withTax"]["value"] == 15.0  # priced when added
    control.set_price(3)  # "offers" overrides plan_price for that subsidiary
    control.config(plan_price=99)
    priced, _item = ordered_cart(demo)
    assert demo.get("/order/cart/%s/checkout" % priced)["prices"]["withoutTax"]["value"] == 3
