# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A read-only module's work run in the action plugin's process: only the modules that declare it, the arguments
checked as AnsibleModule checks them, and no secret in the result."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhConfigError
from ansible_collections.ovhcloud.public_cloud.plugins.modules import public_cloud_project_info
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._in_process import in_process_work, run_in_process

SECRETS = {"application_key": "ak", "application_secret": "the-secret-as", "consumer_key": "the-secret-ck"}


def spec():
    return {"name": {"type": "str"}, "count": {"type": "int", "default": 3}}


def test_only_the_modules_that_declare_a_work_run_here():
    assert in_process_work("ovhcloud.public_cloud.public_cloud_project_info") == (
        public_cloud_project_info.argument_spec, public_cloud_project_info.project_info)
    assert in_process_work("ovhcloud.public_cloud.public_cloud_project") is None  # it writes: never here
    assert in_process_work("ovhcloud.public_cloud.no_such_module") is None
    assert in_process_work("community.general.public_cloud_project_info") is None


def test_the_work_gets_the_checked_arguments_and_its_result_has_no_secret():
    seen = {}

    def work(module):
        seen.update(module.params, check_mode=module.check_mode)
        module.report.warn("read with %s" % module.params["consumer_key"])
        return {"echo": "the key is the-secret-ck", "name": module.params["name"]}

    result = run_in_process(spec, work, dict(SECRETS, name="p", count="7"), check_mode=True)
    assert seen["count"] == 7 and seen["name"] == "p" and seen["check_mode"] is True  # converted as AnsibleModule does
    assert result["changed"] is False and result["name"] == "p"
    assert "the-secret-ck" not in repr(result) and result["echo"] == "the key is ********"
    assert result["warnings"] == ["read with ********"]


def test_bad_arguments_fail_before_the_work_runs():
    ran = []
    result = run_in_process(spec, ran.append, dict(SECRETS, count="many", bogus=1), check_mode=False)
    assert ran == [] and result["failed"] is True
    assert "count" in result["msg"] and "bogus" in result["msg"] and "the-secret" not in repr(result)


def test_a_failure_of_the_work_has_the_module_failure_shape_without_secrets():
    def work(module):
        raise OvhConfigError("consumer key the-secret-ck refused")

    result = run_in_process(spec, work, dict(SECRETS), check_mode=False)
    assert result["failed"] is True and result["failure"] == {"step": "configure client"}
    assert result["msg"] == "invalid connection settings: consumer key ******** refused"
