# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline checks of the AWX / Automation Controller and execution-environment files (no controller, no container).

Run it with the tools virtualenv (it needs awx.awx, ansible-builder and jsonschema):

    .venv-tools/bin/python tests/utils/check_awx.py [credential-type] [playbook] [ee]     (all three by default)

credential-type  extensions/awx/ovh_credential_type.yml is what AWX accepts: the inputs and injectors JSON schemas and
                 extra rules of AWX (awx/main/fields.py CredentialTypeInputField / CredentialTypeInjectorField), every
                 injector template renders with StrictUndefined against the defined fields and the `tower.filename`
                 names of the file injectors, as AWX validates them.
playbook         playbooks/awx_credential_type.yml passes the syntax check; every option it gives an awx.awx module or
                 its module_defaults exists in that module's argument spec (ansible-doc -j); then a copy of the playbook
                 where each awx.awx task becomes ansible.builtin.validate_argument_spec with the module's spec runs
                 every task (credential and job template too), so the values Ansible really templates (the file
                 lookup, the filters) are checked for types and choices by Ansible's own validator.
ee               meta/execution-environment.yml is a version 3 definition; the requirements have no pin and no upper
                 bound; `ansible-builder create` builds a context holding the requirements (from a copy of the file
                 placed at the collection root, where its relative paths point); `ansible-builder introspect` reads
                 the collection's requirements through meta/execution-environment.yml. The image carries the
                 openstack.cloud the tests run (the tools' `ansible` package's, copied by `make openstack-cloud`) and
                 constrains openstacksdk to what works with it: the tests' pinned version, not 4.15 (see
                 meta/ee-constraints.txt); the context holds the constraints and the builder stage copies them where
                 ansible-builder's assemble script applies them, before it installs anything.
