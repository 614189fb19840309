"""Authentication: signature, keys, timestamp, access rules; real error bodies and python-ovh exception classes."""

import re
import time

import ovh
import pytest
import requests

from ovh_api_simulator.auth import compute_signature, rule_matches
from sim_helpers import DEMO_KEYS, DEMO_NIC, OTHER_KEYS, make_client

QUERY_ID_RE = re.compile(r"^(EU|US)\.ext-3\.[0-9a-f]{8}\.\d+\.[0-9a-f]{8}-\d+$")


def test_signature_matches_readme_test_vectors():
    secret, consumer = "EXAMPLEapplicationSECRET0123456", "EXAMPLEconsumerKEY0123456789abcd"
    assert compute_signature(secret, consumer, "POST", "https://eu.api.ovh.com/1.0/order/cart",
                             '{"ovhSubsidiary":"FR","description":"ansible"}', "1700000000") == "$1$b18be9a6fd5157bdd36601e0f181217cc3ab45b2"
    assert compute_signature(secret, consumer, "GET", "https://eu.api.ovh.com/1.0/me/order/123/status", "",
                             1700000000) == "$1$25e8d78a7ea63adeaeae08bed5f1459265cfa02c"


def test_access_rule_globs():
    assert rule_matches({"method": "GET", "path": "/me"}, "GET", "/me")
    assert not rule_matches({"method": "GET", "path": "/me"}, "GET", "/me/order")
    assert rule_matches({"method": "GET", "path": "/me/*"}, "GET", "/me/order/1/status")
    assert not rule_matches({"method": "POST", "path": "/*"}, "GET", "/me")


def raw_body(client, method, path):
    """Status and JSON body of a call, bypassing python-ovh's exception mapping."""
    response = client.raw_call(method, path)
    return response.status_code, response.json(), response.headers


def test_wrong_signature(sim):
    client = make_client(sim.base_url, DEMO_KEYS[0], "not-the-secret", DEMO_KEYS[2])
    with pytest.raises(ovh.exceptions.BadParametersError, match="Invalid signature"):
        client.get("/me")
    assert raw_body(client, "GET", "/me")[:2] == (400, {"errorCode": "INVALID_SIGNATURE", "httpCode": "400 Bad Request",
                                                        "message": "Invalid signature"})


def test_unknown_application_key(sim):
    client = make_client(sim.base_url, "unknown-key", "whatever", DEMO_KEYS[2])
    with pytest.raises(ovh.exceptions.InvalidKey, match="This application key is invalid"):
        client.get("/me")
    assert raw_body(client, "GET", "/me")[:2] == (403, {"errorCode": "INVALID_KEY", "httpCode": "403 Forbidden",
                                                        "message": "This application key is invalid"})
    with pytest.raises(ovh.exceptions.InvalidKey):
        client.post("/order/cart", ovhSubsidiary="FR", _need_auth=False)  # stricter: unknown key refused on no-auth calls too


NOT_CREDENTIAL = {"errorCode": "NOT_CREDENTIAL", "httpCode": "403 Forbidden", "message": "This credential does not exist"}
INVALID_CREDENTIAL = {"errorCode": "INVALID_CREDENTIAL", "httpCode": "403 Forbidden", "message": "This credential is not valid"}


@pytest.mark.parametrize("consumer_key", [OTHER_KEYS[2], "unknown-consumer-key"], ids=["of-another-application", "unknown"])
def test_consumer_key_unknown_to_the_application(sim, consumer_key):
    # live API: ovh/swift-ovh's own tests (consumer key "x"), cert-manager-webhook-ovh #5 (key of another application)
    client = make_client(sim.base_url, DEMO_KEYS[0], DEMO_KEYS[1], consumer_key)
    with pytest.raises(ovh.exceptions.NotCredential, match="This credential does not exist"):
        client.get("/me")
    assert raw_body(client, "GET", "/me")[:2] == (403, NOT_CREDENTIAL)


@pytest.mark.parametrize("headers", [{}, {"X-Ovh-Application": DEMO_KEYS[0]}, {"X-Ovh-Application": DEMO_KEYS[0], "X-Ovh-Consumer": ""},
                                     {"X-Ovh-Application": "unknown-key"}],
                         ids=["no-header", "application-key-only", "empty-consumer-key", "unknown-application-key-only"])
def test_authenticated_call_without_a_consumer_key_must_login_first(sim, control, headers):
    # live API: 401 "You must login first" (ovh/go-ovh #70, ovh/node-ovh #20)
    response = requests.get(sim.base_url + "/me", headers=headers, timeout=5)
    assert (response.status_code, response.json()) == (401, {"message": "You must login first"})
    assert response.headers["X-Ovh-QueryID"] == control.journal()[-1]["query_id"]  # the id the journal gave this request


def test_python_ovh_raises_a_plain_api_error_for_401(sim):
    client = make_client(sim.base_url, *DEMO_KEYS)
    # python-ovh refuses to sign without a consumer key, so an unsigned call stands for it
    with pytest.raises(ovh.exceptions.APIError, match="You must login first") as excinfo:
        client.get("/me", _need_auth=False)
    assert type(excinfo.value) is ovh.exceptions.APIError  # pylint: disable=unidiomatic-typecheck


def test_consumer_key_without_signature(sim):
    response = requests.get(sim.base_url + "/me", headers={"X-Ovh-Application": DEMO_KEYS[0], "X-Ovh-Consumer": DEMO_KEYS[2]}, timeout=5)
    assert response.status_code == 400 and response.json()["errorCode"] == "INVALID_SIGNATURE"


