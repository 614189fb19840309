"""Create accounts and their objects from JSON specs (default seed, ``--state`` file, control API)."""

import uuid

from . import catalog, errors, termination
from .config import check_delays
from .models import FULL_ACCESS, ALL_METHODS, Account, Alert, Application, ConsumerKey, PaymentMethod, Project, Voucher

DEMO = {
    "nichandle": "xx1111-ovh",
    "email": "demo@example.invalid",
    "application_key": "demo-application-key",
    "application_secret": "demo-application-secret",
    "consumer_key": "demo-consumer-key",
    "quota": 10,
    "api_order_allowed": True,
}
OTHER = {
    "nichandle": "yy2222-ovh",
    "email": "other@example.invalid",
    "application_key": "other-application-key",
    "application_secret": "other-application-secret",
    "consumer_key": "other-consumer-key",
    "quota": 10,
    "api_order_allowed": True,
}
ACCOUNT_KEYS = {"nichandle", "subsidiary", "email", "application_key", "application_secret", "consumer_key", "access_rules",
                "consumer_keys", "quota", "api_order_allowed", "payment_methods", "vouchers", "projects", "eligibility_actions", "delays",
                "emails"}
ELIGIBILITY_ACTIONS = ("addPaymentMethod", "askIncreaseProjectsQuota", "challengePaymentMethod", "verifyPaypal")
ALERT_DELAYS = (3600, 10800, 21600, 43200, 86400, 172800, 259200, 604800)  # cloud.AlertingDelayEnum
PAYMENT_STATUSES = ("CANCELED", "CANCELING", "CREATED", "CREATING", "ERROR", "EXPIRED", "FAILED", "MAINTENANCE", "PAUSED",
                    "REJECTED", "REPLACED", "VALID", "VALIDATING")


def load_seed(store, spec):
    """Apply a seed document ``{"defaults": bool, "config": {...}, "accounts": [...]}`` to a cleared store."""
    spec = spec or {}
    if not isinstance(spec, dict):
        raise errors.bad_request("seed must be a JSON object")
    unknown = set(spec) - {"defaults", "config", "accounts"}
    if unknown:
        raise errors.bad_request("unknown seed keys: %s" % ", ".join(sorted(unknown)))
    if spec.get("config"):
        store.config.update(spec["config"])
    if spec.get("defaults", True):
        add_account(store, DEMO)
        add_account(store, OTHER)
    for account_spec in spec.get("accounts", []):
        add_account(store, account_spec)


def add_account(store, spec):
    """Create an account with its application, consumer key(s), payment methods, vouchers and projects."""
    if not isinstance(spec, dict):
        raise errors.bad_request("account spec must be an object")
    unknown = set(spec) - ACCOUNT_KEYS
    if unknown:
        raise errors.bad_request("unknown account keys: %s" % ", ".join(sorted(unknown)))
    nic = spec.get("nichandle")
    if not isinstance(nic, str) or not nic:
        raise errors.bad_request("nichandle (string) is required")
    if nic in store.accounts:
        raise errors.conflict("account %s already exists" % nic)
    subsidiary = spec.get("subsidiary") or ("US" if store.config.flavour == "us" else "FR")
    if subsidiary not in catalog.US_SUBSIDIARIES + ("IN",):
        raise errors.bad_request("unknown subsidiary %r" % subsidiary)
    account = Account(nichandle=nic, subsidiary=subsidiary, email=spec.get("email", "%s@example.invalid" % nic),
                      quota=int(spec.get("quota", 10)), api_order_allowed=bool(spec.get("api_order_allowed", True)),
                      delays=check_delays(spec.get("delays", {})))
    app_key = spec.get("application_key", "%s-application-key" % nic)
    add_application(store, nic, app_key, spec.get("application_secret", "%s-application-secret" % nic))
    store.accounts[nic] = account
    add_consumer_key(store, nic, {"key": spec.get("consumer_key", "%s-consumer-key" % nic), "application_key": app_key,
                                  "access_rules": spec.get("access_rules")})
    for ck_spec in spec.get("consumer_keys", []):
        add_consumer_key(store, nic, dict(ck_spec, application_key=ck_spec.get("application_key", app_key)))
    methods = spec["payment_methods"] if "payment_methods" in spec else [{"type": "CREDIT_CARD", "status": "VALID", "default": True}]
    for pm_spec in methods:
        add_payment_method(store, account, pm_spec)
    for voucher_spec in spec.get("vouchers", []):
        add_voucher(account, voucher_spec)
    for project_spec in spec.get("projects", []):
        add_project(store, account, project_spec)
    set_eligibility_actions(account, spec.get("eligibility_actions", []))
    # Older e-mails of /me/notification/email/history: leaving out "emails" gives the default ones, [] none.
    emails = spec["emails"] if "emails" in spec else termination.default_emails(store)
    termination.seed_emails(store, account, emails, store.clock.real())
    return account