"""

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml
from packaging.requirements import Requirement
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
CREDENTIAL_TYPE = os.path.join(ROOT, "extensions", "awx", "ovh_credential_type.yml")
PLAYBOOK = os.path.join(ROOT, "playbooks", "awx_credential_type.yml")
EE_DEFINITION = os.path.join(ROOT, "meta", "execution-environment.yml")
TEST_REQUIREMENTS = os.path.join(ROOT, "test-requirements.txt")
# what the image's builder stage copies the definition's constraints to: assemble and install-from-bindep (ansible-builder
# 3, _target_scripts) pass /tmp/src/upper-constraints.txt (kept as /output/upper-constraints.txt) to every pip install
CONSTRAINTS_COPY = "COPY _build/configs/ee-constraints.txt /tmp/src/upper-constraints.txt"
BROKEN_OPENSTACKSDK = "4.15.0"  # the first openstacksdk that no longer imports openstack.version (openstack.cloud 2.5 reads it)

# AWX's schemas for CredentialType.inputs and .injectors (awx/main/fields.py, AWX 21 to 24).
INPUTS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "required": {"type": "array", "items": {"type": "string"}},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"enum": ["string", "boolean"]},
                    "format": {"enum": ["ssh_private_key", "url"]},
                    "choices": {"type": "array", "minItems": 1, "items": {"type": "string"}, "uniqueItems": True},
                    "id": {"type": "string", "pattern": "^[a-zA-Z_]+[a-zA-Z0-9_]*$"},
                    "label": {"type": "string"},
                    "help_text": {"type": "string"},
                    "multiline": {"type": "boolean"},
                    "secret": {"type": "boolean"},
                    "ask_at_runtime": {"type": "boolean"},
                    "default": {},
                },
                "additionalProperties": False,
                "required": ["id", "label"],
            },
        },
    },
}
INJECTORS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "file": {
            "type": "object",
            "patternProperties": {r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$": {"type": "string"}},
            "additionalProperties": False,
        },
        "env": {
            "type": "object",
            "patternProperties": {"^[a-zA-Z_]+[a-zA-Z0-9_]*$": {"type": "string", "pattern": "^[\x00-\x7F]*$"}},
            "additionalProperties": False,
        },
        "extra_vars": {
            "type": "object",
            "patternProperties": {"^[a-zA-Z_]+[a-zA-Z0-9_]*$": {"type": "string"}},
            "additionalProperties": False,
        },
    },
}
# Environment variables AWX refuses in injectors (awx_plugins.interfaces ENV_BLOCKLIST), and any ANSIBLE_*.
ENV_BLOCKLIST = frozenset((
    "VIRTUAL_ENV", "PATH", "PYTHONPATH", "JOB_ID", "INVENTORY_ID", "INVENTORY_SOURCE_ID", "INVENTORY_UPDATE_ID",
    "AD_HOC_COMMAND_ID", "REST_API_URL", "REST_API_TOKEN", "MAX_EVENT_RES", "CALLBACK_QUEUE", "CALLBACK_CONNECTION",
    "CACHE", "JOB_CALLBACK_DEBUG", "INVENTORY_HOSTVARS", "AWX_HOST", "PROJECT_REVISION", "SUPERVISOR_CONFIG_PATH",
))
# Custom credential types may only be of these kinds (AWX CredentialType.kind for user-defined types).
CUSTOM_KINDS = ("cloud", "net")
# Values for the playbook run that makes every task run (credential and job template included).
PLAYBOOK_TEST_VARS = {
    "awx_ovh_credential_name": "OVHcloud check",
    "awx_ovh_application_key": "check-application-key",
    "awx_ovh_application_secret": "check-application-secret",
    "awx_ovh_consumer_key": "check-consumer-key",
    "awx_ovh_job_template_name": "Order OVHcloud projects",
    "awx_ovh_project": "OVHcloud projects",
    "awx_ovh_inventory": "OVHcloud projects",
    "awx_ovh_execution_environment": "OVHcloud EE",
}
SPEC_KEYS = ("type", "elements", "choices", "aliases", "required", "default", "no_log")
UPPER_BOUND_OR_PIN = re.compile(r"(===?|<=?|~=|!=|@)")


class CheckFailed(Exception):
    pass


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def run(command, **kwargs):
    proc = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if proc.returncode != 0:
        raise CheckFailed("%s failed (rc %d):\n%s%s" % (" ".join(command), proc.returncode, proc.stdout, proc.stderr))
    return proc


# credential-type ----------------------------------------------------------------------------------------------


def tower_namespace(file_injectors):
    """The reserved `tower` namespace as AWX validates injectors with it (CredentialTypeInjectorField.validate):
    `tower.filename` for a single `template` file, `tower.filename.<name>` for each `template.<name>`; anything else,
    or `tower` / `tower.filename` used as a value when they are containers, is an error."""

    class ExplodingNamespace:  # pylint: disable=too-few-public-methods
        def __str__(self):
            raise UndefinedError("Must define unnamed file injector in order to reference `tower.filename`.")

    class TowerNamespace:  # pylint: disable=too-few-public-methods
        def __init__(self):
            self.filename = ExplodingNamespace()

        def __str__(self):
            raise UndefinedError("Cannot directly reference reserved `tower` namespace container.")

    tower, errors = TowerNamespace(), []
    names = [name for name in file_injectors if name.startswith("template")]
    if "template" in names:
        tower.filename = "EXAMPLE_FILENAME"
        if len(names) > 1:
            errors.append("injectors.file: must use multi-file syntax (template.<name>) when injecting multiple files")
    else:
        for name in names:
            setattr(tower.filename, name.split(".", 1)[1], "EXAMPLE_FILENAME")
    return tower, errors


def check_credential_type():
    definition = load_yaml(CREDENTIAL_TYPE)
    errors = []
    unknown = set(definition) - {"name", "kind", "description", "inputs", "injectors"}
    if unknown:
        errors.append("unknown top-level keys %s" % sorted(unknown))
    if not isinstance(definition.get("name"), str) or not definition["name"]:
        errors.append("name must be a non-empty string")
    if definition.get("kind") not in CUSTOM_KINDS:
        errors.append("kind must be one of %s for a custom credential type" % (CUSTOM_KINDS,))
    if not isinstance(definition.get("description", ""), str):
        errors.append("description must be a string")
    inputs, injectors = definition.get("inputs", {}), definition.get("injectors", {})
    for name, value, schema in (("inputs", inputs, INPUTS_SCHEMA), ("injectors", injectors, INJECTORS_SCHEMA)):
        for error in jsonschema.Draft4Validator(schema).iter_errors(value):
            errors.append("%s%s: %s" % (name, "".join("[%r]" % p for p in error.absolute_path), error.message))

    ids = []
    for field in inputs.get("fields", []):
        field_type = field.get("type", "string")
        ids.append(field.get("id"))
        if field.get("id") == "tower":
            errors.append('"tower" is a reserved field name')
        if field.get("ask_at_runtime"):
            errors.append("field %s: ask_at_runtime is refused for custom credential types" % field.get("id"))
        if "default" in field and not isinstance(field["default"], {"string": str, "boolean": bool}[field_type]):
            errors.append("field %s: default %r is not a %s" % (field.get("id"), field["default"], field_type))
        for key in ("choices", "multiline", "format", "secret"):
            if key in field and field_type != "string":
                errors.append("field %s: %s not allowed for %s type" % (field.get("id"), key, field_type))
    if len(ids) != len(set(ids)):
        errors.append("field ids must be unique: %s" % ids)
    for required in inputs.get("required", []):
        if required not in ids:
            errors.append("required field %s is not defined" % required)

    for variable in injectors.get("env", {}):
        if variable.startswith("ANSIBLE_") or variable in ENV_BLOCKLIST:
            errors.append("environment variable %s is not allowed in credentials" % variable)
    namespace = {field_id: "EXAMPLE" for field_id in ids}
    namespace["tower"], file_errors = tower_namespace(injectors.get("file", {}))
    errors.extend(file_errors)
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for kind, injector in injectors.items():
        for key, template in injector.items():
            try:
                sandbox.from_string(template).render(namespace)
            except (UndefinedError, SecurityError, TemplateSyntaxError) as exc:
                errors.append("injectors.%s.%s: %s" % (kind, key, exc))
    if errors:
        raise CheckFailed("%s is not a valid AWX credential type:\n  %s" % (CREDENTIAL_TYPE, "\n  ".join(errors)))
    return "%s: %d fields, %d environment injectors, %d file injectors" % (
        os.path.relpath(CREDENTIAL_TYPE, ROOT), len(ids), len(injectors.get("env", {})), len(injectors.get("file", {})))


# playbook ------------------------------------------------------------------------------------------------------


def module_options(module, cache={}):  # pylint: disable=dangerous-default-value
    if module not in cache:
        proc = run([os.path.join(BIN, "ansible-doc"), "-j", module], cwd=ROOT)
        cache[module] = json.loads(proc.stdout)[module]["doc"]["options"]
    return cache[module]


def to_argument_spec(options):
    """ansible-doc options as an argument spec for ansible.builtin.validate_argument_spec."""
    spec = {}
    for name, option in options.items():
        spec[name] = {k: option[k] for k in SPEC_KEYS if k in option}
        if "suboptions" in option:
            spec[name]["options"] = to_argument_spec(option["suboptions"])
    return spec


def iter_tasks(tasks):
    for task in tasks or []:
        yield task
        for section in ("block", "rescue", "always"):
            yield from iter_tasks(task.get(section))


def awx_module_of(task):
    modules = [key for key in task if key.startswith("awx.awx.")]
    return modules[0] if modules else None


def check_playbook_static(plays):
    errors, count = [], 0
    for play in plays:
        for group, defaults in (play.get("module_defaults") or {}).items():
            if not group.startswith("group/awx.awx."):
                continue
            options = module_options("awx.awx.credential_type")  # the controller options are common to the group
            names = set(options) | {a for o in options.values() for a in o.get("aliases", [])}
            errors.extend("module_defaults %s: %s is not a controller option" % (group, key)
                          for key in defaults if key not in names)
        for task in iter_tasks(play.get("tasks")):
            module = awx_module_of(task)
            if module is None:
                continue
            count += 1
            options = module_options(module)
            names = set(options) | {a for o in options.values() for a in o.get("aliases", [])}
            args = task[module] or {}
            errors.extend("task %r: %s has no option %s" % (task.get("name"), module, key) for key in args if key not in names)
            errors.extend("task %r: %s needs option %s" % (task.get("name"), module, name)
                          for name, option in options.items() if option.get("required") and name not in args)
    if errors:
        raise CheckFailed("%s:\n  %s" % (PLAYBOOK, "\n  ".join(errors)))
    return count


def check_playbook_dynamic(plays, workdir):
    """Run a copy of the playbook whose awx.awx tasks validate their templated arguments against the modules' specs."""
    plays = copy.deepcopy(plays)
    for play in plays:
        for task in iter_tasks(play.get("tasks")):
            module = awx_module_of(task)
            if module is None:
                continue
            args = task.pop(module) or {}
            task["ansible.builtin.validate_argument_spec"] = {
                "argument_spec": to_argument_spec(module_options(module)),
                "provided_arguments": args,
            }
            task["name"] = "%s (validated as %s)" % (task.get("name", module), module)
            task.pop("no_log", None)  # show what failed; the values are the test values above
    os.makedirs(os.path.join(workdir, "playbooks"))
    os.symlink(os.path.join(ROOT, "extensions"), os.path.join(workdir, "extensions"))
    copy_path = os.path.join(workdir, "playbooks", os.path.basename(PLAYBOOK))
    with open(copy_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(plays, handle, sort_keys=False)
    vars_file = os.path.join(workdir, "vars.json")
    with open(vars_file, "w", encoding="utf-8") as handle:
        json.dump(PLAYBOOK_TEST_VARS, handle)
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    proc = run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", copy_path, "-e", "@" + vars_file],
               cwd=workdir, env=env)
    validated = proc.stdout.count("(validated as awx.awx.")
    if "skipping:" in proc.stdout or "failed=0" not in proc.stdout:
        raise CheckFailed("some task did not run:\n%s" % proc.stdout)
    return validated


