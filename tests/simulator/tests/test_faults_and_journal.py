"""Fault injection (status/drop/latency, before/after), global latency, and the request journal."""

import socket
import struct
import threading
import time

import ovh
import pytest

from sim_helpers import DEMO_NIC, add_project_item, checkout, new_cart, ordered_cart, wait_until


def test_status_fault_before_is_not_processed(demo, control):
    control.post("/_sim/faults", {"method": "POST", "path": "^/order/cart$", "kind": "status", "status": 503, "phase": "before"})
    with pytest.raises(ovh.exceptions.APIError, match="temporarily unavailable") as excinfo:
        demo.post("/order/cart", ovhSubsidiary="FR", _need_auth=False)
    assert excinfo.value.response.status_code == 503 and excinfo.value.query_id
    assert excinfo.value.response.json() == {"class": "Server::ServiceUnavailable", "message": "Service is temporarily unavailable"}
    assert control.state()["carts"] == []
    entry = control.journal()[-1]
    assert entry["status"] == 503 and entry["fault"]["kind"] == "status" and entry["fault"]["phase"] == "before"
    assert demo.post("/order/cart", ovhSubsidiary="FR", _need_auth=False)["cartId"]  # count defaults to 1
    assert control.get("/_sim/faults") == []


def test_status_fault_after_changes_state(demo, control):
    cart_id, _item = ordered_cart(demo)
    control.post("/_sim/faults", {"method": "POST", "path": "/checkout$", "status": 500, "phase": "after",
                                  "body": {"class": "Server::InternalServerError", "message": "Internal server error"}})
    with pytest.raises(ovh.exceptions.APIError, match="Internal server error"):
        checkout(demo, cart_id)
    orders = control.state()["orders"]
    assert len(orders) == 1 and orders[0]["cartId"] == cart_id
    entry = control.journal()[-1]
    assert entry["status"] == 200 and entry["fault"]["status"] == 500
    assert demo.get("/me/order") == [orders[0]["orderId"]]  # the client must look before ordering again


def test_drop_before_and_after(demo, control):
    cart_id, _item = ordered_cart(demo)
    control.post("/_sim/faults", {"path": "/checkout$", "kind": "drop", "phase": "before"})
    with pytest.raises(ovh.exceptions.HTTPError):
        checkout(demo, cart_id)
    assert control.state()["orders"] == []
    assert control.journal()[-1]["status"] is None and control.journal()[-1]["fault"]["kind"] == "drop"
    control.post("/_sim/faults", {"path": "/checkout$", "kind": "drop", "phase": "after"})
    with pytest.raises(ovh.exceptions.HTTPError):
        checkout(demo, cart_id)
    assert len(control.state()["orders"]) == 1  # ordered although the client saw only a transport error
    assert control.journal()[-1]["status"] == 200
    assert demo.get("/order/cart/%s" % cart_id)["readOnly"] is True  # the connection pool recovers


def test_latency_fault_and_global_latency(demo, control):
    demo.get("/me")
    control.post("/_sim/faults", [{"method": "GET", "path": "^/me$", "kind": "latency", "latency_ms": 300},
                                  {"method": "GET", "path": "^/me$", "kind": "latency", "latency_ms": 200, "phase": "after"}])
    start = time.time()
    assert demo.get("/me")["nichandle"] == DEMO_NIC
    assert time.time() - start >= 0.5
    assert [e.get("fault", {}).get("kind") for e in control.journal()[-1:]] == ["latency"]
    control.post("/_sim/config", {"latency_ms": 200})
    start = time.time()
    demo.get("/me")
    assert time.time() - start >= 0.2


def test_raw_body_fault_answers_a_body_that_is_not_json(demo, control):
    control.fault(method="GET", path="^/me$", status=502, raw_body="<html><body>502 Bad Gateway</body></html>", content_type="text/html")
    response = demo.raw_call("GET", "/me")
    assert response.status_code == 502 and response.headers["Content-Type"] == "text/html"
    assert response.text == "<html><body>502 Bad Gateway</body></html>" and response.headers["X-Ovh-QueryID"]
    control.fault(method="GET", path="^/me$", status=200, raw_body="not json")
    with pytest.raises(ovh.exceptions.InvalidResponse):
        demo.get("/me")
    assert control.journal()[-1]["fault"]["raw_body"] == "not json"