def add_application(store, nic, key, secret):
    """Register an application key/secret for an account."""
    if key in store.applications:
        raise errors.conflict("application key %s already exists" % key)
    store.applications[key] = Application(key=key, secret=secret, nichandle=nic, application_id=store.next_id("application"))


def add_consumer_key(store, nic, spec):
    """Register a consumer key: {key, application_key, access_rules (null = everything), state}."""
    key = spec.get("key")
    if not isinstance(key, str) or not key:
        raise errors.bad_request("consumer key needs a key (string)")
    if key in store.consumer_keys:
        raise errors.conflict("consumer key %s already exists" % key)
    app_key = spec.get("application_key")
    if app_key not in store.applications:
        raise errors.bad_request("unknown application_key %r for consumer key" % app_key)
    rules = spec.get("access_rules")
    if rules is None:
        rules = [dict(rule) for rule in FULL_ACCESS]
    if not isinstance(rules, list) or not all(isinstance(r, dict) and r.get("method") in ALL_METHODS + ("*",)
                                              and isinstance(r.get("path"), str) for r in rules):
        raise errors.bad_request("access_rules must be a list of {method: GET|POST|PUT|DELETE, path: glob}")
    state = spec.get("state", "validated")
    if state not in ("expired", "pendingValidation", "refused", "validated"):
        raise errors.bad_request("bad consumer key state %r" % state)
    store.consumer_keys[key] = ConsumerKey(key=key, application_key=app_key, nichandle=nic, credential_id=store.next_id("credential"),
                                           rules=rules, created=store.clock.now_dt(), state=state)


def add_payment_method(store, account, spec):
    """Register a payment method: {id?, type, status, default, label?}; a new default unsets the previous one."""
    status = spec.get("status", "VALID")
    if status not in PAYMENT_STATUSES:
        raise errors.bad_request("bad payment method status %r" % status)
    method_id = int(spec.get("id") or store.next_id("payment"))
    if any(method_id in acc.payment_methods for acc in store.accounts.values()):
        raise errors.conflict("payment method %d already exists" % method_id)
    default = bool(spec.get("default", False))
    if default:
        for other in account.payment_methods.values():
            other.default = False
    pm_type = spec.get("type", "CREDIT_CARD")
    account.payment_methods[method_id] = PaymentMethod(payment_method_id=method_id, payment_type=pm_type, status=status, default=default,
                                                       label=spec.get("label", "%s ****%04d" % (pm_type, method_id % 10000)),
                                                       created=store.clock.now_dt(), description=spec.get("description"))
    return account.payment_methods[method_id]


def add_voucher(account, spec):
    """Register a voucher: {code, credit, used?, payment_method_required?, subsidiary?}."""
    code = spec.get("code")
    if not isinstance(code, str) or not code:
        raise errors.bad_request("voucher needs a code (string)")
    credit = spec.get("credit", 0)
    if isinstance(credit, bool) or not isinstance(credit, (int, float)) or credit < 0:
        raise errors.bad_request("voucher credit must be a non-negative number")
    subsidiary = spec.get("subsidiary")
    if subsidiary is not None and subsidiary not in set(catalog.EU_SUBSIDIARIES + catalog.US_SUBSIDIARIES):
        raise errors.bad_request("voucher subsidiary must be a known subsidiary (FR, DE, ...), got %r" % subsidiary)
    account.vouchers[code] = Voucher(code=code, credit=float(credit), used=bool(spec.get("used", False)),
                                     payment_method_required=bool(spec.get("payment_method_required", True)),
                                     subsidiary=subsidiary)
    return account.vouchers[code]


