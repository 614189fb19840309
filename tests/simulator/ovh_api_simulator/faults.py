"""Fault injection rules set through ``/_sim/faults``.

A rule ``{"method", "path" (regex searched in the /1.0-less path), "count", "kind": status|drop|latency|barrier|truncate|
patch, "status", "body", "raw_body", "content_type", "headers", "retry_after", "latency_ms", "bytes", "patch", "skip",
"phase": before|after}``: ``before`` replaces
processing, ``after`` processes the request (state changes) then replaces the response; ``drop`` closes the socket without
any HTTP response. A ``status`` fault answers ``body`` as JSON, or ``raw_body`` as it is (a proxy's HTML page, a body
that is not JSON). ``truncate`` (phase ``after``) sends the first ``bytes`` bytes of the real JSON answer, with its real
status: a body cut short. ``patch`` (phase ``after``) merges the ``patch`` object into the real answer when that is a
JSON object (an enum value or field the API schema does not have); other answers are sent unchanged. ``barrier`` holds
each of the ``count`` matching requests until all of them have arrived (or ``latency_ms`` passed, 30 s by default), then
lets them all go on at once: races between clients are lined up on purpose.
``headers`` are extra response headers of a ``status`` fault; ``retry_after`` (seconds) is a shortcut for a ``Retry-After``
header, as a throttling 429 (or a 503) carries. ``skip`` lets that many matching requests through before the rule applies
(a fault on the second ``GET /cloud/order`` of a run). ``latency_ms`` delays a ``status`` or ``drop`` fault too: a ``drop``
``before`` with a long latency holds a request unprocessed, and the rule leaves ``GET /_sim/faults`` as soon as the request
arrives (a test harness kills the client then: it died after the previous answer, before this request was processed).
A rule whose ``path`` starts with ``/v3`` or ``/openstack/`` applies to the simulator's Keystone and image service instead
(keystone.py; phase ``before``, kinds ``status``, ``drop`` and ``latency``), and the OpenStack journal records the request
with the fault's status (None for a drop): Keystone down or failing, for the clients of its password authentication.
"""

import itertools
import re
import threading

from . import errors

KINDS = ("status", "drop", "latency", "barrier", "truncate", "patch")
PHASES = ("before", "after")
RULE_KEYS = {"method", "path", "count", "kind", "status", "body", "raw_body", "content_type", "headers", "retry_after",
             "latency_ms", "bytes", "patch", "skip", "phase"}
# kinds that change the real answer, so the request must have been processed
AFTER_ONLY = ("truncate", "patch")
# Headers a fault may not set: the server writes them itself for every answer.
RESERVED_HEADERS = {"content-type", "content-length", "x-ovh-queryid", "connection", "transfer-encoding"}


class FaultRules:
    """Thread-safe list of fault rules consumed by matching requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []
        self._ids = itertools.count(1)
        self._barriers = {}

    def add(self, spec):
        """Validate and add a rule; returns its JSON view."""
        if not isinstance(spec, dict):
            raise errors.bad_request("fault must be a JSON object")
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise errors.bad_request("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        kind = spec.get("kind", "status")
        phase = spec.get("phase", "before")
        if kind not in KINDS or phase not in PHASES:
            raise errors.bad_request("kind must be one of %s and phase one of %s" % (KINDS, PHASES))
        pattern = spec.get("path", ".*")
        try:
            compiled = re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise errors.bad_request("bad path regex: %s" % exc) from exc
        count = spec.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise errors.bad_request("count must be a positive integer")
        status = spec.get("status", 503)
        if kind == "status" and (isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599):
            raise errors.bad_request("status must be an HTTP status code")
        latency = spec.get("latency_ms", 0)
        if isinstance(latency, bool) or not isinstance(latency, (int, float)) or latency < 0:
            raise errors.bad_request("latency_ms must be a non-negative number")
        skip = spec.get("skip", 0)
        if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
            raise errors.bad_request("skip must be a non-negative integer")
        headers = fault_headers(spec, kind)
        method = spec.get("method")
        rule = {"id": next(self._ids), "method": method.upper() if isinstance(method, str) else None, "path": pattern,
                "regex": compiled, "count": count, "kind": kind, "status": status if kind == "status" else None,
                "body": spec.get("body", errors.default_body_for_status(status)) if kind == "status" else None,
                "headers": headers, "latency_ms": latency, "skip": skip, "phase": phase}
        rule.update(_answer_options(spec, kind, phase))
        with self._lock:
            self._rules.append(rule)
            if kind == "barrier":
                self._barriers[rule["id"]] = threading.Barrier(count)
        return public(rule)

    def barrier(self, rule):
        """The barrier of a barrier rule taken by a request."""
        with self._lock:
            return self._barriers.get(rule["id"])

    def take(self, method, path, phase, openstack=False):
        """First rule matching (method, path, phase); consumes one of its uses. None when none. ``openstack``: a request
        to the simulator's Keystone or image service, which only the rules whose path starts with /v3 or /openstack/
        reach (``is_openstack_rule``); the OVH API's requests never take those."""
        with self._lock:
            for rule in self._rules:
                if rule["phase"] != phase or (rule["method"] and rule["method"] != method) or not rule["regex"].search(path):
                    continue
                if is_openstack_rule(rule) != openstack:
                    continue
                if rule["skip"] > 0:
                    rule["skip"] -= 1
                    continue
                rule["count"] -= 1
                if rule["count"] <= 0:
                    self._rules.remove(rule)
                return public(rule)
        return None

    def list(self):
        """Remaining rules."""
        with self._lock:
            return [public(rule) for rule in self._rules]

    def clear(self):
        """Remove all rules."""
        with self._lock:
            self._rules.clear()
            for barrier in self._barriers.values():
                barrier.abort()  # release anything still held
            self._barriers.clear()


