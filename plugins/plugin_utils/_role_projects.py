# -*- coding: utf-8 -*-
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters of the public_cloud_project role: what each host wants, deduplicated, and what came of it.

Each filter is documented in the .yml file of its name next to this one. They are plain functions of their
arguments (no Ansible state), so that the role's tasks stay short and each step can be unit-tested. What the account
lookup decides (found, or to order) is in project_plan.py, the checks and collection of every host of the play in
project_play.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean


# The module options a project of the role may set, in the order the role reports them first; the role's argument
# specs may give more (the module's other options: any key of ``defaults`` of project_specs), reported after these.
# termination_token is never the token: the first 12 hex characters of its SHA-256 (project_hosts hashes it, and the
# controller reads the token itself, for the module only).
SETTINGS = ("state", "subsidiary", "voucher", "auto_pay", "waive_retractation_period", "wait", "wait_timeout",
            "project_id", "max_price", "allow_termination", "termination_token", "termination_token_from_email")
# The settings the module is given only with one state (left out otherwise: the module's defaults), and those it is
# never given from the settings (the token: the controller reads it for the module).
ONLY_WITH_STATE = {"max_price": "present", "allow_termination": "absent", "termination_token_from_email": "absent"}
NOT_MODULE_ARGS = ("termination_token",)
_BOOLEANS = ("auto_pay", "waive_retractation_period", "wait", "allow_termination", "termination_token_from_email")
# Length of the hash of the consumer key and client secret in the account of a key (hex characters).
_HASH_LENGTH = 12
# The hash the role records for no termination token (the SHA-256 of the empty string, truncated).
NO_TOKEN = hashlib.sha256(b"").hexdigest()[:_HASH_LENGTH]
NO_RESULT = "no result: the project was not passed to the module"
NO_VERDICT = ("no verdict: the module's result has no 'verdict' (its own failed and changed), which the collection's"
              " action plugin adds for the role's tasks: make sure the tasks run the collection's modules by their"
              " full names")
# The keys of an OpenStack user a project asks for (public_cloud_project_openstack_user, or openstack_user in an entry of
# public_cloud_project_projects): options of the public_cloud_user module, none of them a secret.
USER_KEYS = ("description", "roles", "region", "clouds_yaml", "cloud_name", "regenerate_password")
DEFAULT_ROLES = ("administrator",)


def _text(value):
    return "" if value is None else str(value)


def _to_bool(value):
    """Like the bool filter for the values the role's argument specs accept; null stays null (module default)."""
    if value is None or isinstance(value, bool):
        return value
    return boolean(value, strict=False)


def _to_int(value):
    """Like the int filter: 0 when the value is no number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _to_float(value):
    """Like the float filter; null stays null (no price cap), and a value that is no number stays as it is (the role's
    argument specs report it)."""
    if value is None or isinstance(value, float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _token_hash(value):
    """The recorded hash of a termination token, or None for none (null, empty, or the hash of the empty string)."""
    if value is None or _text(value) in ("", NO_TOKEN):
        return None
    return _text(value)[:_HASH_LENGTH]


def openstack_user(value):
    """The OpenStack user a project asks for, {description, roles, region, clouds_yaml, cloud_name,
    regenerate_password} with the role's defaults (roles [administrator], regenerate_password false; empty values
    null: the module's defaults), or None when ``value`` is no dictionary (none asked for)."""
    if not isinstance(value, Mapping):
        return None
    roles = value.get("roles")
    if roles is None:
        roles = list(DEFAULT_ROLES)
    elif isinstance(roles, str):  # as Ansible converts a string to a list
        roles = [role.strip() for role in roles.split(",") if role.strip()]
    else:
        roles = [_text(role) for role in roles]
    user = dict((key, _text(value.get(key)) if value.get(key) not in (None, "") else None)
                for key in ("description", "region", "clouds_yaml", "cloud_name"))
    user["roles"] = roles
    user["regenerate_password"] = bool(_to_bool(value.get("regenerate_password")))
    return dict((key, user[key]) for key in USER_KEYS)


