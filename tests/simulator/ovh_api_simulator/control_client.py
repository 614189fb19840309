"""Python client of the ``/_sim`` control API (standard library only): the one used by the tests, the demo and the benchmark.

    from ovh_api_simulator import SimulatorControl
    control = SimulatorControl("http://127.0.0.1:8080")       # the server's root_url (not the /1.0 base_url)
    control.config(order_checking_delay=0.2)
    control.seed_vouchers("xx1111-ovh", [{"code": "CLOUD10", "credit": 10}])
    ...                                                        # run a playbook against root_url + "/1.0"
    assert len(control.checkouts()) == 1

Every method sends one request (``account`` and the journal queries read the state or the journal) and returns the decoded
JSON answer. An answer with another status than the expected one (200 unless told) raises ``ControlError``.
"""

import json
import re
import time
import urllib.error
import urllib.request

from .openstack_control_client import OpenStackControlMixin

WRITE_METHODS = ("POST", "PUT", "DELETE")


def wait_until(condition, timeout, what="the condition", interval=0.05):
    """Poll ``condition`` every ``interval`` s until it returns something true, and return that; fail naming ``what``
    after ``timeout`` s. For a test that waits for the simulator (or a run or thread of its own) to reach a point,
    instead of a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %g s waiting for %s" % (timeout, what))
        time.sleep(interval)


class ControlError(Exception):
    """A control call answered with another status than expected; ``body`` is the decoded answer."""

    def __init__(self, method, path, status, body):
        super().__init__("%s %s answered %s: %s" % (method, path, status, body))
        self.method = method
        self.path = path
        self.status = status
        self.body = body


class SimulatorControl(OpenStackControlMixin):
    """Calls to the ``/_sim`` control API of a simulator at ``root_url`` (e.g. ``http://127.0.0.1:8080``)."""

    def __init__(self, root_url, timeout=10):
        self.root_url = root_url.rstrip("/")
        self.timeout = timeout

    # -- any endpoint --------------------------------------------------------------------------------------------

    def call(self, method, path, body=None, expect=200):
        """``method path`` with a JSON ``body`` (None: no body); the decoded answer, or ControlError if its status is not ``expect``."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.root_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                status, text = exc.code, exc.read().decode()
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = text
        if status != expect:
            raise ControlError(method, path, status, payload)
        return payload

    def get(self, path, expect=200):
        """GET ``path``."""
        return self.call("GET", path, None, expect)

    def post(self, path, body=None, expect=200):
        """POST ``body`` to ``path``."""
        return self.call("POST", path, body, expect)

    def delete(self, path, expect=200):
        """DELETE ``path``."""
        return self.call("DELETE", path, None, expect)

    # -- state and settings --------------------------------------------------------------------------------------

    def reset(self, **spec):
        """POST /_sim/reset: the default seed, or ``defaults=False, accounts=[...], config={...}``."""
        return self.post("/_sim/reset", spec or None)

    def config(self, **values):
        """POST /_sim/config: change global settings (delays, latency_ms, offers, flavour...); returns them all."""
        return self.post("/_sim/config", values)

    def get_config(self):
        """GET /_sim/config."""
        return self.get("/_sim/config")

    def advance_clock(self, seconds):
        """POST /_sim/clock: move the simulator clock forward."""
        return self.post("/_sim/clock", {"advance": seconds})

    def clock(self):
        """GET /_sim/clock: ``{epoch, offset, now}``."""
        return self.get("/_sim/clock")

    def state(self):
        """GET /_sim/state: accounts, carts, orders, projects."""
        return self.get("/_sim/state")

    def account(self, nichandle):
        """The state of one account."""
        for account in self.state()["accounts"]:
            if account["nichandle"] == nichandle:
                return account
        raise KeyError(nichandle)

    # -- accounts --------------------------------------------------------------------------------------------------

    def add_account(self, **spec):
        """POST /_sim/accounts: a new account (``nichandle`` required; see the account spec)."""
        return self.post("/_sim/accounts", spec)

    def seed_projects(self, nichandle, projects):
        """Existing projects (one spec or a list): returns their ids."""
        return self.post("/_sim/accounts/%s/projects" % nichandle, projects)

    def seed_vouchers(self, nichandle, vouchers):
        """Vouchers (one spec or a list)."""
        return self.post("/_sim/accounts/%s/vouchers" % nichandle, vouchers)

    def seed_payment_methods(self, nichandle, methods):
        """Payment methods (one spec or a list)."""
        return self.post("/_sim/accounts/%s/payment_methods" % nichandle, methods)

    def seed_consumer_keys(self, nichandle, keys):
        """More consumer keys (one spec or a list)."""
        return self.post("/_sim/accounts/%s/consumer_keys" % nichandle, keys)

    def add_application(self, nichandle, application_key, application_secret, consumer_key, access_rules=None):  # pylint: disable=too-many-arguments
        """POST /_sim/accounts/{nic}/applications: one more application of the account, with its consumer key; the account's state."""
        body = {"application_key": application_key, "application_secret": application_secret, "consumer_key": consumer_key}
        if access_rules is not None:
            body["access_rules"] = access_rules
        return self.post("/_sim/accounts/%s/applications" % nichandle, body)

    def set_eligibility_actions(self, nichandle, actions):
        """Extra ``actionsRequired`` of /cloud/eligibility."""
        return self.post("/_sim/accounts/%s/eligibility_actions" % nichandle, actions)

    def seed_emails(self, nichandle, emails):
        """E-mails of the account's /me/notification/email/history (one ``{subject, body, days_ago?, delay?}`` or a list): their ids."""
        return self.post("/_sim/accounts/%s/emails" % nichandle, emails)

    def emails(self, nichandle):
        """Every e-mail of an account, by id: ``{id, nichandle, subject, body, date, visible}`` (``visible`` false: still on its way)."""
        return self.get("/_sim/accounts/%s/emails" % nichandle)

    def terminations(self, project_id=None):
        """Termination requests (of one project, or all), oldest first: ``{project_id, nichandle, token, email_id, valid, confirmed}``."""
        return [t for t in self.state()["terminations"] if project_id is None or t["project_id"] == project_id]

    def termination_token(self, project_id):
        """The token that confirms the project's termination now (its newest valid request), or None."""
        valid = [t["token"] for t in self.terminations(project_id) if t["valid"]]
        return valid[-1] if valid else None

    def project(self, project_id):
        """A project as in the state dump: ``{project_id, nichandle, description, status, plan_code, options, tags, alerts, ...}``."""
        for project in self.state()["projects"]:
            if project["project_id"] == project_id:
                return project
        raise KeyError(project_id)

    def alerts(self, project_id):
        """A project's spending alerts, e-mails as set: ``[{id, delay, email, monthly_threshold, creation_date}]``."""
        return self.get("/_sim/projects/%s/alerts" % project_id)

    def seed_alerts(self, project_id, alerts):
        """Spending alerts made by hand (one ``{email, monthly_threshold, delay?, id?}`` or a list): all the project's alerts."""
        return self.post("/_sim/projects/%s/alerts" % project_id, alerts)

    def tags(self, project_id):
        """The IAM tags of a project's resource: ``{key: value}``."""
        return self.get("/_sim/projects/%s/tags" % project_id)

    def seed_tags(self, project_id, tags):
        """IAM tags added by hand (``{key: value}``, ``ovh:`` keys allowed): all the project's tags."""
        return self.post("/_sim/projects/%s/tags" % project_id, tags)

    def update_account(self, nichandle, **settings):
        """POST /_sim/accounts/{nic}/settings: ``quota``, ``api_order_allowed``, ``delays``, ``subsidiary``."""
        return self.post("/_sim/accounts/%s/settings" % nichandle, settings)

    # -- orders and faults -----------------------------------------------------------------------------------------

    def cancel_order(self, order_id):
        """``cancelling`` now, ``cancelled`` after ``cancel_delay``."""
        return self.post("/_sim/orders/%s/cancel" % order_id)

    def reschedule_order(self, order_id, **delays):
        """A paid order in flight goes on from now with these delays (order_checking_delay, order_delivering_delay)."""
        return self.post("/_sim/orders/%s/reschedule" % order_id, delays)

    def never_payable(self, order_id, mode="stall"):
        """An order whose payment never clears (``stall``) or is refused (``refuse``)."""
        return self.post("/_sim/orders/%s/never_payable" % order_id, {"mode": mode})

    def order_fraud(self, order_id, label, status=None):
        """Anti-fraud holds the order once paid: ``FRAUD_DOCS_REQUESTED`` or ``FRAUD_MANUAL_REVIEW`` (stays ``checking``, or
        ``status="documentsRequested"``; followUp VALIDATING in DOING), ``FRAUD_REFUSED`` (cancelled, VALIDATING in ERROR)."""
        body = {"label": label}
        if status is not None:
            body["status"] = status
        return self.post("/_sim/orders/%s/fraud" % order_id, body)

    def orders(self, nichandle=None):
        """GET /_sim/orders: every order (of one account), by id: ``{orderId, nichandle, status, paid_with (None: no payment
        registered), paid, description (the project name it is for), application_key, fraud, cartId, prices, details, ...}``."""
        return [o for o in self.get("/_sim/orders") if nichandle is None or o["nichandle"] == nichandle]

    def paid_orders(self, nichandle=None, description=None):
        """The orders with a payment registered (``paid_with`` set: charged, or being charged), of one account and for one
        project description if given."""
        return [o for o in self.orders(nichandle) if o["paid_with"] is not None
                and (description is None or o["description"] == description)]

    def fault(self, **rule):
        """POST /_sim/faults: one fault rule (method, path, count, kind, status, body, headers, retry_after, latency_ms, skip, phase)."""
        return self.post("/_sim/faults", rule)

    def faults(self):
        """GET /_sim/faults: the rules still armed."""
        return self.get("/_sim/faults")

    def clear_faults(self):
        """DELETE /_sim/faults."""
        return self.delete("/_sim/faults")

    # -- journal ---------------------------------------------------------------------------------------------------

    def journal(self):
        """GET /_sim/journal: every API request so far (v1 paths without /1.0, v2 ones with /v2), in order."""
        return self.get("/_sim/journal")

    def clear_journal(self):
        """DELETE /_sim/journal."""
        return self.delete("/_sim/journal")

    def calls(self, method=None, path=None, entries=None):
        """Journal entries (``entries``, or the whole journal) of ``method`` whose path fully matches the regex ``path``."""
        return [e for e in (self.journal() if entries is None else entries)
                if (method is None or e["method"] == method) and (path is None or re.fullmatch(path, e["path"]))]

    def writes(self, entries=None):
        """The POST, PUT and DELETE entries."""
        return [e for e in self.calls(entries=entries) if e["method"] in WRITE_METHODS]

    def checkouts(self, entries=None):
        """The POST .../checkout entries (each may have placed an order)."""
        return self.calls("POST", r".*/checkout", entries)
