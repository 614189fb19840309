"""Fault injection rules set through ``/_sim/faults``.

A rule ``{"method", "path" (regex searched in the /1.0-less path), "count", "kind": status|drop|latency|truncate|patch,
"status", "body", "raw_body", "content_type", "latency_ms", "bytes", "patch", "phase": before|after}``: ``before`` replaces
processing, ``after`` processes the request (state changes) then replaces the response; ``drop`` closes the socket without
any HTTP response. A ``status`` fault answers ``body`` as JSON, or ``raw_body`` as it is (a proxy's HTML page, a body
that is not JSON). ``truncate`` (phase ``after``) sends the first ``bytes`` bytes of the real JSON answer, with its real
status: a body cut short. ``patch`` (phase ``after``) merges the ``patch`` object into the real answer when that is a
JSON object (an enum value or field the API schema does not have); other answers are sent unchanged. ``barrier`` holds
each of the ``count`` matching requests until all of them have arrived (or ``latency_ms`` passed, 30 s by default), then
lets them all go on at once: races between clients are lined up on purpose.
"""

import itertools
import re
import threading

from . import errors

KINDS = ("status", "drop", "latency", "barrier", "truncate", "patch")
PHASES = ("before", "after")
RULE_KEYS = {"method", "path", "count", "kind", "status", "body", "raw_body", "content_type", "latency_ms", "bytes", "patch",
             "phase"}
# kinds that change the real answer, so the request must have been processed
AFTER_ONLY = ("truncate", "patch")


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
        method = spec.get("method")
        rule = {"id": next(self._ids), "method": method.upper() if isinstance(method, str) else None, "path": pattern,
                "regex": compiled, "count": count, "kind": kind, "status": status if kind == "status" else None,
                "body": spec.get("body", errors.default_body_for_status(status)) if kind == "status" else None,
                "latency_ms": latency, "phase": phase}
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

    def take(self, method, path, phase):
        """First rule matching (method, path, phase); consumes one of its uses. None when none."""
        with self._lock:
            for rule in self._rules:
                if rule["phase"] != phase or (rule["method"] and rule["method"] != method) or not rule["regex"].search(path):
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


def public(rule):
    """JSON view of a rule (without the compiled regex)."""
    return {key: value for key, value in rule.items() if key != "regex"}
