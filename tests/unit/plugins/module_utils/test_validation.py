# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Input checks made before any API call."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import EndpointError, InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import Endpoint
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import (
    NAME_MAX_LENGTH,
    WAIT_TIMEOUT_MAX,
    check_duration,
    check_endpoint,
    check_name,
    check_plan_code,
    check_project_options,
    check_termination_options,
    check_subsidiary,
    check_voucher,
    check_wait_timeout,
)


def ep(text):
    """The resolved Endpoint the checks take; None stands for a URL endpoint (the simulator)."""
    return Endpoint.parse(text if text is not None else "http://127.0.0.1:8080")


def refused(check, *args):
    with pytest.raises(InputError) as err:
        check(*args)
    assert err.value.step == "validate input"
    return err.value


# -- name ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "team-a-prod", "Équipe B (prod) #2", "x" * 64, "with  inner   spaces",
                                  "équipe-données", "東京-開発", "Ωmega_ß", "команда", "🚀 launch", "a\u00a0b", "e\u0301"])
def test_name_accepted(name):
    # the API documents no charset: any printable text, in any script, is kept as typed
    assert check_name(name) is None


def test_name_limit_is_64():
    assert NAME_MAX_LENGTH == 64
    check_name("n" * 64)
    error = refused(check_name, "n" * 65)
    assert "65 characters" in error.msg
    assert "at most 64" in error.msg


@pytest.mark.parametrize("name", [None, "", " ", "   ", "\t", "\n"])
def test_name_empty_or_blank_refused(name):
    assert "name is empty" in refused(check_name, name).msg


@pytest.mark.parametrize("name", [" lead", "trail ", " both ", "trail\n"])
def test_name_leading_or_trailing_space_refused(name):
    assert "leading or trailing spaces" in refused(check_name, name).msg


@pytest.mark.parametrize("name, code, kind", [
    ("a\nb", "U+000A", "a control character"),
    ("a\tb", "U+0009", "a control character"),
    ("a\x00b", "U+0000", "a control character"),
    ("a\x1bb", "U+001B", "a control character"),
    ("a\x7fb", "U+007F", "a control character"),
    ("a\u200bb", "U+200B ZERO WIDTH SPACE", "an invisible format character"),
    ("abc\u202edef", "U+202E RIGHT-TO-LEFT OVERRIDE", "an invisible format character"),
    ("a\ufeffb", "U+FEFF ZERO WIDTH NO-BREAK SPACE", "an invisible format character"),
    ("a\ue000b", "U+E000", "a private-use character"),
    ("a\u2028b", "U+2028 LINE SEPARATOR", "a line separator"),
    ("a\u2029b", "U+2029 PARAGRAPH SEPARATOR", "a paragraph separator"),
    ("a\U000e0001b", "U+E0001 LANGUAGE TAG", "an invisible format character"),
])
def test_name_not_printable_characters_refused_naming_the_character(name, code, kind):
    msg = refused(check_name, name).msg
    assert "contains %s, %s" % (code, kind) in msg
    assert "use printable characters only" in msg
    assert repr(name) in msg  # escaped: the message shows where the character is


def test_huge_name_refused_by_length_without_echoing_it():
    msg = refused(check_name, " " + "x" * 100000).msg
    assert "100001 characters long" in msg and "at most 64" in msg
    assert len(msg) < 200


# -- subsidiary ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subsidiary, endpoint",
    [("FR", "ovh-eu"), ("DE", "ovh-eu"), ("QC", "ovh-ca"), ("CA", "ovh-ca"), ("US", "ovh-us"), ("FR", "ovh-us"), ("US", None), ("QC", None)],
)
def test_subsidiary_accepted(subsidiary, endpoint):
    assert check_subsidiary(subsidiary, ep(endpoint)) is None


@pytest.mark.parametrize("subsidiary, endpoint", [("FR", "ovh-ca"), ("US", "ovh-eu"), ("QC", "ovh-eu"), ("US", "ovh-ca"), ("IN", "ovh-us")])
def test_subsidiary_of_another_endpoint_refused(subsidiary, endpoint):
    error = refused(check_subsidiary, subsidiary, ep(endpoint))
    assert "the %s endpoint" % endpoint in error.msg
    assert subsidiary not in error.details["allowed_subsidiaries"]


