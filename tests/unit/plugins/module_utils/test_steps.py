# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The step names of module failures are declared once, in _steps.Step: read from the source of plugins/."""

from __future__ import annotations

import ast
import pathlib

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import _steps
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

PLUGINS = pathlib.Path(_steps.__file__).resolve().parents[1]
# the callables whose first argument is a step name: WorkflowError itself, and the helpers that wrap an API call in one
STEP_FIRST_ARGUMENT = ("WorkflowError", "call_as_step", "settings_call", "_step", "_read", "call")


def sources():
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PLUGINS.rglob("*.py"))
            if path.name != "_steps.py"}


def callable_name(func):
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def base_name(expression):
    """``self`` for ``self``, ``self.users`` or ``self.a.b``; None for anything else."""
    while isinstance(expression, ast.Attribute):
        expression = expression.value
    return expression.id if isinstance(expression, ast.Name) else None


def step_positions(tree):
    """Every expression that holds a step name: the first argument of STEP_FIRST_ARGUMENT (``call`` of ``self`` or of
    one of its attributes only, such as ``self.users.call``),
    ``step=``, a ``"step"`` key's value, the other side of ``<x>.step ==``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = callable_name(node.func)
            is_self_call = isinstance(node.func, ast.Attribute) and base_name(node.func.value) == "self"
            if node.args and name in STEP_FIRST_ARGUMENT and (name != "call" or is_self_call):
                yield node.args[0]
            for keyword in node.keywords:
                if keyword.arg == "step":
                    yield keyword.value
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "step":
                    yield value
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "step":
            yield from node.comparators


def used_constants():
    """{constant name: [where]} of every ``Step.<NAME>`` in plugins/."""
    used = {}
    for path, tree in sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Step":
                used.setdefault(node.attr, []).append("%s:%d" % (path.relative_to(PLUGINS), node.lineno))
    return used


def test_every_step_used_is_listed_and_every_listed_step_is_used():
    listed = set(Step.all())
    used = set(used_constants())
    assert used - listed == set(), "used in plugins/ but not declared in _steps.Step"
    assert listed - used == set(), "declared in _steps.Step but used nowhere in plugins/"


def test_no_step_name_is_written_as_a_bare_string():
    written = []
    for path, tree in sources().items():
        for expression in step_positions(tree):
            if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
                written.append("%s:%d %r" % (path.relative_to(PLUGINS), expression.lineno, expression.value))
    assert written == [], "step names must come from _steps.Step"


def test_step_texts_are_distinct_and_short():
    texts = list(Step.all().values())
    assert len(texts) == len(set(texts))
    # failure.step is short, lower case (but for API), no trailing punctuation: it prefixes msg ("create cart: ...")
    for text in texts:
        assert text == text.strip() and text[-1].isalpha(), text
        assert text.replace("API", "api") == text.lower(), text


def test_the_scan_sees_step_positions():
    """The source scan finds steps where the workflows put them (a scan that found none would prove nothing)."""
    tree = ast.parse('raise WorkflowError("x", "m")\nself._step(Step.A, f)\nf(step="y")\nr = {"step": "z"}\n'
                     'if exc.step == "w": pass\nother.call("not a step")\nself.users.call("v", "get", p)\n')
    assert [ast.unparse(e) for e in step_positions(tree)] == ["'x'", "Step.A", "'y'", "'z'", "'w'", "'v'"]
