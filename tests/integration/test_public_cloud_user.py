# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_user: the OpenStack user of a project and its clouds.yaml entry, against the simulator (and its Keystone)."""

import os
import stat

import pytest
import yaml

from conftest import run_playbook

NIC = "xx1111-ovh"
WRITES = ("POST", "PUT", "DELETE")
OTHER_ENTRY = {"auth": {"auth_url": "https://keystone.example/v3", "username": "someone", "password": "not-ours-0123"},
               "region_name": "RegionOne"}


def run_user(sim, check=False, diff=False, verbosity=0, **module_args):
    run = run_playbook(sim, "user.yml", {"module_args": module_args}, check=check, diff=diff, verbosity=verbosity)
    assert run.result is not None, "playbook did not save a result:\n%s" % run.output
    return run


def writes(sim):
    return [(e["method"], e["path"]) for e in sim.journal() if e["method"] in WRITES]


def read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


@pytest.fixture(name="project_id")
def project_fixture(sim):
    sim.config(user_creating_delay=0.3, user_deleting_delay=0.3)
    return sim.seed_projects(NIC, [{"description": "team-a"}])[0]


@pytest.fixture(name="clouds_yaml")
def clouds_yaml_fixture(tmp_path):
    """A clouds.yaml that already has another entry, and a top-level key of its own."""
    path = tmp_path / "openstack" / "clouds.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump({"clouds": {"other": OTHER_ENTRY}, "cache": {"expiration_time": 60}}, sort_keys=False))
    os.chmod(path, 0o644)
    return str(path)


def test_create_rerun_change_roles_and_delete(sim, project_id, clouds_yaml):
    created = run_user(sim, verbosity=3, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml)
    result = created.result
    assert result["changed"] is True and not result.get("failed"), created.output
    [user] = sim.openstack_users(project_id)
    assert user["status"] == "ok" and user["roles"] == ["administrator"]
    assert user["password"] not in created.output, "the password leaked at -vvv"
    assert result["user"] == {"id": user["id"], "username": user["username"], "description": "ansible", "status": "ok",
                              "roles": ["administrator"], "creation_date": result["user"]["creation_date"]}
    assert result["cloud_name"] == "team-a" and result["clouds_yaml"] == clouds_yaml and "password" not in result
    assert sim.calls("POST", r"/cloud/project/%s/user" % project_id)[0]["body"] == {"description": "ansible", "roles": ["administrator"]}
    # the file: mode 0600, our entry (cloud_name defaults to the project's description), the rest kept in its order
    assert stat.S_IMODE(os.stat(clouds_yaml).st_mode) == 0o600
    data = yaml.safe_load(read_bytes(clouds_yaml))
    assert list(data) == ["clouds", "cache"] and list(data["clouds"]) == ["other", "team-a"]
    assert data["clouds"]["other"] == OTHER_ENTRY and data["cache"] == {"expiration_time": 60}
    assert data["clouds"]["team-a"] == {
        "auth": {"auth_url": sim.keystone_url(), "username": user["username"], "password": user["password"],
                 "project_id": project_id, "user_domain_name": "Default", "project_domain_name": "Default"},
        "region_name": "GRA11", "interface": "public", "identity_api_version": 3}
    assert not [name for name in os.listdir(os.path.dirname(clouds_yaml)) if name != "clouds.yaml"], "temporary file left"

    # a rerun: nothing to change, no write to the API, the file's bytes unchanged
    before, writes_before = read_bytes(clouds_yaml), writes(sim)
    rerun = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml)
    assert rerun.result["changed"] is False and not rerun.result.get("failed"), rerun.output
    assert writes(sim) == writes_before and read_bytes(clouds_yaml) == before

    # roles change: PUT with the role ids the API lists; the entry stays as it is
    roles = run_user(sim, diff=True, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml,
                     roles=["compute_operator", "network_operator"])
    assert roles.result["changed"] is True and roles.result["user"]["roles"] == ["compute_operator", "network_operator"], roles.output
    ids = sim.openstack_roles()
    assert sim.calls("GET", r"/cloud/project/%s/role" % project_id)
    put = sim.calls("PUT", r"/cloud/project/%s/user/%d/role" % (project_id, user["id"]))
    assert [call["body"] for call in put] == [{"rolesIds": [ids["compute_operator"], ids["network_operator"]]}]
    assert sim.openstack_user(project_id, user["id"])["roles"] == ["compute_operator", "network_operator"]
    assert read_bytes(clouds_yaml) == before
    assert user["password"] not in roles.output and "********" in roles.output  # the diff shows the entry, masked

    # absent in check mode: reported, nothing deleted, the file untouched
    writes_before = writes(sim)
    check = run_user(sim, check=True, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, state="absent")
    assert check.result["changed"] is True and writes(sim) == writes_before and read_bytes(clouds_yaml) == before
    # absent: the user is deleted and waited for, the entry removed, the others kept
    absent = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, state="absent")
    assert absent.result["changed"] is True and absent.result["user"] is None, absent.output
    assert [u["id"] for u in absent.result["deleted_users"]] == [user["id"]]
    assert sim.openstack_users(project_id) == []
    assert yaml.safe_load(read_bytes(clouds_yaml)) == {"clouds": {"other": OTHER_ENTRY}, "cache": {"expiration_time": 60}}


