"""Offer catalogue (what ``GET /order/cart/{cartId}/cloud`` lists) and configuration requirements per plan.

EU: ``project.2018`` "Public Cloud Project" (the OVHcloud guide "Ordering Public Cloud projects using the OVHcloud API", step 2). US: plan ``project``
(terraform-provider-ovh docs: ``plan_code = "project" # when running in the US``).
Both can be overridden through ``POST /_sim/config`` (``offers``, ``required_configuration``).
"""

import copy

# nichandle.OvhSubsidiaryEnum of https://eu.api.ovh.com/1.0/order.json (ovh-eu) and https://api.us.ovhcloud.com/1.0/order.json.
EU_SUBSIDIARIES = ("CZ", "DE", "ES", "EU", "FI", "FR", "GB", "IE", "IT", "LT", "MA", "NL", "PL", "PT", "SN", "TN")
US_SUBSIDIARIES = ("ASIA", "AU", "CA", "CZ", "DE", "ES", "EU", "FI", "FR", "GB", "IE", "IT", "LT", "MA", "NL", "PL",
                   "PT", "QC", "SG", "SN", "TN", "US", "WE", "WS")

CURRENCIES = {"GB": "GBP", "PL": "PLN", "CZ": "CZK", "MA": "MAD", "TN": "TND", "SN": "XOF", "US": "USD", "ASIA": "USD",
              "WE": "USD", "WS": "USD", "AU": "AUD", "CA": "CAD", "QC": "CAD", "SG": "SGD", "IN": "INR"}
CURRENCY_SYMBOLS = {"EUR": "\u20ac", "USD": "$", "GBP": "\u00a3", "CAD": "$", "AUD": "$", "SGD": "$"}

EU_PLAN = "project.2018"
US_PLAN = "project"
PRODUCT_NAME = "Public Cloud Project"
DEFAULT_CAPACITIES = ("installation", "renew")

# UNVERIFIED: the real requiredConfiguration answer for project.2018 is unknown; the guide shows
# the labels "description" and "voucher"; terraform-provider-ovh's acceptance test of ovh_cloud_project
# (ovh/resource_cloud_project_test.go) configures "vrack" (an existing vRack's service name) on project.2018.
# All optional here; tests can add required labels via /_sim/config.
DEFAULT_REQUIREMENTS = [
    {"label": "description", "type": "string", "required": False, "fields": None},
    {"label": "voucher", "type": "string", "required": False, "fields": None},
    {"label": "vrack", "type": "string", "required": False, "fields": None},
]

# Options of the project plans (GET /order/cart/{cartId}/cloud/options?planCode=): the HDS certification, whose plan
# codes terraform-provider-ovh's docs give (docs/resources/cloud_project.md, "HDS Certification": certification.hds.2018
# for project.2018, certification.hds on the US plan "project"; "you must have a business support level on your account",
# which the simulator does not check). UNVERIFIED: family, names and price (free here); ``plan_options`` overrides them.
OPTION_PLANS = {EU_PLAN: "certification.hds.2018", US_PLAN: "certification.hds"}
OPTION_PRODUCT_NAME = "HDS certification"


def subsidiaries(flavour):
    """Subsidiaries accepted by ``order.cart.Creation.ovhSubsidiary`` in this flavour."""
    return US_SUBSIDIARIES if flavour == "us" else EU_SUBSIDIARIES


def currency_of(subsidiary):
    """Currency code of a subsidiary (EUR unless listed)."""
    return CURRENCIES.get(subsidiary, "EUR")


def price(value, currency, ucents=True):
    """An ``order.Price`` object (order-cart.json: currencyCode, priceInUcents, text, value).

    The cloud schema's order.Price has no priceInUcents: pass ``ucents=False`` there.
    """
    value = round(float(value), 2)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    text = ("%s%.2f" % (symbol, value)) if currency in ("USD", "CAD", "AUD", "SGD") else ("%.2f %s" % (value, symbol))
    result = {"currencyCode": currency, "text": text, "value": value}
    if ucents:
        result["priceInUcents"] = int(round(value * 100000000))
    return result


