"""The expanded listing of v1 list endpoints: full objects instead of ids, paged by ``X-Pagination-*`` request headers.

Source: OVHcloud's web console (https://github.com/ovh/manager) lists projects with
``GET /cloud/project`` and ``X-Pagination-Mode: CachedObjectList-Pages``, and gets a JSON list of full project objects
(what ``GET /cloud/project/{id}`` gives for each); ``X-Pagination-Size`` is the page size (a console comment says the
default is 1000), ``X-Pagination-Number`` the page (from 1), and the answer's ``X-Pagination-Elements`` the total count.
The exact edge cases are UNVERIFIED; the stricter choices here are listed in docs/simulator.md.
"""

from . import errors

MODE = "CachedObjectList-Pages"
MODE_HEADER = "X-Pagination-Mode"
SIZE_HEADER = "X-Pagination-Size"
NUMBER_HEADER = "X-Pagination-Number"
ELEMENTS_HEADER = "X-Pagination-Elements"
# a comment of the console's code: "the default limit is 1000"
DEFAULT_PAGE_SIZE = 1000
# Sorting and filtering exist in the console's code, but their syntax and semantics are UNVERIFIED:
# refused rather than answered wrongly, like the iamTags filter of GET /cloud/project.
UNSUPPORTED_HEADERS = ("X-Pagination-Sort", "X-Pagination-Sort-Order", "X-Pagination-Filter")


class Answer:  # pylint: disable=too-few-public-methods
    """A handler's answer that carries response headers besides its JSON payload."""

    def __init__(self, payload, headers):
        self.payload = payload
        self.headers = headers


def pagination_headers(headers):
    """The ``X-Pagination-*`` request headers, by their canonical names (for the journal)."""
    return {name: value for name, value in headers.items() if name.lower().startswith("x-pagination-")}


def expanded(ctx):
    """Whether the request asks for the expanded listing (full objects, paged).

    No: without ``X-Pagination-Mode`` (the page headers alone are ignored: the mode is what asks for objects, UNVERIFIED),
    or when the ``ignore_pagination_headers`` setting answers as a proxy or an API version that ignores the headers would.
    """
    mode = ctx.headers.get(MODE_HEADER)
    if mode is None or ctx.config.ignore_pagination_headers:
        return False
    if mode != MODE:
        raise errors.bad_request("[%s] %r is not supported by the simulator (supported: %s)" % (MODE_HEADER, mode, MODE))
    for name in UNSUPPORTED_HEADERS:
        if ctx.headers.get(name) is not None:
            raise errors.bad_request("[%s] sorting and filtering of the expanded listing are not supported by the simulator" % name)
    return True


def no_cache(ctx):
    """Whether the request bypasses the server-side cache of the CachedObjectList modes with ``Pragma: no-cache``, as
    OVHcloud's console does (reference "Newer facts", "Cached listings"; ovh/manager ``iceberg.ts`` ``setDisabledCache``)."""
    return "no-cache" in (ctx.headers.get("Pragma") or "").lower()


def page(ctx, items, expand=None):
    """The page of ``items`` the request asks for (``expand(item)`` each, if given), with ``X-Pagination-Elements``."""
    size = positive_integer(ctx.headers, SIZE_HEADER, DEFAULT_PAGE_SIZE)
    number = positive_integer(ctx.headers, NUMBER_HEADER, 1)
    if ctx.config.max_page_size:
        size = min(size, ctx.config.max_page_size)  # the real API may cap pages (UNVERIFIED): clients follow pages
    chosen = items[(number - 1) * size:number * size]  # a page past the end is empty (UNVERIFIED)
    return Answer([expand(item) for item in chosen] if expand else chosen, {ELEMENTS_HEADER: str(len(items))})


def positive_integer(headers, name, default):
    """A header that must be a whole number of at least 1 when sent (UNVERIFIED: 400 otherwise)."""
    text = headers.get(name)
    if text is None:
        return default
    try:
        value = int(text.strip(), 10)
    except ValueError:
        value = 0
    if value < 1:
        raise errors.bad_request("[%s] %r is not valid: a whole number of at least 1 is expected" % (name, text))
    return value
