# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""API flavours: endpoint names and URLs, which API is OVHcloud US."""

from __future__ import annotations

import ovh.client
import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhConfigError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import NAMED_ENDPOINTS, OAUTH2_ENDPOINTS, Endpoint
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import EXPECTED_BASE_URLS


def parse_endpoint(text):
    endpoint = Endpoint.parse(text)
    return endpoint.name, endpoint.base_url


def test_named_endpoints_are_python_ovh_endpoints():
    assert NAMED_ENDPOINTS == ovh.client.ENDPOINTS
    assert set(OAUTH2_ENDPOINTS) == set(ovh.client.OAUTH2_TOKEN_URLS)


@pytest.mark.parametrize("name", sorted(EXPECTED_BASE_URLS))
def test_each_named_endpoint_gives_python_ovh_base_url(name):
    assert parse_endpoint(name) == (name, EXPECTED_BASE_URLS[name])
    assert parse_endpoint(name)[1] == ovh.client.ENDPOINTS[name]


@pytest.mark.parametrize(
    "url, base_url",
    [
        ("https://api.example.net/1.0", "https://api.example.net/1.0"),
        ("https://api.example.net/1.0/", "https://api.example.net/1.0"),
        ("https://api.example.net:8443/custom/base", "https://api.example.net:8443/custom/base"),
        ("https://api.example.net", "https://api.example.net/1.0"),
        ("https://api.example.net/", "https://api.example.net/1.0"),
    ],
)
def test_https_url_endpoint(url, base_url):
    assert parse_endpoint(url) == (None, base_url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/1.0",
        "http://127.1.2.3:8080/1.0",
        "http://[::1]:8080/1.0",
        "http://localhost:8080/1.0",
        "http://LOCALHOST/1.0",
    ],
)
def test_plain_http_accepted_on_loopback(url):
    name, base_url = parse_endpoint(url)
    assert name is None
    assert base_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://eu.api.ovh.com/1.0",
        "http://203.0.113.7/1.0",
        "http://10.0.0.5:8080/1.0",
        "http://192.168.1.10/1.0",
        "http://[fd00::1]/1.0",
        "http://localhost.example.com/1.0",
    ],
)
def test_plain_http_refused_on_non_loopback_host(url):
    with pytest.raises(OvhConfigError) as err:
        parse_endpoint(url)
    assert "https://" in str(err.value)
    assert "plain http" in str(err.value)
    assert url in str(err.value)


@pytest.mark.parametrize("url", ["ftp://api.example.net/1.0", "file:///etc/passwd", "https:///1.0"])
def test_other_schemes_and_hostless_urls_refused(url):
    with pytest.raises(OvhConfigError) as err:
        parse_endpoint(url)
    assert "not a valid https:// URL" in str(err.value)


@pytest.mark.parametrize("endpoint", ["ovh-fr", "OVH-EU", "eu.api.ovh.com", "", None])
def test_unknown_endpoint_name_refused_listing_valid_names(endpoint):
    with pytest.raises(OvhConfigError) as err:
        parse_endpoint(endpoint)
    for name in NAMED_ENDPOINTS:
        assert name in str(err.value)


@pytest.mark.parametrize("url", ["https://api.example.net/1.0?debug=1", "https://api.example.net/1.0#frag"])
def test_query_string_or_fragment_refused(url):
    with pytest.raises(OvhConfigError) as err:
        parse_endpoint(url)
    assert "query string" in str(err.value)


@pytest.mark.parametrize(
    "endpoint, expected",
    [
        ("ovh-us", True),
        ("https://api.us.ovhcloud.com/1.0", True),
        ("ovh-eu", False),
        ("ovh-ca", False),
        ("http://127.0.0.1:8080", False),
    ],
)
def test_is_us(endpoint, expected):
    assert (Endpoint.parse(endpoint).us is True) is expected


# -- where the endpoint comes from ---------------------------------------------------------------


@pytest.mark.parametrize("endpoint, expected", [
    ("ovh-us", True),
    ("https://api.us.ovhcloud.com/1.0", True),
    ("ovh-eu", False),
    ("ovh-ca", False),
    ("http://127.0.0.1:8080/1.0", None),
])
def test_us_api_is_unknown_only_for_other_urls(endpoint, expected):
    assert Endpoint.parse(endpoint).us is expected
