# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_user: the OpenStack user of a project and its clouds.yaml entry, against the simulator (and its Keystone)."""

import os
import stat

import ovh
import pytest
import yaml

from conftest import DEMO_CREDENTIALS, run_playbook

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


def keystone_attempts(sim):
    """The password authentications Keystone got (POST /v3/auth/tokens), in order."""
    return sim.openstack_calls("identity", "POST", "/v3/auth/tokens")


def other_controller(sim):
    """A python-ovh client of the demo account, as another controller (or a script) would use the API."""
    client = ovh.Client(endpoint="ovh-eu", application_key=DEMO_CREDENTIALS["OVH_APPLICATION_KEY"],
                        application_secret=DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"],
                        consumer_key=DEMO_CREDENTIALS["OVH_CONSUMER_KEY"])
    client._endpoint = sim.base_url  # pylint: disable=protected-access
    return client


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


@pytest.mark.parametrize("layout", ["parent is a file", "path is a directory"])
def test_a_clouds_yaml_that_cannot_be_written_fails_before_any_api_write(sim, project_id, tmp_path, layout):
    if layout == "parent is a file":
        (tmp_path / "config").write_text("not a directory\n")
        clouds_yaml, named = str(tmp_path / "config" / "openstack" / "clouds.yaml"), str(tmp_path / "config")
    else:
        (tmp_path / "clouds.yaml").mkdir()
        clouds_yaml = named = str(tmp_path / "clouds.yaml")
    run = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml)
    assert run.result.get("failed") is True and run.result["changed"] is False, run.output
    assert named in run.result["msg"] and run.result["failure"]["step"] == "clouds.yaml", run.result["msg"]
    assert ("is a file" if layout == "parent is a file" else "is a directory") in run.result["msg"]
    assert writes(sim) == [] and sim.openstack_users(project_id) == []


def test_a_refused_creation_changes_nothing_and_names_its_step(sim, project_id):
    run = run_user(sim, project_id=project_id, description="ansible", roles=["admin"])  # not in the 2025 RoleEnum
    assert run.result.get("failed") is True and run.result["changed"] is False, run.output
    assert run.result["failure"]["step"] == "create user" and run.result["failure"]["status"] == 400
    assert "RoleEnum" in run.result["msg"] and "Nothing was created" in run.result["msg"]
    assert sim.openstack_users(project_id) == []
    newer = run_user(sim, project_id=project_id, description="ansible", roles=["key-manager_operator", "share_operator"])
    assert newer.result["changed"] is True and newer.result["user"]["roles"] == ["key-manager_operator", "share_operator"], newer.output


def test_one_user_in_two_regions_keeps_one_password_and_an_entry_can_list_regions(sim, project_id, tmp_path):
    clouds_yaml = str(tmp_path / "clouds.yaml")
    first = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="gra", region="GRA11")
    assert first.result["changed"] is True, first.output
    [user] = sim.openstack_users(project_id)
    writes_before = writes(sim)
    # a second entry for another region: the password comes from the first entry, nothing is regenerated
    second = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="sbg", region="SBG5")
    assert second.result["changed"] is True and not second.result.get("failed"), second.output
    both = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="both",
                    regions=["SBG5", "GRA11"])
    assert both.result["changed"] is True and not both.result.get("failed"), both.output
    assert writes(sim) == writes_before
    clouds = yaml.safe_load(read_bytes(clouds_yaml))["clouds"]
    assert [clouds[name]["auth"]["password"] for name in ("gra", "sbg", "both")] == [user["password"]] * 3
    assert clouds["sbg"]["region_name"] == "SBG5" and clouds["both"]["regions"] == ["SBG5", "GRA11"]
    assert "region_name" not in clouds["both"]
    # openstacksdk reads the list: the first region unless another is named
    import openstack.config
    config = openstack.config.OpenStackConfig(config_files=[clouds_yaml], vendor_files=[], load_envvars=False)
    assert config.get_one(cloud="both").region_name == "SBG5"
    assert config.get_one(cloud="both", region_name="GRA11").region_name == "GRA11"


def test_a_new_password_reaches_every_entry_of_the_user(sim, project_id, tmp_path):
    sim.config(user_updating_delay=0.5)
    [seeded] = sim.seed_openstack_users(project_id, {"description": "ansible"})
    clouds_yaml = tmp_path / "clouds.yaml"
    # an entry of the user whose password was blanked (to rotate it), and another cloud's entry
    stale = {"auth": {"auth_url": sim.keystone_url(), "username": seeded["username"], "password": ""}, "region_name": "GRA11"}
    clouds_yaml.write_text(yaml.safe_dump({"clouds": {"gra": stale, "other": OTHER_ENTRY}}, sort_keys=False))
    run = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=str(clouds_yaml), cloud_name="sbg",
                   region="SBG5", regenerate_password=True)
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    password = sim.openstack_user(project_id, seeded["id"])["password"]
    clouds = yaml.safe_load(read_bytes(clouds_yaml))["clouds"]
    assert clouds["gra"]["auth"]["password"] == password and clouds["sbg"]["auth"]["password"] == password
    assert clouds["gra"]["region_name"] == "GRA11" and clouds["other"] == OTHER_ENTRY
    assert any("gra" in warning for warning in run.result.get("warnings", [])), run.result
    # the module waited for ok after regeneratePassword, as terraform does: the user is ok when it returns
    assert run.result["user"]["status"] == "ok" and sim.openstack_user(project_id, seeded["id"])["status"] == "ok"
    regenerate = sim.calls("POST", r"/cloud/project/%s/user/%d/regeneratePassword" % (project_id, seeded["id"]))[0]
    polls = sim.calls("GET", r"/cloud/project/%s/user/%d" % (project_id, seeded["id"]))
    assert any(call["seq"] > regenerate["seq"] for call in polls)


