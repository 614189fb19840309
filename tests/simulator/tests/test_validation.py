"""Schema-driven validation of bodies, query strings and path parameters (400 Client::BadRequest)."""

import ovh
import pytest

from sim_helpers import PLAN, add_project_item, new_cart

BadParameters = ovh.exceptions.BadParametersError


def test_price_mode_is_refused(demo, control):
    """The translated OVHcloud guides write priceMode; the schema field is pricingMode."""
    cart_id = new_cart(demo)
    with pytest.raises(BadParameters, match="priceMode"):
        demo.post("/order/cart/%s/cloud" % cart_id, planCode=PLAN, duration="P1M", priceMode="default", pricingMode="default", quantity=1)
    with pytest.raises(BadParameters, match="priceMode"):
        demo.post("/order/cart/%s/cloud" % cart_id, planCode=PLAN, duration="P1M", priceMode="default", quantity=1)
    assert demo.get("/order/cart/%s/item" % cart_id) == []
    assert [e["status"] for e in control.journal()[-3:]] == [400, 400, 200]


def test_missing_required_field_is_refused(demo):
    cart_id = new_cart(demo)
    with pytest.raises(BadParameters, match="pricingMode.*mandatory"):
        demo.post("/order/cart/%s/cloud" % cart_id, planCode=PLAN, duration="P1M", quantity=1)
    with pytest.raises(BadParameters, match="ovhSubsidiary"):
        demo.post("/order/cart", description="no subsidiary", _need_auth=False)
    with pytest.raises(BadParameters, match="Missing request body"):
        demo.post("/order/cart", _need_auth=False)


@pytest.mark.parametrize("field,value", [("quantity", "1"), ("quantity", 1.5), ("quantity", True), ("planCode", 2018),
                                         ("duration", "1 month"), ("duration", "P1X")])
def test_wrong_type_is_refused(demo, field, value):
    cart_id = new_cart(demo)
    body = {"planCode": PLAN, "duration": "P1M", "pricingMode": "default", "quantity": 1}
    body[field] = value
    with pytest.raises(BadParameters, match=field):
        demo.post("/order/cart/%s/cloud" % cart_id, **body)


def test_enum_and_datetime_are_checked(demo):
    with pytest.raises(BadParameters, match="OvhSubsidiaryEnum"):
        demo.post("/order/cart", ovhSubsidiary="US", _need_auth=False)  # EU endpoint: EU list only (its order.json)
    with pytest.raises(BadParameters, match="expire"):
        demo.post("/order/cart", ovhSubsidiary="FR", expire="tomorrow", _need_auth=False)
    with pytest.raises(BadParameters, match="future"):
        demo.post("/order/cart", ovhSubsidiary="FR", expire="2001-01-01T00:00:00+00:00", _need_auth=False)
    cart = demo.post("/order/cart", ovhSubsidiary="FR", expire="2999-01-01T00:00:00Z", _need_auth=False)
    assert cart["expire"] == "2999-01-01T01:00:00+01:00"  # Paris local time, same instant


def test_unknown_or_mistyped_query_parameter_is_refused(demo):
    with pytest.raises(BadParameters, match="colour"):
        demo.get("/order/cart", colour="blue")
    with pytest.raises(BadParameters, match="default"):
        demo.get("/me/payment/method", default="yes")
    with pytest.raises(BadParameters, match="status"):
        demo.get("/me/payment/method", status="valid")
    with pytest.raises(BadParameters, match="date.from"):
        demo.get("/me/order?date.from=yesterday")
    assert demo.get("/me/payment/method", default=True)
    assert demo.get("/me/payment/method", default=False) == []


def test_path_parameter_types_and_unknown_urls(demo):
    cart_id = new_cart(demo)
    with pytest.raises(BadParameters, match="itemId"):
        demo.get("/order/cart/%s/item/abc" % cart_id)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="invalid"):
        demo.get("/order/cart/%s/nothing" % cart_id)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="invalid"):
        demo.delete("/me")
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="not implemented by the simulator"):
        demo.get("/order/cart/%s/coupon" % cart_id)


