"""``/me``, ``/me/order/...`` (billing.Order and its sub-resources, payment) and ``/me/payment/method`` routes."""

import datetime

from . import catalog, errors, lifecycle
from .clock import iso
from .domain import ORDER_URL, line_domain

PAYMENT_MEANS = {"CREDIT_CARD": "creditCard", "PAYPAL": "paypal", "SEPA_DIRECT_DEBIT": "bankAccount", "BANK_ACCOUNT": "bankAccount"}


def own_order(ctx):
    """The caller's order of the path; another account's or a missing one -> 404."""
    order = ctx.store.orders.get(ctx.params["orderId"])
    if order is None or order.nichandle != ctx.account.nichandle:
        raise errors.object_not_found("orderId", ctx.params["orderId"])
    return order


def own_line(ctx, order, param="orderDetailId"):
    """The order detail of the path."""
    for line in order.lines:
        if line.detail_id == ctx.params[param]:
            return line
    raise errors.object_not_found(param, ctx.params[param])


def get_me(ctx):
    """GET /me -> nichandle.Nichandle (subset of the real fields)."""
    account = ctx.account
    currency = catalog.currency_of(account.subsidiary)
    us_flavour = ctx.config.flavour == "us"
    return {
        "address": "1 rue du Simulateur", "area": None, "birthCity": None, "birthDay": None, "city": "Roubaix",
        "companyNationalIdentificationNumber": None, "complementaryAddress": None, "corporationType": None,
        "country": "US" if us_flavour else (account.subsidiary if account.subsidiary in catalog.EU_SUBSIDIARIES else "FR"),
        "currency": {"code": currency, "symbol": catalog.CURRENCY_SYMBOLS.get(currency, currency)},
        "customerCode": "%04d-%04d-%02d" % (sum(map(ord, account.nichandle)) % 10000, len(account.nichandle) * 101, 42),
        "email": account.email, "fax": None, "firstname": "Demo", "italianSDI": None, "kycValidated": True,
        "language": "en_US" if us_flavour else "fr_FR", "legalform": "individual", "name": "User",
        "nationalIdentificationNumber": None, "nichandle": account.nichandle, "organisation": None,
        "ovhCompany": "ovh", "ovhSubsidiary": account.subsidiary, "phone": "+33.123456789", "phoneCountry": None,
        "phoneType": None, "purposeOfPurchase": None, "sex": None, "spareEmail": None, "state": "complete", "vat": None,
        "zip": "59100",
    }


def list_orders(ctx):
    """GET /me/order (``date.from`` / ``date.to`` datetime filters, inclusive)."""
    start, end = ctx.query.get("date.from"), ctx.query.get("date.to")
    return [order.order_id for order in ctx.store.orders_of(ctx.account.nichandle)
            if (start is None or order.date >= start) and (end is None or order.date <= end)
            and lifecycle.listed_order(ctx.store, order, ctx.now_real)]


def get_order(ctx):
    """GET /me/order/{orderId} -> billing.Order."""
    order = own_order(ctx)
    url = ORDER_URL % (order.order_id, order.password)
    price = order.prices
    return {
        "date": iso(order.date), "expirationDate": iso(order.date + datetime.timedelta(days=15)), "orderId": order.order_id,
        "password": order.password, "pdfUrl": url, "priceWithTax": catalog.price(price["withTax"], order.currency),
        "priceWithoutTax": catalog.price(price["withoutTax"], order.currency), "retractionDate": None,
        "tax": catalog.price(price["tax"], order.currency), "url": url,
    }


def get_status(ctx):
    """GET /me/order/{orderId}/status -> bare JSON string (billing.order.OrderStatusEnum)."""
    return lifecycle.order_status(own_order(ctx), ctx.now_real)


def list_details(ctx):
    """GET /me/order/{orderId}/details -> long[]."""
    return [line.detail_id for line in own_order(ctx).lines]


def get_detail(ctx):
    """GET .../details/{orderDetailId} -> billing.OrderDetail (quantity is a STRING in me.json)."""
    order = own_order(ctx)
    line = own_line(ctx, order)
    return {
        "cancelled": lifecycle.order_status(order, ctx.now_real) == "cancelled", "description": line.description,
        "detailType": line.detail_type, "domain": line_domain(line, ctx.config.flavour), "orderDetailId": line.detail_id,
        "quantity": str(line.quantity), "totalPrice": catalog.price(line.total_price, order.currency),
        "unitPrice": catalog.price(line.unit_price, order.currency),
    }


def get_extension(ctx):
    """GET .../details/{orderDetailId}/extension -> billing.ItemDetail."""
    line = own_line(ctx, own_order(ctx))
    return {"order": {
        "action": "installation",
        "configurations": [{"label": label, "value": value} for label, value in line.configurations],
        "plan": {"code": line.plan_code, "duration": line.duration, "pricingMode": line.pricing_mode,
                 "product": {"name": line.product_name}, "quantity": line.quantity},
        "type": "plan",
    }}


