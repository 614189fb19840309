# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""CloudsYaml: one entry of an OpenStack ``clouds.yaml`` read, replaced or removed, the other entries kept, written atomically."""

from __future__ import annotations

import copy
import os
import re
import tempfile
import traceback

try:
    import yaml
    HAS_YAML = True
    YAML_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    HAS_YAML = False
    YAML_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

MODE = 0o600
DIRECTORY_MODE = 0o700
# a comment: "#" at the start of a line or after a blank (YAML's rule), outside quotes (not checked: a false positive
# only adds a warning)
COMMENT = re.compile(r"(^|\s)#")


class CloudsYaml:
    """The file at ``path``: ``check_writable()`` and ``load()`` first, then ``entry``, ``with_entry``/``without_entry``
    and ``write``.

    A symbolic link is followed: its target is read and replaced, the link kept. Entries other than the one named are
    kept with their order and values; PyYAML keeps neither comments nor anchors (``had_comments`` says whether the file
    had any, for a warning). A write goes to a temporary file of the target's directory, created with mode 0600, then
    renamed over the target; every missing directory is created with mode 0700.
    """

    def __init__(self, path):
        self.path = path
        self.data = None
        self.had_comments = False

    @property
    def target(self):
        """The file that is read and written: the path with its symbolic links resolved."""
        return os.path.realpath(self.path)

    def check_writable(self):
        """WorkflowError naming the path and the fix unless the file can be written: not a directory, every missing
        parent creatable (the nearest existing one a directory we may write to), the file's directory writable."""
        target = self.target
        shown = self.path if target == self.path else "%s (a link to %s)" % (self.path, target)
        if os.path.isdir(target):
            raise WorkflowError(Step.CLOUDS_YAML, "clouds_yaml %s is a directory: give the path of a file, for example %s"
                                % (shown, os.path.join(self.path, "clouds.yaml")))
        ancestor = os.path.dirname(target)
        while not os.path.lexists(ancestor):
            ancestor = os.path.dirname(ancestor)
        if not os.path.isdir(ancestor):
            raise WorkflowError(Step.CLOUDS_YAML, "clouds_yaml %s cannot be written: %s is a file, not a directory; give a path under a "
                                "directory, or move that file away" % (shown, ancestor))
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise WorkflowError(Step.CLOUDS_YAML, "clouds_yaml %s cannot be written: no permission to write in %s; give a path you may "
                                "write to, or change that directory's permissions" % (shown, ancestor))
        if os.path.exists(target) and not os.access(target, os.R_OK):
            raise WorkflowError(Step.CLOUDS_YAML, "clouds_yaml %s cannot be read: no permission; change its permissions" % shown)

    def load(self):
        """The file's content as data ({} when the file is missing or empty); WorkflowError when it is not a clouds.yaml."""
        try:
            with open(self.target, "rb") as handle:
                text = handle.read()
        except FileNotFoundError:
            text = b""
        except OSError as exc:
            raise WorkflowError(Step.CLOUDS_YAML, "cannot read clouds_yaml %s: %s" % (self.path, exc.strerror or exc)) from None
        try:
            data = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            raise WorkflowError(Step.CLOUDS_YAML, "clouds_yaml %s is not valid YAML: %s" % (self.path, exc)) from None
        if data is None:
            data = {}
        if not isinstance(data, dict) or not isinstance(data.get("clouds", {}), dict):
            raise WorkflowError(Step.CLOUDS_YAML, "clouds_yaml %s is not a clouds.yaml: it needs a mapping `clouds` of cloud names" % self.path)
        self.had_comments = has_comments_or_anchors(text)
        self.data = data
        return data

    def entry(self, name):
        """The entry ``clouds.<name>``, or None."""
        return (self.data.get("clouds") or {}).get(name)

    def names_for(self, username):
        """The names of the entries whose ``auth.username`` is ``username``, in the file's order."""
        return [name for name, entry in (self.data.get("clouds") or {}).items()
                if isinstance(entry, dict) and isinstance(entry.get("auth"), dict) and entry["auth"].get("username") == username]

    def with_entry(self, name, entry):
        """The file's data with ``clouds.<name>`` set to ``entry`` (in its place, or last)."""
        data = copy.deepcopy(self.data)
        clouds = data.get("clouds") or {}
        clouds[name] = entry
        data["clouds"] = clouds
        return data

    def without_entry(self, name):
        """The file's data without ``clouds.<name>``."""
        data = copy.deepcopy(self.data)
        (data.get("clouds") or {}).pop(name, None)
        return data

    def write(self, data):
        """Replace the target atomically with ``data``, mode 0600 from creation (each missing directory created 0700)."""
        target = self.target
        directory = os.path.dirname(target)
        text = yaml.safe_dump(data, default_flow_style=False, sort_keys=False)
        try:
            make_directories(directory)
            descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(target), suffix=".tmp")
        except OSError as exc:
            raise WorkflowError(Step.CLOUDS_YAML, "cannot write clouds_yaml %s: %s" % (self.path, exc.strerror or exc)) from None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, MODE)
            os.replace(temporary, target)
        except OSError as exc:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise WorkflowError(Step.CLOUDS_YAML, "cannot write clouds_yaml %s: %s" % (self.path, exc.strerror or exc)) from None
        self.data = copy.deepcopy(data)


def make_directories(directory):
    """Create ``directory`` and each missing parent with mode 0700 (os.makedirs gives the mode to the last one only)."""
    missing = []
    while not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path, DIRECTORY_MODE)
        os.chmod(path, DIRECTORY_MODE)


def has_comments_or_anchors(text):
    """Whether YAML text has comments, anchors or aliases (which a rewrite with PyYAML drops)."""
    try:
        for token in yaml.scan(text):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                return True
    except yaml.YAMLError:
        pass
    return any(COMMENT.search(line) for line in text.decode("utf-8", "replace").splitlines())
