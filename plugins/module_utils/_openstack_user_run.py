# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""One public_cloud_user run (``ensure_openstack_user``): inputs and the clouds.yaml checked before any API write, the
user's lifecycle (``OpenStackUsers``), then its entry (``CloudsEntry``); a created user whose entry cannot be written
is deleted again rather than left without its password."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import REDACTED
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._clouds_entry import CloudsEntry, masked
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._keystone import KeystoneUnavailable, password_authenticates, token_url
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openrc import openstack_auth
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openstack_region import ProjectRegions
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openstack_user import OpenStackUsers, user_result
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_project_id, check_wait_timeout


def ensure_openstack_user(module):
    """The work of public_cloud_user: ``OvhModule(spec).run(ensure_openstack_user)``."""
    params = module.params
    check_project_id(params["project_id"])
    check_wait_timeout(params["wait_timeout"])
    if params.get("regions") is not None and not params["regions"]:
        raise InputError("regions is an empty list: give at least one region, or leave regions out")
    run = OpenStackUserRun(module.api, module.report, module.check_mode, params, module.add_secret)
    return run.absent() if params["state"] == "absent" else run.present()


class OpenStackUserRun:
    """present() / absent() for one user; ``learn(password, hide_in_result)`` makes a password a secret of the run."""

    def __init__(self, api, report, check_mode, params, learn):
        self.api = api
        self.check_mode = check_mode
        self.params = params
        self.learn = learn
        self.users = OpenStackUsers(api, report, check_mode, params["project_id"], params["wait_timeout"])
        self.password = None
        self.diff = {"before": {}, "after": {}}

    def _learn(self, password):
        self.password = password
        self.learn(password, hide_in_result=not self.params.get("return_password"))

    def _entry(self):
        """The CloudsEntry, opened (the file checked writable and read), or None without clouds_yaml."""
        if not self.params.get("clouds_yaml"):
            return None
        name = self.params.get("cloud_name")
        if not name:
            project = self.users.call(Step.FIND_USER, "get", self.users.base) or {}
            name = project.get("description") or self.params["project_id"]
        entry = CloudsEntry(self.users.report, self.check_mode, self.params["clouds_yaml"], name)
        self.diff["before"]["clouds_yaml_entry"] = masked(entry.open())
        return entry

    def present(self):
        user = self.users.find(self.params["description"])
        self.diff["before"]["user"] = user_result(user)
        entry = self._entry()
        asked = self.params.get("regions") or ([self.params["region"]] if self.params.get("region") else None)
        regions = ProjectRegions(self.api, self.params["project_id"]).choose(asked) if (entry or asked) else None
        known = entry.password_for(user["username"]) if entry and user else None
        if entry and user and known is None and not self.params.get("regenerate_password"):
            raise WorkflowError(
                Step.CLOUDS_YAML, "user %s (%s) exists but %s has no entry with its password, and its password is known only "
                "when the user is created or its password regenerated: rerun with regenerate_password: true to give it a new "
                "password (other holders of the old one lose access). Nothing was changed"
                % (user["id"], user.get("username"), entry.path))
        created = user is None
        if created:
            user = self._create()
        else:
            if self.params["wait"] and user.get("status") != "ok":
                user = self.users.wait_ok(user)
            if known is not None and self.params.get("verify_password", True):
                self._learn(known)  # a secret from now on: scrubbed from every message and warning
                known = verify_password(entry, user, known, self.params.get("regenerate_password"))
            user = self.users.set_roles(user, self.params["roles"])
        result = {"user": None, "clouds_yaml": None, "cloud_name": None}
        if entry:
            result.update(clouds_yaml=entry.path, cloud_name=entry.name)
            user = self._write_entry(entry, user, regions, created, known)
        self.diff["after"]["user"] = result["user"] = user_result(user)
        if self.params.get("return_password"):
            result["password"] = self.password
        result["diff"] = self.diff
        return result

    def _create(self):
        if self.check_mode:
            self.users.report.changed = True
            return {"id": None, "username": None, "description": self.params["description"], "status": None,
                    "roles": list(self.params["roles"]), "creationDate": None}
        user, password = self.users.create(self.params["description"], self.params["roles"])
        self._learn(password)
        return self.users.wait_ok(user) if self.params["wait"] else user

    def _write_entry(self, entry, user, regions, created, known):
        if user.get("id") is None:  # check mode, user to create: no openrc to read yet
            self.diff["after"]["clouds_yaml_entry"] = {"auth": {"password": REDACTED}, "region_name": regions[0]}
            entry.report.changed = True
            return user
        try:
            content = self.users.call(Step.READ_OPENRC, "get", self.users.user_path(user["id"], "/openrc"),
                                      region=regions[0], version="v3") or {}
            auth = openstack_auth(content.get("content"))
            new_password = created
            if not created and known is not None:
                self._learn(known)
            elif not created:
                if self.check_mode:
                    entry.report.changed = True
                    self.password = REDACTED
                else:
                    user, password = self.users.regenerate(user, self.params["wait"])
                    self._learn(password)
                new_password = True
            self.diff["after"]["clouds_yaml_entry"] = masked(entry.wanted(auth, self.password, regions).get("clouds", {})[entry.name])
            updated = entry.ensure(auth, self.password, regions, new_password=new_password)
            if self.password == REDACTED:  # check mode: no password is known
                self.password = None
        except WorkflowError as exc:
            if created:
                self._undo_creation(user, exc)
            raise
        if updated:
            entry.report.warn("%s: the entries %s of the same user got its new password too" % (entry.path, ", ".join(updated)))
        return user

    def _undo_creation(self, user, exc):
        """The entry of a user just created could not be written: its password would be lost, so the user goes too."""
        try:
            self.users.api.delete(self.users.user_path(user["id"]))
        except OvhApiError as error:
            raise WorkflowError(exc.step, "%s. User %s (username %s) was created in project %s, but its password could not be "
                                "kept, and deleting it failed too (%s): fix the problem above, then rerun with "
                                "regenerate_password: true to give it a new password (or delete it: state: absent)"
                                % (exc.msg, user["id"], user.get("username"), self.params["project_id"], error),
                                api_error=exc.api_error, user=user_result(user)) from None
        self.users.report.changed = False
        raise WorkflowError(exc.step, "%s. The user just created (id %s) was deleted again, since its password could not be "
                            "kept: nothing is left; fix the problem above and rerun" % (exc.msg, user["id"]),
                            api_error=exc.api_error) from None

    def absent(self):
        users = self.users.find_all(self.params["description"])
        self.diff["before"]["user"] = user_result(users[0]) if users else None
        self.diff["after"]["user"] = None
        entry = self._entry()
        for user in users:
            if self.check_mode:
                self.users.report.changed = True
            else:
                self.users.delete(user)
        if users and self.params["wait"] and not self.check_mode:
            for user in users:
                self.users.wait_gone(user["id"])
        result = {"user": None, "deleted_users": [user_result(user) for user in users], "clouds_yaml": None, "cloud_name": None}
        if entry:
            self.diff["after"]["clouds_yaml_entry"] = None
            entry.remove()
            result.update(clouds_yaml=entry.path, cloud_name=entry.name)
        result["diff"] = self.diff
        return result


