"""``/cloud/project/{serviceName}/user…`` (OpenStack users), ``…/region`` and ``…/role`` routes.

Operations, bodies and answers follow cloud-project-user.json and cloud-project-region.json (extracts of the
``/cloud`` schema); the request bodies are validated against them by dispatch.py like every other operation.
"""

from . import errors, lifecycle
from .openstack_state import ROLE_BY_ID, project_roles_view, region_view, tenant_name

# OVHcloud's openrc for Keystone v3, as downloaded from the API / Control Panel (text of a real file published in a public
# repository; terraform-provider-ovh's resource_cloud_project_user.go parses the same lines with
# ``export OS_TENANT_NAME="?([[:alnum:]]+)"?`` etc.). UNVERIFIED: that the API's answer is byte for byte this file.
OPENRC_V3 = """#!/bin/bash

# To use an Openstack cloud you need to authenticate against keystone, which
# returns a **Token** and **Service Catalog**. The catalog contains the
# endpoint for all services the user/tenant has access to - including nova,
# glance, keystone, swift.
#
export OS_AUTH_URL={auth_url}/v3
export OS_IDENTITY_API_VERSION=3

export OS_USER_DOMAIN_NAME=${{OS_USER_DOMAIN_NAME:-"Default"}}
export OS_PROJECT_DOMAIN_NAME=${{OS_PROJECT_DOMAIN_NAME:-"Default"}}


# With the addition of Keystone we have standardized on the term **tenant**
# as the entity that owns the resources.
export OS_TENANT_ID={tenant_id}
export OS_TENANT_NAME="{tenant_name}"

# In addition to the owning entity (tenant), openstack stores the entity
# performing the action as the **user**.
export OS_USERNAME="{username}"
# With Keystone you pass the keystone password.
echo "Please enter your OpenStack Password: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT

# If your configuration has multiple regions, we set that information here.
# OS_REGION_NAME is optional and only valid in certain environments.
export OS_REGION_NAME="{region}"
# Don't leave a blank variable, unset it if it was empty
if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
"""
# UNVERIFIED: the v2.0 variant (no domains, OS_AUTH_URL on /v2.0); the simulator's Keystone serves only v3.
OPENRC_V2 = """#!/bin/bash

export OS_AUTH_URL={auth_url}/v2.0

export OS_TENANT_ID={tenant_id}
export OS_TENANT_NAME="{tenant_name}"

export OS_USERNAME="{username}"
echo "Please enter your OpenStack Password: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT

export OS_REGION_NAME="{region}"
if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
"""


def keystone_root(ctx):
    """The simulator's own Keystone: the server the caller reached (real API: https://auth.cloud.ovh.net)."""
    return "http://%s" % ctx.headers.get("Host", "127.0.0.1")


def own_project(ctx):
    """The caller's visible project, else 404 "This service does not exist" (as cloud_api.own_project: tf #1377)."""
    project = ctx.store.projects.get(ctx.params["serviceName"])
    if project is None or project.nichandle != ctx.account.nichandle or not lifecycle.project_visible(project, ctx.now_real):
        raise errors.not_found("This service does not exist")
    return project


def own_user(ctx):
    """A user of the caller's project (404 otherwise)."""
    project = own_project(ctx)
    return ctx.store.openstack.user(project.project_id, ctx.params["userId"], ctx.now_real)


def ready_user(ctx):
    """A user whose Keystone account exists: ``ok``. UNVERIFIED (stricter): changing a user still ``creating`` or being
    deleted is refused with 400."""
    user = own_user(ctx)
    status = user.status(ctx.now_real)
    if status != "ok":
        raise errors.bad_request("User %d is not ready (status: %s)" % (user.user_id, status))
    return user


def list_users(ctx):
    """GET /cloud/project/{serviceName}/user -> cloud.user.User[] (never a password)."""
    project = own_project(ctx)
    return [user.view(ctx.now_real) for user in ctx.store.openstack.live_users(ctx.now_real, project.project_id)]


def create_user(ctx):
    """POST /cloud/project/{serviceName}/user, body cloud.ProjectUserCreation {description, role, roles} (role names of
    cloud.user.RoleEnum, checked by the schema validation: an unknown name is a 400) -> cloud.user.UserDetail, the only
    answer with the password besides regeneratePassword (cloud.user.UserDetail), status ``creating``.

    UNVERIFIED: ``role`` and ``roles`` together give both (duplicates once); neither gives a user without roles (Keystone
    then refuses it a project-scoped token, as for any user without a role on the project); a null description is "".
    """
    project = own_project(ctx)
    names = ([ctx.body["role"]] if ctx.body.get("role") else []) + list(ctx.body.get("roles") or [])
    roles = [name for index, name in enumerate(names) if name not in names[:index]]
    user = ctx.store.openstack.add_user(ctx.store, project.project_id, roles, ctx.body.get("description") or "", ctx.now_real)
    return user.view(ctx.now_real, with_password=True)


def get_user(ctx):
    """GET /cloud/project/{serviceName}/user/{userId} -> cloud.user.User (no password)."""
    return own_user(ctx).view(ctx.now_real)


def delete_user(ctx):
    """DELETE /cloud/project/{serviceName}/user/{userId} -> void; the user is ``deleting`` for user_deleting_delay
    seconds, then ``deleted`` for user_deleted_delay seconds (0 by default), then 404: terraform-provider-ovh
    resource_cloud_project_user.go waits for ``deleted`` or a 404. UNVERIFIED: a second DELETE while ``deleting`` or
    ``deleted`` is a 400."""
    user = own_user(ctx)
    if user.deleting_real is not None:
        raise errors.bad_request("User %d is already being deleted" % user.user_id)
    account = ctx.store.accounts.get(ctx.account.nichandle)
    user.deleting_real = ctx.now_real
    user.deleted_real = ctx.now_real + ctx.config.delay("user_deleting_delay", account)
    user.gone_real = user.deleted_real + ctx.config.delay("user_deleted_delay", account)
    ctx.store.openstack.revoke_tokens(user.user_id)


