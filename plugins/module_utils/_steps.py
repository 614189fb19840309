# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Every step name a module failure can report (``failure.step``, and the prefix of ``msg``), declared once.

Each workflow names its steps through ``Step``; a unit test (tests/unit/plugins/module_utils/test_steps.py) checks that
every step used in plugins/ is listed here, that every listed step is used, and that no step is written as a bare
string elsewhere. The texts are part of the modules' output (docs/errors.md lists them): changing one changes what
users see.
"""

from __future__ import annotations


class Step:
    """The step names, as constants (``Step.CREATE_CART``); ``Step.all()`` maps each constant to its text."""

    # any module
    VALIDATE_INPUT = "validate input"
    CONFIGURE_CLIENT = "configure client"
    UNEXPECTED_ERROR = "unexpected error"
    # public_cloud_project, state=present: look up, order, pay, follow
    LOOK_UP_PROJECT = "look up project"
    CHECK_ELIGIBILITY = "check eligibility"
    CHECK_PLAN_OPTIONS = "check plan options"
    CREATE_CART = "create cart"
    ASSIGN_CART = "assign cart"
    LIST_OFFERS = "list offers"
    ADD_PROJECT_TO_CART = "add project to cart"
    READ_REQUIRED_CONFIGURATION = "read required configuration"
    SET_DESCRIPTION = "set description"
    SET_VOUCHER = "set voucher"
    LIST_PLAN_OPTIONS = "list plan options"
    ADD_PLAN_OPTION = "add plan option"
    SET_CONFIGURATION = "set configuration"
    READ_CHECKOUT_SUMMARY = "read checkout summary"
    CHECK_PRICE = "check price"
    WAIT_FOR_ANOTHER_RUN = "wait for another run"
    ORDER = "order"
    CHECKOUT = "checkout"
    CHOOSE_ORDER_TO_PAY = "choose order to pay"
    CHECK_PAYMENT_METHOD = "check payment method"
    PAY_ORDER = "pay order"
    WAIT_FOR_ORDER = "wait for order"
    READ_ORDER_STATUS = "read order status"
    READ_ORDER_FOLLOW_UP = "read order follow-up"
    FIND_DELIVERED_PROJECT = "find delivered project"
    READ_PROJECT = "read project"
    WAIT_FOR_PROJECT = "wait for project"
    # public_cloud_project: project_id (adopt, rename) and state=absent
    RENAME_PROJECT = "rename project"
    # public_cloud_project: spending alerts and IAM tags of the project (and public_cloud_project_info's alerts)
    READ_ALERTS = "read alerts"
    SET_ALERTS = "set alerts"
    SET_TAGS = "set tags"
    REQUEST_TERMINATION = "request termination"
    READ_TERMINATION_EMAIL = "read termination e-mail"
    CONFIRM_TERMINATION = "confirm termination"
    # public_cloud_project_info
    LOOK_UP_ORDERS_IN_FLIGHT = "look up orders in flight"
    # public_cloud_user
    CLOUDS_YAML = "clouds.yaml"
    CHECK_REGION = "check region"
    FIND_USER = "find user"
    CREATE_USER = "create user"
    WAIT_FOR_USER = "wait for user"
    CHANGE_ROLES = "change roles"
    REGENERATE_PASSWORD = "regenerate password"
    VERIFY_PASSWORD = "verify password"
    READ_OPENRC = "read openrc"
    DELETE_USER = "delete user"
    # public_cloud_api_probe
    PROBE_API = "probe the API"

    @classmethod
    def all(cls):
        """{constant name: step text} of every step."""
        return {name: value for name, value in vars(cls).items() if name.isupper()}
