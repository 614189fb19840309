# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""A project's IAM tags: read from the project object (cloud.ProjectWithIAM ``iam.tags``, ``iam.urn``), written with the
API v2 (``POST /v2/iam/resource/{urn}/tag`` ``{key, value}``, ``DELETE /v2/iam/resource/{urn}/tag/{key}``,
https://eu.api.ovh.com/v2/iam.json); a tag whose value changes is removed, then added again (the API documents no
overwrite by POST). python-ovh sends a path starting with ``/v2`` to the API v2 of the same endpoint
(ovh/client.py ``_get_target``). Tags whose key starts with ``ovh:`` are OVHcloud's own: never set nor removed.
"""

from __future__ import annotations

from urllib.parse import quote

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_alerts import settings_call
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import OVH_TAG_PREFIX, tag_text

# A URN or a tag key in a path, escaped as terraform-provider-ovh escapes it (Go's url.PathEscape: '/' is escaped,
# ':' '@' '=' '+' '$' '&' are not).
_PATH_SAFE = "$&+:=@"


def project_tags(project):
    """Every tag of a cloud.ProjectWithIAM (OVHcloud's ``ovh:`` ones included), as a dict."""
    return dict(((project or {}).get("iam") or {}).get("tags") or {})


def is_own(key):
    """Whether a tag is the user's (not one of OVHcloud's ``ovh:`` tags)."""
    return not key.lower().startswith(OVH_TAG_PREFIX)


def tag_changes(current, wanted, purge):
    """What makes the user's tags of ``current`` match ``wanted``: (tags to set, as a dict; keys to remove, sorted).

    Each wanted tag that is missing or has another value is set; with ``purge``, each user tag not wanted is removed.
    OVHcloud's ``ovh:`` tags are neither set nor removed."""
    wanted = dict((key, tag_text(value)) for key, value in (wanted or {}).items())
    to_set = dict((key, value) for key, value in sorted(wanted.items()) if is_own(key) and current.get(key) != value)
    to_remove = sorted(key for key in current if is_own(key) and key not in wanted) if purge else []
    return to_set, to_remove


class ProjectTags:
    """Makes a project's IAM tags the wanted ones (check mode: no write)."""

    def __init__(self, api, report, check_mode=False):
        self.api = api
        self.report = report
        self.check_mode = check_mode

    def reconcile(self, project, wanted, purge):
        """Set and remove tags of ``project`` (a cloud.ProjectWithIAM); return (before, after) as dicts of every tag."""
        before = project_tags(project)
        to_set, to_remove = tag_changes(before, wanted, purge)
        if not to_set and not to_remove:
            return before, before
        urn = ((project or {}).get("iam") or {}).get("urn")
        if not urn:
            raise WorkflowError(Step.SET_TAGS, "project %s has no IAM URN (iam.urn) in the API's answer, so its tags cannot "
                                "be set: leave tags out for this project, or rerun later" % project.get("project_id"))
        path = "/v2/iam/resource/%s/tag" % quote(urn, safe=_PATH_SAFE)
        after = dict(before)
        self.report.changed = True
        pid = project.get("project_id")
        # a tag whose value changes is removed, then added: the API documents no overwrite by POST
        for key in to_remove + sorted(key for key in to_set if key in before):
            if not self.check_mode:
                settings_call(Step.SET_TAGS, "removing tag %r of project %s" % (key, pid), self.api.delete,
                              "%s/%s" % (path, quote(key, safe=_PATH_SAFE)))
            after.pop(key)
        for key, value in to_set.items():
            if not self.check_mode:
                settings_call(Step.SET_TAGS, "setting tag %r of project %s to %r%s" % (
                    key, pid, value, " (it was removed to change its value: rerun to set it)" if key in before else ""),
                    self.api.post, path, key=key, value=value)
            after[key] = value
        return before, dict(sorted(after.items()))
