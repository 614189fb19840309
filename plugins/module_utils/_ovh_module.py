# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""OvhModule: the one owner of a module run (options, endpoint, client, warnings, changed, exit and failure)."""

from __future__ import annotations

import datetime
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import OvhApi, redact
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import ReadRetryPolicy
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._credentials import OvhClientFactory, ovh_argument_spec
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import (
    EndpointError,
    OvhApiError,
    OvhConfigError,
    WorkflowError,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._python_ovh import HAS_OVH, OVH_IMPORT_ERROR
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step


def with_connection_options(argument_spec):
    """A module's argument spec with the connection options every module of the collection takes."""
    spec = ovh_argument_spec()
    spec.update(argument_spec)
    return spec


class RunReport:
    """What a run has done so far, written by the code below the module: ``changed`` and warnings."""

    def __init__(self):
        self.changed = False
        self.warnings = []

    def warn(self, text):
        if text:
            self.warnings.append(text)


class OvhModule:
    """Builds the AnsibleModule with the shared connection options, then owns the run.

    ``run(work)`` calls ``work(self)``, which returns the result; every exception becomes one failure shape
    (``msg`` naming the step, the API's message, status and X-Ovh-QueryID, plus a structured ``failure``), and
    secrets are scrubbed from the message, the failure and the warnings, on success as on failure.
    """

    def __init__(self, argument_spec, supports_check_mode=True, **kwargs):
        self._attach(AnsibleModule(argument_spec=with_connection_options(argument_spec),
                                   supports_check_mode=supports_check_mode, **kwargs))
        if not HAS_OVH:
            self.module.fail_json(msg=missing_required_lib("ovh"), exception=OVH_IMPORT_ERROR)

    @classmethod
    def wrapping(cls, module):
        """An OvhModule around an AnsibleModule built elsewhere (tests)."""
        self = cls.__new__(cls)
        self._attach(module)
        return self

    def _attach(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.report = RunReport()
        self.factory = OvhClientFactory(module.params)
        self._api = None
        self._us_api = None
        self._learnt_secrets = []

    # -- what the work below gets ---------------------------------------------------------------------------
    @property
    def endpoint(self):
        """The Endpoint, resolved once per run (OvhConfigError when none is set, EndpointError when it is bad)."""
        return self.factory.endpoint()

    @property
    def api(self):
        if self._api is None:
            self._api = OvhApi(self.factory.create(), secrets=self.factory.secrets(),
                               read_retry=ReadRetryPolicy())  # _timing.READ_RETRY_BUDGET
        return self._api

    def is_us_api(self):
        """Whether this is OVHcloud US; for a URL endpoint (the simulator, a proxy), the account tells, asked once."""
        if self._us_api is None:
            us = self.endpoint.us
            # OVHcloud US accounts live only on the US API.
            self._us_api = us if us is not None else (self.api.get("/me") or {}).get("ovhSubsidiary") == "US"
        return self._us_api

    def server_now(self):
        """The API's clock (python-ovh measures its offset once with GET /auth/time)."""
        delta = self.api.client.time_delta
        return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta)

    # -- the run ------------------------------------------------------------------------------------------------
    def run(self, work):
        try:
            result = work(self)
        except Exception as exc:  # pylint: disable=broad-except
            self.fail(exc)
        self.exit(**result)

    def add_secret(self, value, hide_in_result=True):
        """A secret learnt during the run (an OpenStack password, a termination token read from e-mail): scrubbed from messages and warnings, and, unless the
        result is meant to return it, from everything the module returns or logs (Ansible's no_log values)."""
        if value:
            self._learnt_secrets.append(value)
            no_log_values = getattr(self.module, "no_log_values", None)
            if hide_in_result and no_log_values is not None:
                no_log_values.add(value)

    def secrets(self):
        try:
            found = tuple(self.factory.secrets())
        except Exception:  # pylint: disable=broad-except
            found = ()
        return found + tuple(self._learnt_secrets)

    def _warn_all(self, secrets):
        for warning in self.report.warnings:
            self.module.warn(redact(warning, secrets))

    def exit(self, **result):
        self._warn_all(self.secrets())
        result["changed"] = self.report.changed
        self.module.exit_json(**result)

    def fail(self, exc, **result):
        """One failure shape: msg names the step, the API's message, status and X-Ovh-QueryID; never a secret."""
        secrets = self.secrets()
        msg, failure = describe_failure(exc, result, secrets)
        failure = dict((k, redact(v, secrets) if isinstance(v, str) else v) for k, v in failure.items())
        self._warn_all(secrets)
        result.setdefault("changed", self.report.changed)
        self.module.fail_json(msg=redact(msg, secrets), failure=failure, **result)


def describe_failure(exc, result, secrets):
    """(msg, failure) for any exception; fills ``result`` with the error's details (or a redacted traceback)."""
    if isinstance(exc, WorkflowError):
        failure = {"step": exc.step}
        if exc.api_error is not None:
            failure.update(exc.api_error.as_dict())
        result.update(exc.details)
        msg = exc.msg
        if exc.step not in msg and exc.step != Step.VALIDATE_INPUT:
            msg = "%s: %s" % (exc.step, msg)
        query_id = exc.api_error.query_id if exc.api_error is not None else None
        if query_id and query_id not in msg:
            msg = "%s (X-Ovh-QueryID: %s)" % (msg, query_id)
        return msg, failure
    if isinstance(exc, OvhApiError):
        return str(exc), exc.as_dict()
    if isinstance(exc, EndpointError):  # a bad endpoint value is bad input
        return str(exc), {"step": Step.VALIDATE_INPUT}
    if isinstance(exc, OvhConfigError):
        return "invalid connection settings: %s" % exc, {"step": Step.CONFIGURE_CLIENT}
    # an unexpected error: still one shape, and still no secret in the message or the traceback
    result["exception"] = redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), secrets)
    return "unexpected error: %s: %s" % (type(exc).__name__, exc), {"step": Step.UNEXPECTED_ERROR}
