"""Awkward but plausible API behaviours, each behind a setting that is off by default (docs/simulator.md "Awkward API
options"): a second application of the same account, listing lags, per-application carts, cached listings, expired
checkouts, payment and anti-fraud follow-up. Each test shows the behaviour with its option on and the default with it off."""

import ovh
import pytest

from ovh_api_simulator import ControlError
from sim_helpers import DEMO_KEYS, DEMO_NIC, make_client

SECOND_KEYS = ("second-application-key", "second-application-secret", "second-consumer-key")


@pytest.fixture
def second(sim, control):
    """python-ovh client of a second application of the demo account."""
    control.add_application(DEMO_NIC, *SECOND_KEYS)
    return make_client(sim.base_url, *SECOND_KEYS)


# -- a second application of the same account ------------------------------------------------------------------------


def test_a_second_application_signs_for_the_same_account(demo, second, control):
    account = control.account(DEMO_NIC)
    assert account["applications"] == [DEMO_KEYS[0], SECOND_KEYS[0]]
    assert {"key": SECOND_KEYS[2], "application_key": SECOND_KEYS[0]} in [
        {"key": ck["key"], "application_key": ck["application_key"]} for ck in account["consumer_keys"]]
    assert second.get("/me")["nichandle"] == DEMO_NIC
    assert second.get("/auth/currentCredential")["applicationId"] != demo.get("/auth/currentCredential")["applicationId"]


def test_the_second_application_keys_are_checked_like_any_other(sim, control):
    control.add_application(DEMO_NIC, *SECOND_KEYS, access_rules=[{"method": "GET", "path": "/me"}])
    narrow = make_client(sim.base_url, *SECOND_KEYS)
    assert narrow.get("/me")["nichandle"] == DEMO_NIC
    with pytest.raises(ovh.exceptions.NotGrantedCall):
        narrow.get("/me/order")
    wrong_secret = make_client(sim.base_url, SECOND_KEYS[0], "not-the-secret", SECOND_KEYS[2])
    with pytest.raises(ovh.exceptions.BadParametersError):
        wrong_secret.get("/me")
    crossed = make_client(sim.base_url, SECOND_KEYS[0], SECOND_KEYS[1], DEMO_KEYS[2])  # the demo key belongs to another application
    with pytest.raises(ovh.exceptions.NotCredential):
        crossed.get("/me")


@pytest.mark.parametrize("body, status", [
    ({"application_key": "demo-application-key", "application_secret": "s", "consumer_key": "fresh-ck"}, 409),
    ({"application_key": "fresh-ak", "application_secret": "s", "consumer_key": "demo-consumer-key"}, 409),
    ({"application_key": "fresh-ak", "application_secret": "s"}, 400),
    ({"application_key": "fresh-ak", "application_secret": "s", "consumer_key": "ck", "other": 1}, 400),
], ids=["known-application", "known-consumer-key", "no-consumer-key", "unknown-key"])
def test_a_bad_application_is_refused_and_nothing_is_added(control, body, status):
    with pytest.raises(ControlError) as caught:
        control.post("/_sim/accounts/%s/applications" % DEMO_NIC, body)
    assert caught.value.status == status
    assert control.account(DEMO_NIC)["applications"] == [DEMO_KEYS[0]]
    control.post("/_sim/accounts/nobody-ovh/applications", dict(zip(("application_key", "application_secret", "consumer_key"),
                                                                     SECOND_KEYS)), expect=404)


def test_the_journal_names_the_application_key_of_every_call(demo, second, control):
    control.clear_journal()
    demo.post("/order/cart", ovhSubsidiary="FR", description="unsigned", _need_auth=False)
    demo.get("/me")
    second.get("/me")
    control.call("GET", "/_sim/clock")  # control calls are not journaled
    journal = [e for e in control.journal() if e["path"] != "/auth/time"]  # python-ovh reads the time once per client
    assert [(e["path"], e["signed"], e["application_key"]) for e in journal] == [
        ("/order/cart", False, DEMO_KEYS[0]), ("/me", True, DEMO_KEYS[0]), ("/me", True, SECOND_KEYS[0])]
    assert [e["account"] for e in journal] == [None, DEMO_NIC, DEMO_NIC]
