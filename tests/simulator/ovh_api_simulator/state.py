"""In-memory state of the simulator: accounts, credentials, carts, orders, projects, clock, settings, id counters.

Every request handler runs while holding ``Store.lock``; asynchronous order progression is derived from
timestamps by ``lifecycle.tick`` at the start of each request (no background threads).
"""

import itertools
import threading
import uuid

from . import errors
from .clock import SimClock, iso
from .config import SimConfig
from .openstack_state import OpenStackState

ID_STARTS = {"order": 210000001, "item": 300000001, "config": 400000001, "detail": 510000001, "payment": 1001,
             "credential": 800000001, "application": 200001, "operation": 900000001,
             "email": 7400000001, "service": 130000001}


class Store:
    """All mutable simulator state, guarded by ``lock``."""

    def __init__(self, flavour="eu"):
        self.lock = threading.RLock()
        self.clock = SimClock()
        self.config = SimConfig(flavour)
        self.accounts = {}
        self.applications = {}
        self.consumer_keys = {}
        self.carts = {}
        self.orders = {}
        self.projects = {}
        self.emails = {}        # id -> models.Email
        self.terminations = []  # models.TerminationRequest, in request order
        self.project_snapshots = {}  # nichandle -> (real epoch seconds, project objects): project_listing_cache (cloud_api.py)
        self.openstack = OpenStackState()
        self._counters = {}
        self.clear()

    def clear(self):
        """Drop every object and restart the id counters (the clock offset and settings are kept by the caller)."""
        self.accounts.clear()
        self.applications.clear()
        self.consumer_keys.clear()
        self.carts.clear()
        self.orders.clear()
        self.projects.clear()
        self.emails.clear()
        self.terminations.clear()
        self.project_snapshots.clear()
        self.openstack = OpenStackState()  # OpenStack users, regions, Keystone tokens (openstack_state.py)
        self._counters = {name: itertools.count(start) for name, start in ID_STARTS.items()}

    def next_id(self, kind):
        """Next integer id of a kind (order, item, config, detail, payment, credential, application, operation, email, service)."""
        return next(self._counters[kind])

    @staticmethod
    def new_cart_id():
        """A cart id: UUID string (as terraform-provider-ovh issue logs show)."""
        return str(uuid.uuid4())

    @staticmethod
    def new_project_id():
        """32 hex chars with a '4' at index 12, matching ``^[0-9a-f]{12}4[0-9a-f]{19}$`` (uuid4 hex has that form)."""
        return uuid.uuid4().hex

    # lookups -----------------------------------------------------------------

    def account(self, nichandle):
        """An account by nichandle; 404 (control API) when unknown."""
        if nichandle not in self.accounts:
            raise errors.not_found("unknown account %r" % nichandle)
        return self.accounts[nichandle]

    def live_cart(self, cart_id):
        """A cart that exists and has not expired, else None (an expired cart is gone)."""
        cart = self.carts.get(cart_id)
        if cart is None:
            return None
        if cart.expire is not None and cart.expire <= self.clock.now_dt():
            return None
        return cart

    def orders_of(self, nichandle):
        """Orders of an account, by id."""
        return [order for order in sorted(self.orders.values(), key=lambda o: o.order_id) if order.nichandle == nichandle]

    def emails_of(self, nichandle, now_real):
        """E-mails an account has received by real time ``now_real``, by id."""
        return [mail for mail in sorted(self.emails.values(), key=lambda m: m.email_id) if mail.nichandle == nichandle and mail.visible_real <= now_real]

    def projects_of(self, nichandle):
        """Projects of an account, by creation."""
        return [project for project in self.projects.values() if project.nichandle == nichandle]

    # dump --------------------------------------------------------------------

    def dump(self, status_of, project_status_of, now_real, gone_of=lambda project, now_real: False):
        """JSON snapshot for ``GET /_sim/state``; status functions come from ``lifecycle``."""
        now = self.clock.now_dt()
        return {
            "clock": {"now": iso(now), "epoch": int(self.clock.now()), "offset": self.clock.offset},
            "config": self.config.dump(),
            "accounts": [dump_account(acc, self) for acc in self.accounts.values()],
            "carts": [dump_cart(cart, now) for cart in self.carts.values()],
            "orders": [dump_order(order, status_of(order, now_real)) for order in sorted(self.orders.values(), key=lambda o: o.order_id)],
            "projects": [{"project_id": p.project_id, "nichandle": p.nichandle, "description": p.description,
                          "status": project_status_of(p, now_real), "visible": now_real >= p.visible_real,
                          "gone": gone_of(p, now_real), "order_id": p.order_id, "plan_code": p.plan_code, "options": list(p.options),
                          "tags": dict(sorted(p.tags.items())), "alerts": [dump_alert(a) for a in p.alerts.values()]}
                         for p in self.projects.values()],
            "emails": [dump_email(mail, now_real) for mail in sorted(self.emails.values(), key=lambda m: m.email_id)],
            "terminations": [{"project_id": t.project_id, "nichandle": t.nichandle, "token": t.token, "email_id": t.email_id,
                              "valid": t.valid, "confirmed": t.confirmed} for t in self.terminations],
            "openstack_users": self.openstack.dump(now_real),
        }


