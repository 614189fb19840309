# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX injector contract, run through ansible-runner as AWX runs jobs.

The credential type (extensions/awx/ovh_credential_type.yml) is rendered the way AWX renders it: its file injector
becomes an ovh.conf file in the private data directory, its env injectors the job's OVH_* variables (the path of that
file among them). ansible-runner then runs the job template playbook (runner/project/order_project.yml, no
credentials in it), which orders a project on the simulator, and every file under the artifacts directory is searched
for the secrets: there must be none, anywhere.

How AWX does it (awx_plugins.interfaces._temporary_private_inject_api.inject_credential, before AWX 24
awx/main/models/credential/__init__.py CredentialType.inject_credential; awx/main/tasks/jobs.py BaseTask.run):
* only the non-empty inputs enter the Jinja namespace, every template is rendered in an ImmutableSandboxedEnvironment;
* each `template.<name>` of injectors.file is written to a tempfile.mkstemp() file in <private_data_dir>/env/, chmod
  0600, and `tower.filename.<name>` is its path (inside the execution environment: /runner/env/tmpXXXX);
* every injectors.env entry is rendered and set, so an empty field gives an empty variable, never an absent one;
* the environment goes to ansible_runner as the `envvars` keyword with
  `suppress_env_files=getattr(settings, 'AWX_RUNNER_OMIT_ENV_FILES', True)`.

Why the secrets go through the file: whatever suppress_env_files says (it only stops runner from writing the envvars,
extravars, passwords, settings, ssh_key and cmdline keyword arguments into <private_data_dir>/env/), ansible_runner 2.4
Runner.run() always writes artifacts/<ident>/command as {"command", "cwd", "env"}: the whole environment of the job.
"""

import configparser
import importlib
import json
import os
import stat
import sys
import tempfile
from types import SimpleNamespace

import pytest
import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import BIN, COLLECTIONS, DEMO_CREDENTIALS, ROOT, run_module

CREDENTIAL_TYPE_FILE = os.path.join(ROOT, "extensions", "awx", "ovh_credential_type.yml")
RUNNER_PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runner", "project")
PLAYBOOK = "order_project.yml"
DEMO_ACCOUNT = "xx1111-ovh"
SECRET_FIELDS = ("application_secret", "consumer_key", "client_secret")
SECRETS = (DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"], DEMO_CREDENTIALS["OVH_CONSUMER_KEY"])


def credential_type():
    with open(CREDENTIAL_TYPE_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def awx_inject(inputs, pdd):
    """Inject a credential of the shipped type with these inputs as AWX does; return (env, {file name: path}).

    The files are written into <pdd>/env/ as AWX writes them (mkstemp, 0600); their paths are the host paths, since
    the job runs here without a container (AWX would give /runner/env/... inside the execution environment).
    """
    injectors = credential_type()["injectors"]
    namespace = {field: value for field, value in inputs.items() if value}
    sandbox = ImmutableSandboxedEnvironment()
    files = {}
    for label, template in injectors.get("file", {}).items():
        assert label.startswith("template.")  # multi-file syntax: tower.filename.<name>
        handle, path = tempfile.mkstemp(dir=os.path.join(str(pdd), "env"))
        with os.fdopen(handle, "w") as out:
            out.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        files[label.split(".", 1)[1]] = path
    namespace["tower"] = SimpleNamespace(filename=SimpleNamespace(**files))
    env = {variable: sandbox.from_string(template).render(**namespace)
           for variable, template in injectors["env"].items()}
    return env, files


def new_private_data_dir(tmp_path):
    pdd = tmp_path / "pdd"
    (pdd / "env").mkdir(parents=True)
    return pdd


def read_ovh_conf(path):
    """The file as python-ovh reads it (RawConfigParser), as {section: {option: value}}."""
    parser = configparser.RawConfigParser()
    assert parser.read(path) == [path]
    return {section: dict(parser.items(section)) for section in parser.sections()}


def key_inputs(sim):
    """A credential as a user fills it in for the simulator's demo account (no OAuth2 fields)."""
    return {
        "endpoint": sim.base_url,
        "application_key": DEMO_CREDENTIALS["OVH_APPLICATION_KEY"],
        "application_secret": DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"],
        "consumer_key": DEMO_CREDENTIALS["OVH_CONSUMER_KEY"],
    }


def load_client_module():
    """The client factory module (plugins/module_utils/_credentials.py) of the collection under test."""
    if COLLECTIONS not in sys.path:
        sys.path.insert(0, COLLECTIONS)
    return importlib.import_module("ansible_collections.ovhcloud.public_cloud.plugins.module_utils._credentials")


