# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The supported versions are stated alike everywhere: meta/runtime.yml's requires_ansible is the source, the modules'
requirements, docs/versioning.md, README's "Versions" section, the execution environment and the oldest-core test
requirements agree with it; galaxy.yml's version is the changelog's newest release."""

from __future__ import annotations

import os
import re

import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.doc_fragments.ovh import ModuleDocFragment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def minimum_core():
    """'2.16' from requires_ansible '>=2.16.0'."""
    requires = yaml.safe_load(read("meta/runtime.yml"))["requires_ansible"]
    match = re.fullmatch(r">=\s*(\d+\.\d+)(\.0)?", requires)
    assert match, "requires_ansible %r is not a plain minimum" % requires
    return match.group(1)


def minimum_python():
    """'3.10' from the modules' requirements (doc fragment)."""
    requirements = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["requirements"]
    found = [re.match(r"python >= (\d+\.\d+)", line) for line in requirements]
    found = [match.group(1) for match in found if match]
    assert len(found) == 1, requirements
    return found[0]


def readme_versions_section():
    readme = read("README.md")
    assert "\n## Versions\n" in readme
    return readme.split("\n## Versions\n", 1)[1].split("\n## ", 1)[0]


def test_the_oldest_core_is_stated_alike():
    core = minimum_core()
    assert "ansible-core >= %s" % core in readme_versions_section()
    assert "| ansible-core | >= %s |" % core in read("docs/versioning.md")
    ee = yaml.safe_load(read("meta/execution-environment.yml"))
    assert ee["dependencies"]["ansible_core"]["package_pip"] == "ansible-core>=%s.0" % core
    assert "ansible-core>=%s.0,<" % core in read("tests/requirements-core%s.txt" % core)
    assert "(what ansible-core %s needs" % core in minimum_python_line()


def minimum_python_line():
    requirements = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["requirements"]
    return [line for line in requirements if line.startswith("python >= ")][0]


def test_the_controller_python_is_stated_alike():
    python = minimum_python()
    assert "Python >= %s" % python in readme_versions_section()
    assert "| Python on the controller | >= %s " % python in read("docs/versioning.md")
    assert "Python %s or later" % python in read("changelogs/changelog.yaml")


def test_the_ovh_library_range_is_stated_alike():
    requirements = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["requirements"]
    ovh = [re.match(r"ovh >= (\S+) and < (\S+)", line).groups() for line in requirements if line.startswith("ovh ")]
    assert len(ovh) == 1
    stated = "ovh>=%s,<%s" % ovh[0]
    assert stated in read("requirements.txt").split()
    assert "`ovh` >= %s, < %s" % ovh[0] in readme_versions_section()
    assert "| python-ovh (`ovh`) | >= %s, < %s," % ovh[0] in read("docs/versioning.md")
    for path in ("demo-requirements.txt", "tests/unit/requirements.txt", "tests/requirements-core2.16.txt",
                 "tests/requirements-core2.20.txt", "tests/requirements-core2.21.txt"):
        assert [line.split("#")[0].strip() for line in read(path).splitlines() if line.startswith("ovh")] == [stated], path
    # the execution environment states the same minimum, without an upper bound (certification allows none)
    assert [line for line in read("meta/ee-requirements.txt").splitlines() if line.startswith("ovh")] == ["ovh>=%s" % ovh[0][0]]


def test_galaxy_version_is_the_newest_release_of_the_changelog():
    version = yaml.safe_load(read("galaxy.yml"))["version"]
    releases = yaml.safe_load(read("changelogs/changelog.yaml"))["releases"]
    newest = max(releases, key=lambda v: tuple(int(part) for part in v.split(".")))
    assert version == newest
    assert "\nv%s\n" % version in read("CHANGELOG.rst")
