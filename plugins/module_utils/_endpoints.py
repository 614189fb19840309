# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The OVHcloud APIs: named endpoints and their hosts, US versus EU/CA, subsidiaries, default plan and subsidiary."""

from __future__ import annotations

import ipaddress

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import EndpointError

# python-ovh ENDPOINTS (ovh/client.py); kept here so input is checked before any call.
NAMED_ENDPOINTS = {
    "ovh-eu": "https://eu.api.ovh.com/1.0",
    "ovh-ca": "https://ca.api.ovh.com/1.0",
    "ovh-us": "https://api.us.ovhcloud.com/1.0",
    "kimsufi-eu": "https://eu.api.kimsufi.com/1.0",
    "kimsufi-ca": "https://ca.api.kimsufi.com/1.0",
    "soyoustart-eu": "https://eu.api.soyoustart.com/1.0",
    "soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
}
# python-ovh OAUTH2_TOKEN_URLS: OAuth2 client credentials only exist on these.
OAUTH2_ENDPOINTS = ("ovh-eu", "ovh-ca", "ovh-us")
US_HOSTS = ("api.us.ovhcloud.com",)
# Kimsufi and So you Start sell no Public Cloud (no /order/cart/{cartId}/cloud in their schemas).
ENDPOINTS_WITHOUT_CLOUD = ("kimsufi-eu", "kimsufi-ca", "soyoustart-eu", "soyoustart-ca")

# nichandle.OvhSubsidiaryEnum in each endpoint's order.json (https://eu.api.ovh.com/1.0/order.json,
# https://ca.api.ovh.com/1.0/order.json, https://api.us.ovhcloud.com/1.0/order.json).
EU_SUBSIDIARIES = ("CZ", "DE", "ES", "EU", "FI", "FR", "GB", "IE", "IT", "LT", "MA", "NL", "PL", "PT", "SN", "TN")
CA_SUBSIDIARIES = ("ASIA", "AU", "CA", "IN", "QC", "SG", "WE", "WS")
US_SUBSIDIARIES = ("ASIA", "AU", "CA", "CZ", "DE", "ES", "EU", "FI", "FR", "GB", "IE", "IT", "LT", "MA", "NL", "PL",
                   "PT", "QC", "SG", "SN", "TN", "US", "WE", "WS")
ALL_SUBSIDIARIES = tuple(sorted(set(EU_SUBSIDIARIES + CA_SUBSIDIARIES + US_SUBSIDIARIES)))
SUBSIDIARIES_BY_ENDPOINT = {
    "ovh-eu": EU_SUBSIDIARIES,
    "ovh-ca": CA_SUBSIDIARIES,
    "ovh-us": US_SUBSIDIARIES,
}

EU_PLAN_CODE = "project.2018"
# terraform-provider-ovh docs: plan_code = "project" when running in the US.
US_PLAN_CODE = "project"


def default_plan_code(us_api):
    return US_PLAN_CODE if us_api else EU_PLAN_CODE


def default_subsidiary(us_api):
    return "US" if us_api else "FR"


def is_loopback_host(host):
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Endpoint:
    """An API endpoint, resolved once: ``text`` as given, python-ovh's ``name`` (None for a URL), ``base_url``,
    and ``us``: True or False when the endpoint tells, None for another URL (the simulator, a proxy: ask the account).
    """

    def __init__(self, text, name, base_url):
        self.text = text
        self.name = name
        self.base_url = base_url
        if name == "ovh-us" or urlsplit(base_url).hostname in US_HOSTS:
            self.us = True
        else:
            self.us = False if name in NAMED_ENDPOINTS else None

    def __repr__(self):
        return "Endpoint(%r, %r, %r)" % (self.text, self.name, self.base_url)

    @property
    def subsidiaries(self):
        """The subsidiaries this API accepts (every known one for a URL)."""
        return SUBSIDIARIES_BY_ENDPOINT.get(self.name, ALL_SUBSIDIARIES)

    @property
    def sells_public_cloud(self):
        return self.name not in ENDPOINTS_WITHOUT_CLOUD

    @classmethod
    def parse(cls, text):
        """A named endpoint or an API URL; raise EndpointError naming the fix otherwise."""
        if text in NAMED_ENDPOINTS:
            return cls(text, text, NAMED_ENDPOINTS[text])
        if not text or "://" not in text:
            raise EndpointError(
                "endpoint %r is not known: use one of %s, or an https:// URL of the API (http:// only on a loopback address)"
                % (text, ", ".join(sorted(NAMED_ENDPOINTS)))
            )
        parts = urlsplit(text)
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise EndpointError(
                "endpoint %s uses plain http on a non-loopback host: credentials would travel in clear; use https:// "
                "(http:// is accepted only on 127.0.0.1, ::1 or localhost, e.g. for the bundled simulator)" % text
            )
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError("endpoint %s is not a valid https:// URL of the API" % text)
        if parts.query or parts.fragment:
            raise EndpointError("endpoint %s must not have a query string or fragment" % text)
        path = parts.path.rstrip("/") or "/1.0"
        return cls(text, None, "%s://%s%s" % (parts.scheme, parts.netloc, path))
