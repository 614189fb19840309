# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OpenStackUserEnsurer: the decisions the integration tests do not reach (duplicates, unknown roles, the password)."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openstack_user import OpenStackUserEnsurer, masked
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport

from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, FakeApi

BASE = "/cloud/project/%s" % PID


class StubModule:
    """What the ensurer uses of an OvhModule."""

    def __init__(self, api, check_mode=False, **params):
        self.api = api
        self.report = RunReport()
        self.check_mode = check_mode
        self.params = dict(project_id=PID, description="ansible", roles=["administrator"], state="present", region=None,
                           clouds_yaml=None, cloud_name=None, regenerate_password=False, return_password=False, wait=True,
                           wait_timeout=5)
        self.params.update(params)
        self.secrets = []

    def add_secret(self, value, hide_in_result=True):
        self.secrets.append((value, hide_in_result))


def user(user_id, description="ansible", roles=("administrator",), status="ok"):
    return {"id": user_id, "username": "user-%d" % user_id, "description": description, "status": status,
            "roles": [{"id": "id-" + name, "name": name} for name in roles], "creationDate": "2026-11-23T15:00:00+00:00"}


def test_two_users_with_the_description_fail_naming_them_and_write_nothing():
    api = FakeApi({"GET %s/user" % BASE: [user(1), user(2), user(3, description="other"), user(4, status="deleting")]})
    with pytest.raises(WorkflowError, match=r"2 users .* \(ids 1, 2\)"):
        OpenStackUserEnsurer(StubModule(api)).present()
    assert [call[0] for call in api.calls] == ["GET"]


def test_an_unknown_role_name_fails_naming_the_known_ones():
    api = FakeApi({"GET %s/user" % BASE: [user(1)],
                   "GET %s/role" % BASE: {"roles": [{"id": "a", "name": "administrator"}, {"id": "c", "name": "compute_operator"}],
                                          "services": []}})
    with pytest.raises(WorkflowError, match="unknown role nope; the project's roles are: administrator, compute_operator"):
        OpenStackUserEnsurer(StubModule(api, roles=["compute_operator", "nope"])).present()
    assert not [call for call in api.calls if call[0] != "GET"]


def test_same_roles_in_another_order_change_nothing():
    api = FakeApi({"GET %s/user" % BASE: [user(1, roles=("compute_operator", "administrator"))]})
    module = StubModule(api, roles=["administrator", "compute_operator"])
    result = OpenStackUserEnsurer(module).present()
    assert module.report.changed is False and result["user"]["roles"] == ["compute_operator", "administrator"]


def test_a_created_users_password_is_a_secret_and_returned_only_when_asked():
    answers = {"GET %s/user" % BASE: [], "POST %s/user" % BASE: dict(user(7), password="s3cret-password")}
    module = StubModule(FakeApi(answers))
    result = OpenStackUserEnsurer(module).present()
    assert module.report.changed is True and "password" not in result and "s3cret-password" not in repr(result)
    assert module.secrets == [("s3cret-password", True)]
    asked = StubModule(FakeApi(answers), return_password=True)
    assert OpenStackUserEnsurer(asked).present()["password"] == "s3cret-password"
    assert asked.secrets == [("s3cret-password", False)]


def test_masked_hides_only_the_password():
    entry = {"auth": {"username": "u", "password": "p"}, "region_name": "GRA11"}
    assert masked(entry) == {"auth": {"username": "u", "password": "********"}, "region_name": "GRA11"}
    assert entry["auth"]["password"] == "p" and masked(None) is None
