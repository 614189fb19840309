"""Process one ``/1.0`` request: route by schema, authenticate, validate path/query/body, run the handler."""

import sys
import traceback

from . import alerting_api, auth, auth_api, cart_api, catalog, catalog_api, checkout_api, cloud_api, email_api, errors, lifecycle
from . import order_api
from . import openstack_api
from .context import RequestContext
from .pagination import Answer
from .schema import SchemaRegistry, Validator, convert_path_params, parse_body, parse_query

ROUTES = {}
for _module in (auth_api, cart_api, catalog_api, checkout_api, order_api, cloud_api, email_api, alerting_api):
    ROUTES.update(_module.ROUTES)
ROUTES.update(openstack_api.ROUTES)


def answer_of(payload, caller, signed):
    """(status, body, nichandle, signed, headers) of what a route's handler returned."""
    if isinstance(payload, Answer):
        return 200, payload.payload, caller.nichandle, signed, payload.headers
    return 200, payload, caller.nichandle, signed, {}


def failure_of(exc, caller, signed):
    """(status, body, nichandle, signed, headers) of an exception raised while answering: the API's error, or a 500."""
    nichandle = caller.nichandle if caller else None
    if isinstance(exc, errors.ApiError):
        return exc.status, exc.body, nichandle, signed, {}
    traceback.print_exc(file=sys.stderr)
    return 500, errors.internal_error("simulator error: %s" % exc).body, nichandle, signed, {}


class ApiRequest:  # pylint: disable=too-few-public-methods
    """The raw pieces of an HTTP request the API needs."""

    def __init__(self, method, url, api_path, raw_query, headers, raw_body):
        self.method = method
        self.url = url
        self.api_path = api_path
        self.raw_query = raw_query
        self.headers = headers
        self.raw_body = raw_body


class Dispatcher:
    """Routes API requests to handlers; ``process`` returns (status, payload, nichandle, signed, response headers)."""

    def __init__(self, store, registry=None):
        self.store = store
        self.registry = registry or SchemaRegistry()

    def enum_overrides(self):
        """US flavour: ovhSubsidiary accepts the US endpoint's list (https://api.us.ovhcloud.com/1.0/order.json)."""
        if self.store.config.flavour == "us":
            return {"nichandle.OvhSubsidiaryEnum": list(catalog.US_SUBSIDIARIES)}
        return {}

    def process(self, request):
        """Run a request with the state locked."""
        store = self.store
        caller = None
        signed = request.headers.get("X-Ovh-Signature") is not None
        with store.lock:
            now_real = store.clock.real()
            lifecycle.tick(store, now_real)
            try:
                op, params = self.registry.match(request.method, request.api_path, store.config.flavour)
                caller = auth.authenticate(store, request.headers, request.method, request.url, request.api_path, request.raw_body, op)
                handler = ROUTES.get(op.key)
                if handler is None:
                    raise errors.not_found("%s %s exists in the OVH API but is not implemented by the simulator" % op.key)
                validator = Validator(op.models, self.enum_overrides())
                path_params = convert_path_params(op, params)
                query = parse_query(request.raw_query, op, validator)
                body = parse_body(request.raw_body, op, validator, request.headers.get("Content-Type"))
                ctx = RequestContext(store, caller, op, path_params, query, body, now_real, request.headers)
                return answer_of(handler(ctx), caller, signed)
            except Exception as exc:  # pylint: disable=broad-except
                return failure_of(exc, caller, signed)
