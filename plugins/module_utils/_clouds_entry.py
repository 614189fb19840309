# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The clouds.yaml entry of an OpenStack user (``CloudsEntry``): checked writable before any API write, its password
found in the file, written with every other entry of the same user kept true."""

from __future__ import annotations

import copy

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import REDACTED
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._clouds_yaml import CloudsYaml

COMMENTS_WARNING = ("%s had comments or anchors: PyYAML, which writes the file, keeps neither, and they are gone from the "
                    "rewritten file (the entries and their values are kept)")


def masked(entry):
    """A clouds.yaml entry fit to show: its password replaced."""
    if entry is None:
        return None
    shown = copy.deepcopy(entry)
    if isinstance(shown.get("auth"), dict) and shown["auth"].get("password"):
        shown["auth"]["password"] = REDACTED
    return shown


def cloud_entry(auth, password, regions):
    """The clouds.yaml entry openstacksdk and the openstack.cloud collection read: ``region_name`` for one region, the
    list ``regions`` for several (openstacksdk then uses the first unless told another)."""
    entry_auth = dict(auth)
    entry_auth["password"] = password
    ordered = dict((key, entry_auth[key]) for key in ("auth_url", "username", "password", "project_id",
                                                      "user_domain_name", "project_domain_name"))
    entry = {"auth": ordered}
    if len(regions) == 1:
        entry["region_name"] = regions[0]
    else:
        entry["regions"] = list(regions)
    entry.update({"interface": "public", "identity_api_version": 3})
    return entry


class CloudsEntry:
    """``clouds.<name>`` of the file at ``path``: ``open()`` (checks that the file can be written, reads it),
    ``password_for(username)`` (and ``password_source``), ``ensure(auth, password, regions, new_password)``, ``remove()``."""

    def __init__(self, report, check_mode, path, name):
        self.report = report
        self.check_mode = check_mode
        self.clouds = CloudsYaml(path)
        self.name = name
        self.current = None

    @property
    def path(self):
        return self.clouds.path

    def open(self):
        """Check the file can be written, then read it; the entry as it is (or None)."""
        self.clouds.check_writable()
        self.clouds.load()
        self.current = self.clouds.entry(self.name)
        return self.current

    def password_for(self, username):
        """The password the file holds for ``username``: our entry's, else another entry's of the same user (another
        region, another cloud name); None when none has it."""
        name = self.password_source(username)
        return self.clouds.entry(name)["auth"]["password"] if name is not None else None

    def password_source(self, username):
        """The name of the entry ``password_for`` takes the password from (None when none has it)."""
        names = self.clouds.names_for(username)
        for name in ([self.name] if self.name in names else []) + names:
            if self.clouds.entry(name)["auth"].get("password"):
                return name
        return None

    def wanted(self, auth, password, regions, new_password=False):
        """The file's data with our entry, and, when the password is new, every entry of the same user given it."""
        data = self.clouds.with_entry(self.name, cloud_entry(auth, password, regions))
        if new_password:
            for name in self.clouds.names_for(auth["username"]):
                if name != self.name:
                    data["clouds"][name]["auth"]["password"] = password
        return data

    def ensure(self, auth, password, regions, new_password=False):
        """Write the file when our entry (or another entry of the same user, for a new password) differs; the names of
        the other entries updated."""
        data = self.wanted(auth, password, regions, new_password)
        if data == self.clouds.data:
            return []
        others = [name for name in self.clouds.names_for(auth["username"])
                  if name != self.name and data["clouds"][name] != self.clouds.entry(name)]
        self._write(data)
        return others

    def remove(self):
        if self.current is None:
            return
        self._write(self.clouds.without_entry(self.name))

    def _write(self, data):
        if not self.check_mode:
            self.clouds.write(data)
            if self.clouds.had_comments:
                self.report.warn(COMMENTS_WARNING % self.path)
        self.report.changed = True
