"""Asynchronous life of orders and projects, derived from timestamps (real elapsed time).

Order: ``notPaid`` -> (payment) ``checking`` -> ``delivering`` -> ``delivered`` (billing.order.OrderStatusEnum);
control-API cancel -> ``cancelling`` -> ``cancelled``. On delivery one cloud project per ordered project unit is created,
``creating`` then ``ok``, hidden from GET /cloud/project[/{id}] during ``project_404_window`` (terraform-provider-ovh #1288, #1377).
Termination (terraform-provider-ovh ovh/order.go): once confirmed, ``deleting`` for ``project_deleting_delay``, then ``deleted``;
a deleted project is still listed for ``project_deleted_retention``, then gone (404).
"""

from . import errors
from .models import Project

ORDER_DELAYS = ("order_checking_delay", "order_delivering_delay")
IN_FLIGHT = ("notPaid", "checking", "documentsRequested", "delivering")
# billing.order.followUp history labels of the anti-fraud outcomes (reference "Order follow-up and anti-fraud")
FRAUD_LABELS = ("FRAUD_DOCS_REQUESTED", "FRAUD_MANUAL_REVIEW", "FRAUD_REFUSED")
# billing.order.OrderStatusEnum values an order held by anti-fraud may show (UNVERIFIED which one the real API shows)
HELD_STATUSES = ("checking", "documentsRequested")


def order_status(order, now_real):
    """Status of an order at real time ``now_real``."""
    status = "unknown"
    for when, name in order.events:
        if when <= now_real:
            status = name
    return status


def event_time(order, name):
    """Real time of the first event with this status, or None."""
    for when, event in order.events:
        if event == name:
            return when
    return None


def start_processing(store, order, now_real):
    """Payment cleared: schedule checking -> delivering -> delivered with the account's current delays (an order held by
    anti-fraud stays checking: ``hold``)."""
    if order.fraud:
        order.events = [event for event in order.events if event[0] <= now_real] + [(now_real, "checking")]
        hold(store, order, now_real)
        return
    account = store.accounts.get(order.nichandle)
    order.delays = {name: store.config.delay(name, account) for name in ORDER_DELAYS}
    checking_end = now_real + order.delays["order_checking_delay"]
    delivering_end = checking_end + order.delays["order_delivering_delay"]
    order.events = [event for event in order.events if event[0] <= now_real]
    order.events += [(now_real, "checking"), (checking_end, "delivering"), (delivering_end, "delivered")]


def pay(store, order, paid_with, now_real, clearing=0.0):
    """Register a payment of a notPaid order (400 if already paid or not payable); it clears ``clearing`` seconds
    later (the order stays notPaid until then)."""
    status = order_status(order, now_real)
    if order.paid_with is not None or status != "notPaid":
        # UNVERIFIED wording; paying twice is refused (400): the simulator never charges twice.
        raise errors.bad_request("Order %d has already been paid or is not payable anymore (status: %s)" % (order.order_id, status))
    if order.never_payable == "refuse":
        raise errors.bad_request("The payment of order %d was refused" % order.order_id)
    order.paid_with = paid_with
    order.paid_real = now_real
    if order.never_payable == "stall":
        return  # the payment never clears: the order stays notPaid
    start_processing(store, order, now_real + clearing)


def listed_order(store, order, now_real):
    """Whether GET /me/order and GET /cloud/order list the order yet: ``order_listing_lag`` seconds after its checkout (0 by
    default: at once). UNVERIFIED (reference "Newer facts"): how soon a new order appears in those listings is not known;
    GET /me/order/{id} and its sub-resources answer at once."""
    return now_real >= order.created_real + store.config.order_listing_lag


def cancel(store, order, now_real):
    """Control-API cancellation: cancelling now, cancelled after ``cancel_delay``."""
    status = order_status(order, now_real)
    if status in ("delivered", "cancelling", "cancelled"):
        raise errors.bad_request("order %d cannot be cancelled (status: %s)" % (order.order_id, status))
    schedule_cancel(store, order, now_real)


def schedule_cancel(store, order, when_real):
    """``cancelling`` from ``when_real``, ``cancelled`` after ``cancel_delay`` (later events dropped)."""
    delay = store.config.delay("cancel_delay", store.accounts.get(order.nichandle))
    order.events = [event for event in order.events if event[0] <= when_real]
    order.events += [(when_real, "cancelling"), (when_real + delay, "cancelled")]


