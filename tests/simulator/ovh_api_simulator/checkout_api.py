"""Checkout: ``GET``/``POST /order/cart/{cartId}/checkout`` and ``GET .../summary`` -> order.Order; creates orders."""

import secrets
import string

from . import catalog, errors, lifecycle
from .cart_api import item_requirements
from .domain import ORDER_URL, line_domain, read_only_error, visible_cart, voucher_problem
from .models import Order, OrderLine

CONTRACTS = [
    {"name": "General Terms and Conditions of Service", "url": "https://storage.gra.cloud.ovh.net/v1/contracts/general-terms.pdf",
     "content": "General Terms and Conditions of Service (simulated)."},
    {"name": "Public Cloud Specific Conditions", "url": "https://storage.gra.cloud.ovh.net/v1/contracts/public-cloud.pdf",
     "content": "Public Cloud Specific Conditions (simulated)."},
]


def check_checkout(ctx, cart):
    """Every reason a cart cannot be checked out; statuses/wording UNVERIFIED unless noted."""
    account = ctx.account
    if cart.read_only:
        raise read_only_error(cart)
    if cart.owner is None:
        # UNVERIFIED (every official client assigns first): checkout of an unassigned cart; 403 chosen.
        raise errors.forbidden("Cart %s is not assigned to your account: call POST /order/cart/%s/assign first" % (cart.cart_id, cart.cart_id))
    if not cart.items:
        raise errors.bad_request("Cart %s is empty: add an item before checkout" % cart.cart_id)
    for item in cart.items.values():
        for req in item_requirements(ctx, item):
            if req["required"] and item.config_value(req["label"]) is None:
                raise errors.bad_request("Item %d (%s) is missing the required configuration %s" % (item.item_id, item.plan_code, req["label"]))
        voucher = item.config_value("voucher")
        if voucher is not None:
            problem = voucher_problem(ctx.store, cart, voucher)
            if problem:
                raise errors.bad_request(problem)
    if not account.api_order_allowed:
        # UNVERIFIED wording: new accounts must create their first project in the Control Panel.
        raise errors.forbidden("Your account cannot order a Public Cloud project through the API yet: new accounts must create "
                               "their first Public Cloud project through the OVHcloud Control Panel")
    wanted = sum(max(1, item.quantity) for item in project_items(cart))
    in_use = lifecycle.projects_in_use(ctx.store, account.nichandle, ctx.now_real)
    if in_use + wanted > account.quota:
        # UNVERIFIED status/wording (terraform-provider-ovh #554: quota counts in-flight orders).
        raise errors.forbidden("You have reached the maximum number of Public Cloud projects for your account (%d of %d, "
                               "in-flight orders included); ask for a quota increase" % (in_use, account.quota))


def project_items(cart):
    """The project items of a cart (not its option items), by id."""
    return [item for item in sorted(cart.items.values(), key=lambda i: i.item_id) if item.parent_item_id is None]


def build_lines(ctx, cart, allocate_ids):
    """Order lines: per project item a placeholder 'extra' line FIRST, then the project line (terraform-provider-ovh PR #478,
    ovh/resource_cloud_project.go), then a line per option item of it (UNVERIFIED: its shape; priced as its item)."""
    lines = []
    credit = 0.0
    owner = ctx.store.accounts.get(cart.owner) if cart.owner else None
    codes = set(item.config_value("voucher") for item in cart.items.values())
    for code in codes:
        if owner is not None and code in owner.vouchers and not owner.vouchers[code].used:
            credit += owner.vouchers[code].credit  # a voucher counts once per cart
    for item in project_items(cart):
        configurations = [(c.label, c.value) for c in item.configurations.values()]
        # UNVERIFIED: the exact extra line; modelled on terraform PR #478 (a detail with the bogus domain "*001").
        lines.append(OrderLine(detail_id=ctx.store.next_id("detail") if allocate_ids else 0, kind="extra", description="Public Cloud consumption",
                               detail_type="CONSUMPTION", plan_code="consumption", duration=item.duration, pricing_mode="default",
                               quantity=1, unit_price=0.0, total_price=0.0, product_name="cloud", configurations=[], item_id=item.item_id))
        original = item.unit_price * item.quantity
        reduction = min(credit, original)
        credit -= reduction
        lines.append(OrderLine(detail_id=ctx.store.next_id("detail") if allocate_ids else 0, kind="project", description=catalog.PRODUCT_NAME,
                               detail_type="DURATION", plan_code=item.plan_code, duration=item.duration, pricing_mode=item.pricing_mode,
                               quantity=item.quantity, unit_price=item.unit_price, total_price=original - reduction,
                               product_name=item.product_name, configurations=configurations, item_id=item.item_id))
        for option in sorted((o for o in cart.items.values() if o.parent_item_id == item.item_id), key=lambda o: o.item_id):
            total = option.unit_price * option.quantity
            lines.append(OrderLine(detail_id=ctx.store.next_id("detail") if allocate_ids else 0, kind="option",
                                   description=catalog.OPTION_PRODUCT_NAME, detail_type="DURATION", plan_code=option.plan_code,
                                   duration=option.duration, pricing_mode=option.pricing_mode, quantity=option.quantity,
                                   unit_price=option.unit_price, total_price=total, product_name=option.product_name,
                                   configurations=[], item_id=option.item_id, parent_item_id=item.item_id))
    return lines


