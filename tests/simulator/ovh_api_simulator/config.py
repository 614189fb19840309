"""Global simulator settings, changed through ``POST /_sim/config`` (and per account for the delays)."""

from . import errors

# Delays (seconds) that can also be overridden per account (``delays`` of an account).
DELAY_KEYS = ("payment_clearing_delay", "order_checking_delay", "order_delivering_delay", "project_creating_delay", "project_404_window", "cancel_delay",
              "termination_email_delay", "project_deleting_delay")

NUMBER_DEFAULTS = {
    "payment_clearing_delay": 1.0,     # an auto-paid order stays notPaid this long before the payment clears
    "order_checking_delay": 1.0,       # time an order stays in "checking" once paid
    "order_delivering_delay": 1.0,     # time an order stays in "delivering"
    "project_creating_delay": 1.0,     # cloud project status "creating" -> "ok"
    "project_404_window": 0.0,         # after delivery, GET /cloud/project/{id} answers 404 this long (terraform-provider-ovh #1288, #1377)
    "cancel_delay": 1.0,               # "cancelling" -> "cancelled"
    "cart_lifetime": 86400.0,          # ovh/order-cart-examples README: carts are saved for 1 day
    "latency_ms": 0.0,                 # added to every /1.0 request
    "timestamp_tolerance": 180.0,      # UNVERIFIED: allowed skew of X-Ovh-Timestamp
    "delivered_retention": 60.0,       # GET /cloud/order keeps a delivered order this long (UNVERIFIED)
    "tax_rate": 0.20,                  # tax applied to order prices (UNVERIFIED, EU VAT-like)
    # Project termination (terraform-provider-ovh ovh/order.go, orderDelete): the token e-mail arrives after a while (terraform polls the
    # history for up to 30 min), then confirmTermination -> "deleting" -> "deleted". Delays UNVERIFIED.
    "termination_email_delay": 1.0,    # POST .../terminate -> the token e-mail appears in /me/notification/email/history
    "project_deleting_delay": 1.0,     # confirmTermination -> status "deleting" this long, then "deleted"
    "project_deleted_retention": 60.0,  # a deleted project stays listed and readable (status deleted) this long, then 404 (UNVERIFIED)
    # Monthly price (without tax, in the cart's currency) of the default project offer, used by the cart items, the
    # checkout/summary prices and the public catalogue (the price cap of the lifecycle tests). The real offer is free (free
    # orders, terraform's "withoutTax.value == 0"); "offers" overrides it per subsidiary.
    "plan_price": 0.0,
    "user_creating_delay": 1.0,        # OpenStack user status "creating" -> "ok" (openstack_state.py)
    "user_deleting_delay": 1.0,        # a deleted OpenStack user stays "deleting", then "deleted"
    "user_deleted_delay": 0.0,         # ... "deleted" this long (listed and readable), then answers 404 (UNVERIFIED)
    "user_updating_delay": 0.5,        # after regeneratePassword a user is "updating" this long, then "ok" again
    # Awkward API options (docs/simulator.md "Awkward API options"), 0 = off. What no public source settles (reference
    # "Newer facts": "What the order-cart guard cannot know", "Cached listings"), all UNVERIFIED.
    "cart_listing_lag": 0.0,           # GET /order/cart lists a cart to ANOTHER application of the account this long after its assignment
    "order_listing_lag": 0.0,          # GET /me/order and GET /cloud/order list a new order this long after its checkout
    "project_listing_cache": 0.0,      # the expanded listing of GET /cloud/project is a per-account snapshot at most this old
}
# Whole numbers (0 = no limit).
INTEGER_DEFAULTS = {
    "max_page_size": 0,                # the expanded listing answers at most this many objects a page (pagination.py)
    # UNVERIFIED (alerting_api.py): how many spending alerts a project may have; a POST beyond it is refused (409)
    "alerts_per_project": 1,
}
BOOLEAN_DEFAULTS = {
    "ignore_pagination_headers": False,  # answer ids to the expanded listing, as a proxy or an older API would
    # Awkward API options (docs/simulator.md "Awkward API options"), all UNVERIFIED, off by default.
    "carts_per_application": False,      # carts are seen (listed, read, changed) only through the application that created them
    "checked_out_carts_unlisted": False,  # a checked-out (readOnly) cart leaves GET /order/cart (still readable by id)
    "accept_expired_checkout": False,    # checkout of a cart past its expire is accepted (default: 404 as for every call on it)
    # Spending alerts (alerting_api.py), UNVERIFIED, off by default:
    "alerting_lenient": False,           # accept any e-mail text and a threshold of 0 or less (default: 400)
    "alerting_expanded_listing": False,  # GET .../alerting answers X-Pagination-Mode with objects (default: ids, header ignored)
    "iam_tag_post_overwrites": False,    # POST /v2/iam/resource/{urn}/tag replaces a key's value (default: 409), iam_api.py
}
# Settings that take one of a few words.
CHOICE_DEFAULTS = {
    # What cloud.Alerting's ``email`` reads back (alerting_api.py): "empty" (""), "absent" (no such field), "shown".
    "alerting_email": ("empty", ("empty", "absent", "shown")),
}