def module_env_fallbacks():
    """{option: environment variable} as the modules' argument spec reads them (plugins/module_utils/_credentials.py)."""
    return {option: settings["fallback"][1][0] for option, settings in load_client_module().ovh_argument_spec().items()
            if "fallback" in settings}


def module_credentials(env, monkeypatch):
    """(endpoint, credentials) the modules resolve from this injected environment (and the file it names only)."""
    client = load_client_module()
    python_ovh = importlib.import_module("ansible_collections.ovhcloud.public_cloud.plugins.module_utils._python_ovh")
    monkeypatch.setattr(python_ovh.ovh.config, "CONFIG_PATH", [])  # no ./ovh.conf, ~/.ovh.conf, /etc/ovh.conf of the test host
    params = {option: env.get(variable) for option, variable in module_env_fallbacks().items()}  # env_fallback
    factory = client.OvhClientFactory(params)
    endpoint = factory.endpoint()
    credentials = factory.credentials(endpoint.text)
    factory.check(endpoint, credentials)
    return endpoint.text, credentials


def contains_secret(values):
    secrets = set(SECRETS) | {"awx-client-secret"}
    return [value for value in values if any(secret in value for secret in secrets)]


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


def private_data_dir(tmp_path, project_name):
    """A private data directory laid out as AWX lays it out: project/, inventory/hosts, env/extravars."""
    pdd = new_private_data_dir(tmp_path)
    (pdd / "project").mkdir()
    (pdd / "inventory").mkdir()
    with open(os.path.join(RUNNER_PROJECT, PLAYBOOK), encoding="utf-8") as handle:
        (pdd / "project" / PLAYBOOK).write_text(handle.read(), encoding="utf-8")
    (pdd / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable, encoding="utf-8")
    (pdd / "env" / "extravars").write_text(json.dumps({"project_name": project_name}), encoding="utf-8")
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


def assert_no_secret_in_artifacts(pdd, ovh_conf):
    """No secret in any file of artifacts/ (command, stdout, job_events, fact_cache...); on the whole private data
    dir, only in the credential's ovh.conf file, which is outside artifacts/."""
    artifacts = pdd / "artifacts"
    assert sum(len(files) for _parent, _dirs, files in os.walk(artifacts)) > 5
    assert os.path.relpath(ovh_conf, artifacts).startswith(os.pardir + os.sep)  # ovh.conf is not under artifacts/
    for secret in SECRETS:
        assert files_containing(artifacts, secret) == set(), secret
        assert files_containing(pdd, secret) == {os.path.relpath(ovh_conf, pdd)}, secret


def assert_ordered_once_by_demo_account(sim, project_name):
    checkouts = sim.checkouts()
    assert len(checkouts) == 1, [(e["method"], e["path"]) for e in sim.journal()]
    assert checkouts[0]["account"] == DEMO_ACCOUNT
    signed = [e for e in sim.journal() if e["signed"]]
    assert {e["account"] for e in signed} == {DEMO_ACCOUNT}
    projects = [p for p in sim.state()["projects"] if p["description"] == project_name]
    assert len(projects) == 1, sim.state()["projects"]
    return projects[0]["project_id"]


def test_credential_type_injects_secrets_through_a_file_only():
    ctype = credential_type()
    assert ctype["kind"] == "cloud" and ctype["name"] and ctype["description"]
    fields = {f["id"]: f for f in ctype["inputs"]["fields"]}
    assert {f for f, spec in fields.items() if spec.get("secret")} == set(SECRET_FIELDS)
    assert fields["endpoint"]["default"] == "ovh-eu"
    assert set(ctype["inputs"]["required"]) <= set(fields)
    environment = ImmutableSandboxedEnvironment()

    def referenced(template):
        return meta.find_undeclared_variables(environment.parse(template))

    assert list(ctype["injectors"]) == ["file", "env"]  # no extra_vars: they would reach the job's command line
    assert list(ctype["injectors"]["file"]) == ["template.ovh_conf"]
    file_fields = referenced(ctype["injectors"]["file"]["template.ovh_conf"])
    assert file_fields == set(SECRET_FIELDS) | {"endpoint"}

    from_env = {}
    for variable, template in ctype["injectors"]["env"].items():
        names = referenced(template)
        assert len(names) == 1, (variable, template)
        from_env[names.pop()] = variable
    assert from_env.pop("tower") == "OVH_CONFIG_FILE"
    assert ctype["injectors"]["env"]["OVH_CONFIG_FILE"].replace(" ", "") == "{{tower.filename.ovh_conf}}"
    assert not set(from_env) & set(SECRET_FIELDS)  # no secret in the environment
    # every setting the modules read: the non-secret fields from their variables, the secrets from the file
    fallbacks = module_env_fallbacks()
    assert fallbacks.pop("config_file") == "OVH_CONFIG_FILE"
    assert {option: fallbacks[option] for option in from_env} == from_env
    assert set(from_env) | set(SECRET_FIELDS) == set(fields) == set(fallbacks)


