#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: public_cloud_api_probe
short_description: Measure what the collection's race guard assumes of the OVHcloud API, with free calls only
version_added: 0.1.0
description:
  - Measures, against the API it is pointed at, the behaviours the race guard of
    M(ovhcloud.public_cloud.public_cloud_project) rests on and that no public source settles, and answers for each
    C(holds), C(does not hold) or C(could not tell), with the seconds measured where one applies.
  - V(own_cart_listed) - a cart created and assigned is listed by C(GET /order/cart?description=) for the same
    application, within the race guard's settle time (4 s).
  - V(other_application_carts_listed) - a cart created and assigned by this application is listed for a second
    application of the same account (O(other_application_key)) within the settle time, and that application can read it.
  - V(short_expire_honoured) - a cart whose C(expire) is O(expire_seconds) away (API time, C(GET /auth/time)) is gone
    (C(GET /order/cart/{cartId}) answers 404, or it is no longer listed) within O(listing_wait) seconds after it.
  - V(expired_cart_refuses_checkout) - the checkout summary of that cart (C(GET /order/cart/{cartId}/checkout), a read
    of its prices and contracts, never C(POST)), served before its C(expire), is refused (any 4xx) once the expire has
    passed. The cart gets one project item for that (C(POST /order/cart/{cartId}/cloud) and its C(description)
    configuration; free, nothing is ordered without a checkout). A summary still served does not hold.
  - "V(pragma_no_cache_bypasses_listing_cache) - with O(project_id), the expanded listing of C(GET /cloud/project) read
    with C(Pragma: no-cache) shows a description changed a moment before; the result says too whether the listing read
    without it was stale, and for how long."
  - V(checked_out_cart_stays_listed) and V(new_order_listed_within_settle) - a checked-out cart stays listed
    (C(readOnly)) by C(GET /order/cart?description=), and a new order is listed by C(GET /me/order) and
    C(GET /cloud/order) within the order settle time (6 s). Only a checkout shows them. Without
    O(unpaid_order_checks) (the default) the probe never checks out, and they answer C(could not tell), naming that
    option and saying what the collection does when they are false (its payment rule pays one order). With it, one
    cart is checked out without paying and both are measured (see O(unpaid_order_checks)).
  - Every call is free. The probe creates carts (described C(ovhcloud.public_cloud-probe:<id>-<purpose>), never with
    the race guard's prefix nor a project name, so a probe never delays a real order) and deletes each of them at the
    end, also when the run fails or the module process gets SIGTERM or SIGINT. It adds one project to its short-lived
    cart, only to read that cart's checkout summary. It never checks out unless O(unpaid_order_checks) is set, and never
    pays anything.
    Its carts expire within O(listing_wait) plus two minutes, so even a SIGKILL leaves them only minutes.
  - With O(project_id) it changes that project's description for a few seconds and always puts it back.
author:
  - OVHcloud Public Cloud collection maintainers (@ovhcloud)
extends_documentation_fragment:
  - ovhcloud.public_cloud.ovh
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: In check mode the module makes no API call at all, and every assumption is C(could not tell).
  diff_mode:
    support: none
  platform:
    platforms: all
options:
  other_application_key:
    description:
      - Application key of a second API application of the same account, for V(other_application_carts_listed).
      - Without it, that check answers C(could not tell).
      - If not set, the E(OVH_OTHER_APPLICATION_KEY) environment variable is used.
    type: str
  other_application_secret:
    description:
      - Application secret of the second application. Never logged or returned.
      - If not set, the E(OVH_OTHER_APPLICATION_SECRET) environment variable is used.
    type: str
  other_consumer_key:
    description:
      - Consumer key of the second application, for the same account, with the rights C(GET /order/cart) and
        C(GET /order/cart/*). Never logged or returned.
      - If not set, the E(OVH_OTHER_CONSUMER_KEY) environment variable is used.
    type: str
  subsidiary:
    description:
      - The OVHcloud subsidiary of the probe's carts (C(ovhSubsidiary)); use V(US) on the US API, V(CA) or another
        subsidiary of the account on the Canadian API.
      - It must be one that the endpoint accepts, checked before any API call; the list for each endpoint is in the
        description of O(ovhcloud.public_cloud.public_cloud_project#module:subsidiary).
    type: str
    default: FR
  listing_wait:
    description:
      - Seconds to wait for a cart to be listed, and for a cart to be gone after its C(expire). 1 to 600.
    type: int
    default: 30
  expire_seconds:
    description:
      - How far in the future (API time) the C(expire) of the short-lived cart is. 1 to 3600.
      - Its project item and first checkout summary must be read before it, else V(expired_cart_refuses_checkout)
        answers C(could not tell).
    type: int
    default: 20
  project_id:
    description:
      - A project of the account whose description the probe may change for a few seconds (it is always put back),
        for V(pragma_no_cache_bypasses_listing_cache).
      - Without it, that check answers C(could not tell).
    type: str
  unpaid_order_checks:
    description:
      - Measure V(checked_out_cart_stays_listed) and V(new_order_listed_within_settle) with one checkout that is never
        paid. Off by default, so that the probe never checks out unless asked.
      - The probe fills one cart (described C(ovhcloud.public_cloud-probe:<id>-checkout), never a project name) with a
        project item and its C(description) configuration, and checks it out with
        C(autoPayWithPreferredPaymentMethod=false) and C(waiveRetractationPeriod=false), as the collection does - the
        API creates an order C(notPaid) and charges nothing. The probe never pays it (no C(POST /me/order/{orderId}/pay)
        nor C(payWithRegisteredPaymentMean)), so no project is delivered.
      - It then reads whether C(GET /order/cart?description=) still lists the cart (and that it reads back
        C(readOnly)), right after the checkout and once the orders were looked for, and how many seconds until
        C(GET /me/order) (with C(date.from)) and C(GET /cloud/order) list the order, for up to O(listing_wait) seconds
        (at least the order settle time, 6 s). It then tries to delete the checked-out cart (if the API refuses, the
        cart expires by itself).
      - The unpaid order stays visible in the Control Panel and in RV(unpaid_orders), with its URL, until it expires by
        itself; it costs nothing, and can be cancelled at its URL.
      - Needs also the rights C(GET /me/order), C(GET /me/order/*) and C(GET /cloud/order).
    type: bool
    default: false
notes:
  - The consumer key needs C(POST /order/cart), C(POST /order/cart/*), C(GET /order/cart), C(GET /order/cart/*) and
    C(DELETE /order/cart/*) (all in C(docs/api-access-rules.json)); with O(project_id), also C(GET /cloud/project),
    C(GET /cloud/project/*) and C(PUT /cloud/project/*).
  - With O(unpaid_order_checks) the consumer key also needs C(GET /me/order), C(GET /me/order/*) and
    C(GET /cloud/order); the checkout (C(POST /order/cart/*/checkout)) is among C(POST /order/cart/*).
  - It takes about O(expire_seconds) plus a few seconds (with O(unpaid_order_checks), a few more), up to
    O(expire_seconds) plus twice O(listing_wait) when the API does not do what the race guard assumes (with
    O(unpaid_order_checks), once more O(listing_wait), at least 6 s).
  - "C(changed) is true only if something could not be put back: a cart left (RV(carts_left)) or the project's
    description (RV(listing_cache.description_restored)); or if O(unpaid_order_checks) placed an unpaid order
    (RV(unpaid_orders))."
  - C(docs/probe.md) in the collection says how to read the results and how to report them.
seealso:
  - module: ovhcloud.public_cloud.public_cloud_project
"""

EXAMPLES = r"""
- name: Probe the API with one application (credentials from the OVH_* environment variables)
  ovhcloud.public_cloud.public_cloud_api_probe:
  delegate_to: localhost
  register: probe

- name: Show one line per assumption
  ansible.builtin.debug:
    var: probe.lines

- name: Probe with a second application of the same account, and a project whose description may change for a moment
  ovhcloud.public_cloud.public_cloud_api_probe:
    endpoint: ovh-eu
    other_application_key: "{{ second_application_key }}"
    other_application_secret: "{{ second_application_secret }}"
    other_consumer_key: "{{ second_consumer_key }}"
    project_id: 0123456789ab4cdef0123456789abcde
    listing_wait: 60
  delegate_to: localhost
  register: probe

- name: Also measure what only a checkout shows, with one free checkout whose order is never paid
  ovhcloud.public_cloud.public_cloud_api_probe:
    unpaid_order_checks: true
  delegate_to: localhost
  register: probe
"""

RETURN = r"""
assumptions:
  description: One entry per assumption, always the seven, in this order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description:
        - V(own_cart_listed), V(other_application_carts_listed), V(short_expire_honoured),
          V(expired_cart_refuses_checkout), V(pragma_no_cache_bypasses_listing_cache), V(checked_out_cart_stays_listed)
          or V(new_order_listed_within_settle).
      type: str
      sample: own_cart_listed
    result:
      description: V(holds), V(does not hold) or V(could not tell) (an input is missing, or a call failed).
      type: str
      sample: holds
    detail:
      description: What was seen, in a sentence (the cart id, the expire read back, the API's error).
      type: str
      sample: cart 6f0e2c1a listed for this application 0.0 s after its assignment (listing read every 1 s)
    seconds:
      description:
        - The delay measured - until the cart was listed, after the expire until the cart was gone or its checkout
          summary was read, until the plain listing showed the new description, until both order listings showed the
          unpaid order - or V(null).
      type: float
      sample: 0.0
lines:
  description:
    - "The assumptions as one line each, C(<name>: <result> (<seconds> s) - <detail>)."
    - Then, with O(unpaid_order_checks), one line per unpaid order the probe placed, with its id and URL.
  returned: always
  type: list
  elements: str
  sample:
    - "own_cart_listed: holds (0.0 s) - cart 6f0e2c1a listed for this application 0.0 s after its assignment (listing read every 1 s)"
probe_id:
  description: The random part of this run's cart descriptions (V(null) in check mode).
  returned: always
  type: str
  sample: 3f2a9c0d41be
carts_created:
  description: Ids of the carts the probe created.
  returned: always
  type: list
  elements: str
  sample: [6f0e2c1a, 7a1b3d2e]
carts_left:
  description: Ids of the carts the probe could not delete (they expire by themselves); empty when all went well.
  returned: always
  type: list
  elements: str
  sample: []
unpaid_orders:
  description:
    - The orders O(unpaid_order_checks) placed (one at most), never paid by the probe; each costs nothing and expires
      by itself unpaid (or can be cancelled at its URL). Empty without that option.
  returned: always
  type: list
  elements: dict
  contains:
    order_id:
      description: The order's id (V(null) if the checkout's answer was lost although the cart was checked out).
      type: int
      sample: 123456789
    url:
      description: The order's URL, from C(GET /me/order/{orderId}); it carries the order's password.
      type: str
    cart_id:
      description: The checked-out cart.
      type: str
    cart_deleted:
      description: Whether the checked-out cart was deleted (V(false) if the API refused; it expires by itself).
      type: bool
listing_cache:
  description: What the listing check saw; V(null) values when it did not run.
  returned: always
  type: dict
  contains:
    plain_listing_stale:
      description: The listing read without C(Pragma) right after the change still showed the old description.
      type: bool
    pragma_listing_fresh:
      description: "The listing read with C(Pragma: no-cache) right after the change showed the new description."
      type: bool
    description_restored:
      description: The project's description was put back (V(false) is also warned about).
      type: bool
"""

from ansible.module_utils.basic import env_fallback

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api_probe import probe_api
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule

OTHER_APPLICATION_OPTIONS = ["other_application_key", "other_application_secret", "other_consumer_key"]


def argument_spec():
    return dict(
        other_application_key=dict(type="str", no_log=False, fallback=(env_fallback, ["OVH_OTHER_APPLICATION_KEY"])),
        other_application_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["OVH_OTHER_APPLICATION_SECRET"])),
        other_consumer_key=dict(type="str", no_log=True, fallback=(env_fallback, ["OVH_OTHER_CONSUMER_KEY"])),
        subsidiary=dict(type="str", default="FR"),
        listing_wait=dict(type="int", default=30),
        expire_seconds=dict(type="int", default=20),
        project_id=dict(type="str"),
        unpaid_order_checks=dict(type="bool", default=False),
    )


def main():
    OvhModule(argument_spec(), supports_check_mode=True, required_together=[OTHER_APPLICATION_OPTIONS]).run(probe_api)


if __name__ == "__main__":
    main()
