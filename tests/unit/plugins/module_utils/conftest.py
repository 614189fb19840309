# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every unit test runs without OVH_* variables and without any ovh.conf of the machine."""

from __future__ import annotations

import os

import pytest

import ovh.config


@pytest.fixture(autouse=True)
def isolated_ovh_settings(monkeypatch, tmp_path):
    """No OVH_* variable, and python-ovh reads only a (missing) ovh.conf under tmp_path."""
    for variable in list(os.environ):
        if variable.startswith("OVH_"):
            monkeypatch.delenv(variable)
    monkeypatch.setattr(ovh.config, "CONFIG_PATH", [str(tmp_path / "no-such-ovh.conf")])
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def ovh_conf(monkeypatch, tmp_path):
    """Write an ovh.conf and make it the only one python-ovh (and the client factory) reads."""

    def write(text):
        path = tmp_path / "ovh.conf"
        path.write_text(text)
        monkeypatch.setattr(ovh.config, "CONFIG_PATH", [str(path)])
        return path

    return write
