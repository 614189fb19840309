# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""What an OpenStack user's openrc (``GET /cloud/project/{id}/user/{userId}/openrc``) says: its ``export`` values."""

from __future__ import annotations

import re

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import WorkflowError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._steps import Step

EXPORT = re.compile(r"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
# OVHcloud's openrc lets the shell override the domains: OS_USER_DOMAIN_NAME=${OS_USER_DOMAIN_NAME:-"Default"}
SHELL_DEFAULT = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$")
DEFAULT_DOMAIN = "Default"


def _unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_openrc(content):
    """``export NAME=value`` lines -> {NAME: value}: quotes removed, ``${NAME:-default}`` read as its default; a value
    that is another variable (``OS_PASSWORD=$OS_PASSWORD_INPUT``) is not a value and is left out."""
    values = {}
    for line in (content or "").splitlines():
        match = EXPORT.match(line)
        if not match:
            continue
        value = _unquote(match.group(2))
        default = SHELL_DEFAULT.match(value)
        if default:
            value = _unquote(default.group(1))
        elif value.startswith("$"):
            continue
        values[match.group(1)] = value
    return values


def openstack_auth(content):
    """The ``auth`` settings of a clouds.yaml entry (without the password) from an openrc's text.

    The project id is OS_TENANT_ID (OS_PROJECT_ID in other openrc files); the domains default to ``Default``.
    """
    values = parse_openrc(content)
    project_id = values.get("OS_TENANT_ID") or values.get("OS_PROJECT_ID")
    missing = [name for name, value in (("OS_AUTH_URL", values.get("OS_AUTH_URL")), ("OS_USERNAME", values.get("OS_USERNAME")),
                                        ("OS_TENANT_ID", project_id)) if not value]
    if missing:
        raise WorkflowError(Step.READ_OPENRC, "the user's openrc has no %s: cannot write its clouds.yaml entry" % ", ".join(missing))
    return {
        "auth_url": values["OS_AUTH_URL"],
        "username": values["OS_USERNAME"],
        "project_id": project_id,
        "user_domain_name": values.get("OS_USER_DOMAIN_NAME") or DEFAULT_DOMAIN,
        "project_domain_name": values.get("OS_PROJECT_DOMAIN_NAME") or DEFAULT_DOMAIN,
    }