def compute_prices(ctx, lines):
    """Order totals (floats): originalWithoutTax, reduction, withoutTax, tax, withTax."""
    original = round(sum(line.unit_price * line.quantity for line in lines), 2)
    without = round(sum(line.total_price for line in lines), 2)
    tax = round(without * ctx.config.tax_rate, 2)
    return {"originalWithoutTax": original, "reduction": round(original - without, 2), "withoutTax": without, "tax": tax,
            "withTax": round(without + tax, 2)}


def render_order(order_id, url, lines, prices, currency, flavour):
    """order.Order (checkout result; orderId/url null for the GET preview)."""
    details = []
    for line in lines:
        reduction = line.unit_price * line.quantity - line.total_price
        reductions = []
        if reduction > 0:
            reductions.append({"context": "voucher", "description": "Voucher", "price": catalog.price(-reduction, currency),
                               "reductionDescription": "Public Cloud voucher credit", "type": "fixed_amount",
                               "value": catalog.price(reduction, currency)})
        details.append({
            "cartItemID": line.item_id, "description": line.description, "detailType": line.detail_type,
            "domain": line_domain(line, flavour), "originalTotalPrice": catalog.price(line.unit_price * line.quantity, currency),
            "quantity": line.quantity, "reductionTotalPrice": catalog.price(reduction, currency), "reductions": reductions,
            "totalPrice": catalog.price(line.total_price, currency), "unitPrice": catalog.price(line.unit_price, currency)})
    rendered = {key: catalog.price(value, currency) for key, value in prices.items()}
    return {"contracts": [dict(c) for c in CONTRACTS], "details": details, "orderId": order_id, "prices": rendered, "url": url}


def preview(ctx):
    """GET /order/cart/{cartId}/checkout -- auth, the caller's assigned cart; same checks as POST, no order created."""
    cart = visible_cart(ctx, expired_ok=ctx.config.accept_expired_checkout)
    if cart.read_only:
        order = ctx.store.orders[cart.order_id]
        return render_order(None, None, order.lines, order.prices, order.currency, ctx.config.flavour)
    check_checkout(ctx, cart)
    lines = build_lines(ctx, cart, allocate_ids=False)
    return render_order(None, None, lines, compute_prices(ctx, lines), catalog.currency_of(cart.subsidiary), ctx.config.flavour)


def summary(ctx):
    """GET /order/cart/{cartId}/summary -- no auth, price summary without the checkout checks."""
    cart = visible_cart(ctx)
    lines = build_lines(ctx, cart, allocate_ids=False)
    return render_order(None, None, lines, compute_prices(ctx, lines), catalog.currency_of(cart.subsidiary), ctx.config.flavour)


def checkout(ctx):
    """POST /order/cart/{cartId}/checkout (order.cart.Checkout, empty body accepted) -> order.Order with orderId and url.

    An expired cart is gone (404) for checkout as for every call, unless ``accept_expired_checkout`` (off by default;
    reference "Newer facts": whether ``expire`` is honoured at checkout is UNVERIFIED) lets its checkout through."""
    cart = visible_cart(ctx, expired_ok=ctx.config.accept_expired_checkout)
    check_checkout(ctx, cart)
    account = ctx.account
    lines = build_lines(ctx, cart, allocate_ids=True)
    prices = compute_prices(ctx, lines)
    order_id = ctx.store.next_id("order")
    password = "".join(secrets.choice(string.ascii_lowercase) for _letter in range(4))
    order = Order(order_id=order_id, nichandle=account.nichandle, password=password, date=ctx.store.clock.now_dt(),
                  currency=catalog.currency_of(cart.subsidiary), lines=lines, prices=prices, cart_id=cart.cart_id,
                  events=[(ctx.now_real, "notPaid")], delays={}, created_real=ctx.now_real,
                  application_key=ctx.caller.application.key)
    for item in cart.items.values():
        code = item.config_value("voucher")
        if code:
            account.vouchers[code].used = True
            order.voucher = code
    ctx.store.orders[order_id] = order
    cart.read_only = True
    cart.order_id = order_id
    if ctx.body.get("autoPayWithPreferredPaymentMethod"):
        # Auto-pay needs a VALID default payment method unless the order is free (terraform-provider-ovh ovh/order.go);
        # without auto-pay even a free order waits for a payment (ovh/docs: "you still need to simulate a payment").
        # An auto-paid order is notPaid for a moment before the payment clears (payment_clearing_delay).
        method = account.default_payment_method()
        clearing = ctx.store.config.delay("payment_clearing_delay", account)
        if prices["withTax"] == 0:
            lifecycle.pay(ctx.store, order, "autoPay:free", ctx.now_real, clearing)
        elif method is not None:
            lifecycle.pay(ctx.store, order, "autoPay:paymentMethod:%d" % method.payment_method_id, ctx.now_real, clearing)
    return render_order(order_id, ORDER_URL % (order_id, password), lines, prices, order.currency, ctx.config.flavour)


ROUTES = {
    ("GET", "/order/cart/{cartId}/checkout"): preview,
    ("POST", "/order/cart/{cartId}/checkout"): checkout,
    ("GET", "/order/cart/{cartId}/summary"): summary,
}
