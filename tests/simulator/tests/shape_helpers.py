"""Strict structural check of API output against the bundled schema models (shared by the shape self-tests)."""

from ovh_api_simulator.schema import DURATION_RE, SchemaRegistry, parse_datetime

REGISTRY = SchemaRegistry()
PRIMITIVES = {"string": str, "password": str, "text": str, "uuid": str, "long": int, "double": (int, float), "boolean": bool}


def assert_shape(value, type_name, models, where, nullable=False, enums=None):
    """Recursively check ``value`` against schema type ``type_name``.

    Objects must have exactly the model's keys (none unknown, none missing), each of the right type; null only where
    ``canBeNull``; enum values from the model, or from ``enums`` (enum name -> values, e.g. the US subsidiary list).
    """
    enums = enums or {}
    if value is None:
        assert nullable, "%s is null but not nullable" % where
        return
    if type_name.endswith("[]"):
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            assert_shape(item, type_name[:-2], models, "%s[%d]" % (where, index), enums=enums)
    elif type_name.startswith("map[string]"):
        assert isinstance(value, dict), where
    elif type_name in PRIMITIVES:
        assert isinstance(value, PRIMITIVES[type_name]) and not (type_name != "boolean" and isinstance(value, bool)), (where, value)
    elif type_name == "datetime":
        assert parse_datetime(value) is not None, (where, value)
    elif type_name == "duration":
        assert DURATION_RE.match(value), (where, value)
    elif "enum" in models[type_name] and models[type_name].get("enumType") == "long":
        # a long enum lists its values as text (cloud.AlertingDelayEnum); the answer carries the number
        assert isinstance(value, int) and str(value) in models[type_name]["enum"], (where, value, type_name)
    elif "enum" in models[type_name]:
        assert value in enums.get(type_name, models[type_name]["enum"]), (where, value, type_name)
    else:
        props = models[type_name]["properties"]
        assert isinstance(value, dict) and set(value) == set(props), (where, sorted(set(value) ^ set(props)))
        for key, prop in props.items():
            assert_shape(value[key], prop["type"], models, "%s.%s" % (where, key), bool(prop.get("canBeNull")), enums)
