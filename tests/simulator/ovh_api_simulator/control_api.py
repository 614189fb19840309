"""Control API under ``/_sim/`` (JSON, no auth, loopback only): reset, seed accounts, settings, clock, orders, faults, journal, state,
a project's spending alerts and IAM tags."""

import re

from . import errors, keystone, lifecycle, openstack_control, seed, state, termination
from .config import check_delays


def reset(sim, _match, body):
    """POST /_sim/reset -- back to the default seed; body {"defaults": bool, "accounts": [...], "config": {...}} optional."""
    sim.reset(body or None)
    return {"reset": True, "base_url": sim.base_url}


def create_account(sim, _match, body):
    """POST /_sim/accounts -- seed an account (see seed.add_account)."""
    account = seed.add_account(sim.store, body)
    return state_of_account(sim, account.nichandle)


def state_of_account(sim, nichandle):
    """Account part of the state dump."""
    for account in sim.dump_state()["accounts"]:
        if account["nichandle"] == nichandle:
            return account
    raise errors.not_found("unknown account %r" % nichandle)


def as_list(body):
    """Accept one object or a list of objects."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        return [body]
    raise errors.bad_request("body must be an object or a list of objects")


def add_projects(sim, match, body):
    """POST /_sim/accounts/{nic}/projects -- [{project_id?, description?, status?, plan_code?}]."""
    account = sim.store.account(match["nic"])
    return [seed.add_project(sim.store, account, spec).project_id for spec in as_list(body)]


def add_vouchers(sim, match, body):
    """POST /_sim/accounts/{nic}/vouchers -- [{code, credit, used?, payment_method_required?, subsidiary?}]."""
    account = sim.store.account(match["nic"])
    return [seed.add_voucher(account, spec).code for spec in as_list(body)]


def add_payment_methods(sim, match, body):
    """POST /_sim/accounts/{nic}/payment_methods -- [{id?, type, status, default, label?}]."""
    account = sim.store.account(match["nic"])
    return [seed.add_payment_method(sim.store, account, spec).payment_method_id for spec in as_list(body)]


def add_consumer_keys(sim, match, body):
    """POST /_sim/accounts/{nic}/consumer_keys -- [{key, application_key?, access_rules?, state?}]."""
    sim.store.account(match["nic"])
    default_app = next(app.key for app in sim.store.applications.values() if app.nichandle == match["nic"])
    for spec in as_list(body):
        seed.add_consumer_key(sim.store, match["nic"], dict(spec, application_key=spec.get("application_key", default_app)))
    return state_of_account(sim, match["nic"])["consumer_keys"]


def add_application(sim, match, body):
    """POST /_sim/accounts/{nic}/applications -- {application_key, application_secret, consumer_key, access_rules?}: one
    more application of the account with one consumer key of its own (a second tool, a second API key of the same user)."""
    nic = match["nic"]
    sim.store.account(nic)
    names = ("application_key", "application_secret", "consumer_key")
    if not isinstance(body, dict) or set(body) - set(names) - {"access_rules"} or not all(
            isinstance(body.get(name), str) and body[name] for name in names):
        raise errors.bad_request("application body: {application_key, application_secret, consumer_key (strings), access_rules?}")
    if body["consumer_key"] in sim.store.consumer_keys:
        raise errors.conflict("consumer key %s already exists" % body["consumer_key"])
    seed.add_application(sim.store, nic, body["application_key"], body["application_secret"])
    seed.add_consumer_key(sim.store, nic, {"key": body["consumer_key"], "application_key": body["application_key"],
                                           "access_rules": body.get("access_rules")})
    return state_of_account(sim, nic)


def add_emails(sim, match, body):
    """POST /_sim/accounts/{nic}/emails -- [{subject, body, days_ago?, delay?}]: e-mails of the account's history; returns their ids."""
    account = sim.store.account(match["nic"])
    return termination.seed_emails(sim.store, account, as_list(body), sim.store.clock.real())


def list_emails(sim, match, _body):
    """GET /_sim/accounts/{nic}/emails -- every e-mail of the account, those still on their way too (``visible`` false)."""
    sim.store.account(match["nic"])
    return [mail for mail in sim.dump_state()["emails"] if mail["nichandle"] == match["nic"]]


def any_project(sim, match):
    """A project by id (control API: any account's), else 404."""
    project = sim.store.projects.get(match["project"])
    if project is None:
        raise errors.not_found("unknown project %r" % match["project"])
    return project


def project_alerts(sim, match, _body):
    """GET /_sim/projects/{project}/alerts -- its spending alerts, e-mails as set: [{id, delay, email, monthly_threshold, creation_date}]."""
    return [state.dump_alert(alert) for alert in any_project(sim, match).alerts.values()]


def add_project_alerts(sim, match, body):
    """POST /_sim/projects/{project}/alerts -- alerts made by hand ({email, monthly_threshold, delay?, id?} or a list): all its alerts."""
    project = any_project(sim, match)
    for spec in as_list(body):
        seed.add_alert(sim.store, project, spec)
    return project_alerts(sim, match, None)


