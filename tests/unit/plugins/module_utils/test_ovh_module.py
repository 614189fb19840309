# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OvhModule owns a run: one failure shape, secrets scrubbed from messages, failures and warnings."""

from __future__ import annotations

import json

import pytest

import ovh.exceptions as ovh_exceptions

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import REDACTED
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._credentials import ovh_argument_spec
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import EndpointError, InputError, OvhApiError, OvhConfigError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    AK, AS, CK, CSECRET, PATH, QUERY_ID, FakeResponse, api_error, assert_no_secret, leaky_message,
)


class FailJson(Exception):
    pass


class FakeAnsibleModule:
    """Holds params like AnsibleModule (env fallbacks applied) and captures fail_json."""

    def __init__(self, **options):
        self.params = ArgumentSpecValidator(ovh_argument_spec()).validate(dict(options)).validated_parameters
        self.check_mode = False
        self.failed = None
        self.exited = None
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)

    def exit_json(self, **kwargs):
        self.exited = kwargs

    def fail_json(self, **kwargs):
        self.failed = kwargs
        raise FailJson()


def fail_output(module, exc, **result):
    with pytest.raises(FailJson):
        OvhModule.wrapping(module).fail(exc, **result)
    return module.failed


def every_source_module(monkeypatch, ovh_conf):
    """AS as an option, CK from the environment, the OAuth2 secret in ovh.conf."""
    monkeypatch.setenv("OVH_CONSUMER_KEY", CK)
    ovh_conf("[ovh-eu]\nclient_secret=%s\n" % CSECRET)
    return FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS)


def test_module_fail_redacts_api_error(monkeypatch, ovh_conf):
    module = every_source_module(monkeypatch, ovh_conf)
    exc = ovh_exceptions.APIError(leaky_message(), response=FakeResponse(400, {"message": leaky_message(), "class": "Client::BadRequest"}))
    error = api_error(exc, secrets=())  # an OvhApi built without secrets: fail() must still scrub
    assert AS in str(error)
    output = fail_output(module, error, changed=False)
    assert_no_secret(json.dumps(output))
    assert output["failure"]["status"] == 400
    assert output["failure"]["query_id"] == QUERY_ID
    assert output["failure"]["method"] == "POST"
    assert REDACTED in output["msg"]
    assert output["changed"] is False


def test_module_fail_redacts_workflow_error(monkeypatch, ovh_conf):
    module = every_source_module(monkeypatch, ovh_conf)
    inner = OvhApiError("POST", PATH, leaky_message(), status=403, query_id=QUERY_ID, error_code="Client::Forbidden")
    exc = WorkflowError("checkout", "checkout was refused: %s" % inner, api_error=inner, order_id=12)
    output = fail_output(module, exc, changed=False)
    assert_no_secret(json.dumps(output))
    assert output["failure"]["step"] == "checkout"
    assert output["failure"]["status"] == 403
    assert output["failure"]["error_code"] == "Client::Forbidden"
    assert output["order_id"] == 12
    assert output["msg"].startswith("checkout was refused: POST %s failed" % PATH)


def test_module_fail_redacts_config_error(monkeypatch, ovh_conf):
    module = every_source_module(monkeypatch, ovh_conf)
    output = fail_output(module, OvhConfigError("bad value %s for consumer_key" % CK))
    assert_no_secret(json.dumps(output))
    assert output["failure"] == {"step": "configure client"}
    assert output["msg"].startswith("invalid connection settings: ")


def test_module_fail_prefixes_step_except_for_input_errors():
    module = FakeAnsibleModule(endpoint="ovh-eu")
    assert fail_output(module, WorkflowError("wait for order", "order 7 was cancelled"))["msg"] == "wait for order: order 7 was cancelled"
    assert fail_output(module, InputError("name is empty"))["msg"] == "name is empty"
    assert fail_output(module, InputError("name is empty"))["failure"] == {"step": "validate input"}


