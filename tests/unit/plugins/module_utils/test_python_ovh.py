# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The python-ovh adapter against the installed python-ovh: each internal it relies on still behaves as it assumes.

These tests talk to python-ovh's real Client, with its HTTP session replaced by one that records the request and gives
a chosen answer: a python-ovh release that changes raw_call, _endpoint, CONFIG_PATH or call()'s reading of answers
fails here, not in a run.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re

import pytest

import ovh
import ovh.config
import ovh.exceptions as ovh_exceptions

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import _python_ovh
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._python_ovh import (
    SUPPORTED_VERSIONS,
    call_with_headers,
    new_client,
    recorded_responses,
    resolved_settings_only,
    with_query,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
KEYS = dict(application_key="AK", application_secret="AS", consumer_key="CK")
URL = "http://127.0.0.1:9/1.0"


class Answer:
    """A requests.Response as python-ovh reads it."""

    def __init__(self, status, body, headers=None):
        self.status_code = status
        self.text = body if isinstance(body, str) else json.dumps(body)
        self.headers = headers or {}

    def json(self):
        return json.loads(self.text)


class Session:
    """Stands for the requests.Session python-ovh sends through: records each request, answers ``answer``."""

    def __init__(self, answer):
        self.answer = answer
        self.requests = []

    def request(self, method, url, headers=None, data=None, timeout=None):
        self.requests.append({"method": method, "url": url, "headers": dict(headers or {}), "data": data})
        return self.answer


def client_answering(answer, endpoint_name=None):
    client = new_client(endpoint_name, URL, timeout=5, **KEYS)
    client._session = Session(answer)  # pylint: disable=protected-access
    client._time_delta = 0  # pylint: disable=protected-access
    return client


def version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_the_installed_python_ovh_is_in_the_supported_range_which_requirements_txt_states():
    installed = version_tuple(importlib.metadata.version("ovh"))
    lower, upper = re.fullmatch(r">=([\d.]+),<([\d.]+)", SUPPORTED_VERSIONS).groups()
    assert version_tuple(lower) <= installed < version_tuple(upper)
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        assert "ovh%s" % SUPPORTED_VERSIONS in handle.read().split()


def test_a_url_endpoint_is_where_the_signed_calls_go():
    client = client_answering(Answer(200, {"ok": True}))
    assert client.get("/me") == {"ok": True}
    sent = client._session.requests[0]  # pylint: disable=protected-access
    assert sent["url"] == URL + "/me"
    assert sent["headers"]["X-Ovh-Application"] == "AK" and sent["headers"]["X-Ovh-Signature"].startswith("$1$")


def test_a_named_endpoint_keeps_python_ovh_s_own_url():
    client = client_answering(Answer(200, {}), endpoint_name="ovh-ca")
    client.get("/me")
    assert client._session.requests[0]["url"] == "https://ca.api.ovh.com/1.0/me"  # pylint: disable=protected-access


def test_call_with_headers_sends_them_signed_and_reads_the_answer():
    client = client_answering(Answer(200, [1, 2], {"X-Pagination-Elements": "2"}))
    body, headers = call_with_headers(client, "GET", with_query("/cloud/project", {"a": True, "b": None}), {"Pragma": "no-cache"})
    assert body == [1, 2] and headers == {"X-Pagination-Elements": "2"}
    sent = client._session.requests[0]  # pylint: disable=protected-access
    assert sent["url"] == URL + "/cloud/project?a=true&b=null"
    assert sent["headers"]["Pragma"] == "no-cache" and sent["headers"]["X-Ovh-Signature"].startswith("$1$")


@pytest.mark.parametrize("query", [{"a": True, "b": False}, {"n": None, "s": "x y", "i": 3}, {}])
def test_with_query_builds_the_path_as_python_ovh_s_get_does(query):
    client = client_answering(Answer(200, {}))
    client.get("/me/order", **query)
    assert client._session.requests[0]["url"] == URL + with_query("/me/order", query)  # pylint: disable=protected-access


@pytest.mark.parametrize("answer", [
    Answer(404, {"message": "no"}), Answer(400, {"message": "bad"}), Answer(409, {"message": "conflict"}),
    Answer(460, {"message": "expired"}), Answer(500, {"message": "boom"}), Answer(429, {"message": "slow"}),
    Answer(403, {"message": "nope", "errorCode": "NOT_GRANTED_CALL"}), Answer(403, {"message": "x", "errorCode": "INVALID_KEY"}),
    Answer(403, {"message": "x", "errorCode": "NOT_CREDENTIAL"}), Answer(403, {"message": "x", "errorCode": "FORBIDDEN"}),
    Answer(403, {"message": "x", "errorCode": "INVALID_CREDENTIAL"}), Answer(403, {"message": "x"}),
    Answer(502, "<html>proxy</html>"), Answer(200, "cut sho"),
], ids=lambda a: "%s-%s" % (a.status_code, a.text[:20]))
def test_call_with_headers_fails_as_python_ovh_s_call_does(answer):
    def raised(call):
        try:
            call()
        except Exception as exc:  # pylint: disable=broad-except
            return type(exc), exc.args[0] if exc.args else None, getattr(exc, "response", None)
        return None

    client = client_answering(answer)
    expected = raised(lambda: client.call("GET", "/me"))
    assert expected is not None
    assert raised(lambda: call_with_headers(client, "GET", "/me", {})) == expected


def test_the_last_answer_is_remembered_even_when_python_ovh_drops_it():
    client = client_answering(Answer(502, "<html>proxy</html>"))
    recorder = recorded_responses(client)
    assert recorded_responses(client) is recorder  # wrapped once
    with pytest.raises(ovh_exceptions.InvalidResponse):
        client.get("/me")
    assert recorder.response.status_code == 502


def test_the_client_is_built_without_python_ovh_s_own_lookups(tmp_path, monkeypatch):
    conf = tmp_path / "ovh.conf"
    conf.write_text("[ovh-eu]\nclient_id=from-file\nclient_secret=from-file\n")
    monkeypatch.setattr(ovh.config, "CONFIG_PATH", [str(conf)])
    monkeypatch.setenv("OVH_CLIENT_ID", "")  # as AWX injects an empty field
    monkeypatch.setenv("OVH_CLIENT_SECRET", "")
    client = new_client("ovh-eu", None, **KEYS)  # python-ovh alone would refuse both kinds of credentials
    assert client._application_key == "AK" and client._oauth2 is None  # pylint: disable=protected-access
    assert ovh.config.CONFIG_PATH == [str(conf)] and os.environ["OVH_CLIENT_ID"] == ""  # put back


def test_resolved_settings_only_puts_everything_back_after_a_failure(monkeypatch):
    monkeypatch.setenv("OVH_ENDPOINT", "ovh-ca")
    paths = list(ovh.config.CONFIG_PATH)
    with pytest.raises(RuntimeError):
        with resolved_settings_only():
            assert "OVH_ENDPOINT" not in os.environ and ovh.config.CONFIG_PATH == []
            raise RuntimeError("boom")
    assert os.environ["OVH_ENDPOINT"] == "ovh-ca" and ovh.config.CONFIG_PATH == paths


def test_python_ovh_is_used_through_the_adapter_only():
    """No other file of the collection imports ovh or touches the internals the adapter wraps."""
    plugins = os.path.join(ROOT, "plugins")
    adapter = os.path.abspath(_python_ovh.__file__)
    offenders = []
    for folder, dummy, files in os.walk(plugins):
        for name in files:
            path = os.path.join(folder, name)
            if not name.endswith(".py") or os.path.abspath(path) == adapter:
                continue
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            if re.search(r"^\s*(import ovh|from ovh\b)|\.raw_call\b|client\._endpoint|CONFIG_PATH", text, re.M):
                offenders.append(os.path.relpath(path, ROOT))
    assert offenders == []
