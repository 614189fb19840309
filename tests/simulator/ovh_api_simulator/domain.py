"""Domain rules shared by several route modules: cart visibility, read-only carts, vouchers, order URLs and detail domains.

Route modules (``*_api.py``) import from here, never from one another.
"""

from . import errors

# The form of billing.Order's url (me.json) as OVHcloud order e-mails and the Control Panel show it.
ORDER_URL = "https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=%d&orderPassword=%s"


def read_only_error(cart):
    """UNVERIFIED (modification of a validated cart is undocumented): 403 Client::Forbidden."""
    return errors.forbidden("Cart %s has already been validated (readOnly) and cannot be modified" % cart.cart_id)


def application_key_of(ctx):
    """The caller's application key: the signed caller's, or for an unsigned call its ``X-Ovh-Application`` header when
    that key is known (python-ovh sends it on unsigned calls too); else None."""
    if ctx.caller.application is not None:
        return ctx.caller.application.key
    key = ctx.headers.get("X-Ovh-Application")
    return key if key in ctx.store.applications else None


def other_application(ctx, cart):
    """``carts_per_application`` (off by default): the cart was made through another application than the caller's.
    UNVERIFIED (reference "Newer facts"): whether carts are per account or per application is not known."""
    return ctx.config.carts_per_application and cart.application_key is not None and cart.application_key != application_key_of(ctx)


def visible_cart(ctx, write=False, expired_ok=False):
    """The live cart of the path, as the caller may see it; 404 when missing, expired (unless ``expired_ok``), another
    account's, or (``carts_per_application``) another application's.

    UNVERIFIED: stricter choice -- once assigned, a cart is only visible to its owner's signed calls.
    """
    cart_id = ctx.params["cartId"]
    cart = ctx.store.carts.get(cart_id) if expired_ok else ctx.store.live_cart(cart_id)
    if cart is None or (cart.owner is not None and cart.owner != ctx.nichandle) or other_application(ctx, cart):
        raise errors.object_not_found("cartId", cart_id)
    if write and cart.read_only:
        raise read_only_error(cart)
    return cart


def voucher_problem(store, cart, code):
    """Why a voucher cannot be used on this cart (None when usable). Unassigned cart: every voucher is unknown."""
    account = store.accounts.get(cart.owner) if cart.owner else None
    voucher = account.vouchers.get(code) if account else None
    if voucher is None:
        return "Voucher %s is not valid: unknown voucher" % code
    if voucher.used:
        return "Voucher %s is not valid: it has already been used" % code
    if voucher.subsidiary is not None and voucher.subsidiary != cart.subsidiary:
        # UNVERIFIED: a voucher bound to one subsidiary, refused on a cart of another, and this wording.
        # /cloud/eligibility?voucher= takes no subsidiary, so only the cart (configuration, checkout) can tell.
        return "Voucher %s is not valid: it is for orders of subsidiary %s, and this cart is for %s" % (
            code, voucher.subsidiary, cart.subsidiary)
    return None


def line_domain(line, flavour):
    """Detail ``domain``: the project id once delivered (EU only; in the US never), else the placeholder."""
    if line.kind == "project" and line.project_id and flavour != "us":
        return line.project_id
    return line.placeholder
