# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""What public_cloud_project_info reports: the account's projects, filtered, and the project orders still in flight."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import EU_PLAN_CODE, US_PLAN_CODE
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._listing import READ_WORKERS
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._pending_orders import PendingOrderFinder
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_alerts import ProjectAlerts, sorted_alerts
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_tags import project_tags
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import is_known
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup, unknown_status_text
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import pending_order_summary, project_result
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_project_id

# Orders of either API's project plan are reported: knowing which API this is would cost a GET /me for a URL endpoint.
PLAN_CODES = (EU_PLAN_CODE, US_PLAN_CODE)


def project_info(module):
    """The work of one public_cloud_project_info run; ``module`` is the OvhModule that owns it. Read-only."""
    project_id = module.params.get("project_id")
    check_project_id(project_id)  # public_cloud_project's own check: both modules take the same ids
    params = module.params
    return ProjectInfo(module.api, module.report).gather(params.get("name"), project_id, params.get("status"),
                                                         alerting=params.get("alerting"))


class ProjectInfo:
    """Reads every project in one listing (ProjectLookup: one call per page) and the orders in flight in one more call
    (plus a few per order in flight, to learn its name): the cost does not grow with the number of projects."""

    def __init__(self, api, report):
        self.api = api
        self.report = report

    def gather(self, name=None, project_id=None, statuses=None, alerting=False):
        """``projects`` that pass every filter given, each with its ``tags`` (and its ``alerting`` when asked: calls per
        project), and ``pending_orders`` (for ``name`` when given)."""
        projects = ProjectLookup(self.api).all()
        chosen = [p for p in projects if (name is None or p.get("description") == name)
                  and (project_id is None or p.get("project_id") == project_id)
                  and (not statuses or p.get("status") in statuses)]
        for project in chosen:
            if not is_known(project):
                self.report.warn("%s; if OVHcloud added this status, update the collection" % unknown_status_text(project))
        if alerting and len(chosen) > 1:  # calls per project: READ_WORKERS at a time, as ExpandedListing reads ids
            with ThreadPoolExecutor(max_workers=min(READ_WORKERS, len(chosen))) as pool:
                found = list(pool.map(lambda project: self._project(project, alerting), chosen))
        else:
            found = [self._project(p, alerting) for p in chosen]
        return {"projects": found,
                "pending_orders": self._pending(name, set(p.get("project_id") for p in projects))}

    def _project(self, project, alerting):
        """A project's result, its tags from the object already read, its alerts read when asked (a live project's)."""
        result = dict(project_result(project), tags=project_tags(project))
        if alerting:
            readable = project.get("status") in ("ok", "suspended")
            result["alerting"] = sorted_alerts(ProjectAlerts(self.api, self.report).read(project["project_id"])
                                               if readable else [])
            for alert in result["alerting"]:
                alert.pop("creation_date", None)
        return result

    def _pending(self, name, listed):
        """Orders in flight (for ``name``, if given); a delivered order whose project is listed is not in flight."""
        try:
            orders = PendingOrderFinder(self.api, None, PLAN_CODES).in_flight(listed)
        except OvhApiError as exc:
            raise WorkflowError(Step.LOOK_UP_ORDERS_IN_FLIGHT, "look up orders in flight failed: %s" % exc, api_error=exc) from None
        return [pending_order_summary(order) for order in orders if name is None or order.name == name]
