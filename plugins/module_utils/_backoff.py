# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Capped exponential backoff with a deadline, for polling orders and projects."""

from __future__ import annotations

import time


class Deadline:
    """A total time budget; ``sleep()`` waits the next backoff interval, never past the deadline."""

    def __init__(self, timeout, initial=0.5, factor=1.6, cap=30.0, clock=time.monotonic, sleeper=time.sleep):
        self.timeout = timeout
        self.clock = clock
        self.sleeper = sleeper
        self.started = clock()
        self.interval = initial
        self.factor = factor
        self.cap = cap

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
        self.sleeper(min(self.interval, remaining))
        self.interval = min(self.interval * self.factor, self.cap)
        return True