def check_playbook():
    run([os.path.join(BIN, "ansible-playbook"), "--syntax-check", "-i", "localhost,", PLAYBOOK], cwd=ROOT)
    plays = load_yaml(PLAYBOOK)
    count = check_playbook_static(plays)
    with tempfile.TemporaryDirectory() as workdir:
        validated = check_playbook_dynamic(plays, workdir)
    if validated != count:
        raise CheckFailed("%d awx.awx tasks, %d validated" % (count, validated))
    return "%s: syntax ok, %d awx.awx tasks: options exist, templated values validated" % (
        os.path.relpath(PLAYBOOK, ROOT), count)


# ee ------------------------------------------------------------------------------------------------------------


def requirement_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.strip().startswith("#")]


def check_ee():
    definition = load_yaml(EE_DEFINITION)
    errors = []
    if definition.get("version") != 3:
        errors.append("version must be 3")
    dependencies = definition.get("dependencies", {})
    python = dependencies.get("python")
    if not isinstance(python, str) or os.path.isabs(python):
        errors.append("dependencies.python must be a file path relative to the collection root")
        raise CheckFailed("\n".join(errors))
    requirements_file = os.path.join(ROOT, python)
    if not os.path.isfile(requirements_file):
        raise CheckFailed("dependencies.python: %s does not exist (paths are relative to the collection root)" % python)
    requirements = requirement_lines(requirements_file)
    if not requirements:
        errors.append("%s lists no requirement" % python)
    pip_refs = [dependencies.get(k, {}).get("package_pip") for k in ("ansible_core", "ansible_runner")]
    if not all(pip_refs):
        errors.append("dependencies.ansible_core and dependencies.ansible_runner need package_pip")
    for requirement in requirements + [r for r in pip_refs if r]:
        if UPPER_BOUND_OR_PIN.search(requirement):
            errors.append("%r: no pins and no upper bounds (certification)" % requirement)
    if not definition.get("images", {}).get("base_image", {}).get("name"):
        errors.append("images.base_image.name is missing")
    if errors:
        raise CheckFailed("%s:\n  %s" % (EE_DEFINITION, "\n  ".join(errors)))

    builder = os.path.join(BIN, "ansible-builder")
    with tempfile.TemporaryDirectory() as workdir:
        # ansible-builder resolves the definition's paths from the definition's directory: lay it out at the root
        staged = os.path.join(workdir, "collection")
        os.makedirs(os.path.join(staged, os.path.dirname(python)))
        shutil.copy(EE_DEFINITION, os.path.join(staged, "execution-environment.yml"))
        shutil.copy(requirements_file, os.path.join(staged, python))
        for extra in definition.get("additional_build_files") or []:  # the constraints file
            shutil.copy(os.path.join(ROOT, extra["src"]), os.path.join(staged, extra["src"]))
        context = os.path.join(workdir, "context")
        run([builder, "create", "-f", "execution-environment.yml", "-c", context, "--output-filename", "Containerfile"],
            cwd=staged)
        in_context = requirement_lines(os.path.join(context, "_build", "requirements.txt"))
        if in_context != requirements:
            raise CheckFailed("context _build/requirements.txt holds %s, not %s" % (in_context, requirements))
        with open(os.path.join(context, "Containerfile"), encoding="utf-8") as handle:
            containerfile = handle.read()
        for ref in pip_refs:
            if ref not in containerfile:
                raise CheckFailed("%s is not installed by the generated Containerfile" % ref)

        # the collection-level contract: builder introspection of an installed collection
        installed = os.path.join(workdir, "installed", "ansible_collections", "ovhcloud", "public_cloud")
        os.makedirs(os.path.join(installed, "meta"))
        shutil.copy(os.path.join(ROOT, "galaxy.yml"), installed)
        shutil.copy(EE_DEFINITION, os.path.join(installed, "meta"))
        os.makedirs(os.path.join(installed, os.path.dirname(python)), exist_ok=True)
        shutil.copy(requirements_file, os.path.join(installed, python))
        proc = run([builder, "introspect", "--sanitize", os.path.join(workdir, "installed")])
        found = yaml.safe_load(proc.stdout.split("---", 1)[1])["python"]
        expected = ["%s  # from collection ovhcloud.public_cloud" % r for r in requirements]
        if found != expected:
            raise CheckFailed("ansible-builder introspect found %s, expected %s" % (found, expected))
        openstack = check_ee_openstack(definition, context, containerfile)
    return "%s: version 3, create ok, context and introspection hold %s; %s" % (
        os.path.relpath(EE_DEFINITION, ROOT), ", ".join(requirements), openstack)