def account_id(credentials):
    """application key / client ID / truncated sha256 of consumer key and client secret: tells accounts apart.

    ``credentials`` may hold that hash as ``secrets`` instead of the secrets (the role hashes them on each host)."""
    credentials = credentials or {}
    digest = credentials.get("secrets")
    if digest is None:
        secrets = "/".join([_text(credentials.get("consumer_key")), _text(credentials.get("client_secret"))])
        digest = hashlib.sha256(secrets.encode("utf-8", errors="surrogateescape")).hexdigest()
    return "/".join([_text(credentials.get("application_key")), _text(credentials.get("client_id")),
                     _text(digest)[:_HASH_LENGTH]])


def project_specs(projects, name=None, host=None, endpoint=None, credentials=None, defaults=None, tokens=None):
    """The projects one host asks for: [{key, host, name, index, settings, account, connection}], in the order the
    host names them.

    ``projects`` is public_cloud_project_projects, or None for one project per host (``name``); ``index`` is the
    position of the entry in it (null for one project per host). A project with state present that asks for an
    OpenStack user (``openstack_user`` of its entry, else of ``defaults``) has ``openstack_user`` (see
    openstack_user()); the others have no such key. The keys of an entry that are not null override
    ``defaults`` (the role variables). ``tokens`` are the hashes of the entries' termination tokens, in the order of
    ``projects`` (the role records them instead of the tokens); a hash of a token is all the result holds of it.
    ``account`` is the key without the name; ``connection`` holds what the modules get for the project that is no
    secret (endpoint, application key, client ID) and the hash of the secrets (to check the ones read for the
    account). No secret goes into the result.
    """
    one_project = projects is None
    if one_project:
        projects = [{"name": name}]
    if isinstance(projects, (str, Mapping)) or not hasattr(projects, "__iter__"):
        raise AnsibleFilterError("project_specs: expected a list of projects, got %s" % type(projects).__name__)
    defaults = defaults or {}
    options = settings_of(defaults)
    credentials = credentials or {}
    account = "%s|%s" % (_text(endpoint), account_id(credentials))
    connection = {"endpoint": endpoint or None, "application_key": credentials.get("application_key") or None,
                  "client_id": credentials.get("client_id") or None, "secrets": account.rsplit("/", 1)[1]}
    tokens = list(tokens or [])
    specs = []
    for index, entry in enumerate(projects):
        if not isinstance(entry, Mapping):
            raise AnsibleFilterError("project_specs: expected each project to be a dict, got %s" % type(entry).__name__)
        given = dict((option, defaults.get(option)) for option in options)
        given.update((option, value) for option, value in entry.items() if option in options and value is not None)
        given["termination_token"] = _token_hash(given["termination_token"])
        if index < len(tokens) and _token_hash(tokens[index]) is not None:
            given["termination_token"] = _token_hash(tokens[index])
        settings = dict((option, given[option]) for option in options)
        for option in _BOOLEANS:
            settings[option] = _to_bool(settings[option])
        settings["wait_timeout"] = _to_int(settings["wait_timeout"])
        settings["max_price"] = _to_float(settings["max_price"])
        if settings["project_id"] is not None:
            settings["project_id"] = _text(settings["project_id"])
        project_name = str(entry.get("name"))  # as the name check saw it (a null name is "None")
        spec = {"key": account + "|" + project_name, "host": host, "name": project_name,
                "index": None if one_project else index, "settings": settings, "account": account,
                "connection": dict(connection), "module_args": module_args(settings)}
        user = openstack_user(entry.get("openstack_user") if entry.get("openstack_user") is not None
                              else defaults.get("openstack_user"))
        if user is not None and settings["state"] != "absent":
            spec["openstack_user"] = user
        specs.append(spec)
    return specs


def settings_of(defaults):
    """The settings of a project: SETTINGS, then the other keys of ``defaults`` (the host's settings, as the role's
    argument specs list them; its OpenStack user apart)."""
    return SETTINGS + tuple(option for option in defaults or {} if option not in SETTINGS and option != "openstack_user")


def module_args(settings):
    """The arguments the module gets from a project's settings, besides its name, token and connection: every setting
    that is set (neither null nor empty), those of ONLY_WITH_STATE only with their state. The role passes them as a
    whole (the action plugin's private variable public_cloud_project__module_args): a new setting needs no change."""
    state = settings.get("state") or "present"
    return dict((option, value) for option, value in settings.items()
                if value not in (None, "") and option not in NOT_MODULE_ARGS
                and ONLY_WITH_STATE.get(option, state) == state)


