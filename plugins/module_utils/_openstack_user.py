# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The lifecycle of a project's OpenStack user, found by its description (``OpenStackUsers``): create, wait, roles,
regenerate its password, delete. ``_openstack_user_run.py`` runs it with the user's clouds.yaml entry."""

from __future__ import annotations

import urllib.parse

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import Deadline
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

# cloud.user.UserStatusEnum (2025): creating, deleted, deleting, disabled, ok, updating
GONE = ("deleting", "deleted")
PASSING = ("creating", "updating")


def user_result(user):
    """The ``user`` result: id, username, description, status, role names, creation date (never a password)."""
    if user is None:
        return None
    return {
        "id": user.get("id"),
        "username": user.get("username"),
        "description": user.get("description"),
        "status": user.get("status"),
        "roles": [role["name"] if isinstance(role, dict) else role for role in user.get("roles") or []],
        "creation_date": user.get("creationDate"),
    }


def disabled_error(user, project_id):
    return WorkflowError(Step.FIND_USER, "user %s (%s) of project %s is disabled: the module neither adopts nor waits for a "
                         "disabled user. Delete it (state: absent) and rerun to get a new user, or give another description"
                         % (user.get("id"), user.get("username"), project_id), user=user_result(user))


class OpenStackUsers:
    """The users of one project: ``find``, ``create``, ``wait_ok``, ``set_roles``, ``regenerate``, ``delete``,
    ``wait_gone``. API writes are made once, never repeated; each failure names its step."""

    def __init__(self, api, report, check_mode, project_id, wait_timeout):
        self.api = api
        self.report = report
        self.check_mode = check_mode
        self.project_id = project_id
        self.base = "/cloud/project/%s" % urllib.parse.quote(project_id, safe="")
        self.wait_timeout = wait_timeout
        self.deadline = None

    def call(self, step, method, path, **body):
        try:
            return getattr(self.api, method)(path, **body)
        except OvhApiError as exc:
            raise WorkflowError(step, "%s" % exc, api_error=exc) from None

    def user_path(self, user_id, tail=""):
        return "%s/user/%s%s" % (self.base, user_id, tail)

    def find(self, description):
        """The one live user described so (None); two fail naming them, a disabled one fails."""
        users = [user for user in self.call(Step.FIND_USER, "get", self.base + "/user") or []
                 if user.get("description") == description and user.get("status") not in GONE]
        if len(users) > 1:
            raise WorkflowError(Step.FIND_USER, "%d users of project %s are described %r (ids %s): the description must name one "
                                "user; delete the extra ones or describe them apart"
                                % (len(users), self.project_id, description, ", ".join(str(user["id"]) for user in users)))
        if users and users[0].get("status") == "disabled":
            raise disabled_error(users[0], self.project_id)
        return users[0] if users else None

    def find_all(self, description):
        """Every live user described so (state: absent deletes them all, disabled ones too)."""
        return [user for user in self.call(Step.FIND_USER, "get", self.base + "/user") or []
                if user.get("description") == description and user.get("status") not in GONE]

    def create(self, description, roles):
        """(user, password). One POST, never repeated: a lost answer is found by the next run's lookup. A refusal
        (unknown role: 400) changes nothing."""
        try:
            created = self.api.post(self.base + "/user", description=description, roles=list(roles))
        except OvhApiError as exc:
            raise WorkflowError(Step.CREATE_USER, "creating the user %r failed: %s. %s" % (
                description, exc, "Nothing was created" if exc.status is not None and exc.status < 500 else
                "The user may exist: rerun, the next run finds it by its description"), api_error=exc) from None
        self.report.changed = True
        return created, created.pop("password", None)

    def _deadline(self):
        if self.deadline is None:
            self.deadline = Deadline(self.wait_timeout)
        return self.deadline

    def wait_ok(self, user):
        """Poll the user while it is ``creating`` or ``updating`` until ``ok`` (within wait_timeout)."""
        deadline = self._deadline()
        while user.get("status") != "ok":
            if user.get("status") == "disabled":
                raise disabled_error(user, self.project_id)
            if user.get("status") not in PASSING:
                raise WorkflowError(Step.WAIT_FOR_USER, "user %s is %s, it will not become ok: rerun to create another one"
                                    % (user.get("id"), user.get("status")), user=user_result(user))
            if not deadline.sleep():
                raise WorkflowError(Step.WAIT_FOR_USER, "user %s is still %s after %d s: rerun later, or raise wait_timeout"
                                    % (user.get("id"), user.get("status"), self.wait_timeout), user=user_result(user))
            user = self.call(Step.WAIT_FOR_USER, "get", self.user_path(user["id"]))
        return user

    def role_ids(self, names):
        """Role ids of role names, from ``GET /cloud/project/{id}/role``; an unknown name fails naming the known ones."""
        roles = (self.call(Step.CHANGE_ROLES, "get", self.base + "/role") or {}).get("roles") or []
        by_name = dict((role["name"], role["id"]) for role in roles)
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise WorkflowError(Step.CHANGE_ROLES, "unknown role %s; the project's roles are: %s"
                                % (", ".join(unknown), ", ".join(sorted(by_name))))
        return [by_name[name] for name in names]

    def set_roles(self, user, roles):
        """The user with exactly ``roles`` (``PUT …/role`` when they differ)."""
        wanted = list(roles)
        if set(user_result(user)["roles"]) == set(wanted):
            return user
        if self.check_mode:
            self.report.changed = True
            return dict(user, roles=wanted)
        ids = self.role_ids(wanted)
        answer = self.call(Step.CHANGE_ROLES, "put", self.user_path(user["id"], "/role"), rolesIds=ids)
        self.report.changed = True
        if isinstance(answer, dict) and answer.get("id") is not None:
            answer.pop("password", None)
            return answer
        return self.call(Step.CHANGE_ROLES, "get", self.user_path(user["id"]))

    def regenerate(self, user, wait):
        """(user, new password): ``POST …/regeneratePassword``, then (``wait``) the wait for ``ok``, as terraform does."""
        answer = self.call(Step.REGENERATE_PASSWORD, "post", self.user_path(user["id"], "/regeneratePassword")) or {}
        self.report.changed = True
        password = answer.pop("password", None)
        user = answer if answer.get("id") is not None else user
        return (self.wait_ok(user) if wait else user), password

    def delete(self, user):
        self.call(Step.DELETE_USER, "delete", self.user_path(user["id"]))
        self.report.changed = True

    def wait_gone(self, user_id):
        """Poll a deleted user until it is ``deleted`` or the API answers 404 (within wait_timeout)."""
        deadline = self._deadline()
        while True:
            try:
                if (self.api.get(self.user_path(user_id)) or {}).get("status") == "deleted":
                    return
            except OvhApiError as exc:
                if is_absent(exc):
                    return
                raise WorkflowError(Step.WAIT_FOR_USER, "%s" % exc, api_error=exc) from None
            if not deadline.sleep():
                raise WorkflowError(Step.WAIT_FOR_USER, "user %s is still being deleted after %d s" % (user_id, self.wait_timeout))
