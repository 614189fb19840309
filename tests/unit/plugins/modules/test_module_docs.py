# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the modules' documentation says against what the modules do: the subsidiaries each endpoint accepts."""

from __future__ import annotations

import re

import pytest
import yaml

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._endpoints import (
    ALL_SUBSIDIARIES,
    SUBSIDIARIES_BY_ENDPOINT,
    Endpoint,
)
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import InputError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._validation import check_subsidiary
from ansible_collections.ovhcloud.public_cloud.plugins.modules import public_cloud_project


def documented_subsidiaries():
    """{endpoint name: set of the V(...) values of its line} from the subsidiary option's description."""
    description = yaml.safe_load(public_cloud_project.DOCUMENTATION)["options"]["subsidiary"]["description"]
    lists = {}
    for line in description:
        match = re.match(r"On V\((ovh-[a-z]+)\) - (.*)", line)
        if match:
            lists[match.group(1)] = set(re.findall(r"V\(([A-Z]+)\)", match.group(2)))
    return lists


def test_every_endpoint_that_sells_public_cloud_has_its_list_documented():
    assert set(documented_subsidiaries()) == set(SUBSIDIARIES_BY_ENDPOINT)


@pytest.mark.parametrize("name", sorted(SUBSIDIARIES_BY_ENDPOINT))
def test_documented_subsidiaries_are_those_the_module_accepts(name):
    documented = documented_subsidiaries()[name]
    endpoint = Endpoint.parse(name)
    for subsidiary in documented:
        check_subsidiary(subsidiary, endpoint)  # raises if refused
    for subsidiary in set(ALL_SUBSIDIARIES) - documented:
        with pytest.raises(InputError):
            check_subsidiary(subsidiary, endpoint)


def test_subsidiary_is_free_text_in_the_argument_spec_as_documented():
    """The list depends on the endpoint, so the option has no choices (checked per endpoint before any call)."""
    documented = yaml.safe_load(public_cloud_project.DOCUMENTATION)["options"]["subsidiary"]
    assert "choices" not in documented
    assert public_cloud_project.argument_spec()["subsidiary"] == {"type": "str"}
