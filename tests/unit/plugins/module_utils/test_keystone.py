# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""password_authenticates: one POST {auth_url}/auth/tokens; 201 true, 401 false, anything else KeystoneUnavailable
without the password in its text."""

from __future__ import annotations

import http.server
import json
import socket
import threading

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._keystone import (
    KeystoneUnavailable,
    password_authenticates,
    request_body,
    token_url,
)

PASSWORD = "s3cret-Password-0123"
AUTH = {"username": "user-abc", "password": PASSWORD, "project_id": "0123456789ab4cdef0123456789abcde",
        "user_domain_name": "Default", "project_domain_name": "Default"}


class Keystone(http.server.BaseHTTPRequestHandler):
    """Answers each POST with the next (status, body) of ``server.answers``; records (path, body)."""

    def do_POST(self):  # pylint: disable=invalid-name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body, self.headers.get("Content-Type")))
        status, payload = self.server.answers.pop(0)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture(name="keystone")
def keystone_fixture():
    server = http.server.HTTPServer(("127.0.0.1", 0), Keystone)
    server.requests, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def auth_at(server, path="/v3"):
    return dict(AUTH, auth_url="http://127.0.0.1:%d%s" % (server.server_address[1], path))


def test_token_url_adds_v3_when_the_auth_url_has_none():
    assert token_url("https://auth.cloud.ovh.net/v3") == "https://auth.cloud.ovh.net/v3/auth/tokens?nocatalog"
    assert token_url("https://auth.cloud.ovh.net/v3/") == "https://auth.cloud.ovh.net/v3/auth/tokens?nocatalog"
    assert token_url("https://auth.cloud.ovh.net/") == "https://auth.cloud.ovh.net/v3/auth/tokens?nocatalog"


def test_request_body_scopes_by_project_id_else_by_name_else_not_at_all():
    user = {"name": "user-abc", "domain": {"name": "Default"}, "password": PASSWORD}
    assert request_body(AUTH) == {"auth": {"identity": {"methods": ["password"], "password": {"user": user}},
                                           "scope": {"project": {"id": AUTH["project_id"]}}}}
    by_name = dict(AUTH, project_id=None, project_name="123", project_domain_id="default", user_domain_id="dom")
    assert request_body(by_name)["auth"]["scope"] == {"project": {"name": "123", "domain": {"id": "default"}}}
    assert request_body(by_name)["auth"]["identity"]["password"]["user"]["domain"] == {"id": "dom"}
    assert "scope" not in request_body({"username": "u", "password": "p"})["auth"]


def test_201_authenticates_and_401_does_not(keystone):
    refusal = {"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}
    keystone.answers[:] = [(201, {"token": {}}), (401, refusal)]
    assert password_authenticates(auth_at(keystone)) is True
    assert password_authenticates(auth_at(keystone, "/")) is False
    assert keystone.requests == [
        ("/v3/auth/tokens?nocatalog", request_body(AUTH), "application/json")] * 2


def test_a_5xx_is_no_verdict_and_names_keystones_message(keystone):
    keystone.answers[:] = [(503, {"error": {"code": 503, "title": "Service Unavailable", "message": "maintenance"}}),
                           (200, {"versions": {}}), (302, {})]
    with pytest.raises(KeystoneUnavailable, match="HTTP 503: maintenance") as raised:
        password_authenticates(auth_at(keystone))
    assert PASSWORD not in str(raised.value)
    assert password_authenticates(auth_at(keystone)) is True  # 200: an older Keystone's answer
    with pytest.raises(KeystoneUnavailable, match="302"):
        password_authenticates(auth_at(keystone))


def test_a_closed_port_or_a_silent_keystone_is_no_verdict():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(KeystoneUnavailable) as raised:
        password_authenticates(dict(AUTH, auth_url="http://127.0.0.1:%d/v3" % port))
    assert PASSWORD not in str(raised.value)
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        with pytest.raises(KeystoneUnavailable, match="(?i)timed out"):
            password_authenticates(dict(AUTH, auth_url="http://127.0.0.1:%d/v3" % silent.getsockname()[1]), timeout=0.5)
