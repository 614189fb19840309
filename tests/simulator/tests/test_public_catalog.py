"""GET /order/catalog/public/cloud?ovhSubsidiary= (BETA, no auth): order.catalog.public.Catalog from the cart's offers."""

import ovh
import pytest

from ovh_api_simulator import catalog
from shape_helpers import REGISTRY, assert_shape
from sim_helpers import DEMO_KEYS, DEMO_NIC, PLAN, make_client, new_cart

PATH = "/order/catalog/public/cloud"
HDS = "certification.hds.2018"
MODELS = REGISTRY.files["order-cart.json"]["models"]
US_ENUMS = {"nichandle.OvhSubsidiaryEnum": list(catalog.US_SUBSIDIARIES)}


def public_catalog(client, subsidiary, enums=None, **extra):
    """Unsigned GET of the catalog, checked recursively against order.catalog.public.Catalog."""
    value = client.get(PATH, _need_auth=False, ovhSubsidiary=subsidiary, **extra)
    assert_shape(value, "order.catalog.public.Catalog", MODELS, "catalog", enums=enums)
    return value


def cart_offers(client, subsidiary):
    """The offers GET /order/cart/{cartId}/cloud lists for a subsidiary."""
    return client.get("/order/cart/%s/cloud" % new_cart(client, subsidiary=subsidiary, assign=False), _need_auth=False)


def test_operation_is_the_schema_one():
    op, _params = REGISTRY.match("GET", PATH, "eu")
    assert op.no_auth and op.response_type == "order.catalog.public.Catalog"
    assert op.query_params["ovhSubsidiary"]["required"] and op.query_params["ovhSubsidiary"]["dataType"] == "nichandle.OvhSubsidiaryEnum"


def test_default_catalog(demo):
    value = public_catalog(demo, "FR")
    assert value["locale"] == {"currencyCode": "EUR", "subsidiary": "FR", "taxRate": 20}
    assert value["planFamilies"] == [] and isinstance(value["catalogId"], int)
    assert [p["name"] for p in value["products"]] == ["cloud"]
    (plan,) = value["plans"]
    assert (plan["planCode"], plan["invoiceName"], plan["product"], plan["pricingType"]) == (PLAN, "Public Cloud Project", "cloud", "rental")
    assert plan["consumptionConfiguration"] is None
    # the plan's option (the HDS certification the cart's GET .../cloud/options lists), and its plan among the addons
    assert plan["addonFamilies"] == [{"addons": [HDS], "default": None, "exclusive": False, "mandatory": False,
                                      "name": "certification"}]
    (addon,) = value["addons"]
    assert (addon["planCode"], addon["family"], addon["invoiceName"], addon["product"]) == (HDS, "certification", "HDS certification", "cloud")
    assert addon["addonFamilies"] == [] and addon["configurations"] == []
    assert [(p["capacities"], p["price"], p["intervalUnit"]) for p in addon["pricings"]] == [
        (["installation"], 0, "none"), (["renew"], 0, "month")]
    assert [(c["name"], c["isMandatory"]) for c in plan["configurations"]] == [("description", False), ("voucher", False), ("vrack", False)]
    setup, monthly = plan["pricings"]
    assert monthly == {
        "capacities": ["renew"], "commitment": 0, "description": "Public Cloud Project monthly fees",
        "engagementConfiguration": None, "interval": 1, "intervalUnit": "month", "mode": "default", "mustBeCompleted": False,
        "phase": 1, "price": 0, "promotions": [], "quantity": {"max": 1, "min": 1}, "repeat": {"max": None, "min": 1},
        "strategy": "tiered", "tax": 0, "type": "rental"}
    # Like a real catalog, the installation capacity is a pricing of its own (phase 0, once), here without setup fee.
    assert setup == dict(monthly, capacities=["installation"], description="Public Cloud Project monthly fees (only applicable for 1 time)",
                         interval=0, intervalUnit="none", phase=0, repeat={"max": 1, "min": 1})
    assert demo.get(PATH, ovhSubsidiary="FR") == value  # signed calls are accepted too


def test_config_offers_prices_and_tax_show_in_catalog_and_cart(demo, control):
    offer = {"planCode": PLAN, "productName": "Public Cloud Project",
             "prices": [{"duration": "P1M", "pricingMode": "default", "price": 12.34},
                        {"duration": "P1Y", "pricingMode": "upfront12", "price": 120, "capacities": ["renew"], "maximumQuantity": None}]}
    control.post("/_sim/config", {"offers": {"FR": [offer]}, "tax_rate": 0.1,
                                  "required_configuration": {PLAN: [{"label": "description", "required": True}]}})
    value = public_catalog(demo, "FR")
    assert value["locale"]["taxRate"] == 10
    (plan,) = value["plans"]
    setup, monthly, yearly = plan["pricings"]
    assert (setup["capacities"], setup["price"], setup["tax"], setup["mode"]) == (["installation"], 0, 0, "default")
    assert (monthly["capacities"], monthly["price"], monthly["tax"], monthly["mode"]) == (["renew"], 1234000000, 123400000, "default")
    assert (yearly["price"], yearly["tax"], yearly["mode"]) == (12000000000, 1200000000, "upfront12")
    assert (yearly["interval"], yearly["intervalUnit"], yearly["commitment"], yearly["quantity"]["max"]) == (12, "month", 12, None)
    assert plan["configurations"] == [{"isCustom": True, "isMandatory": True, "name": "description", "values": None}]
    # What a client reading the catalog (renew pricings, installation ones skipped) sees is what the cart charges.
    renew = [p for p in plan["pricings"] if "installation" not in p["capacities"]]
    in_cart = cart_offers(demo, "FR")[0]["prices"]
    assert [(p["pricingMode"], p["priceInUcents"]) for p in in_cart] == [(p["mode"], p["price"]) for p in renew]


