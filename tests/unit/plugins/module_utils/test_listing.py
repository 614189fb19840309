# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ExpandedListing: every object of a list endpoint in one call per page; ids and reads when the API answers ids."""

from __future__ import annotations

import pytest

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils import _listing
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._listing import ExpandedListing
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._backoff import ReadRetryPolicy
from ansible_collections.ovhcloud.public_cloud.tests.unit.plugins.module_utils.fakes import (
    FakeApi, FakeDeadline, Page, Seq, api_err, project,
)

LIST = "GET /cloud/project"


def objects(count):
    return [project("%032x" % n, "p%d" % n) for n in range(count)]


def paged(items, cap=None, elements=True):
    """An API that pages ``items`` as the expanded listing asks (at most ``cap`` a page), with X-Pagination-Elements."""
    def answer(headers):
        size = int(headers["X-Pagination-Size"])
        size = min(size, cap) if cap else size
        number = int(headers["X-Pagination-Number"])
        return Page(items[(number - 1) * size:number * size],
                    {"X-Pagination-Elements": str(len(items)), "X-Ovh-QueryID": "EU.q.%d" % number} if elements else {})
    return answer


def reads(items):
    """The answers of GET /cloud/project/{id} for each of ``items``."""
    return dict(("GET /cloud/project/%s" % p["project_id"], p) for p in items)


def listing(api, **kwargs):
    return ExpandedListing(api, lambda pid: api.get("/cloud/project/%s" % pid), key="project_id", **kwargs)


def pages_asked(api):
    return [(c[2]["X-Pagination-Size"], c[2]["X-Pagination-Number"]) for c in api.calls if c[2].get("X-Pagination-Mode")]


def test_one_call_gives_every_object_when_one_page_holds_them():
    items = objects(3)
    api = FakeApi({LIST: paged(items)})
    assert listing(api).objects("/cloud/project") == items
    # read past the API's cache, as OVHcloud's console does
    asked = {"X-Pagination-Mode": "CachedObjectList-Pages", "X-Pagination-Size": "1000", "X-Pagination-Number": "1",
             "Pragma": "no-cache"}
    assert api.calls == [("GET", "/cloud/project", asked)]


def test_pages_are_followed_until_they_hold_the_elements_announced(monkeypatch):
    monkeypatch.setattr(_listing, "PAGE_SIZE", 2)
    items = objects(5)
    api = FakeApi({LIST: paged(items)})
    assert listing(api).objects("/cloud/project") == items
    assert pages_asked(api) == [("2", "1"), ("2", "2"), ("2", "3")]  # no fourth call for an empty page


def test_pages_the_api_caps_are_followed_too():
    items = objects(5)
    api = FakeApi({LIST: paged(items, cap=2)})
    assert listing(api).objects("/cloud/project") == items
    assert pages_asked(api) == [("1000", "1"), ("1000", "2"), ("1000", "3")]


def test_without_a_count_pages_are_followed_until_one_is_empty():
    items = objects(3)
    api = FakeApi({LIST: paged(items, cap=2, elements=False)})
    assert listing(api).objects("/cloud/project") == items
    assert pages_asked(api) == [("1000", "1"), ("1000", "2"), ("1000", "3")]


@pytest.mark.parametrize("answer", [Page([], {"X-Pagination-Elements": "0"}), Page([]), Page(None)], ids=["counted", "bare", "null"])
def test_no_object_is_one_call(answer):
    api = FakeApi({LIST: answer})
    assert listing(api).objects("/cloud/project") == []
    assert len(api.calls) == 1


def test_ids_are_read_each_once_when_the_api_ignores_the_headers():
    items = objects(3)
    answers = {LIST: [p["project_id"] for p in items] + [items[0]["project_id"], "vanished"],
               "GET /cloud/project/vanished": api_err(404)}
    answers.update(reads(items))
    api = FakeApi(answers)
    gone_is_none = ExpandedListing(api, lambda pid: None if pid == "vanished" else api.get("/cloud/project/%s" % pid),
                                   key="project_id")
    assert gone_is_none.objects("/cloud/project") == items
    assert api.count(LIST) == 1
    assert sorted(k for k in api.keys() if k != LIST) == sorted("GET /cloud/project/%s" % p["project_id"] for p in items)


