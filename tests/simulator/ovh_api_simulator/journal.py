"""Journal of every ``/1.0`` request, read through ``GET /_sim/journal``."""

import itertools
import json
import threading
import urllib.parse


class Journal:
    """Thread-safe, ordered record of API requests."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = itertools.count(1)

    def start(self, method, api_path, raw_query, raw_body, query_id, when, application_key=None):  # pylint: disable=too-many-arguments
        """Open an entry for a request that just arrived (not listed until ``finish``). ``application_key``: the
        ``X-Ovh-Application`` header as sent (python-ovh sends it on unsigned calls too), None without one."""
        with self._lock:
            seq = next(self._seq)
        query = {}
        for key, value in urllib.parse.parse_qsl(raw_query or "", keep_blank_values=True):
            query[key] = [query[key], value] if key in query and not isinstance(query[key], list) else value
        entry = {"seq": seq, "method": method, "path": api_path, "query": query, "body": None, "status": None,
                 "account": None, "query_id": query_id, "time": when, "signed": False,
                 "application_key": application_key}
        text = raw_body.decode("utf-8", "replace") if raw_body else ""
        if text.strip():
            try:
                entry["body"] = json.loads(text)
            except ValueError:
                entry["raw_body"] = text
        return entry

    def finish(self, entry):
        """Record a completed entry."""
        with self._lock:
            self._entries.append(entry)

    def entries(self):
        """All recorded entries in arrival order."""
        with self._lock:
            return sorted((dict(e) for e in self._entries), key=lambda e: e["seq"])

    def clear(self):
        """Forget all entries (sequence numbers keep increasing)."""
        with self._lock:
            self._entries.clear()
