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
    check_settings_options(params)


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


# The delays between two spending alerts the API accepts, in seconds (cloud.alerting.DelayEnum: 1 hour to 1 week), as
# terraform-provider-ovh validates them (ovh/resource_cloud_project_alerting_gen.go,
# https://github.com/ovh/terraform-provider-ovh).
ALERT_DELAYS = (3600, 10800, 21600, 43200, 86400, 172800, 259200, 604800)
# An address the API can e-mail: one '@', no space, a dot in the domain.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# IAM tags, as the API v2 takes them and terraform-provider-ovh checks them (ovh/resource_iam_resource_tags.go): keys of
# 1 to 128 and values of 0 to 256 letters, digits or _ . : / = + @ -; keys starting with "ovh:" are OVHcloud's own.
_TAG_KEY = re.compile(r"^[a-zA-Z0-9_.:/=+@-]{1,128}$")
_TAG_VALUE = re.compile(r"^[a-zA-Z0-9_.:/=+@-]{0,256}$")
OVH_TAG_PREFIX = "ovh:"
TAG_CHARACTERS = "letters, digits and _ . : / = + @ -"
# The cart configurations the module sets itself.
OWN_CONFIGURATIONS = ("description", "voucher")


def check_alerting(alerting):
    """Each wanted spending alert: a threshold above 0, an e-mail address, a delay of the API's enum; no alert twice."""
    seen = set()
    for number, alert in enumerate(alerting or [], start=1):
        where = "alerting[%d]" % number
        threshold, email, delay = alert.get("monthly_threshold"), alert.get("email"), alert.get("delay")
        if threshold is None or threshold <= 0:
            raise InputError("%s: monthly_threshold is %s; it must be a whole amount above 0 in the account's currency "
                             "(the alert is e-mailed when the month's spending reaches it)" % (where, threshold))
        if not email or not _EMAIL.match(email):
            raise InputError("%s: email %r is not an e-mail address: give one such as billing@example.com" % (where, email))
        if delay not in ALERT_DELAYS:
            raise InputError("%s: delay %s is not one the API accepts: use one of %s (seconds between two alerts, 1 hour "
                             "to 1 week)" % (where, delay, ", ".join(str(d) for d in ALERT_DELAYS)))
        key = (threshold, email.lower(), delay)
        if key in seen:
            raise InputError("%s is the same alert as an earlier entry (%s, %s, every %s s): remove one of them"
                             % (where, email, threshold, delay))
        seen.add(key)


def tag_text(value):
    """A tag value as the API stores it: a string (an integer given in YAML becomes its digits); None for another type."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def check_tags(tags):
    """Tag keys and values the API takes; none of OVHcloud's own ``ovh:`` keys."""
    for key, value in (tags or {}).items():
        if not isinstance(key, str) or not _TAG_KEY.match(key):
            raise InputError("tag key %r is refused: a key has 1 to 128 %s; rename the tag" % (key, TAG_CHARACTERS))
        if key.lower().startswith(OVH_TAG_PREFIX):
            raise InputError("tag key %r starts with %r, which OVHcloud reserves for the tags it sets itself: choose a key "
                             "without that prefix" % (key, OVH_TAG_PREFIX))
        text = tag_text(value)
        if text is None:
            raise InputError("tag %r has the value %r (%s): a tag value is a string; quote it in YAML"
                             % (key, value, type(value).__name__))
        if not _TAG_VALUE.match(text):
            raise InputError("tag %r has the value %r, which the API refuses: a value has 0 to 256 %s; change the value"
                             % (key, text, TAG_CHARACTERS))


def check_plan_options(plan_options):
    seen = set()
    for option in plan_options or []:
        if not option or not option.strip():
            raise InputError("plan_options holds an empty entry: give option plan codes such as certification.hds.2018, "
                             "or remove the empty entry")
        if not _PLAN_CODE.match(option):
            raise InputError("plan_options entry %r is malformed: an option plan code is lower case, such as "
                             "certification.hds.2018" % option)
        if option in seen:
            raise InputError("plan_options lists %r twice: give each option once" % option)
        seen.add(option)


def check_configurations(configurations):
    for label, value in (configurations or {}).items():
        if not label or not str(label).strip():
            raise InputError("configurations has an empty label: give the label the cart asks for, such as vrack")
        if label in OWN_CONFIGURATIONS:
            raise InputError("configurations sets %r, which the module sets itself: give it with the %s option instead"
                             % (label, "name" if label == "description" else label))
        if tag_text(value) is None or not tag_text(value).strip():
            raise InputError("configurations %r has the value %r: give a non-empty string" % (label, value))


def check_settings_options(params):
    """The project's settings: spending alerts, IAM tags, plan options and cart configurations."""
    check_alerting(params.get("alerting"))
    check_tags(params.get("tags"))
    check_plan_options(params.get("plan_options"))
    check_configurations(params.get("configurations"))