def test_fr_refused_on_ovh_ca_lists_ca_subsidiaries():
    error = refused(check_subsidiary, "FR", ep("ovh-ca"))
    assert error.details["allowed_subsidiaries"] == ["ASIA", "AU", "CA", "IN", "QC", "SG", "WE", "WS"]
    assert "ASIA, AU, CA, IN, QC, SG, WE, WS" in error.msg


def test_lower_case_subsidiary_is_told_to_use_capitals():
    assert "(subsidiaries are written in capitals: FR)" in refused(check_subsidiary, "fr", ep("ovh-eu")).msg
    assert "capitals" not in refused(check_subsidiary, "XX", ep("ovh-eu")).msg


@pytest.mark.parametrize("endpoint", ["ovh-eu", "ovh-ca", "ovh-us", None])
@pytest.mark.parametrize("subsidiary", ["XX", "fr", ""])
def test_unknown_subsidiary_refused_everywhere_with_a_list(subsidiary, endpoint):
    error = refused(check_subsidiary, subsidiary, ep(endpoint))
    assert "use one of" in error.msg
    allowed = error.details["allowed_subsidiaries"]
    assert len(allowed) >= 8
    assert ", ".join(allowed) in error.msg


def test_url_endpoint_accepts_any_known_subsidiary_and_says_ovhcloud():
    error = refused(check_subsidiary, "XX", ep(None))
    assert "OVHcloud" in error.msg
    assert {"FR", "QC", "US", "IN"} <= set(error.details["allowed_subsidiaries"])


# -- duration ------------------------------------------------------------------------------------


@pytest.mark.parametrize("duration", ["P1M", "P1Y", "P12M", "P30D", "P1Y6M", "P2W"])
def test_duration_accepted(duration):
    assert check_duration(duration) is None


@pytest.mark.parametrize("duration", ["1M", "P", "PM", "P1H", "PT1H", "P1", "p1m", "P1M ", "", None, "P-1M", "P1.5M"])
def test_duration_refused(duration):
    assert "ISO-8601 duration" in refused(check_duration, duration).msg


# -- endpoint ------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["kimsufi-eu", "kimsufi-ca", "soyoustart-eu", "soyoustart-ca"])
def test_kimsufi_and_soyoustart_refused(endpoint):
    error = refused(check_endpoint, ep(endpoint))
    assert "does not sell Public Cloud" in error.msg
    assert "ovh-eu, ovh-ca or ovh-us" in error.msg


@pytest.mark.parametrize("endpoint, name", [("ovh-eu", "ovh-eu"), ("ovh-ca", "ovh-ca"), ("ovh-us", "ovh-us"), ("http://127.0.0.1:8080", None)])
def test_public_cloud_endpoints_accepted(endpoint, name):
    assert check_endpoint(ep(endpoint)) is None
    assert ep(endpoint).name == name


@pytest.mark.parametrize("endpoint", ["ovh-fr", "http://10.0.0.1/1.0", "ftp://x/1.0"])
def test_bad_endpoint_is_an_input_error(endpoint):
    # EndpointError: reported by OvhModule with step "validate input" (test_ovh_module.py)
    with pytest.raises(EndpointError):
        ep(endpoint)


# -- voucher and plan code -----------------------------------------------------------------------


@pytest.mark.parametrize("voucher", [None, "MYVOUCHER2026", "a", "abc_DEF-123", "V" * 64])
def test_voucher_accepted(voucher):
    assert check_voucher(voucher) is None


@pytest.mark.parametrize("voucher", ["", "with space", "semi;colon", "V" * 65, "accentué", "a/b"])
def test_voucher_refused(voucher):
    assert "voucher" in refused(check_voucher, voucher).msg


@pytest.mark.parametrize("plan_code", [None, "project.2018", "project", "p", "plan_code-2.x"])
def test_plan_code_accepted(plan_code):
    assert check_plan_code(plan_code) is None


@pytest.mark.parametrize("plan_code", ["", "Project.2018", ".project", "-project", "project 2018", "p" * 65, "project/2018"])
def test_plan_code_refused(plan_code):
    assert "plan_code" in refused(check_plan_code, plan_code).msg


# -- all options together ------------------------------------------------------------------------