def test_key_credential_renders_env_without_secrets_and_a_0600_ovh_conf(sim, tmp_path, monkeypatch):
    pdd = new_private_data_dir(tmp_path)
    env, files = awx_inject(key_inputs(sim), pdd)
    assert list(files) == ["ovh_conf"]
    ovh_conf = files["ovh_conf"]
    assert os.path.dirname(ovh_conf) == str(pdd / "env")
    assert stat.S_IMODE(os.stat(ovh_conf).st_mode) == 0o600
    assert env == {
        "OVH_CONFIG_FILE": ovh_conf,
        "OVH_ENDPOINT": sim.base_url,
        "OVH_APPLICATION_KEY": "demo-application-key",
        # AWX sets every env injector: the OAuth2 client ID left empty gives an empty variable, not an absent one
        "OVH_CLIENT_ID": "",
    }
    assert contains_secret(env.values()) == []
    # the section of a URL endpoint is named by the URL exactly as given
    assert read_ovh_conf(ovh_conf) == {
        "default": {"endpoint": sim.base_url},
        sim.base_url: {"application_secret": "demo-application-secret", "consumer_key": "demo-consumer-key"},
    }
    assert module_credentials(env, monkeypatch) == (sim.base_url, {
        "application_key": "demo-application-key", "application_secret": "demo-application-secret",
        "consumer_key": "demo-consumer-key", "client_id": None, "client_secret": None})


@pytest.mark.parametrize("endpoint", ["https://eu.api.ovh.com/1.0", "https://api.example.invalid/",
                                      "http://[::1]:8080/1.0"])
def test_url_endpoint_renders_a_section_named_by_the_url(tmp_path, monkeypatch, endpoint):
    env, files = awx_inject({"endpoint": endpoint, "application_key": "k", "application_secret": "awx-url-secret",
                             "consumer_key": "awx-url-consumer", "client_id": "", "client_secret": ""},
                            new_private_data_dir(tmp_path))
    assert env["OVH_ENDPOINT"] == endpoint
    assert read_ovh_conf(files["ovh_conf"]) == {
        "default": {"endpoint": endpoint},
        endpoint: {"application_secret": "awx-url-secret", "consumer_key": "awx-url-consumer"},
    }
    assert module_credentials(env, monkeypatch)[1]["application_secret"] == "awx-url-secret"


@pytest.mark.parametrize("endpoint", ["ovh-ca", None])
def test_oauth2_credential_renders_client_secret_and_no_application_keys(tmp_path, monkeypatch, endpoint):
    # Rendering only: OAuth2 works with the named endpoints (real OVHcloud), never with the simulator's URL.
    inputs = {"application_key": "", "application_secret": "", "consumer_key": "",
              "client_id": "awx-client", "client_secret": "awx-client-secret"}
    if endpoint is not None:  # None: the endpoint left out of the credential's inputs, the templates default to ovh-eu
        inputs["endpoint"] = endpoint
    env, files = awx_inject(inputs, new_private_data_dir(tmp_path))
    named = endpoint or "ovh-eu"
    assert env == {"OVH_CONFIG_FILE": files["ovh_conf"], "OVH_ENDPOINT": named, "OVH_APPLICATION_KEY": "",
                   "OVH_CLIENT_ID": "awx-client"}
    assert contains_secret(env.values()) == []
    with open(files["ovh_conf"], encoding="utf-8") as handle:
        text = handle.read()
    assert text == "[default]\nendpoint=%s\n\n[%s]\nclient_secret=awx-client-secret\n" % (named, named)
    assert "application" not in text and "consumer_key" not in text
    # the modules see one kind of credentials only: the empty OVH_APPLICATION_KEY is not "both kinds"
    assert module_credentials(env, monkeypatch) == (named, {
        "application_key": None, "application_secret": None, "consumer_key": None,
        "client_id": "awx-client", "client_secret": "awx-client-secret"})


