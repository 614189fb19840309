# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""A project's spending alerts (``/cloud/project/{serviceName}/alerting``): read them, and make them exactly the wanted ones.

The API object is cloud.alerting.Alerting ``{id, creationDate, delay, email, monthlyThreshold, formattedMonthlyThreshold}``;
creating and updating take ``{delay, email, monthlyThreshold}`` (terraform-provider-ovh,
ovh/resource_cloud_project_alerting.go, https://github.com/ovh/terraform-provider-ovh).
"""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, call_as_step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._listing import ExpandedListing
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step


RIGHTS_HINT = (" The consumer key (or IAM policy) needs the rights of spending alerts and tags, kept apart from the ordering "
               "ones: see the collection's README, \"Spending alerts and tags\"")


def rights_hint(api_error):
    """What a 403 on a spending alert or a tag means: the rights kept apart from the ordering ones."""
    return RIGHTS_HINT if api_error.status == 403 else ""


def settings_call(step, what, call, *args, **body):
    """``call``, its OvhApiError a WorkflowError of ``step`` saying ``what`` failed (and, on a 403, which rights)."""
    return call_as_step(step, call, *args, what=what, hint=rights_hint, **body)


def alert_result(alert):
    """An entry of the ``alerting`` result, from a cloud.alerting.Alerting (or a wanted alert, its id None)."""
    return {"id": alert.get("id"), "email": alert.get("email") or None, "monthly_threshold": alert.get("monthlyThreshold",
            alert.get("monthly_threshold")), "delay": alert.get("delay")}


def _same_email(existing, wanted):
    """The same e-mail, or one the API does not show: it stopped returning it (terraform-provider-ovh, "Email not returned
    by API anymore", 2025), so an alert read without it is taken at its threshold and delay."""
    return not existing["email"] or existing["email"] == wanted["email"]


def _same(existing, wanted):
    return _same_email(existing, wanted) and (existing["monthly_threshold"], existing["delay"]) == (
        wanted["monthly_threshold"], wanted["delay"])


def _likeness(existing, wanted):
    """How close an existing alert is to a wanted one: the same e-mail counts most, then the threshold, then the delay."""
    return (4 if existing["email"] and existing["email"] == wanted["email"] else 0) + (2 if existing[
        "monthly_threshold"] == wanted["monthly_threshold"] else 0) + (1 if existing["delay"] == wanted["delay"] else 0)


def plan_alerts(existing, wanted):
    """What makes ``existing`` (alert results, with ids) exactly ``wanted`` (without ids), in the fewest writes.

    Returns (kept, updates, creates, deletes): kept existing alerts equal to a wanted one; updates as (existing alert, wanted
    alert) pairs, one PUT each; wanted alerts to create; existing alerts to delete. An alert equal to a wanted one is kept;
    the others are paired, each wanted alert in the order given with the closest existing alert left (ties: the oldest,
    then the smallest id), so a changed threshold is one PUT; what is left over is created or deleted. An alert read
    without its e-mail (the API no longer shows it) is equal to a wanted one of the same threshold and delay.
    """
    pool = sorted(existing, key=lambda a: (a.get("creation_date") or "", a.get("id") or ""))
    kept, rest = [], []
    for alert in wanted:
        match = next((e for e in pool if _same(e, alert)), None)
        if match is None:
            rest.append(alert)
        else:
            pool.remove(match)
            kept.append(dict(match, email=alert["email"]))  # the e-mail set, when the API does not show it
    updates, creates = [], []
    for alert in rest:
        if not pool:
            creates.append(alert)
            continue
        best = max(pool, key=lambda e: (_likeness(e, alert), -pool.index(e)))
        pool.remove(best)
        updates.append((best, alert))
    return kept, updates, creates, pool


class ProjectAlerts:
    """Reads a project's spending alerts and makes them exactly the wanted ones (check mode: reads only)."""

    def __init__(self, api, report, check_mode=False):
        self.api = api
        self.report = report
        self.check_mode = check_mode

    def read(self, project_id):
        """The project's alerts (alert results, each with its ``creation_date`` for the matching order)."""
        path = "/cloud/project/%s/alerting" % project_id

        def read_one(alert_id):
            try:
                return self.api.get("%s/%s" % (path, alert_id))
            except OvhApiError as exc:
                if exc.status == 404:
                    return None  # deleted since the listing
                raise

        listing = ExpandedListing(self.api, read_one, key="id")
        alerts = settings_call(Step.READ_ALERTS, "reading the spending alerts of project %s" % project_id,
                               listing.objects, path)
        return [dict(alert_result(a), creation_date=a.get("creationDate")) for a in alerts]

    def reconcile(self, project_id, wanted):
        """Make the project's alerts ``wanted`` (dicts of the option); return (before, after) as alert results."""
        existing = self.read(project_id)
        wanted = [alert_result(a) for a in wanted]
        kept, updates, creates, deletes = plan_alerts(existing, wanted)
        path = "/cloud/project/%s/alerting" % project_id
        after = [self._plain(a) for a in kept]
        for old, new in updates:
            self._write(Step.SET_ALERTS, "updating spending alert %s of project %s" % (old["id"], project_id),
                        self.api.put, "%s/%s" % (path, old["id"]), **self._body(new))
            after.append(dict(new, id=old["id"]))
        for new in creates:
            created = self._write(Step.SET_ALERTS, "creating a spending alert for project %s" % project_id,
                                  self.api.post, path, **self._body(new))
            after.append(dict(new, id=(created or {}).get("id")))
        for old in deletes:
            self._write(Step.SET_ALERTS, "deleting spending alert %s of project %s" % (old["id"], project_id),
                        self.api.delete, "%s/%s" % (path, old["id"]))
        kept_by_id = dict((a["id"], a) for a in kept)
        before = [self._plain(kept_by_id.get(a["id"], a)) for a in existing]
        return before, sorted(after, key=_order)

    def _write(self, step, what, call, *args, **body):
        self.report.changed = True
        if self.check_mode:
            return None
        return settings_call(step, what, call, *args, **body)

    @staticmethod
    def _body(alert):
        return {"delay": alert["delay"], "email": alert["email"], "monthlyThreshold": alert["monthly_threshold"]}

    @staticmethod
    def _plain(alert):
        return {key: alert.get(key) for key in ("id", "email", "monthly_threshold", "delay")}


def _order(alert):
    """Alerts in a stable order for the result and the diff."""
    return (alert["email"] or "", alert["monthly_threshold"] or 0, alert["delay"] or 0, alert.get("id") or "")


def sorted_alerts(alerts):
    return sorted(alerts, key=_order)
