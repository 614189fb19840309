"""``GET /order/catalog/public/cloud?ovhSubsidiary=`` (BETA, no auth) -> ``order.catalog.public.Catalog``.

Built from the same per-subsidiary offers as ``GET /order/cart/{cartId}/cloud`` (``catalog.offers_for``), and the same
plan options as ``GET /order/cart/{cartId}/cloud/options`` (``catalog.options_for``: each plan's ``addonFamilies``, and
the option plans with their pricings in the catalog's ``addons``), so offers, options and prices changed through
``POST /_sim/config`` show in both. ``ovhSubsidiary`` (required, ``nichandle.OvhSubsidiaryEnum``,
the endpoint flavour's list) is checked by the schema machinery before the handler runs.

Field names and types follow the order-cart.json models. Values no public source gives are marked UNVERIFIED; those
that match a real public catalog answer (``/order/catalog/public/eco``, archived by y8/ovh-catalog-archive) say so.
"""

import re

from . import catalog

# UNVERIFIED: a real catalogId is a version number (e.g. 8993) raised when the catalog changes; here a stable value per subsidiary.
CATALOG_ID_BASE = 9000
# UNVERIFIED: the Product identifier of the Public Cloud project plans; "cloud" is the cart's product name (order.cart.Item.productId).
PRODUCT_ID = "cloud"
UCENTS = 100000000  # order.catalog.public.Pricing.price / tax are "in micro-cents": value x 10^8, as order.Price.priceInUcents
DURATION_PARTS_RE = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(\d+)H)?$")
COMMITMENT_MODE_RE = re.compile(r"^(?:upfront|degressive)(\d+)$")


def interval_of(duration):
    """(interval, intervalUnit) of an ISO-8601 duration: P1M -> (1, month), P1Y -> (12, month), P3D -> (3, day), PT1H -> (1, hour).

    A real monthly renew pricing is ``interval 1, intervalUnit month`` and a 12-month one ``12, month`` (eco catalog);
    UNVERIFIED: years counted as 12 months, days and hours; anything else is (0, "none").
    """
    found = DURATION_PARTS_RE.match(duration or "")
    if not found:
        return 0, "none"
    years, months, days, hours = (int(part) if part else 0 for part in found.groups())
    if (years or months) and not (days or hours):
        return years * 12 + months, "month"
    if days and not (years or months or hours):
        return days, "day"
    if hours and not (years or months or days):
        return hours, "hour"
    return 0, "none"


def render_pricing(offer, pricing, currency, tax_rate):
    """``order.catalog.public.Pricing`` of one offer pricing (same price as the cart's ``priceInUcents``)."""
    capacities = list(pricing.get("capacities", catalog.DEFAULT_CAPACITIES))
    mode = pricing.get("pricingMode", "default")
    price = catalog.price(float(pricing.get("price", 0.0)), currency)["priceInUcents"]
    interval, unit = interval_of(pricing["duration"])
    commitment = COMMITMENT_MODE_RE.match(mode)
    maximum = pricing.get("maximumQuantity", 1)
    maximum_repeat = pricing.get("maximumRepeat")
    return {
        "capacities": capacities,
        "commitment": int(commitment.group(1)) if commitment else 0,  # eco catalog: 0 for "default", 12 for "upfront12"
        "description": catalog.pricing_description(offer, pricing),
        "engagementConfiguration": None,
        "interval": interval,
        "intervalUnit": unit,
        "mode": mode,
        "mustBeCompleted": False,
        "phase": 0 if capacities == ["installation"] else 1,  # eco catalog: installation pricings are phase 0, renew ones phase 1
        "price": price,
        "promotions": [],
        "quantity": {"max": int(maximum) if maximum is not None else None, "min": int(pricing.get("minimumQuantity", 1))},
        "repeat": {"max": int(maximum_repeat) if maximum_repeat is not None else None, "min": int(pricing.get("minimumRepeat", 1))},
        "strategy": pricing.get("strategy", "tiered"),  # the eco catalog's pricings are all "tiered"
        "tax": int(round(price * tax_rate)),
        "type": pricing.get("pricingType", "rental"),
    }


def render_pricings(offer, pricing, currency, tax_rate):
    """The catalog pricings of one offer pricing.

    Like the real catalog (eco: an ``installation`` pricing, phase 0, ``interval 0``/``none``, ``repeat`` 1..1, then the
    ``renew`` one, phase 1), an offer pricing with ``installation`` AND other capacities becomes two: the installation one
    at price 0 (UNVERIFIED: no setup fee for a project, so the first payment is the renew price, as the cart charges it),
    then one with the other capacities and the offer price.
    """
    rendered = render_pricing(offer, pricing, currency, tax_rate)
    capacities = rendered["capacities"]
    if "installation" not in capacities or capacities == ["installation"]:
        return [rendered]
    setup = dict(rendered, capacities=["installation"], commitment=0, interval=0, intervalUnit="none", phase=0, price=0, tax=0,
                 repeat={"max": 1, "min": 1}, description="%s (only applicable for 1 time)" % rendered["description"])
    return [setup, dict(rendered, capacities=[c for c in capacities if c != "installation"])]