def test_module_orders_with_the_injected_env_and_file(sim, tmp_path):
    # An application key credential: OVH_CLIENT_ID is injected empty, the secrets come from the file only.
    env, _files = awx_inject(key_inputs(sim), new_private_data_dir(tmp_path))
    assert env["OVH_CLIENT_ID"] == "" and "OVH_APPLICATION_SECRET" not in env and "OVH_CONSUMER_KEY" not in env
    run = run_module(sim, credentials=env, name="awx-empty-oauth2")
    assert not run.result.get("failed"), run.result.get("msg")
    assert_ordered_once_by_demo_account(sim, "awx-empty-oauth2")
    for secret in SECRETS:
        assert secret not in run.output


def test_oauth2_credential_is_refused_on_the_simulator_without_calls_or_secret(sim, tmp_path):
    # An OAuth2 credential: OVH_APPLICATION_KEY is injected empty. OAuth2 needs a named endpoint (real OVHcloud, never
    # called from tests), so the simulator's URL gets the module's OAuth2 refusal, before any call: what matters is
    # that the empty key variable does not make it "both kinds of credentials", and the secret stays out of the output.
    env, _files = awx_inject({"endpoint": sim.base_url, "client_id": "awx-client", "client_secret": "awx-client-secret"},
                             new_private_data_dir(tmp_path))
    assert env["OVH_APPLICATION_KEY"] == ""
    run = run_module(sim, credentials=env, verbosity=4, name="awx-oauth2")
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
    pytest.param("envvars_kwarg", True, 4, id="awx-kwarg-suppressed-vvvv", marks=pytest.mark.core_matrix),
    pytest.param("envvars_kwarg", False, 0, id="awx-kwarg-not-suppressed"),
]


@pytest.mark.parametrize("delivery,suppress_env_files,verbosity", RUNS)
def test_runner_job_orders_with_the_credential_and_no_secret_reaches_artifacts(
        sim, tmp_path, ansible_runner, clean_process_env, delivery, suppress_env_files, verbosity):  # pylint: disable=unused-argument,redefined-outer-name
    project_name = "awx-runner-%s-%s-%d" % (delivery.split("_")[1], suppress_env_files, verbosity)
    pdd = private_data_dir(tmp_path, project_name)
    injected, files = awx_inject(key_inputs(sim), pdd)  # OVH_CLIENT_ID empty, as AWX sets it
    assert contains_secret(injected.values()) == []
    ovh_conf = files["ovh_conf"]
    # ANSIBLE_INJECT_INVOCATION: on ansible-core 2.21 too, -vvvv prints the module arguments (as conftest.ansible_env)
    job_env = dict(injected, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_INJECT_INVOCATION="1")
    if delivery == "envvars_file":
        (pdd / "env" / "envvars").write_text(json.dumps(job_env), encoding="utf-8")
        envvars_before = (pdd / "env" / "envvars").read_bytes()

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

    # the job's whole environment is in the `command` artifact: the injected variables, and no secret among them
    command = json.loads((artifacts / "job-1" / "command").read_text(encoding="utf-8"))
    assert {k: v for k, v in command["env"].items() if k.startswith("OVH_")} == injected
    assert contains_secret(command["env"].values()) == []
    if verbosity:
        assert "-" + "v" * verbosity in command["command"]
        assert ovh_conf in stdout  # -vvvv shows the module arguments: config_file, from OVH_CONFIG_FILE

    # No secret in any file of the artifacts (command, stdout, job_events, fact_cache, ...), none in env/envvars.
    assert_no_secret_in_artifacts(pdd, ovh_conf)
    assert stat.S_IMODE(os.stat(ovh_conf).st_mode) == 0o600

    # What suppress_env_files changes: only whether runner dumps the envvars keyword into env/envvars.
    env_dir = sorted(os.listdir(pdd / "env"))
    if delivery == "envvars_file":
        assert env_dir == sorted(["envvars", "extravars", os.path.basename(ovh_conf)])
        assert (pdd / "env" / "envvars").read_bytes() == envvars_before  # our file, untouched either way
    elif suppress_env_files:
        assert env_dir == sorted(["extravars", os.path.basename(ovh_conf)])  # as in AWX
    else:
        assert env_dir == sorted(["envvars", "extravars", os.path.basename(ovh_conf)])
        written = yaml.safe_load((pdd / "env" / "envvars").read_text(encoding="utf-8"))
        assert written == job_env  # the environment, and with it no secret


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
    pdd = private_data_dir(tmp_path, "unused")
    injected, credential_files = awx_inject(key_inputs(sim), pdd)
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
    assert_no_secret_in_artifacts(pdd, credential_files["ovh_conf"])
    assert not (pdd / "env" / "envvars").exists()
