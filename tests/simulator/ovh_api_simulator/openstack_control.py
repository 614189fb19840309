"""Control API of the OpenStack users, project regions and role ids (``/_sim/…``); see openstack_state.py."""

from . import errors
from .openstack_state import ROLES, role_id

USER_SPEC_KEYS = {"description", "roles", "username", "password", "status"}


def project_of(sim, project_id):
    """A project by id (control API: any account's)."""
    project = sim.store.projects.get(project_id)
    if project is None:
        raise errors.not_found("unknown project %r" % project_id)
    return project


def seed_users(sim, match, body):
    """POST /_sim/projects/{project}/openstack_users -- {description?, roles? [names], username?, password?, status? (ok |
    creating | disabled)} or a list; returns the users with their passwords."""
    project = project_of(sim, match["project"])
    specs = body if isinstance(body, list) else [body]
    created = []
    for spec in specs:
        if not isinstance(spec, dict) or set(spec) - USER_SPEC_KEYS:
            raise errors.bad_request("user spec: {%s}" % ", ".join(sorted(USER_SPEC_KEYS)))
        roles = spec.get("roles", ["administrator"])
        if not isinstance(roles, list) or any(name not in ROLES for name in roles):
            raise errors.bad_request("roles must be a list of %s" % ", ".join(ROLES))
        if spec.get("status", "ok") not in ("ok", "creating", "disabled"):
            raise errors.bad_request("status must be 'ok', 'creating' or 'disabled'")
        for key in ("description", "username", "password"):
            if key in spec and not isinstance(spec[key], str):
                raise errors.bad_request("%s must be a string" % key)
        user = sim.store.openstack.add_user(sim.store, project.project_id, roles, spec.get("description", ""), username=spec.get("username"),
                                            password=spec.get("password"), ready=spec.get("status", "ok") != "creating",
                                            disabled=spec.get("status") == "disabled")
        created.append(user.dump(sim.store.clock.real()))
    return created


def list_users(sim, match, _body):
    """GET /_sim/openstack_users, GET /_sim/projects/{project}/openstack_users -- users with their passwords."""
    users = sim.store.openstack.dump(sim.store.clock.real())
    project = match.get("project")
    return [user for user in users if project is None or user["project_id"] == project]


def set_regions(sim, match, body):
    """POST /_sim/projects/{project}/regions -- {"regions": [names]} (null: back to the openstack_regions setting)."""
    project = project_of(sim, match["project"])
    regions = (body or {}).get("regions") if isinstance(body, dict) else body
    if regions is None:
        sim.store.openstack.project_regions.pop(project.project_id, None)
    elif isinstance(regions, list) and all(isinstance(name, str) and name for name in regions):
        sim.store.openstack.project_regions[project.project_id] = list(regions)
    else:
        raise errors.bad_request("regions must be a list of region names, or null")
    return sim.store.openstack.regions(sim.store, project.project_id)


def list_roles(_sim, _match, _body):
    """GET /_sim/openstack_roles -- {role name: role id} (the ids PUT/POST …/user/{userId}/role take)."""
    return {name: role_id(name) for name in ROLES}


PROJECT = r"/_sim/projects/(?P<project>[^/]+)"
CONTROL_ROUTES = [
    ("POST", PROJECT + r"/openstack_users", seed_users),
    ("GET", PROJECT + r"/openstack_users", list_users),
    ("GET", r"/_sim/openstack_users", list_users),
    ("POST", PROJECT + r"/regions", set_regions),
    ("GET", r"/_sim/openstack_roles", list_roles),
]
