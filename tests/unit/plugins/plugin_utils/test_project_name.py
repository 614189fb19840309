# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""project_name, the role's name check, is the module's own name check."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_name
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._project_name import project_name

NAMES = ["team-a", "a", "x" * 64, "équipe α", "two  spaces inside", "None",
         "", " ", " lead", "trail ", "x" * 65, "new\nline", "tab\there", "nul\x00", "del\x7f", "c1\x85",
         "zero\u200bwidth", "\u00a0nbsp", "nbsp\u00a0"]


def module_accepts(name):
    try:
        check_name(name)
    except InputError:
        return False
    return True


@pytest.mark.parametrize("name", NAMES)
def test_same_answer_as_the_module(name):
    assert project_name(name) is module_accepts(name)


def test_examples():
    assert project_name("team-a-production") is True
    assert project_name("x" * 64) is True
    assert project_name("spaced-project ") is False
    assert project_name("x" * 65) is False
    assert project_name("") is False


@pytest.mark.parametrize("value", [None, 2026, ["a"], {"name": "a"}])
def test_values_that_are_not_strings_are_not_names(value):
    assert project_name(value) is False
