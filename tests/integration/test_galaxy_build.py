# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tarball `ansible-galaxy collection build` makes is what a user installs: built from the laid-out collection
(with test output, a build directory and byte-code caches left in it, as a working copy has them), it holds none of
them but LICENSE and CHANGELOG.rst, installs into an empty directory with an empty HOME, and works from there alone:
a playbook orders a project on the simulator (one checkout in its journal) and ansible-doc lists the modules."""

import json
import os
import shutil
import subprocess
import tarfile
import textwrap

import pytest
import yaml

from conftest import BIN, COLLECTIONS, ansible_env

LAID_OUT = os.path.join(COLLECTIONS, "ansible_collections", "ovhcloud", "public_cloud")
MODULES = ("public_cloud_api_probe", "public_cloud_project", "public_cloud_project_info", "public_cloud_user")


def run(command, env, cwd, timeout=120):
    proc = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, "%s failed:\n%s%s" % (" ".join(command), proc.stdout, proc.stderr)
    return proc


def skip_caches_and_test_output(directory, names):
    ignored = {"__pycache__"} & set(names)
    if os.path.normpath(directory) == os.path.join(os.path.normpath(LAID_OUT), "tests") and "output" in names:
        ignored.add("output")
    return ignored


def build_tarball(tmp_path, env):
    """Build from a copy of the laid-out collection into which a working copy's leftovers were put."""
    source = tmp_path / "source" / "ansible_collections" / "ovhcloud" / "public_cloud"
    # the laid-out copy's own tests/output (ansible-test's sanity leaves virtual environments there, whose links point
    # outside) is not copied: the leftovers below plant one
    shutil.copytree(LAID_OUT, str(source), ignore=skip_caches_and_test_output)
    for leftover in ("tests/output/junit/report.xml", "build/galaxy/old.tar.gz", "plugins/modules/__pycache__/x.pyc",
                     "__pycache__/z.pyc", "tests/unit/__pycache__/y.pyc", ".pytest_cache/v/cache/lastfailed",
                     "tests/.pytest_cache/v/cache/nodeids", ".ansible/tmp/x", "changelogs/.plugin-cache.yaml"):
        path = source / leftover
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("leftover\n")
    dist = tmp_path / "dist"
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(dist)], env, str(source))
    version = yaml.safe_load((source / "galaxy.yml").read_text())["version"]
    tarball = dist / ("ovhcloud-public_cloud-%s.tar.gz" % version)
    assert tarball.is_file(), os.listdir(str(dist))
    return tarball


@pytest.mark.core_matrix  # ansible-galaxy and requires_ansible of the oldest supported core too
def test_built_collection_installs_and_orders_from_a_clean_directory(sim, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    empty = tmp_path / "empty"
    empty.mkdir()
    installed = tmp_path / "installed"
    # nothing but the installed copy: no ANSIBLE_* of the test run, an empty HOME, no collections of the Python path
    env = ansible_env(sim, extra={"HOME": str(home), "ANSIBLE_COLLECTIONS_PATH": str(installed),
                                  "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                                  "ANSIBLE_LOCAL_TEMP": str(tmp_path / "local-tmp")})
    env.pop("OVH_ENDPOINT")  # given by module_defaults below, through the installed action group

    tarball = build_tarball(tmp_path, env)
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
    assert "LICENSE" in names and "CHANGELOG.rst" in names and "MANIFEST.json" in names
    assert "plugins/modules/public_cloud_project.py" in names
    assert not [n for n in names if n == "build" or n.startswith("build/")]
    assert not [n for n in names if n.startswith("tests/output")]
    assert not [n for n in names if {"__pycache__", ".pytest_cache", ".ansible"} & set(n.split("/"))]
    assert "changelogs/.plugin-cache.yaml" not in names

    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "-p", str(installed), str(tarball)],
        env, str(empty))
    root = installed / "ansible_collections" / "ovhcloud" / "public_cloud"
    assert (root / "MANIFEST.json").is_file()

    result_file = tmp_path / "result.json"
    playbook = empty / "order.yml"
    playbook.write_text(textwrap.dedent("""\
        - hosts: localhost
          connection: local
          gather_facts: false
          module_defaults:
            group/ovhcloud.public_cloud.ovh:
              endpoint: %s
          tasks:
            - name: Order a project with the installed collection
              ovhcloud.public_cloud.public_cloud_project:
                name: from-the-tarball
              register: ordered
            - name: Keep the result
              ansible.builtin.copy:
                content: "{{ ordered | to_json }}"
                dest: %s
                mode: "0600"
        """ % (sim.base_url, result_file)))
    run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", str(playbook)], env, str(empty), timeout=180)
    result = json.loads(result_file.read_text())
    assert result["changed"] is True
    assert result["project"]["name"] == "from-the-tarball" and result["project"]["status"] == "ok"
    assert len(sim.checkouts()) == 1
    assert [o["description"] for o in sim.paid_orders()] == ["from-the-tarball"]

    listing = run([os.path.join(BIN, "ansible-doc"), "-l", "ovhcloud.public_cloud"], env, str(empty)).stdout
    assert sorted(line.split()[0] for line in listing.splitlines() if line.startswith("ovhcloud.public_cloud.")) == \
        sorted("ovhcloud.public_cloud." + module for module in MODULES)
    doc = run([os.path.join(BIN, "ansible-doc"), "ovhcloud.public_cloud.public_cloud_project"], env, str(empty)).stdout
    assert str(root / "plugins" / "modules" / "public_cloud_project.py") in doc  # the installed copy's documentation
    assert "error_code: NOT_GRANTED_CALL" in doc  # the failure sample, rendered whole
