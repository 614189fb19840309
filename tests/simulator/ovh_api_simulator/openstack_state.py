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

# cloud.user.RoleEnum of the 2025 /cloud schema (cloud-project-user.json; no legacy ``admin`` any more). The descriptions
# and permissions below are UNVERIFIED (the schema gives only the cloud.role.Role fields; the real permission strings are
# not in any public source): short plausible values.
ROLES = {
    "administrator": ("Administrator", ["*"]),
    "ai_training_operator": ("AI Training Operator", ["ai_training.*"]),
    "ai_training_read": ("AI Training Read", ["ai_training.read"]),
    "authentication": ("Authentication", ["identity.token"]),
    "backup_operator": ("Backup Operator", ["volume.backup.*", "image.snapshot.*"]),
    "compute_operator": ("Compute Operator", ["compute.*"]),
    "image_operator": ("Image Operator", ["image.*"]),
    "infrastructure_supervisor": ("Infrastructure Supervisor", ["*.read"]),
    "key-manager_operator": ("Key Manager Operator", ["key-manager.*"]),
    "key-manager_read": ("Key Manager Read", ["key-manager.read"]),
    "load-balancer_operator": ("Load Balancer Operator", ["load-balancer.*"]),
    "network_operator": ("Network Operator", ["network.*"]),
    "network_security_operator": ("Network Security Operator", ["network.security_group.*"]),
    "objectstore_operator": ("ObjectStore Operator", ["object_store.*"]),
    "quantum_operator": ("Quantum Operator", ["quantum.*"]),
    "quantum_reader": ("Quantum Reader", ["quantum.read"]),
    "share_operator": ("Share Operator", ["share.*"]),
    "volume_operator": ("Volume Operator", ["volume.*"]),
}
DEFAULT_REGIONS = {"eu": ["GRA11", "SBG5", "BHS5"], "us": ["US-EAST-VA-1", "US-WEST-OR-1"]}
# cloud.Region ``services`` (cloud.Component names). A region that runs instances offers ``instance``; a storage-only
# region (OVHcloud names them with letters only: GRA, SBG, BHS, DE, UK, WAW) offers object storage only. UNVERIFIED:
# the exact service names and endpoints beyond ``instance`` and ``storage``.
COMPUTE_SERVICES = ["image", "instance", "network", "storage", "volume"]
STORAGE_SERVICES = ["storage", "storage-s3-high-perf", "storage-s3-standard"]
CONTINENTS = {"GRA": "EU", "SBG": "EU", "RBX": "EU", "DE": "EU", "UK": "EU", "WAW": "EU", "EU": "EU", "BHS": "NA",
              "US": "US", "SGP": "ASIA", "SYD": "ASIA"}
# OVHcloud guide "How to use OpenStack tokens": "The token is generated and is valid for 24 hours".
TOKEN_LIFETIME = 86400
USERNAME_ALPHABET = string.ascii_letters + string.digits


def role_id(name):
    """A role's id: 32 hex characters like a Keystone role id, fixed per name (UNVERIFIED: the real ids are not known)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "ovh-api-simulator:role:" + name).hex


ROLE_BY_ID = {role_id(name): name for name in ROLES}


def storage_only(region):
    """A region name of letters only (GRA, SBG, DE…) is a storage-only region: no ``instance`` service."""
    return region.isalpha()


def region_view(region, root):
    """cloud.Region of a region name: its services (``instance`` where instances run), status UP."""
    names = STORAGE_SERVICES if storage_only(region) else COMPUTE_SERVICES
    prefix = "".join(ch for ch in region.split("-")[0] if ch.isalpha())
    return {"continentCode": CONTINENTS.get(prefix, "EU"), "datacenterLocation": prefix, "ipCountries": [],
            "name": region, "services": [{"endpoint": "%s/openstack/%s/%s" % (root, region, name), "name": name, "status": "UP"}
                                         for name in names],
            "status": "UP", "type": "region"}


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
    deleted_real: typing.Optional[float] = None
    gone_real: typing.Optional[float] = None
    updating_real: typing.Optional[float] = None
    disabled: bool = False

    def status(self, now_real):
        """cloud.user.UserStatusEnum (creating, deleted, deleting, disabled, ok, updating) now, or None once a deleted
        user is gone."""
        if self.gone_real is not None and now_real >= self.gone_real:
            return None
        if self.deleted_real is not None and now_real >= self.deleted_real:
            return "deleted"
        if self.deleting_real is not None:
            return "deleting"
        if self.disabled:
            return "disabled"
        if now_real < self.ok_real:
            return "creating"
        return "updating" if self.updating_real is not None and now_real < self.updating_real else "ok"

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

    def add_user(self, store, project_id, roles, description="", now_real=None, username=None, password=None, ready=False,
                 disabled=False):
        """Create a user of a project; ``creating`` for user_creating_delay seconds unless ``ready``."""
        now_real = store.clock.real() if now_real is None else now_real
        account = store.accounts.get(store.projects[project_id].nichandle)
        delay = 0.0 if ready else store.config.delay("user_creating_delay", account)
        user = OpenStackUser(user_id=self._next_user_id, project_id=project_id, username=username or new_username(),
                             password=password or new_password(), description=description, roles=list(roles),
                             creation_date=store.clock.sim_of_real(now_real), ok_real=now_real + delay, openstack_id=uuid.uuid4().hex,
                             disabled=disabled)
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
