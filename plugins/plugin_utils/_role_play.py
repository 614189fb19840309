# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every host of a play of the public_cloud_project role at once: its variables checked, its projects listed, the
projects deduplicated and the accounts found.

The role runs this once for the play, on the variables of each host that project_hosts (_role_hosts.py) read through
hostvars: no task runs on every host for it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.ovhcloud.public_cloud.plugins.module_utils._project_decision import is_project_id
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._role_projects import dedupe_projects, project_specs
from ansible_collections.ovhcloud.public_cloud.plugins.plugin_utils._project_name import project_name as is_project_name

NAME_ADVICE = "use 1 to 64 printable characters, without leading or trailing spaces"
PREFIX = "public_cloud_project_"
# The fields of a host's record (project_hosts) that are role variables besides its project settings (``defaults``,
# each the role variable public_cloud_project_<setting>); the secrets are not recorded.
OPTIONS = ("name", "projects", "endpoint", "application_key", "client_id")


def _text(value):
    return "" if value is None else str(value)


def spec_errors(host, argument_spec):
    """What the role's argument specs say of a host's recorded variables, as Ansible's own check of a role's arguments
    says it: [{host, msg}]. Null values count as unset; the secrets are not recorded (nor checked)."""
    if not argument_spec:
        return []
    return spec_check(host, argument_spec)[0]


def spec_check(host, argument_spec):
    """(spec_errors, the record with its values as the argument specs convert them, their defaults applied)."""
    if not argument_spec:
        return [], host
    values = dict((PREFIX + field, host.get(field)) for field in OPTIONS)
    values.update((PREFIX + field, value) for field, value in (host.get("defaults") or {}).items())
    values = dict((option, value) for option, value in values.items() if value is not None)  # null: unset
    spec = dict((option, argument_spec[option]) for option in values if option in argument_spec)
    spec.update((option, argument_spec[option]) for option in
                (PREFIX + field for field in (host.get("defaults") or {})) if option in argument_spec)
    checked = ArgumentSpecValidator(spec).validate(values)
    if checked.error_messages:
        return [{"host": host.get("host"), "msg": "Validation of the variables of host %s failed: %s"
                 % (host.get("host"), "; ".join(checked.error_messages))}], host
    converted = checked.validated_parameters
    record = dict(host, defaults=dict((field, converted.get(PREFIX + field, value))
                                      for field, value in (host.get("defaults") or {}).items()))
    if host.get("projects") is not None and PREFIX + "projects" in converted:
        # the entries with their values converted; the keys an entry does not set stay null (the host's settings)
        record["projects"] = converted[PREFIX + "projects"]
    return [], record


def variable_errors(projects, name, host):
    """What is wrong with the variables of one host that the role's argument specs cannot say: [{host, msg}]."""
    if name is None and projects is None:
        msg = ("public_cloud_project_name is not set for host %s: set public_cloud_project_name to the name of its project"
               " (one project per host), or public_cloud_project_projects to a list of projects ({name, voucher, ...})"
               % host)
    elif name is not None and projects is not None:
        msg = ("public_cloud_project_name and public_cloud_project_projects are both set for host %s: set only one of them"
               " (public_cloud_project_name for one project per host, public_cloud_project_projects for a list)" % host)
    elif name is not None:
        if is_project_name(_text(name)):
            return []
        msg = "public_cloud_project_name %s of host %s is not a project name: %s" % (json.dumps(_text(name)), host, NAME_ADVICE)
    else:
        if isinstance(projects, (str, Mapping)) or not hasattr(projects, "__iter__"):
            bad = [projects]
        else:
            bad = [_text(entry.get("name")) if isinstance(entry, Mapping) else entry for entry in projects]
            bad = [entry for entry in bad if not is_project_name(entry)]
        if not bad:
            return []
        msg = ("public_cloud_project_projects of host %s has names that are not project names: %s; %s"
               % (host, ", ".join(json.dumps(entry, default=str) for entry in bad), NAME_ADVICE))
    return [{"host": host, "msg": msg}]


def _user_where(spec):
    """Where the OpenStack user of a project is set."""
    if spec.get("index") is None:
        return PREFIX + "openstack_user"
    return "openstack_user of its entry of public_cloud_project_projects (or %s)" % (PREFIX + "openstack_user")


def _where(spec, option):
    """Where the setting ``option`` of a project is set: the role variable, or the key of its entry."""
    if spec.get("index") is None:
        return PREFIX + option
    return "%s (or %s in its entry of public_cloud_project_projects)" % (PREFIX + option, option)


