# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX injector contract, run through ansible-runner as AWX runs jobs.

The OVH_* variables are rendered from the injectors of the shipped credential type
(extensions/awx/ovh_credential_type.yml) the way AWX renders them, handed to ansible-runner, and the job template
playbook (runner/project/order_project.yml, no credentials in it) orders a project on the simulator. Then every file
under the artifacts directory is searched for the secrets.

How AWX does it (awx/main/tasks/jobs.py BaseTask.run and awx_plugins.interfaces._temporary_private_inject_api):
* injectors: only the non-empty inputs enter the Jinja namespace; every injectors.env entry is rendered in an
  ImmutableSandboxedEnvironment and set, so an empty field gives an empty variable, never an absent one;
* the environment goes to ansible_runner as the `envvars` keyword with
  `suppress_env_files=getattr(settings, 'AWX_RUNNER_OMIT_ENV_FILES', True)`; AWX writes env/extravars itself.

What suppress_env_files does (ansible_runner 2.4 utils.dump_artifacts): it only stops runner from writing the
envvars, extravars, passwords, settings, ssh_key and cmdline keyword arguments into <private_data_dir>/env/. It has no
effect on files already there, and none on the artifacts: Runner.run() always writes
artifacts/<ident>/command as {"command", "cwd", "env"}, the whole environment of the job, secrets included.
"""

import json
import os
import sys

import pytest
import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import BIN, COLLECTIONS, DEMO_CREDENTIALS, ROOT, run_module

CREDENTIAL_TYPE_FILE = os.path.join(ROOT, "extensions", "awx", "ovh_credential_type.yml")
RUNNER_PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runner", "project")
PLAYBOOK = "order_project.yml"
DEMO_ACCOUNT = "xx1111-ovh"
SECRETS = (DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"], DEMO_CREDENTIALS["OVH_CONSUMER_KEY"])


def credential_type():
    with open(CREDENTIAL_TYPE_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def render_injectors(inputs):
    """The environment AWX injects for a credential of the shipped type with these inputs."""
    namespace = {field: value for field, value in inputs.items() if value}
    sandbox = ImmutableSandboxedEnvironment()
    return {variable: sandbox.from_string(template).render(**namespace)
            for variable, template in credential_type()["injectors"]["env"].items()}


def key_inputs(sim):
    """A credential as a user fills it in for the simulator's demo account (no OAuth2 fields)."""
    return {
        "endpoint": sim.base_url,
        "application_key": DEMO_CREDENTIALS["OVH_APPLICATION_KEY"],
        "application_secret": DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"],
        "consumer_key": DEMO_CREDENTIALS["OVH_CONSUMER_KEY"],
    }


def module_env_fallbacks():
    """{option: environment variable} as the modules' argument spec reads them (plugins/module_utils/client.py)."""
    import importlib.util  # pylint: disable=import-outside-toplevel

    spec = importlib.util.spec_from_file_location(
        "ovh_client_under_test", os.path.join(ROOT, "plugins", "module_utils", "client.py"))
    client = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(client)
    return {option: settings["fallback"][1][0] for option, settings in client.ovh_argument_spec().items()
            if "fallback" in settings}


@pytest.fixture
def ansible_runner():
    # in test-requirements.txt; `make core-matrix` (tests/requirements-core2.16.txt) may not have it
    return pytest.importorskip("ansible_runner", reason="ansible-runner is not installed in this virtualenv")


