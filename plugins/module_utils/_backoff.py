# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The one capped exponential backoff of the collection, the time budget it waits within, and the read retries.

``Backoff`` gives the intervals; ``Deadline`` waits them within a total time budget (polling orders, projects, other
runs, e-mails); ``ReadRetryPolicy`` waits them between tries of an idempotent read. The values are in _timing.py.
"""

from __future__ import annotations

import time

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_transient
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._timing import (
    POLL_CAP,
    POLL_FACTOR,
    POLL_INITIAL,
    READ_CAP,
    READ_FACTOR,
    READ_INITIAL,
    READ_RETRIES,
    READ_RETRY_BUDGET,
)


class Backoff:
    """Capped exponential intervals: ``initial``, then each ``factor`` times the one before, never above ``cap``."""

    def __init__(self, initial, factor, cap):
        self.interval = initial
        self.factor = factor
        self.cap = cap

    def next(self):
        """The interval to wait now; the following one grows."""
        interval = self.interval
        self.interval = min(self.interval * self.factor, self.cap)
        return interval


class Deadline:
    """A total time budget; ``sleep()`` waits the next backoff interval, never past the deadline."""

    def __init__(self, timeout, initial=POLL_INITIAL, factor=POLL_FACTOR, cap=POLL_CAP, clock=time.monotonic,
                 sleeper=time.sleep):
        self.timeout = timeout
        self.clock = clock
        self.sleeper = sleeper
        self.started = clock()
        self.backoff = Backoff(initial, factor, cap)

    def elapsed(self):
        return self.clock() - self.started

    def remaining(self):
        return self.timeout - self.elapsed()

    def pause(self, seconds):
        """Wait ``seconds`` (cut to the time left); False if no time is left."""
        remaining = self.remaining()
        if remaining <= 0:
            return False
        self.sleeper(min(seconds, remaining))
        return True

    def sleep(self):
        """Wait the next interval (capped, and cut to the time left); False if no time is left."""
        remaining = self.remaining()
        if remaining <= 0:
            return False
        self.sleeper(min(self.backoff.next(), remaining))
        return True


class ReadRetryPolicy:
    """Tries an idempotent read again on a transient failure (5xx, 429, no answer), with the capped backoff.

    A 429 or 503 that says ``Retry-After`` is waited for as asked. Every wait comes out of ``deadline`` (a Deadline
    or alike, with ``remaining()`` and ``pause(seconds)``, cutting a wait to the time left; by default READ_RETRY_BUDGET
    seconds): no retry once it is spent, or when the API asks to wait longer than what is left. The OvhApi wrapper
    applies it to GETs only: a write is never repeated blindly.
    """

    def __init__(self, deadline=None, retries=READ_RETRIES, initial=READ_INITIAL, factor=READ_FACTOR, cap=READ_CAP):
        self.deadline = deadline if deadline is not None else Deadline(READ_RETRY_BUDGET)
        self.retries = retries
        self.initial = initial
        self.factor = factor
        self.cap = cap

    def run(self, read):
        """Call ``read()`` until it answers, or raise its last OvhApiError."""
        failures = 0
        backoff = Backoff(self.initial, self.factor, self.cap)
        while True:
            try:
                return read()
            except OvhApiError as exc:
                failures += 1
                if not is_transient(exc) or failures > self.retries:
                    raise
                if exc.retry_after is not None and exc.retry_after > self.deadline.remaining():
                    raise  # asked to wait past the budget: give up now rather than be refused again
                interval = backoff.next()
                if not self.deadline.pause(exc.retry_after if exc.retry_after is not None else interval):
                    raise