def test_module_fail_turns_unknown_exceptions_into_one_shape_without_secrets():
    module = FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    try:
        raise KeyError("bug near %s and %s" % (AS, CK))
    except KeyError as exc:
        with pytest.raises(FailJson):
            OvhModule.wrapping(module).fail(exc)
    assert module.failed["failure"] == {"step": "unexpected error"}
    assert "unexpected error: KeyError" in module.failed["msg"]
    assert "KeyError" in module.failed["exception"]
    for secret in (AS, CK):
        assert secret not in module.failed["msg"]
        assert secret not in module.failed["exception"]


def test_module_api_carries_every_secret(monkeypatch):
    monkeypatch.setenv("OVH_CONSUMER_KEY", CK)
    module = FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS)
    api = OvhModule.wrapping(module).api
    # the client signs with the module's options and the environment's consumer key, on the named endpoint
    client = vars(api.client)
    assert [client[k] for k in ("_endpoint", "_application_key", "_application_secret", "_consumer_key")] == [
        "https://eu.api.ovh.com/1.0", AK, AS, CK]
    assert set(api.secrets) == {AS, CK}


def test_empty_consumer_key_is_a_config_error_without_secret():
    """python-ovh would only fail at the first call (InvalidKey); the factory refuses first, secret-free."""
    module = FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key="")
    ovh_module = OvhModule.wrapping(module)
    with pytest.raises(OvhConfigError) as err:
        ovh_module.api.get("/me")
    assert "consumer_key" in str(err.value)
    assert AS not in str(err.value)
    output = fail_output(module, err.value)
    assert "missing credentials: consumer_key" in output["msg"]
    assert AS not in json.dumps(output)


def test_module_fail_reports_a_bad_endpoint_as_bad_input():
    output = fail_output(FakeAnsibleModule(endpoint="ovh-eu"), EndpointError("endpoint 'nope' is not known: use one of ..."))
    assert output["failure"] == {"step": "validate input"}
    assert output["msg"] == "endpoint 'nope' is not known: use one of ..."


def run_work(outcome):
    """Run work that reports a change and a warning holding the consumer key, then returns or raises ``outcome``."""
    module = FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)

    def work(owner):
        owner.report.changed = True
        owner.report.warn("cart of %s left" % CK)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    try:
        OvhModule.wrapping(module).run(work)
    except FailJson:
        pass
    return module


def test_run_exits_with_changed_and_redacted_warnings_from_the_report():
    module = run_work({"project": None})
    assert module.exited == {"project": None, "changed": True}
    assert module.warnings == ["cart of %s left" % REDACTED]


def test_run_fails_with_changed_and_redacted_warnings_when_work_raises():
    module = run_work(WorkflowError("wait for order", "order 7 was cancelled", order_id=7))
    assert module.exited is None
    assert module.failed["changed"] is True
    assert module.failed["order_id"] == 7
    assert module.warnings == ["cart of %s left" % REDACTED]


def test_endpoint_is_resolved_once_per_run():
    module = FakeAnsibleModule(endpoint="ovh-us", application_key=AK, application_secret=AS, consumer_key=CK)
    run = OvhModule.wrapping(module)
    first = run.endpoint
    module.params["endpoint"] = "ovh-eu"  # never read again
    assert run.endpoint is first
    assert run.is_us_api() is True
    assert run.api.client._endpoint == "https://api.us.ovhcloud.com/1.0"  # pylint: disable=protected-access


def test_module_api_retries_reads_within_a_budget():
    module = FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    api = OvhModule.wrapping(module).api
    assert api.read_retry is not None
    assert 0 < api.read_retry.deadline.remaining() <= 120


def test_a_secret_learnt_during_the_run_is_scrubbed_like_a_no_log_option():
    module = FakeAnsibleModule(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK)
    module.no_log_values = set()
    run = OvhModule.wrapping(module)
    run.add_secret("Tok3nFromMail")
    run.add_secret(None)
    assert module.no_log_values == {"Tok3nFromMail"}
    assert "Tok3nFromMail" in run.secrets()
    with pytest.raises(FailJson):
        run.fail(WorkflowError("confirm termination", "token Tok3nFromMail refused"))
    assert "Tok3nFromMail" not in module.failed["msg"]