def test_read_only_and_unknown_fields_of_cloud_project_put(demo, control):
    project_id = control.post("/_sim/accounts/xx1111-ovh/projects", {"description": "seeded"})[0]
    with pytest.raises(BadParameters, match="read-only"):
        demo.put("/cloud/project/%s" % project_id, status="ok")
    with pytest.raises(BadParameters, match="name"):
        demo.put("/cloud/project/%s" % project_id, name="x")
    with pytest.raises(BadParameters, match="manualQuota"):
        demo.put("/cloud/project/%s" % project_id, manualQuota="yes")
    demo.put("/cloud/project/%s" % project_id, description=None, manualQuota=True)
    project = demo.get("/cloud/project/%s" % project_id)
    assert project["description"] is None and project["manualQuota"] is True


def test_named_body_parameters_and_bodyless_operations(demo):
    cart_id = new_cart(demo)
    with pytest.raises(BadParameters, match="force"):
        demo.post("/order/cart/%s/assign" % cart_id, force=True)
    with pytest.raises(BadParameters, match="paymentMethod"):
        demo.post("/me/order/1/pay")
    with pytest.raises(BadParameters, match="paymentMean"):
        demo.post("/me/order/1/payWithRegisteredPaymentMean", paymentMean="gold")


def test_offer_rules(demo, control):
    cart_id = new_cart(demo)
    with pytest.raises(BadParameters, match="project.2099.*not available"):
        demo.post("/order/cart/%s/cloud" % cart_id, planCode="project.2099", duration="P1M", pricingMode="default", quantity=1)
    with pytest.raises(BadParameters, match="P1Y"):
        demo.post("/order/cart/%s/cloud" % cart_id, planCode=PLAN, duration="P1Y", pricingMode="default", quantity=1)
    with pytest.raises(BadParameters, match="Quantity"):
        demo.post("/order/cart/%s/cloud" % cart_id, planCode=PLAN, duration="P1M", pricingMode="default", quantity=2)
    control.post("/_sim/config", {"offers": {"FR": []}})
    assert demo.get("/order/cart/%s/cloud" % cart_id) == []
    with pytest.raises(BadParameters, match="not available for product cloud in subsidiary FR"):
        add_project_item(demo, cart_id)
    assert len(demo.get("/order/cart/%s/cloud" % new_cart(demo, subsidiary="DE"))) == 1


def test_configuration_label_must_be_required_configuration(demo, control):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(BadParameters, match="region"):
        demo.post("/order/cart/%s/item/%d/configuration" % (cart_id, item_id), label="region", value="GRA")
    with pytest.raises(BadParameters, match="value.*mandatory"):
        demo.post("/order/cart/%s/item/%d/configuration" % (cart_id, item_id), label="description")
    control.post("/_sim/config", {"required_configuration": {PLAN: [{"label": "region", "type": "string", "required": True}]}})
    assert demo.get("/order/cart/%s/item/%d/requiredConfiguration" % (cart_id, item_id)) == [
        {"fields": None, "label": "region", "required": True, "type": "string"}]
    demo.post("/order/cart/%s/item/%d/configuration" % (cart_id, item_id), label="region", value="GRA")


def test_wrong_boolean_and_text_types_are_refused(demo, control):
    cart_id = new_cart(demo)
    item_id = add_project_item(demo, cart_id)
    with pytest.raises(BadParameters, match="value"):
        demo.post("/order/cart/%s/item/%d/configuration" % (cart_id, item_id), label="description", value=5)
    with pytest.raises(BadParameters, match="autoPayWithPreferredPaymentMethod"):
        demo.post("/order/cart/%s/checkout" % cart_id, autoPayWithPreferredPaymentMethod="yes")
    with pytest.raises(BadParameters, match="paymentMethod.id"):
        demo.post("/me/order/1/pay", paymentMethod={"id": "1"})
    assert control.state()["orders"] == []
