# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The hosts the role applies to: the conditions a task inherits, and those of the dynamic includes above it."""

from __future__ import annotations

from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._host_selection import conditional_chain, selected_hosts


class Node:
    """A task, block or include as far as the selection reads it: its ``when``, its parent, how it was loaded."""

    def __init__(self, when=None, parent=None, statically_loaded=True):
        self.when = when or []
        self._parent = parent
        self.statically_loaded = statically_loaded


def test_the_dynamic_includes_above_a_task_are_in_its_chain_and_static_parents_are_not():
    play_block = Node(["in_the_block"])
    include = Node(["wants_project | bool"], parent=play_block, statically_loaded=False)
    role_block = Node([], parent=include)
    task = Node(["in_the_block"], parent=role_block)  # a static parent's condition: already the task's own
    assert conditional_chain(task) == [task, include]


def test_without_any_condition_every_host_of_the_batch_is_kept_and_nothing_is_evaluated():
    task = Node([], parent=Node([], parent=Node([], statically_loaded=False)))
    # no variable manager, no inventory, no play: nothing is read when there is no condition
    assert selected_hosts(task, {"ansible_play_batch": ["b", "a", "c"]}, loader=None) == ["b", "a", "c"]
    assert selected_hosts(task, {}, loader=None) == []
