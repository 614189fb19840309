"""US flavour: US subsidiaries, plan "project", project id only through the detail operations (terraform resource_cloud_project.go)."""

import ovh
import pytest

from ovh_api_simulator import SimulatorServer
from sim_helpers import DEMO_KEYS, DEMO_NIC, PROJECT_ID_RE, checkout, make_client, ordered_cart, wait_status


@pytest.fixture
def us_demo(sim, control):
    control.post("/_sim/config", {"flavour": "us"})
    control.post("/_sim/accounts/%s/settings" % DEMO_NIC, {"subsidiary": "US"})
    return make_client(sim.base_url, *DEMO_KEYS)


def test_us_catalogue(us_demo):
    cart = us_demo.post("/order/cart", ovhSubsidiary="US", _need_auth=False)
    offers = us_demo.get("/order/cart/%s/cloud" % cart["cartId"], _need_auth=False)
    assert [o["planCode"] for o in offers] == ["project"]
    assert offers[0]["prices"][0]["price"]["currencyCode"] == "USD"
    fr_cart = us_demo.post("/order/cart", ovhSubsidiary="FR", _need_auth=False)
    assert us_demo.get("/order/cart/%s/cloud" % fr_cart["cartId"], _need_auth=False) == []
    with pytest.raises(ovh.exceptions.BadParametersError, match="OvhSubsidiaryEnum"):
        us_demo.post("/order/cart", ovhSubsidiary="XX", _need_auth=False)
    assert us_demo.get("/me")["ovhSubsidiary"] == "US"


def test_us_project_id_only_via_operations(us_demo):
    cart_id, _item = ordered_cart(us_demo, subsidiary="US", plan="project")
    order_id = checkout(us_demo, cart_id)["orderId"]
    wait_status(us_demo, order_id, "delivered")
    found = []
    for detail_id in us_demo.get("/me/order/%d/details" % order_id):
        detail = us_demo.get("/me/order/%d/details/%d" % (order_id, detail_id))
        assert not PROJECT_ID_RE.match(detail["domain"])  # never the project id in the US
        for operation_id in us_demo.get("/me/order/%d/details/%d/operations" % (order_id, detail_id)):
            operation = us_demo.get("/me/order/%d/details/%d/operations/%d" % (order_id, detail_id, operation_id))
            assert operation["status"] == "done" and operation["type"] == "installation"
            found.append(operation["resource"]["name"])
    assert len(found) == 1 and PROJECT_ID_RE.match(found[0])
    assert us_demo.get("/cloud/project/%s" % found[0])["planCode"] == "project"
    assert us_demo.raw_call("GET", "/me").headers["X-Ovh-QueryID"].startswith("US.")


def test_operations_paths_do_not_exist_in_eu(demo):
    cart_id, _item = ordered_cart(demo)
    order_id = checkout(demo, cart_id)["orderId"]
    detail_id = demo.get("/me/order/%d/details" % order_id)[0]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="invalid"):
        demo.get("/me/order/%d/details/%d/operations" % (order_id, detail_id))


def test_server_option_selects_us_flavour():
    sim = SimulatorServer(host="127.0.0.1", port=0, flavour="us").start()
    try:
        client = make_client(sim.base_url, *DEMO_KEYS)
        assert client.post("/order/cart", ovhSubsidiary="US", _need_auth=False)["cartId"]
    finally:
        sim.stop()