def verify_password(entry, user, known, regenerate_password):
    """The password found in the file, once Keystone has authenticated it (the entry it comes from: its auth_url,
    user name, domains and project id); None when Keystone refuses it (401) and regenerate_password is set, so that
    the user gets a new one; a refusal otherwise fails before any write. When Keystone gives no verdict
    (unreachable, timeout, 5xx), a warning, and the password is kept. ``known`` is already a secret of the run."""
    name = entry.password_source(user["username"])
    auth = entry.clouds.entry(name)["auth"]
    where = "%s (entry %s)" % (entry.path, name)
    if user.get("status") != "ok":
        entry.report.warn("%s: the password of user %s was not checked against Keystone, the user being %s"
                          % (where, user["id"], user.get("status")))
        return known
    if not auth.get("auth_url"):
        entry.report.warn("%s has no auth_url: the password of user %s was not checked against Keystone" % (where, user["id"]))
        return known
    try:
        if password_authenticates(auth):
            return known
    except KeystoneUnavailable as exc:
        entry.report.warn("%s: could not check that the password of user %s still authenticates (POST %s: %s); the "
                          "entry is kept as it is. Set verify_password: false to skip this check"
                          % (where, user["id"], token_url(auth["auth_url"]), exc))
        return known
    if regenerate_password:
        return None
    raise WorkflowError(
        Step.VERIFY_PASSWORD, "the password of user %s (%s) in %s no longer authenticates: Keystone (POST %s) answered 401 "
        "Unauthorized, so it was changed elsewhere (the OVHcloud Control Panel, another controller's clouds.yaml, a "
        "regenerate_password run with another file). Rerun with regenerate_password: true to give the user a new "
        "password, written to every entry of the user in %s (holders of the old one lose access). Nothing was changed"
        % (user["id"], user.get("username"), where, token_url(auth["auth_url"]), entry.path),
        clouds_yaml=entry.path, cloud_name=entry.name, user=user_result(user))
