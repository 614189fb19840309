# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""CloudsYaml: one entry replaced or removed, every other kept in its order, written atomically with mode 0600."""

from __future__ import annotations

import os
import stat

import pytest
import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._clouds_yaml import CloudsYaml
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError

ENTRY = {"auth": {"auth_url": "https://k/v3", "username": "u", "password": "p"}, "region_name": "GRA11"}


def test_missing_or_empty_file_is_no_entry(tmp_path):
    clouds = CloudsYaml(str(tmp_path / "clouds.yaml"))
    assert clouds.load() == {} and clouds.entry("a") is None
    (tmp_path / "empty.yaml").write_text("\n")
    empty = CloudsYaml(str(tmp_path / "empty.yaml"))
    assert empty.load() == {} and empty.entry("a") is None


def test_write_replaces_one_entry_in_place_and_keeps_the_others(tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text("clouds:\n  first: {region_name: A}\n  mine: {region_name: old}\n  last: {region_name: C}\nextra: 1\n")
    os.chmod(path, 0o644)
    clouds = CloudsYaml(str(path))
    clouds.load()
    clouds.write(clouds.with_entry("mine", ENTRY))
    data = yaml.safe_load(path.read_text())
    assert list(data["clouds"]) == ["first", "mine", "last"] and data["clouds"]["mine"] == ENTRY and data["extra"] == 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["clouds.yaml"]
    clouds.write(clouds.with_entry("new", ENTRY))
    assert list(yaml.safe_load(path.read_text())["clouds"]) == ["first", "mine", "last", "new"]
    clouds.write(clouds.without_entry("mine"))
    assert list(yaml.safe_load(path.read_text())["clouds"]) == ["first", "last", "new"]


def test_write_creates_missing_directories(tmp_path):
    path = tmp_path / "config" / "openstack" / "clouds.yaml"
    clouds = CloudsYaml(str(path))
    clouds.load()
    clouds.write(clouds.with_entry("mine", ENTRY))
    assert yaml.safe_load(path.read_text()) == {"clouds": {"mine": ENTRY}}
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_with_entry_does_not_change_what_was_read(tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text("clouds:\n  mine: {region_name: old}\n")
    clouds = CloudsYaml(str(path))
    clouds.load()
    clouds.with_entry("mine", ENTRY)
    assert clouds.entry("mine") == {"region_name": "old"}


@pytest.mark.parametrize("text, message", [
    ("clouds: [a, b]\n", "needs a mapping `clouds`"),
    ("- a\n", "needs a mapping `clouds`"),
    ("clouds: {a: [\n", "not valid YAML"),
])
def test_not_a_clouds_yaml_fails(tmp_path, text, message):
    path = tmp_path / "clouds.yaml"
    path.write_text(text)
    with pytest.raises(WorkflowError, match=message):
        CloudsYaml(str(path)).load()