def is_openstack_rule(rule):
    """A rule for the simulator's Keystone and image service (keystone.py): its path starts with /v3 or /openstack/
    (``^`` allowed), so that no rule written for the OVH API (such as the default ``.*``) reaches them."""
    return rule["path"].lstrip("^").startswith(("/v3", "/openstack/"))


def _answer_options(spec, kind, phase):
    """The checked options of the kinds that shape an answer: raw_body/content_type, bytes, patch."""
    if kind in AFTER_ONLY and phase != "after":
        raise errors.bad_request("a %s fault changes the real answer: it needs phase after" % kind)
    options = {}
    raw_body = spec.get("raw_body")
    if raw_body is not None or "content_type" in spec:
        if kind != "status" or not isinstance(raw_body, str) or "body" in spec:
            raise errors.bad_request("raw_body (a string, instead of body) and content_type go with kind status")
        content_type = spec.get("content_type", "application/json")
        if not isinstance(content_type, str) or not content_type:
            raise errors.bad_request("content_type must be a string")
        options.update(raw_body=raw_body, content_type=content_type)
    size = spec.get("bytes")
    if (kind == "truncate") != (size is not None):
        raise errors.bad_request("bytes goes with kind truncate, which needs it")
    if kind == "truncate":
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise errors.bad_request("bytes must be a non-negative integer")
        options["bytes"] = size
    patch = spec.get("patch")
    if (kind == "patch") != (patch is not None):
        raise errors.bad_request("patch goes with kind patch, which needs it")
    if kind == "patch":
        if not isinstance(patch, dict):
            raise errors.bad_request("patch must be a JSON object")
        options["patch"] = patch
    return options


def fault_headers(spec, kind):
    """The extra response headers of a rule: ``headers`` ({name: text}) plus ``retry_after`` (whole seconds, or an
    HTTP date given as text) as ``Retry-After``; status faults only."""
    headers = spec.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise errors.bad_request("headers must be an object of header names to text values")
    if any(not name or not all(33 <= ord(c) <= 126 and c != ":" for c in name) for name in headers) or \
            any("\r" in value or "\n" in value for value in headers.values()):
        raise errors.bad_request("headers: bad header name or value")
    reserved = sorted(name for name in headers if name.lower() in RESERVED_HEADERS)
    if reserved:
        raise errors.bad_request("headers: %s is set by the server" % ", ".join(reserved))
    headers = dict(headers)
    if "retry_after" in spec:
        retry_after = spec["retry_after"]
        if isinstance(retry_after, bool) or not (isinstance(retry_after, int) and retry_after >= 0 or isinstance(retry_after, str)):
            raise errors.bad_request("retry_after must be a non-negative whole number of seconds (or an HTTP date as text)")
        if any(name.lower() == "retry-after" for name in headers):
            raise errors.bad_request("give Retry-After once: retry_after or headers")
        headers["Retry-After"] = str(retry_after)
    if headers and kind != "status":
        raise errors.bad_request("headers and retry_after apply to status faults only")
    return headers


def public(rule):
    """JSON view of a rule (without the compiled regex)."""
    return {key: value for key, value in rule.items() if key != "regex"}