def dump_account(account, store):
    """Account part of the state dump."""
    return {
        "nichandle": account.nichandle,
        "subsidiary": account.subsidiary,
        "quota": account.quota,
        "api_order_allowed": account.api_order_allowed,
        "eligibility_actions": list(account.eligibility_actions),
        "delays": dict(account.delays),
        "applications": [app.key for app in store.applications.values() if app.nichandle == account.nichandle],
        "consumer_keys": [{"key": ck.key, "application_key": ck.application_key, "rules": ck.rules, "state": ck.state}
                          for ck in store.consumer_keys.values() if ck.nichandle == account.nichandle],
        "payment_methods": [{"id": pm.payment_method_id, "type": pm.payment_type, "status": pm.status, "default": pm.default}
                            for pm in account.payment_methods.values()],
        "vouchers": [{"code": v.code, "credit": v.credit, "used": v.used, "subsidiary": v.subsidiary}
                     for v in account.vouchers.values()],
    }


def dump_alert(alert):
    """A project's spending alert in the state dump (its e-mail as set, whatever the API reads back)."""
    return {"id": alert.alert_id, "delay": alert.delay, "email": alert.email, "monthly_threshold": alert.monthly_threshold,
            "creation_date": iso(alert.creation_date)}


def dump_email(mail, now_real):
    """E-mail part of the state dump (``visible``: already in the account's history)."""
    return {"id": mail.email_id, "nichandle": mail.nichandle, "subject": mail.subject, "body": mail.body, "date": iso(mail.date),
            "visible": mail.visible_real <= now_real}


def dump_cart(cart, now):
    """Cart part of the state dump."""
    return {
        "cartId": cart.cart_id,
        "assigned": cart.owner is not None,
        "owner": cart.owner,
        "application_key": cart.application_key,
        "subsidiary": cart.subsidiary,
        "description": cart.description,
        "expire": iso(cart.expire),
        "expired": cart.expire is not None and cart.expire <= now,
        "readOnly": cart.read_only,
        "orderId": cart.order_id,
        "items": [{"itemId": item.item_id, "parentItemId": item.parent_item_id, "planCode": item.plan_code, "duration": item.duration,
                   "pricingMode": item.pricing_mode,
                   "quantity": item.quantity,
                   "configurations": [{"id": c.config_id, "label": c.label, "value": c.value} for c in item.configurations.values()]}
                  for item in cart.items.values()],
    }


def order_description(order):
    """The ``description`` configuration of the order's first project line (the name of the project it is for), or None."""
    for line in order.lines:
        if line.kind == "project":
            return dict(line.configurations).get("description")
    return None


def dump_order(order, status):
    """Order part of the state dump."""
    return {
        "orderId": order.order_id,
        "nichandle": order.nichandle,
        "status": status,
        "cartId": order.cart_id,
        "date": iso(order.date),
        "prices": dict(order.prices),
        "voucher": order.voucher,
        "paid_with": order.paid_with,
        "paid": order.paid_with is not None,
        "never_payable": order.never_payable,
        "description": order_description(order),
        "application_key": order.application_key,
        "fraud": order.fraud or (order.fraud_events[-1][1] if order.fraud_events else None),
        "details": [{"orderDetailId": line.detail_id, "kind": line.kind, "planCode": line.plan_code,
                     "placeholder": line.placeholder, "project_id": line.project_id} for line in order.lines],
    }
