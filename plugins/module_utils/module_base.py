# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module of the collection shares: the API client and one failure shape."""

from __future__ import annotations

import datetime
import traceback

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.api import OvhApi, OvhApiError, redact
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.client import (
    HAS_OVH,
    OVH_IMPORT_ERROR,
    OvhClientFactory,
    OvhConfigError,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils.errors import WorkflowError


class OvhModule:
    """Wraps an AnsibleModule: builds the client once, and fails with ``msg`` plus a structured ``failure``."""

    def __init__(self, module):
        self.module = module
        self.factory = OvhClientFactory(module.params)
        self._api = None

    def require_ovh(self):
        if not HAS_OVH:
            self.module.fail_json(msg=missing_required_lib("ovh"), exception=OVH_IMPORT_ERROR)

    def endpoint(self):
        return self.factory.endpoint()

    @property
    def api(self):
        if self._api is None:
            self._api = OvhApi(self.factory.create(), secrets=self.factory.secrets())
        return self._api

    def server_now(self):
        """The API's clock (python-ovh measures its offset once with GET /auth/time)."""
        delta = self.api.client.time_delta
        return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta)

    def secrets(self):
        try:
            return self.factory.secrets()
        except Exception:  # pylint: disable=broad-except
            return ()

    def fail(self, exc, warnings=(), **result):
        """One failure shape: msg names the step, the API's message, status and X-Ovh-QueryID; never a secret."""
        secrets = self.secrets()
        if isinstance(exc, WorkflowError):
            failure = {"step": exc.step}
            if exc.api_error is not None:
                failure.update(exc.api_error.as_dict())
            result.update(exc.details)
            msg = exc.msg
            if exc.step not in msg and exc.step != "validate input":
                msg = "%s: %s" % (exc.step, msg)
            query_id = exc.api_error.query_id if exc.api_error is not None else None
            if query_id and query_id not in msg:
                msg = "%s (X-Ovh-QueryID: %s)" % (msg, query_id)
        elif isinstance(exc, OvhApiError):
            failure = exc.as_dict()
            msg = str(exc)
        elif isinstance(exc, OvhConfigError):
            failure = {"step": "configure client"}
            msg = "invalid connection settings: %s" % exc
        else:
            # an unexpected error: still one shape, and still no secret in the message or the traceback
            failure = {"step": "unexpected error"}
            msg = "unexpected error: %s: %s" % (type(exc).__name__, exc)
            result["exception"] = redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), secrets)
        failure = dict((k, redact(v, secrets) if isinstance(v, str) else v) for k, v in failure.items())
        for warning in warnings:
            self.module.warn(redact(warning, secrets))
        self.module.fail_json(msg=redact(msg, secrets), failure=failure, **result)
