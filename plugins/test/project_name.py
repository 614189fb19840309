# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: project_name
short_description: Whether a string is a name the public_cloud_project module accepts
version_added: 0.1.0
author:
  - OVHcloud Public Cloud collection maintainers (@ovhcloud)
description:
  - Tells whether the input is a name the M(ovhcloud.public_cloud.public_cloud_project) module accepts for a project
    (1 to 64 printable characters, without leading or trailing spaces), with the module's own check.
  - The P(ovhcloud.public_cloud.public_cloud_project#role) role uses it to check the names of its inventory before any
    API call.
options:
  _input:
    description:
      - The name to check. A value that is not a string is not a project name (convert it first, for example with
        C(my_name | string), if a number must be taken as a name).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Check the name of the project before ordering it
  ansible.builtin.assert:
    that: my_project_name is ovhcloud.public_cloud.project_name
    fail_msg: "{{ my_project_name | to_json }} is not a project name"

- name: The names of a list that are not project names
  ansible.builtin.debug:
    msg: "{{ my_projects | map(attribute='name') | reject('ovhcloud.public_cloud.project_name') | list }}"
"""

RETURN = r"""
_value:
  description: V(true) if the module accepts the input as a project name, V(false) otherwise.
  type: bool
"""

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_name


def project_name(value):
    """True if the public_cloud_project module accepts ``value`` as a project name."""
    if not isinstance(value, str):
        return False
    try:
        check_name(value)
    except InputError:
        return False
    return True


class TestModule:
    """The tests of the collection."""

    def tests(self):
        return {"project_name": project_name}
