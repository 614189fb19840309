# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""state=absent: terminate a project (``POST …/terminate``, then ``POST …/confirmTermination`` with the e-mailed token).

See docs/design.md, "Lifecycle", for the state machine and why a request without a token is not idempotent.
"""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, outcome_unknown
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import (
    AMBIGUOUS,
    GONE,
    MISMATCH,
    MISSING,
    decide_termination,
    is_gone,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_lookup import ProjectLookup
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._results import project_result, termination_result
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._termination_mail import TerminationTokenReader
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import (
    check_termination_allowed,
    check_termination_options,
)

# termination_token's fallback: the modules' action plugin (plugin_utils/_secret_handoff.py) hands a token given as an
# argument to a local module by this variable, so that no module argument holds it (ANSIBLE_DEBUG prints them)
TERMINATION_TOKEN_VARIABLE = "_OVHCLOUD_PUBLIC_CLOUD_TERMINATION_TOKEN"
NOT_TERMINATED = "nothing was terminated"
# terminate answers 404 or 460 when there is nothing to terminate (terraform-provider-ovh treats both as gone)
NOTHING_TO_TERMINATE = (404, 460)
US_GUIDANCE = (
    "state: absent is not supported on the OVHcloud US API, whose termination flow is not documented (terraform-provider-"
    "ovh cannot delete US projects either): delete the project in the US Control Panel. Nothing was called"
)


def terminate_project(module):
    """The work of a public_cloud_project run with state=absent; ``module`` is the OvhModule that owns it."""
    params = module.params
    check_termination_allowed(params)  # before the endpoint is even resolved
    check_termination_options(params, module.endpoint)
    # a named US endpoint is known without a call; a URL endpoint costs GET /me
    if module.endpoint.us or (module.endpoint.us is None and module.is_us_api()):
        raise WorkflowError(Step.VALIDATE_INPUT, US_GUIDANCE)
    terminator = ProjectTerminator(module.api, module.report, check_mode=module.check_mode,
                                   wait_timeout=params["wait_timeout"], hide=module.add_secret)
    return terminator.absent(project_id=params.get("project_id"), name=params.get("name"),
                             token=params.get("termination_token"),
                             token_from_email=params.get("termination_token_from_email"))


class ProjectTerminator:
    """Terminates the project found by id or by name; a project deleting, deleted or gone is left alone.

    ``hide`` is called with a token read from e-mail, so that it never appears in the output.
    """

    def __init__(self, api, report, check_mode=False, wait_timeout=1800, hide=None, reader_factory=None):
        self.api = api
        self.report = report
        self.check_mode = check_mode
        self.wait_timeout = wait_timeout
        self.hide = hide or (lambda value: None)
        self.reader_factory = reader_factory or TerminationTokenReader
        self.projects = ProjectLookup(api)

    def absent(self, project_id=None, name=None, token=None, token_from_email=False):
        decision = self._find(project_id, name)
        if decision.action == MISSING:
            return termination_result(None, requested=False, confirmed=False)
        before = project_result(decision.project)
        if decision.action == GONE:
            return termination_result(before, requested=True, confirmed=True, before=before, after={})
        confirming = bool(token or token_from_email)
        if self.check_mode:
            self.report.changed = True
            return termination_result(before, requested=True, confirmed=confirming, before=before,
                                      after={} if confirming else before)
        path = "/cloud/project/%s" % before["project_id"]
        reader = None
        if token_from_email:  # the e-mails already sent are remembered before the request
            reader = self.reader_factory(self.api, before["project_id"], self.wait_timeout)
            reader.remember()
        if not token:
            if not self._request(path, before):
                return termination_result(before, requested=False, confirmed=False, before=before, after=before)
            if reader is None:
                self.report.warn(
                    "termination of project %s (%r) was requested: OVHcloud e-mails a confirmation link to the account's "
                    "admin contact. Rerun with termination_token set to the token= parameter of that link, or with "
                    "termination_token_from_email: true, to confirm; until then the project is kept"
                    % (before["project_id"], before["name"]))
                return termination_result(before, requested=True, confirmed=False, before=before, after=before)
            token = reader.token()
            self.hide(token)
        return self._confirm(path, before, token)

    def _find(self, project_id, name):
        """What to do (a Decision of decide_termination): MISSING or GONE when there is nothing to terminate."""
        if project_id:
            project = self.projects.get(project_id)
            if project is None:
                self.report.warn("no project %s in this account: nothing to terminate" % project_id)
            decision = decide_termination(by_id=project, name=name, with_id=True,
                                          current_name=None if project is None else project.get("description"))
            if decision.action == MISMATCH:
                raise WorkflowError(
                    Step.LOOK_UP_PROJECT,
                    "project %s is named %r, not %r: %s. Give its name, or leave name out to terminate it by id"
                    % (project_id, project.get("description"), name, NOT_TERMINATED),
                    project_ids=[project_id],
                )
            return decision
        decision = decide_termination(named=self.projects.named(name, nothing_done=NOT_TERMINATED))
        if decision.action == AMBIGUOUS:
            ids = sorted(p["project_id"] for p in decision.projects)
            raise WorkflowError(
                Step.LOOK_UP_PROJECT,
                "%d projects are named %r: %s. The module cannot tell which one to terminate, so %s: give project_id "
                "to choose one" % (len(ids), name, ", ".join(ids), NOT_TERMINATED),
                project_ids=ids,
            )
        return decision

    def _request(self, path, project):
        """POST terminate (OVHcloud e-mails the token); False when the API says there is nothing to terminate."""
        try:
            self.api.post(path + "/terminate")
        except OvhApiError as exc:
            if exc.status in NOTHING_TO_TERMINATE:
                self.report.warn("project %s has nothing to terminate (%s): left as it is" % (project["project_id"], exc))
                return False
            if outcome_unknown(exc):
                self.report.changed = True
                raise WorkflowError(
                    Step.REQUEST_TERMINATION,
                    "requesting the termination of project %s got no clear answer (%s): a confirmation e-mail may have "
                    "been sent. Rerun the task (another request sends another e-mail; confirm with the latest token)"
                    % (project["project_id"], exc),
                    api_error=exc,
                ) from None
            raise WorkflowError(Step.REQUEST_TERMINATION, "requesting the termination of project %s was refused: %s. %s"
                                % (project["project_id"], exc, NOT_TERMINATED.capitalize()), api_error=exc) from None
        self.report.changed = True
        return True

    def _confirm(self, path, before, token):
        project_id = before["project_id"]
        try:
            self.api.post(path + "/confirmTermination", token=token)
        except OvhApiError as exc:
            if not outcome_unknown(exc):
                raise WorkflowError(
                    Step.CONFIRM_TERMINATION,
                    "the confirmation of the termination of project %s was refused: %s. %s: the token must be the token= "
                    "parameter of the link in the latest termination e-mail for this project (a request sends a new "
                    "e-mail). Rerun without termination_token to request again, or with termination_token_from_email: "
                    "true" % (project_id, exc, NOT_TERMINATED.capitalize()),
                    api_error=exc,
                ) from None
            after = self.projects.get(project_id)  # did it take effect? a read spends nothing
            if after is not None and not is_gone(after):
                raise WorkflowError(
                    Step.CONFIRM_TERMINATION,
                    "the confirmation of the termination of project %s got no clear answer (%s) and the project is still "
                    "%s: rerun the task with the same token" % (project_id, exc, after.get("status")),
                    api_error=exc,
                ) from None
            self.report.warn("the confirmation of the termination of project %s got no clear answer (%s), but the "
                             "project is being deleted" % (project_id, exc))
        else:
            after = self.projects.get(project_id)
        self.report.changed = True
        project = project_result(after) if after is not None else dict(before, status="deleted")
        return termination_result(project, requested=True, confirmed=True, before=before, after={})