def test_config_options_show_in_catalog_and_cart(demo, control):
    """The options set through /_sim/config are the plan's addon families and the catalog's addons, as the cart lists them."""
    control.post("/_sim/config", {"plan_options": {PLAN: [
        {"planCode": HDS, "family": "certification", "productName": "HDS", "prices": [{"duration": "P1M", "price": 5}]},
        {"planCode": "certification.pci-dss", "family": "certification", "prices": [{"duration": "P1M"}]},
        {"planCode": "support.business", "family": "support", "mandatory": True, "exclusive": True,
         "prices": [{"duration": "P1M", "price": 1.5}]},
    ]}})
    value = public_catalog(demo, "FR")
    assert value["plans"][0]["addonFamilies"] == [
        {"addons": [HDS, "certification.pci-dss"], "default": None, "exclusive": False, "mandatory": False, "name": "certification"},
        {"addons": ["support.business"], "default": "support.business", "exclusive": True, "mandatory": True, "name": "support"},
    ]
    addons = dict((a["planCode"], a) for a in value["addons"])
    assert sorted(addons) == sorted([HDS, "certification.pci-dss", "support.business"])
    assert [p["price"] for p in addons["support.business"]["pricings"] if "renew" in p["capacities"]] == [150000000]
    assert (addons[HDS]["invoiceName"], addons["support.business"]["family"]) == ("HDS", "support")
    in_cart = demo.get("/order/cart/%s/cloud/options" % new_cart(demo), planCode=PLAN)
    families = value["plans"][0]["addonFamilies"]
    assert sorted(o["planCode"] for o in in_cart) == sorted(code for f in families for code in f["addons"])
    control.post("/_sim/config", {"plan_options": {PLAN: []}})
    without = public_catalog(demo, "FR")
    assert without["plans"][0]["addonFamilies"] == [] and without["addons"] == []


def test_subsidiary_without_offers_and_currency(demo, control):
    control.post("/_sim/config", {"offers": {"DE": []}})
    value = public_catalog(demo, "DE")
    assert value["plans"] == [] and value["products"] == [] and cart_offers(demo, "DE") == []
    gb_catalog = public_catalog(demo, "GB")
    assert gb_catalog["locale"]["currencyCode"] == "GBP" and gb_catalog["plans"][0]["planCode"] == PLAN


def test_query_is_validated(demo):
    bad = ovh.exceptions.BadParametersError
    with pytest.raises(bad, match="ovhSubsidiary.*mandatory"):
        demo.get(PATH, _need_auth=False)
    for subsidiary in ("XX", "US", "fr", ""):
        with pytest.raises(bad, match="OvhSubsidiaryEnum"):
            demo.get(PATH, _need_auth=False, ovhSubsidiary=subsidiary)
    with pytest.raises(bad, match="Unknown query parameter"):
        demo.get(PATH, _need_auth=False, ovhSubsidiary="FR", planCode=PLAN)


def test_us_flavour(sim, control):
    control.post("/_sim/config", {"flavour": "us"})
    control.post("/_sim/accounts/%s/settings" % DEMO_NIC, {"subsidiary": "US"})
    client = make_client(sim.base_url, *DEMO_KEYS)
    value = public_catalog(client, "US", enums=US_ENUMS)
    assert value["locale"]["currencyCode"] == "USD" and [p["planCode"] for p in value["plans"]] == ["project"]
    assert public_catalog(client, "FR", enums=US_ENUMS)["plans"] == []
    with pytest.raises(ovh.exceptions.BadParametersError, match="OvhSubsidiaryEnum"):
        client.get(PATH, _need_auth=False, ovhSubsidiary="IN")


def test_shape_checker_catches_catalog_mistakes(demo):
    value = demo.get(PATH, _need_auth=False, ovhSubsidiary="FR")
    pricing = value["plans"][0]["pricings"][0]
    broken = [
        dict(value, extra=1),
        {k: v for k, v in value.items() if k != "planFamilies"},
        dict(value, catalogId="1"),
        dict(value, locale=dict(value["locale"], subsidiary="US")),
        dict(value, plans=[dict(value["plans"][0], pricings=[dict(pricing, price=1.5)])]),
        dict(value, plans=[dict(value["plans"][0], pricings=[dict(pricing, tax=True)])]),
        dict(value, plans=[dict(value["plans"][0], pricings=[dict(pricing, intervalUnit="months")])]),
        dict(value, plans=[dict(value["plans"][0], pricings=[{k: v for k, v in pricing.items() if k != "engagementConfiguration"}])]),
        dict(value, plans=[dict(value["plans"][0], product=None)]),
        dict(value, plans=[dict(value["plans"][0], addonFamilies=[{"name": "certification", "addons": "x"}])]),
        dict(value, plans=[dict(value["plans"][0], addonFamilies=[dict(value["plans"][0]["addonFamilies"][0], name=None)])]),
        dict(value, addons=[dict(value["addons"][0], pricings=None)]),
    ]
    for candidate in broken:
        with pytest.raises(AssertionError):
            assert_shape(candidate, "order.catalog.public.Catalog", MODELS, "catalog")