def test_truncate_fault_cuts_the_real_answer(demo, control):
    full = demo.raw_call("GET", "/me").text
    control.fault(method="GET", path="^/me$", kind="truncate", bytes=12, phase="after")
    response = demo.raw_call("GET", "/me")
    assert response.status_code == 200 and response.text == full[:12]
    assert int(response.headers["Content-Length"]) == 12
    control.fault(method="POST", path="^/order/cart$", kind="truncate", bytes=20, phase="after")
    with pytest.raises(ovh.exceptions.InvalidResponse):
        demo.post("/order/cart", ovhSubsidiary="FR", _need_auth=False)
    assert len(control.state()["carts"]) == 1  # processed: the cart exists although its answer was cut


def test_patch_fault_changes_fields_of_the_real_answer(demo, control):
    control.fault(method="GET", path="^/me$", kind="patch", patch={"ovhSubsidiary": "XX", "newField": 1}, phase="after")
    me = demo.get("/me")
    assert (me["nichandle"], me["ovhSubsidiary"], me["newField"]) == (DEMO_NIC, "XX", 1)
    control.fault(method="GET", path="^/auth/time$", kind="patch", patch={"x": 1}, phase="after")
    answer = demo.get("/auth/time", _need_auth=False)
    # not an object: sent unchanged (an int, not a bool, within a second of the simulator clock)
    assert isinstance(answer, int) and not isinstance(answer, bool) and abs(answer - control.clock()["epoch"]) <= 1


def test_patch_fault_changes_each_object_of_a_list_and_keeps_the_answers_headers(demo, control):
    seeded = control.seed_projects(DEMO_NIC, [{"description": "a"}, {"description": "b"}])
    control.fault(method="GET", path="^/cloud/project$", kind="patch", patch={"status": "frozen"}, phase="after", count=2)
    response = demo.raw_call("GET", "/cloud/project", headers={"X-Pagination-Mode": "CachedObjectList-Pages"})
    assert [p["status"] for p in response.json()] == ["frozen", "frozen"]
    assert response.headers["X-Pagination-Elements"] == "2"
    assert sorted(demo.get("/cloud/project")) == sorted(seeded)  # ids: unchanged


@pytest.mark.parametrize("rule", [
    {"kind": "truncate", "bytes": 3},                       # phase before: nothing to cut
    {"kind": "truncate", "phase": "after"},                 # no bytes
    {"kind": "truncate", "bytes": -1, "phase": "after"},
    {"kind": "patch", "patch": [1], "phase": "after"},
    {"kind": "patch", "phase": "after"},
    {"kind": "status", "raw_body": 3},
    {"kind": "status", "raw_body": "x", "body": {}},
    {"kind": "drop", "raw_body": "x"},
    {"kind": "status", "content_type": "text/html"},
    {"kind": "status", "bytes": 3},
])
def test_answer_shaping_options_are_checked(control, rule):
    control.post("/_sim/faults", rule, expect=400)


def test_fault_count_method_filter_listing_and_clearing(demo, control):
    cart_id = new_cart(demo)
    rules = control.post("/_sim/faults", {"method": "POST", "path": "/cloud$", "status": 429, "count": 2})
    assert rules[0]["count"] == 2 and rules[0]["body"]["class"] == "Client::TooManyRequests"
    assert demo.get("/order/cart/%s/cloud" % cart_id)  # GET is not affected
    for _attempt in range(2):
        with pytest.raises(ovh.exceptions.APIError):
            add_project_item(demo, cart_id)
    assert add_project_item(demo, cart_id)
    control.post("/_sim/faults", {"path": ".*", "status": 500, "count": 5})
    assert len(control.get("/_sim/faults")) == 1
    control.delete("/_sim/faults")
    assert control.get("/_sim/faults") == [] and demo.get("/me")
    control.post("/_sim/faults", {"kind": "explode"}, expect=400)
    control.post("/_sim/faults", {"path": "(", "status": 500}, expect=400)


