#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: public_cloud_user
short_description: Manage the OpenStack user of an OVHcloud Public Cloud project and its clouds.yaml entry
version_added: 0.1.0
description:
  - Makes sure a Public Cloud project has an OpenStack user with the given O(description) and O(roles), or that it has
    none (O(state=absent)). The description identifies the user; two users with the same description are an error.
  - A missing user is created (C(POST /cloud/project/{id}/user)) and followed until its status is C(ok); a user whose
    roles differ gets exactly O(roles) (C(PUT /cloud/project/{id}/user/{userId}/role) with the ids of
    C(GET /cloud/project/{id}/role)).
  - With O(clouds_yaml), writes the entry C(clouds.<cloud_name>) of that C(clouds.yaml) (on the host that runs the
    module), which openstacksdk and the C(openstack.cloud) collection read (their C(cloud) option names it). The entry's
    C(auth_url), user name, project id and domains come from the user's openrc for its (first) region.
  - Before any write to the API, the module checks O(clouds_yaml) can be written (not a directory, every missing parent
    directory creatable) and that O(region) or O(regions) are regions of the project; either failing, it fails naming
    the problem and changes nothing. If the entry still cannot be written after a user was created, the user is deleted
    again (its password would be lost); if that fails too, the failure names the user and says how to recover.
  - The password of a user is known only when the user is created or its password regenerated. It is kept in the
    entry; an existing user that no entry of O(clouds_yaml) has a password for (any cloud name, same user name) makes the
    module fail, unless O(regenerate_password=true).
  - When the password is taken from O(clouds_yaml), the module first checks that it still authenticates
    (O(verify_password)), as it may have been changed elsewhere (the OVHcloud Control Panel, another controller with its own C(clouds.yaml), a
    O(regenerate_password=true) run with another file).
  - When the user gets a password (created, or regenerated), every entry of O(clouds_yaml) for that user (same user
    name, any cloud name or region) gets it, so that no entry is left with a password that no longer works.
  - A user whose status is C(disabled) is not adopted; the module fails naming it. After C(regeneratePassword) the
    module waits until the user is C(ok) again (with O(wait=true)), as terraform-provider-ovh does.
  - The password never appears in the module's output or logs, unless O(return_password=true).
author:
  - OVHcloud Public Cloud collection maintainers (@ovhcloud)
