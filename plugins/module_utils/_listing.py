# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Internal to the collection: not a public API; may change in any release.

"""Every object of an API v1 list endpoint in a few calls: the expanded listing, page by page; ids and reads otherwise."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._api import NO_CACHE
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._errors import OvhApiError

# The expanded listing OVHcloud's web console uses (its Public Cloud pages in https://github.com/ovh/manager): with this
# mode, a list endpoint answers full objects instead of ids, one page at a time, and the total count in
# X-Pagination-Elements.
MODE_HEADER = "X-Pagination-Mode"
EXPANDED_MODE = "CachedObjectList-Pages"
SIZE_HEADER = "X-Pagination-Size"
NUMBER_HEADER = "X-Pagination-Number"
ELEMENTS_HEADER = "X-Pagination-Elements"
# Objects asked for per page: the console's default limit; the API may answer fewer, and the next pages are followed.
PAGE_SIZE = 1000
# Reads in flight at once when the API answers ids: python-ovh's requests session and its connection pool are shared.
READ_WORKERS = 8


def _elements(headers):
    """X-Pagination-Elements as a count, or None when absent or not a count."""
    try:
        value = int((headers or {}).get(ELEMENTS_HEADER))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


class ExpandedListing:
    """All the objects of ``GET path``, in a number of calls that does not grow with them (one per page).

    Page 1 is asked with ``X-Pagination-Mode: CachedObjectList-Pages`` and PAGE_SIZE; pages are followed until the
    listing holds ``X-Pagination-Elements`` objects (or, without that header, until a page comes back empty). An API that
    answers ids instead (a proxy, or an API version that ignores the headers) gets what the collection did before: each
    id read with ``read_one`` (None: gone), READ_WORKERS at a time. So does an expanded listing that does not add up (an
    object on two pages, a count that does not match): a list that lost one project would have the module order again.
    """

    def __init__(self, api, read_one, key, page_size=None):
        self.api = api
        self.read_one = read_one
        self.key = key
        self.page_size = page_size or PAGE_SIZE

    def objects(self, path):
        page, total, query_id = self._page(path, 1)
        if isinstance(page, list) and page and all(isinstance(item, str) for item in page):
            return self._read_each(page)  # the headers were not read: these are all the ids
        found = {}
        number = 1
        while True:
            _check_page(path, number, page, query_id)
            for item in page:
                if item.get(self.key) in found:
                    return self._by_ids(path)  # pages overlap: they cannot be trusted to hold every object
                found[item.get(self.key)] = item
            if not page or (total is not None and len(found) >= total):
                break
            number += 1
            page, total, query_id = self._page(path, number)
        if total is not None and len(found) != total:
            return self._by_ids(path)
        return list(found.values())

    def _page(self, path, number):
        """Page ``number``: (its items, X-Pagination-Elements or None, X-Ovh-QueryID). The cached listing is read
        past its cache (NO_CACHE): a project delivered or renamed a minute ago is in it."""
        request = {MODE_HEADER: EXPANDED_MODE, SIZE_HEADER: str(self.page_size), NUMBER_HEADER: str(number)}
        request.update(NO_CACHE)
        body, headers = self.api.get_with_headers(path, request)
        headers = headers or {}
        return (body if body is not None else []), _elements(headers), headers.get("X-Ovh-QueryID")

    def _by_ids(self, path):
        """The plain listing's ids, each read: after expanded pages that did not add up."""
        ids = self.api.get_fresh(path) or []
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            raise OvhApiError("GET", path, "the expanded listing's pages do not add up, and the plain listing is not a list "
                              "of ids", status=200)
        return self._read_each(ids)

    def _read_each(self, ids):
        ids = list(dict.fromkeys(ids))  # each id once, in the API's order
        if len(ids) <= 1:
            objects = [self.read_one(item) for item in ids]
        else:
            with ThreadPoolExecutor(max_workers=min(READ_WORKERS, len(ids))) as pool:
                objects = list(pool.map(self.read_one, ids))
        return [item for item in objects if item is not None]


def _check_page(path, number, page, query_id):
    """An OvhApiError if the page is not a list of objects (the answer the module does not expect)."""
    if isinstance(page, list) and all(isinstance(item, dict) for item in page):
        return
    kinds = {dict: "an object", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    what = "a list of ids and objects" if isinstance(page, list) else kinds.get(type(page), "not JSON")
    raise OvhApiError("GET", path, "page %d of the expanded listing is %s, not a list of objects" % (number, what),
                      status=200, query_id=query_id)
