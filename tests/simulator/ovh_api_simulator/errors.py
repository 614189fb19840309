"""Error bodies of the OVHcloud API v1, in the two shapes the real API uses.

Auth layer: ``{"errorCode": ..., "httpCode": ..., "message": ...}`` (python-ovh client.py ``call``).
Application layer: ``{"class": "Client::NotFound", "message": ...}`` (terraform-provider-ovh #1377).
"""

HTTP_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    460: "Gone",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# Application-layer class and default message per status, used for faults without an explicit body.
# 503 message: python-ovh #47 ("Service is temporarily unavailable"); others UNVERIFIED wording.
# 429: OVHcloud throttles the API v1 per consumer key, limits undocumented ("fair use", about 60 requests a minute:
# python-ovh #81); the OVHcloud support page "Public Cloud API Rate Limits" shows only the OpenStack APIs' 429 body,
# {"error": {"status": "429 Too Many Requests", "message": "Too Many Requests"}}. The v1 body and whether it carries
# Retry-After are UNVERIFIED: the application-layer shape below, and no Retry-After unless the fault asks for one
# (retry_after / headers); a fault can give the OpenStack body with "body".
DEFAULT_CLASS_BODIES = {
    400: ("Client::BadRequest", "Bad request"),
    401: ("Client::Unauthorized", "You must login first"),
    403: ("Client::Forbidden", "You are not allowed to perform this action"),
    404: ("Client::NotFound", "This service does not exist"),
    409: ("Client::Conflict", "Conflict"),
    429: ("Client::TooManyRequests", "Too many requests"),
    460: ("Client::Gone", "This service is expired"),
    500: ("Server::InternalServerError", "Internal server error"),
    501: ("Server::NotImplemented", "Not implemented"),
    502: ("Server::BadGateway", "Bad gateway"),
    503: ("Server::ServiceUnavailable", "Service is temporarily unavailable"),
    504: ("Server::GatewayTimeout", "Gateway timeout"),
}


class ApiError(Exception):
    """An API error: HTTP status plus the JSON body to send."""

    def __init__(self, status, body):
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body


def class_error(status, cls, message):
    """Application-layer error (``class`` + ``message``)."""
    return ApiError(status, {"class": cls, "message": message})


def bad_request(message):
    """400 Client::BadRequest."""
    return class_error(400, "Client::BadRequest", message)


def not_found(message="This service does not exist"):
    """404 Client::NotFound; default message from terraform-provider-ovh #1377."""
    return class_error(404, "Client::NotFound", message)


def forbidden(message):
    """403 Client::Forbidden (no errorCode, so python-ovh raises a plain APIError, python-ovh #141)."""
    return class_error(403, "Client::Forbidden", message)


def conflict(message):
    """409 Client::Conflict."""
    return class_error(409, "Client::Conflict", message)


def expired(message=DEFAULT_CLASS_BODIES[460][1]):
    """460 (python-ovh ResourceExpiredError): a service that is gone or suspended. terraform-provider-ovh treats 404 or 460
    on terminate as "nothing to terminate" (terraform-provider-ovh ovh/order.go); the class name is UNVERIFIED."""
    return class_error(460, DEFAULT_CLASS_BODIES[460][0], message)


def internal_error(message="Internal server error"):
    """500 Server::InternalServerError (terraform-provider-ovh #819)."""
    return class_error(500, "Server::InternalServerError", message)


def invalid_url():
    """Unknown path or method. UNVERIFIED wording; shape is the application layer's."""
    return class_error(404, "Client::NotFound", "Got an invalid (or empty) URL")


def object_not_found(name, value):
    """404 for a missing object named by its path parameter."""
    return not_found("The requested object (%s = %s) does not exist" % (name, value))


def auth_error(status, code, message):
    """Auth-layer error (``errorCode`` + ``httpCode`` + ``message``)."""
    return ApiError(status, {"errorCode": code, "httpCode": "%d %s" % (status, HTTP_REASONS[status]), "message": message})


def invalid_key():
    """Unknown application key (python-ovh -> InvalidKey).

    Live API: 403 INVALID_KEY "This application key is invalid" (ovh/swift-ovh Tests/OVHAPIWrapperTests.swift, OVHcloud's
    own SDK tests run against eu.api.ovh.com with application key "x").
    """
    return auth_error(403, "INVALID_KEY", "This application key is invalid")


def not_credential():
    """A consumer key the API does not know, or one of another application (python-ovh -> NotCredential).

    Live API: 403 NOT_CREDENTIAL "This credential does not exist" (ovh/swift-ovh Tests/OVHAPIWrapperTests.swift with consumer
    key "x"; toorop/ovh-cli #10 prints the same code and message; baarde/cert-manager-webhook-ovh #5: "This credential does not
    exist" for a consumer key not linked to the application).
    """
    return auth_error(403, "NOT_CREDENTIAL", "This credential does not exist")


def invalid_credential():
    """A known consumer key that cannot be used: expired, not validated yet, or refused (python-ovh -> InvalidCredential).

    Live API, expired key: 403 INVALID_CREDENTIAL "This credential is not valid" (ovh/php-ovh-sms #37, a key that worked for a
    few days). Not validated yet: the same answer in ovh/php-ovh #56 (a key used right after requesting it); UNVERIFIED, and
    ovh/php-ovh #62 saw "Invalid signature" in that situation. Refused: UNVERIFIED.
    """
    return auth_error(403, "INVALID_CREDENTIAL", "This credential is not valid")


def login_first():
    """A call to an authenticated operation without a consumer key (no ``X-Ovh-Consumer`` header, or an empty one).

    Live API: 401 "You must login first" (ovh/go-ovh #70: a go-ovh client without credentials sends no X-Ovh-* header;
    ovh/node-ovh #20: node-ovh left X-Ovh-Consumer out of /auth/* calls). python-ovh raises a plain APIError for a 401.
    UNVERIFIED: the body shape. Only ``message`` is known; a 401 of the auth layer seen by ovh/php-ovh #87 had nothing else
    (``{"message": "You must send your application key to request new credentials"}``), so no ``errorCode`` or ``class``.
    """
    return ApiError(401, {"message": "You must login first"})


def invalid_signature():
    """Signature mismatch (auth layer, as python-ovh's tests answer it)."""
    return auth_error(400, "INVALID_SIGNATURE", "Invalid signature")


def query_time_out():
    """Timestamp too far from server time. UNVERIFIED: errorCode QUERY_TIME_OUT is folklore (no public source)."""
    return auth_error(400, "QUERY_TIME_OUT", "Query out of time")


def not_granted_call():
    """Call outside the consumer key's access rules (python-ovh -> NotGrantedCall)."""
    return auth_error(403, "NOT_GRANTED_CALL", "This call has not been granted")


def default_body_for_status(status):
    """The body a fault of this status carries when the fault gives none."""
    cls, message = DEFAULT_CLASS_BODIES.get(status, ("Server::InternalServerError", "Internal server error"))
    if status < 400:
        return None
    return {"class": cls, "message": message}
