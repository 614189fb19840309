#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: public_cloud_project
short_description: Order an OVHcloud Public Cloud project exactly once, rename or terminate it
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
  - With O(project_id), the module manages that existing project instead (it never orders), and renames it to O(name)
    when O(name) differs from its description.
  - O(max_price) refuses to check out an order whose price with tax exceeds it.
  - O(state=absent) terminates the project, once O(allow_termination=true). C(POST /cloud/project/{id}/terminate) makes
    OVHcloud e-mail a confirmation link to the account's admin contact, and C(POST /cloud/project/{id}/confirmTermination)
    with the link's token deletes the project. The token is given with O(termination_token), or read from the account's
    e-mail history with O(termination_token_from_email=true).
author:
  - OVHcloud Public Cloud collection maintainers (@ovhcloud)
extends_documentation_fragment:
  - ovhcloud.public_cloud.ovh
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - No write at all (not even a cart); reports what would be ordered, with the price when the public catalogue shows
        it, and fails as the run would when that price exceeds O(max_price).
      - Reports the rename or the termination that would be made; reads no e-mail.
      - Reads the spending alerts and reports the alerts and tags that would be created, updated or removed.
  diff_mode:
    support: full
    details: Shows the project that would be or was created, renamed or terminated, and its spending alerts and tags
      before and after (when O(alerting) or O(tags) is given).
  platform:
    platforms: all
