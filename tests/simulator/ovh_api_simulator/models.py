"""Plain data records held by the simulator state (no behaviour beyond tiny helpers)."""

import dataclasses
import datetime
import typing

ALL_METHODS = ("GET", "POST", "PUT", "DELETE")
FULL_ACCESS = [{"method": method, "path": "/*"} for method in ALL_METHODS]


@dataclasses.dataclass
class Application:
    """An API application (application key + secret) owned by an account."""

    key: str
    secret: str
    nichandle: str
    application_id: int


@dataclasses.dataclass
class ConsumerKey:
    """A consumer key (credential) bound to one application; ``rules`` are auth.AccessRule dicts."""

    key: str
    application_key: str
    nichandle: str
    credential_id: int
    rules: list
    created: datetime.datetime
    state: str = "validated"


@dataclasses.dataclass
class PaymentMethod:
    """A registered payment method (me.payment.PaymentMethod)."""

    payment_method_id: int
    payment_type: str
    status: str
    default: bool
    label: str
    created: datetime.datetime
    description: typing.Optional[str] = None


@dataclasses.dataclass
class Voucher:
    """A Public Cloud voucher code with a credit."""

    code: str
    credit: float
    used: bool = False
    payment_method_required: bool = True
    # the only subsidiary whose orders may use it (None: any)
    subsidiary: typing.Optional[str] = None


@dataclasses.dataclass
class Account:
    """A customer account (nichandle) and its settings."""

    nichandle: str
    subsidiary: str
    email: str
    quota: int = 10
    api_order_allowed: bool = True
    eligibility_actions: list = dataclasses.field(default_factory=list)
    delays: dict = dataclasses.field(default_factory=dict)
    payment_methods: dict = dataclasses.field(default_factory=dict)
    vouchers: dict = dataclasses.field(default_factory=dict)

    def valid_payment_methods(self):
        """Payment methods whose status is VALID."""
        return [pm for pm in self.payment_methods.values() if pm.status == "VALID"]

    def default_payment_method(self):
        """The default payment method if it is VALID, else None."""
        for method in self.payment_methods.values():
            if method.default and method.status == "VALID":
                return method
        return None


@dataclasses.dataclass
class ItemConfiguration:
    """order.cart.ConfigurationItem."""

    config_id: int
    label: str
    value: str


@dataclasses.dataclass
class CartItem:
    """order.cart.Item of a cart."""

    item_id: int
    plan_code: str
    duration: str
    pricing_mode: str
    quantity: int
    unit_price: float
    product_name: str
    configurations: dict = dataclasses.field(default_factory=dict)
    # an option item (POST /order/cart/{cartId}/cloud/options): the project item it belongs to (order.cart.Item.parentItemId)
    parent_item_id: typing.Optional[int] = None

    def config_value(self, label):
        """Value of the first configuration with this label, or None."""
        for conf in self.configurations.values():
            if conf.label == label:
                return conf.value
        return None


@dataclasses.dataclass
class Cart:
    """order.cart.Cart plus ownership."""

    cart_id: str
    subsidiary: str
    description: str
    expire: datetime.datetime
    owner: typing.Optional[str] = None
    read_only: bool = False
    # the application it was created through (X-Ovh-Application of POST /order/cart), else the one that assigned it
    application_key: typing.Optional[str] = None
    assigned_real: typing.Optional[float] = None  # real epoch seconds of its (first) assignment
    order_id: typing.Optional[int] = None
    items: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class OrderLine:
    """One order detail line (billing.OrderDetail + its billing.ItemDetail extension)."""

    detail_id: int
    kind: str  # "project", "extra" or "voucher"
    description: str
    detail_type: str
    plan_code: str
    duration: str
    pricing_mode: str
    quantity: int
    unit_price: float
    total_price: float
    product_name: str
    configurations: list
    item_id: typing.Optional[int] = None
    placeholder: str = "*001"
    project_id: typing.Optional[str] = None
    operation_id: typing.Optional[int] = None
    parent_item_id: typing.Optional[int] = None  # an "option" line: the cart item of its project line


@dataclasses.dataclass
class Order:
    """A checked-out order. ``events`` are (real epoch seconds, status) pairs, the status at t is the last event <= t."""

    order_id: int
    nichandle: str
    password: str
    date: datetime.datetime
    currency: str
    lines: list
    prices: dict
    cart_id: str
    events: list
    delays: dict
    voucher: typing.Optional[str] = None
    paid_with: typing.Optional[str] = None
    never_payable: typing.Optional[str] = None  # None, "stall" (payment never clears) or "refuse"
    projects_created: bool = False
    created_real: float = 0.0  # real epoch seconds of the checkout
    paid_real: typing.Optional[float] = None  # real epoch seconds the payment was registered (it clears later)
    fraud: typing.Optional[str] = None  # anti-fraud hold (lifecycle.FRAUD_LABELS) applied once the payment clears
    fraud_status: str = "checking"  # the order status while held (lifecycle.HELD_STATUSES)
    fraud_events: list = dataclasses.field(default_factory=list)  # (real epoch seconds, label) of the applied holds
    application_key: typing.Optional[str] = None  # the application that checked it out

    @property
    def total_without_tax(self):
        """Order total after reductions, without tax."""
        return self.prices["withoutTax"]

    @property
    def plan_codes(self):
        """Plan codes of the project lines."""
        return [line.plan_code for line in self.lines if line.kind == "project"]


@dataclasses.dataclass
class Project:
    """A Public Cloud project (cloud.ProjectWithIAM). Times ``*_real`` are real epoch seconds."""

    project_id: str
    nichandle: str
    description: typing.Optional[str]
    plan_code: str
    order_id: typing.Optional[int]
    creation_date: datetime.datetime
    visible_real: float
    ok_real: float
    iam_id: str
    manual_quota: bool = False
    status: typing.Optional[str] = None  # fixed status (seeded projects), else derived from ok_real
    # confirmed termination: "deleting" from deleting_real, "deleted" from deleted_real (real epoch seconds)
    deleting_real: typing.Optional[float] = None
    deleted_real: typing.Optional[float] = None
    service_id: typing.Optional[int] = None  # the id of the confirmTerminate link (allocated at the first terminate)
    options: list = dataclasses.field(default_factory=list)  # plan codes of the options ordered with it (certification.hds.2018)
    alerts: dict = dataclasses.field(default_factory=dict)  # id -> Alert (/cloud/project/{serviceName}/alerting)
    tags: dict = dataclasses.field(default_factory=dict)  # IAM tags of its resource (iam.ResourceMetadata.tags, /v2/iam/resource)


@dataclasses.dataclass
class Alert:
    """A spending alert of a project (cloud.Alerting): an e-mail when the month's consumption passes the threshold."""

    alert_id: str
    delay: int
    email: str
    monthly_threshold: int
    creation_date: datetime.datetime


@dataclasses.dataclass
class Email:
    """An e-mail the account received (nichandle.EmailNotification); listed once ``visible_real`` (real epoch) has passed."""

    email_id: int
    nichandle: str
    subject: str
    body: str
    date: datetime.datetime
    visible_real: float


@dataclasses.dataclass
class TerminationRequest:
    """A ``POST /cloud/project/{id}/terminate``: its token, e-mailed; ``valid`` until a newer request or the confirmation."""

    project_id: str
    nichandle: str
    token: str
    email_id: int
    requested_real: float
    valid: bool = True
    confirmed: bool = False