def test_a_symlinked_clouds_yaml_stays_a_link_and_missing_directories_get_0700(sim, project_id, tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "clouds.yaml").write_text("# my clouds\nclouds:\n  other: &other\n    region_name: RegionOne\n")
    link = tmp_path / "home" / "clouds.yaml"
    link.parent.mkdir()
    link.symlink_to(dotfiles / "clouds.yaml")
    run = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=str(link), cloud_name="team-a")
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    assert os.path.islink(link) and os.readlink(link) == str(dotfiles / "clouds.yaml")
    assert list(yaml.safe_load((dotfiles / "clouds.yaml").read_text())["clouds"]) == ["other", "team-a"]
    assert any("comments or anchors" in warning for warning in run.result.get("warnings", [])), run.result
    deep = tmp_path / "a" / "b" / "c" / "clouds.yaml"
    again = run_user(sim, project_id=project_id, description="second", clouds_yaml=str(deep), cloud_name="team-a")
    assert again.result["changed"] is True and not again.result.get("warnings"), again.output
    assert [stat.S_IMODE(os.stat(tmp_path / path).st_mode) for path in ("a", "a/b", "a/b/c")] == [0o700] * 3


def test_regions_are_checked_and_the_default_runs_instances(sim, project_id, tmp_path):
    clouds_yaml = str(tmp_path / "clouds.yaml")
    unknown = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, region="GRA99")
    assert unknown.result.get("failed") is True and unknown.result["changed"] is False, unknown.output
    assert "GRA99" in unknown.result["msg"] and "GRA11, SBG5, BHS5" in unknown.result["msg"]
    assert unknown.result["failure"]["step"] == "check region" and writes(sim) == [] and not os.path.exists(clouds_yaml)
    sim.set_project_regions(project_id, ["GRA", "SBG5"])  # GRA: object storage only
    run = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml)
    assert run.result["changed"] is True, run.output
    assert yaml.safe_load(read_bytes(clouds_yaml))["clouds"]["team-a"]["region_name"] == "SBG5"
    sim.set_project_regions(project_id, ["GRA"])
    none = run_user(sim, project_id=project_id, description="other", clouds_yaml=clouds_yaml)
    assert none.result.get("failed") is True and "set region" in none.result["msg"], none.output
    assert len(sim.openstack_users(project_id)) == 1


def test_a_disabled_user_is_reported_not_adopted(sim, project_id):
    [seeded] = sim.seed_openstack_users(project_id, {"description": "ansible", "status": "disabled"})
    run = run_user(sim, project_id=project_id, description="ansible", wait_timeout=5)
    assert run.result.get("failed") is True and run.result["changed"] is False, run.output
    assert "disabled" in run.result["msg"] and str(seeded["id"]) in run.result["msg"]
    assert run.result["failure"]["step"] == "find user" and writes(sim) == []


def test_delete_ends_on_deleted_as_well_as_on_404(sim, project_id):
    sim.config(user_deleted_delay=60)  # the user stays listed as deleted for a minute
    sim.seed_openstack_users(project_id, {"description": "ansible"})
    run = run_user(sim, project_id=project_id, description="ansible", state="absent", wait_timeout=10)
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    assert [user["status"] for user in sim.openstack_users(project_id)] == ["deleted"]
    rerun = run_user(sim, project_id=project_id, description="ansible", state="absent")
    assert rerun.result["changed"] is False and len(sim.calls("DELETE", r"/cloud/project/.*")) == 1, rerun.output