def add_project(store, account, spec):
    """Register an existing project: {project_id?, description?, status? (default ok), plan_code?, deleted_ago?, tags?
    ({key: value}, ``ovh:`` keys too), alerts? ([alert spec], see add_alert), options? ([option plan codes])}."""
    project_id = spec.get("project_id") or store.new_project_id()
    if project_id in store.projects:
        raise errors.conflict("project %s already exists" % project_id)
    status = spec.get("status", "ok")
    if status not in ("creating", "deleted", "deleting", "ok", "suspended"):
        raise errors.bad_request("bad project status %r" % status)
    plan = spec.get("plan_code", catalog.US_PLAN if store.config.flavour == "us" else catalog.EU_PLAN)
    now = store.clock.real()
    project = Project(project_id=project_id, nichandle=account.nichandle, description=spec.get("description"), plan_code=plan,
                      order_id=spec.get("order_id"), creation_date=store.clock.now_dt(), visible_real=now, ok_real=now,
                      iam_id=store.new_cart_id(), status=status)
    if status == "deleted":
        # Deleted ``deleted_ago`` seconds ago (listed with status deleted while that is under project_deleted_retention);
        # without it, deleted long ago: not listed, and 404 (lifecycle.project_gone).
        ago = spec.get("deleted_ago")
        if ago is not None and (isinstance(ago, bool) or not isinstance(ago, (int, float)) or ago < 0):
            raise errors.bad_request("deleted_ago must be a non-negative number of seconds")
        deleted_real = 0.0 if ago is None else now - ago
        project.status, project.deleting_real, project.deleted_real = None, deleted_real, deleted_real
    options = spec.get("options", [])
    if not isinstance(options, list) or not all(isinstance(code, str) and code for code in options):
        raise errors.bad_request("options must be a list of option plan codes")
    project.options = list(options)
    set_tags(project, spec.get("tags", {}))
    alerts = spec.get("alerts", [])
    if not isinstance(alerts, list):
        raise errors.bad_request("alerts must be a list of alert specs")
    for alert_spec in alerts:
        add_alert(store, project, alert_spec)
    store.projects[project_id] = project
    return project


def set_tags(project, tags):
    """Add IAM tags to a project ({key: value}, made by hand: ``ovh:`` keys, OVHcloud's own, allowed; no pattern check)."""
    if not isinstance(tags, dict) or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in tags.items()):
        raise errors.bad_request("tags must be an object of tag keys to text values")
    project.tags.update(tags)
    return dict(project.tags)


ALERT_KEYS = {"id", "delay", "email", "monthly_threshold"}


def add_alert(store, project, spec):
    """A spending alert made by hand: {email, monthly_threshold, delay? (3600), id? (a new uuid)}; the API's limits
    (alerts_per_project, value checks) do not apply."""
    if not isinstance(spec, dict) or set(spec) - ALERT_KEYS:
        raise errors.bad_request("alert spec: {%s}" % ", ".join(sorted(ALERT_KEYS)))
    email, threshold, delay = spec.get("email"), spec.get("monthly_threshold"), spec.get("delay", 3600)
    if not isinstance(email, str) or isinstance(threshold, bool) or not isinstance(threshold, int):
        raise errors.bad_request("an alert needs email (text) and monthly_threshold (a whole number)")
    if delay not in ALERT_DELAYS:
        raise errors.bad_request("delay must be one of %s" % ", ".join(str(d) for d in ALERT_DELAYS))
    alert_id = spec.get("id") or str(uuid.uuid4())
    if not isinstance(alert_id, str) or alert_id in project.alerts:
        raise errors.bad_request("alert id must be a new text id")
    project.alerts[alert_id] = Alert(alert_id=alert_id, delay=delay, email=email, monthly_threshold=threshold,
                                     creation_date=store.clock.now_dt())
    return project.alerts[alert_id]


def set_eligibility_actions(account, actions):
    """Extra ``actionsRequired`` shown by /cloud/eligibility (cloud.project.EligibilityAction values)."""
    if not isinstance(actions, list) or any(a not in ELIGIBILITY_ACTIONS for a in actions):
        raise errors.bad_request("eligibility_actions must be a list of %s" % ", ".join(ELIGIBILITY_ACTIONS))
    account.eligibility_actions = list(actions)
