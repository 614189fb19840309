"""``/cloud/project``, ``/cloud/order`` and ``/cloud/eligibility`` routes."""

import copy

from . import catalog, errors, lifecycle, pagination, termination
from .clock import iso

# cloud.order.StatusEnum is delivered|delivering|unknown|unpaid (cloud.json).
# documentsRequested (an order held by anti-fraud, control API): "delivering" too (UNVERIFIED).
CLOUD_ORDER_STATUS = {"notPaid": "unpaid", "checking": "delivering", "documentsRequested": "delivering", "delivering": "delivering",
                      "delivered": "delivered"}
AUTHORIZED_PAYMENT_METHODS = ["bankAccount", "creditCard", "paypal", "sepaDirectDebit"]


def own_project(ctx):
    """The caller's visible project; otherwise 404 "This service does not exist" (tf #1377), also during the 404 window
    and once a deleted project is gone (after ``project_deleted_retention``)."""
    project = ctx.store.projects.get(ctx.params["serviceName"])
    if (project is None or project.nichandle != ctx.account.nichandle or not lifecycle.project_visible(project, ctx.now_real)
            or lifecycle.project_gone(project, ctx.now_real, ctx.config.project_deleted_retention)):
        raise errors.not_found("This service does not exist")
    return project


def live_project(ctx, refused=("deleting", "deleted")):
    """The caller's project, unless its status is one of ``refused``: 460 "This service is expired" (python-ovh
    ResourceExpiredError). Reference, "Terminating a project": terraform treats 404 or 460 on terminate as "nothing to
    terminate (already gone or suspended)". UNVERIFIED for the other calls (rename, confirmation): the same answer."""
    project = own_project(ctx)
    if lifecycle.project_status(project, ctx.now_real) in refused:
        raise errors.expired()
    return project


def list_projects(ctx):
    """GET /cloud/project -> string[]; a project in its 404 window is not listed yet (stricter choice).

    With ``X-Pagination-Mode: CachedObjectList-Pages`` (the expanded listing of OVHcloud's web console, reference
    "Pagination / batching"): a page of the same projects as full cloud.ProjectWithIAM objects (pagination.py).
    """
    if "iamTags" in ctx.query:
        raise errors.bad_request("[iamTags] filtering by IAM tags is not supported by the simulator")
    # A deleted project is still listed, with status "deleted", for project_deleted_retention (UNVERIFIED).
    retention = ctx.config.project_deleted_retention
    projects = [p for p in ctx.store.projects_of(ctx.account.nichandle)
                if lifecycle.project_visible(p, ctx.now_real) and not lifecycle.project_gone(p, ctx.now_real, retention)]
    if pagination.expanded(ctx):
        if ctx.config.project_listing_cache:
            return pagination.page(ctx, cached_views(ctx, projects))
        return pagination.page(ctx, projects, lambda project: project_view(ctx, project))
    return [p.project_id for p in projects]


def cached_views(ctx, projects):
    """``project_listing_cache`` (0, off, by default): the expanded listing comes from the account's snapshot of its project
    objects, taken at most that many seconds ago, as they were then (a project created or renamed since is missing or has
    its old description); a request with ``Pragma: no-cache`` gets fresh objects and refreshes the snapshot.

    Reference "Newer facts", "Cached listings": the CachedObjectList modes are served from a server-side cache that
    OVHcloud's console bypasses with ``Pragma: no-cache`` (ovh/manager ``packages/manager/core/api/src/iceberg.ts``
    ``setDisabledCache``; ovh-ux/ng-ovh-api-wrappers ``buildCacheCleaning``). How stale it can be is UNVERIFIED."""
    snapshots = ctx.store.project_snapshots
    nichandle = ctx.account.nichandle
    taken = snapshots.get(nichandle)
    if taken is None or pagination.no_cache(ctx) or ctx.now_real >= taken[0] + ctx.config.project_listing_cache:
        taken = (ctx.now_real, [project_view(ctx, project) for project in projects])
        snapshots[nichandle] = taken
    return copy.deepcopy(taken[1])


def get_project(ctx):
    """GET /cloud/project/{serviceName} -> cloud.ProjectWithIAM."""
    return project_view(ctx, own_project(ctx))


def project_view(ctx, project):
    """A project as cloud.ProjectWithIAM (its own read, and each object of the expanded listing)."""
    region = "us" if ctx.config.flavour == "us" else "eu"
    return {
        "access": "full", "creationDate": iso(project.creation_date), "description": project.description, "expiration": None,
        # iam.tags: the tags of the project's IAM resource, set through the API v2 (iam_api.py), one state for both
        "iam": {"displayName": project.description or project.project_id, "id": project.iam_id, "tags": dict(sorted(project.tags.items())),
                "urn": "urn:v1:%s:resource:publicCloudProject:%s" % (region, project.project_id)},
        "manualQuota": project.manual_quota, "orderId": project.order_id, "planCode": project.plan_code,
        "projectName": project.description, "project_id": project.project_id,
        "status": lifecycle.project_status(project, ctx.now_real), "unleash": False,
    }


