# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration harness: real ansible-playbook runs of the collection against the OVH API simulator.

Each test gets its own simulator on a free loopback port; playbooks reach it through the real
module, the real python-ovh client and real HTTP. Tests assert on the module results and on the
simulator's journal (which calls, how many, in which order).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from ovh_api_simulator import SimulatorControl, SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position
from ovh_api_simulator import wait_until as control_wait_until  # noqa: E402  pylint: disable=wrong-import-position

COLLECTIONS = os.environ.get("PUBLIC_CLOUD_TEST_COLLECTIONS", os.path.join(ROOT, "build", "collections"))
# openstack.cloud, copied there by `make openstack-cloud` (the Makefile says from where)
OPENSTACK_COLLECTIONS = os.environ.get("PUBLIC_CLOUD_TEST_OPENSTACK_COLLECTIONS", os.path.join(ROOT, "build", "openstack-collections"))
PLAYBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks")
BIN = os.path.dirname(sys.executable)
DEMO_CREDENTIALS = {
    "OVH_APPLICATION_KEY": "demo-application-key",
    "OVH_APPLICATION_SECRET": "demo-application-secret",
    "OVH_CONSUMER_KEY": "demo-consumer-key",
}
OTHER_CREDENTIALS = {
    "OVH_APPLICATION_KEY": "other-application-key",
    "OVH_APPLICATION_SECRET": "other-application-secret",
    "OVH_CONSUMER_KEY": "other-consumer-key",
}
# Simulator speeds for tests: orders deliver in about a second.
FAST = {"payment_clearing_delay": 0.2, "order_checking_delay": 0.2, "order_delivering_delay": 0.2, "project_creating_delay": 0.2, "cancel_delay": 0.2}


def pytest_configure(config):
    config.addinivalue_line("markers", "core_matrix: also run with the oldest supported ansible-core (make core-matrix): "
                            "the tests of what depends on ansible-core (argument specs, check and diff modes, "
                            "module_defaults, the role's templating, no_log, ansible-runner)")
    config.addinivalue_line("markers", "slow: left out of make test (CI time), run by make integration-slow: tests whose "
                            "behaviour other tests of make test cover already, in another shape")


class Simulator(SimulatorControl):
    """The running simulator: its control API (ovh_api_simulator.SimulatorControl) plus its server and API base URL."""

    def __init__(self, server):
        super().__init__(server.root_url)
        self.server = server
        self.base_url = server.base_url

    def control(self, method, path, body=None):
        """Any control call (the tests' short name for SimulatorControl.call)."""
        return self.call(method, path, body)

    def reset_demo_account(self, **account):
        """Start again with only the demo account (same credentials), shaped by ``account`` (simulator seed keys)."""
        spec = {"nichandle": "xx1111-ovh", "application_key": DEMO_CREDENTIALS["OVH_APPLICATION_KEY"],
                "application_secret": DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"],
                "consumer_key": DEMO_CREDENTIALS["OVH_CONSUMER_KEY"]}
        spec.update(account)
        self.reset(defaults=False, accounts=[spec])
        self.config(**FAST)


class PlaybookRun:
    """Result of one ansible-playbook run: the module result, stdout, stderr and exit code."""

    def __init__(self, rc, stdout, stderr, result):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.result = result

    @property
    def output(self):
        return self.stdout + self.stderr


@pytest.fixture
def sim():
    if not os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "ovhcloud", "public_cloud")):
        pytest.fail("the collection is not laid out under build/collections: run `make integration`")
    server = SimulatorServer(port=0).start()
    simulator = Simulator(server)
    simulator.config(**FAST)
    try:
        yield simulator
    finally:
        server.stop()


def openstack_cloud_env():
    """The environment entries that add openstack.cloud to the collections Ansible finds (test_openstack_cloud.py)."""
    if not os.path.isdir(os.path.join(OPENSTACK_COLLECTIONS, "ansible_collections", "openstack", "cloud")):
        pytest.fail("openstack.cloud is not under %s: run `make openstack-cloud` (make integration does)" % OPENSTACK_COLLECTIONS)
    return {"ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([COLLECTIONS, OPENSTACK_COLLECTIONS])}


def ansible_env(sim, credentials=None, extra=None):
    # OS_*: openstacksdk's settings (OS_CLOUD, OS_CLIENT_CONFIG_FILE...) of the shell that runs the tests stay out
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVH_", "ANSIBLE_", "OS_"))}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
        # ansible-core 2.21 stopped adding a result's `invocation` (the module arguments, no_log ones masked) unless
        # asked: ask, so that -vvv runs print the arguments on every core and the secret scans look where they would leak
        ANSIBLE_INJECT_INVOCATION="1",
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        OVH_ENDPOINT=sim.base_url,
        PATH=BIN + os.pathsep + env.get("PATH", ""),
    )
    env.update(DEMO_CREDENTIALS if credentials is None else credentials)
    env.update(extra or {})
    return env