def test_pages_that_overlap_are_not_trusted_the_ids_are_read_instead():
    items = objects(4)
    repeated_first_page = Page(items[:2], {"X-Pagination-Elements": "4"})  # a proxy that drops X-Pagination-Number
    answers = {LIST: lambda headers: repeated_first_page if headers else [p["project_id"] for p in items]}
    answers.update(reads(items))
    api = FakeApi(answers)
    assert listing(api).objects("/cloud/project") == items
    assert pages_asked(api) == [("1000", "1"), ("1000", "2")]
    assert api.calls[2] == ("GET", "/cloud/project", {})  # the plain listing, then each project
    assert len(api.calls) == 3 + len(items)


def test_a_listing_short_of_its_count_is_not_trusted_the_ids_are_read_instead():
    items = objects(3)
    short = Seq(Page(items[:2], {"X-Pagination-Elements": "3"}), Page([], {"X-Pagination-Elements": "3"}))
    answers = {LIST: lambda headers: short.next() if headers else [p["project_id"] for p in items]}
    answers.update(reads(items))
    api = FakeApi(answers)
    assert listing(api).objects("/cloud/project") == items
    assert pages_asked(api) == [("1000", "1"), ("1000", "2")] and api.count("GET /cloud/project/%s" % items[2]["project_id"]) == 1


def test_pages_that_do_not_add_up_and_a_plain_listing_of_objects_are_an_api_error():
    api = FakeApi({LIST: Page(objects(2), {"X-Pagination-Elements": "3"})})  # the plain GET gets the same objects
    with pytest.raises(OvhApiError) as err:
        listing(api).objects("/cloud/project")
    assert err.value.message == "the expanded listing's pages do not add up, and the plain listing is not a list of ids"
    assert err.value.status == 200 and len(api.calls) == 3


@pytest.mark.parametrize("answer, what", [
    (Page({"project_id": "x"}, {"X-Ovh-QueryID": "EU.q.9"}), "an object"),
    (Page([{"project_id": "x"}, "y"], {"X-Ovh-QueryID": "EU.q.9"}), "a list of ids and objects"),
    (Page(42, {"X-Ovh-QueryID": "EU.q.9"}), "a number"),
], ids=["object", "mixed", "number"])
def test_an_answer_that_is_no_list_of_objects_is_an_api_error(answer, what):
    api = FakeApi({LIST: answer})
    with pytest.raises(OvhApiError) as err:
        listing(api).objects("/cloud/project")
    assert (err.value.method, err.value.path, err.value.status, err.value.query_id) == ("GET", "/cloud/project", 200, "EU.q.9")
    assert err.value.message == "page 1 of the expanded listing is %s, not a list of objects" % what


def test_a_later_page_that_is_no_list_of_objects_is_an_api_error_naming_it(monkeypatch):
    monkeypatch.setattr(_listing, "PAGE_SIZE", 1)
    items = objects(2)
    api = FakeApi({LIST: Seq(Page(items[:1], {"X-Pagination-Elements": "2"}), Page(["id"], {"X-Pagination-Elements": "2"}))})
    with pytest.raises(OvhApiError) as err:
        listing(api).objects("/cloud/project")
    assert err.value.message == "page 2 of the expanded listing is a list of ids and objects, not a list of objects"


def test_a_page_that_fails_for_a_moment_is_asked_again_and_a_lasting_failure_is_raised(monkeypatch):
    monkeypatch.setattr(_listing, "PAGE_SIZE", 2)
    items = objects(3)
    pages = paged(items)
    api = FakeApi({LIST: Seq(pages, api_err(503, path="/cloud/project"), pages)}).retrying(ReadRetryPolicy(FakeDeadline(600)))
    assert listing(api).objects("/cloud/project") == items
    assert pages_asked(api) == [("2", "1"), ("2", "2"), ("2", "2")]
    api = FakeApi({LIST: api_err(403, error_code="INVALID_CREDENTIAL", path="/cloud/project")})
    with pytest.raises(OvhApiError) as err:
        listing(api).objects("/cloud/project")
    assert err.value.status == 403 and len(api.calls) == 1