def default_offer(plan_code, monthly_price=0.0):
    """The Public Cloud project offer: one monthly, default-mode pricing (free unless the ``plan_price`` setting says otherwise)."""
    return {
        "planCode": plan_code,
        "productName": PRODUCT_NAME,
        "productType": "cloud_service",
        # UNVERIFIED: maximumQuantity 1 per item (stricter choice).
        "prices": [{"duration": "P1M", "pricingMode": "default", "price": float(monthly_price), "minimumQuantity": 1, "maximumQuantity": 1}],
    }


def offers_for(config, subsidiary):
    """Offers (simulator form) for a subsidiary, honouring ``config.offers`` overrides."""
    if subsidiary in config.offers:
        return copy.deepcopy(config.offers[subsidiary])
    if config.flavour == "us":
        # UNVERIFIED which US-list subsidiaries can order on the US endpoint; stricter: only US has the offer.
        return [default_offer(US_PLAN, config.plan_price)] if subsidiary == "US" else []
    return [default_offer(EU_PLAN, config.plan_price)]


def find_pricing(offer, duration, pricing_mode):
    """The pricing of ``offer`` for (duration, pricingMode), or None."""
    for pricing in offer["prices"]:
        if pricing["duration"] == duration and pricing.get("pricingMode", "default") == pricing_mode:
            return pricing
    return None


def pricing_description(offer, pricing):
    """Description of an offer pricing (shared by the cart offers and the public catalog)."""
    return pricing.get("description", "%s monthly fees" % offer.get("productName", PRODUCT_NAME))


def default_options(plan_code):
    """The options of a project plan (simulator form, as an offer plus family, mandatory and exclusive)."""
    if plan_code not in OPTION_PLANS:
        return []
    return [{"planCode": OPTION_PLANS[plan_code], "productName": OPTION_PRODUCT_NAME, "productType": "cloud_service",
             "family": "certification", "mandatory": False, "exclusive": False,
             "prices": [{"duration": "P1M", "pricingMode": "default", "price": 0.0, "minimumQuantity": 1, "maximumQuantity": 1}]}]


def options_for(config, plan_code):
    """Options (simulator form) of a project plan, honouring ``config.plan_options``."""
    if plan_code in config.plan_options:
        return copy.deepcopy(config.plan_options[plan_code])
    return default_options(plan_code)


def render_option(option, currency):
    """Render a simulator option as ``order.cart.GenericOptionDefinition``."""
    rendered = render_offer(option, currency)
    rendered.update({"exclusive": bool(option.get("exclusive", False)), "family": option.get("family"),
                     "mandatory": bool(option.get("mandatory", False)),
                     "productName": option.get("productName", OPTION_PRODUCT_NAME)})
    return rendered


def render_offer(offer, currency):
    """Render a simulator offer as ``order.cart.GenericProductDefinition``."""
    prices = []
    for pricing in offer["prices"]:
        value = float(pricing.get("price", 0.0))
        rendered_price = price(value, currency)
        prices.append({
            "capacities": list(pricing.get("capacities", DEFAULT_CAPACITIES)),
            "description": pricing_description(offer, pricing),
            "duration": pricing["duration"],
            "interval": int(pricing.get("interval", 1)),
            "maximumQuantity": pricing.get("maximumQuantity", 1),
            "maximumRepeat": pricing.get("maximumRepeat"),
            "minimumQuantity": int(pricing.get("minimumQuantity", 1)),
            "minimumRepeat": int(pricing.get("minimumRepeat", 1)),
            "price": rendered_price,
            "priceInUcents": rendered_price["priceInUcents"],
            "pricingMode": pricing.get("pricingMode", "default"),
            "pricingType": pricing.get("pricingType", "rental"),
        })
    return {
        "planCode": offer["planCode"],
        "prices": prices,
        "productName": offer.get("productName", PRODUCT_NAME),
        "productType": offer.get("productType", "cloud_service"),
    }


def requirements_for(config, plan_code):
    """``order.cart.ConfigurationRequirements[]`` of a plan, honouring ``config.required_configuration``."""
    if plan_code in config.required_configuration:
        reqs = config.required_configuration[plan_code]
    else:
        reqs = DEFAULT_REQUIREMENTS
    return [{"fields": r.get("fields"), "label": r["label"], "required": bool(r.get("required", False)),
             "type": r.get("type", "string")} for r in reqs]