def render_plan(ctx, offer, currency, configurations=(), addon_families=(), family=None):
    """``order.catalog.public.Plan`` of one offer (a project plan, or an option plan listed in the catalog's ``addons``)."""
    pricings = []
    for pricing in offer["prices"]:
        pricings.extend(render_pricings(offer, pricing, currency, ctx.config.tax_rate))
    pricing_type = pricings[0]["type"] if pricings else "rental"
    consumption = None
    if pricing_type == "consumption":
        # UNVERIFIED values; the model only says "Configuration when pricing type is consumption".
        consumption = {"billingStrategy": "sum", "pingEndPolicy": None, "prorataUnit": "hour"}
    return {
        "addonFamilies": list(addon_families),
        "blobs": None,
        "configurations": list(configurations),
        "consumptionConfiguration": consumption,
        "family": family,
        "invoiceName": offer.get("productName", catalog.PRODUCT_NAME),
        "planCode": offer["planCode"],
        "pricingType": pricing_type,
        "pricings": pricings,
        "product": PRODUCT_ID,
    }


def family_name(option):
    """The family of an option (simulator form); UNVERIFIED: "options" for an option given without one."""
    return option.get("family") or "options"


def addon_families(options):
    """``order.catalog.public.AddonFamily[]`` of a plan's options (catalog.options_for, what the cart's
    ``GET .../cloud/options`` lists): one family per option family, in the order the options come, naming its option
    plan codes. ``exclusive`` and ``mandatory`` are the family's first option's (the cart gives them per option).
    UNVERIFIED: ``default``, the first option of a mandatory family, else null (canBeNull)."""
    families = {}
    for option in options:
        family = families.setdefault(family_name(option), {
            "addons": [], "default": None, "exclusive": bool(option.get("exclusive", False)),
            "mandatory": bool(option.get("mandatory", False)), "name": family_name(option)})
        family["addons"].append(option["planCode"])
    for family in families.values():
        if family["mandatory"]:
            family["default"] = family["addons"][0]
    return list(families.values())


def render_project_plan(ctx, offer, currency):
    """A project plan: its configurations are its requiredConfiguration labels, its addon families its options."""
    configurations = [{"isCustom": True, "isMandatory": req["required"], "name": req["label"], "values": None}
                      for req in catalog.requirements_for(ctx.config, offer["planCode"])]
    options = catalog.options_for(ctx.config, offer["planCode"])
    return render_plan(ctx, offer, currency, configurations, addon_families(options))


def render_addons(ctx, offers, currency):
    """The catalog's ``addons``: each option plan of the offers once (the first time it is listed), with its pricings."""
    addons = {}
    for offer in offers:
        for option in catalog.options_for(ctx.config, offer["planCode"]):
            if option["planCode"] not in addons:
                addons[option["planCode"]] = render_plan(ctx, option, currency, family=family_name(option))
    return list(addons.values())


def public_cloud_catalog(ctx):
    """GET /order/catalog/public/cloud?ovhSubsidiary= -- no auth; the subsidiary's offers (an empty plan list when it has none)."""
    subsidiary = ctx.query["ovhSubsidiary"]
    currency = catalog.currency_of(subsidiary)
    offers = catalog.offers_for(ctx.config, subsidiary)
    plans = [render_project_plan(ctx, offer, currency) for offer in offers]
    products = []
    if plans:
        products.append({"blobs": None, "configurations": None, "description": catalog.PRODUCT_NAME, "name": PRODUCT_ID})
    subsidiaries = catalog.subsidiaries(ctx.config.flavour)
    return {
        "addons": render_addons(ctx, offers, currency),
        "catalogId": CATALOG_ID_BASE + subsidiaries.index(subsidiary) if subsidiary in subsidiaries else CATALOG_ID_BASE,
        # The eco catalog shows taxRate as a percentage ("taxRate": 20 for FR); the simulator's tax_rate is a fraction.
        "locale": {"currencyCode": currency, "subsidiary": subsidiary, "taxRate": round(ctx.config.tax_rate * 100, 4)},
        "planFamilies": [],
        "plans": plans,
        "products": products,
    }


ROUTES = {
    ("GET", "/order/catalog/public/cloud"): public_cloud_catalog,
}
