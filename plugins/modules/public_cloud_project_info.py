#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: public_cloud_project_info
short_description: List OVHcloud Public Cloud projects and the project orders in flight
version_added: 0.1.0
description:
  - Lists the Public Cloud projects of the account, optionally only those with a given O(name) (the project's
    description), O(project_id) or O(status).
  - Lists the Public Cloud project orders that are still in flight (placed, not delivered as a visible project yet),
    with the name each one is for.
  - Reads only. The projects come from one call per page of a thousand (C(GET /cloud/project) with the expanded
    listing), the orders in flight from C(GET /cloud/order) plus a few calls per order in flight; the number of calls
    does not grow with the number of projects, unless O(alerting=true) asks for each project's spending alerts.
author:
  - OVHcloud Public Cloud collection maintainers (@ovhcloud)
extends_documentation_fragment:
  - ovhcloud.public_cloud.ovh
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module never writes; it runs the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: all
options:
  name:
    description:
      - Only the projects whose name (their C(description)) is exactly this, and only the orders in flight for it.
    type: str
  project_id:
    description:
      - Only the project with this id (its C(serviceName), 32 hexadecimal characters).
      - It filters RV(projects) only.
    type: str
  status:
    description:
      - Only the projects in one of these statuses.
      - It filters RV(projects) only.
    type: list
    elements: str
    choices: [creating, deleted, deleting, ok, suspended]
  alerting:
    description:
      - Also read each listed project's spending alerts (RV(projects[].alerting)).
      - This costs calls per project - C(GET /cloud/project/{serviceName}/alerting) once per project, plus one read per
        alert when the API answers ids - made 8 projects at a time, so narrow the listing with O(name), O(project_id)
        or O(status) on a large account. A project being deleted or deleted is not read (its list is empty).
      - The consumer key needs the right C(GET /cloud/project/*), which listing projects already uses.
    type: bool
    default: false
notes:
  - O(name), O(project_id) and O(status) combine; with none of them, every project of the account is listed.
  - An API that ignores the expanded listing (a proxy) answers project ids; each project is then read, eight at a time.
seealso:
  - module: ovhcloud.public_cloud.public_cloud_project
"""

EXAMPLES = r"""
- name: List every project of the account
  ovhcloud.public_cloud.public_cloud_project_info:
    endpoint: ovh-eu
    application_key: "{{ ovh_application_key }}"
    application_secret: "{{ ovh_application_secret }}"
    consumer_key: "{{ ovh_consumer_key }}"
  delegate_to: localhost
  register: cloud

- name: Show the id of each project by name
  ansible.builtin.debug:
    msg: "{{ cloud.projects | items2dict(key_name='name', value_name='project_id') }}"

- name: Find one project by name (credentials from the OVH_* environment variables)
  ovhcloud.public_cloud.public_cloud_project_info:
    name: team-a-production
  delegate_to: localhost
  register: team_a

- name: Fail when it is neither there nor ordered
  ansible.builtin.assert:
    that: team_a.projects | length == 1 or team_a.pending_orders | length > 0
    fail_msg: team-a-production is missing; order it with ovhcloud.public_cloud.public_cloud_project

- name: List the suspended projects
  ovhcloud.public_cloud.public_cloud_project_info:
    status: [suspended]
  delegate_to: localhost
  register: suspended

- name: Read one project by id
  ovhcloud.public_cloud.public_cloud_project_info:
    project_id: 0123456789ab4cdef0123456789abcde
  delegate_to: localhost
  register: one

- name: Read a project's spending alerts too (calls per project listed)
  ovhcloud.public_cloud.public_cloud_project_info:
    name: team-a-production
    alerting: true
  delegate_to: localhost
  register: with_alerts
"""

RETURN = r"""
projects:
  description:
    - The projects that pass the filters, in the API's order; each has the shape of the C(project) result of
      M(ovhcloud.public_cloud.public_cloud_project).
  returned: always
  type: list
  elements: dict
  contains:
    project_id:
      description: Project id (the C(serviceName) of the C(/cloud/project) API).
      type: str
      sample: 0123456789ab4cdef0123456789abcde
    name:
      description: The project's description.
      type: str
      sample: team-a-production
    status:
      description: Project status (C(creating), C(ok), C(suspended), C(deleting), C(deleted)).
      type: str
      sample: ok
    creation_date:
      description: When the project was created.
      type: str
      sample: "2026-11-23T15:40:00+00:00"
    plan_code:
      description: Plan of the project.
      type: str
      sample: project.2018
    order_id:
      description: Id of the order that created the project, when known.
      type: int
      sample: 123456789
    tags:
      description:
        - The project's IAM tags (C(iam.tags) of the project, OVHcloud's C(ovh:) tags included); read with the
          projects, no extra call.
      type: dict
      sample: {"team": "team-a", "environment": "production"}
    alerting:
      description:
        - The project's spending alerts, sorted by e-mail, threshold and delay, each with C(id), C(email),
          C(monthly_threshold) and C(delay) (as RV(ovhcloud.public_cloud.public_cloud_project#module:alerting)).
      returned: when O(alerting=true)
      type: list
      elements: dict
      sample: [{"id": "4b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e", "email": "finops@example.com", "monthly_threshold": 500,
                "delay": 86400}]
pending_orders:
  description:
    - Public Cloud project orders in flight (for O(name) when it is given), oldest first as C(GET /cloud/order) lists them.
    - An order stays here until its project is listed; M(ovhcloud.public_cloud.public_cloud_project) follows such an
      order instead of ordering the name again.
  returned: always
  type: list
  elements: dict
  contains:
    order_id:
      description: Order id.
      type: int
      sample: 123456789
    name:
      description: The name the order is for (the project's description), or V(null) if the order does not carry one.
      type: str
      sample: team-b
    status:
      description: Status of the order in C(/cloud/order) (C(unpaid), C(delivering), C(delivered), C(unknown)).
      type: str
      sample: unpaid
    date:
      description: When the order was placed.
      type: str
      sample: "2026-11-23T15:38:12+01:00"
"""

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_info import project_info
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import KNOWN_STATUSES


def argument_spec():
    return dict(
        name=dict(type="str"),
        project_id=dict(type="str"),
        status=dict(type="list", elements="str", choices=list(KNOWN_STATUSES)),
        alerting=dict(type="bool", default=False),
    )


# The work, read-only, that the collection's action plugin may run in its own process (plugin_utils/_in_process.py).
IN_PROCESS_WORK = project_info


def main():
    OvhModule(argument_spec(), supports_check_mode=True).run(project_info)


if __name__ == "__main__":
    main()
