"""Spending alerts of a project (/cloud/project/{serviceName}/alerting), through python-ovh: routes, refusals, settings,
the control API, the journal and faults."""

import ovh
import pytest

from shape_helpers import REGISTRY, assert_shape
from sim_helpers import DEMO_NIC, OTHER_NIC, raw, refused

BASE = "/cloud/project/{serviceName}/alerting"
ALERT = {"delay": 3600, "email": "finance@example.com", "monthlyThreshold": 3000}


@pytest.fixture(name="project")
def project_fixture(control):
    """A project of the demo account (ok)."""
    return control.seed_projects(DEMO_NIC, [{"description": "alerts"}])[0]


def shape(value, method, template):
    """Check ``value`` against the responseType of the operation."""
    op = [o for o in REGISTRY.operations("eu") if o.key == (method, template)][0]
    assert_shape(value, op.response_type, op.models, template)


def test_create_read_list_update_delete(demo, control, project):
    path = "/cloud/project/%s/alerting" % project
    created = demo.post(path, **ALERT)
    shape(created, "POST", BASE)
    assert created["delay"] == 3600 and created["monthlyThreshold"] == 3000
    # EUR as terraform-provider-ovh's acceptance test reads it (FR account)
    assert created["formattedMonthlyThreshold"] == {"currencyCode": "EUR", "text": "3\u202f000,00\u00a0\u20ac", "value": 3000.0}
    assert created["email"] == ""  # not returned any more (alerting_email "empty")
    assert demo.get(path) == [created["id"]]
    read = demo.get("%s/%s" % (path, created["id"]))
    shape(read, "GET", BASE + "/{id}")
    assert read == created
    assert demo.put("%s/%s" % (path, created["id"]), delay=604800, monthlyThreshold=100) is None
    assert control.alerts(project) == [{"id": created["id"], "delay": 604800, "email": "finance@example.com", "monthly_threshold": 100,
                                        "creation_date": created["creationDate"]}]
    assert demo.get("%s/%s" % (path, created["id"]))["formattedMonthlyThreshold"]["text"] == "100,00\u00a0\u20ac"
    assert demo.delete("%s/%s" % (path, created["id"])) is None
    assert demo.get(path) == [] and control.alerts(project) == []
    journal = [(e["method"], e["path"], e["status"]) for e in control.journal() if e["path"] != "/auth/time"]
    assert journal == [("POST", path, 200), ("GET", path, 200), ("GET", "%s/%s" % (path, created["id"]), 200),
                       ("PUT", "%s/%s" % (path, created["id"]), 200), ("GET", "%s/%s" % (path, created["id"]), 200),
                       ("DELETE", "%s/%s" % (path, created["id"]), 200), ("GET", path, 200)]
    assert control.calls("POST", path)[0]["body"] == ALERT


def test_email_setting_absent_and_shown(demo, control, project):
    path = "/cloud/project/%s/alerting" % project
    control.config(alerting_email="absent")
    created = demo.post(path, **ALERT)
    assert "email" not in created and "email" not in demo.get("%s/%s" % (path, created["id"]))
    control.config(alerting_email="shown")
    assert demo.get("%s/%s" % (path, created["id"]))["email"] == "finance@example.com"
    status, _headers, body = raw(control.root_url + "/_sim/config", {"alerting_email": "hidden"}, "POST")
    assert status == 400 and "alerting_email must be one of empty, absent, shown" in body["message"]


@pytest.mark.parametrize("body, message", [
    (dict(ALERT, delay=3599), "[delay] Given data (3599) does not belong to the cloud.AlertingDelayEnum enumeration"),
    (dict(ALERT, delay="3600"), "[delay] Given data (\"3600\") does not belong to the cloud.AlertingDelayEnum enumeration"),
    (dict(ALERT, monthlyThreshold=10.5), "[monthlyThreshold] Given data (10.5) is not valid for type long"),
    ({"delay": 3600, "email": "finance@example.com"}, "[monthlyThreshold] Property is mandatory"),
    (dict(ALERT, emails=["finance@example.com"]), "[emails] Unknown parameter for POST /cloud/project/{serviceName}/alerting"),
    (dict(ALERT, email="not an e-mail"), "[email] 'not an e-mail' is not a valid e-mail address"),
    (dict(ALERT, monthlyThreshold=0), "[monthlyThreshold] 0 is not valid: the threshold must be greater than 0"),
])
def test_creation_refusals(demo, control, project, body, message):
    answer = refused(lambda: demo.post("/cloud/project/%s/alerting" % project, **body), 400)
    assert answer == {"class": "Client::BadRequest", "message": message}
    assert control.alerts(project) == []


def test_lenient_values_accepted_when_set(demo, control, project):
    control.config(alerting_lenient=True)
    created = demo.post("/cloud/project/%s/alerting" % project, **dict(ALERT, email="x", monthlyThreshold=0))
    assert [(a["email"], a["monthly_threshold"]) for a in control.alerts(project)] == [("x", 0)]
    assert created["monthlyThreshold"] == 0


