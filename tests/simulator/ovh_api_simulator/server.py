"""HTTP server: serves the API v1 under ``/1.0`` (and ``/v1``), the IAM routes of the API v2 under ``/v2`` (iam_api.py) and
the control API under ``/_sim/``; latency, faults and journal plumbing."""

import itertools
import json
import os
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import auth, control_api, errors, iam_api, keystone, lifecycle, seed
from .dispatch import ApiRequest, Dispatcher
from .faults import FaultRules
from .journal import Journal
from .pagination import pagination_headers
from .state import Store

API_PREFIX = "/1.0"
# python-ovh sends a path starting with /v1 or /v2 to the endpoint's host with that prefix instead of /1.0 (python-ovh
# client.py _get_target): /v1 is the API v1 again, /v2 the API v2 (only its IAM resource routes here, iam_api.py).
V1_PREFIX = "/v1"
V2_PREFIX = iam_api.PREFIX
CONTROL_PREFIX = "/_sim/"


class HttpServer(ThreadingHTTPServer):
    """The HTTP server, quiet about clients that hang up before their answer (a client timeout, a killed run, a
    dropped connection): those are what fault tests do, not errors of the simulator."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class SimulatorServer:
    """A strict OVHcloud API v1 simulator on a loopback port (``port=0`` picks a free one)."""

    def __init__(self, host="127.0.0.1", port=0, flavour="eu", seed_spec=None, verbose=False):
        self.host = host
        self.port = port
        self.flavour = flavour
        self.verbose = verbose
        self.store = Store(flavour)
        self.dispatcher = Dispatcher(self.store)
        self.faults = FaultRules()
        self.journal = Journal()
        self.openstack_journal = keystone.OpenStackJournal()  # Keystone and image service requests (keystone.py)
        self._initial_seed = seed_spec
        self._httpd = None
        self._thread = None
        self._query_ids = itertools.count(1)
        self._query_id_stem = "%s.%08x.%d.%s" % ("ext-3", uuid.uuid4().int & 0xFFFFFFFF, os.getpid() % 100000, uuid.uuid4().hex[:8])
        self.reset(seed_spec)

    # lifecycle ---------------------------------------------------------------

    def start(self):
        """Bind and serve in a background thread; returns self."""
        self._httpd = HttpServer((self.host, self.port), SimulatorRequestHandler)
        self._httpd.simulator = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.1,), name="ovh-api-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and release the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    @property
    def root_url(self):
        """``http://HOST:PORT``."""
        return "http://%s:%d" % (self.host, self.port)

    @property
    def base_url(self):
        """``http://HOST:PORT/1.0`` -- the API endpoint."""
        return self.root_url + API_PREFIX

    def reset(self, seed_spec=None):
        """Back to a fresh state: default seed (plus ``seed_spec``), clock offset 0, default settings, no faults, empty journal."""
        with self.store.lock:
            self.store.clear()
            self.store.clock.offset = 0.0
            self.store.config.reset(self.flavour)
            seed.load_seed(self.store, seed_spec if seed_spec is not None else self._initial_seed)
        self.faults.clear()
        self.journal.clear()
        self.openstack_journal.clear()

    def dump_state(self):
        """JSON state snapshot (``GET /_sim/state``)."""
        with self.store.lock:
            now_real = self.store.clock.real()
            lifecycle.tick(self.store, now_real)
            retention = self.store.config.project_deleted_retention
            return self.store.dump(lifecycle.order_status, lifecycle.project_status, now_real,
                                   lambda project, when: lifecycle.project_gone(project, when, retention))

    def next_query_id(self):
        """An ``X-Ovh-QueryID`` value like ``EU.ext-3.63ac85b6.10528.27b4f1fc-42``."""
        prefix = "US" if self.store.config.flavour == "us" else "EU"
        return "%s.%s-%d" % (prefix, self._query_id_stem, next(self._query_ids))