def regenerate_password(ctx):
    """POST …/user/{userId}/regeneratePassword (no body) -> cloud.user.UserDetail with a new password; the old one stops
    working at once (UNVERIFIED), and the tokens issued with it are revoked (UNVERIFIED). The user is then ``updating``
    for user_updating_delay seconds (Keystone refuses it meanwhile), then ``ok``: terraform-provider-ovh waits for
    ``ok`` after regeneratePassword before it uses the password (resource_cloud_project_user.go, 2025)."""
    user = ready_user(ctx)
    user.password = ctx.store.openstack.new_password_for(user)
    account = ctx.store.accounts.get(ctx.account.nichandle)
    user.updating_real = ctx.now_real + ctx.config.delay("user_updating_delay", account)
    return user.view(ctx.now_real, with_password=True)


def list_user_roles(ctx):
    """GET …/user/{userId}/role -> cloud.role.Role[]."""
    return own_user(ctx).view(ctx.now_real)["roles"]


def role_names(ids):
    """Role names of role ids (cloud.role.Role ``id``); an unknown id is a 400 (UNVERIFIED status and wording)."""
    names = []
    for rid in ids:
        if rid not in ROLE_BY_ID:
            raise errors.bad_request("Role %s does not exist" % rid)
        if ROLE_BY_ID[rid] not in names:
            names.append(ROLE_BY_ID[rid])
    return names


def add_user_role(ctx):
    """POST …/user/{userId}/role, body cloud.ProjectUserRoleCreation {roleId} -> cloud.user.UserDetail: adds one role
    (a role the user has already is a no-op, UNVERIFIED).

    UNVERIFIED: the answer's model has ``password``, but the password is only known at creation and regeneration: the
    simulator answers the user without it (a client must not expect a password here)."""
    user = ready_user(ctx)
    for name in role_names([ctx.body["roleId"]]):
        if name not in user.roles:
            user.roles.append(name)
    return user.view(ctx.now_real)


def set_user_roles(ctx):
    """PUT …/user/{userId}/role, body cloud.ProjectUserRoleUpdate {rolesIds} -> cloud.user.UserDetail: the user's roles
    become exactly these (terraform-provider-ovh resourceCloudProjectUserUpdate sends the full list of role ids). Answer
    without the password, as for POST …/role (UNVERIFIED). An empty list leaves the user without roles (UNVERIFIED)."""
    user = ready_user(ctx)
    user.roles = role_names(ctx.body["rolesIds"])
    return user.view(ctx.now_real)


def openrc(ctx):
    """GET …/user/{userId}/openrc?region=&version= -> cloud.user.Openrc {content}.

    ``region`` is required by the schema, but its value is not checked: terraform-provider-ovh reads the openrc with
    ``?region=to_be_overriden`` (resource_cloud_project_user.go cloudUserGetOpenstackRC) and gets an answer. ``version``
    (cloud.user.OpenrcVersionEnum, validated) defaults to v3 (UNVERIFIED). The user may still be ``creating`` (UNVERIFIED).
    """
    user = own_user(ctx)
    template = OPENRC_V2 if ctx.query.get("version") == "v2.0" else OPENRC_V3
    return {"content": template.format(auth_url=keystone_root(ctx), tenant_id=user.project_id, tenant_name=tenant_name(user.project_id),
                                       username=user.username, region=ctx.query["region"])}


def list_project_roles(ctx):
    """GET /cloud/project/{serviceName}/role -> cloud.role.Roles {roles, services}: the roles users may get, with the
    ids that PUT …/user/{userId}/role takes (terraform-provider-ovh resource_cloud_project_user.go reads ``roles`` to map
    names to ids)."""
    own_project(ctx)
    return project_roles_view()


def list_regions(ctx):
    """GET /cloud/project/{serviceName}/region -> string[]: the project's regions (config ``openstack_regions``, or a
    project's own list set through the control API; default GRA11, SBG5, BHS5 in the EU)."""
    project = own_project(ctx)
    return ctx.store.openstack.regions(ctx.store, project.project_id)


def get_region(ctx):
    """GET /cloud/project/{serviceName}/region/{regionName} -> cloud.Region, with its ``services`` (``instance`` where
    instances run; a storage-only region such as GRA has none). A region the project does not have: 404 (UNVERIFIED
    wording)."""
    project = own_project(ctx)
    name = ctx.params["regionName"]
    if name not in ctx.store.openstack.regions(ctx.store, project.project_id):
        raise errors.object_not_found("regionName", name)
    return region_view(name, keystone_root(ctx))


USER = "/cloud/project/{serviceName}/user/{userId}"
ROUTES = {
    ("GET", "/cloud/project/{serviceName}/user"): list_users,
    ("POST", "/cloud/project/{serviceName}/user"): create_user,
    ("GET", USER): get_user,
    ("DELETE", USER): delete_user,
    ("POST", USER + "/regeneratePassword"): regenerate_password,
    ("GET", USER + "/role"): list_user_roles,
    ("POST", USER + "/role"): add_user_role,
    ("PUT", USER + "/role"): set_user_roles,
    ("GET", USER + "/openrc"): openrc,
    ("GET", "/cloud/project/{serviceName}/region"): list_regions,
    ("GET", "/cloud/project/{serviceName}/region/{regionName}"): get_region,
    ("GET", "/cloud/project/{serviceName}/role"): list_project_roles,
}