@pytest.fixture
def clean_process_env(monkeypatch, tmp_path):
    """ansible-runner starts from os.environ (not containerized): keep only what a job should see."""
    for key in list(os.environ):
        if key.startswith(("OVH_", "ANSIBLE_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # no ~/.ovh.conf


def private_data_dir(tmp_path, project_name, envvars_file=None):
    """A private data directory laid out as AWX lays it out: project/, inventory/hosts, env/extravars (and env/envvars)."""
    pdd = tmp_path / "pdd"
    (pdd / "project").mkdir(parents=True)
    (pdd / "inventory").mkdir()
    (pdd / "env").mkdir()
    with open(os.path.join(RUNNER_PROJECT, PLAYBOOK), encoding="utf-8") as handle:
        (pdd / "project" / PLAYBOOK).write_text(handle.read(), encoding="utf-8")
    (pdd / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable, encoding="utf-8")
    (pdd / "env" / "extravars").write_text(json.dumps({"project_name": project_name}), encoding="utf-8")
    if envvars_file is not None:
        (pdd / "env" / "envvars").write_text(json.dumps(envvars_file), encoding="utf-8")
    return pdd


def files_containing(directory, value):
    needle = value.encode()
    found = set()
    for parent, _dirs, files in os.walk(directory):
        for name in files:
            path = os.path.join(parent, name)
            with open(path, "rb") as handle:
                if needle in handle.read():
                    found.add(os.path.relpath(path, directory))
    return found


def assert_ordered_once_by_demo_account(sim, project_name):
    checkouts = sim.checkouts()
    assert len(checkouts) == 1, [(e["method"], e["path"]) for e in sim.journal()]
    assert checkouts[0]["account"] == DEMO_ACCOUNT
    signed = [e for e in sim.journal() if e["signed"]]
    assert {e["account"] for e in signed} == {DEMO_ACCOUNT}
    projects = [p for p in sim.state()["projects"] if p["description"] == project_name]
    assert len(projects) == 1, sim.state()["projects"]
    return projects[0]["project_id"]


def test_injectors_set_every_variable_the_modules_read():
    ctype = credential_type()
    assert ctype["kind"] == "cloud" and ctype["name"] and ctype["description"]
    fields = {f["id"]: f for f in ctype["inputs"]["fields"]}
    assert {f for f, spec in fields.items() if spec.get("secret")} == {"application_secret", "consumer_key", "client_secret"}
    assert fields["endpoint"]["default"] == "ovh-eu"
    assert set(ctype["inputs"]["required"]) <= set(fields)
    injected = {}
    environment = ImmutableSandboxedEnvironment()
    for variable, template in ctype["injectors"]["env"].items():
        referenced = meta.find_undeclared_variables(environment.parse(template))
        assert len(referenced) == 1, (variable, template)
        injected[referenced.pop()] = variable
    assert injected == module_env_fallbacks()
    assert set(injected) == set(fields)


def test_injectors_render_as_awx_renders_them(sim):
    env = render_injectors(key_inputs(sim))
    assert env == {
        "OVH_ENDPOINT": sim.base_url,
        "OVH_APPLICATION_KEY": "demo-application-key",
        "OVH_APPLICATION_SECRET": "demo-application-secret",
        "OVH_CONSUMER_KEY": "demo-consumer-key",
        # AWX sets every injector: the OAuth2 fields left empty give empty variables, not absent ones
        "OVH_CLIENT_ID": "",
        "OVH_CLIENT_SECRET": "",
    }
    oauth2 = render_injectors({"endpoint": "", "client_id": "my-client", "client_secret": "my-secret"})
    assert oauth2 == {"OVH_ENDPOINT": "ovh-eu", "OVH_APPLICATION_KEY": "", "OVH_APPLICATION_SECRET": "",
                      "OVH_CONSUMER_KEY": "", "OVH_CLIENT_ID": "my-client", "OVH_CLIENT_SECRET": "my-secret"}


def test_empty_injected_oauth2_variables_are_ignored(sim):
    # python-ovh reads an OVH_* variable that exists, even empty, as given, and refuses a client with both kinds of
    # credentials: the module must not let it see the empty OAuth2 variables AWX injects.
    env = render_injectors(key_inputs(sim))
    assert env["OVH_CLIENT_ID"] == "" and env["OVH_CLIENT_SECRET"] == ""
    run = run_module(sim, credentials=env, name="awx-empty-oauth2")
    assert not run.result.get("failed"), run.result.get("msg")
    assert_ordered_once_by_demo_account(sim, "awx-empty-oauth2")


def test_empty_injected_key_variables_are_ignored_with_oauth2(sim):
    # An OAuth2 credential: the application key variables are injected empty. OAuth2 needs a named endpoint (real
    # OVHcloud, never called from tests), so the simulator's URL gets the module's OAuth2 refusal, before any call:
    # what matters is that the empty key variables do not make it "both kinds of credentials".
    env = render_injectors({"endpoint": sim.base_url, "client_id": "awx-client", "client_secret": "awx-client-secret"})
    assert env["OVH_APPLICATION_KEY"] == env["OVH_APPLICATION_SECRET"] == env["OVH_CONSUMER_KEY"] == ""
    run = run_module(sim, credentials=env, name="awx-oauth2")
    assert run.result["failed"] is True
    assert "OAuth2 client_id/client_secret work only with the endpoints ovh-eu, ovh-ca, ovh-us" in run.result["msg"]
    assert "both" not in run.result["msg"]
    assert "awx-client-secret" not in run.output
    assert sim.journal() == []


# (how the environment reaches ansible-runner, suppress_env_files, verbosity)
RUNS = [
    pytest.param("envvars_file", True, 0, id="env-file-suppressed"),
    pytest.param("envvars_file", True, 4, id="env-file-suppressed-vvvv"),
    pytest.param("envvars_file", False, 0, id="env-file-not-suppressed"),
    pytest.param("envvars_kwarg", True, 0, id="awx-kwarg-suppressed"),
    pytest.param("envvars_kwarg", False, 0, id="awx-kwarg-not-suppressed"),
]


@pytest.mark.parametrize("delivery,suppress_env_files,verbosity", RUNS)
def test_runner_job_orders_with_injected_env_and_keeps_secrets_out_of_artifacts(
        sim, tmp_path, ansible_runner, clean_process_env, delivery, suppress_env_files, verbosity):  # pylint: disable=unused-argument,redefined-outer-name
    project_name = "awx-runner-%s-%s-%d" % (delivery.split("_")[1], suppress_env_files, verbosity)
    injected = render_injectors(key_inputs(sim))  # OVH_CLIENT_ID and OVH_CLIENT_SECRET empty, as AWX sets them
    job_env = dict(injected, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    pdd = private_data_dir(tmp_path, project_name, envvars_file=job_env if delivery == "envvars_file" else None)
    envvars_before = (pdd / "env" / "envvars").read_bytes() if delivery == "envvars_file" else None

    runner = ansible_runner.run(
        private_data_dir=str(pdd),
        playbook=PLAYBOOK,
        ident="job-1",
        envvars=job_env if delivery == "envvars_kwarg" else None,
        suppress_env_files=suppress_env_files,
        verbosity=verbosity or None,
        quiet=True,
        timeout=300,
        cancel_callback=lambda: False,  # else runner installs its own SIGINT/SIGTERM handlers in the test process
    )
    artifacts = pdd / "artifacts"
    stdout = (artifacts / "job-1" / "stdout").read_text(encoding="utf-8")
    assert runner.rc == 0 and runner.status == "successful", stdout

    project_id = assert_ordered_once_by_demo_account(sim, project_name)

    # where the project id ends up: the task result, the cached fact, the set_stats artifact
    results = [e["event_data"]["res"] for e in runner.events
               if e["event"] == "runner_on_ok" and e["event_data"]["task_action"].endswith("public_cloud_project")]
    assert len(results) == 1 and results[0]["changed"] is True
    assert results[0]["project"]["project_id"] == project_id
    stats = [e for e in runner.events if e["event"] == "playbook_on_stats"][0]["event_data"]
    assert stats["artifact_data"] == {"public_cloud_project_ids": {project_name: project_id}}
    assert files_containing(artifacts / "job-1" / "fact_cache", project_id)

    command = json.loads((artifacts / "job-1" / "command").read_text(encoding="utf-8"))
    if verbosity:
        assert "-" + "v" * verbosity in command["command"]
        assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in stdout  # -vvvv shows the module arguments, masked

    # The secrets: nowhere in stdout, stderr, job_events, status, rc, fact_cache... only in the `command` file,
    # which ansible-runner 2.4 always writes with the job's whole environment (suppress_env_files or not).
    for secret in SECRETS:
        assert files_containing(artifacts, secret) == {os.path.join("job-1", "command")}, secret
    assert {k: v for k, v in command["env"].items() if k.startswith("OVH_")} == injected

    # What suppress_env_files changes: only whether runner dumps the envvars keyword into env/envvars.
    env_dir = sorted(os.listdir(pdd / "env"))
    if delivery == "envvars_file":
        assert env_dir == ["envvars", "extravars"]
        assert (pdd / "env" / "envvars").read_bytes() == envvars_before  # our file, untouched either way
    elif suppress_env_files:
        assert env_dir == ["extravars"]  # as in AWX: the secrets never reach the private data dir
    else:
        assert env_dir == ["envvars", "extravars"]
        written = yaml.safe_load((pdd / "env" / "envvars").read_text(encoding="utf-8"))
        assert written == job_env  # the secrets in clear, in <private_data_dir>/env/envvars (mode 0600)
        assert oct((pdd / "env" / "envvars").stat().st_mode & 0o777) == "0o600"


# Both inventory shapes of the role (docs/awx.md): one host per project, or a list on one host.
INVENTORIES = {
    "per-host": {"public_cloud_projects": {"hosts": {
        "project-a.example.invalid": {"public_cloud_project_name": "awx-alpha"},
        "project-b.example.invalid": {"public_cloud_project_name": "awx-bravo"},
    }}},
    "list": {"public_cloud_projects": {"hosts": {
        "ovh-account.example.invalid": {"public_cloud_project_projects": [{"name": "awx-alpha"}, {"name": "awx-bravo"}]},
    }}},
}


@pytest.mark.parametrize("shape", sorted(INVENTORIES))
def test_runner_job_with_the_role_publishes_project_ids(
        sim, tmp_path, ansible_runner, clean_process_env, shape):  # pylint: disable=unused-argument,redefined-outer-name
    injected = render_injectors(key_inputs(sim))
    pdd = private_data_dir(tmp_path, "unused")
    (pdd / "env" / "extravars").write_text("{}", encoding="utf-8")
    (pdd / "inventory" / "hosts").unlink()
    (pdd / "inventory" / "hosts.yml").write_text(yaml.safe_dump(INVENTORIES[shape]), encoding="utf-8")
    with open(os.path.join(RUNNER_PROJECT, "order_projects.yml"), encoding="utf-8") as handle:
        (pdd / "project" / "order_projects.yml").write_text(handle.read(), encoding="utf-8")

    runner = ansible_runner.run(
        private_data_dir=str(pdd),
        playbook="order_projects.yml",
        ident="job-2",
        envvars=dict(injected, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_PYTHON_INTERPRETER=sys.executable),
        suppress_env_files=True,
        quiet=True,
        timeout=300,
        cancel_callback=lambda: False,
    )
    artifacts = pdd / "artifacts"
    stdout = (artifacts / "job-2" / "stdout").read_text(encoding="utf-8")
    assert runner.rc == 0 and runner.status == "successful", stdout

    assert len(sim.checkouts()) == 2
    assert {e["account"] for e in sim.journal() if e["signed"]} == {DEMO_ACCOUNT}
    ids = {p["description"]: p["project_id"] for p in sim.state()["projects"]}
    assert set(ids) == {"awx-alpha", "awx-bravo"}

    stats = [e for e in runner.events if e["event"] == "playbook_on_stats"][0]["event_data"]
    assert stats["artifact_data"] == {"public_cloud_project_ids": ids}
    hosts = sorted(INVENTORIES[shape]["public_cloud_projects"]["hosts"])
    cached = {}
    for host in hosts:
        files = [f for f in os.listdir(artifacts / "job-2" / "fact_cache") if f.endswith(host)]
        assert len(files) == 1, os.listdir(artifacts / "job-2" / "fact_cache")
        payload = (artifacts / "job-2" / "fact_cache" / files[0]).read_text(encoding="utf-8")
        cached.update({name: project_id for name, project_id in ids.items() if project_id in payload})
    assert cached == ids
    for secret in SECRETS:
        assert files_containing(artifacts, secret) == {os.path.join("job-2", "command")}, secret
    assert not (pdd / "env" / "envvars").exists()