def tested_openstack_cloud():
    """The version of the openstack.cloud the tests run: the one in this Python's `ansible` package (the tools')."""
    for path in sys.path:
        manifest = os.path.join(path, "ansible_collections", "openstack", "cloud", "MANIFEST.json")
        if os.path.isfile(manifest):
            with open(manifest, encoding="utf-8") as handle:
                return json.load(handle)["collection_info"]["version"]
    raise CheckFailed("no openstack.cloud in %s's site-packages: run this with the tools virtualenv" % sys.executable)


def openstacksdk_requirement(path):
    """The openstacksdk line of a requirements or constraints file, as a packaging Requirement."""
    found = [Requirement(line.split("#")[0].strip()) for line in requirement_lines(path) if line.startswith("openstacksdk")]
    if len(found) != 1:
        raise CheckFailed("%s: expected one openstacksdk line, found %d" % (os.path.relpath(path, ROOT), len(found)))
    return found[0]


def check_ee_openstack(definition, context, containerfile):
    """openstack.cloud in the image is the tests' one, and its openstacksdk is constrained to a version that works."""
    collections = (definition["dependencies"].get("galaxy") or {}).get("collections") or []
    carried = [str(c.get("version")) for c in collections if c.get("name") == "openstack.cloud"]
    tested = tested_openstack_cloud()
    if carried != [tested]:
        raise CheckFailed("dependencies.galaxy carries openstack.cloud %s; the tests run %s" % (carried or "nowhere", tested))
    files = [f for f in definition.get("additional_build_files") or [] if f.get("src") == "meta/ee-constraints.txt"]
    if not files or files[0].get("dest") != "configs" or CONSTRAINTS_COPY not in (definition.get("additional_build_steps") or {}).get("prepend_builder", []):
        raise CheckFailed("meta/ee-constraints.txt must be an additional build file (dest: configs) that prepend_builder "
                          "copies: %s" % CONSTRAINTS_COPY)
    constraint = openstacksdk_requirement(os.path.join(ROOT, "meta", "ee-constraints.txt"))
    tests_pin = openstacksdk_requirement(TEST_REQUIREMENTS)
    lowest_tested = min((spec.version for spec in tests_pin.specifier if spec.operator == ">="), default=None)
    if lowest_tested is None or not constraint.specifier.contains(lowest_tested):
        raise CheckFailed("meta/ee-constraints.txt (%s) refuses the openstacksdk the tests run (%s)" % (constraint, tests_pin))
    if constraint.specifier.contains(BROKEN_OPENSTACKSDK):
        raise CheckFailed("meta/ee-constraints.txt (%s) lets openstacksdk %s in, with which openstack.cloud %s fails"
                          % (constraint, BROKEN_OPENSTACKSDK, tested))
    with open(os.path.join(context, "_build", "requirements.yml"), encoding="utf-8") as handle:
        in_context = yaml.safe_load(handle)["collections"]
    if [str(c.get("version")) for c in in_context if c.get("name") == "openstack.cloud"] != [tested]:
        raise CheckFailed("context _build/requirements.yml holds %s" % in_context)
    if requirement_lines(os.path.join(context, "_build", "configs", "ee-constraints.txt")) != [str(constraint)]:
        raise CheckFailed("context _build/configs/ee-constraints.txt does not hold %s" % constraint)
    builder = containerfile.split("FROM base AS builder", 1)[-1].split("FROM base AS final", 1)[0]
    if CONSTRAINTS_COPY not in builder or builder.index(CONSTRAINTS_COPY) > builder.find("/output/scripts/assemble"):
        raise CheckFailed("the builder stage does not copy the constraints before assemble:\n%s" % builder)
    return "openstack.cloud %s with %s (the tests run %s)" % (tested, constraint, tests_pin)


CHECKS = {"credential-type": check_credential_type, "playbook": check_playbook, "ee": check_ee}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("checks", nargs="*", metavar="CHECK", help="%s (default: all)" % ", ".join(CHECKS))
    names = parser.parse_args().checks or list(CHECKS)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        parser.error("unknown check %s: choose from %s" % (", ".join(unknown), ", ".join(CHECKS)))
    failed = False
    for name in names:
        try:
            print("ok   %-16s %s" % (name, CHECKS[name]()))
        except CheckFailed as exc:
            failed = True
            print("FAIL %-16s %s" % (name, exc))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
