# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The variables of every host of a play of the public_cloud_project role, read once on the controller.

The role's first task runs once for the play and reads each host's variables here, through ``hostvars`` (the host's
inventory variables, extra variables and facts), rather than with a task on every host (a process per host). What
``hostvars`` cannot show (the play's variables, the role's parameters) is read as that task sees them: the same for
every host. The role's variables are those of its argument specs (meta/argument_specs.yml), whose project settings are
the module's options (a unit test keeps the two alike): a new option of the module reaches the role with no change here.

No secret leaves this file: the consumer key and client secret only as the first 12 characters of the SHA-256 of
"consumer key/client secret" (to tell accounts apart), the termination tokens as the same kind of hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

PREFIX = "public_cloud_project_"
# The role variables that are no project setting: the project(s) of the host, and the connection of its account.
OWN = ("name", "projects")
CONNECTION = ("endpoint", "application_key", "client_id")
SECRETS = ("application_secret", "consumer_key", "client_secret")
_HASH_LENGTH = 12
SECRET_ADVICE = (
    "the consumer key or client secret of host %s are set in play or role variables that the controller cannot read for"
    " that host (they differ from its inventory variables): set public_cloud_project_consumer_key,"
    " public_cloud_project_client_secret and public_cloud_project_application_secret in the inventory (host or group"
    " variables) or as extra variables. Nothing was ordered")
OVERRIDE_ADVICE = (
    "%s of host %s is set both in its inventory variables and, with another value, in play or role variables, which"
    " the role reads as the same for every host: set it in one place (the inventory for a value per host). Nothing was"
    " ordered")


def role_settings(argument_spec):
    """The project settings of the role, as its argument specs give them: the keys an entry of
    public_cloud_project_projects may have besides its name, each also the role variable public_cloud_project_<key>."""
    entry = ((argument_spec or {}).get(PREFIX + "projects") or {}).get("options") or {}
    return [key for key in entry if key != "name"]


def _hash(text):
    return hashlib.sha256(text.encode("utf-8", errors="surrogateescape")).hexdigest()[:_HASH_LENGTH]


def _text(value):
    return "" if value is None else str(value)


def _token_hash(value):
    """The hash the role records of a termination token: None for none (null or empty)."""
    return _hash(_text(value)) if value not in (None, "") else None


def _entries(projects):
    """public_cloud_project_projects without the entries' termination tokens, and the hashes of those tokens (in the
    entries' order, the hash of the empty string for none); the list as it is when it is no list of entries (the
    checks report it)."""
    if projects is None or isinstance(projects, (str, Mapping)) or not hasattr(projects, "__iter__"):
        if isinstance(projects, Mapping):
            return dict(projects, termination_token=None), None
        return projects, None
    projects = list(projects)
    tokens = [_hash(_text(entry.get("termination_token") or "")) if isinstance(entry, Mapping) else _hash("")
              for entry in projects]
    return [dict(entry, termination_token=None) if isinstance(entry, Mapping) else entry for entry in projects], tokens


def _same(first, second):
    try:
        return bool(first == second)
    except Exception:  # pylint: disable=broad-exception-caught
        return False


def project_hosts(hosts, hostvars, this_host=None, play_vars=None, argument_spec=None):
    """What the role records of each of ``hosts`` (the hosts the role applies to), as project_play reads it: [{host, name, projects,
    entry_tokens, endpoint, application_key, client_id, secrets, defaults, problem}].

    ``hostvars`` are Ansible's; ``play_vars`` the role's variables as the role's task sees them on ``this_host`` (the
    host it runs for; its own inventory variables, the play's variables and the role's parameters, extra variables).
    A host's variable is read from its ``hostvars``; one it does not set there, from the play (a variable of
    ``play_vars`` that ``this_host``'s hostvars do not show with that value). A host whose inventory sets a variable
    the play sets otherwise gets a ``problem`` (Ansible would give it the play's value, which may be a template of the
    host's own variables that the role cannot render for it). ``defaults`` holds the project settings of the host
    (role_settings; unset: null, the argument specs' defaults applying later); the termination tokens only hashed.
    """
    settings = role_settings(argument_spec)
    names = [PREFIX + key for key in OWN + CONNECTION + SECRETS + tuple(settings)]
    play_vars = play_vars or {}
    own = hostvars[this_host] if this_host is not None and this_host in hostvars else {}
    from_play = dict((name, play_vars[name]) for name in names
                     if name in play_vars and not (name in own and _same(own[name], play_vars[name])))
    records = []
    for host in hosts or []:
        found = hostvars[host] if host in hostvars else {}
        values = {}
        overridden = []
        unreadable = []
        for name in names:
            if name in found:
                try:
                    values[name] = found[name]
                except Exception as error:  # pylint: disable=broad-exception-caught
                    # a template that fails for this host (an undefined variable): this host fails, the others go on
                    unreadable.append("%s of host %s cannot be read: %s" % (name, host, error))
                    continue
                if name in from_play and not _same(values[name], from_play[name]):
                    overridden.append(name)
            elif name in from_play:
                values[name] = from_play[name]
        value = dict((name[len(PREFIX):], values.get(name)) for name in names)
        projects, entry_tokens = _entries(value["projects"])
        defaults = dict((key, value[key]) for key in settings)
        if "termination_token" in defaults:
            defaults["termination_token"] = _token_hash(defaults["termination_token"])
        problem = None
        if unreadable:
            problem = "; ".join(unreadable)
        elif any(name[len(PREFIX):] in SECRETS for name in overridden):
            problem = SECRET_ADVICE % host
        elif overridden:
            problem = "; ".join(OVERRIDE_ADVICE % (name, host) for name in overridden)
        records.append({
            "host": host, "name": value["name"], "projects": projects, "entry_tokens": entry_tokens,
            "endpoint": value["endpoint"], "application_key": value["application_key"], "client_id": value["client_id"],
            "secrets": _hash("%s/%s" % (value["consumer_key"] or "", value["client_secret"] or "")),
            "defaults": defaults, "problem": problem})
    return records