def run_playbook(sim, playbook, extra_vars=None, check=False, diff=False, verbosity=0, credentials=None, env=None,
                 inventory="localhost,", timeout=300):
    """Run a playbook of tests/integration/playbooks (or an absolute path); return a PlaybookRun."""
    path = playbook if os.path.isabs(playbook) else os.path.join(PLAYBOOKS, playbook)
    with tempfile.TemporaryDirectory() as tmp:
        result_file = os.path.join(tmp, "result.json")
        vars_file = os.path.join(tmp, "vars.json")
        with open(vars_file, "w", encoding="utf-8") as handle:
            # a file, not the command line: ansible-playbook -vvvv echoes its arguments
            json.dump(dict(extra_vars or {}, result_file=result_file), handle)
        command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, path, "-e", "@" + vars_file]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        proc = subprocess.run(command, env=ansible_env(sim, credentials, env), capture_output=True, text=True,
                              timeout=timeout, check=False)
        result = None
        if os.path.exists(result_file):
            with open(result_file, encoding="utf-8") as handle:
                result = json.load(handle)
    return PlaybookRun(proc.returncode, proc.stdout, proc.stderr, result)


class StartedRun:
    """An ansible-playbook process started in the background, in its own process group, with its own HOME and
    temporary directory: runs that share nothing but the API, as AWX jobs on separate execution nodes."""

    def __init__(self, sim, module_args, credentials=None):
        self.tmp = tempfile.mkdtemp(prefix="public-cloud-run-")
        home = os.path.join(self.tmp, "home")
        os.mkdir(home)
        self.result_file = os.path.join(self.tmp, "result.json")
        vars_file = os.path.join(self.tmp, "vars.json")
        with open(vars_file, "w", encoding="utf-8") as handle:
            json.dump({"module_args": module_args, "result_file": self.result_file}, handle)
        env = ansible_env(sim, credentials, {"HOME": home, "TMPDIR": self.tmp, "ANSIBLE_LOCAL_TEMP": os.path.join(self.tmp, "local")})
        command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", os.path.join(PLAYBOOKS, "project.yml"),
                   "-e", "@" + vars_file]
        self.proc = subprocess.Popen(command, env=env, cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)

    def kill(self):
        """SIGKILL the whole run (ansible-playbook and the module process it started)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.communicate()

    def wait(self, timeout=300):
        stdout, stderr = self.proc.communicate(timeout=timeout)
        result = None
        if os.path.exists(self.result_file):
            with open(self.result_file, encoding="utf-8") as handle:
                result = json.load(handle)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return PlaybookRun(self.proc.returncode, stdout, stderr, result)


def run_module(sim, check=False, diff=False, verbosity=0, credentials=None, env=None, **module_args):
    """Run public_cloud_project once with module_args; the module result is in .result (failed ones too)."""
    run = run_playbook(sim, "project.yml", {"module_args": module_args}, check=check, diff=diff, verbosity=verbosity,
                       credentials=credentials, env=env)
    assert run.result is not None, "playbook did not save a result:\n%s" % run.output
    return run


def run_module_batch(sim, cases, credentials=None, env=None):
    """Run public_cloud_project once per case in ONE ansible-playbook run (project_batch.yml).

    ``cases`` maps a case id to its module arguments. Returns the PlaybookRun and the module result of each case id.
    The cases share the simulator and the environment, so only cases that need nothing of their own belong together.
    """
    run = run_playbook(sim, "project_batch.yml", {"batch": cases, "batch_ids": list(cases)}, credentials=credentials, env=env)
    assert run.result is not None, "playbook did not save a result:\n%s" % run.output
    results = dict((result["item"], result) for result in run.result)
    assert list(results) == list(cases), run.output
    return run, results


def wait_until(condition, timeout=120, what="the condition"):
    """The simulator control client's wait_until, with the integration tests' timeout: a run takes its time."""
    return control_wait_until(condition, timeout, what)


def run_releasing(sim, order_id, run):
    """Call ``run()`` (a playbook run) in a thread; once it reads the status of order ``order_id``, held in flight by the
    test (it follows the order), let the order deliver. Returns what ``run()`` returned."""
    status_path = r"/me/order/%s/status" % order_id
    seen = len(sim.calls("GET", status_path))
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(run=run()))
    thread.start()
    deadline = time.time() + 300
    while len(sim.calls("GET", status_path)) == seen and thread.is_alive() and time.time() < deadline:
        time.sleep(0.2)
    if thread.is_alive():
        sim.reschedule_order(order_id, order_checking_delay=0.2, order_delivering_delay=0.2)
    thread.join()
    return outcome["run"]