def project_errors(specs):
    """What is wrong with the settings of the projects of one host, as the module would say it before any API call,
    and in the role's words: [{host, msg}]."""
    errors = []
    for spec in specs:
        settings, host, name = spec["settings"], spec["host"], json.dumps(spec["name"])
        msg = None
        if settings.get("state") == "absent" and settings.get("allow_termination") is not True:
            msg = ("state is absent for project %s of host %s, and allow_termination is not true: set %s: true to let the"
                   " role terminate it (or state: present to keep it). Nothing was called"
                   % (name, host, _where(spec, "allow_termination")))
        elif settings.get("termination_token") and settings.get("termination_token_from_email"):
            msg = ("project %s of host %s has both a termination token and termination_token_from_email: give the token"
                   " (%s), or let the module read it from the account's e-mail (%s), not both"
                   % (name, host, _where(spec, "termination_token"), _where(spec, "termination_token_from_email")))
        elif settings.get("project_id") is not None and not is_project_id(settings["project_id"]):
            msg = ("%s %s of project %s of host %s is not a project id: give the id of the project (32 letters and"
                   " digits, the project_id of public_cloud_project_info, shown in the Control Panel)"
                   % (_where(spec, "project_id"), json.dumps(settings["project_id"]), name, host))
        elif isinstance(settings.get("max_price"), float) and not settings["max_price"] >= 0:
            msg = ("%s is %s for project %s of host %s; it must be 0 or more, in the account's currency"
                   % (_where(spec, "max_price"), settings["max_price"], name, host))
        elif spec.get("openstack_user") is not None and not (spec["openstack_user"].get("description") or "").strip():
            msg = ("the OpenStack user of project %s of host %s has an empty description: set description in %s to the"
                   " text that identifies the user in the project (for example ansible)" % (name, host, _user_where(spec)))
        elif spec.get("openstack_user") is not None and not spec["openstack_user"].get("roles"):
            msg = ("the OpenStack user of project %s of host %s has no roles: set roles in %s (for example"
                   " [administrator]), or leave it out for the default [administrator]" % (name, host, _user_where(spec)))
        if msg is not None:
            errors.append({"host": host, "msg": msg})
    return errors


def project_play(hosts, endpoint=None, argument_spec=None):
    """{hosts, projects, accounts, problems} for the variables of every host of the play.

    Each of ``hosts`` is what project_hosts records of a host: {host, name, projects, entry_tokens, endpoint,
    application_key, client_id, secrets, defaults, problem} (``entry_tokens``: the hashes of the termination tokens of
    the entries of ``projects``, whose own termination_token is null; ``problem``: why the host is left out before any
    check, or null). ``endpoint`` is the one of a host that sets none (the controller's OVH_ENDPOINT);
    ``argument_spec`` the options of the role's argument specs, checked first, whose conversions and defaults the
    values then get. ``hosts`` of the result are {host, one_project, projects} (project_specs' entries), ``projects`` and
    ``accounts`` are dedupe_projects', ``problems`` are [{host, msg}], one per host left out: its variable errors, or
    the conflicts of the projects it names (hosts naming a project with different settings, two projects with one
    project_id, two OpenStack users writing one clouds.yaml entry). A host left out has no projects: none of them is
    looked up or ordered, and the role fails it at the end with its message; the other hosts go on.
    """
    records = []
    problems = []
    for host in hosts or []:
        errors = [{"host": host.get("host"), "msg": host["problem"]}] if host.get("problem") else []
        if not errors:
            errors, host = spec_check(host, argument_spec)
        name, projects = host.get("name"), host.get("projects")
        errors = errors or variable_errors(projects, name, host.get("host"))
        host_specs = [] if errors else project_specs(
            projects, name=name, host=host.get("host"), endpoint=host.get("endpoint") or endpoint or None,
            credentials={"application_key": host.get("application_key"), "client_id": host.get("client_id"),
                         "secrets": host.get("secrets")},
            defaults=host.get("defaults"), tokens=host.get("entry_tokens"))
        errors = errors or project_errors(host_specs)
        host_specs = [] if errors else host_specs
        if errors:
            problems.append({"host": host.get("host"), "msg": "; ".join(error["msg"] for error in errors)})
        records.append({"host": host.get("host"), "one_project": projects is None, "projects": host_specs})
    play = {"hosts": records, "problems": problems}
    deduped = dedupe_projects(_specs(play))
    return without_projects(play, deduped["conflicts"] + entry_conflicts(deduped["projects"]))


def _specs(play):
    return [spec for record in play.get("hosts") or [] for spec in record.get("projects") or []]


def without_projects(play, troubles):
    """``play`` without the hosts that name a project of ``troubles`` ([{keys, msg}]): each such host gets no projects
    and one problem, the messages of its troubles; ``projects`` and ``accounts`` are those of the other hosts."""
    failing = {}
    for spec in _specs(play):
        for trouble in troubles or []:
            if spec["key"] in trouble["keys"]:
                messages = failing.setdefault(spec["host"], [])
                if trouble["msg"] not in messages:
                    messages.append(trouble["msg"])
    records = [dict(record, projects=[]) if record["host"] in failing else record for record in play.get("hosts") or []]
    problems = list(play.get("problems") or [])
    problems.extend({"host": record["host"], "msg": "; ".join(failing[record["host"]])}
                    for record in records if record["host"] in failing)
    deduped = dedupe_projects([spec for record in records for spec in record["projects"]])
    return {"hosts": records, "projects": deduped["projects"], "accounts": deduped["accounts"], "problems": problems}


def entry_conflicts(projects):
    """Two projects whose OpenStack users would write the same entry (cloud_name, by default the project's name) of the
    same clouds.yaml: each run would overwrite the other's. [{host, keys, msg}], before any API call."""
    first_by_entry = {}
    conflicts = []
    for spec in projects or []:
        user = spec.get("openstack_user")
        if user is None or not user.get("clouds_yaml"):
            continue
        path = os.path.normpath(os.path.expanduser(user["clouds_yaml"]))
        cloud_name = user.get("cloud_name") or spec["name"]
        first = first_by_entry.setdefault((path, cloud_name), spec)
        if first is not spec:
            conflicts.append({"host": spec["host"], "keys": [first["key"], spec["key"]], "msg": (
                "projects %s of host %s and %s of host %s would both write the entry %s of %s (cloud_name, by default the"
                " project's name): give their OpenStack users different cloud_name values; nothing was ordered"
                % (json.dumps(first["name"]), first["host"], json.dumps(spec["name"]), spec["host"], json.dumps(cloud_name),
                   user["clouds_yaml"]))})
    return conflicts
