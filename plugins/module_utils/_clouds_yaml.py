# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""CloudsYaml: one entry of an OpenStack ``clouds.yaml`` read, replaced or removed, the other entries kept, written atomically."""

from __future__ import annotations

import copy
import os
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

MODE = 0o600
STEP = "clouds.yaml"


class CloudsYaml:
    """The file at ``path``: ``load()`` once, then ``entry``, ``with_entry``/``without_entry`` and ``write``.

    Entries other than the one named are kept with their order and values (a rewrite drops YAML comments); a write
    goes to a temporary file of the same directory, created with mode 0600, then renamed over the file.
    """

    def __init__(self, path):
        self.path = path
        self.data = None

    def load(self):
        """The file's content as data ({} when the file is missing or empty); WorkflowError when it is not a clouds.yaml."""
        try:
            with open(self.path, "rb") as handle:
                text = handle.read()
        except FileNotFoundError:
            text = b""
        except OSError as exc:
            raise WorkflowError(STEP, "cannot read clouds_yaml %s: %s" % (self.path, exc.strerror or exc)) from None
        try:
            data = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            raise WorkflowError(STEP, "clouds_yaml %s is not valid YAML: %s" % (self.path, exc)) from None
        if data is None:
            data = {}
        if not isinstance(data, dict) or not isinstance(data.get("clouds", {}), dict):
            raise WorkflowError(STEP, "clouds_yaml %s is not a clouds.yaml: it needs a mapping `clouds` of cloud names" % self.path)
        self.data = data
        return data

    def entry(self, name):
        """The entry ``clouds.<name>``, or None."""
        return (self.data.get("clouds") or {}).get(name)

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
        """Replace the file with ``data`` atomically, mode 0600 from creation (missing directories created 0700)."""
        directory = os.path.dirname(os.path.abspath(self.path))
        text = yaml.safe_dump(data, default_flow_style=False, sort_keys=False)
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(self.path), suffix=".tmp")
        except OSError as exc:
            raise WorkflowError(STEP, "cannot write clouds_yaml %s: %s" % (self.path, exc.strerror or exc)) from None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, MODE)
            os.replace(temporary, self.path)
        except OSError as exc:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise WorkflowError(STEP, "cannot write clouds_yaml %s: %s" % (self.path, exc.strerror or exc)) from None
        self.data = copy.deepcopy(data)
