# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client factory: endpoint forms, credential sources and their precedence, refusals."""

from __future__ import annotations

import os

import pytest

import ovh
import ovh.client
import ovh.config

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._credentials import OvhClientFactory, ovh_argument_spec
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhConfigError
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import EXPECTED_BASE_URLS

AK = "app-key-1234"
AS = "app-secret-5678-abcdef"
CK = "consumer-key-9012-ghijkl"
CID = "oauth-client-id-42"
CSECRET = "oauth-client-secret-xyz-987"


def module_params(options):
    """The params an AnsibleModule would hold: options plus env_fallback values plus defaults."""
    result = ArgumentSpecValidator(ovh_argument_spec()).validate(dict(options))
    assert result.error_messages == []
    return result.validated_parameters


def factory(**options):
    return OvhClientFactory(module_params(options))


def keys(**extra):
    options = dict(application_key=AK, application_secret=AS, consumer_key=CK)
    options.update(extra)
    return options


def set_key_env(monkeypatch, ak=AK, secret=AS, ck=CK):
    monkeypatch.setenv("OVH_APPLICATION_KEY", ak)
    monkeypatch.setenv("OVH_APPLICATION_SECRET", secret)
    monkeypatch.setenv("OVH_CONSUMER_KEY", ck)


class FakeResponse:
    def __init__(self, status_code=200, body=None, headers=None):
        self.status_code = status_code
        self.headers = headers or {}
        self._body = body

    def json(self):
        return self._body


# -- endpoint forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_BASE_URLS))
def test_client_for_named_endpoint_targets_its_base_url(name):
    client = factory(endpoint=name, **keys()).create()
    assert isinstance(client, ovh.Client)
    assert client._endpoint == EXPECTED_BASE_URLS[name]  # pylint: disable=protected-access


@pytest.mark.parametrize(
    "url, base_url",
    [
        ("https://api.example.net/1.0", "https://api.example.net/1.0"),
        ("https://api.example.net", "https://api.example.net/1.0"),
        ("http://127.0.0.1:8080/1.0", "http://127.0.0.1:8080/1.0"),
        ("http://[::1]:9000/", "http://[::1]:9000/1.0"),
    ],
)
def test_client_for_url_endpoint_targets_the_url(url, base_url):
    client = factory(endpoint=url, **keys()).create()
    assert client._endpoint == base_url  # pylint: disable=protected-access


def test_url_endpoint_client_signs_and_sends_to_the_url():
    client = factory(endpoint="http://127.0.0.1:8080/1.0", **keys()).create()
    sent = []

    def request(method, target, headers=None, data=None, timeout=None):
        sent.append((method, target, dict(headers), timeout))
        return FakeResponse(200, {"ok": True})

    client._time_delta = 0  # pylint: disable=protected-access
    client._session.request = request  # pylint: disable=protected-access
    assert client.get("/me") == {"ok": True}
    method, target, headers, timeout = sent[0]
    assert (method, target) == ("GET", "http://127.0.0.1:8080/1.0/me")
    assert headers["X-Ovh-Application"] == AK
    assert headers["X-Ovh-Consumer"] == CK
    assert headers["X-Ovh-Signature"].startswith("$1$")
    assert timeout == 60


def test_api_timeout_reaches_the_client():
    client = factory(endpoint="ovh-eu", api_timeout=7, **keys()).create()
    assert client._timeout == 7  # pylint: disable=protected-access


def test_no_endpoint_anywhere_names_ovh_endpoint():
    with pytest.raises(OvhConfigError) as err:
        factory(**keys()).create()
    assert "OVH_ENDPOINT" in str(err.value)
    assert "ovh.conf" in str(err.value)


def test_endpoint_from_environment(monkeypatch):
    monkeypatch.setenv("OVH_ENDPOINT", "ovh-ca")
    params = module_params(keys())
    assert params["endpoint"] == "ovh-ca"
    assert OvhClientFactory(params).create()._endpoint == EXPECTED_BASE_URLS["ovh-ca"]  # pylint: disable=protected-access


def test_endpoint_from_ovh_conf_default_section(ovh_conf):
    ovh_conf("[default]\nendpoint=ovh-us\n")
    client = factory(**keys()).create()
    assert client._endpoint == EXPECTED_BASE_URLS["ovh-us"]  # pylint: disable=protected-access


