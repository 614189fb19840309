# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Whether a clouds.yaml entry's password still authenticates (``password_authenticates``): one Keystone v3 password
authentication, ``POST {auth_url}/auth/tokens``, with Ansible's own HTTP client (no openstacksdk).

Keystone v3 API reference (https://docs.openstack.org/api-ref/identity/v3/, "Password authentication with scoped
authorization"): 201 Created with the token for a password that authenticates, 401 Unauthorized for one that does not
(wrong password, unknown user, no role on the project). ``?nocatalog`` leaves the service catalogue out of the answer.
The token issued is not used: it expires on its own."""

from __future__ import annotations

import http.client
import json
import urllib.error

from ansible.module_utils.urls import ConnectionError as UrlsConnectionError  # pylint: disable=redefined-builtin
from ansible.module_utils.urls import open_url

# seconds to wait for Keystone's answer before going on without it (a warning)
TIMEOUT = 10
DEFAULT_DOMAIN = "Default"


class KeystoneUnavailable(Exception):
    """Keystone gave no verdict (unreachable, timeout, an answer other than 201 or 401): the reason, without a secret."""


def token_url(auth_url):
    """``{auth_url}/auth/tokens?nocatalog``, the v3 path added when the entry's auth_url has none (``https://host/``)."""
    base = auth_url.rstrip("/")
    if not base.endswith("/v3"):
        base += "/v3"
    return base + "/auth/tokens?nocatalog"


def _domain(auth, kind):
    """``{"id": …}`` or ``{"name": …}`` of the entry's ``<kind>_domain_id`` / ``<kind>_domain_name`` (default: Default)."""
    if auth.get(kind + "_domain_id"):
        return {"id": auth[kind + "_domain_id"]}
    return {"name": auth.get(kind + "_domain_name") or DEFAULT_DOMAIN}


def request_body(auth):
    """The password authentication of a clouds.yaml ``auth``: the user by name in its domain, scoped to the project by
    id (by name in its domain without project_id, unscoped without either)."""
    user = {"name": auth.get("username"), "domain": _domain(auth, "user"), "password": auth.get("password")}
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": user}}}}
    if auth.get("project_id"):
        body["auth"]["scope"] = {"project": {"id": auth["project_id"]}}
    elif auth.get("project_name"):
        body["auth"]["scope"] = {"project": {"name": auth["project_name"], "domain": _domain(auth, "project")}}
    return body


def _error_message(exc):
    """Keystone's ``error.message`` of an error answer, else the HTTP reason."""
    try:
        payload = json.loads(exc.read().decode("utf-8"))
        return str(payload["error"]["message"])
    except Exception:  # pylint: disable=broad-except
        return str(exc.reason or "no message")


def password_authenticates(auth, timeout=TIMEOUT):
    """True when Keystone authenticates ``auth`` (201), False when it answers 401; KeystoneUnavailable otherwise."""
    url = token_url(auth["auth_url"])
    try:
        response = open_url(url, data=json.dumps(request_body(auth)), method="POST", timeout=timeout,
                            headers={"Content-Type": "application/json", "Accept": "application/json"})
        status = response.getcode()
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            return False
        raise KeystoneUnavailable("HTTP %s: %s" % (exc.code, _error_message(exc))) from None
    except urllib.error.URLError as exc:
        raise KeystoneUnavailable(str(exc.reason)) from None
    except (UrlsConnectionError, http.client.HTTPException, OSError, ValueError) as exc:
        raise KeystoneUnavailable("%s: %s" % (type(exc).__name__, exc) if str(exc) else type(exc).__name__) from None
    if status in (200, 201):
        return True
    raise KeystoneUnavailable("unexpected answer HTTP %s" % status)