def test_update_refusals(demo, control, project):
    path = "/cloud/project/%s/alerting" % project
    alert_id = demo.post(path, **ALERT)["id"]
    assert refused(lambda: demo.put("%s/%s" % (path, alert_id), id="x"), 400) == \
        {"class": "Client::BadRequest", "message": "[id] Property is read-only and cannot be set"}
    assert refused(lambda: demo.put("%s/%s" % (path, alert_id), monthlyThreshold=-5), 400)["message"] == \
        "[monthlyThreshold] -5 is not valid: the threshold must be greater than 0"
    assert refused(lambda: demo.put("%s/unknown" % path, delay=3600), 404) == \
        {"class": "Client::NotFound", "message": "The requested object (id = unknown) does not exist"}
    assert refused(lambda: demo.delete("%s/unknown" % path), 404)["class"] == "Client::NotFound"
    assert control.alerts(project)[0]["monthly_threshold"] == 3000


def test_one_alert_per_project_unless_set(demo, control, project):
    path = "/cloud/project/%s/alerting" % project
    demo.post(path, **ALERT)
    assert refused(lambda: demo.post(path, **ALERT), 409) == {
        "class": "Client::Conflict",
        "message": "Project %s already has 1 alert(s): change it (PUT .../alerting/{id}) or delete it first" % project}
    control.config(alerts_per_project=0)
    demo.post(path, **dict(ALERT, delay=86400))
    assert len(demo.get(path)) == 2 and len(control.alerts(project)) == 2


def test_projects_not_found_or_not_ok(demo, other, control):
    ids = control.seed_projects(DEMO_NIC, [{"status": "creating"}, {"status": "suspended"}, {"status": "deleted", "deleted_ago": 1}])
    creating, suspended, deleted = ids
    theirs = control.seed_projects(OTHER_NIC, [{}])[0]
    for project in (theirs, "0123456789ab4cdef0123456789abffff"):
        assert refused(lambda p=project: demo.get("/cloud/project/%s/alerting" % p), 404) == \
            {"class": "Client::NotFound", "message": "This service does not exist"}
    assert refused(lambda: demo.post("/cloud/project/%s/alerting" % creating, **ALERT), 400)["message"] == \
        "Project %s is not ready (status: creating): wait until it is ok" % creating
    for project in (suspended, deleted):
        assert refused(lambda p=project: demo.post("/cloud/project/%s/alerting" % p, **ALERT), 460) == \
            {"class": "Client::Gone", "message": "This service is expired"}
    assert demo.get("/cloud/project/%s/alerting" % suspended) == []  # reading works
    assert other.get("/cloud/project/%s/alerting" % theirs) == []


def test_expanded_listing_only_when_set(demo, control, project):
    path = "/cloud/project/%s/alerting" % project
    alert_id = control.seed_alerts(project, {"email": "a@example.com", "monthly_threshold": 10})[0]["id"]
    expanded = {"X-Pagination-Mode": "CachedObjectList-Pages"}
    assert demo.raw_call("GET", path, headers=dict(expanded)).json() == [alert_id]
    control.config(alerting_expanded_listing=True)
    [item] = demo.raw_call("GET", path, headers=dict(expanded)).json()
    assert item["id"] == alert_id and item["monthlyThreshold"] == 10 and item["email"] == ""


def test_seeded_alerts_and_state(control, demo):
    project = control.seed_projects(DEMO_NIC, [{"alerts": [{"email": "b@example.com", "monthly_threshold": 50, "delay": 172800}]}])[0]
    [alert] = control.alerts(project)
    assert demo.get("/cloud/project/%s/alerting/%s" % (project, alert["id"]))["delay"] == 172800
    assert control.project(project)["alerts"] == [alert]
    bad = {"email": "c", "monthly_threshold": 1, "delay": 5}
    status, _headers, body = raw(control.root_url + "/_sim/projects/%s/alerts" % project, bad, "POST")
    assert status == 400 and body["message"].startswith("delay must be one of 3600, 10800")
    assert raw(control.root_url + "/_sim/projects/unknown/alerts")[0] == 404


def test_faults_on_alerting(demo, control, project):
    path = "/cloud/project/%s/alerting" % project
    control.fault(method="POST", path=r"/alerting$", status=503)
    assert refused(lambda: demo.post(path, **ALERT), 503)["class"] == "Server::ServiceUnavailable"
    assert control.alerts(project) == []  # a "before" fault: not processed
    control.fault(method="POST", path=r"/alerting$", kind="drop", phase="after")
    with pytest.raises(ovh.exceptions.HTTPError):
        demo.post(path, **ALERT)
    assert len(control.alerts(project)) == 1  # processed, answer lost
    entries = control.calls("POST", path)
    assert [(e["status"], e["fault"]["kind"]) for e in entries] == [(503, "status"), (200, "drop")]