options:
  name:
    description:
      - Name of the project, stored as its C(description); it identifies the project.
      - 1 to 64 printable characters, no leading or trailing space.
      - With O(project_id) and O(state=present), the name the project is given (renamed to) when it differs; with
        O(state=absent), it must be the project's name.
      - One of O(name) and O(project_id) is required.
    type: str
  project_id:
    description:
      - Id of an existing project to manage, instead of finding it by O(name). The module never orders with it; an
        id the account does not have fails, and so does a project being deleted or deleted (O(state=present)).
      - With O(state=present) and O(name), the project is renamed to O(name) (C(PUT /cloud/project/{id})) when its
        description differs; a name another project already has is refused.
    type: str
  state:
    description:
      - V(present) makes sure the project exists.
      - V(absent) terminates the project named O(name) (or of id O(project_id)); it needs O(allow_termination=true).
        Without O(termination_token) or O(termination_token_from_email) the run only requests the termination;
        OVHcloud e-mails the confirmation link, the result says RV(termination.requested=true) and
        RV(termination.confirmed=false), and a later run with the token confirms. A project already being deleted,
        deleted, or not found is left alone (V(changed=false)).
      - V(absent) is not supported on the OVHcloud US API (its flow is not documented); the module fails with guidance.
    type: str
    choices: [present, absent]
    default: present
  allow_termination:
    description:
      - Must be V(true) for O(state=absent), so that a mistyped variable cannot delete a project. Without it, a run
        with O(state=absent) fails before any API call.
    type: bool
    default: false
  termination_token:
    description:
      - With O(state=absent), confirm the termination with this token (C(POST /cloud/project/{id}/confirmTermination)),
        the C(token=) parameter of the link in the latest termination e-mail OVHcloud sent for the project.
      - Mutually exclusive with O(termination_token_from_email).
    type: str
  termination_token_from_email:
    description:
      - With O(state=absent), request the termination, then read the token from the account's e-mail history
        (C(GET /me/notification/email/history)) as terraform-provider-ovh does, waiting up to O(wait_timeout) seconds
        for the e-mail, and confirm.
      - The consumer key needs the rights C(GET /me/notification/email/history) and
        C(GET /me/notification/email/history/*); the e-mail goes to the account's admin contact, which IAM users may not
        be able to read, so give O(termination_token) then.
    type: bool
    default: false
  max_price:
    description:
      - The highest price with tax, in the account's currency, this run may check out. The module reads the checkout
        summary and, when the order's price exceeds it (or is not shown), deletes the cart and fails with the price and
        the cap; nothing is ordered.
      - A Public Cloud project is billed by use, so the checked price is that of the order itself (usually 0), not the
        month's bill for the resources the project will run.
      - In check mode it is compared with the public catalogue's price, when shown (RV(order.within_max_price)).
      - An order already in flight for O(name) is followed whatever its price, as it was placed before.
    type: float
  subsidiary:
    description:
      - OVHcloud subsidiary the order is placed with (C(nichandle.OvhSubsidiaryEnum)), in capitals; it must be one
        that the endpoint's C(order.json) schema lists, and it is checked before any API call.
      - On V(ovh-eu) - V(CZ), V(DE), V(ES), V(EU), V(FI), V(FR), V(GB), V(IE), V(IT), V(LT), V(MA), V(NL), V(PL),
        V(PT), V(SN), V(TN).
      - On V(ovh-ca) - V(ASIA), V(AU), V(CA), V(IN), V(QC), V(SG), V(WE), V(WS).
      - On V(ovh-us) - V(US) in practice; the schema also lists V(ASIA), V(AU), V(CA), V(CZ), V(DE), V(ES), V(EU),
        V(FI), V(FR), V(GB), V(IE), V(IT), V(LT), V(MA), V(NL), V(PL), V(PT), V(QC), V(SG), V(SN), V(TN), V(WE), V(WS).
      - With an API URL as O(endpoint), any subsidiary of those lists.
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
      - Pay the order with the account's default payment method (a free order from the fidelity account).
      - The order is always placed without paying, then paid once the orders for the name were looked at, so that
        runs overlapping on one name pay a single order; the order of a run that lost stays unpaid and is listed in
        RV(unpaid_orders).
      - A priced order with no default payment method fails before checkout, ordering nothing.
      - An order found unpaid in flight for the name (an earlier run killed before paying, or placed with
        V(false)) is paid by this run once it is 30 seconds old, if nobody started paying it.
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
      - With O(termination_token_from_email=true), how long to wait for the termination e-mail.
    type: int
    default: 1800
  alerting:
    description:
      - The project's spending alerts (C(/cloud/project/{serviceName}/alerting)); OVHcloud e-mails O(alerting[].email)
        when the month's spending reaches O(alerting[].monthly_threshold), at most once per O(alerting[].delay).
      - Not given (V(null)), the project's alerts are left alone and not read. A list makes the project's alerts exactly
        these - missing ones are created, an alert that differs is updated in place (a changed threshold is one
        C(PUT), never a delete and a create), the others are deleted. An empty list removes every alert.
      - An existing alert equal to a wanted one is kept; the others are paired with the wanted ones, each wanted alert in
        the order given with the closest alert left (same e-mail first, then threshold, then delay; ties to the oldest).
      - A project found, adopted or just delivered gets them; an order not delivered yet (O(wait=false), pending
        payment) gets them from the run that finds the project delivered.
      - Reading the alerts costs one call per page of alerts (or one per alert when the API answers ids).
      - The API no longer returns an alert's e-mail (terraform-provider-ovh copes the same way), so an alert read
        without it is taken as equal to a wanted alert of the same threshold and delay, so changing only the e-mail of such an
        alert is not seen. Remove the alert (V([])) and give it again in a later run to change its address.
    type: list
    elements: dict
    suboptions:
      monthly_threshold:
        description: Monthly spending, in the account's currency, above 0, at which the alert is sent.
        type: int
        required: true
      email:
        description: Address the alert is e-mailed to.
        type: str
        required: true
      delay:
        description: Seconds between two alerts (the API's C(cloud.alerting.DelayEnum)).
        type: int
        required: true
        choices: [3600, 10800, 21600, 43200, 86400, 172800, 259200, 604800]
  tags:
    description:
      - IAM tags of the project (C(iam.tags) of C(GET /cloud/project/{serviceName})), set with the API v2
        (C(POST /v2/iam/resource/{urn}/tag), C(DELETE /v2/iam/resource/{urn}/tag/{key})).
      - Keys have 1 to 128 and values 0 to 256 characters, each a letter, a digit or one of C(_.:/=+@-) (the API's
        rules, as terraform-provider-ovh checks them); an integer value is sent as its digits, other values must be
        quoted strings.
      - Keys starting with C(ovh:) are OVHcloud's own tags; they cannot be given, and are never changed or removed.
      - Not given (V(null)), the tags are left alone; the result still shows them (they come with the project, no call).
      - A tag whose value changes is removed, then added with its new value (two calls), as the API documents no
        overwrite.
    type: dict
  purge_tags:
    description:
      - With O(tags) given, remove the project's tags that O(tags) does not list (never OVHcloud's C(ovh:) ones).
      - Without O(tags) it does nothing, as C(purge_tags) of the amazon.aws collection; so O(tags={}) with the default
        V(true) removes every tag of yours, and V(false) only adds and updates.
    type: bool
    default: true
  plan_options:
    description:
      - Option plan codes ordered with the project (such as V(certification.hds.2018)), added to the cart with the
        project's duration and pricing mode when offered.
      - Before any write (and in check mode too), each is checked against the plan's options in the public catalogue
        (C(GET /order/catalog/public/cloud), the plan's C(addonFamilies)); an option not listed there fails, naming the
        offered ones, and nothing is written.
      - The catalogue is in beta; when it cannot be read or lists no options for the plan, the run goes on. Each option
        is checked again against the cart's offer (C(GET /order/cart/{cartId}/cloud/options?planCode=)), which decides,
        before the project is added to the cart; an option not offered there fails, naming the offered ones, and the
        cart is deleted (nothing is ordered).
      - They only apply when the module orders the project; for a project that exists they are not changed (a warning
        says so).
    type: list
    elements: str
  configurations:
    description:
      - Extra configurations of the cart's project item, C(label) to value (such as a C(vrack) the plan asks for), set as
        the module sets C(description); C(description) and C(voucher) are the module's own (O(name), O(voucher)).
      - Like O(plan_options), only when the module orders the project.
    type: dict
notes:
  - C(changed) is V(true) when this run placed an order (or would, in check mode), or changed the project's name,
    spending alerts or tags. Following an order placed by an earlier run, until its project is delivered, reports
    V(false).
  - Polling uses a capped exponential backoff (0.5 s growing to 30 s).
  - An order already placed for O(name) is found through C(GET /cloud/order), and through the account's orders of the
    last 24 hours for a delivered project that the API does not show yet.
  - Runs that share nothing but the API (AWX jobs on separate nodes, overlapping schedules) order a name once. Before
    checkout a run announces itself with a cart described C(ovhcloud.public_cloud:<name>) that lives five minutes,
    waits a few seconds, and orders only if its cart comes first among the carts for that name; the others delete
    their carts, wait for that run's order (within O(wait_timeout)) and follow it. A run killed before checkout holds
    the name for five minutes at most. An order costs about four seconds more for it.
  - Reads are retried on 5xx, 429 (waiting what C(Retry-After) asks) and dropped connections; writes never are.
  - The API shows no pending termination request, so a run with O(state=absent) and no token requests the termination
    again each time (V(changed=true), one more e-mail); confirm with the token of the latest e-mail.
  - Renaming, terminating, reading e-mails, spending alerts and tags need consumer-key rights beyond ordering (see the
    README).
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

- name: Order only if the order costs at most 1 EUR with tax (the project itself is billed by use)
  ovhcloud.public_cloud.public_cloud_project:
    name: team-c
    max_price: 1.0
  delegate_to: localhost

- name: Order a project with a spending alert, IAM tags and an option (a rerun changes nothing)
  ovhcloud.public_cloud.public_cloud_project:
    name: team-d-production
    alerting:
      - monthly_threshold: 500
        email: finops@example.com
        delay: 86400
    tags:
      team: team-d
      environment: production
    plan_options:
      - certification.hds.2018
  delegate_to: localhost

- name: Add a tag to an existing project, keeping its other tags
  ovhcloud.public_cloud.public_cloud_project:
    name: team-a-production
    tags:
      cost-center: "4711"
    purge_tags: false
  delegate_to: localhost

- name: Manage an existing project by its id (never orders), without renaming it
  ovhcloud.public_cloud.public_cloud_project:
    project_id: 0123456789ab4cdef0123456789abcde
  delegate_to: localhost

- name: Rename a project
  ovhcloud.public_cloud.public_cloud_project:
    project_id: 0123456789ab4cdef0123456789abcde
    name: team-a-staging
  delegate_to: localhost

- name: Request the termination of a project (OVHcloud e-mails a confirmation link)
  ovhcloud.public_cloud.public_cloud_project:
    name: team-a-staging
    state: absent
    allow_termination: true
  delegate_to: localhost

- name: Confirm it with the token of that link (a later run)
  ovhcloud.public_cloud.public_cloud_project:
    name: team-a-staging
    state: absent
    allow_termination: true
    termination_token: "{{ token_from_the_email }}"
  delegate_to: localhost

- name: Terminate in one run, reading the token from the account's e-mail history
  ovhcloud.public_cloud.public_cloud_project:
    project_id: 0123456789ab4cdef0123456789abcde
    state: absent
    allow_termination: true
    termination_token_from_email: true
    wait_timeout: 600
  delegate_to: localhost
"""

RETURN = r"""
project:
  description:
    - The project; V(null) while its order is not delivered (pending payment, O(wait=false)).
    - In check mode, a project that would be ordered has only RV(project.name) and RV(project.plan_code) set; its
      RV(project.project_id), RV(project.status), RV(project.creation_date) and RV(project.order_id) are V(null).
    - With O(state=absent), the project after the run (its status C(deleting) once the termination is confirmed), or
      V(null) when there is none.
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
    within_max_price:
      description:
        - Whether the price with tax is within O(max_price); V(null) when the price is not known (check mode without a
          catalogue price).
      returned: when O(max_price) is set and an order is placed (or would be, in check mode)
      type: bool
      sample: true
alerting:
  description:
    - The project's spending alerts after the run (in check mode, as they would be), sorted by e-mail, threshold and
      delay.
    - V(null) when O(alerting) is not given (they are not read), or when there is no project yet.
  returned: when O(state=present)
  type: list
  elements: dict
  contains:
    id:
      description: The alert's id; V(null) for an alert check mode would create.
      type: str
    email:
      description: Where the alert is e-mailed.
      type: str
    monthly_threshold:
      description: The monthly spending at which the alert is sent.
      type: int
    delay:
      description: Seconds between two alerts.
      type: int
  sample:
    - id: 4b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e
      email: finops@example.com
      monthly_threshold: 500
      delay: 86400
tags:
  description:
    - The project's IAM tags after the run (in check mode, as they would be), OVHcloud's C(ovh:) tags included.
    - V(null) when there is no project yet.
  returned: when O(state=present)
  type: dict
  sample:
    team: team-d
    environment: production
pending_payment:
  description: V(true) when the order waits for payment (O(auto_pay=false)).
  returned: always
  type: bool
  sample: false
unpaid_orders:
  description:
    - The orders for the name that this run left unpaid, because another order for the name was chosen to be paid
      (runs that overlapped). An unpaid order costs nothing and expires by itself; it can also be cancelled at its URL.
  returned: when O(state=present)
  type: list
  elements: dict
  sample: []
  contains:
    order_id:
      description: The order's id.
      type: int
    url:
      description: Where to see (or cancel) the order.
      type: str
termination:
  description: Where the project's termination stands after the run.
  returned: when O(state=absent)
  type: dict
  contains:
    requested:
      description:
        - V(true) when this run requested the termination (or would, in check mode), or the project is already being
          deleted or deleted.
      type: bool
      sample: true
    confirmed:
      description:
        - V(true) when the termination was confirmed with the token (or would be, in check mode), or the project is
          already being deleted or deleted. V(false) with RV(termination.requested=true) means a confirmation e-mail
          was sent and a run with the token is needed.
      type: bool
      sample: false
  sample:
    requested: true
    confirmed: false
failure:
  description: On failure, the step that failed and the API call behind it.
  returned: failed
  type: dict
  sample:
    step: assign cart
    method: POST
    path: /order/cart/0f1e2d3c-1111-2222-3333-444455556666/assign
    status: 403
    message: This call has not been granted
    error_code: NOT_GRANTED_CALL
    query_id: EU.ext-3.63ac85b6.10528.27b4f1fc
"""

from ansible.module_utils.basic import env_fallback

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_ensurer import ensure_project
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_terminator import TERMINATION_TOKEN_VARIABLE
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import ALERT_DELAYS


def argument_spec():
    return dict(
        name=dict(type="str"),
        project_id=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        allow_termination=dict(type="bool", default=False),
        # the action plugin hands a token given as an argument to the local module by this private variable
        termination_token=dict(type="str", no_log=True, fallback=(env_fallback, [TERMINATION_TOKEN_VARIABLE])),
        termination_token_from_email=dict(type="bool", default=False),
        max_price=dict(type="float"),
        subsidiary=dict(type="str"),
        plan_code=dict(type="str"),
        duration=dict(type="str", default="P1M"),
        pricing_mode=dict(type="str", default="default"),
        voucher=dict(type="str", no_log=False),
        auto_pay=dict(type="bool", default=True),
        waive_retractation_period=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
        alerting=dict(type="list", elements="dict", options=dict(
            monthly_threshold=dict(type="int", required=True),
            email=dict(type="str", required=True),
            delay=dict(type="int", required=True, choices=list(ALERT_DELAYS)),
        )),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        plan_options=dict(type="list", elements="str"),
        configurations=dict(type="dict"),
    )


def main():
    OvhModule(argument_spec(), supports_check_mode=True, required_one_of=[["name", "project_id"]]).run(ensure_project)


if __name__ == "__main__":
    main()