extends_documentation_fragment:
  - ovhcloud.public_cloud.ovh
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads only (the project, its users, regions and the user's openrc, and the Keystone check of O(verify_password));
      writes neither to the API nor to O(clouds_yaml).
  diff_mode:
    support: full
    details: Shows the user and the C(clouds.yaml) entry before and after, the password masked.
  platform:
    platforms: all
options:
  project_id:
    description:
      - Id of the Public Cloud project (its C(serviceName), 32 hexadecimal characters).
    type: str
    required: true
  description:
    description:
      - Description of the user; it identifies the user in the project.
    type: str
    required: true
  roles:
    description:
      - Names of the user's roles (C(cloud.user.RoleEnum) of the API), among V(administrator), V(ai_training_operator),
        V(ai_training_read), V(authentication), V(backup_operator), V(compute_operator), V(image_operator),
        V(infrastructure_supervisor), V(key-manager_operator), V(key-manager_read), V(load-balancer_operator),
        V(network_operator), V(network_security_operator), V(objectstore_operator), V(quantum_operator),
        V(quantum_reader), V(share_operator), V(volume_operator).
      - A name the API refuses (such as the legacy V(admin)) fails the run with the API's message; nothing is created.
      - The user gets exactly these roles; their order does not matter.
    type: list
    elements: str
    default: [administrator]
  state:
    description:
      - V(present) makes sure the user exists with O(roles) (and its O(clouds_yaml) entry is written).
      - V(absent) deletes every user of the project with this O(description), and removes the entry
        C(clouds.<cloud_name>) from O(clouds_yaml) when it is given.
    type: str
    choices: [present, absent]
    default: present
  region:
    description:
      - Region of the C(clouds.yaml) entry (its C(region_name)) and of the openrc it is read from. It must be one of the
        project's regions (C(GET /cloud/project/{id}/region)); another fails before any write, listing them.
      - Defaults to the first of the project's regions, in the API's order, that runs instances (its services, read with
        C(GET /cloud/project/{id}/region/{region}), include C(instance)); storage-only regions such as C(GRA) are
        skipped. A project without such a region fails, asking for O(region).
    type: str
  regions:
    description:
      - Several regions for one entry; the entry gets the list C(regions) (as openstacksdk reads it in C(clouds.yaml))
        instead of C(region_name); openstacksdk uses the first unless a task names another (C(region_name) of
        C(openstack.cloud) modules). Each must be one of the project's regions.
      - Mutually exclusive with O(region).
    type: list
    elements: str
  clouds_yaml:
    description:
      - Path of a C(clouds.yaml) on the host that runs the module (the controller, with C(delegate_to) V(localhost)),
        for example V(~/.config/openstack/clouds.yaml).
      - The entry C(clouds.<cloud_name>) is written with C(auth) (C(auth_url), C(username), C(password), C(project_id),
        C(user_domain_name), C(project_domain_name)), C(region_name) (or C(regions)), C(interface) V(public) and
        C(identity_api_version) V(3). Every other entry is kept, in its order, with its values.
      - YAML comments and anchors are not kept when the file is rewritten (the module writes it with PyYAML); the module
        warns when the file had any.
      - The file is written only when an entry differs, atomically (a temporary file of the same directory, renamed),
        with mode C(0600); each missing directory is created with mode C(0700). A symbolic link is followed; its target
        is rewritten and the link kept.
      - Not set, no file is read or written.
    type: path
  cloud_name:
    description:
      - Name of the entry in O(clouds_yaml) (C(clouds.<cloud_name>)), the C(cloud) an C(openstack.cloud) task names.
      - Defaults to the project's description, else its id.
    type: str
  regenerate_password:
    description:
      - Let the module give an existing user a new password (C(POST .../regeneratePassword)) when it needs the
        password and does not know it; that is, when no entry of O(clouds_yaml) has the user's password, or when
        Keystone refuses the one found there (O(verify_password)). Every entry of the file for the user gets the new
        one; everything else that used the old password loses access.
      - An entry whose password authenticates is kept, and the password is never regenerated on a rerun that has it.
        To rotate it, remove the entry, then run with this option.
    type: bool
    default: false
  verify_password:
    description:
      - When the password of the user is taken from O(clouds_yaml) (its entry, or another entry of the same user),
        check first that it still authenticates, with one Keystone v3 password authentication
        (C(POST <auth_url>/auth/tokens) with that entry's C(auth), scoped to its project, at most 10 seconds), made from
        the host that runs the module. This is a read, so it runs in check mode too.
      - Keystone refusing the password (HTTP 401) fails the run before any write, naming the entry and the fix (rerun
        with O(regenerate_password=true)); with O(regenerate_password=true) the user gets a new password instead.
      - Keystone giving no answer (unreachable, timeout, an HTTP 5xx or any other status) does not stop the run; the
        module warns and keeps the entry as it is.
      - The cost is one Keystone call per run that finds the password in O(clouds_yaml); V(false) skips it (for
        example when the host that runs the module cannot reach Keystone).
    type: bool
    default: true
  return_password:
    description:
      - Return the user's password as RV(password) when the module knows it (the user was created, its password
        regenerated, or its O(clouds_yaml) entry has it). Set C(no_log) on the task.
      - Otherwise the password is hidden from every output of the module.
    type: bool
    default: false
  wait:
    description:
      - Wait until a new user is C(ok), and a deleted one gone.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait, in all, when O(wait=true), from 0 to 86400.
    type: int
    default: 600
notes:
  - A user is C(creating) for a while after its creation; an entry written with O(wait=false) may not authenticate before
    the user is C(ok).
  - A rerun with nothing to change makes no write, to the API or to O(clouds_yaml), and leaves the file byte for byte.
requirements:
  - PyYAML (comes with ansible-core), when O(clouds_yaml) is set
seealso:
  - module: ovhcloud.public_cloud.public_cloud_project
  - name: openstack.cloud collection
    description: Modules that use the C(clouds.yaml) entry (C(cloud) option).
    link: https://docs.ansible.com/ansible/latest/collections/openstack/cloud/
"""

EXAMPLES = r"""
- name: Give the project an administrator user, with a clouds.yaml entry for openstack.cloud
  ovhcloud.public_cloud.public_cloud_user:
    project_id: "{{ project.project.project_id }}"
    description: ansible
    clouds_yaml: ~/.config/openstack/clouds.yaml
    cloud_name: team-a
  delegate_to: localhost

- name: Use the entry
  openstack.cloud.server_info:
    cloud: team-a
  delegate_to: localhost

- name: A user with narrower roles, in a given region
  ovhcloud.public_cloud.public_cloud_user:
    project_id: 0123456789ab4cdef0123456789abcde
    description: backups
    roles: [objectstore_operator, volume_operator]
    region: SBG5
    clouds_yaml: /etc/openstack/clouds.yaml
    cloud_name: team-a-backups
  delegate_to: localhost

- name: One entry for two regions (openstacksdk uses the first unless a task names the other)
  ovhcloud.public_cloud.public_cloud_user:
    project_id: 0123456789ab4cdef0123456789abcde
    description: ansible
    regions: [GRA11, SBG5]
    clouds_yaml: ~/.config/openstack/clouds.yaml
    cloud_name: team-a
  delegate_to: localhost

- name: The user exists but its entry was lost; give it a new password and write the entry again
  ovhcloud.public_cloud.public_cloud_user:
    project_id: 0123456789ab4cdef0123456789abcde
    description: ansible
    clouds_yaml: ~/.config/openstack/clouds.yaml
    regenerate_password: true
  delegate_to: localhost

- name: Create a user and hand its password to a vault (never logged)
  ovhcloud.public_cloud.public_cloud_user:
    project_id: 0123456789ab4cdef0123456789abcde
    description: ci
    roles: [compute_operator]
    return_password: true
  delegate_to: localhost
  no_log: true
  register: ci_user

- name: Delete the user and its entry
  ovhcloud.public_cloud.public_cloud_user:
    project_id: 0123456789ab4cdef0123456789abcde
    description: ansible
    state: absent
    clouds_yaml: ~/.config/openstack/clouds.yaml
    cloud_name: team-a
  delegate_to: localhost
"""

RETURN = r"""
user:
  description:
    - The user, as it is after the run; V(null) with O(state=absent).
    - In check mode, the user that would be created has no id, username, status or creation date.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the user in the project.
      type: int
      sample: 100001
    username:
      description: OpenStack user name (C(OS_USERNAME)).
      type: str
      sample: user-s7KJBZHndjsy
    description:
      description: The user's description.
      type: str
      sample: ansible
    status:
      description: C(cloud.user.UserStatusEnum) of the API, C(creating), C(ok), C(updating), C(disabled), C(deleting) or C(deleted).
      type: str
      sample: ok
    roles:
      description: Names of the user's roles.
      type: list
      elements: str
      sample: [administrator]
    creation_date:
      description: When the user was created.
      type: str
      sample: "2026-11-23T15:40:00+00:00"
deleted_users:
  description: The users deleted (or that would be, in check mode), in the shape of RV(user).
  returned: when O(state=absent)
  type: list
  elements: dict
clouds_yaml:
  description: The path of the C(clouds.yaml), or V(null) without O(clouds_yaml).
  returned: always
  type: str
  sample: /home/me/.config/openstack/clouds.yaml
cloud_name:
  description: The name of the entry in the C(clouds.yaml), or V(null) without O(clouds_yaml).
  returned: always
  type: str
  sample: team-a
password:
  description:
    - The user's OpenStack password, or V(null) when the module does not know it.
  returned: when O(return_password=true)
  type: str
failure:
  description: On failure, the step that failed (such as C(clouds.yaml), C(check region), C(find user), C(create user),
    C(wait for user), C(verify password), C(change roles), C(regenerate password), C(read openrc), C(delete user), C(validate input)) and the
    API call behind it, when there is one.
  returned: failed
  type: dict
  sample:
    step: create user
    method: POST
    path: /cloud/project/0123456789ab4cdef0123456789abcde/user
    status: 400
    message: "[roles[0]] Given data (\"admin\") does not belong to the cloud.user.RoleEnum enumeration"
    error_code: null
    query_id: EU.ext-3.63ac85b6.10528.27b4f1fc
"""

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._clouds_yaml import HAS_YAML, YAML_IMPORT_ERROR
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._openstack_user_run import ensure_openstack_user
from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._ovh_module import OvhModule


def argument_spec():
    return dict(
        project_id=dict(type="str", required=True),
        description=dict(type="str", required=True),
        roles=dict(type="list", elements="str", default=["administrator"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        region=dict(type="str"),
        regions=dict(type="list", elements="str"),
        clouds_yaml=dict(type="path"),
        cloud_name=dict(type="str"),
        regenerate_password=dict(type="bool", default=False, no_log=False),
        verify_password=dict(type="bool", default=True, no_log=False),
        return_password=dict(type="bool", default=False, no_log=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )


def main():
    module = OvhModule(argument_spec(), supports_check_mode=True, mutually_exclusive=[("region", "regions")])
    if module.params.get("clouds_yaml") and not HAS_YAML:
        module.module.fail_json(msg=missing_required_lib("PyYAML"), exception=YAML_IMPORT_ERROR)
    module.run(ensure_openstack_user)


if __name__ == "__main__":
    main()