def test_endpoint_precedence_option_then_env_then_conf(monkeypatch, ovh_conf):
    ovh_conf("[default]\nendpoint=ovh-us\n")
    assert factory().endpoint().text == "ovh-us"
    monkeypatch.setenv("OVH_ENDPOINT", "ovh-ca")
    assert factory().endpoint().text == "ovh-ca"
    assert factory(endpoint="ovh-eu").endpoint().text == "ovh-eu"


def test_explicit_config_manager_is_used(tmp_path):
    path = tmp_path / "elsewhere.conf"
    path.write_text("[default]\nendpoint=ovh-ca\n[ovh-ca]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n" % (AK, AS, CK))
    config = ovh.config.ConfigurationManager()
    config.read(str(path))
    built = OvhClientFactory(module_params({}), config=config)
    assert built.endpoint().text == "ovh-ca"
    assert built.credentials("ovh-ca") == dict(application_key=AK, application_secret=AS, consumer_key=CK, client_id=None, client_secret=None)


# -- where the credentials come from -------------------------------------------------------------


def test_credentials_from_options():
    client = factory(endpoint="ovh-eu", **keys()).create()
    assert (client._application_key, client._application_secret, client._consumer_key) == (AK, AS, CK)  # pylint: disable=protected-access


def test_argument_spec_env_fallbacks_and_no_log():
    spec = ovh_argument_spec()
    for option in ("endpoint", "application_key", "application_secret", "consumer_key", "client_id", "client_secret"):
        assert spec[option]["fallback"][1] == ["OVH_" + option.upper()]
    assert {o for o in spec if spec[o].get("no_log")} == {"application_secret", "consumer_key", "client_secret"}


def test_credentials_from_environment(monkeypatch):
    monkeypatch.setenv("OVH_ENDPOINT", "ovh-eu")
    set_key_env(monkeypatch)
    params = module_params({})
    assert (params["application_key"], params["application_secret"], params["consumer_key"]) == (AK, AS, CK)
    client = OvhClientFactory(params).create()
    assert (client._application_key, client._application_secret, client._consumer_key) == (AK, AS, CK)  # pylint: disable=protected-access


def test_credentials_from_ovh_conf(ovh_conf):
    ovh_conf("[default]\nendpoint=ovh-eu\n[ovh-eu]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n" % (AK, AS, CK))
    client = factory().create()
    assert (client._application_key, client._application_secret, client._consumer_key) == (AK, AS, CK)  # pylint: disable=protected-access


def test_credentials_for_url_endpoint_from_ovh_conf_section_named_by_the_url(ovh_conf):
    url = "http://127.0.0.1:8080/1.0"
    ovh_conf(
        "[default]\nendpoint=%s\n"
        "[ovh-eu]\napplication_key=eu-key\napplication_secret=eu-secret\nconsumer_key=eu-consumer\n"
        "[%s]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n" % (url, url, AK, AS, CK)
    )
    client = factory().create()
    assert client._endpoint == url  # pylint: disable=protected-access
    assert (client._application_key, client._application_secret, client._consumer_key) == (AK, AS, CK)  # pylint: disable=protected-access


def test_credentials_for_url_endpoint_not_taken_from_another_section(ovh_conf):
    url = "http://127.0.0.1:8080/1.0"
    ovh_conf("[ovh-eu]\napplication_key=eu-key\napplication_secret=eu-secret\nconsumer_key=eu-consumer\n")
    with pytest.raises(OvhConfigError) as err:
        factory(endpoint=url).create()
    assert "missing credentials" in str(err.value)


def test_url_endpoint_keys_not_mixed_with_ovh_eu_oauth2_section_of_ovh_conf(ovh_conf):
    url = "http://127.0.0.1:8080"
    ovh_conf("[ovh-eu]\nclient_id=%s\nclient_secret=%s\n[%s]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n"
             % (CID, CSECRET, url, AK, AS, CK))
    client = factory(endpoint=url).create()
    assert client._application_secret == AS  # pylint: disable=protected-access
    assert client._client_id is None  # pylint: disable=protected-access


