# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The termination token OVHcloud e-mails after ``POST /cloud/project/{id}/terminate``, read from the account's e-mail
history as terraform-provider-ovh reads it (ovh/order.go, ovh/notification_email.go)."""

from __future__ import annotations

import re

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import Deadline
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import EMAIL_POLL_CAP, EMAIL_POLL_INITIAL

HISTORY = "/me/notification/email/history"
CONFIRM_LINK = "/billing/confirmTerminate"
# terraform's regex, `.*/billing/confirmTerminate\?id=[[:alnum:]]+&token=([[:alnum:]]+).*`, searched; an HTML body
# may write the '&' as '&amp;'.
TOKEN_PATTERN = re.compile(r"/billing/confirmTerminate\?id=[A-Za-z0-9]+&(?:amp;)?token=([A-Za-z0-9]+)")
RIGHTS = "GET %s and GET %s/*" % (HISTORY, HISTORY)


def token_in(body):
    """The token of the confirmTerminate link in an e-mail body, or None."""
    found = TOKEN_PATTERN.search(body or "")
    return found.group(1) if found else None


class TerminationTokenReader:
    """``remember()`` the e-mails already sent, before the termination request; then ``token()`` polls the history for a
    NEW e-mail about the project that holds the confirmation link, within ``timeout`` seconds."""

    def __init__(self, api, project_id, timeout, deadline_factory=Deadline):
        self.api = api
        self.project_id = project_id
        self.timeout = timeout
        self.deadline_factory = deadline_factory
        self.known = None

    def remember(self):
        """The ids already in the history (a 403 here fails before anything is terminated)."""
        self.known = self._ids("Nothing was terminated")

    def token(self):
        deadline = self.deadline_factory(self.timeout, initial=EMAIL_POLL_INITIAL, cap=EMAIL_POLL_CAP)
        while True:
            new = self._ids("Termination was requested: confirm it with termination_token") - self.known
            for mail_id in sorted(new, reverse=True):  # the newest first
                self.known.add(mail_id)  # each e-mail is read once
                token = self._token_of(mail_id)
                if token:
                    return token
            if not deadline.sleep():
                raise WorkflowError(
                    Step.READ_TERMINATION_EMAIL,
                    "no e-mail with the termination link of project %s arrived within wait_timeout (%ss). Termination "
                    "was requested: confirm it with termination_token, the token= parameter of the link in that e-mail "
                    "when it arrives, or rerun with a longer wait_timeout (a rerun requests again, and a new e-mail is "
                    "sent)" % (self.project_id, self.timeout),
                    project_ids=[self.project_id],
                )

    def _token_of(self, mail_id):
        try:
            mail = self.api.get("%s/%s" % (HISTORY, mail_id)) or {}
        except OvhApiError as exc:
            if is_absent(exc):
                return None
            raise self._failure(exc, "Termination was requested: confirm it with termination_token") from None
        body = mail.get("body") or ""
        if self.project_id not in body or CONFIRM_LINK not in body:
            return None
        token = token_in(body)
        if token is None:
            raise WorkflowError(
                Step.READ_TERMINATION_EMAIL,
                "e-mail %s about project %s holds a %s link whose token this module cannot read. Termination was "
                "requested: confirm it with termination_token, the token= parameter of that link"
                % (mail_id, self.project_id, CONFIRM_LINK),
                project_ids=[self.project_id],
            )
        return token

    def _ids(self, outcome):
        try:
            return set(self.api.get(HISTORY) or [])
        except OvhApiError as exc:
            raise self._failure(exc, outcome) from None

    def _failure(self, exc, outcome):
        if exc.status == 403:
            hint = ("The consumer key may not read the account's e-mails: add the rights %s to it, or give "
                    "termination_token (the token= parameter of the link OVHcloud e-mails to the account's admin "
                    "contact) instead of termination_token_from_email" % RIGHTS)
        else:
            hint = "Rerun the task, or give termination_token instead of termination_token_from_email"
        return WorkflowError(Step.READ_TERMINATION_EMAIL, "reading the account's e-mail history failed: %s. %s. %s" % (exc, outcome, hint),
                             api_error=exc, project_ids=[self.project_id])