def verdict(result):
    """A registered result with the module's own ``failed`` and ``changed``: the role's tasks that run once override both
    (``failed_when: false``, ``changed_when: false``) and ask the collection's action plugin for the module's own in the
    result's ``verdict`` (plugin_utils/_secret_handoff.py). A result without ``verdict`` is returned as it is, unless
    failed_when overwrote its ``failed`` (``failed_when_result``): then what the module did is unknown, and the result
    fails saying so rather than pass for a success."""
    if not isinstance(result, Mapping):
        return result
    if not isinstance(result.get("verdict"), Mapping):
        if "failed_when_result" not in result or result.get("skipped"):
            return result
        return dict(result, failed=True, msg=NO_VERDICT)
    judged = dict(result)
    found = judged.pop("verdict")
    judged["failed"] = bool(found.get("failed", False))
    judged["changed"] = bool(found.get("changed", False))
    return judged


def verdicts(results):
    """verdict() of each registered result of a loop."""
    return [verdict(result) for result in results or []]


def _json(value):
    return json.dumps(value, sort_keys=True)


def _setting(spec, option):
    """A setting of a project's entry, its OpenStack user included."""
    return spec.get("openstack_user") if option == "openstack_user" else spec["settings"].get(option)


def _conflict(first, other):
    options = settings_of(dict(first["settings"], **other["settings"]))
    differ = [option for option in options + ("openstack_user",)
              if _json(_setting(first, option)) != _json(_setting(other, option))]
    if not differ:
        return None
    return {
        "host": other["host"],
        "name": other["name"],
        "keys": [other["key"]],
        "msg": "hosts %s and %s both name project %s but differ in %s (%s on %s, %s on %s): make them agree; nothing was"
               " ordered" % (first["host"], other["host"], other["name"], ", ".join(differ),
                             ", ".join(_json(_setting(first, option)) for option in differ), first["host"],
                             ", ".join(_json(_setting(other, option)) for option in differ), other["host"]),
    }


def _same_id(first, other):
    """Two projects of an account that give the same project_id under two names: one project cannot have both."""
    return {
        "host": other["host"],
        "name": other["name"],
        "keys": [first["key"], other["key"]],
        "msg": "hosts %s and %s give the same project_id %s to projects %s and %s: one project has one name; give the"
               " project_id once; nothing was ordered" % (first["host"], other["host"], other["settings"]["project_id"],
                                                          first["name"], other["name"]),
    }


def dedupe_projects(specs):
    """{projects, conflicts, accounts}: the first spec of each key, the later ones whose settings differ from it, and
    each account once (with the host of its first project, whose credentials the role reads for the account).

    Two projects of an account (two names) with the same project_id are a conflict too. A conflict is {host, name, keys,
    msg}: ``keys`` are those of the projects in conflict (project_play leaves out every host that names one of them)."""
    first_by_key = {}
    first_by_id = {}
    conflicts = []
    accounts = {}
    for spec in specs or []:
        first = first_by_key.setdefault(spec["key"], spec)
        if first is not spec:
            conflict = _conflict(first, spec)
            if conflict is not None and conflict not in conflicts:
                conflicts.append(conflict)
            continue
        project_id = (spec.get("settings") or {}).get("project_id")
        if project_id is not None:
            holder = first_by_id.setdefault((spec.get("account"), project_id), spec)
            if holder is not spec:
                conflicts.append(_same_id(holder, spec))
        if spec.get("account") is not None and spec["account"] not in accounts:
            accounts[spec["account"]] = {"account": spec["account"], "account_host": spec["host"],
                                         "connection": spec.get("connection") or {}, "alerting": False}
        if spec.get("account") is not None and (spec.get("settings") or {}).get("alerting") is not None:
            # the lookup reads the alerts of the account's projects (calls per project) only when one of them sets some
            accounts[spec["account"]]["alerting"] = True
    return {"projects": list(first_by_key.values()), "conflicts": conflicts, "accounts": list(accounts.values())}


def _absent_message(result, check_mode):
    termination = result.get("termination") or {}
    project = result.get("project") or {}
    if result.get("changed", False):
        if check_mode:
            return "would be terminated (check mode)" if termination.get("confirmed") else \
                "termination would be requested (check mode)"
        if termination.get("confirmed"):
            return "terminated (project %s is being deleted)" % _text(project.get("project_id"))
        return ("termination requested: OVHcloud e-mailed a confirmation link to the account's admin contact; rerun"
                " with its token= parameter as termination_token, or with termination_token_from_email: true, to"
                " confirm (until then the project is kept)")
    if not project:
        return "absent"
    if project.get("status") in ("deleting", "deleted"):
        return "already %s" % project["status"]
    return "left as it is"


