# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Small classes: no class of plugins/ spans more than MAX_CLASS_LINES lines (read from the source)."""

from __future__ import annotations

import ast
import pathlib

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import _steps

PLUGINS = pathlib.Path(_steps.__file__).resolve().parents[1]
MAX_CLASS_LINES = 160


def class_sizes():
    """{"path:Class": lines} of every class of plugins/."""
    sizes = {}
    for path in sorted(PLUGINS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                sizes["%s:%s" % (path.relative_to(PLUGINS), node.name)] = node.end_lineno - node.lineno + 1
    return sizes


def test_no_class_is_over_the_limit():
    sizes = class_sizes()
    assert "module_utils/_project_ensurer.py:ProjectEnsurer" in sizes  # the scan reads the classes it should
    assert {name: size for name, size in sizes.items() if size > MAX_CLASS_LINES} == {}
