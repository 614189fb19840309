# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback of the reliability suite: saves the public_cloud_project task result as JSON to the file that
RELIABILITY_RESULT_FILE names, instead of a second task (a copy task costs each run about as much CPU as the module)."""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: reliability_result
type: notification
short_description: save the public_cloud_project result for the reliability suite
description:
  - Writes the result of the last public_cloud_project task (ok or failed) to the file named by RELIABILITY_RESULT_FILE.
requirements:
  - enabled in callbacks_enabled (tests/reliability does it)
"""


class CallbackModule(CallbackBase):
    """Writes ``result._result`` (internal keys removed, no_log honoured) of the module's task."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "reliability_result"
    CALLBACK_NEEDS_ENABLED = True

    def _save(self, result, failed):
        path = os.environ.get("RELIABILITY_RESULT_FILE")
        if not path or not result._task.action.endswith("public_cloud_project"):  # pylint: disable=protected-access
            return
        saved = json.loads(self._dump_results(result._result, indent=None))  # pylint: disable=protected-access
        saved["failed"] = failed  # as `register` shows it (the dump leaves it out)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(saved, handle)

    def v2_runner_on_ok(self, result):
        self._save(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._save(result, failed=True)