def test_precedence_options_over_environment_over_ovh_conf(monkeypatch, ovh_conf):
    ovh_conf("[ovh-eu]\napplication_key=conf-key\napplication_secret=conf-secret\nconsumer_key=conf-consumer\n")
    only_conf = factory(endpoint="ovh-eu").create()
    assert only_conf._application_secret == "conf-secret"  # pylint: disable=protected-access

    monkeypatch.setenv("OVH_APPLICATION_SECRET", "env-secret")
    monkeypatch.setenv("OVH_CONSUMER_KEY", "env-consumer")
    env_and_conf = factory(endpoint="ovh-eu").create()
    assert env_and_conf._application_key == "conf-key"  # pylint: disable=protected-access
    assert env_and_conf._application_secret == "env-secret"  # pylint: disable=protected-access
    assert env_and_conf._consumer_key == "env-consumer"  # pylint: disable=protected-access

    everything = factory(endpoint="ovh-eu", consumer_key="option-consumer").create()
    assert everything._application_key == "conf-key"  # pylint: disable=protected-access
    assert everything._application_secret == "env-secret"  # pylint: disable=protected-access
    assert everything._consumer_key == "option-consumer"  # pylint: disable=protected-access


# -- OAuth2 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["ovh-eu", "ovh-ca", "ovh-us"])
def test_oauth2_accepted_on_ovh_endpoints(endpoint):
    client = factory(endpoint=endpoint, client_id=CID, client_secret=CSECRET).create()
    assert client._client_id == CID  # pylint: disable=protected-access
    assert client._oauth2 is not None  # pylint: disable=protected-access
    assert client._oauth2.token_url == ovh.client.OAUTH2_TOKEN_URLS[endpoint]  # pylint: disable=protected-access


def test_oauth2_from_environment(monkeypatch):
    monkeypatch.setenv("OVH_CLIENT_ID", CID)
    monkeypatch.setenv("OVH_CLIENT_SECRET", CSECRET)
    client = factory(endpoint="ovh-eu").create()
    assert client._client_id == CID  # pylint: disable=protected-access


@pytest.mark.parametrize(
    "endpoint", ["kimsufi-eu", "kimsufi-ca", "soyoustart-eu", "soyoustart-ca", "https://api.example.net/1.0", "http://127.0.0.1:8080"]
)
def test_oauth2_refused_elsewhere(endpoint):
    with pytest.raises(OvhConfigError) as err:
        factory(endpoint=endpoint, client_id=CID, client_secret=CSECRET).create()
    message = str(err.value)
    assert "OAuth2" in message
    assert "ovh-eu, ovh-ca, ovh-us" in message
    assert "application_key" in message
    assert CSECRET not in message


@pytest.mark.parametrize("given, missing", [(dict(client_id=CID), "client_secret"), (dict(client_secret=CSECRET), "client_id")])
def test_oauth2_half_given_names_the_missing_one(given, missing):
    with pytest.raises(OvhConfigError) as err:
        factory(endpoint="ovh-eu", **given).create()
    assert "missing: %s" % missing in str(err.value)


def test_mixing_credential_kinds_refused():
    with pytest.raises(OvhConfigError) as err:
        factory(endpoint="ovh-eu", client_id=CID, client_secret=CSECRET, **keys()).create()
    assert "use one kind of credentials" in str(err.value)


def test_mixing_credential_kinds_across_sources_refused(monkeypatch, ovh_conf):
    ovh_conf("[ovh-eu]\nclient_id=%s\nclient_secret=%s\n" % (CID, CSECRET))
    set_key_env(monkeypatch)
    with pytest.raises(OvhConfigError) as err:
        factory(endpoint="ovh-eu").create()
    assert "use one kind of credentials" in str(err.value)
    assert CSECRET not in str(err.value) and AS not in str(err.value)


# -- missing credentials -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, missing",
    [
        ({}, ["application_key", "application_secret", "consumer_key"]),
        (dict(application_key=AK), ["application_secret", "consumer_key"]),
        (dict(application_key=AK, application_secret=AS), ["consumer_key"]),
        (dict(consumer_key=CK), ["application_key", "application_secret"]),
        (dict(application_key=AK, application_secret=AS, consumer_key=""), ["consumer_key"]),
    ],
)
def test_missing_credentials_listed(given, missing):
    with pytest.raises(OvhConfigError) as err:
        factory(endpoint="ovh-eu", **given).create()
    message = str(err.value)
    assert message.startswith("missing credentials: %s." % ", ".join(missing))
    assert "OVH_APPLICATION_KEY" in message
    assert AS not in message