def project_tags(sim, match, _body):
    """GET /_sim/projects/{project}/tags -- the IAM tags of its resource."""
    return dict(sorted(any_project(sim, match).tags.items()))


def add_project_tags(sim, match, body):
    """POST /_sim/projects/{project}/tags -- {key: value} added by hand (``ovh:`` keys, OVHcloud's own, allowed): all its tags."""
    seed.set_tags(any_project(sim, match), body)
    return project_tags(sim, match, None)


def set_eligibility(sim, match, body):
    """POST /_sim/accounts/{nic}/eligibility_actions -- ["verifyPaypal", ...] or {"actions": [...]}."""
    account = sim.store.account(match["nic"])
    seed.set_eligibility_actions(account, body.get("actions") if isinstance(body, dict) else body)
    return list(account.eligibility_actions)


def update_settings(sim, match, body):
    """POST /_sim/accounts/{nic}/settings -- {quota?, api_order_allowed?, delays?, subsidiary?}."""
    account = sim.store.account(match["nic"])
    if not isinstance(body, dict) or set(body) - {"quota", "api_order_allowed", "delays", "subsidiary"}:
        raise errors.bad_request("settings body: {quota, api_order_allowed, delays, subsidiary}")
    if "quota" in body:
        account.quota = int(body["quota"])
    if "api_order_allowed" in body:
        account.api_order_allowed = bool(body["api_order_allowed"])
    if "delays" in body:
        account.delays.update(check_delays(body["delays"]))
    if "subsidiary" in body:
        account.subsidiary = body["subsidiary"]
    return state_of_account(sim, account.nichandle)


def set_config(sim, _match, body):
    """POST /_sim/config -- global settings patch (see config.SimConfig)."""
    sim.store.config.update(body or {})
    return sim.store.config.dump()


def get_config(sim, _match, _body):
    """GET /_sim/config."""
    return sim.store.config.dump()


def clock(sim, _match, body):
    """POST /_sim/clock {"advance": seconds}."""
    advance = (body or {}).get("advance", 0)
    if isinstance(advance, bool) or not isinstance(advance, (int, float)):
        raise errors.bad_request("advance must be a number of seconds")
    sim.store.clock.advance(advance)
    return get_clock(sim, None, None)


def get_clock(sim, _match, _body):
    """GET /_sim/clock."""
    return {"epoch": int(sim.store.clock.now()), "offset": sim.store.clock.offset, "now": sim.store.clock.now_dt().isoformat()}


def find_order(sim, match):
    """An order by id (control API)."""
    order = sim.store.orders.get(int(match["order"]))
    if order is None:
        raise errors.not_found("unknown order %s" % match["order"])
    return order


def cancel_order(sim, match, _body):
    """POST /_sim/orders/{orderId}/cancel -- cancelling, then cancelled after cancel_delay."""
    order = find_order(sim, match)
    lifecycle.cancel(sim.store, order, sim.store.clock.real())
    return {"orderId": order.order_id, "status": lifecycle.order_status(order, sim.store.clock.real())}


