# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_defaults for the ovhcloud.public_cloud.ovh action group carry the connection settings.

The playbook runs with no OVH_* variable at all in its environment (not even OVH_ENDPOINT), a HOME and a working
directory without ovh.conf, so the settings can only come from module_defaults.
"""

import json
import os
import subprocess

import pytest
import yaml

from conftest import BIN, DEMO_CREDENTIALS, PLAYBOOKS, ROOT, ansible_env

DEMO_ACCOUNT = "xx1111-ovh"


def run_without_ovh_environment(sim, tmp_path, extra_vars, env_extra=None):
    """Run module_defaults.yml with every OVH_* variable removed from the environment; return (proc, result)."""
    if os.path.exists("/etc/ovh.conf"):
        pytest.skip("/etc/ovh.conf exists on this machine: it would supply settings")
    env = ansible_env(sim, credentials={})
    for key in [k for k in env if k.startswith("OVH_")]:
        del env[key]
    env.update(env_extra or {})
    home = tmp_path / "home"
    home.mkdir()
    env["HOME"] = str(home)  # no ~/.ovh.conf
    result_file = tmp_path / "result.json"
    vars_file = tmp_path / "vars.json"
    vars_file.write_text(json.dumps(dict(extra_vars, result_file=str(result_file))), encoding="utf-8")
    command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "module_defaults.yml"),
               "-e", "@" + str(vars_file)]
    assert {k for k in env if k.startswith("OVH_")} == set(env_extra or {})
    proc = subprocess.run(command, env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=300, check=False)
    result = json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else None
    assert result is not None, "playbook did not save a result:\n%s%s" % (proc.stdout, proc.stderr)
    return proc, result


def module_defaults_vars(sim):
    return {
        "ovh_endpoint": sim.base_url,
        "ovh_application_key": DEMO_CREDENTIALS["OVH_APPLICATION_KEY"],
        "ovh_application_secret": DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"],
        "ovh_consumer_key": DEMO_CREDENTIALS["OVH_CONSUMER_KEY"],
    }


@pytest.mark.core_matrix
def test_module_defaults_carry_endpoint_and_credentials(sim, tmp_path):
    proc, result = run_without_ovh_environment(sim, tmp_path, dict(module_defaults_vars(sim), project_name="from-defaults"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result["changed"] is True and not result.get("failed"), result
    project = result["project"]
    assert project["name"] == "from-defaults" and project["status"] == "ok"
    (created,) = [p for p in sim.state()["projects"] if p["description"] == "from-defaults"]
    assert project["project_id"] == created["project_id"]  # the project the simulator delivered for this order
    info = result["info"]
    assert not info.get("failed") and info["changed"] is False, info
    # the info module's project is the module's, with its IAM tags (the module returns them beside its project)
    assert info["projects"] == [dict(project, tags=result["tags"])] and info["pending_orders"] == []

    journal = sim.journal()
    signed = [e for e in journal if e["signed"]]
    assert signed, journal
    assert {e["account"] for e in signed} == {DEMO_ACCOUNT}
    assert len(sim.checkouts()) == 1
    assert sim.checkouts()[0]["account"] == DEMO_ACCOUNT
    projects = [p for p in sim.state()["projects"] if p["description"] == "from-defaults"]
    assert [p["project_id"] for p in projects] == [project["project_id"]]
    # the secrets passed through module_defaults are not printed
    for secret in (DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"], DEMO_CREDENTIALS["OVH_CONSUMER_KEY"]):
        assert secret not in proc.stdout + proc.stderr
        assert secret not in json.dumps(result)


@pytest.mark.core_matrix
def test_without_module_defaults_no_endpoint_is_found(sim, tmp_path):
    proc, result = run_without_ovh_environment(sim, tmp_path, {"use_module_defaults": False, "project_name": "nowhere"})
    assert proc.returncode == 0, proc.stdout + proc.stderr  # ignore_errors: the failure is in the saved result
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("invalid connection settings: no endpoint given: set the endpoint option"), result["msg"]
    assert sim.journal() == []


def test_without_module_defaults_credentials_are_missing(sim, tmp_path):
    # the endpoint alone (as if only OVH_ENDPOINT were set): the credentials are what is missing
    proc, result = run_without_ovh_environment(sim, tmp_path, {"use_module_defaults": False, "project_name": "nowhere"},
                                               env_extra={"OVH_ENDPOINT": sim.base_url})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result["failed"] is True and result["changed"] is False
    assert "missing credentials: application_key, application_secret, consumer_key" in result["msg"], result["msg"]
    assert sim.journal() == []
    assert sim.state()["carts"] == [] and sim.state()["orders"] == []


@pytest.mark.core_matrix
def test_ovh_group_lists_every_module():
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        runtime = yaml.safe_load(handle)
    group = runtime["action_groups"]["ovh"]
    modules_dir = os.path.join(ROOT, "plugins", "modules")
    modules = sorted(f[:-3] for f in os.listdir(modules_dir) if f.endswith(".py") and f != "__init__.py")
    assert modules, "no module found"
    assert sorted(group) == modules
    assert {"public_cloud_project", "public_cloud_project_info"} <= set(group)
    assert len(set(group)) == len(group)
    # module_defaults for the group pass the connection options: every member must accept them
    for module in modules:
        with open(os.path.join(modules_dir, module + ".py"), encoding="utf-8") as handle:
            assert "- ovhcloud.public_cloud.ovh\n" in handle.read(), "%s does not extend the ovh doc fragment" % module
