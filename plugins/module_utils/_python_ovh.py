# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""python-ovh, and every use the collection makes of its internals, in one module.

The collection relies on python-ovh's public client (``Client``, ``get``/``post``/``put``/``delete``, its exception
classes) and, here only, on four internals: ``Client.raw_call`` (to send request headers, and to remember the last
answer), ``Client._endpoint`` (to point a client at an API URL), ``ovh.config.CONFIG_PATH`` and the ``OVH_*``
environment variables (switched off while a client is built with settings the collection resolved itself), and the way
``Client.call()`` reads an answer and encodes a query string, reproduced for calls that send headers. They were read in
python-ovh 1.2.0 (ovh/client.py, ovh/config.py, https://github.com/ovh/python-ovh); the requirements pin
``ovh>=1.2.0,<2`` (a major release may change them), and tests/unit/plugins/module_utils/test_python_ovh.py checks each
one against the installed version.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback

from urllib.parse import urlencode

try:
    import ovh
    import ovh.config
    import ovh.exceptions as ovh_exceptions
    from requests.exceptions import RequestException
    HAS_OVH = True
    OVH_IMPORT_ERROR = None
except ImportError:
    ovh = None
    ovh_exceptions = None
    RequestException = None
    HAS_OVH = False
    OVH_IMPORT_ERROR = traceback.format_exc()

# The versions of python-ovh this module was written and tested against (requirements.txt).
SUPPORTED_VERSIONS = ">=1.2.0,<2"
# python-ovh's Client.call(): the exception each refusal becomes (a 403 by its errorCode, other statuses by status).
FORBIDDEN_EXCEPTIONS = {"NOT_GRANTED_CALL": "NotGrantedCall", "NOT_CREDENTIAL": "NotCredential", "INVALID_KEY": "InvalidKey",
                        "INVALID_CREDENTIAL": "InvalidCredential", "FORBIDDEN": "Forbidden"}
STATUS_EXCEPTIONS = {404: "ResourceNotFoundError", 400: "BadParametersError", 409: "ResourceConflictError",
                     460: "ResourceExpiredError"}
# The name python-ovh's own client is built for when the endpoint is a URL: it is then pointed at the URL.
URL_ENDPOINT_BASE = "ovh-eu"


@contextlib.contextmanager
def resolved_settings_only():
    """Keep python-ovh from looking up settings we already resolved.

    python-ovh fills every argument left None from OVH_* variables and ovh.conf, and refuses a client that
    ends up with both kinds of credentials, even when one kind is an empty string (AWX injects empty
    OAuth2 variables when the credential has none) or comes from another endpoint's section of ovh.conf.
    We resolved the settings already (options, OVH_* variables, ovh.conf for this endpoint), so the client
    is built with those only. Modules run single-threaded, so the temporary change is not seen elsewhere.
    """
    saved_env = dict((k, v) for k, v in os.environ.items() if k.startswith("OVH_"))
    saved_paths = ovh.config.CONFIG_PATH
    for key in saved_env:
        del os.environ[key]
    ovh.config.CONFIG_PATH = []
    try:
        yield
    finally:
        ovh.config.CONFIG_PATH = saved_paths
        os.environ.update(saved_env)


def configuration():
    """python-ovh's own settings lookup: ./ovh.conf, ~/.ovh.conf, /etc/ovh.conf and the OVH_* variables; ``read(path)``
    adds a file, which wins over them."""
    return ovh.config.ConfigurationManager()


def new_client(endpoint_name, base_url, **settings):
    """An ``ovh.Client`` built with exactly ``settings`` (no lookup of its own), for the named endpoint, or for
    ``base_url`` when the endpoint has no name (a URL: the simulator, a proxy). Raises python-ovh's APIError on
    settings it refuses."""
    with resolved_settings_only():
        client = ovh.Client(endpoint=endpoint_name or URL_ENDPOINT_BASE, **settings)
    if endpoint_name is None:
        # python-ovh has no constructor argument for a URL: the base URL every call is built on is its _endpoint
        client._endpoint = base_url  # pylint: disable=protected-access
    return client


def call_with_headers(client, method, path, headers, need_auth=True):
    """What python-ovh's ``Client.call()`` does, for a call that sends request ``headers`` (``call()`` takes none):
    (decoded body, response headers).

    ``Client.raw_call`` signs and sends (never done here); its answer is read as ``call()`` reads it (python-ovh 1.2.0,
    ovh/client.py): a transport failure is ``HTTPError``, a body that is not JSON ``InvalidResponse``, a refusal the
    same exception class with ``response=``; so OvhApi maps and retries it like any other call.
    """
    try:
        response = client.raw_call(method, path, None, need_auth, dict(headers))  # raw_call adds to the dict it gets
    except RequestException as error:
        raise ovh_exceptions.HTTPError("Low HTTP request failed error", error) from None
    status = response.status_code
    try:
        body = response.json() if status != 204 else None
    except ValueError as error:
        raise ovh_exceptions.InvalidResponse("Failed to decode API response", error) from None
    if 100 <= status < 300:
        return body, response.headers
    if status == 0:
        raise ovh_exceptions.NetworkError()
    # as call(), an error answer that is JSON but not an object fails here (AttributeError): to_api_error says so
    name = FORBIDDEN_EXCEPTIONS.get(body.get("errorCode")) if status == 403 else STATUS_EXCEPTIONS.get(status)
    raise getattr(ovh_exceptions, name or "APIError")(body.get("message"), response=response)


def with_query(path, query):
    """``path?query`` as python-ovh's ``Client.get`` builds it (``_prepare_query_string``: booleans as ``true`` and
    ``false``, None as ``null``, then urlencode)."""
    if not query:
        return path
    values = {}
    for key, value in query.items():
        values[key] = str(value).lower() if isinstance(value, bool) else ("null" if value is None else value)
    return "%s%s%s" % (path, "&" if "?" in path else "?", urlencode(values))


class _LastResponse(threading.local):
    """The HTTP response python-ovh got for the current call, per thread (lookups read projects from several threads)."""

    response = None


def recorded_responses(client):
    """Have ``client.raw_call`` remember its last response, and return where it does (None for a stand-in client).

    python-ovh drops the response when it cannot decode it (``InvalidResponse`` carries no status, no query id), or when
    an error answer is JSON but not an object; the status tells whether the call was refused or may have taken effect.
    """
    recorder = getattr(client, "_ovhcloud_last_response", None)
    raw_call = getattr(client, "raw_call", None)
    if recorder is not None or not callable(raw_call):
        return recorder
    recorder = _LastResponse()

    def recording_raw_call(*args, **kwargs):
        recorder.response = None
        recorder.response = raw_call(*args, **kwargs)
        return recorder.response

    client.raw_call = recording_raw_call
    client._ovhcloud_last_response = recorder  # pylint: disable=protected-access
    return recorder