def test_signed_no_auth_call_is_verified(sim):
    client = make_client(sim.base_url, DEMO_KEYS[0], "not-the-secret", DEMO_KEYS[2])
    with pytest.raises(ovh.exceptions.BadParametersError, match="Invalid signature"):
        client.post("/order/cart", ovhSubsidiary="FR")
    assert client.post("/order/cart", ovhSubsidiary="FR", _need_auth=False)["cartId"]


def test_stale_timestamp(sim, demo, control):
    assert demo.get("/me")["nichandle"] == DEMO_NIC  # time delta computed now
    control.post("/_sim/clock", {"advance": 1000})
    with pytest.raises(ovh.exceptions.BadParametersError, match="Query out of time"):
        demo.get("/me")
    assert raw_body(demo, "GET", "/me")[:2] == (400, {"errorCode": "QUERY_TIME_OUT", "httpCode": "400 Bad Request",
                                                      "message": "Query out of time"})
    assert make_client(sim.base_url, *DEMO_KEYS).get("/me")["nichandle"] == DEMO_NIC  # a fresh client re-reads /auth/time
    patched = make_client(sim.base_url, *DEMO_KEYS)
    patched._time_delta = 1000 - 200  # pylint: disable=protected-access
    with pytest.raises(ovh.exceptions.BadParametersError, match="Query out of time"):
        patched.get("/me")


def test_auth_time_is_a_bare_integer_following_the_clock(sim, demo, control):
    server_time = demo.get("/auth/time", _need_auth=False)
    assert isinstance(server_time, int) and abs(server_time - time.time()) < 5
    assert requests.get(sim.base_url + "/auth/time", timeout=5).text.strip().isdigit()
    control.post("/_sim/clock", {"advance": 3600})
    assert demo.get("/auth/time", _need_auth=False) - server_time >= 3600


def test_not_granted_call(sim, control):
    control.post("/_sim/accounts/%s/consumer_keys" % DEMO_NIC,
                 {"key": "restricted-ck", "access_rules": [{"method": "GET", "path": "/me"}, {"method": "GET", "path": "/cloud/*"}]})
    client = make_client(sim.base_url, DEMO_KEYS[0], DEMO_KEYS[1], "restricted-ck")
    assert client.get("/me")["nichandle"] == DEMO_NIC
    assert client.get("/cloud/project") == []
    with pytest.raises(ovh.exceptions.NotGrantedCall, match="This call has not been granted"):
        client.get("/me/order")
    assert raw_body(client, "GET", "/me/order")[:2] == (403, {"errorCode": "NOT_GRANTED_CALL", "httpCode": "403 Forbidden",
                                                              "message": "This call has not been granted"})
    with pytest.raises(ovh.exceptions.NotGrantedCall):
        client.post("/order/cart", ovhSubsidiary="FR")


@pytest.mark.parametrize("state", ["pendingValidation", "expired", "refused"])
def test_consumer_key_not_usable(sim, control, state):
    # live API, expired: ovh/php-ovh-sms #37; not validated: ovh/php-ovh #56 (UNVERIFIED); refused: UNVERIFIED
    control.post("/_sim/accounts/%s/consumer_keys" % DEMO_NIC, {"key": "%s-ck" % state, "state": state})
    client = make_client(sim.base_url, DEMO_KEYS[0], DEMO_KEYS[1], "%s-ck" % state)
    with pytest.raises(ovh.exceptions.InvalidCredential, match="This credential is not valid"):
        client.get("/me")
    assert raw_body(client, "GET", "/me")[:2] == (403, INVALID_CREDENTIAL)


def test_current_credential_and_details(demo):
    credential = demo.get("/auth/currentCredential")
    assert credential["status"] == "validated" and {"method": "GET", "path": "/*"} in credential["rules"]
    assert demo.get("/auth/details")["account"] == DEMO_NIC


def test_every_response_has_a_query_id_and_json_content_type(sim, demo):
    responses = [
        demo.raw_call("GET", "/me"),
        demo.raw_call("GET", "/auth/time", need_auth=False),
        demo.raw_call("GET", "/nothing/here"),
        make_client(sim.base_url, "bad", "bad", "bad").raw_call("GET", "/me"),
        requests.get(sim.root_url + "/elsewhere", timeout=5),
        requests.get(sim.root_url + "/_sim/state", timeout=5),
        requests.get(sim.root_url + "/_sim/unknown", timeout=5),
        requests.post(sim.base_url + "/order/cart", data="{not json", headers={"Content-Type": "application/json"}, timeout=5),
        requests.post(sim.base_url + "/order/cart", data='{"ovhSubsidiary": "FR"}', timeout=5),
    ]
    ids = [r.headers.get("X-Ovh-QueryID") for r in responses]
    assert all(QUERY_ID_RE.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids)
    assert all(r.headers["Content-Type"] == "application/json" for r in responses)
    assert [r.status_code for r in responses] == [200, 200, 404, 403, 404, 200, 404, 400, 400]
    assert "Content-Type" in responses[-1].json()["message"]
    odd = requests.request("BREW", sim.base_url + "/me", timeout=5)
    assert odd.status_code == 501 and QUERY_ID_RE.match(odd.headers["X-Ovh-QueryID"]) and odd.json()["class"]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError) as excinfo:
        demo.get("/nothing/here")
    assert QUERY_ID_RE.match(excinfo.value.query_id)
