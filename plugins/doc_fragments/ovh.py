# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every module of ovhcloud.public_cloud."""

    DOCUMENTATION = r"""
options:
  endpoint:
    description:
      - The OVHcloud API to talk to.
      - One of V(ovh-eu), V(ovh-ca), V(ovh-us), V(kimsufi-eu), V(kimsufi-ca), V(soyoustart-eu), V(soyoustart-ca),
        or the base URL of an API such as V(https://eu.api.ovh.com/1.0).
      - A URL must use C(https://); C(http://) is accepted only on a loopback address (127.0.0.0/8, ::1, localhost),
        which is how playbooks are rehearsed on the bundled simulator. A URL without a path gets C(/1.0).
      - If not set, the value of the E(OVH_ENDPOINT) environment variable is used, then C(endpoint) in the
        C([default]) section of C(ovh.conf) (searched as python-ovh does - C(./ovh.conf), C(~/.ovh.conf), C(/etc/ovh.conf)).
    type: str
  application_key:
    description:
      - Application key of your OVHcloud API application.
      - If not set, the E(OVH_APPLICATION_KEY) environment variable is used, then C(ovh.conf).
    type: str
  application_secret:
    description:
      - Application secret of your OVHcloud API application. Never logged or returned.
      - If not set, the E(OVH_APPLICATION_SECRET) environment variable is used, then C(ovh.conf).
    type: str
  consumer_key:
    description:
      - Consumer key that binds the application to your account, with the rights the module needs. Never logged or returned.
      - If not set, the E(OVH_CONSUMER_KEY) environment variable is used, then C(ovh.conf).
    type: str
  client_id:
    description:
      - OAuth2 client ID of a service account, instead of O(application_key), O(application_secret) and O(consumer_key).
      - Works only with the V(ovh-eu), V(ovh-ca) and V(ovh-us) endpoints.
      - If not set, the E(OVH_CLIENT_ID) environment variable is used, then C(ovh.conf).
    type: str
  client_secret:
    description:
      - OAuth2 client secret of the service account. Never logged or returned.
      - If not set, the E(OVH_CLIENT_SECRET) environment variable is used, then C(ovh.conf).
    type: str
  config_file:
    description:
      - Path of an extra file in python-ovh's C(ovh.conf) format, read after the usual C(ovh.conf) files and winning over them.
        Options and E(OVH_*) variables still come first.
      - This is how the AWX credential type of the collection hands secrets to jobs without putting them in the job's
        environment (see C(docs/awx.md)).
      - If not set, the E(OVH_CONFIG_FILE) environment variable is used.
    type: path
  api_timeout:
    description:
      - Seconds to wait for each API answer (connect and read).
    type: int
    default: 60
requirements:
  - python >= 3.10 on the controller, where the modules run (what ansible-core 2.16 needs there; later ansible-core
    releases need a newer one)
  - ovh >= 1.2.0 and < 2 (the official OVHcloud Python library, on the controller)
notes:
  - "All API calls are made from the host that runs the module: use C(delegate_to: localhost) or C(connection: local)."
  - Secrets are never part of results or error messages. Errors name the API call, the API's message, the HTTP status
    and the C(X-Ovh-QueryID) to quote to OVHcloud support.
"""
