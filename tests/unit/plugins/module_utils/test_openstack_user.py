# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OpenStackUsers, OpenStackUserRun, ProjectRegions: the decisions the integration tests do not reach (duplicates,
unknown roles, the password, an entry that cannot be written after the user was created)."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._clouds_entry import masked
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError, OvhApiError, WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openstack_region import ProjectRegions
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openstack_user_run import OpenStackUserRun, ensure_openstack_user
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import RunReport

from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import PID, FakeApi

BASE = "/cloud/project/%s" % PID
OPENRC = ('export OS_AUTH_URL=https://auth.example/v3\nexport OS_TENANT_ID=%s\nexport OS_USERNAME="user-7"\n' % PID)


def params(**changes):
    values = dict(project_id=PID, description="ansible", roles=["administrator"], state="present", region=None, regions=None,
                  clouds_yaml=None, cloud_name=None, regenerate_password=False, return_password=False, wait=True, wait_timeout=5)
    values.update(changes)
    return values


class Learnt(list):
    def __call__(self, value, hide_in_result=True):
        self.append((value, hide_in_result))


def run(api, check_mode=False, **changes):
    """(OpenStackUserRun, its report, the secrets it learnt)."""
    report, learnt = RunReport(), Learnt()
    return OpenStackUserRun(api, report, check_mode, params(**changes), learnt), report, learnt


def user(user_id, description="ansible", roles=("administrator",), status="ok"):
    return {"id": user_id, "username": "user-%d" % user_id, "description": description, "status": status,
            "roles": [{"id": "id-" + name, "name": name} for name in roles], "creationDate": "2026-11-23T15:00:00+00:00"}


def test_two_users_with_the_description_fail_naming_them_and_write_nothing():
    api = FakeApi({"GET %s/user" % BASE: [user(1), user(2), user(3, description="other"), user(4, status="deleting")]})
    with pytest.raises(WorkflowError, match=r"2 users .* \(ids 1, 2\)"):
        run(api)[0].present()
    assert [call[0] for call in api.calls] == ["GET"]


def test_an_unknown_role_name_fails_naming_the_known_ones():
    api = FakeApi({"GET %s/user" % BASE: [user(1)],
                   "GET %s/role" % BASE: {"roles": [{"id": "a", "name": "administrator"}, {"id": "c", "name": "compute_operator"}],
                                          "services": []}})
    with pytest.raises(WorkflowError, match="unknown role nope; the project's roles are: administrator, compute_operator"):
        run(api, roles=["compute_operator", "nope"])[0].present()
    assert not [call for call in api.calls if call[0] != "GET"]


def test_same_roles_in_another_order_change_nothing():
    api = FakeApi({"GET %s/user" % BASE: [user(1, roles=("compute_operator", "administrator"))]})
    ensurer, report, _learnt = run(api, roles=["administrator", "compute_operator"])
    result = ensurer.present()
    assert report.changed is False and result["user"]["roles"] == ["compute_operator", "administrator"]


def test_a_created_users_password_is_a_secret_and_returned_only_when_asked():
    answers = {"GET %s/user" % BASE: [], "POST %s/user" % BASE: dict(user(7), password="s3cret-password")}
    ensurer, report, learnt = run(FakeApi(answers))
    result = ensurer.present()
    assert report.changed is True and "password" not in result and "s3cret-password" not in repr(result)
    assert learnt == [("s3cret-password", True)]
    asked, _report, asked_learnt = run(FakeApi(answers), return_password=True)
    assert asked.present()["password"] == "s3cret-password" and asked_learnt == [("s3cret-password", False)]


def test_a_refused_creation_is_not_a_change():
    refused = OvhApiError("POST", BASE + "/user", "[roles[0]] Given data (\"admin\") does not belong", status=400)
    ensurer, report, _learnt = run(FakeApi({"GET %s/user" % BASE: [], "POST %s/user" % BASE: refused}), roles=["admin"])
    with pytest.raises(WorkflowError, match="Nothing was created") as failure:
        ensurer.present()
    assert failure.value.step == "create user" and report.changed is False


