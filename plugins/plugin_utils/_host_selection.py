# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Which hosts of the play the public_cloud_project role applies to, decided in one task run once, on the controller.

The role's tasks run once for the play (``run_once``), and Ansible evaluates a task run once on the play's first host
only: a ``when`` on the role (``import_role``, ``include_role``, ``roles:``, a ``block`` around them) would otherwise
hold for every host or none. Each host of ``ansible_play_batch`` (``--limit`` and the hosts failed earlier are not in
it) is kept when the conditions the task inherits from the role and the blocks and includes around it hold for that
host, evaluated as Ansible evaluates them for a task on that host: with the variables Ansible computes for the host,
the play and the task; and so do those of the dynamic includes above it (``include_role``, ``include_tasks``), whose
tasks Ansible queues only for the hosts they held for. Without any condition, every host of the batch is kept and
nothing is evaluated.
Ansible would start a worker process per host for a task per host (the cost of a ``debug`` task); evaluating here
costs the computation of each host's variables (a few milliseconds per host), and only when there is a condition.

The task asks for it with the private variable ``public_cloud_project__select_hosts`` (the collection's action plugin,
plugin_utils/_secret_handoff.py): no module runs, the result's ``hosts`` are the hosts kept.
"""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.template import Templar

# the task variable that asks the action plugin for the hosts the role applies to, instead of a module run
SELECT_HOSTS_VARIABLE = "public_cloud_project__select_hosts"


def conditional_chain(task):
    """``task`` and the dynamic includes above it (``include_role``, ``include_tasks``): a task inherits the ``when`` of
    its role, its blocks and the static imports around it, but not the ``when`` of a dynamic include, which Ansible
    evaluates for the include itself (its tasks are then queued only for the hosts it held for)."""
    chain = [task]
    node = getattr(task, "_parent", None)
    while node is not None:
        if getattr(node, "statically_loaded", True) is False:
            chain.append(node)
        node = getattr(node, "_parent", None)
    return chain


def _conditions(node):
    return [condition for condition in (node.when or []) if condition is not None and condition != ""]


def _holds(node, templar, variables):
    """Whether the conditions of ``node`` (a task or an include) hold, evaluated as Ansible evaluates ``when``."""
    evaluate = getattr(node, "evaluate_conditional", None)
    if evaluate is not None:  # ansible-core 2.16 to 2.18: tasks and includes are Conditionals
        return bool(evaluate(templar, variables))
    # ansible-core 2.19 and later: the templar evaluates a condition (ansible.template.Templar.evaluate_conditional)
    return all(condition if isinstance(condition, bool) else bool(templar.evaluate_conditional(condition))
               for condition in _conditions(node))


def selected_hosts(task, task_vars, loader):
    """The hosts of ``ansible_play_batch`` for which every inherited condition of ``task`` holds, in the batch's order."""
    batch = list(task_vars.get("ansible_play_batch") or [])
    chain = [node for node in conditional_chain(task) if _conditions(node)]
    if not chain:
        return batch
    hostvars = task_vars.get("hostvars")
    variable_manager = task.get_variable_manager() or getattr(hostvars, "_variable_manager", None)
    inventory = getattr(variable_manager, "_inventory", None) or getattr(hostvars, "_inventory", None)
    play = task.get_play()
    if variable_manager is None or inventory is None or play is None:
        raise AnsibleError("public_cloud_project: cannot evaluate the role's conditions (%s) for each host on this "
                           "ansible-core; apply the role without a condition, and limit its hosts with the play's "
                           "hosts or --limit instead" % "; ".join(str(c) for node in chain for c in _conditions(node)))
    kept = []
    for name in batch:
        host = inventory.get_host(name)
        variables = variable_manager.get_vars(play=play, host=host, task=task, _hosts=task_vars.get("ansible_play_hosts"),
                                              _hosts_all=task_vars.get("ansible_play_hosts_all"))
        templar = Templar(loader=loader, variables=variables)
        if all(_holds(node, templar, variables) for node in chain):
            kept.append(name)
    return kept