def _message(result, check_mode, state="present"):
    order = result.get("order") or {}
    if result.get("failed", False):
        return result.get("msg", "")
    if state == "absent":
        return _absent_message(result, check_mode)
    if _renamed(result):
        return RENAMED[check_mode]
    if _existing_changed(result):
        return UPDATED[check_mode]
    if check_mode and result.get("changed", False):
        return "would be ordered (check mode)"
    if result.get("pending_payment", False):
        return "order %s waits for payment at %s" % (_text(order.get("order_id")), _text(order.get("url")))
    if result.get("changed", False):
        return "ordered (order %s)" % _text(order.get("order_id"))
    return "exists"


# what the role says of a project that existed and changed: {check_mode: message}
RENAMED = {False: "renamed", True: "would be renamed (check mode)"}
UPDATED = {False: "spending alerts or tags updated", True: "spending alerts or tags would be updated (check mode)"}


def _existing_changed(result):
    """A project that existed and that the run changed (renamed, or its spending alerts or tags): changed, no order,
    and an id (a project ordered in check mode has none yet)."""
    return (result.get("changed", False) and not result.get("order") and not result.get("pending_payment", False)
            and bool((result.get("project") or {}).get("project_id")))


def _renamed(result):
    """A project given by project_id that the run renamed: it existed and changed, and the name of its diff changed."""
    diff = result.get("diff") or {}
    before, after = ((diff.get(side) or {}).get("name") for side in ("before", "after"))
    return _existing_changed(result) and before is not None and after is not None and before != after


def project_outcome(result, name, check_mode=False, state="present"):
    """What the role reports for one project, from the module's result (None: the module never ran for it);
    ``termination`` only with ``state`` absent."""
    if result is None:
        result = {"failed": True, "msg": NO_RESULT}
    project = result.get("project") or {}
    outcome = {
        "name": name,
        "project_id": project.get("project_id"),
        "status": project.get("status"),
        "order": result.get("order"),
        "pending_payment": result.get("pending_payment", False),
        "changed": result.get("changed", False),
        "failed": result.get("failed", False),
        "msg": _message(result, check_mode, state),
    }
    if state == "absent":
        termination = result.get("termination") or {}
        outcome["termination"] = {"requested": bool(termination.get("requested", False)),
                                  "confirmed": bool(termination.get("confirmed", False))}
    return outcome


def project_outcomes(results, projects, check_mode=False):
    """{key: outcome} for each of ``projects``, from the module's results (registered in a loop over the specs)."""
    by_key = {}
    for result in verdicts(results):
        key = (result.get("item") or {}).get("key") if isinstance(result, Mapping) else None
        if key is not None:
            by_key.setdefault(key, result)
    return dict((spec["key"], project_outcome(by_key.get(spec["key"]), spec["name"], check_mode,
                                              (spec.get("settings") or {}).get("state") or "present"))
                for spec in projects or [])


def _named(outcomes, with_msg=False):
    if with_msg:
        return "; ".join("%s: %s" % (outcome["name"], outcome["msg"]) for outcome in outcomes) or "-"
    return ", ".join(outcome["name"] for outcome in outcomes) or "-"


