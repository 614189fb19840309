# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""The credentials factory: resolves endpoint and credentials (options, OVH_* environment, ovh.conf) and builds an ``ovh.Client``."""

from __future__ import annotations

import configparser
import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhConfigError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import OAUTH2_ENDPOINTS, Endpoint
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._python_ovh import HAS_OVH, configuration, new_client, ovh_exceptions

SECRET_CREDENTIAL_OPTIONS = ("application_secret", "consumer_key", "client_secret")
CREDENTIAL_OPTIONS = ("application_key", "application_secret", "consumer_key", "client_id", "client_secret")


def ovh_argument_spec():
    """The connection options every module of the collection takes (documented in the ovhcloud.public_cloud.ovh doc fragment)."""
    return dict(
        endpoint=dict(type="str", fallback=(env_fallback, ["OVH_ENDPOINT"])),
        application_key=dict(type="str", no_log=False, fallback=(env_fallback, ["OVH_APPLICATION_KEY"])),
        application_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["OVH_APPLICATION_SECRET"])),
        consumer_key=dict(type="str", no_log=True, fallback=(env_fallback, ["OVH_CONSUMER_KEY"])),
        client_id=dict(type="str", fallback=(env_fallback, ["OVH_CLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["OVH_CLIENT_SECRET"])),
        config_file=dict(type="path", fallback=(env_fallback, ["OVH_CONFIG_FILE"])),
        api_timeout=dict(type="int", default=60),
    )


class OvhClientFactory:
    """Resolves endpoint and credentials (options, then OVH_* environment, then ovh.conf) and builds an ovh.Client."""

    def __init__(self, params, config=None):
        self.params = dict(params)
        self._config = config
        self._endpoint = None

    @property
    def config(self):
        if self._config is None:
            # python-ovh's own search: ./ovh.conf, ~/.ovh.conf, /etc/ovh.conf (and OVH_* variables),
            # then the file named by config_file / OVH_CONFIG_FILE, which wins over them.
            self._config = configuration()
            path = self.params.get("config_file")
            if path:
                if not os.path.isfile(path) or not os.access(path, os.R_OK):
                    raise OvhConfigError("config_file %s does not exist or cannot be read" % path)
                self._config.read(path)
        return self._config

    def from_file(self, section, name):
        """A setting from the ovh.conf files only (the OVH_* variables were already applied as option fallbacks,
        and an empty variable, as AWX injects for an empty field, must not hide the file's value)."""
        parser = getattr(self.config, "config", None)
        if parser is None:  # a stand-in without the parser
            return self.config.get(section, name) or None
        try:
            return parser.get(section, name) or None
        except (configparser.NoSectionError, configparser.NoOptionError):
            return None

    def endpoint(self):
        """The Endpoint, resolved once: option (or OVH_ENDPOINT), else ovh.conf's [default] section."""
        if self._endpoint is None:
            text = self.params.get("endpoint") or self.from_file("default", "endpoint")
            if not text:
                raise OvhConfigError(
                    "no endpoint given: set the endpoint option (for example ovh-eu), the OVH_ENDPOINT environment "
                    "variable, or endpoint= in the [default] section of ovh.conf"
                )
            self._endpoint = Endpoint.parse(text)
        return self._endpoint

    def credentials(self, section):
        """Credentials from options (which already hold the OVH_* fallbacks), else from ovh.conf's ``section``
        (the endpoint as given: a name or a URL)."""
        creds = {}
        for option in CREDENTIAL_OPTIONS:
            value = self.params.get(option)
            if not value:
                value = self.from_file(section, option)
            creds[option] = value or None
        return creds

    def secrets(self):
        """Every secret value in use, wherever it came from, so that messages can be scrubbed of them."""
        values = [self.params.get(option) for option in SECRET_CREDENTIAL_OPTIONS]
        if HAS_OVH:
            try:
                section = self.endpoint().text
            except OvhConfigError:
                section = "default"
            creds = self.credentials(section)
            values.extend(creds.get(option) for option in SECRET_CREDENTIAL_OPTIONS)
        return tuple(sorted(set(v for v in values if v), key=len, reverse=True))

    @staticmethod
    def check(endpoint, creds):
        oauth2 = creds["client_id"] or creds["client_secret"]
        keys = creds["application_key"] or creds["application_secret"] or creds["consumer_key"]
        if oauth2 and keys:
            raise OvhConfigError(
                "both application_key/application_secret/consumer_key and OAuth2 client_id/client_secret are set: "
                "use one kind of credentials (unset the OVH_* variables or ovh.conf entries of the other kind)"
            )
        if oauth2:
            missing = [o for o in ("client_id", "client_secret") if not creds[o]]
            if missing:
                raise OvhConfigError("OAuth2 credentials need both client_id and client_secret; missing: %s" % ", ".join(missing))
            if endpoint.name not in OAUTH2_ENDPOINTS:
                raise OvhConfigError(
                    "OAuth2 client_id/client_secret work only with the endpoints %s (python-ovh); endpoint %s needs "
                    "application_key, application_secret and consumer_key" % (", ".join(OAUTH2_ENDPOINTS), endpoint.text)
                )
            return
        missing = [o for o in ("application_key", "application_secret", "consumer_key") if not creds[o]]
        if missing:
            raise OvhConfigError(
                "missing credentials: %s. Set the options, the OVH_* environment variables (OVH_APPLICATION_KEY, "
                "OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY) or ovh.conf; or use OAuth2 client_id and client_secret"
                % ", ".join(missing)
            )

    def create(self):
        """Build the ovh.Client; raise OvhConfigError with a clear message on bad settings."""
        if not HAS_OVH:
            raise OvhConfigError("the ovh Python library is required on the controller: pip install ovh")
        endpoint = self.endpoint()
        creds = self.credentials(endpoint.text)
        self.check(endpoint, creds)
        kwargs = dict(timeout=self.params.get("api_timeout") or 60)
        if creds["client_id"]:
            kwargs.update(client_id=creds["client_id"], client_secret=creds["client_secret"])
        else:
            kwargs.update(
                application_key=creds["application_key"],
                application_secret=creds["application_secret"],
                consumer_key=creds["consumer_key"],
            )
        try:
            # every credential given explicitly; a URL endpoint has no name in python-ovh (see new_client)
            return new_client(endpoint.name, endpoint.base_url, **kwargs)
        except ovh_exceptions.APIError as exc:
            raise OvhConfigError("cannot build the OVH client: %s" % exc) from None
