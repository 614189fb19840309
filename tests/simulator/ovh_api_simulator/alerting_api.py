"""``/cloud/project/{serviceName}/alerting`` routes: a project's spending alerts (cloud.Alerting).

Operations, bodies and answers follow cloud-project-alerting.json (an extract of the ``/cloud`` schema): ``POST`` takes
``delay`` (cloud.AlertingDelayEnum: 3600, 10800, 21600, 43200, 86400, 172800, 259200 or 604800 seconds), ``email`` and
``monthlyThreshold`` (long), all required; ``PUT`` takes the writable fields of cloud.Alerting; the schema machinery
(dispatch.py) refuses unknown, read-only and mistyped fields and a delay outside the enum with 400, as for every route.
terraform-provider-ovh's ``ovh_cloud_project_alerting`` (ovh/resource_cloud_project_alerting.go) makes the same calls.

What no public source settles is UNVERIFIED, strict by default, and a setting (config.py) loosens it:

- ``alerts_per_project`` (1): a second alert on a project is refused (409). The listing is a list, so the API may allow more.
- ``alerting_lenient`` (off): an e-mail that is not ``local@domain.tld`` and a threshold of 0 or less are refused (400).
- ``alerting_email`` ("empty"): what ``email`` reads back. terraform-provider-ovh says the API no longer returns it
  (commit "fix(cloud_project_alerting): Email not returned by API anymore", November 2025, which copies the e-mail from
  the plan even where a missing field would have been filled from the plan: so the API answers something, read here as
  ""); "absent" leaves the field out, "shown" answers the e-mail as set. OVHcloud's ovhcloud-cli (2025) sends and reads
  ``emails`` (a list), ``name``, ``service`` instead: a newer shape of the object that the bundled schema does not have.
- ``alerting_expanded_listing`` (off): ``X-Pagination-Mode: CachedObjectList-Pages`` on the listing is ignored (ids
  answered); on, it answers a page of objects as ``GET /cloud/project`` does. ovhcloud-cli lists alerts by ids, then
  reads each one.

A project being created refuses writes (400, UNVERIFIED); one being deleted, deleted or suspended answers 460, as the
other writes on a project (cloud_api.live_project); reads work on any visible project (404 once it is gone).
"""

import re
import uuid

from . import catalog, cloud_api, errors, lifecycle, pagination
from .clock import iso
from .models import Alert

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def writable_project(ctx):
    """The caller's project, ready for a change of its alerts."""
    project = cloud_api.live_project(ctx, refused=("deleting", "deleted", "suspended"))
    status = lifecycle.project_status(project, ctx.now_real)
    if status != "ok":
        raise errors.bad_request("Project %s is not ready (status: %s): wait until it is ok" % (project.project_id, status))
    return project


def project_alert(ctx, project):
    """The alert of the path; 404 when the project has none with that id."""
    alert = project.alerts.get(ctx.params["id"])
    if alert is None:
        raise errors.object_not_found("id", ctx.params["id"])
    return alert


def formatted_threshold(value, currency):
    """order.Price of a threshold. EUR as terraform-provider-ovh's acceptance test reads it (3000 -> "3 000,00 €", with a
    narrow no-break space between thousands and a no-break space before the symbol); other currencies as the cart's
    prices (UNVERIFIED)."""
    result = catalog.price(value, currency, ucents=False)
    if currency == "EUR":
        whole, cents = ("%.2f" % float(value)).split(".")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        result["text"] = "%s,%s\u00a0\u20ac" % ("\u202f".join(groups), cents)
    return result


def alert_view(ctx, alert):
    """cloud.Alerting, its ``email`` as the ``alerting_email`` setting says."""
    currency = catalog.currency_of(ctx.account.subsidiary)
    view = {"creationDate": iso(alert.creation_date), "delay": alert.delay, "email": alert.email,
            "formattedMonthlyThreshold": formatted_threshold(alert.monthly_threshold, currency), "id": alert.alert_id,
            "monthlyThreshold": alert.monthly_threshold}
    shown = ctx.config.alerting_email
    if shown == "empty":
        view["email"] = ""
    elif shown == "absent":
        del view["email"]
    return view


def check_values(ctx, email=None, threshold=None):
    """The checks no source settles (UNVERIFIED), unless ``alerting_lenient``."""
    if ctx.config.alerting_lenient:
        return
    if email is not None and not EMAIL_RE.match(email):
        raise errors.bad_request("[email] %r is not a valid e-mail address" % email)
    if threshold is not None and threshold <= 0:
        raise errors.bad_request("[monthlyThreshold] %d is not valid: the threshold must be greater than 0" % threshold)


def list_alerts(ctx):
    """GET /cloud/project/{serviceName}/alerting -> string[] (ids, by creation); objects under alerting_expanded_listing."""
    project = cloud_api.own_project(ctx)
    alerts = list(project.alerts.values())
    if ctx.config.alerting_expanded_listing and pagination.expanded(ctx):
        return pagination.page(ctx, alerts, lambda alert: alert_view(ctx, alert))
    return [alert.alert_id for alert in alerts]


def create_alert(ctx):
    """POST /cloud/project/{serviceName}/alerting {delay, email, monthlyThreshold} -> cloud.Alerting."""
    project = writable_project(ctx)
    body = ctx.body
    check_values(ctx, body["email"], body["monthlyThreshold"])
    limit = ctx.config.alerts_per_project
    if limit and len(project.alerts) >= limit:
        raise errors.conflict("Project %s already has %d alert(s): change it (PUT .../alerting/{id}) or delete it first"
                              % (project.project_id, len(project.alerts)))
    alert = Alert(alert_id=str(uuid.uuid4()), delay=body["delay"], email=body["email"], monthly_threshold=body["monthlyThreshold"],
                  creation_date=ctx.store.clock.now_dt())
    project.alerts[alert.alert_id] = alert
    return alert_view(ctx, alert)


def get_alert(ctx):
    """GET /cloud/project/{serviceName}/alerting/{id} -> cloud.Alerting."""
    return alert_view(ctx, project_alert(ctx, cloud_api.own_project(ctx)))


def update_alert(ctx):
    """PUT /cloud/project/{serviceName}/alerting/{id} (cloud.Alerting: delay, email, monthlyThreshold) -> void."""
    project = writable_project(ctx)
    alert = project_alert(ctx, project)
    body = ctx.body
    check_values(ctx, body.get("email"), body.get("monthlyThreshold"))
    alert.delay = body.get("delay", alert.delay)
    alert.email = body.get("email", alert.email)
    alert.monthly_threshold = body.get("monthlyThreshold", alert.monthly_threshold)


def delete_alert(ctx):
    """DELETE /cloud/project/{serviceName}/alerting/{id} -> void."""
    project = writable_project(ctx)
    del project.alerts[project_alert(ctx, project).alert_id]


BASE = "/cloud/project/{serviceName}/alerting"
ROUTES = {
    ("GET", BASE): list_alerts,
    ("POST", BASE): create_alert,
    ("GET", BASE + "/{id}"): get_alert,
    ("PUT", BASE + "/{id}"): update_alert,
    ("DELETE", BASE + "/{id}"): delete_alert,
}