def project_summary(outcomes, check_mode=False):
    """The lines of the role's summary: the counts, then the projects found, ordered, pending payment and failed; and,
    when the run renamed or retired projects, the projects renamed, terminated, whose termination was requested, and
    absent (counted after the others on the first line)."""
    outcomes = list(outcomes or [])
    failed = [outcome for outcome in outcomes if outcome["failed"]]
    succeeded = [outcome for outcome in outcomes if not outcome["failed"]]
    retired = [outcome for outcome in succeeded if "termination" in outcome]
    present = [outcome for outcome in succeeded if "termination" not in outcome]
    renamed = [outcome for outcome in present if outcome["msg"] in RENAMED.values()]
    updated = [outcome for outcome in present if outcome["msg"] in UPDATED.values()]
    present = [outcome for outcome in present if outcome not in renamed and outcome not in updated]
    found = [outcome for outcome in present if not outcome["changed"]]
    pending = [outcome for outcome in present if outcome["pending_payment"]]
    new = [outcome for outcome in present if outcome["changed"] and not outcome["pending_payment"]]
    ordered = "to order" if check_mode else "ordered"
    lines = [
        "Public Cloud projects: %d (found %d, %s %d, pending payment %d, failed %d)"
        % (len(outcomes), len(found), ordered, len(new), len(pending), len(failed)),
        "found: %s" % _named(found),
        "%s: %s" % (ordered, _named(new)),
        "pending payment: %s" % _named(pending, with_msg=True),
        # names only: each failed project fails its hosts at the end of the role, with its message (printed once)
        "failed: %s" % _named(failed),
    ]
    if updated:
        label = "alerts or tags to update" if check_mode else "alerts or tags updated"
        lines[0] += ", %s %d" % (label, len(updated))
        lines.append("%s: %s" % (label, _named(updated)))
    if renamed or retired:
        terminated = [outcome for outcome in retired if outcome["changed"] and outcome["termination"]["confirmed"]]
        requested = [outcome for outcome in retired if outcome["changed"] and not outcome["termination"]["confirmed"]]
        absent = [outcome for outcome in retired if not outcome["changed"]]
        labels = (("to rename", "to terminate", "termination to request") if check_mode
                  else ("renamed", "terminated", "termination requested"))
        lines[0] += ", %s %d, %s %d, %s %d, absent %d" % (labels[0], len(renamed), labels[1], len(terminated), labels[2],
                                                          len(requested), len(absent))
        lines.extend(["%s: %s" % (labels[0], _named(renamed)), "%s: %s" % (labels[1], _named(terminated)),
                      "%s: %s" % (labels[2], _named(requested)), "absent: %s" % _named(absent, with_msg=True)])
    return lines


def project_host_facts(hosts, outcomes):
    """What each host gets: [{host, public_cloud_project, failure, change}] (one project) or [{host,
    public_cloud_project_results, failure, change}] (a list); ``failure`` is project_failures' message for the host,
    ``change`` project_changes'."""
    facts = []
    for record in hosts or []:
        found = [outcomes.get(spec["key"]) or project_outcome(None, spec["name"]) for spec in record.get("projects") or []]
        once = dict((spec["key"], outcome) for spec, outcome in zip(record.get("projects") or [], found))
        fact = {"host": record["host"], "failure": project_failures(list(once.values()), record["host"]),
                "change": project_changes(list(once.values()))}
        if record.get("one_project"):
            fact["public_cloud_project"] = found[0] if found else None
        else:
            fact["public_cloud_project_results"] = found
        facts.append(fact)
    return facts


def project_changes(outcomes):
    """What changed for a host: its projects ordered, renamed or terminated (or whose order or termination was
    requested), and those whose OpenStack user was created or updated, each with what the role says of it; empty when
    nothing changed. A project that changed and then failed is named here, its message is in the host's failure."""
    changes = []
    for outcome in outcomes or []:
        if outcome["changed"]:
            changes.append("%s: %s" % (outcome["name"], "changed, then failed" if outcome["failed"] else outcome["msg"]))
        user = outcome.get("openstack_user") or {}
        if user.get("changed") and not user.get("failed"):
            changes.append("%s: OpenStack user %s" % (outcome["name"], user.get("msg", "")))
    return "; ".join(changes)


def project_failures(outcomes, host):
    """The message a host fails with, naming its failed projects, then the projects whose OpenStack user failed; empty
    when none failed."""
    failed = [outcome for outcome in outcomes or [] if outcome["failed"]]
    users = [{"name": outcome["name"], "msg": outcome["openstack_user"].get("msg", "")} for outcome in outcomes or []
             if not outcome["failed"] and (outcome.get("openstack_user") or {}).get("failed")]
    messages = []
    if failed:
        messages.append("Public Cloud project%s of host %s failed: %s"
                        % ("s" if len(failed) > 1 else "", host, _named(failed, with_msg=True)))
    if users:
        messages.append("OpenStack user%s of the project%s of host %s failed: %s"
                        % ("s" if len(users) > 1 else "", "s" if len(users) > 1 else "", host, _named(users, with_msg=True)))
    return "; ".join(messages)
