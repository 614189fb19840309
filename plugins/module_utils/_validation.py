# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Input checks made before any API call."""

from __future__ import annotations

import re
import unicodedata

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import SUBSIDIARIES_BY_ENDPOINT
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import PROJECT_ID_ADVICE, is_project_id

# The API documents no limit for cloud.Project.description; 64 printable characters is what we
# guarantee to round-trip (the Control Panel shows names of that size in full).
NAME_MAX_LENGTH = 64
# Nor does it document a character set. Names may use any script (accents, CJK...): the API takes JSON strings and
# python-ovh sends them escaped, so they reach it intact. Refused: what does not print, or breaks lines - control and
# invisible format characters (zero-width spaces, bidirectional overrides that make a name read differently),
# private-use and unassigned code points, and line or paragraph separators.
NOT_PRINTABLE = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
    "Cs": "a lone surrogate",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
# The longest wait_timeout: an order not delivered within a day needs a look in the Control Panel, and a rerun
# follows it anyway.
WAIT_TIMEOUT_MAX = 86400
# ISO-8601 durations of the date kind the order API uses (P1M, P1Y, P12M, P30D).
_DURATION = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
_VOUCHER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PLAN_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
TERMINATION_OPTIONS = ("termination_token", "termination_token_from_email")


def check_name(name):
    if name is None or not name.strip():
        raise InputError("name is empty: give the project's name (its description), e.g. name: team-a-prod")
    if len(name) > NAME_MAX_LENGTH:
        raise InputError(
            "name is %d characters long; the module accepts at most %d: choose a shorter name" % (len(name), NAME_MAX_LENGTH)
        )
    if name != name.strip():
        raise InputError("name %r has leading or trailing spaces: remove them (the API would store them as typed)" % name)
    for char in name:
        kind = NOT_PRINTABLE.get(unicodedata.category(char))
        if kind:
            label = unicodedata.name(char, "")
            raise InputError(
                "name %r contains U+%04X%s, %s: use printable characters only (letters of any script, digits, spaces and "
                "punctuation are fine)" % (name, ord(char), " " + label if label else "", kind)
            )


def check_subsidiary(subsidiary, endpoint):
    allowed = endpoint.subsidiaries
    if subsidiary not in allowed:
        where = "the %s endpoint" % endpoint.name if endpoint.name in SUBSIDIARIES_BY_ENDPOINT else "OVHcloud"
        capitals = " (subsidiaries are written in capitals: %s)" % subsidiary.upper() if subsidiary.upper() in allowed else ""
        raise InputError(
            "subsidiary %r is not one %s accepts: use one of %s%s" % (subsidiary, where, ", ".join(allowed), capitals),
            allowed_subsidiaries=list(allowed),
        )


def check_duration(duration):
    if not duration or not _DURATION.match(duration):
        raise InputError("duration %r is not an ISO-8601 duration: set duration to one such as P1M (one month) or P1Y "
                         "(one year)" % duration)


def check_voucher(voucher):
    if voucher is not None and not _VOUCHER.match(voucher):
        raise InputError("voucher %r is malformed: a voucher code has 1 to 64 letters, digits, '-' or '_'; check the code, "
                         "or leave the voucher option out" % voucher)


def check_plan_code(plan_code):
    if plan_code is not None and not _PLAN_CODE.match(plan_code):
        raise InputError("plan_code %r is malformed: set plan_code to a code such as project.2018 (lower case), or leave "
                         "it out for the default plan" % plan_code)


def check_endpoint(endpoint):
    if not endpoint.sells_public_cloud:
        raise InputError("endpoint %s does not sell Public Cloud projects: use ovh-eu, ovh-ca or ovh-us" % endpoint.name)


def check_project_id(project_id):
    """The check of a project_id option, the same in every module (``is_project_id``: it goes into the API path)."""
    if project_id is not None and not is_project_id(project_id):
        raise InputError("project_id %r is not a project id: %s" % (project_id, PROJECT_ID_ADVICE))


def check_max_price(max_price):
    if max_price is not None and not max_price >= 0:  # also refuses NaN
        raise InputError("max_price is %s; it must be 0 or more, in the account's currency: set the highest price with tax "
                         "you accept for the order, or leave max_price out" % max_price)


def check_project_options(params, endpoint):
    """Check every option of public_cloud_project (state=present) against the resolved Endpoint; raise InputError
    naming the first bad one."""
    given = [option for option in TERMINATION_OPTIONS if params.get(option)]
    if given:
        raise InputError("%s only apply with state: absent; remove %s, or set state: absent (with allow_termination: "
                         "true) to terminate the project" % (" and ".join(given), " and ".join(given)))
    check_endpoint(endpoint)
    check_project_id(params.get("project_id"))
    if params.get("name") is not None or not params.get("project_id"):
        check_name(params.get("name"))
    check_max_price(params.get("max_price"))
    if params.get("subsidiary") is not None:
        check_subsidiary(params["subsidiary"], endpoint)
    check_duration(params.get("duration"))
    check_voucher(params.get("voucher"))
    check_plan_code(params.get("plan_code"))
    check_wait_timeout(params.get("wait_timeout"))


def check_wait_timeout(wait_timeout):
    if wait_timeout is not None and not 0 <= wait_timeout <= WAIT_TIMEOUT_MAX:
        raise InputError(
            "wait_timeout is %s seconds; it must be between 0 and %d (one day): choose a value in that range (a rerun "
            "follows an order still in flight, it never orders twice)" % (wait_timeout, WAIT_TIMEOUT_MAX)
        )


def check_termination_allowed(params):
    """``allow_termination`` is checked before anything else (even the endpoint): nothing runs without it."""
    if not params.get("allow_termination"):
        raise InputError("state: absent terminates a project, and allow_termination is not true: set allow_termination: "
                         "true to confirm that this task may delete the project (nothing was called)")


def check_termination_options(params, endpoint):
    """Check the options of state=absent, ``allow_termination`` first."""
    check_termination_allowed(params)
    if params.get("termination_token") and params.get("termination_token_from_email"):
        raise InputError("termination_token and termination_token_from_email are mutually exclusive: give the token, or "
                         "let the module read it from the account's e-mail, not both")
    check_endpoint(endpoint)
    check_project_id(params.get("project_id"))
    if params.get("name") is not None or not params.get("project_id"):
        check_name(params.get("name"))
    check_wait_timeout(params.get("wait_timeout"))