def reschedule_order(sim, match, body):
    """POST /_sim/orders/{orderId}/reschedule {"order_checking_delay", "order_delivering_delay"} -- a paid order in
    flight goes on from now with these delays (tests hold an order with long delays, then release it)."""
    order = find_order(sim, match)
    now = sim.store.clock.real()
    if lifecycle.order_status(order, now) not in ("checking", "documentsRequested", "delivering"):
        raise errors.bad_request("order %d is not being processed (status: %s)" % (order.order_id, lifecycle.order_status(order, now)))
    delays = {}
    for name in lifecycle.ORDER_DELAYS:
        value = (body or {}).get(name, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise errors.bad_request("%s must be a non-negative number of seconds" % name)
        delays[name] = value
    if order.fraud != "FRAUD_REFUSED":
        order.fraud = None  # a manual review or documents passed: the hold is released (its label stays in the history)
    order.events = [event for event in order.events if event[0] <= now]
    checking_end = now + delays["order_checking_delay"]
    order.events += [(now, "checking"), (checking_end, "delivering"), (checking_end + delays["order_delivering_delay"], "delivered")]
    return {"orderId": order.order_id, "status": lifecycle.order_status(order, now)}


def never_payable(sim, match, body):
    """POST /_sim/orders/{orderId}/never_payable {"mode": "stall" (payment never clears, default) | "refuse" (400)}."""
    order = find_order(sim, match)
    mode = (body or {}).get("mode", "stall")
    if mode not in ("stall", "refuse"):
        raise errors.bad_request("mode must be 'stall' or 'refuse'")
    order.never_payable = mode
    return {"orderId": order.order_id, "never_payable": mode}


def fraud(sim, match, body):
    """POST /_sim/orders/{orderId}/fraud {"label": FRAUD_DOCS_REQUESTED | FRAUD_MANUAL_REVIEW | FRAUD_REFUSED, "status"?:
    checking (default) | documentsRequested} -- anti-fraud holds the order once paid (lifecycle.set_fraud): in that
    status, never delivered; FRAUD_REFUSED cancels it."""
    order = find_order(sim, match)
    label = (body or {}).get("label")
    if label not in lifecycle.FRAUD_LABELS:
        raise errors.bad_request("label must be one of %s" % ", ".join(lifecycle.FRAUD_LABELS))
    held_status = (body or {}).get("status", "checking")
    if held_status not in lifecycle.HELD_STATUSES:
        raise errors.bad_request("status must be one of %s" % ", ".join(lifecycle.HELD_STATUSES))
    now = sim.store.clock.real()
    lifecycle.set_fraud(sim.store, order, label, now, held_status)
    return {"orderId": order.order_id, "status": lifecycle.order_status(order, now), "fraud": label}


def list_orders(sim, _match, _body):
    """GET /_sim/orders -- every order as in the state dump: orderId, nichandle, status, paid_with (null: no payment
    registered), description (what the project is to be named), application_key, fraud, ..."""
    return sim.dump_state()["orders"]


def get_journal(sim, _match, _body):
    """GET /_sim/journal."""
    return sim.journal.entries()


def clear_journal(sim, _match, _body):
    """DELETE /_sim/journal."""
    sim.journal.clear()
    return {"cleared": True}


def get_state(sim, _match, _body):
    """GET /_sim/state."""
    return sim.dump_state()


def add_fault(sim, _match, body):
    """POST /_sim/faults -- one rule or a list."""
    return [sim.faults.add(spec) for spec in as_list(body)]


def list_faults(sim, _match, _body):
    """GET /_sim/faults."""
    return sim.faults.list()


def clear_faults(sim, _match, _body):
    """DELETE /_sim/faults."""
    sim.faults.clear()
    return {"cleared": True}


NIC = r"/_sim/accounts/(?P<nic>[^/]+)"
CONTROL_ROUTES = [
    ("POST", r"/_sim/reset", reset),
    ("POST", r"/_sim/accounts", create_account),
    ("POST", NIC + r"/projects", add_projects),
    ("POST", NIC + r"/vouchers", add_vouchers),
    ("POST", NIC + r"/payment_methods", add_payment_methods),
    ("POST", NIC + r"/consumer_keys", add_consumer_keys),
    ("POST", NIC + r"/applications", add_application),
    ("POST", NIC + r"/eligibility_actions", set_eligibility),
    ("POST", NIC + r"/emails", add_emails),
    ("GET", NIC + r"/emails", list_emails),
    ("POST", NIC + r"/settings", update_settings),
    ("GET", r"/_sim/projects/(?P<project>[^/]+)/alerts", project_alerts),
    ("POST", r"/_sim/projects/(?P<project>[^/]+)/alerts", add_project_alerts),
    ("GET", r"/_sim/projects/(?P<project>[^/]+)/tags", project_tags),
    ("POST", r"/_sim/projects/(?P<project>[^/]+)/tags", add_project_tags),
    ("POST", r"/_sim/config", set_config),
    ("GET", r"/_sim/config", get_config),
    ("POST", r"/_sim/clock", clock),
    ("GET", r"/_sim/clock", get_clock),
    ("POST", r"/_sim/orders/(?P<order>\d+)/cancel", cancel_order),
    ("POST", r"/_sim/orders/(?P<order>\d+)/never_payable", never_payable),
    ("POST", r"/_sim/orders/(?P<order>\d+)/reschedule", reschedule_order),
    ("POST", r"/_sim/orders/(?P<order>\d+)/fraud", fraud),
    ("GET", r"/_sim/orders", list_orders),
    ("GET", r"/_sim/journal", get_journal),
    ("DELETE", r"/_sim/journal", clear_journal),
    ("GET", r"/_sim/state", get_state),
    ("POST", r"/_sim/faults", add_fault),
    ("GET", r"/_sim/faults", list_faults),
    ("DELETE", r"/_sim/faults", clear_faults),
]
CONTROL_ROUTES += openstack_control.CONTROL_ROUTES  # OpenStack users, project regions, role ids
CONTROL_ROUTES += keystone.CONTROL_ROUTES  # the OpenStack journal: Keystone and image service requests


def handle(sim, method, path, body):
    """Run a control request; returns (status, payload)."""
    for route_method, pattern, func in CONTROL_ROUTES:
        match = re.fullmatch(pattern, path.rstrip("/"))
        if match and route_method == method:
            try:
                with sim.store.lock:
                    return 200, func(sim, match.groupdict(), body)
            except errors.ApiError as exc:
                return exc.status, exc.body
    return 404, {"class": "Client::NotFound", "message": "unknown control endpoint %s %s" % (method, path)}
