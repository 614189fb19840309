"""``/order/cart`` routes: carts, assignment, cloud offers and options, items and item configurations."""

import datetime
import re

from . import catalog, errors
from .clock import iso
from .domain import application_key_of, other_application, read_only_error, visible_cart, voucher_problem
from .models import Cart, CartItem, ItemConfiguration
from .schema import parse_datetime

VRACK_RE = re.compile(r"^pn-[0-9]+$")  # a vRack's service name (the "vrack" configuration of a project item)


def cart_item(ctx, cart):
    """The item of the path in ``cart``; 404 when missing."""
    item = cart.items.get(ctx.params["itemId"])
    if item is None:
        raise errors.object_not_found("itemId", ctx.params["itemId"])
    return item


def render_cart(cart):
    """order.cart.Cart."""
    return {"cartId": cart.cart_id, "description": cart.description, "expire": iso(cart.expire),
            "items": sorted(cart.items), "readOnly": cart.read_only}


def render_item(cart, item):
    """order.cart.Item; a project item lists its option items (``options``), an option item names its project item
    (``parentItemId``)."""
    currency = catalog.currency_of(cart.subsidiary)
    total = item.unit_price * item.quantity
    return {
        "cartId": cart.cart_id,
        "configurations": sorted(item.configurations),
        "duration": item.duration,
        "itemId": item.item_id,
        "offerId": None,
        "options": sorted(other.item_id for other in cart.items.values() if other.parent_item_id == item.item_id),
        "parentItemId": item.parent_item_id,
        "prices": [{"label": "PRICE", "price": catalog.price(item.unit_price, currency), "promotions": []},
                   {"label": "TOTAL", "price": catalog.price(total, currency), "promotions": []}],
        "productId": item.product_name,
        "settings": {"planCode": item.plan_code, "pricingMode": item.pricing_mode, "quantity": item.quantity},
    }


def future_expire(ctx, text):
    """Parse a requested expiry; in the past -> 400."""
    when = parse_datetime(text)
    if when <= ctx.store.clock.now_dt():
        raise errors.bad_request("[expire] The expiration date must be in the future")
    return when.astimezone(datetime.timezone.utc).replace(microsecond=0)


def create_cart(ctx):
    """POST /order/cart -- no auth; a signed creation is NOT assigned (UNVERIFIED: stricter, terraform still assigns)."""
    body = ctx.body
    if "expire" in body:
        expire = future_expire(ctx, body["expire"])
    else:
        expire = ctx.store.clock.to_dt(ctx.store.clock.now() + ctx.config.cart_lifetime)
    cart = Cart(cart_id=ctx.store.new_cart_id(), subsidiary=body["ovhSubsidiary"], description=body.get("description", ""), expire=expire,
                application_key=application_key_of(ctx))
    ctx.store.carts[cart.cart_id] = cart
    return render_cart(cart)


def list_carts(ctx):
    """GET /order/cart -- the caller's assigned, live carts; optional exact ``description`` filter."""
    wanted = ctx.query.get("description")
    result = []
    for cart_id in list(ctx.store.carts):
        cart = ctx.store.live_cart(cart_id)
        if cart is not None and listed(ctx, cart) and (wanted is None or cart.description == wanted):
            result.append(cart.cart_id)
    return result


def listed(ctx, cart):
    """Whether GET /order/cart lists this live cart to the caller: the caller's account's, and with the awkward options
    (all off by default; reference "Newer facts": none of this is known): not checked out (``checked_out_carts_unlisted``),
    made through the caller's application (``carts_per_application``), and, for another application of the account,
    assigned at least ``cart_listing_lag`` seconds ago."""
    if cart.owner != ctx.nichandle:
        return False
    if cart.read_only and ctx.config.checked_out_carts_unlisted:
        return False
    if cart.application_key == application_key_of(ctx):
        return True
    if ctx.config.carts_per_application:
        return False
    return ctx.now_real >= (cart.assigned_real or 0.0) + ctx.config.cart_listing_lag


def get_cart(ctx):
    """GET /order/cart/{cartId}."""
    return render_cart(visible_cart(ctx))


