"""``SimulatorControl`` methods for the OpenStack users, project regions and role ids (openstack_control.py), and the
OpenStack journal (keystone.py)."""

import re


class OpenStackControlMixin:
    """Mixed into SimulatorControl (which provides ``get``, ``post`` and ``root_url``)."""

    def seed_openstack_users(self, project_id, users):
        """Existing OpenStack users of a project (one spec or a list: ``{description?, roles? (default
        ["administrator"]), username?, password?, status? ("ok" | "creating")}``); returns them, passwords included."""
        return self.post("/_sim/projects/%s/openstack_users" % project_id, users)

    def openstack_users(self, project_id=None):
        """The OpenStack users (of one project), passwords included: ``{id, project_id, username, password, description,
        roles (names), status, openstack_id, tenant_name}``."""
        if project_id is None:
            return self.get("/_sim/openstack_users")
        return self.get("/_sim/projects/%s/openstack_users" % project_id)

    def openstack_user(self, project_id, user_id):
        """One user of a project (KeyError if it does not exist, or no longer)."""
        for user in self.openstack_users(project_id):
            if user["id"] == user_id:
                return user
        raise KeyError(user_id)

    def set_project_regions(self, project_id, regions):
        """The regions of one project (``None``: back to the ``openstack_regions`` setting); returns them."""
        return self.post("/_sim/projects/%s/regions" % project_id, {"regions": regions})

    def openstack_roles(self):
        """``{role name: role id}``: the ids that ``PUT``/``POST /cloud/project/{id}/user/{userId}/role`` take."""
        return self.get("/_sim/openstack_roles")

    def keystone_url(self):
        """The simulator's Keystone v3 (``auth_url`` for openstacksdk), as in the openrc's OS_AUTH_URL."""
        return self.root_url + "/v3"

    def openstack_journal(self):
        """The Keystone and image service requests so far, in order (keystone.py: ``{seq, service, method, path, query,
        body, auth_token, status, subject_token}``); not OVH API calls, so not in ``journal()``."""
        return self.get("/_sim/openstack_journal")

    def openstack_calls(self, service=None, method=None, path=None):
        """OpenStack journal entries of ``service`` ("identity", "image") and ``method`` whose path fully matches the
        regex ``path``."""
        return [e for e in self.openstack_journal() if (service is None or e["service"] == service)
                and (method is None or e["method"] == method) and (path is None or re.fullmatch(path, e["path"]))]