def test_throttling_429_with_retry_after_and_extra_headers(demo, control):
    control.fault(method="GET", path="^/me$", status=429, retry_after=7, headers={"X-RateLimit-Remaining": "0"})
    with pytest.raises(ovh.exceptions.APIError, match="Too many requests") as excinfo:
        demo.get("/me")
    response = excinfo.value.response
    assert response.status_code == 429 and excinfo.value.query_id
    assert response.headers["Retry-After"] == "7" and response.headers["X-RateLimit-Remaining"] == "0"
    assert response.json() == {"class": "Client::TooManyRequests", "message": "Too many requests"}
    assert control.journal()[-1]["fault"]["headers"] == {"X-RateLimit-Remaining": "0", "Retry-After": "7"}
    assert demo.get("/me")["nichandle"] == DEMO_NIC  # the next call goes through, without the headers
    # the OpenStack APIs' throttling body, an HTTP-date Retry-After, and a 429 without any Retry-After
    openstack = {"error": {"status": "429 Too Many Requests", "message": "Too Many Requests"}}
    control.fault(method="GET", path="^/me$", status=429, body=openstack, headers={"Retry-After": "Wed, 21 Oct 2037 07:28:00 GMT"})
    with pytest.raises(ovh.exceptions.APIError) as excinfo:
        demo.get("/me")
    assert excinfo.value.response.json() == openstack
    assert excinfo.value.response.headers["Retry-After"] == "Wed, 21 Oct 2037 07:28:00 GMT"
    control.fault(method="GET", path="^/me$", status=429)
    with pytest.raises(ovh.exceptions.APIError) as excinfo:
        demo.get("/me")
    assert "Retry-After" not in excinfo.value.response.headers
    for bad in ({"retry_after": -1}, {"retry_after": 1.5}, {"retry_after": True}, {"headers": {"X-Ovh-QueryID": "mine"}},
                {"headers": {"Content-Length": "0"}}, {"headers": {"Bad Name": "x"}}, {"headers": {"X-A": "a\r\nX-B: b"}},
                {"headers": {"X-A": 1}}, {"headers": ["Retry-After"]}, {"retry_after": 3, "headers": {"retry-after": "3"}},
                {"kind": "drop", "retry_after": 3}, {"kind": "latency", "headers": {"X-A": "a"}}):
        control.post("/_sim/faults", dict({"path": "^/me$", "status": 429}, **bad), expect=400)
    assert control.faults() == []


def test_skip_lets_matching_requests_through_first(demo, control):
    control.fault(method="GET", path="^/me$", status=500, skip=2)
    assert [demo.get("/me")["nichandle"] for _call in range(2)] == [DEMO_NIC, DEMO_NIC]  # the first two pass
    assert control.faults()[0]["skip"] == 0
    with pytest.raises(ovh.exceptions.APIError):
        demo.get("/me")
    assert demo.get("/me") and control.faults() == []
    control.post("/_sim/faults", {"path": "^/me$", "skip": -1}, expect=400)


def test_held_request_is_dropped_unprocessed_and_its_rule_leaves_at_arrival(demo, control):
    cart_id, _item = ordered_cart(demo)
    control.fault(method="POST", path="/checkout$", kind="drop", phase="before", latency_ms=1500)
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(error=pytest.raises(ovh.exceptions.HTTPError, checkout, demo, cart_id)))
    start = time.monotonic()
    thread.start()
    wait_until(lambda: control.faults() == [], what="the held checkout to take its rule")
    assert thread.is_alive()  # the rule is gone as soon as the request arrived, while the request is still held
    assert control.state()["orders"] == []
    thread.join()
    # the fault's promise: held latency_ms before the drop (a lower bound: a loaded machine can only make it longer)
    assert time.monotonic() - start >= 1.5 and outcome["error"]
    assert control.state()["orders"] == [] and control.journal()[-1]["fault"]["kind"] == "drop"
    control.fault(method="GET", path="^/me$", status=503, latency_ms=300)  # a slow error answer
    start = time.monotonic()
    with pytest.raises(ovh.exceptions.APIError):
        demo.get("/me")
    assert time.monotonic() - start >= 0.3  # the fault's latency_ms, a lower bound (cannot fail on a slow machine)