def patched(payload, patch):
    """A ``patch`` fault's answer: the object with these fields replaced or added, or each object of a list (the expanded
    listing); any other answer unchanged."""
    if isinstance(payload, dict):
        return dict(payload, **patch)
    if isinstance(payload, list):
        return [dict(item, **patch) if isinstance(item, dict) else item for item in payload]
    return payload


class SimulatorRequestHandler(BaseHTTPRequestHandler):
    """One HTTP/1.1 connection (keep-alive, as python-ovh's requests Session uses)."""

    protocol_version = "HTTP/1.1"
    server_version = "OVHApiSimulator/1.0"

    def setup(self):
        """Disable Nagle's algorithm: responses are small and written in two pieces (headers, body)."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):  # pylint: disable=invalid-name
        """GET."""
        self.route()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet unless verbose."""
        if self.server.simulator.verbose:
            super().log_message(format, *args)

    @property
    def sim(self):
        """The owning SimulatorServer."""
        return self.server.simulator

    def read_body(self):
        """Raw request body bytes (Content-Length framed)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def route(self):
        """Dispatch by prefix."""
        raw_body = self.read_body()
        query_id = self.sim.next_query_id()
        path = self.path.split("?", 1)[0]
        prefix = next((p for p in (API_PREFIX, V1_PREFIX, V2_PREFIX) if path == p or path.startswith(p + "/")), None)
        if prefix is not None:
            self.serve_api(raw_body, query_id, prefix)
        elif path.startswith(CONTROL_PREFIX):
            self.serve_control(path, raw_body, query_id)
        elif keystone.serves(path):  # the simulator's own Keystone v3 and image listing, unsigned (keystone.py)
            if self.openstack_fault(path, raw_body, query_id):
                return
            status, payload, headers = keystone.handle(self.sim, self.command, path, self.headers, raw_body,
                                                       self.path.partition("?")[2])
            self.send_json(status, payload, query_id, headers)
        else:
            self.send_json(404, {"class": "Client::NotFound", "message": "Got an invalid (or empty) URL"}, query_id)

    def serve_control(self, path, raw_body, query_id):
        """Control API: loopback clients only."""
        if not (self.client_address[0].startswith("127.") or self.client_address[0] == "::1"):
            self.send_json(403, {"class": "Client::Forbidden", "message": "control API is loopback-only"}, query_id)
            return
        try:
            body = json.loads(raw_body.decode("utf-8")) if raw_body.strip() else None
        except ValueError:
            self.send_json(400, {"class": "Client::BadRequest", "message": "control body must be JSON"}, query_id)
            return
        status, payload = control_api.handle(self.sim, self.command, path, body)
        self.send_json(status, payload, query_id)

    def serve_api(self, raw_body, query_id, prefix=API_PREFIX):
        """API request: global latency, 'before' faults, processing, 'after' faults, journal. The journal and the fault
        rules see a v1 path without its prefix (``/cloud/project``), a v2 path with it (``/v2/iam/resource``)."""
        sim = self.sim
        raw_path = self.path[len(prefix):]
        api_path, _sep, raw_query = raw_path.partition("?")
        v2 = prefix == V2_PREFIX
        journal_path = V2_PREFIX + api_path if v2 else api_path
        entry = sim.journal.start(self.command, journal_path, raw_query, raw_body, query_id, sim.store.clock.now_dt().isoformat(),
                                  self.headers.get("X-Ovh-Application"))
        paging = pagination_headers(self.headers)
        if paging:
            entry["pagination"] = paging  # what the expanded listing was asked (tests count pages and sizes)
        if self.headers.get("Pragma") is not None:
            entry["pragma"] = self.headers.get("Pragma")  # Pragma: no-cache bypasses project_listing_cache
        recorded = []

        def record():
            # Record BEFORE answering (or dropping): a client that got its answer must find the entry in the journal.
            if not recorded:
                recorded.append(True)
                sim.journal.finish(entry)

        latency = sim.store.config.latency_ms
        if latency:
            time.sleep(latency / 1000.0)
        try:
            fault = self.take_fault(entry, journal_path, "before")
            if fault:
                entry["status"] = fault["status"]
                record()
                self.send_fault(fault, query_id)
                return
            request = ApiRequest(self.command, "http://%s%s" % (self.headers.get("Host", ""), self.path), api_path, raw_query,
                                 self.headers, raw_body)
            if v2:
                status, payload, nichandle, signed, headers = iam_api.process(sim.store, request, auth.authenticate)
            else:
                status, payload, nichandle, signed, headers = sim.dispatcher.process(request)
            entry.update({"status": status, "account": nichandle, "signed": signed})
            fault = self.take_fault(entry, journal_path, "after")
            if fault:
                record()
                self.send_fault(fault, query_id, status, payload, headers)
                return
            record()
            self.send_json(status, payload, query_id, headers)
        finally:
            record()

    def openstack_fault(self, path, raw_body, query_id):
        """A fault rule for the Keystone or image service (faults.is_openstack_rule), answered or dropped and recorded
        in the OpenStack journal; False when none (a latency fault has slept, and the request goes on)."""
        fault = self.sim.faults.take(self.command, path, "before", openstack=True)
        if fault and fault["latency_ms"]:
            time.sleep(fault["latency_ms"] / 1000.0)
        if not fault or fault["kind"] not in ("status", "drop"):
            return False
        keystone.record(self.sim, keystone.service_of(path), self.command, path, self.headers, raw_body,
                        self.path.partition("?")[2], fault["status"] if fault["kind"] == "status" else None, {})
        self.send_fault(fault, query_id)
        return True

    def take_fault(self, entry, api_path, phase):
        """The fault rule for this request in this phase, noted in the journal entry, after its latency; a latency fault
        gives None (the request then goes on normally)."""
        fault = self.sim.faults.take(self.command, api_path, phase)
        if fault:
            entry["fault"] = fault
            if fault["latency_ms"] and fault["kind"] != "barrier":  # a barrier's latency_ms is its longest wait
                time.sleep(fault["latency_ms"] / 1000.0)
            if fault["kind"] == "latency":
                return None
            if fault["kind"] == "barrier":
                barrier = self.sim.faults.barrier(fault)
                try:
                    barrier.wait(timeout=(fault["latency_ms"] or 30000) / 1000.0)
                except (threading.BrokenBarrierError, AttributeError):
                    pass  # timed out, or cleared: go on
                return None
        return fault

    def send_fault(self, fault, query_id, status=None, payload=None, headers=None):  # pylint: disable=too-many-arguments
        """Answer as the fault says (``status``/``payload``/``headers``: the real answer, for an ``after`` fault), or
        drop the connection without any response."""
        kind = fault["kind"]
        if kind == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        elif kind == "truncate":
            self.send_body(status, json.dumps(payload).encode("utf-8")[:fault["bytes"]], "application/json", query_id, headers)
        elif kind == "patch":
            self.send_json(status, patched(payload, fault["patch"]), query_id, headers)
        elif fault.get("raw_body") is not None:
            self.send_body(fault["status"], fault["raw_body"].encode("utf-8"), fault["content_type"], query_id,
                           fault.get("headers"))
        else:
            self.send_json(fault["status"], fault["body"], query_id, fault.get("headers"))

    def send_error(self, code, message=None, explain=None):
        """Protocol-level errors (bad request line, unsupported method...) also answer JSON with a query id."""
        self.close_connection = True
        cls, default = errors.DEFAULT_CLASS_BODIES.get(code, ("Client::BadRequest", "Bad request"))
        self.send_json(code, {"class": cls, "message": message or default}, self.sim.next_query_id())

    def send_json(self, status, payload, query_id, headers=None):
        """JSON response with Content-Type application/json, X-Ovh-QueryID and any extra ``headers`` (a fault's)."""
        self.send_body(status, json.dumps(payload).encode("utf-8"), "application/json", query_id, headers)

    def send_body(self, status, data, content_type, query_id, headers=None):
        """A response of these bytes, with X-Ovh-QueryID and any extra ``headers``."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("X-Ovh-QueryID", query_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
