# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The OpenStack user of a project, found by its description (``ensure_openstack_user``, ``OpenStackUserEnsurer``),
and its ``clouds.yaml`` entry."""

from __future__ import annotations

import copy
import urllib.parse

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import REDACTED
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import Deadline
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._clouds_yaml import CloudsYaml
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, WorkflowError, is_absent
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openrc import openstack_auth

# statuses of a user being removed: not "the user" any more
GONE = ("deleting", "deleted")


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


def masked(entry):
    """A clouds.yaml entry fit to show: its password replaced."""
    if entry is None:
        return None
    shown = copy.deepcopy(entry)
    if isinstance(shown.get("auth"), dict) and shown["auth"].get("password"):
        shown["auth"]["password"] = REDACTED
    return shown


def cloud_entry(auth, password, region):
    """The clouds.yaml entry openstacksdk and the openstack.cloud collection read."""
    entry_auth = dict(auth)
    entry_auth["password"] = password
    ordered = dict((key, entry_auth[key]) for key in ("auth_url", "username", "password", "project_id",
                                                      "user_domain_name", "project_domain_name"))
    return {"auth": ordered, "region_name": region, "interface": "public", "identity_api_version": 3}


class OpenStackUserEnsurer:
    """present(): the user exists with its roles, and its clouds.yaml entry is written; absent(): it is deleted.

    ``module`` is the OvhModule of the run: its ``api``, ``report``, ``check_mode``, ``params`` and ``add_secret``.
    """

    def __init__(self, module, deadline=None):
        self.module = module
        self.api = module.api
        self.report = module.report
        self.check_mode = module.check_mode
        self.params = module.params
        self.project_id = self.params["project_id"]
        self.base = "/cloud/project/%s" % urllib.parse.quote(self.project_id, safe="")
        self.deadline = deadline
        self.password = None
        self.diff_before = {}
        self.diff_after = {}

    # -- lookups --------------------------------------------------------------------------------------------------
    def users_described(self):
        """The project's users whose description is ours, those being deleted left out."""
        description = self.params["description"]
        return [user for user in self.api.get(self.base + "/user") or []
                if user.get("description") == description and user.get("status") not in GONE]

    def role_ids(self, names):
        """Role ids of role names, from ``GET /cloud/project/{id}/role``; an unknown name fails naming the known ones."""
        roles = (self.api.get(self.base + "/role") or {}).get("roles") or []
        by_name = dict((role["name"], role["id"]) for role in roles)
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise WorkflowError("change roles", "unknown role %s; the project's roles are: %s"
                                % (", ".join(unknown), ", ".join(sorted(by_name))))
        return [by_name[name] for name in names]

    def cloud_name(self):
        """``cloud_name``, else the project's description, else its id."""
        if self.params.get("cloud_name"):
            return self.params["cloud_name"]
        project = self.api.get(self.base) or {}
        return project.get("description") or self.project_id

    def region(self):
        """``region``, else the project's first region."""
        if self.params.get("region"):
            return self.params["region"]
        regions = self.api.get(self.base + "/region") or []
        if not regions:
            raise WorkflowError("find region", "project %s has no region: set region" % self.project_id)
        return regions[0]

    # -- waiting --------------------------------------------------------------------------------------------------
    def _deadline(self):
        if self.deadline is None:
            self.deadline = Deadline(self.params["wait_timeout"])
        return self.deadline

    def wait_ok(self, user):
        """Poll the user until its status is ``ok`` (within wait_timeout)."""
        deadline = self._deadline()
        while user.get("status") != "ok":
            if not deadline.sleep():
                raise WorkflowError("wait for user", "user %s is still %s after %d s: rerun later, or raise wait_timeout"
                                    % (user.get("id"), user.get("status"), self.params["wait_timeout"]), user=user_result(user))
            user = self.api.get("%s/user/%s" % (self.base, user["id"]))
        return user

    def wait_gone(self, user_id):
        """Poll a deleted user until the API answers 404 (within wait_timeout)."""
        deadline = self._deadline()
        while True:
            try:
                self.api.get("%s/user/%s" % (self.base, user_id))
            except OvhApiError as exc:
                if is_absent(exc):
                    return
                raise
            if not deadline.sleep():
                raise WorkflowError("wait for user", "user %s is still being deleted after %d s" % (user_id, self.params["wait_timeout"]))

    # -- the password -----------------------------------------------------------------------------------------------
    def learn_password(self, password):
        self.password = password
        self.module.add_secret(password, hide_in_result=not self.params.get("return_password"))

    # -- state: present -------------------------------------------------------------------------------------------
    def present(self):
        users = self.users_described()
        if len(users) > 1:
            raise WorkflowError("find user", "%d users of project %s are described %r (ids %s): the description must name one "
                                "user; delete the extra ones or describe them apart"
                                % (len(users), self.project_id, self.params["description"],
                                   ", ".join(str(user["id"]) for user in users)))
        user = users[0] if users else None
        created = user is None
        self.diff_before["user"] = user_result(user)
        if created:
            user = self.create()
        else:
            if self.params["wait"] and user.get("status") != "ok":
                user = self.wait_ok(user)
            user = self.ensure_roles(user)
        self.diff_after["user"] = user_result(user)
        result = {"user": user_result(user), "clouds_yaml": None, "cloud_name": None}
        if self.params.get("clouds_yaml"):
            result.update(self.ensure_entry(user, created))
        if self.params.get("return_password"):
            result["password"] = self.password
        result["diff"] = {"before": self.diff_before, "after": self.diff_after}
        return result

    def create(self):
        self.report.changed = True
        roles = list(self.params["roles"])
        if self.check_mode:
            return {"id": None, "username": None, "description": self.params["description"], "status": None,
                    "roles": roles, "creationDate": None}
        # one POST, never repeated: a lost answer is found by the next run's lookup (a second user would be a duplicate)
        created = self.api.post(self.base + "/user", description=self.params["description"], roles=roles)
        self.learn_password(created.pop("password", None))
        if self.params["wait"]:
            created = self.wait_ok(created)
        return created

    def ensure_roles(self, user):
        wanted = list(self.params["roles"])
        if set(user_result(user)["roles"]) == set(wanted):
            return user
        self.report.changed = True
        if self.check_mode:
            planned = dict(user)
            planned["roles"] = wanted
            return planned
        ids = self.role_ids(wanted)
        answer = self.api.put("%s/user/%s/role" % (self.base, user["id"]), rolesIds=ids)
        if isinstance(answer, dict) and answer.get("password"):
            self.learn_password(answer.pop("password"))
        return answer if isinstance(answer, dict) and answer.get("id") is not None else self.api.get("%s/user/%s" % (self.base, user["id"]))

    def open_entry(self):
        """(CloudsYaml loaded, cloud name, its current entry or None); the entry goes into the diff, masked."""
        clouds = CloudsYaml(self.params["clouds_yaml"])
        clouds.load()
        name = self.cloud_name()
        current = clouds.entry(name)
        self.diff_before["clouds_yaml_entry"] = masked(current)
        return clouds, name, current

    def ensure_entry(self, user, created):
        """Write ``clouds.<cloud_name>`` when it is missing or differs; the file is left byte for byte when it is equal."""
        clouds, name, current = self.open_entry()
        outcome = {"clouds_yaml": clouds.path, "cloud_name": name}
        if user.get("id") is None:  # check mode, user to create: no openrc to read yet
            self.diff_after["clouds_yaml_entry"] = {"auth": {"password": REDACTED}, "region_name": self.region(),
                                                    "interface": "public", "identity_api_version": 3}
            return outcome
        region = self.region()
        openrc = self.api.get("%s/user/%s/openrc" % (self.base, user["id"]), region=region, version="v3") or {}
        auth = openstack_auth(openrc.get("content"))
        password = self.password
        if password is None and not created and isinstance(current, dict):
            current_auth = current.get("auth") or {}
            if current_auth.get("username") == auth["username"] and current_auth.get("password"):
                password = current_auth["password"]
                self.learn_password(password)
        if password is None:
            password = self.regenerate(user, clouds.path, name)
        wanted = cloud_entry(auth, password, region)
        self.diff_after["clouds_yaml_entry"] = masked(wanted)
        if wanted != current:
            self.report.changed = True
            if not self.check_mode:
                clouds.write(clouds.with_entry(name, wanted))
        return outcome

    def regenerate(self, user, path, name):
        """A new password for an existing user whose password the module does not know (its entry is missing)."""
        if not self.params.get("regenerate_password"):
            raise WorkflowError(
                "clouds.yaml",
                "user %s (%s) exists but %s has no entry %r for it, and its password is known only when the user is "
                "created or its password regenerated: rerun with regenerate_password: true to give it a new password "
                "(other holders of the old one lose access)" % (user["id"], user.get("username"), path, name))
        self.report.changed = True
        if self.check_mode:
            return REDACTED
        answer = self.api.post("%s/user/%s/regeneratePassword" % (self.base, user["id"]))
        self.learn_password(answer.get("password"))
        return self.password

    # -- state: absent --------------------------------------------------------------------------------------------
    def absent(self):
        users = self.users_described()
        self.diff_before["user"] = user_result(users[0]) if users else None
        self.diff_after["user"] = None
        for user in users:
            self.report.changed = True
            if not self.check_mode:
                self.api.delete("%s/user/%s" % (self.base, user["id"]))
        if users and self.params["wait"] and not self.check_mode:
            for user in users:
                self.wait_gone(user["id"])
        result = {"user": None, "deleted_users": [user_result(user) for user in users], "clouds_yaml": None, "cloud_name": None}
        if self.params.get("clouds_yaml"):
            result.update(self.remove_entry())
        result["diff"] = {"before": self.diff_before, "after": self.diff_after}
        return result

    def remove_entry(self):
        clouds, name, current = self.open_entry()
        self.diff_after["clouds_yaml_entry"] = None
        if current is not None:
            self.report.changed = True
            if not self.check_mode:
                clouds.write(clouds.without_entry(name))
        return {"clouds_yaml": clouds.path, "cloud_name": name}


def ensure_openstack_user(module):
    """The work of public_cloud_user: ``OvhModule(spec).run(ensure_openstack_user)``."""
    ensurer = OpenStackUserEnsurer(module)
    if module.params["state"] == "absent":
        return ensurer.absent()
    return ensurer.present()
