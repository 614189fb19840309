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
    assert [stat.S_IMODE(os.stat(tmp_path / name).st_mode) for name in ("config", "config/openstack")] == [0o700] * 2


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


def test_a_symbolic_link_is_followed_and_kept(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "clouds.yaml"
    target.write_text("clouds: {}\n")
    link = tmp_path / "clouds.yaml"
    link.symlink_to(target)
    clouds = CloudsYaml(str(link))
    clouds.check_writable()
    clouds.load()
    clouds.write(clouds.with_entry("mine", ENTRY))
    assert os.path.islink(link) and yaml.safe_load(target.read_text()) == {"clouds": {"mine": ENTRY}}
    assert sorted(os.listdir(tmp_path / "dotfiles")) == ["clouds.yaml"]


@pytest.mark.parametrize("text, found", [
    ("clouds: {}\n", False),
    ("# mine\nclouds: {}\n", True),
    ("clouds:\n  a: {region_name: X}  # note\n", True),
    ("base: &b {region_name: X}\nclouds:\n  a: *b\n", True),
    ("clouds:\n  a: {auth: {password: 'a#b'}}\n", False),
])
def test_comments_and_anchors_are_noticed(tmp_path, text, found):
    path = tmp_path / "clouds.yaml"
    path.write_text(text)
    clouds = CloudsYaml(str(path))
    clouds.load()
    assert clouds.had_comments is found


def test_check_writable_names_a_file_in_the_way_and_a_directory_given(tmp_path):
    (tmp_path / "config").write_text("a file\n")
    with pytest.raises(WorkflowError, match=r"config is a file, not a directory"):
        CloudsYaml(str(tmp_path / "config" / "openstack" / "clouds.yaml")).check_writable()
    with pytest.raises(WorkflowError, match="is a directory: give the path of a file"):
        CloudsYaml(str(tmp_path)).check_writable()
    CloudsYaml(str(tmp_path / "new" / "dirs" / "clouds.yaml")).check_writable()