def test_a_client_that_hangs_up_is_no_server_error(sim, control, capfd):
    control.fault(method="GET", path="^/auth/time$", kind="latency", latency_ms=300, phase="after")
    with socket.create_connection((sim.host, sim.port)) as client:
        client.sendall(b"GET /1.0/auth/time HTTP/1.1\r\nHost: x\r\n\r\n")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # closes with a reset
    # the server answers a hung-up client after its 300 ms: wait for the journal to record that request
    wait_until(lambda: control.journal() and control.journal()[-1]["path"] == "/auth/time", what="the hung-up request in the journal")
    assert control.faults() == []
    assert "Traceback" not in capfd.readouterr().err


def test_journal_records_every_api_request_in_order(demo, control):
    control.delete("/_sim/journal")
    cart = demo.post("/order/cart", ovhSubsidiary="FR", description="journaled", _need_auth=False)
    demo.post("/order/cart/%s/assign" % cart["cartId"])
    demo.get("/order/cart", description="journaled")
    with pytest.raises(ovh.exceptions.BadParametersError):
        demo.get("/order/cart", bogus="1")
    journal = control.journal()
    assert [(e["method"], e["path"]) for e in journal] == [
        ("POST", "/order/cart"), ("GET", "/auth/time"), ("POST", "/order/cart/%s/assign" % cart["cartId"]),
        ("GET", "/order/cart"), ("GET", "/order/cart")]
    assert [e["seq"] for e in journal] == sorted(e["seq"] for e in journal)
    first = journal[0]
    assert first["body"] == {"ovhSubsidiary": "FR", "description": "journaled"} and first["account"] is None and first["status"] == 200
    assert first["signed"] is False and first["query"] == {}
    assert journal[2]["account"] == DEMO_NIC and journal[2]["signed"] is True and journal[2]["body"] is None
    assert journal[3]["query"] == {"description": "journaled"} and journal[4]["status"] == 400
    assert all(set(e) >= {"seq", "method", "path", "query", "body", "status", "account", "query_id", "time"} for e in journal)
    assert len({e["query_id"] for e in journal}) == len(journal)
    control.delete("/_sim/journal")
    assert control.journal() == []


def test_control_api_validation(control):
    control.post("/_sim/config", {"nonsense": 1}, expect=400)
    control.post("/_sim/config", {"flavour": "mars"}, expect=400)
    control.post("/_sim/accounts", {"nichandle": DEMO_NIC}, expect=409)
    control.post("/_sim/accounts", {"nichandle": "x", "colour": "red"}, expect=400)
    control.post("/_sim/accounts/nobody-ovh/vouchers", {"code": "A", "credit": 1}, expect=404)
    control.post("/_sim/orders/123/cancel", expect=404)
    control.get("/_sim/nothing", expect=404)
    state = control.state()
    assert [a["nichandle"] for a in state["accounts"]] == [DEMO_NIC, "yy2222-ovh"]
    assert state["config"]["order_checking_delay"] == 0.2


def test_reset_can_skip_defaults(sim, control):
    control.post("/_sim/reset", {"defaults": False, "accounts": [{"nichandle": "solo-ovh", "quota": 1}]})
    assert [a["nichandle"] for a in control.state()["accounts"]] == ["solo-ovh"]
    control.post("/_sim/reset")
    assert len(control.state()["accounts"]) == 2 and sim.base_url.endswith("/1.0")


def test_barrier_lines_up_requests(demo, control):
    control.post("/_sim/faults", {"method": "GET", "path": "^/cloud/order$", "kind": "barrier", "count": 3})
    done = []

    def call():
        demo.get("/cloud/order")
        done.append(threading.current_thread().name)

    threads = [threading.Thread(target=call, name="held-%d" % number) for number in range(2)]
    for thread in threads:
        thread.start()
    wait_until(lambda: control.faults()[0]["count"] == 1, what="two requests at the barrier")  # each arrival takes a use
    assert done == []  # two of three arrived: both held
    call()  # the third arrives: all three go on
    for thread in threads:
        thread.join(timeout=10)  # far below the barrier's own 30 s release
    assert sorted(done) == ["MainThread", "held-0", "held-1"] and control.faults() == []