def update_project(ctx):
    """PUT /cloud/project/{serviceName} -- body cloud.Project, writable fields only (description, manualQuota; the read-only
    and unknown ones are refused by schema.Validator) -> void (null). Renaming is terraform's resourceCloudProjectUpdate
    (terraform-provider-ovh ovh/order.go, orderDelete). A project being deleted or deleted: 460 (live_project, UNVERIFIED)."""
    project = live_project(ctx)
    if "description" in ctx.body:
        project.description = ctx.body["description"]
    if "manualQuota" in ctx.body:
        project.manual_quota = ctx.body["manualQuota"]


def terminate_project(ctx):
    """POST /cloud/project/{serviceName}/terminate (no body) -> string; the token is e-mailed to the account
    (termination.request_termination). Unknown, another account's or gone: 404; deleting, deleted or suspended: 460
    (terraform-provider-ovh ovh/order.go: 404 or 460 = nothing to terminate, already gone or suspended)."""
    project = live_project(ctx, refused=("deleting", "deleted", "suspended"))
    termination.request_termination(ctx.store, project, ctx.now_real)
    # UNVERIFIED wording (the schema says only "string").
    return "A termination token has been sent by e-mail to the administrator of service %s" % project.project_id


def confirm_project_termination(ctx):
    """POST /cloud/project/{serviceName}/confirmTermination {token (required), reason, futureUse, commentary} -> string.
    The body's names, types and enums are checked by schema.parse_body (service.TerminationReasonEnum,
    service.TerminationFutureUseEnum). A right token: "deleting", then "deleted" (terraform-provider-ovh ovh/order.go, orderDelete); a wrong
    one: 400 (termination.confirm_termination, UNVERIFIED). Deleting, deleted or suspended: 460 as terminate."""
    project = live_project(ctx, refused=("deleting", "deleted", "suspended"))
    termination.confirm_termination(ctx.store, project, ctx.body["token"])
    lifecycle.start_deletion(ctx.store, project, ctx.now_real)
    # UNVERIFIED wording (the schema says only "string").
    return "Service %s will be terminated" % project.project_id


def list_cloud_orders(ctx):
    """GET /cloud/order?planCode= -> cloud.order.Order[] of project orders not yet delivered (delivered ones for a while);
    the expanded listing's headers page it (pagination.py)."""
    wanted = ctx.query.get("planCode")
    result = []
    for order in ctx.store.orders_of(ctx.account.nichandle):
        if not lifecycle.listed_order(ctx.store, order, ctx.now_real):
            continue
        status = lifecycle.order_status(order, ctx.now_real)
        if status not in CLOUD_ORDER_STATUS:
            continue  # cancelled/cancelling orders are dropped (UNVERIFIED)
        if status == "delivered" and ctx.now_real > lifecycle.event_time(order, "delivered") + ctx.config.delivered_retention:
            continue
        for line in order.lines:
            if line.kind != "project" or (wanted is not None and line.plan_code != wanted):
                continue
            service = line.project_id if status == "delivered" else None
            result.append({"date": iso(order.date), "orderId": order.order_id, "planCode": line.plan_code,
                           "serviceName": service, "status": CLOUD_ORDER_STATUS[status]})
    return pagination.page(ctx, result) if pagination.expanded(ctx) else result


def eligibility(ctx):
    """GET /cloud/eligibility?voucher= -> cloud.project.EligibilityInfo."""
    account = ctx.account
    actions = []
    if not account.valid_payment_methods():
        actions.append("addPaymentMethod")
    if lifecycle.projects_in_use(ctx.store, account.nichandle, ctx.now_real) >= account.quota:
        actions.append("askIncreaseProjectsQuota")
    # api_order_allowed adds nothing: no documented action means "use the Control Panel"; the refusal comes at checkout.
    for action in account.eligibility_actions:
        if action not in actions:
            actions.append(action)
    voucher_info = None
    code = ctx.query.get("voucher")
    if code is not None:
        voucher = account.vouchers.get(code)
        if voucher is None or voucher.used:
            raise errors.bad_request("Voucher %s is not valid: %s" % (code, "unknown voucher" if voucher is None else "it has already been used"))
        voucher_info = {"credit": catalog.price(voucher.credit, catalog.currency_of(account.subsidiary), ucents=False),
                        "paymentMethodRequired": voucher.payment_method_required}
    return {"actionsRequired": actions, "minimumCredit": None, "paymentMethodsAuthorized": list(AUTHORIZED_PAYMENT_METHODS),
            "voucher": voucher_info}


ROUTES = {
    ("GET", "/cloud/project"): list_projects,
    ("GET", "/cloud/project/{serviceName}"): get_project,
    ("PUT", "/cloud/project/{serviceName}"): update_project,
    ("POST", "/cloud/project/{serviceName}/terminate"): terminate_project,
    ("POST", "/cloud/project/{serviceName}/confirmTermination"): confirm_project_termination,
    ("GET", "/cloud/order"): list_cloud_orders,
    ("GET", "/cloud/eligibility"): eligibility,
}
