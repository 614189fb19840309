# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The API probe's carts: created with a probe description and a short expire, and every one deleted at the end, even
when the run is interrupted (SIGTERM, SIGINT)."""

from __future__ import annotations

import contextlib
import datetime
import signal

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError, is_absent

# Never the race guard's prefix (ovhcloud.public_cloud:): a probe cart never claims a project name.
PROBE_DESCRIPTION_PREFIX = "ovhcloud.public_cloud-probe:"
INTERRUPTING_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def expire_text(when):
    """An ``expire`` as the API takes it, to the second, in UTC."""
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class ProbeInterrupted(BaseException):
    """The module process got SIGTERM or SIGINT: stop probing, clean up, report. Not an Exception, as KeyboardInterrupt
    is not: the API wrapper turns every Exception raised during a call into an OvhApiError, which a check would take
    for an answer."""

    def __init__(self, signum):
        super().__init__("interrupted by %s" % signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def _handling(handler):
    """SIGTERM and SIGINT handled by ``handler`` inside the block; the handlers of before, after it."""
    saved = dict((signum, signal.signal(signum, handler)) for signum in INTERRUPTING_SIGNALS)
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def _interrupt(signum, dummy_frame):
    raise ProbeInterrupted(signum)


def interruptible():
    """SIGTERM and SIGINT raise ProbeInterrupted in the main thread, so that every ``finally`` (cart deletion, the
    project's description) runs before the process ends."""
    return _handling(_interrupt)


def uninterrupted():
    """Cleanup that a second signal must not cut short (a SIGKILL still can: the carts then expire by themselves)."""
    return _handling(signal.SIG_IGN)


@contextlib.contextmanager
def deferred():
    """SIGTERM and SIGINT held until the block ends, then raised as ProbeInterrupted: a checkout whose answer (the
    order it placed) must be read and recorded before the probe stops."""
    got = []
    try:
        with _handling(lambda signum, dummy_frame: got.append(signum)):
            yield
    finally:
        if got:
            raise ProbeInterrupted(got[0])


class ProbeCart:
    """One cart of the probe: its id, description, the expire asked for, and the application (api) that made it."""

    def __init__(self, api, cart_id, description, expire):
        self.api = api
        self.cart_id = cart_id
        self.description = description
        self.expire = expire

    @property
    def path(self):
        return "/order/cart/%s" % self.cart_id


class ProbeCarts:
    """Every cart the probe creates, so that ``delete_all`` removes them whatever happened."""

    def __init__(self, subsidiary, run_id):
        self.subsidiary = subsidiary
        self.run_id = run_id
        self.created = []
        self._open = []

    def description(self, purpose):
        return "%s%s-%s" % (PROBE_DESCRIPTION_PREFIX, self.run_id, purpose)

    def create(self, api, purpose, expire):
        """Create a cart described for ``purpose`` living until ``expire`` (an aware datetime) and assign it, as the race
        guard does; the cart is recorded before its assignment, so a failure there still deletes it."""
        description = self.description(purpose)
        expire = expire.replace(microsecond=0)
        cart = api.post("/order/cart", ovhSubsidiary=self.subsidiary, description=description, expire=expire_text(expire))
        probe_cart = ProbeCart(api, cart["cartId"], description, expire)
        self.created.append(probe_cart.cart_id)
        self._open.append(probe_cart)
        api.post(probe_cart.path + "/assign")
        return probe_cart

    def forget(self, probe_cart):
        """A cart seen gone (expired): nothing left to delete."""
        if probe_cart in self._open:
            self._open.remove(probe_cart)

    def delete_all(self):
        """Delete every cart still open; return (ids left, warnings). A cart already gone (404) is not left."""
        left, warnings = [], []
        with uninterrupted():
            for probe_cart in list(self._open):
                try:
                    probe_cart.api.delete(probe_cart.path)
                except OvhApiError as exc:
                    if not is_absent(exc):
                        left.append(probe_cart.cart_id)
                        warnings.append("could not delete cart %s (it expires by itself at %s): %s"
                                        % (probe_cart.cart_id, expire_text(probe_cart.expire), exc))
                        continue
                self._open.remove(probe_cart)
        return left, warnings
