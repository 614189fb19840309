# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which reads are tried again, how often, and how long to wait in between."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import Deadline
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_transient

# Transient failures of one read tried again at most this many times in a row.
READ_RETRIES = 3


class ReadRetryPolicy:
    """Tries an idempotent read again on a transient failure (5xx, 429, no answer), with capped exponential backoff.

    A 429 or 503 that says ``Retry-After`` is waited for as asked. Every wait comes out of ``deadline`` (a Deadline
    or alike, with ``remaining()`` and ``pause(seconds)``, cutting a wait to the time left): no retry once it is
    spent, or when the API asks to wait longer than what is left. The OvhApi wrapper applies it to GETs only: a write is never repeated blindly.
    """

    def __init__(self, deadline=None, retries=READ_RETRIES, initial=0.5, factor=2.0, cap=10.0):
        self.deadline = deadline if deadline is not None else Deadline(60)
        self.retries = retries
        self.initial = initial
        self.factor = factor
        self.cap = cap

    def run(self, read):
        """Call ``read()`` until it answers, or raise its last OvhApiError."""
        failures = 0
        interval = self.initial
        while True:
            try:
                return read()
            except OvhApiError as exc:
                failures += 1
                if not is_transient(exc) or failures > self.retries:
                    raise
                if exc.retry_after is not None and exc.retry_after > self.deadline.remaining():
                    raise  # asked to wait past the budget: give up now rather than be refused again
                if not self.deadline.pause(exc.retry_after if exc.retry_after is not None else interval):
                    raise
                interval = min(interval * self.factor, self.cap)