def update_cart(ctx):
    """PUT /order/cart/{cartId} (order.cart.Update)."""
    cart = visible_cart(ctx, write=True)
    if "description" in ctx.body:
        cart.description = ctx.body["description"]
    if "expire" in ctx.body:
        cart.expire = future_expire(ctx, ctx.body["expire"])
    return render_cart(cart)


def delete_cart(ctx):
    """DELETE /order/cart/{cartId} -- auth; the caller's or an unassigned cart. Stricter: a validated cart stays."""
    cart = visible_cart(ctx, write=True)
    del ctx.store.carts[cart.cart_id]


def assign_cart(ctx):
    """POST /order/cart/{cartId}/assign -- another account's cart -> 403 Client::Forbidden."""
    cart = ctx.store.live_cart(ctx.params["cartId"])
    if cart is None or other_application(ctx, cart):
        raise errors.object_not_found("cartId", ctx.params["cartId"])
    if cart.owner is not None and cart.owner != ctx.account.nichandle:
        raise errors.forbidden("This cart is already assigned to another account")
    if cart.read_only:
        raise read_only_error(cart)
    cart.owner = ctx.account.nichandle
    if cart.assigned_real is None:
        cart.assigned_real = ctx.now_real
    if cart.application_key is None:
        cart.application_key = ctx.caller.application.key


def list_offers(ctx):
    """GET /order/cart/{cartId}/cloud -- order.cart.GenericProductDefinition[] for the cart's subsidiary."""
    cart = visible_cart(ctx)
    currency = catalog.currency_of(cart.subsidiary)
    return [catalog.render_offer(offer, currency) for offer in catalog.offers_for(ctx.config, cart.subsidiary)]


def find_offer(ctx, cart, plan_code):
    """The offer of ``plan_code`` for the cart's subsidiary, else 400."""
    for offer in catalog.offers_for(ctx.config, cart.subsidiary):
        if offer["planCode"] == plan_code:
            return offer
    raise errors.bad_request("Plan %s is not available for product cloud in subsidiary %s" % (plan_code, cart.subsidiary))


def check_pricing(offer, duration, pricing_mode, quantity):
    """Pricing for (duration, pricingMode) with the quantity in range, else 400."""
    pricing = catalog.find_pricing(offer, duration, pricing_mode)
    if pricing is None:
        offered = ", ".join("%s/%s" % (p["duration"], p.get("pricingMode", "default")) for p in offer["prices"])
        raise errors.bad_request("Duration %s with pricing mode %s is not available for plan %s (offered: %s)"
                                 % (duration, pricing_mode, offer["planCode"], offered))
    low, high = int(pricing.get("minimumQuantity", 1)), pricing.get("maximumQuantity", 1)
    if quantity < low or (high is not None and quantity > high):
        raise errors.bad_request("Quantity %d is not allowed for plan %s (minimum %d, maximum %s)" % (quantity, offer["planCode"], low, high))
    return pricing


def add_cloud_item(ctx):
    """POST /order/cart/{cartId}/cloud (order.cart.GenericProductCreation) -> order.cart.Item."""
    cart = visible_cart(ctx, write=True)
    body = ctx.body
    offer = find_offer(ctx, cart, body["planCode"])
    pricing = check_pricing(offer, body["duration"], body["pricingMode"], body["quantity"])
    item = CartItem(item_id=ctx.store.next_id("item"), plan_code=body["planCode"], duration=body["duration"],
                    pricing_mode=body["pricingMode"], quantity=body["quantity"], unit_price=float(pricing.get("price", 0.0)),
                    product_name="cloud")
    cart.items[item.item_id] = item
    return render_item(cart, item)


def list_cloud_options(ctx):
    """GET /order/cart/{cartId}/cloud/options?planCode= -> order.cart.GenericOptionDefinition[] of a project plan (the
    HDS certification, catalog.default_options); an unknown plan: 400 as for POST .../cloud."""
    cart = visible_cart(ctx)
    find_offer(ctx, cart, ctx.query["planCode"])
    currency = catalog.currency_of(cart.subsidiary)
    return [catalog.render_option(option, currency) for option in catalog.options_for(ctx.config, ctx.query["planCode"])]