def get_associated_object(ctx):
    """GET .../associatedObject -> billing.order.AssociatedObject (a Bill once paid)."""
    order = own_order(ctx)
    if order.paid_with is None:
        return {"id": None, "type": None}
    return {"id": "FR%08d" % (order.order_id % 100000000), "type": "Bill"}


FOLLOW_UP_STEPS = ("VALIDATING", "VALIDATED", "DELIVERING", "AVAILABLE")
FOLLOW_UP_DESCRIPTIONS = {
    "REGISTERED_PAYMENT_INITIATED": "Payment initiated with a registered payment means",
    "PAYMENT_RECEIVED": "Payment received", "PAYMENT_CONFIRMED": "Payment confirmed", "FRAUD_CHECK": "Order being checked",
    "FRAUD_DOCS_REQUESTED": "Documents requested to validate the order", "FRAUD_MANUAL_REVIEW": "Order under manual review",
    "FRAUD_REFUSED": "Order refused", "ORDER_ACCEPTED": "Order accepted", "DELIVERY": "Delivery in progress",
    "INVOICE_SENT": "Invoice sent",
}


def follow_up_history(order):
    """(real epoch seconds, step, label) of everything that happens to an order, in order; ORDER_STARTED is separate.

    Reference "Order follow-up and anti-fraud" (labels of billing.order.followUp): a registered payment (pay,
    payWithRegisteredPaymentMean, auto-pay) is REGISTERED_PAYMENT_INITIATED at once, while the order is still notPaid
    during payment_clearing_delay; PAYMENT_RECEIVED and PAYMENT_CONFIRMED when it clears; then FRAUD_CHECK (and an
    anti-fraud label, lifecycle.set_fraud), ORDER_ACCEPTED, DELIVERY, INVOICE_SENT. UNVERIFIED: which label goes with which
    step and moment, and whether a payment with a registered method is ever PAYMENT_INITIATED instead."""
    events = []
    if order.paid_real is not None:
        events.append((order.paid_real, "VALIDATING", "REGISTERED_PAYMENT_INITIATED"))
    cleared = lifecycle.event_time(order, "checking")
    if cleared is not None:
        events += [(cleared, "VALIDATING", label) for label in ("PAYMENT_RECEIVED", "PAYMENT_CONFIRMED", "FRAUD_CHECK")]
    events += [(when, "VALIDATING", label) for when, label in order.fraud_events]
    if cleared is not None and not order.fraud:
        events.append((cleared, "VALIDATED", "ORDER_ACCEPTED"))
    for status, step, label in (("delivering", "DELIVERING", "DELIVERY"), ("delivered", "AVAILABLE", "INVOICE_SENT")):
        when = lifecycle.event_time(order, status)
        if when is not None:
            events.append((when, step, label))
    return sorted(events, key=lambda event: event[0])


def get_follow_up(ctx):
    """GET .../followUp -> billing.order.FollowUp[]: step statuses derived from the order status, histories from
    ``follow_up_history``. An order held by anti-fraud (lifecycle.set_fraud) is in VALIDATING, DOING; a cancelled one
    (FRAUD_REFUSED too) has its current step in ERROR."""
    order = own_order(ctx)
    status = lifecycle.order_status(order, ctx.now_real)
    rank = {"notPaid": 0, "checking": 0 if order.fraud else 1, "delivering": 2, "delivered": 4}.get(status, 0)  # documentsRequested: 0
    failed = status in ("cancelling", "cancelled")
    histories = {step: [] for step in FOLLOW_UP_STEPS}
    histories["VALIDATING"].append({"date": iso(order.date), "description": "Order created", "label": "ORDER_STARTED"})
    for when, step, label in follow_up_history(order):
        if when <= ctx.now_real:
            histories[step].append({"date": iso(ctx.store.clock.sim_of_real(when)), "description": FOLLOW_UP_DESCRIPTIONS[label],
                                    "label": label})
    steps = []
    for index, step in enumerate(FOLLOW_UP_STEPS):
        if rank > index:
            state = "DONE"
        elif rank == index:
            state = "ERROR" if failed else "DOING"
        else:
            state = "TODO"
        steps.append({"history": histories[step], "status": state, "step": step})
    return steps


def render_payment_method(method):
    """payment.method.PaymentMethod / me.payment.PaymentMethod."""
    return {
        "billingContactId": None, "creationDate": iso(method.created), "default": method.default, "description": method.description,
        "expirationDate": None, "formSessionId": None, "icon": {"data": None, "name": method.payment_type, "url": None},
        "integration": "NONE", "label": method.label, "lastUpdate": iso(method.created), "merchantId": None, "oneclick": None,
        "paymentMeanId": None, "paymentMethodId": method.payment_method_id, "paymentSubType": None,
        "paymentType": method.payment_type, "status": method.status,
    }


def get_payment_methods_of_order(ctx):
    """GET .../paymentMethods -> billing.order.PaymentMethods."""
    own_order(ctx)
    valid = ctx.account.valid_payment_methods()
    return {"available": [], "paymentMethods": [render_payment_method(m) for m in valid],
            "registered": [m.payment_method_id for m in valid]}