class SimConfig:
    """Mutable settings; ``update`` validates a JSON patch."""

    def __init__(self, flavour="eu"):
        self.values = {}
        self.flavour = flavour
        self.offers = {}
        self.required_configuration = {}
        self.reset(flavour)

    def reset(self, flavour):
        """Back to the defaults."""
        self.values = dict(NUMBER_DEFAULTS, **INTEGER_DEFAULTS, **BOOLEAN_DEFAULTS)
        self.values.update({key: default for key, (default, _choices) in CHOICE_DEFAULTS.items()})
        self.flavour = flavour
        self.offers = {}                  # subsidiary -> list of offers (see catalog.default_offer)
        self.plan_options = {}            # project planCode -> list of options (see catalog.default_options)
        self.required_configuration = {}  # planCode -> list of {label, type, required, fields}
        self.values["openstack_regions"] = None  # list of region names, None: the flavour's default (openstack_state.py)

    def __getattr__(self, name):
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    def delay(self, name, account=None):
        """A delay, with the account's override when it has one."""
        if account is not None and name in account.delays:
            return account.delays[name]
        return self.values[name]

    def update(self, patch):
        """Apply a JSON patch; unknown keys or bad values -> 400."""
        if not isinstance(patch, dict):
            raise errors.bad_request("config body must be a JSON object")
        for key, value in patch.items():
            if key in NUMBER_DEFAULTS:
                self.values[key] = check_number(key, value)
            elif key in INTEGER_DEFAULTS:
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise errors.bad_request("%s must be a whole number, 0 or more" % key)
                self.values[key] = value
            elif key in BOOLEAN_DEFAULTS:
                if not isinstance(value, bool):
                    raise errors.bad_request("%s must be true or false" % key)
                self.values[key] = value
            elif key in CHOICE_DEFAULTS:
                choices = CHOICE_DEFAULTS[key][1]
                if value not in choices:
                    raise errors.bad_request("%s must be one of %s" % (key, ", ".join(choices)))
                self.values[key] = value
            elif key == "openstack_regions":
                if value is not None and not (isinstance(value, list) and all(isinstance(r, str) and r for r in value)):
                    raise errors.bad_request("openstack_regions must be a list of region names, or null")
                self.values[key] = value
            elif key == "flavour":
                if value not in ("eu", "us"):
                    raise errors.bad_request("flavour must be 'eu' or 'us'")
                self.flavour = value
            elif key == "offers":
                self.offers.update(check_offers(value))
            elif key == "required_configuration":
                self.required_configuration.update(check_requirements(value))
            elif key == "plan_options":
                self.plan_options.update(check_plan_options(value))
            else:
                raise errors.bad_request("unknown config key %r" % key)

    def dump(self):
        """JSON view of the settings."""
        result = dict(self.values)
        result.update({"flavour": self.flavour, "offers": self.offers, "required_configuration": self.required_configuration,
                       "plan_options": self.plan_options})
        return result


def check_number(key, value):
    """A non-negative number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise errors.bad_request("%s must be a non-negative number" % key)
    return float(value)


def check_delays(value):
    """Per-account delay overrides."""
    if not isinstance(value, dict):
        raise errors.bad_request("delays must be an object")
    for key in value:
        if key not in DELAY_KEYS:
            raise errors.bad_request("unknown delay %r (known: %s)" % (key, ", ".join(DELAY_KEYS)))
    return {key: check_number(key, val) for key, val in value.items()}


def check_offers(value):
    """{subsidiary: [ {planCode, productName?, productType?, prices: [{duration, pricingMode?, price?, ...}]} ]}."""
    if not isinstance(value, dict):
        raise errors.bad_request("offers must be an object keyed by subsidiary")
    for subsidiary, offers in value.items():
        if not isinstance(offers, list):
            raise errors.bad_request("offers[%s] must be a list" % subsidiary)
        for offer in offers:
            if not isinstance(offer, dict) or not isinstance(offer.get("planCode"), str) or not isinstance(offer.get("prices"), list):
                raise errors.bad_request("each offer needs planCode (string) and prices (list)")
            for pricing in offer["prices"]:
                if not isinstance(pricing, dict) or not isinstance(pricing.get("duration"), str):
                    raise errors.bad_request("each pricing needs a duration (string)")
    return value


def check_plan_options(value):
    """{project planCode: [ {planCode, family?, mandatory?, exclusive?, productName?, prices: [{duration, pricingMode?, price?}]} ]}."""
    if not isinstance(value, dict):
        raise errors.bad_request("plan_options must be an object keyed by the project's planCode")
    for plan, options in value.items():
        if not isinstance(options, list):
            raise errors.bad_request("plan_options[%s] must be a list" % plan)
        for option in options:
            if not isinstance(option, dict) or not isinstance(option.get("planCode"), str) or not isinstance(option.get("prices"), list):
                raise errors.bad_request("each option needs planCode (string) and prices (list)")
            for pricing in option["prices"]:
                if not isinstance(pricing, dict) or not isinstance(pricing.get("duration"), str):
                    raise errors.bad_request("each pricing needs a duration (string)")
    return value


def check_requirements(value):
    """{planCode: [ {label, type?, required?, fields?} ]}."""
    if not isinstance(value, dict):
        raise errors.bad_request("required_configuration must be an object keyed by planCode")
    for plan, reqs in value.items():
        if not isinstance(reqs, list) or not all(isinstance(r, dict) and isinstance(r.get("label"), str) for r in reqs):
            raise errors.bad_request("required_configuration[%s] must be a list of {label, type, required}" % plan)
    return value
