"""OpenStack users of Public Cloud projects, their regions and their Keystone tokens.

Held by ``Store.openstack`` (recreated on every reset). Statuses are derived from real timestamps, as ``lifecycle`` does
for projects: a user is ``creating`` for ``user_creating_delay`` seconds, then ``ok``; a deleted user is ``deleting`` for
``user_deleting_delay`` seconds, then gone (404), which terraform-provider-ovh's resource_cloud_project_user.go waits for
(pending ``deleting``, target: a 404).
"""

import dataclasses
import datetime
import hashlib
import secrets
import string
import typing
import uuid

from . import errors
from .clock import iso

# cloud.user.RoleEnum (cloud-project-user.json). The descriptions and permissions below are UNVERIFIED (the schema gives
# only the cloud.role.Role fields; the real permission strings are not in any public source): short plausible values.
ROLES = {
    "admin": ("Administrator (legacy name)", ["*"]),
    "administrator": ("Administrator", ["*"]),
    "ai_training_operator": ("AI Training Operator", ["ai_training.*"]),
    "ai_training_read": ("AI Training Read", ["ai_training.read"]),
    "authentication": ("Authentication", ["identity.token"]),
    "backup_operator": ("Backup Operator", ["volume.backup.*", "image.snapshot.*"]),
    "compute_operator": ("Compute Operator", ["compute.*"]),
    "image_operator": ("Image Operator", ["image.*"]),
    "infrastructure_supervisor": ("Infrastructure Supervisor", ["*.read"]),
    "network_operator": ("Network Operator", ["network.*"]),
    "network_security_operator": ("Network Security Operator", ["network.security_group.*"]),
    "objectstore_operator": ("ObjectStore Operator", ["object_store.*"]),
    "volume_operator": ("Volume Operator", ["volume.*"]),
}
DEFAULT_REGIONS = {"eu": ["GRA11", "SBG5", "BHS5"], "us": ["US-EAST-VA-1", "US-WEST-OR-1"]}
# OVHcloud guide "How to use OpenStack tokens": "The token is generated and is valid for 24 hours".
TOKEN_LIFETIME = 86400
USERNAME_ALPHABET = string.ascii_letters + string.digits


