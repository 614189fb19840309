# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""A project's settings once it exists: its spending alerts and IAM tags made the wanted ones (found, adopted or just
delivered), the result's ``alerting`` and ``tags``, and their diff."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_alerts import (
    ProjectAlerts,
    alert_result,
    sorted_alerts,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_tags import ProjectTags, is_own, project_tags
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import tag_text

ORDER_ONLY = ("plan_options", "configurations")


class ProjectSettings:
    """Applies ``alerting`` and ``tags`` (with ``purge_tags``) to the project of a ``state=present`` result."""

    def __init__(self, api, report, params, check_mode=False):
        self.api = api
        self.report = report
        self.check_mode = check_mode
        self.alerting = params.get("alerting")
        self.tags = params.get("tags")
        self.purge_tags = params.get("purge_tags", True)
        self.order_only = [option for option in ORDER_ONLY if params.get(option)]

    def apply(self, result, project):
        """Add ``alerting`` and ``tags`` to ``result``; ``project`` is the cloud.ProjectWithIAM the run found or got
        delivered (None when there is none yet: an order not delivered, or one check mode would place)."""
        result["alerting"] = None
        result["tags"] = project_tags(project) if project else None
        summary = result.get("project") or {}
        if project is None:
            return self._not_there_yet(result, summary)
        if result.get("order") is None and self.order_only:
            self.report.warn("%s only apply when the module orders the project; project %s exists, so they were not "
                             "changed (change them in the Control Panel)" % (" and ".join(self.order_only),
                                                                             project.get("project_id")))
        if project.get("status") != "ok":
            if self.alerting is not None or self.tags is not None:
                self.report.warn("project %s is %s: its spending alerts and tags are set once it is ok; rerun the task "
                                 "then" % (project.get("project_id"), project.get("status")))
            return result
        if self.alerting is not None:
            alerts = ProjectAlerts(self.api, self.report, self.check_mode)
            before, after = alerts.reconcile(project["project_id"], self.alerting)
            self._diff(result, "alerting", sorted_alerts(before), after)
        if self.tags is not None:
            tags = ProjectTags(self.api, self.report, self.check_mode)
            before, after = tags.reconcile(project, self.tags, self.purge_tags)
            self._diff(result, "tags", before, after)
        return result

    def _not_there_yet(self, result, summary):
        """No project yet: check mode shows the settings an order would get; otherwise a rerun sets them."""
        if self.alerting is None and self.tags is None:
            return result
        if summary.get("name") is not None and summary.get("project_id") is None and self.report.changed:
            if self.alerting is not None:  # check mode's planned project
                self._diff(result, "alerting", [], sorted_alerts(alert_result(a) for a in self.alerting))
            if self.tags is not None:
                self._diff(result, "tags", {}, dict((k, tag_text(v)) for k, v in self.tags.items() if is_own(k)))
            return result
        self.report.warn("the project is not delivered yet: its spending alerts and tags are set by the run that finds it "
                         "delivered; rerun the task once the order is delivered")
        return result

    @staticmethod
    def _diff(result, key, before, after):
        result[key] = after
        diff = result.setdefault("diff", {"before": {}, "after": {}})
        diff["before"] = dict(diff.get("before") or {}, **{key: before})
        diff["after"] = dict(diff.get("after") or {}, **{key: after})
