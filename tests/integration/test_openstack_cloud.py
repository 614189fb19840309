# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""openstack.cloud modules (auth, image_info) with only `cloud: <name>`, through the clouds.yaml entry that
public_cloud_user writes, against the simulator's Keystone and image listing (tests/simulator/ovh_api_simulator/
keystone.py, glance.py). openstack.cloud comes from `make openstack-cloud`; openstacksdk is pinned below 4.15 in
test-requirements.txt (openstack.cloud 2.5 reads openstack.version, which openstacksdk 4.15 no longer imports)."""

import pytest
import yaml

from conftest import openstack_cloud_env, run_playbook

from ovh_api_simulator.glance import PUBLIC_IMAGES

WRITES = ("POST", "PUT", "DELETE")


def run(sim, tmp_path, clouds_yaml, **env):
    """openstack_cloud.yml for the project team-a, with an empty HOME (no ~/.config/openstack/clouds.yaml)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    result = run_playbook(sim, "openstack_cloud.yml", {"project_name": "team-a", "cloud_name": "team-a", "clouds_yaml": clouds_yaml},
                          env=dict(openstack_cloud_env(), HOME=str(home), **env))
    assert result.rc == 0 and result.result is not None, result.output
    return result


@pytest.mark.core_matrix
def test_openstack_cloud_authenticates_and_lists_images_through_the_entry(sim, tmp_path):
    sim.config(user_creating_delay=0.3)
    clouds_yaml = str(tmp_path / "openstack" / "clouds.yaml")  # not where openstacksdk looks by itself

    # without OS_CLIENT_CONFIG_FILE openstacksdk does not read that file: the cloud is unknown, Keystone is never asked
    first = run(sim, tmp_path, clouds_yaml)
    assert first.result["project"]["changed"] and first.result["user"]["changed"], first.output
    for task in ("auth", "images"):
        assert first.result[task]["failed"] and first.result[task]["msg"] == "Cloud team-a was not found.", first.output
    assert sim.openstack_journal() == []

    # with it: the project and the user are as they were (no API write), and both modules work through the entry
    project_id = first.result["project"]["project"]["project_id"]
    [user] = sim.openstack_users(project_id)
    writes_before = [e for e in sim.journal() if e["method"] in WRITES]
    second = run(sim, tmp_path, clouds_yaml, OS_CLIENT_CONFIG_FILE=clouds_yaml)
    assert not second.result["project"]["changed"] and not second.result["user"]["changed"], second.output
    assert [e for e in sim.journal() if e["method"] in WRITES] == writes_before
    auth, images = second.result["auth"], second.result["images"]
    assert not auth.get("failed") and not images.get("failed"), second.output

    # one password authentication per module, with the user's name and password, scoped to the project by id: first
    # public_cloud_user's check that the entry's password still authenticates (without the catalogue), then
    # openstack.cloud's two modules
    tokens = sim.openstack_calls("identity", "POST", "/v3/auth/tokens")
    password_user = {"name": user["username"], "password": user["password"], "domain": {"name": "Default"}}
    assert [e["body"] for e in tokens] == [{"auth": {
        "identity": {"methods": ["password"], "password": {"user": password_user}},
        "scope": {"project": {"id": project_id}}}}] * 3
    assert [e["status"] for e in tokens] == [201, 201, 201]
    assert [e["query"] for e in tokens] == [{"nocatalog": ""}, {}, {}]
    assert auth["auth_token"] == tokens[1]["subject_token"]
    # the image listing of the entry's region (GRA11), found in the token's catalogue, asked with the third token
    [listing] = sim.openstack_calls("image", "GET", "/openstack/GRA11/image/v2/images")
    assert listing["auth_token"] == tokens[2]["subject_token"] and listing["status"] == 200
    assert [image["name"] for image in images["images"]] == [name for name, *rest in PUBLIC_IMAGES]
    assert all(image["visibility"] == "public" and image["status"] == "active" for image in images["images"])
    # the password is in the file only (mode 0600), never in the output; the token is only in the registered result
    with open(clouds_yaml, encoding="utf-8") as handle:
        assert yaml.safe_load(handle)["clouds"]["team-a"]["auth"]["password"] == user["password"]
    for output in (first.output, second.output):
        assert user["password"] not in output and auth["auth_token"] not in output