def set_fraud(store, order, label, now_real, held_status="checking"):
    """Control API: anti-fraud holds the order (``label`` in FRAUD_LABELS) in ``held_status`` (HELD_STATUSES), from now or
    from when its payment clears.

    Reference "Order follow-up and anti-fraud" (ovh/manager ``useAntiFraud``): a ``VALIDATING`` step in ``DOING`` with
    FRAUD_DOCS_REQUESTED or FRAUD_MANUAL_REVIEW means the customer must act and the order will not be delivered on its own;
    FRAUD_REFUSED ends it (terraform #554: orders cancelled by anti-fraud). UNVERIFIED: the order status while held
    (``checking`` by default: paid, never delivered; OrderStatusEnum also has ``documentsRequested``, which a test may ask
    for) and after a refusal (``cancelling``, then ``cancelled``, as a cancellation)."""
    status = order_status(order, now_real)
    if status not in ("notPaid",) + HELD_STATUSES:
        raise errors.bad_request("order %d is past anti-fraud (status: %s)" % (order.order_id, status))
    order.fraud = label
    order.fraud_status = held_status
    cleared = event_time(order, "checking")
    if cleared is None:
        return  # applied when the payment clears (start_processing)
    start = max(cleared, now_real)
    order.events = [event for event in order.events if event[0] <= now_real]
    if cleared > now_real:
        order.events.append((cleared, "checking"))
    hold(store, order, start)


def hold(store, order, when_real):
    """Apply the order's anti-fraud label at ``when_real``: it stays ``checking`` (or its ``fraud_status``); FRAUD_REFUSED
    cancels it."""
    order.fraud_events.append((when_real, order.fraud))
    if order.fraud_status != "checking":
        order.events.append((when_real, order.fraud_status))
    if order.fraud == "FRAUD_REFUSED":
        schedule_cancel(store, order, when_real)


def tick(store, now_real):
    """Materialise the projects of every order whose delivery time has passed."""
    for order in store.orders.values():
        if order.projects_created:
            continue
        delivered_at = event_time(order, "delivered")
        if delivered_at is not None and delivered_at <= now_real and order_status(order, now_real) == "delivered":
            create_projects(store, order, delivered_at)


def create_projects(store, order, delivered_at):
    """Create the cloud projects of a delivered order and write their ids into the order lines."""
    account = store.accounts.get(order.nichandle)
    window = store.config.delay("project_404_window", account)
    creating = store.config.delay("project_creating_delay", account)
    for line in order.lines:
        if line.kind != "project":
            continue
        for _unit in range(max(1, line.quantity)):
            project_id = store.new_project_id()
            description = dict(line.configurations).get("description")
            store.projects[project_id] = Project(
                project_id=project_id, nichandle=order.nichandle, description=description, plan_code=line.plan_code,
                order_id=order.order_id, creation_date=store.clock.sim_of_real(delivered_at), visible_real=delivered_at + window,
                ok_real=delivered_at + creating, iam_id=store.new_cart_id(),
                options=[o.plan_code for o in order.lines if o.kind == "option" and o.parent_item_id == line.item_id])
            if line.project_id is None:
                line.project_id = project_id
                line.operation_id = store.next_id("operation")
    order.projects_created = True


def project_status(project, now_real):
    """cloud.project.ProjectStatusEnum value of a project now."""
    if project.deleted_real is not None:
        return "deleted" if now_real >= project.deleted_real else "deleting"
    if project.status is not None:
        return project.status
    return "ok" if now_real >= project.ok_real else "creating"


def project_gone(project, now_real, retention):
    """A deleted project past its retention: no longer listed, 404 on every call (UNVERIFIED: how long the real API keeps
    showing a deleted project is not known; the status enum has ``deleted``, so it is shown for a while)."""
    return project.deleted_real is not None and now_real >= project.deleted_real + retention


def start_deletion(store, project, now_real):
    """A confirmed termination: ``deleting`` now, ``deleted`` after ``project_deleting_delay``."""
    delay = store.config.delay("project_deleting_delay", store.accounts.get(project.nichandle))
    project.deleting_real = now_real
    project.deleted_real = now_real + delay


def project_visible(project, now_real):
    """False during the post-delivery 404 window (stricter: hidden from the list too)."""
    return now_real >= project.visible_real


def project_units(order):
    """Number of projects an order creates."""
    return sum(max(1, line.quantity) for line in order.lines if line.kind == "project")


def projects_in_use(store, nichandle, now_real):
    """Existing (not deleted) projects plus projects of in-flight orders: what the quota counts."""
    existing = sum(1 for p in store.projects_of(nichandle) if project_status(p, now_real) != "deleted")
    pending = sum(project_units(order) for order in store.orders_of(nichandle)
                  if not order.projects_created and order_status(order, now_real) in IN_FLIGHT)
    return existing + pending