def test_a_password_changed_elsewhere_fails_the_rerun_until_regenerate_password_rewrites_every_entry(sim, project_id, tmp_path):
    clouds_yaml = str(tmp_path / "clouds.yaml")
    assert run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="gra",
                    region="GRA11").result["changed"] is True
    assert keystone_attempts(sim) == []  # a user just created: its password is new, nothing to check
    # a second entry of the user: the password comes from the first entry, checked once against Keystone
    second = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="sbg", region="SBG5")
    assert second.result["changed"] is True and not second.result.get("failed"), second.output
    [user] = sim.openstack_users(project_id)
    [attempt] = keystone_attempts(sim)
    assert attempt["status"] == 201 and attempt["query"] == {"nocatalog": ""}
    assert attempt["body"]["auth"] == {
        "identity": {"methods": ["password"], "password": {"user": {"name": user["username"], "domain": {"name": "Default"},
                                                                    "password": user["password"]}}},
        "scope": {"project": {"id": project_id}}}

    # another controller regenerates the password through the API: the file's password no longer authenticates
    old = user["password"]
    other_controller(sim).post("/cloud/project/%s/user/%d/regeneratePassword" % (project_id, user["id"]))
    elsewhere = sim.openstack_user(project_id, user["id"])["password"]
    before, writes_before = read_bytes(clouds_yaml), writes(sim)
    stale = run_user(sim, verbosity=3, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml,
                     cloud_name="gra", region="GRA11")
    assert stale.result.get("failed") is True and stale.result["changed"] is False, stale.output
    assert stale.result["failure"]["step"] == "verify password", stale.result
    assert "%s (entry gra)" % clouds_yaml in stale.result["msg"] and "401" in stale.result["msg"]
    assert "regenerate_password: true" in stale.result["msg"] and "every entry" in stale.result["msg"]
    assert old not in stale.output and elsewhere not in stale.output, "a password leaked at -vvv"
    assert writes(sim) == writes_before and read_bytes(clouds_yaml) == before
    assert [call["status"] for call in keystone_attempts(sim)] == [201, 401]
    # check mode: the check is a read, it runs and fails the same way
    check = run_user(sim, check=True, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml,
                     cloud_name="gra", region="GRA11")
    assert check.result.get("failed") is True and check.result["failure"]["step"] == "verify password", check.output
    # verify_password: false: no Keystone call, the entry kept as it is
    unchecked = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="gra",
                         region="GRA11", verify_password=False)
    assert unchecked.result["changed"] is False and not unchecked.result.get("failed"), unchecked.output
    assert [call["status"] for call in keystone_attempts(sim)] == [201, 401, 401]
    assert writes(sim) == writes_before and read_bytes(clouds_yaml) == before

    # regenerate_password: a new password, written to both entries of the user
    fixed = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="gra",
                     region="GRA11", regenerate_password=True)
    assert fixed.result["changed"] is True and not fixed.result.get("failed"), fixed.output
    assert writes(sim)[len(writes_before):] == [("POST", "/cloud/project/%s/user/%d/regeneratePassword" % (project_id, user["id"]))]
    password = sim.openstack_user(project_id, user["id"])["password"]
    assert password not in (old, elsewhere) and password not in fixed.output
    clouds = yaml.safe_load(read_bytes(clouds_yaml))["clouds"]
    assert clouds["gra"]["auth"]["password"] == clouds["sbg"]["auth"]["password"] == password
    assert any("sbg" in warning for warning in fixed.result.get("warnings", [])), fixed.result
    assert [call["status"] for call in keystone_attempts(sim)] == [201, 401, 401, 401]

    # a plain rerun: one Keystone authentication, accepted, and no write
    before, writes_before = read_bytes(clouds_yaml), writes(sim)
    rerun = run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml, cloud_name="gra", region="GRA11")
    assert rerun.result["changed"] is False and not rerun.result.get("failed") and not rerun.result.get("warnings"), rerun.output
    assert writes(sim) == writes_before and read_bytes(clouds_yaml) == before
    assert [call["status"] for call in keystone_attempts(sim)] == [201, 401, 401, 401, 201]
    assert keystone_attempts(sim)[-1]["body"]["auth"]["identity"]["password"]["user"]["password"] == password


@pytest.mark.parametrize("fault", [{"kind": "drop"}, {"status": 503, "body": {"error": {
    "code": 503, "message": "Service Unavailable", "title": "Service Unavailable"}}}], ids=["connection dropped", "503"])
def test_keystone_down_or_failing_warns_and_the_rerun_stays_a_no_op(sim, project_id, tmp_path, fault):
    clouds_yaml = str(tmp_path / "clouds.yaml")
    assert run_user(sim, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml).result["changed"] is True
    [user] = sim.openstack_users(project_id)
    before, writes_before = read_bytes(clouds_yaml), writes(sim)
    sim.fault(method="POST", path="^/v3/auth/tokens$", **fault)
    run = run_user(sim, verbosity=3, project_id=project_id, description="ansible", clouds_yaml=clouds_yaml)
    assert run.result["changed"] is False and not run.result.get("failed"), run.output
    [warning] = run.result["warnings"]
    assert "could not check" in warning and "%s (entry team-a)" % clouds_yaml in warning and "verify_password: false" in warning
    assert ("503" in warning) == ("status" in fault), warning
    assert user["password"] not in run.output
    assert writes(sim) == writes_before and read_bytes(clouds_yaml) == before
    assert [call["status"] for call in keystone_attempts(sim)] == [fault.get("status")]
