"""Helpers shared by the simulator self-tests: python-ovh clients, the control API client, the guide's flow steps."""

import json
import re
import time
import urllib.error
import urllib.request

import ovh
import pytest

from ovh_api_simulator import SimulatorControl
from ovh_api_simulator import wait_until as control_wait_until

DEMO_KEYS = ("demo-application-key", "demo-application-secret", "demo-consumer-key")
OTHER_KEYS = ("other-application-key", "other-application-secret", "other-consumer-key")
DEMO_NIC = "xx1111-ovh"
OTHER_NIC = "yy2222-ovh"
FAST_CONFIG = {"payment_clearing_delay": 0.0, "order_checking_delay": 0.2, "order_delivering_delay": 0.2, "project_creating_delay": 0.2, "cancel_delay": 0.2}
PROJECT_ID_RE = re.compile(r"^[0-9a-f]{12}4[0-9a-f]{19}$")  # terraform-provider-ovh resource_cloud_project.go L16
PLAN = "project.2018"


def make_client(base_url, application_key, application_secret, consumer_key):
    """A real ovh.Client pointed at the simulator (python-ovh only knows named endpoints)."""
    client = ovh.Client(endpoint="ovh-eu", application_key=application_key, application_secret=application_secret,
                        consumer_key=consumer_key, timeout=10)
    client._endpoint = base_url  # pylint: disable=protected-access
    return client


class Control(SimulatorControl):
    """The control API client of the package, plus the self-tests' price helper."""

    def set_price(self, value, subsidiary="FR", plan=PLAN):
        """Make the project plan cost ``value`` per month in a subsidiary."""
        offer = {"planCode": plan, "productName": "Public Cloud Project",
                 "prices": [{"duration": "P1M", "pricingMode": "default", "price": value}]}
        self.config(offers={subsidiary: [offer]})


def new_cart(client, subsidiary="FR", description="ansible", assign=True):
    """Steps 1 and 1b: create a cart (unsigned) and assign it."""
    cart = client.post("/order/cart", ovhSubsidiary=subsidiary, description=description, _need_auth=False)
    if assign:
        client.post("/order/cart/%s/assign" % cart["cartId"])
    return cart["cartId"]


def add_project_item(client, cart_id, plan=PLAN):
    """Step 3: add the project plan."""
    return client.post("/order/cart/%s/cloud" % cart_id, planCode=plan, duration="P1M", pricingMode="default", quantity=1)["itemId"]


def configure(client, cart_id, item_id, label, value):
    """Step 6: add a configuration."""
    return client.post("/order/cart/%s/item/%d/configuration" % (cart_id, item_id), label=label, value=value)


def ordered_cart(client, description="my project", voucher=None, subsidiary="FR", plan=PLAN):
    """A cart ready for checkout: assigned, one project item, description (and voucher) configured."""
    cart_id = new_cart(client, subsidiary=subsidiary)
    item_id = add_project_item(client, cart_id, plan)
    configure(client, cart_id, item_id, "description", description)
    if voucher:
        configure(client, cart_id, item_id, "voucher", voucher)
    return cart_id, item_id


def checkout(client, cart_id, auto_pay=True):
    """Step 9."""
    return client.post("/order/cart/%s/checkout" % cart_id, autoPayWithPreferredPaymentMethod=auto_pay, waiveRetractationPeriod=False)


def wait_until(predicate, timeout=5.0, what="the condition"):
    """The control client's wait_until, polling more often: the self-tests' waits are short."""
    return control_wait_until(predicate, timeout, what, interval=0.02)


def wait_status(client, order_id, target, timeout=5.0):
    """Poll /status until ``target``; returns every distinct status seen, in order."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = client.get("/me/order/%d/status" % order_id)
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == target:
            return seen
        time.sleep(0.05)
    raise AssertionError("order %d never reached %s (seen %s)" % (order_id, target, seen))


def project_id_from_details(client, order_id):
    """terraform's scan: the first order detail whose domain matches the project id regex."""
    for detail_id in client.get("/me/order/%d/details" % order_id):
        domain = client.get("/me/order/%d/details/%d" % (order_id, detail_id))["domain"]
        if PROJECT_ID_RE.match(domain):
            return domain
    return None


def raw(url, body=None, method=None, headers=None):
    """(status, headers, decoded JSON body) of a plain HTTP call (not through python-ovh): ``body`` is sent as JSON,
    or as it is when it is bytes (a malformed body)."""
    data = None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict({"Content-Type": "application/json"}, **(headers or {})))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, json.loads(exc.read() or b"null")


def refused(call, status):
    """The APIError a call raises: its HTTP status and decoded body."""
    with pytest.raises(ovh.exceptions.APIError) as info:
        call()
    response = info.value.response
    assert response.status_code == status, response.text
    return response.json()
