# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Input checks made before any API call."""

from __future__ import annotations

import re
import unicodedata

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._flavours import SUBSIDIARIES_BY_ENDPOINT

# The API documents no limit for cloud.Project.description; 64 printable characters is what we
# guarantee to round-trip (the Control Panel shows names of that size in full).
NAME_MAX_LENGTH = 64
# ISO-8601 durations of the date kind the order API uses (P1M, P1Y, P12M, P30D).
_DURATION = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
_VOUCHER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PLAN_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def check_name(name):
    if name is None or not name.strip():
        raise InputError("name is empty: give the project's name (its description), e.g. name: team-a-prod")
    if name != name.strip():
        raise InputError("name %r has leading or trailing spaces: remove them (the API would store them as typed)" % name)
    if len(name) > NAME_MAX_LENGTH:
        raise InputError(
            "name is %d characters long; the module accepts at most %d: choose a shorter name" % (len(name), NAME_MAX_LENGTH)
        )
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise InputError("name %r contains control characters (newline, tab...): use printable characters only" % name)


def check_subsidiary(subsidiary, endpoint):
    allowed = endpoint.subsidiaries
    if subsidiary not in allowed:
        where = "the %s endpoint" % endpoint.name if endpoint.name in SUBSIDIARIES_BY_ENDPOINT else "OVHcloud"
        raise InputError(
            "subsidiary %r is not one %s accepts: use one of %s" % (subsidiary, where, ", ".join(allowed)),
            allowed_subsidiaries=list(allowed),
        )


def check_duration(duration):
    if not duration or not _DURATION.match(duration):
        raise InputError("duration %r is not an ISO-8601 duration such as P1M (one month) or P1Y" % duration)


def check_voucher(voucher):
    if voucher is not None and not _VOUCHER.match(voucher):
        raise InputError("voucher %r is malformed: a voucher code has 1 to 64 letters, digits, '-' or '_'" % voucher)


def check_plan_code(plan_code):
    if plan_code is not None and not _PLAN_CODE.match(plan_code):
        raise InputError("plan_code %r is malformed: expected a code such as project.2018" % plan_code)


def check_endpoint(endpoint):
    if not endpoint.sells_public_cloud:
        raise InputError("endpoint %s does not sell Public Cloud projects: use ovh-eu, ovh-ca or ovh-us" % endpoint.name)


def check_project_options(params, endpoint):
    """Check every option of public_cloud_project against the resolved Endpoint; raise InputError naming the first bad one."""
    check_endpoint(endpoint)
    check_name(params.get("name"))
    if params.get("subsidiary") is not None:
        check_subsidiary(params["subsidiary"], endpoint)
    check_duration(params.get("duration"))
    check_voucher(params.get("voucher"))
    check_plan_code(params.get("plan_code"))
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 0:
        raise InputError("wait_timeout must be 0 or more seconds, got %s" % params["wait_timeout"])
