#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: public_cloud_project
short_description: Order an OVHcloud Public Cloud project exactly once
version_added: 0.1.0
description:
  - Makes sure a Public Cloud project with the given O(name) (the project's description) exists in the account.
  - If one exists, it is reported and nothing changes. If an order for it is already in flight (placed by an earlier
    run that failed, timed out or was interrupted), that order is followed, never placed again.
  - Otherwise the project is ordered through the OVHcloud order cart (create a cart, assign it, add the plan, set the
    description and voucher, check out) and the order is followed until the project exists with status C(ok).
  - Before any cart exists, C(GET /cloud/eligibility) is asked whether the account may order; each required action
    (payment method, project quota...) becomes a clear failure. On any failure before checkout the cart is deleted.
  - A checkout whose answer is lost is never retried before the module has checked whether it took effect.
author:
  - OVHcloud Public Cloud collection maintainers (@ovhcloud)
extends_documentation_fragment:
  - ovhcloud.public_cloud.ovh
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: No write at all (not even a cart); reports what would be ordered, with the price when the public catalogue shows it.
  diff_mode:
    support: full
    details: Shows the project that would be or was created.
  platform:
    platforms: all
options:
  name:
    description:
      - Name of the project, stored as its C(description); it identifies the project.
      - 1 to 64 printable characters, no leading or trailing space.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the project exists. V(absent) is not supported yet and is refused.
    type: str
    choices: [present, absent]
    default: present
  subsidiary:
    description:
      - OVHcloud subsidiary the order is placed with (C(nichandle.OvhSubsidiaryEnum)); it must be one the endpoint accepts.
      - Defaults to V(FR), or V(US) on the OVHcloud US API.
    type: str
  plan_code:
    description:
      - Plan of the project.
      - Defaults to V(project.2018), or V(project) on the OVHcloud US API.
    type: str
  duration:
    description:
      - Billing duration of the plan, an ISO-8601 duration.
    type: str
    default: P1M
  pricing_mode:
    description:
      - Pricing mode of the plan.
    type: str
    default: default
  voucher:
    description:
      - Voucher code applied to the order. It is checked with C(GET /cloud/eligibility) before any cart is created.
    type: str
  auto_pay:
    description:
      - Pay at checkout with the account's default payment method.
      - With V(false) the order is placed and left unpaid; the module returns its id and payment URL, reports
        RV(pending_payment=true), and later runs follow that same order until it is paid and delivered.
    type: bool
    default: true
  waive_retractation_period:
    description:
      - Waive the legal retractation period, so that delivery can start at once.
    type: bool
    default: false
  wait:
    description:
      - Wait until the project exists with status C(ok). With V(false) the module returns as soon as the order is placed
        (or found in flight).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the order and the project, from 0 to 86400. On timeout the module fails naming the
        order; a rerun follows the same order.
      - It also bounds the wait for another run that is ordering the same name (see the notes).
    type: int
    default: 1800
notes:
  - C(changed) is V(true) only when this run placed an order (or would, in check mode). Following an order placed
    by an earlier run, until its project is delivered, reports V(false).
  - Polling uses a capped exponential backoff (0.5 s growing to 30 s).
  - An order already placed for O(name) is found through C(GET /cloud/order), and through the account's orders of the
    last 24 hours for a delivered project that the API does not show yet.
  - Runs that share nothing but the API (AWX jobs on separate nodes, overlapping schedules) order a name once. Before
    checkout a run announces itself with a cart described C(ovhcloud.public_cloud:<name>) that lives five minutes,
    waits a few seconds, and orders only if its cart comes first among the carts for that name; the others delete
    their carts, wait for that run's order (within O(wait_timeout)) and follow it. A run killed before checkout holds
    the name for five minutes at most. An order costs about four seconds more for it.
  - Reads are retried on 5xx, 429 (waiting what C(Retry-After) asks) and dropped connections; writes never are.
seealso:
  - name: Ordering Public Cloud projects using the OVHcloud API
    description: The OVHcloud guide this module follows.
    link: https://help.ovhcloud.com/csm/en-public-cloud-compute-order-project-api
"""

EXAMPLES = r"""
- name: Make sure the project exists (ordered once, found on later runs)
  ovhcloud.public_cloud.public_cloud_project:
    name: team-a-production
    endpoint: ovh-eu
    application_key: "{{ ovh_application_key }}"
    application_secret: "{{ ovh_application_secret }}"
    consumer_key: "{{ ovh_consumer_key }}"
  delegate_to: localhost
  register: project

- name: Use the project id
  ansible.builtin.debug:
    msg: "Project {{ project.project.project_id }} is {{ project.project.status }}"

- name: Order with a voucher, credentials from the OVH_* environment variables
  ovhcloud.public_cloud.public_cloud_project:
    name: training
    voucher: MYVOUCHER2026
    subsidiary: DE
  delegate_to: localhost

- name: Place the order but pay it later in the Control Panel
  ovhcloud.public_cloud.public_cloud_project:
    name: team-b
    auto_pay: false
  delegate_to: localhost
  register: unpaid

- name: Show where to pay
  ansible.builtin.debug:
    msg: "Pay order {{ unpaid.order.order_id }} at {{ unpaid.order.url }}"
  when: unpaid.pending_payment
"""

RETURN = r"""
project:
  description: The project; V(null) while its order is not delivered (pending payment, O(wait=false), check mode).
  returned: always
  type: dict
  contains:
    project_id:
      description: Project id (the C(serviceName) of the C(/cloud/project) API).
      type: str
      sample: 0123456789ab4cdef0123456789abcde
    name:
      description: The project's description, equal to O(name).
      type: str
      sample: team-a-production
    status:
      description: Project status (C(creating), C(ok), C(suspended)...).
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
  sample:
    project_id: 0123456789ab4cdef0123456789abcde
    name: team-a-production
    status: ok
    creation_date: "2026-11-23T15:40:00+00:00"
    plan_code: project.2018
    order_id: 123456789
order:
  description: The order placed or followed by this run; V(null) when the project already existed.
  returned: always
  type: dict
  contains:
    order_id:
      description: Order id; V(null) in check mode.
      type: int
      sample: 123456789
    url:
      description: URL of the order (where to pay it).
      type: str
      sample: https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=123456789&orderPassword=XXXX
    status:
      description: Order status (C(notPaid), C(checking), C(delivering), C(delivered)...).
      type: str
      sample: delivered
    prices:
      description: Total price of the order, with and without tax, in RV(order.currency).
      type: dict
      sample: {"with_tax": 0.0, "without_tax": 0.0}
    currency:
      description: Currency code of the prices.
      type: str
      sample: EUR
pending_payment:
  description: V(true) when the order waits for payment (O(auto_pay=false)).
  returned: always
  type: bool
  sample: false
failure:
  description: On failure, the step that failed and the API call behind it.
  returned: failed
  type: dict
  sample:
    step: checkout
    method: POST
    path: /order/cart/0f1e2d3c-1111-2222-3333-444455556666/checkout
    status: 403
    message: This account cannot order Public Cloud projects through the API
    error_code: Client::Forbidden
    query_id: EU.ext-3.63ac85b6.10528.27b4f1fc
"""

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_ensurer import ensure_project


def argument_spec():
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        subsidiary=dict(type="str"),
        plan_code=dict(type="str"),
        duration=dict(type="str", default="P1M"),
        pricing_mode=dict(type="str", default="default"),
        voucher=dict(type="str", no_log=False),
        auto_pay=dict(type="bool", default=True),
        waive_retractation_period=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )


def main():
    OvhModule(argument_spec(), supports_check_mode=True).run(ensure_project)


if __name__ == "__main__":
    main()