def find_option(ctx, parent, plan_code):
    """The option ``plan_code`` of the project item ``parent``'s plan, else 400 naming the ones it has (UNVERIFIED wording)."""
    options = catalog.options_for(ctx.config, parent.plan_code)
    for option in options:
        if option["planCode"] == plan_code:
            return option
    raise errors.bad_request("Option %s is not available for plan %s (available: %s)"
                             % (plan_code, parent.plan_code, ", ".join(o["planCode"] for o in options) or "none"))


def add_cloud_option(ctx):
    """POST /order/cart/{cartId}/cloud/options (order.cart.GenericOptionCreation: duration, itemId, planCode,
    pricingMode, quantity) -> order.cart.Item, the option item under the project item ``itemId`` (terraform-provider-ovh
    ovh/order.go, ``plan_option``). UNVERIFIED (stricter choices, 400): an itemId that is not a project item of this cart,
    an option its plan does not have; the same option twice on one item: 409."""
    cart = visible_cart(ctx, write=True)
    body = ctx.body
    parent = cart.items.get(body["itemId"])
    if parent is None or parent.parent_item_id is not None:
        raise errors.bad_request("Item %d is not a project item of cart %s: give the itemId of the plan the option is for"
                                 % (body["itemId"], cart.cart_id))
    option = find_option(ctx, parent, body["planCode"])
    pricing = check_pricing(option, body["duration"], body["pricingMode"], body["quantity"])
    if any(other.parent_item_id == parent.item_id and other.plan_code == body["planCode"] for other in cart.items.values()):
        raise errors.conflict("Option %s is already on item %d" % (body["planCode"], parent.item_id))
    item = CartItem(item_id=ctx.store.next_id("item"), plan_code=body["planCode"], duration=body["duration"],
                    pricing_mode=body["pricingMode"], quantity=body["quantity"], unit_price=float(pricing.get("price", 0.0)),
                    product_name="cloud", parent_item_id=parent.item_id)
    cart.items[item.item_id] = item
    return render_item(cart, item)


def item_offer(ctx, cart, item):
    """The offer (project item) or option (option item) that prices an item."""
    if item.parent_item_id is not None:
        return find_option(ctx, cart.items[item.parent_item_id], item.plan_code)
    return find_offer(ctx, cart, item.plan_code)


def item_requirements(ctx, item):
    """order.cart.ConfigurationRequirements[] of an item: its plan's; none for an option item (UNVERIFIED:
    terraform-provider-ovh configures a plan option's labels on the project item)."""
    if item.parent_item_id is not None:
        return []
    return catalog.requirements_for(ctx.config, item.plan_code)


def list_items(ctx):
    """GET /order/cart/{cartId}/item."""
    return sorted(visible_cart(ctx).items)


def get_item(ctx):
    """GET /order/cart/{cartId}/item/{itemId}."""
    cart = visible_cart(ctx)
    return render_item(cart, cart_item(ctx, cart))


def update_item(ctx):
    """PUT /order/cart/{cartId}/item/{itemId} (order.cart.ItemUpdate: duration, quantity)."""
    cart = visible_cart(ctx, write=True)
    item = cart_item(ctx, cart)
    duration = ctx.body.get("duration", item.duration)
    quantity = ctx.body.get("quantity", item.quantity)
    pricing = check_pricing(item_offer(ctx, cart, item), duration, item.pricing_mode, quantity)
    item.duration, item.quantity, item.unit_price = duration, quantity, float(pricing.get("price", 0.0))
    return render_item(cart, item)


def delete_item(ctx):
    """DELETE /order/cart/{cartId}/item/{itemId}; a project item's options go with it (UNVERIFIED)."""
    cart = visible_cart(ctx, write=True)
    item = cart_item(ctx, cart)
    for other in [o for o in cart.items.values() if o.parent_item_id == item.item_id]:
        del cart.items[other.item_id]
    del cart.items[item.item_id]


