# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading an OpenStack user's openrc: its export lines, the shell-default domains, the clouds.yaml auth settings."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openrc import openstack_auth, parse_openrc

# the shape of OVHcloud's v3 openrc (comments and the password prompt included)
OPENRC = """#!/bin/bash

# To use an Openstack cloud you need to authenticate against keystone.
export OS_AUTH_URL=https://auth.cloud.ovh.net/v3
export OS_IDENTITY_API_VERSION=3

export OS_USER_DOMAIN_NAME=${OS_USER_DOMAIN_NAME:-"Default"}
export OS_PROJECT_DOMAIN_NAME=${OS_PROJECT_DOMAIN_NAME:-"Default"}

export OS_TENANT_ID=0123456789ab4cdef0123456789abcde
export OS_TENANT_NAME="7565188008292577"

export OS_USERNAME="user-s7KJBZHndjsy"
echo "Please enter your OpenStack Password: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT

export OS_REGION_NAME="GRA11"
if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
"""


def test_parse_openrc_reads_values_quoted_or_not_and_shell_defaults():
    values = parse_openrc(OPENRC)
    assert values == {
        "OS_AUTH_URL": "https://auth.cloud.ovh.net/v3",
        "OS_IDENTITY_API_VERSION": "3",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_TENANT_ID": "0123456789ab4cdef0123456789abcde",
        "OS_TENANT_NAME": "7565188008292577",
        "OS_USERNAME": "user-s7KJBZHndjsy",
        "OS_REGION_NAME": "GRA11",
    }


@pytest.mark.parametrize("line, expected", [
    ("export OS_USER_DOMAIN_NAME=${OS_USER_DOMAIN_NAME:-'Corp'}", "Corp"),
    ("export OS_USER_DOMAIN_NAME=${OS_USER_DOMAIN_NAME-Other}", "Other"),
    ("  export OS_USER_DOMAIN_NAME='single'", "single"),
    ('export OS_USER_DOMAIN_NAME=""', ""),
])
def test_parse_openrc_forms(line, expected):
    assert parse_openrc(line)["OS_USER_DOMAIN_NAME"] == expected


def test_parse_openrc_ignores_what_is_not_an_export_of_a_value():
    assert parse_openrc("OS_A=1\n# export OS_B=2\nexport OS_C=$OTHER\nunset OS_D\n") == {}
    assert parse_openrc(None) == {}


def test_openstack_auth_from_openrc():
    assert openstack_auth(OPENRC) == {
        "auth_url": "https://auth.cloud.ovh.net/v3",
        "username": "user-s7KJBZHndjsy",
        "project_id": "0123456789ab4cdef0123456789abcde",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
    }


def test_openstack_auth_project_id_and_domains_fall_back():
    content = "export OS_AUTH_URL=https://k/v3\nexport OS_USERNAME=u\nexport OS_PROJECT_ID=p\n"
    assert openstack_auth(content) == {"auth_url": "https://k/v3", "username": "u", "project_id": "p",
                                       "user_domain_name": "Default", "project_domain_name": "Default"}


def test_openstack_auth_names_what_is_missing():
    with pytest.raises(WorkflowError, match="OS_AUTH_URL, OS_TENANT_ID"):
        openstack_auth("export OS_USERNAME=u\n")