def get_available_means(ctx):
    """GET .../availableRegisteredPaymentMean -> billing.order.RegisteredPaymentMean[]."""
    order = own_order(ctx)
    means = []
    if order.prices["withTax"] == 0:
        means.append("fidelityAccount")
    for method in ctx.account.valid_payment_methods():
        mean = PAYMENT_MEANS.get(method.payment_type)
        if mean and mean not in means:
            means.append(mean)
    return [{"paymentMean": mean} for mean in means]


def pay_order(ctx):
    """POST /me/order/{orderId}/pay ``{"paymentMethod": {"id": <id>}}``."""
    order = own_order(ctx)
    method_id = ctx.body["paymentMethod"].get("id")
    if method_id is None:
        raise errors.bad_request("[paymentMethod.id] Property is mandatory")
    method = ctx.account.payment_methods.get(method_id)
    if method is None or method.status != "VALID":
        raise errors.bad_request("Payment method %s cannot be used to pay order %d" % (method_id, order.order_id))
    lifecycle.pay(ctx.store, order, "paymentMethod:%d" % method_id, ctx.now_real)


def pay_with_registered_mean(ctx):
    """POST .../payWithRegisteredPaymentMean -- fidelityAccount only on a zero-total order (terraform order.go)."""
    order = own_order(ctx)
    mean = ctx.body["paymentMean"]
    if mean == "fidelityAccount":
        if order.prices["withTax"] != 0:
            raise errors.bad_request("Order %d cannot be paid with fidelityAccount: its total is not zero" % order.order_id)
        lifecycle.pay(ctx.store, order, "fidelityAccount", ctx.now_real)
        return
    method = ctx.account.payment_methods.get(ctx.body.get("paymentMeanId"))
    if method is None or method.status != "VALID" or PAYMENT_MEANS.get(method.payment_type) != mean:
        raise errors.bad_request("paymentMean not found")  # wording from terraform-provider-ovh #301
    lifecycle.pay(ctx.store, order, "%s:%d" % (mean, method.payment_method_id), ctx.now_real)


def list_payment_methods(ctx):
    """GET /me/payment/method (``default``, ``paymentType``, ``status`` filters) -> long[]."""
    query = ctx.query
    return [m.payment_method_id for m in sorted(ctx.account.payment_methods.values(), key=lambda m: m.payment_method_id)
            if ("default" not in query or m.default == query["default"])
            and ("status" not in query or m.status == query["status"])
            and ("paymentType" not in query or m.payment_type == query["paymentType"])]


def get_payment_method(ctx):
    """GET /me/payment/method/{paymentMethodId} -> me.payment.PaymentMethod."""
    method = ctx.account.payment_methods.get(ctx.params["paymentMethodId"])
    if method is None:
        raise errors.object_not_found("paymentMethodId", ctx.params["paymentMethodId"])
    return render_payment_method(method)


def list_operations(ctx):
    """US only: GET /me/order/{orderId}/details/{detailId}/operations -> long[] (empty before delivery)."""
    line = own_line(ctx, own_order(ctx), "detailId")
    return [line.operation_id] if line.operation_id else []


def get_operation(ctx):
    """US only: GET .../operations/{operationId} -> service.Operation whose resource.name is the project id."""
    line = own_line(ctx, own_order(ctx), "detailId")
    if line.operation_id is None or line.operation_id != ctx.params["operationId"]:
        raise errors.object_not_found("operationId", ctx.params["operationId"])
    project = ctx.store.projects.get(line.project_id)
    return {"id": line.operation_id, "quantity": line.quantity,
            "resource": {"displayName": (project.description if project else None) or line.project_id, "name": line.project_id,
                         "state": "ok"},
            "status": "done", "type": "installation"}


ORDER = "/me/order/{orderId}"
ROUTES = {
    ("GET", "/me"): get_me,
    ("GET", "/me/order"): list_orders,
    ("GET", ORDER): get_order,
    ("GET", ORDER + "/status"): get_status,
    ("GET", ORDER + "/details"): list_details,
    ("GET", ORDER + "/details/{orderDetailId}"): get_detail,
    ("GET", ORDER + "/details/{orderDetailId}/extension"): get_extension,
    ("GET", ORDER + "/associatedObject"): get_associated_object,
    ("GET", ORDER + "/followUp"): get_follow_up,
    ("GET", ORDER + "/paymentMethods"): get_payment_methods_of_order,
    ("GET", ORDER + "/availableRegisteredPaymentMean"): get_available_means,
    ("POST", ORDER + "/pay"): pay_order,
    ("POST", ORDER + "/payWithRegisteredPaymentMean"): pay_with_registered_mean,
    ("GET", "/me/payment/method"): list_payment_methods,
    ("GET", "/me/payment/method/{paymentMethodId}"): get_payment_method,
    ("GET", ORDER + "/details/{detailId}/operations"): list_operations,
    ("GET", ORDER + "/details/{detailId}/operations/{operationId}"): get_operation,
}