def options(**overrides):
    params = dict(name="team-a", subsidiary=None, duration="P1M", voucher=None, plan_code=None, wait_timeout=1800)
    params.update(overrides)
    return params


def test_project_options_accepted():
    assert check_project_options(options(subsidiary="QC", voucher="V1", plan_code="project.2018"), ep("ovh-ca")) is None
    assert check_project_options(options(), ep("http://127.0.0.1:8080")) is None


@pytest.mark.parametrize(
    "overrides, endpoint, fragment",
    [
        ({}, "kimsufi-eu", "does not sell Public Cloud"),
        (dict(name=""), "ovh-eu", "name is empty"),
        (dict(subsidiary="FR"), "ovh-ca", "subsidiary 'FR'"),
        (dict(duration="1M"), "ovh-eu", "duration '1M'"),
        (dict(voucher="bad voucher"), "ovh-eu", "voucher 'bad voucher'"),
        (dict(plan_code="BAD"), "ovh-eu", "plan_code 'BAD'"),
        (dict(wait_timeout=-1), "ovh-eu", "wait_timeout is -1 seconds; it must be between 0 and 86400"),
        (dict(wait_timeout=86401), "ovh-eu", "wait_timeout is 86401 seconds; it must be between 0 and 86400"),
    ],
)
def test_project_options_refused(overrides, endpoint, fragment):
    assert fragment in refused(check_project_options, options(**overrides), ep(endpoint)).msg


def test_project_options_wait_timeout_zero_accepted():
    assert check_project_options(options(wait_timeout=0), ep("ovh-eu")) is None


@pytest.mark.parametrize("wait_timeout", [None, 0, 1, 1800, WAIT_TIMEOUT_MAX])
def test_wait_timeout_accepted(wait_timeout):
    assert check_wait_timeout(wait_timeout) is None


@pytest.mark.parametrize("wait_timeout", [-1, WAIT_TIMEOUT_MAX + 1, 10 ** 30])
def test_wait_timeout_out_of_range_refused(wait_timeout):
    msg = refused(check_wait_timeout, wait_timeout).msg
    assert "between 0 and 86400" in msg and "choose a value in that range" in msg


@pytest.mark.parametrize("check, value, fix", [
    (check_duration, "1 month", "set duration to one such as P1M"),
    (check_voucher, "no spaces", "check the code, or leave the voucher option out"),
    (check_plan_code, "Project 2018", "set plan_code to a code such as project.2018"),
])
def test_refusals_say_what_to_do(check, value, fix):
    assert fix in refused(check, value).msg


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        (dict(termination_token="t0ken"), "termination_token only apply with state: absent"),
        (dict(termination_token_from_email=True), "termination_token_from_email only apply with state: absent"),
        (dict(project_id="../me"), "project_id '../me' is not a project id"),
        (dict(max_price=-0.5), "max_price is -0.5; it must be 0 or more"),
        (dict(max_price=float("nan")), "max_price is nan"),
    ],
)
def test_lifecycle_options_refused_with_state_present(overrides, fragment):
    assert fragment in refused(check_project_options, options(**overrides), ep("ovh-eu")).msg


def test_project_id_alone_needs_no_name():
    assert check_project_options(options(name=None, project_id="0123456789ab4cdef0123456789abcde", max_price=0.0),
                                 ep("ovh-eu")) is None


def termination(**overrides):
    return options(**dict(dict(state="absent", allow_termination=True), **overrides))


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        (dict(allow_termination=False), "allow_termination is not true"),
        (dict(allow_termination=False, endpoint_is_bad=True), "allow_termination is not true"),
        (dict(termination_token="t", termination_token_from_email=True), "mutually exclusive"),
        (dict(name=" x"), "leading or trailing spaces"),
        (dict(wait_timeout=-1), "wait_timeout is -1 seconds"),
    ],
)
def test_termination_options_refused(overrides, fragment):
    endpoint = "kimsufi-eu" if overrides.pop("endpoint_is_bad", False) else "ovh-eu"
    assert fragment in refused(check_termination_options, termination(**overrides), ep(endpoint)).msg


def test_termination_options_accepted_by_id():
    assert check_termination_options(termination(name=None, project_id="0123456789ab4cdef0123456789abcde"), ep("ovh-eu")) is None