def role_id(name):
    """A role's id: 32 hex characters like a Keystone role id, fixed per name (UNVERIFIED: the real ids are not known)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "ovh-api-simulator:role:" + name).hex


ROLE_BY_ID = {role_id(name): name for name in ROLES}


def role_view(name):
    """cloud.role.Role."""
    description, permissions = ROLES[name]
    return {"description": description, "id": role_id(name), "name": name, "permissions": list(permissions)}


def project_roles_view():
    """cloud.role.Roles: every role, and per OpenStack service the permissions with the ids of the roles that grant them
    (UNVERIFIED: the services' names and permission labels; the schema gives only the fields)."""
    services = {}
    for name in ROLES:
        for permission in ROLES[name][1]:
            service = services.setdefault(permission.split(".")[0], {})
            service.setdefault(permission, []).append(role_id(name))
    return {"roles": [role_view(name) for name in ROLES],
            "services": [{"name": service, "permissions": [{"label": label, "roles": ids} for label, ids in permissions.items()]}
                         for service, permissions in services.items()]}


def tenant_name(project_id):
    """OS_TENANT_NAME: a 16-digit number per project, as in real openrc files (``OS_TENANT_NAME="7565188008292577"``)."""
    return "%016d" % (int(hashlib.sha256(project_id.encode()).hexdigest(), 16) % 10 ** 16)


def new_password():
    """32 letters and digits, as in the OS_PASSWORD of real openrc files (exact alphabet UNVERIFIED)."""
    return "".join(secrets.choice(USERNAME_ALPHABET) for index in range(32))


def new_username():
    """``user-`` and 12 letters and digits, as in real openrc files (``OS_USERNAME="user-s7KJBZHndjsy"``)."""
    return "user-" + "".join(secrets.choice(USERNAME_ALPHABET) for index in range(12))


@dataclasses.dataclass
class OpenStackUser:
    """A cloud.user.User of one project. Times ``*_real`` are real epoch seconds."""

    user_id: int
    project_id: str
    username: str
    password: str
    description: str
    roles: list
    creation_date: datetime.datetime
    ok_real: float
    openstack_id: str
    deleting_real: typing.Optional[float] = None
    gone_real: typing.Optional[float] = None

    def status(self, now_real):
        """cloud.user.UserStatusEnum now, or None once a deleted user is gone."""
        if self.gone_real is not None and now_real >= self.gone_real:
            return None
        if self.deleting_real is not None:
            return "deleting"
        return "ok" if now_real >= self.ok_real else "creating"

    def view(self, now_real, with_password=False):
        """cloud.user.User, or cloud.user.UserDetail (with the password) for the answers that carry one."""
        status = self.status(now_real)
        result = {"creationDate": iso(self.creation_date), "description": self.description, "id": self.user_id,
                  # UNVERIFIED: openstackId is null while the Keystone user is being created (the schema allows null).
                  "openstackId": None if status == "creating" else self.openstack_id,
                  "roles": [role_view(name) for name in self.roles], "status": status, "username": self.username}
        if with_password:
            result["password"] = self.password
        return result

    def dump(self, now_real):
        """Control-API view: everything, password included."""
        return {"id": self.user_id, "project_id": self.project_id, "username": self.username, "password": self.password,
                "description": self.description, "roles": list(self.roles), "status": self.status(now_real),
                "openstack_id": self.openstack_id, "tenant_name": tenant_name(self.project_id)}


class OpenStackState:
    """Users by id, per-project regions, issued Keystone tokens."""

    def __init__(self):
        self.users = {}
        self.project_regions = {}
        self.tokens = {}
        self._next_user_id = 100001

    def add_user(self, store, project_id, roles, description="", now_real=None, username=None, password=None, ready=False):
        """Create a user of a project; ``creating`` for user_creating_delay seconds unless ``ready``."""
        now_real = store.clock.real() if now_real is None else now_real
        account = store.accounts.get(store.projects[project_id].nichandle)
        delay = 0.0 if ready else store.config.delay("user_creating_delay", account)
        user = OpenStackUser(user_id=self._next_user_id, project_id=project_id, username=username or new_username(),
                             password=password or new_password(), description=description, roles=list(roles),
                             creation_date=store.clock.sim_of_real(now_real), ok_real=now_real + delay, openstack_id=uuid.uuid4().hex)
        self._next_user_id += 1
        self.users[user.user_id] = user
        return user

    def revoke_tokens(self, user_id):
        """Forget the Keystone tokens of a user (deleted, or its password regenerated)."""
        self.tokens = {token: info for token, info in self.tokens.items() if info["user_id"] != user_id}

    def new_password_for(self, user):
        """A new password for ``user``; its tokens are revoked (UNVERIFIED)."""
        self.revoke_tokens(user.user_id)
        return new_password()

    def live_users(self, now_real, project_id=None):
        """Users not gone yet (of one project), by id; gone ones are dropped."""
        for user_id in [uid for uid, user in self.users.items() if user.status(now_real) is None]:
            del self.users[user_id]
        return [user for user_id, user in sorted(self.users.items()) if project_id is None or user.project_id == project_id]

    def user(self, project_id, user_id, now_real):
        """A live user of this project, else 404 (UNVERIFIED wording: the one of other missing objects)."""
        user = self.users.get(user_id)
        if user is None or user.project_id != project_id or user.status(now_real) is None:
            raise errors.object_not_found("userId", user_id)
        return user

    def regions(self, store, project_id):
        """The project's regions: its own list, else the ``openstack_regions`` setting, else the flavour's default."""
        if project_id in self.project_regions:
            return list(self.project_regions[project_id])
        configured = store.config.openstack_regions
        return list(configured if configured is not None else DEFAULT_REGIONS[store.config.flavour])

    def dump(self, now_real):
        """State dump part (passwords included: the control API is for tests)."""
        return [user.dump(now_real) for user in self.live_users(now_real)]