# -- secrets -------------------------------------------------------------------------------------


def test_secrets_from_every_source(monkeypatch, ovh_conf):
    ovh_conf("[ovh-eu]\nclient_secret=%s\n" % CSECRET)
    monkeypatch.setenv("OVH_CONSUMER_KEY", CK)
    secrets = factory(endpoint="ovh-eu", application_key=AK, application_secret=AS).secrets()
    assert set(secrets) == {AS, CK, CSECRET}
    assert AK not in secrets
    assert [len(s) for s in secrets] == sorted((len(s) for s in secrets), reverse=True)


def test_secrets_of_url_endpoint_section(ovh_conf):
    url = "https://api.example.net/1.0"
    ovh_conf("[%s]\napplication_secret=%s\nconsumer_key=%s\n" % (url, AS, CK))
    assert set(factory(endpoint=url).secrets()) == {AS, CK}


def test_secrets_without_endpoint_still_collects_options_and_environment(monkeypatch):
    monkeypatch.setenv("OVH_CLIENT_SECRET", CSECRET)
    assert set(factory(application_secret=AS).secrets()) == {AS, CSECRET}


def test_secrets_none():
    assert factory(endpoint="ovh-eu", application_key=AK).secrets() == ()


def test_empty_oauth2_variables_do_not_clash_with_application_keys(monkeypatch):
    # AWX injects every variable of a credential type, empty ones included
    monkeypatch.setenv("OVH_CLIENT_ID", "")
    monkeypatch.setenv("OVH_CLIENT_SECRET", "")
    client = factory(endpoint="ovh-eu", application_key=AK, application_secret=AS, consumer_key=CK,
                     client_id="", client_secret="").create()
    assert client._application_key == AK  # pylint: disable=protected-access
    assert client._oauth2 is None  # pylint: disable=protected-access
    assert os.environ["OVH_CLIENT_ID"] == ""  # the environment is given back as it was


def test_config_file_from_environment_gives_secrets_that_empty_variables_do_not_hide(monkeypatch, tmp_path):
    # the AWX credential type: secrets in a file named by OVH_CONFIG_FILE, other variables possibly empty
    conf = tmp_path / "awx-ovh.conf"
    conf.write_text("[default]\nendpoint=ovh-ca\n[ovh-ca]\napplication_secret=%s\nconsumer_key=%s\n" % (AS, CK))
    monkeypatch.setenv("OVH_CONFIG_FILE", str(conf))
    monkeypatch.setenv("OVH_APPLICATION_KEY", AK)
    monkeypatch.setenv("OVH_APPLICATION_SECRET", "")
    monkeypatch.setenv("OVH_CLIENT_ID", "")
    made = factory()
    assert made.endpoint().text == "ovh-ca"
    client = made.create()
    assert client._endpoint == EXPECTED_BASE_URLS["ovh-ca"]  # pylint: disable=protected-access
    assert (client._application_key, client._application_secret, client._consumer_key) == (AK, AS, CK)  # pylint: disable=protected-access
    assert set(made.secrets()) == {AS, CK}


def test_config_file_wins_over_the_usual_ovh_conf_but_not_over_options(ovh_conf, tmp_path):
    ovh_conf("[ovh-eu]\napplication_key=old\napplication_secret=old-secret\nconsumer_key=old-consumer\n")
    extra = tmp_path / "extra.conf"
    extra.write_text("[ovh-eu]\napplication_secret=%s\nconsumer_key=%s\n" % (AS, CK))
    client = factory(endpoint="ovh-eu", application_key=AK, config_file=str(extra)).create()
    assert (client._application_key, client._application_secret, client._consumer_key) == (AK, AS, CK)  # pylint: disable=protected-access


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(OvhConfigError, match="does not exist"):
        factory(endpoint="ovh-eu", config_file=str(tmp_path / "nope.conf")).create()
