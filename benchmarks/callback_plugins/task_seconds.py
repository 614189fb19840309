# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: writes [[task name, seconds], ...] of a playbook run as JSON to $BENCH_TASK_SECONDS.

A task's seconds run from its start to the next task's start (or the end of the playbook): what it cost the run, its
results and their display included. Enabled by benchmarks/bench.py only; not part of the collection.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """task_seconds: the wall time of each task."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_seconds"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.rows = []
        self.current = None

    def _close(self):
        if self.current is not None:
            self.rows.append([self.current[0], round(time.monotonic() - self.current[1], 3)])
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = (task.get_name(), time.monotonic())

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        self._close()
        path = os.environ.get("BENCH_TASK_SECONDS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.rows, handle)
