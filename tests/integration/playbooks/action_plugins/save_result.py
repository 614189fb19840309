# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only action: write ``content`` (templated JSON text, or data: written as JSON) to ``dest`` on the controller, mode 0600.

The integration playbooks save the module's result this way instead of with ``ansible.builtin.copy``: copy runs two
modules (stat, then copy), which cost each ansible-playbook run more CPU than the module under test. Ansible finds
this plugin because it sits in ``action_plugins/`` next to the playbooks. It is not part of the collection.
"""

from __future__ import annotations

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """save_result: content, dest."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("content", "dest"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        content = self._task.args.get("content")
        dest = self._task.args.get("dest")
        if content is None or not dest:
            raise AnsibleActionFail("save_result needs content and dest, got %r" % sorted(self._task.args))
        if not isinstance(content, str):
            # ansible-core before 2.19 turns templated text that reads as JSON back into data (as copy does, dump it)
            content = json.dumps(content)
        descriptor = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
        result.update(changed=False, dest=dest)
        return result