def entry_failing_after_creation(tmp_path, delete_answer):
    """A run whose clouds.yaml passes the checks, then cannot be written (its directory replaced by a file)."""
    path = tmp_path / "dir" / "clouds.yaml"
    path.parent.mkdir()

    def created(_body):
        path.parent.rmdir()
        path.parent.write_text("now a file\n")
        return dict(user(7), password="s3cret-password")
    api = FakeApi({"GET %s/user" % BASE: [], "POST %s/user" % BASE: created, "GET %s/region" % BASE: ["GRA11"],
                   "GET %s/region/GRA11" % BASE: {"name": "GRA11", "services": [{"name": "instance"}]},
                   "GET %s/user/7/openrc" % BASE: {"content": OPENRC}, "DELETE %s/user/7" % BASE: delete_answer})
    return api, run(api, clouds_yaml=str(path), cloud_name="mine")


def test_an_entry_that_cannot_be_written_after_creation_deletes_the_user_again(tmp_path):
    api, (ensurer, report, _learnt) = entry_failing_after_creation(tmp_path, None)
    with pytest.raises(WorkflowError, match="deleted again") as failure:
        ensurer.present()
    assert failure.value.step == "clouds.yaml" and report.changed is False
    assert [(call[0], call[1]) for call in api.calls if call[0] != "GET"] == [("POST", BASE + "/user"), ("DELETE", BASE + "/user/7")]


def test_when_the_user_cannot_be_deleted_either_the_failure_says_what_exists_and_how_to_recover(tmp_path):
    refused = OvhApiError("DELETE", BASE + "/user/7", "Internal server error", status=500)
    _api, (ensurer, report, _learnt) = entry_failing_after_creation(tmp_path, refused)
    with pytest.raises(WorkflowError, match=r"User 7 \(username user-7\) was created .* regenerate_password: true") as failure:
        ensurer.present()
    assert report.changed is True and failure.value.details["user"]["id"] == 7


def test_the_default_region_is_the_first_that_runs_instances():
    api = FakeApi({"GET %s/region" % BASE: ["GRA", "SBG5", "BHS5"],
                   "GET %s/region/GRA" % BASE: {"name": "GRA", "services": [{"name": "storage"}]},
                   "GET %s/region/SBG5" % BASE: {"name": "SBG5", "services": [{"name": "storage"}, {"name": "instance"}]}})
    assert ProjectRegions(api, PID).choose(None) == ["SBG5"]
    assert [call[1] for call in api.calls] == [BASE + "/region", BASE + "/region/GRA", BASE + "/region/SBG5"]
    with pytest.raises(WorkflowError, match="no region GRA99; its regions are: GRA, SBG5, BHS5"):
        ProjectRegions(api, PID).choose(["SBG5", "GRA99"])


class Module:
    def __init__(self, **changes):
        self.params = params(**changes)
        self.api = FakeApi()


@pytest.mark.parametrize("changes, message", [
    (dict(wait_timeout=-1), "wait_timeout is -1 seconds"),
    (dict(wait_timeout=86401), "between 0 and 86400"),
    (dict(project_id="../me"), "is not a project id"),
    (dict(regions=[]), "regions is an empty list"),
])
def test_bad_input_fails_before_any_call(changes, message):
    module = Module(**changes)
    with pytest.raises(InputError, match=message):
        ensure_openstack_user(module)
    assert module.api.calls == []


def test_masked_hides_only_the_password():
    entry = {"auth": {"username": "u", "password": "p"}, "region_name": "GRA11"}
    assert masked(entry) == {"auth": {"username": "u", "password": "********"}, "region_name": "GRA11"}
    assert entry["auth"]["password"] == "p" and masked(None) is None