def required_configuration(ctx):
    """GET .../item/{itemId}/requiredConfiguration -> order.cart.ConfigurationRequirements[]."""
    cart = visible_cart(ctx)
    return item_requirements(ctx, cart_item(ctx, cart))


def add_configuration(ctx):
    """POST .../item/{itemId}/configuration (order.cart.ItemConfigurationCreation) -> order.cart.ConfigurationItem."""
    cart = visible_cart(ctx, write=True)
    item = cart_item(ctx, cart)
    label, value = ctx.body["label"], ctx.body["value"]
    labels = [req["label"] for req in item_requirements(ctx, item)]
    if label not in labels:
        raise errors.bad_request("Configuration label %s is not allowed for plan %s (allowed: %s)" % (label, item.plan_code, ", ".join(labels)))
    if label == "vrack" and not VRACK_RE.match(value):
        # UNVERIFIED: stricter choice -- a vRack's service name is pn-<digits>; whether the vRack exists is not checked.
        raise errors.bad_request("Configuration vrack %r is not a vRack service name (pn-123456)" % value)
    if item.config_value(label) is not None:
        # UNVERIFIED: stricter choice -- a second configuration with the same label is a conflict.
        raise errors.conflict("Configuration %s is already set on item %d; delete it first" % (label, item.item_id))
    if label == "voucher":
        problem = voucher_problem(ctx.store, cart, value)
        if problem:
            raise errors.bad_request(problem)
    conf = ItemConfiguration(config_id=ctx.store.next_id("config"), label=label, value=value)
    item.configurations[conf.config_id] = conf
    return render_configuration(conf)


def render_configuration(conf):
    """order.cart.ConfigurationItem (the field is ``id``; the OVHcloud guide calls it configurationId)."""
    return {"id": conf.config_id, "label": conf.label, "value": conf.value}


def list_configurations(ctx):
    """GET .../item/{itemId}/configuration (optional ``label`` filter)."""
    cart = visible_cart(ctx)
    wanted = ctx.query.get("label")
    return [c.config_id for c in cart_item(ctx, cart).configurations.values() if wanted is None or c.label == wanted]


def item_configuration(ctx, cart):
    """The configuration of the path; 404 when missing."""
    conf = cart_item(ctx, cart).configurations.get(ctx.params["configurationId"])
    if conf is None:
        raise errors.object_not_found("configurationId", ctx.params["configurationId"])
    return conf


def get_configuration(ctx):
    """GET .../configuration/{configurationId}."""
    return render_configuration(item_configuration(ctx, visible_cart(ctx)))


def delete_configuration(ctx):
    """DELETE .../configuration/{configurationId}."""
    cart = visible_cart(ctx, write=True)
    conf = item_configuration(ctx, cart)
    del cart.items[ctx.params["itemId"]].configurations[conf.config_id]


BASE = "/order/cart/{cartId}"
ROUTES = {
    ("POST", "/order/cart"): create_cart,
    ("GET", "/order/cart"): list_carts,
    ("GET", BASE): get_cart,
    ("PUT", BASE): update_cart,
    ("DELETE", BASE): delete_cart,
    ("POST", BASE + "/assign"): assign_cart,
    ("GET", BASE + "/cloud"): list_offers,
    ("POST", BASE + "/cloud"): add_cloud_item,
    ("GET", BASE + "/cloud/options"): list_cloud_options,
    ("POST", BASE + "/cloud/options"): add_cloud_option,
    ("GET", BASE + "/item"): list_items,
    ("GET", BASE + "/item/{itemId}"): get_item,
    ("PUT", BASE + "/item/{itemId}"): update_item,
    ("DELETE", BASE + "/item/{itemId}"): delete_item,
    ("GET", BASE + "/item/{itemId}/requiredConfiguration"): required_configuration,
    ("GET", BASE + "/item/{itemId}/configuration"): list_configurations,
    ("POST", BASE + "/item/{itemId}/configuration"): add_configuration,
    ("GET", BASE + "/item/{itemId}/configuration/{configurationId}"): get_configuration,
    ("DELETE", BASE + "/item/{itemId}/configuration/{configurationId}"): delete_configuration,
}