def test_existing_user_without_entry_fails_then_regenerate_password_and_openstacksdk_authenticates(sim, project_id, tmp_path):
    [seeded] = sim.seed_openstack_users(project_id, {"description": "ansible", "roles": ["administrator"]})
    clouds_yaml = str(tmp_path / "clouds.yaml")
    failed = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="team-a-user")
    assert failed.result.get("failed") is True and failed.result["changed"] is False, failed.output
    assert "regenerate_password: true" in failed.result["msg"]
    assert writes(sim) == [] and not os.path.exists(clouds_yaml)

    fixed = run_user(sim, verbosity=3, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml,
                     cloud_name="team-a-user", region="SBG5", regenerate_password=True)
    assert fixed.result["changed"] is True and not fixed.result.get("failed"), fixed.output
    assert writes(sim) == [("POST", "/cloud/project/%s/user/%d/regeneratePassword" % (project_id, seeded["id"]))]
    password = sim.openstack_user(project_id, seeded["id"])["password"]
    assert password != seeded["password"] and password not in fixed.output
    entry = yaml.safe_load(read_bytes(clouds_yaml))["clouds"]["team-a-user"]
    assert entry["auth"]["password"] == password and entry["region_name"] == "SBG5"
    # the entry is there now: a rerun with regenerate_password keeps it (no new password)
    again = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="team-a-user",
                     region="SBG5", regenerate_password=True)
    assert again.result["changed"] is False and len(writes(sim)) == 1, again.output

    # openstacksdk reads the written file and gets a token from the simulator's Keystone with it
    import openstack.config  # a test requirement (test-requirements.txt): imported here, the only test that needs it
    import openstack.connection
    config = openstack.config.OpenStackConfig(config_files=[clouds_yaml], vendor_files=[], load_envvars=False)
    cloud = openstack.connection.Connection(config=config.get_one(cloud="team-a-user"))
    assert cloud.authorize()
    assert cloud.current_project_id == project_id


@pytest.mark.core_matrix
def test_check_mode_creates_nothing_and_diff_masks_the_password(sim, project_id, clouds_yaml):
    before = read_bytes(clouds_yaml)
    check = run_user(sim, check=True, diff=True, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml)
    assert check.result["changed"] is True and not check.result.get("failed"), check.output
    assert writes(sim) == [] and sim.openstack_users(project_id) == [] and read_bytes(clouds_yaml) == before
    assert check.result["user"]["id"] is None and check.result["user"]["roles"] == ["administrator"]
    assert check.result["diff"]["after"]["clouds_yaml_entry"]["auth"]["password"] == "********"


def test_return_password_when_asked(sim, project_id):
    run = run_user(sim, project_id=project_id, description="ci", roles=["compute_operator"], return_password=True, wait=False)
    assert run.result["changed"] is True, run.output
    [user] = sim.openstack_users(project_id)
    assert run.result["password"] == user["password"] and run.result["clouds_yaml"] is None
