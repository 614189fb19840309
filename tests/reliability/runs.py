# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook processes of the suite: each in its own process group, with its own HOME and TMPDIR, its
output kept in files of its own directory (so that a killed run's output and leftovers can be searched too)."""

import json
import os
import signal
import subprocess
import threading
import time
from types import SimpleNamespace

from .integration import BIN, PLAYBOOKS, ansible_env

PROJECT_PLAYBOOK = os.path.join(PLAYBOOKS, "project.yml")
# the playbook's own "save the result" task is skipped: this callback saves the module result, for less CPU per run
CALLBACK_PLUGINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
RESULT_CALLBACK = "reliability_result"
RUN_TIMEOUT = 300
# runs not reaped yet, so that an interrupted suite can kill them all
LIVE = set()
LIVE_LOCK = threading.Lock()
# the run's inputs: not output, never searched for secrets
INPUT_FILES = ("vars.json",)


class PlaybookProcess:
    """One ``ansible-playbook`` of project.yml (public_cloud_project with ``module_args``), started at once.

    ``workdir`` gets ``home/`` and ``tmp/`` (HOME and TMPDIR: concurrent runs share nothing but the API), the
    vars file, ``stdout``, ``stderr``, ``ansible.log`` and the module result (``result.json``).
    """

    def __init__(self, workdir, base_url, module_args, credentials, verbosity=0, debug=False):
        self.workdir = workdir
        self.home = os.path.join(workdir, "home")
        self.tmp = os.path.join(workdir, "tmp")
        os.makedirs(self.home)
        os.makedirs(self.tmp)
        self.result_file = os.path.join(workdir, "result.json")
        vars_file = os.path.join(workdir, INPUT_FILES[0])
        with open(vars_file, "w", encoding="utf-8") as handle:
            # a file, not the command line: ansible-playbook -vvvv echoes its arguments
            json.dump({"module_args": module_args, "result_file": self.result_file}, handle)
        command = [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", PROJECT_PLAYBOOK, "-e", "@" + vars_file,
                   "--skip-tags", "save_result"]
        if verbosity:
            command.append("-" + "v" * verbosity)
        extra = {"HOME": self.home, "TMPDIR": self.tmp, "ANSIBLE_LOG_PATH": os.path.join(workdir, "ansible.log"),
                 "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_PLUGINS, "ANSIBLE_CALLBACKS_ENABLED": RESULT_CALLBACK,
                 "RELIABILITY_RESULT_FILE": self.result_file}
        if debug:
            extra["ANSIBLE_DEBUG"] = "1"
        env = ansible_env(SimpleNamespace(base_url=base_url), credentials, extra)
        self.timed_out = False
        self.killed = False
        self.started = time.monotonic()
        self.elapsed = None
        with open(os.path.join(workdir, "stdout"), "wb") as out, open(os.path.join(workdir, "stderr"), "wb") as err:
            self.proc = subprocess.Popen(command, env=env, cwd=workdir, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         start_new_session=True)  # its own process group: killpg reaches every worker
        with LIVE_LOCK:
            LIVE.add(self)

    def running(self):
        return self.proc.poll() is None

    def wait(self, timeout=RUN_TIMEOUT):
        """Wait for the end (killing the group past ``timeout``); returns self."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.kill()
        if self.elapsed is None:
            self.elapsed = time.monotonic() - self.started
        with LIVE_LOCK:
            LIVE.discard(self)
        return self

    def kill(self):
        """SIGKILL the whole process group (ansible-playbook, its forks, the module), then reap."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.killed = True
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.elapsed = time.monotonic() - self.started
        with LIVE_LOCK:
            LIVE.discard(self)

    @property
    def rc(self):
        return self.proc.returncode

    @property
    def result(self):
        """The module result the playbook saved (failed ones too), or None (killed, crashed)."""
        if not os.path.exists(self.result_file):
            return None
        with open(self.result_file, encoding="utf-8") as handle:
            return json.load(handle)

    @property
    def ok(self):
        """Ended by itself, and the module did not fail."""
        result = self.result
        return self.rc == 0 and not self.killed and result is not None and not result.get("failed")

    def summary(self):
        """A short line on how the run ended (for the report's details)."""
        if self.killed and not self.timed_out:
            return "killed"
        if self.timed_out:
            return "timed out after %ds" % RUN_TIMEOUT
        result = self.result
        if result is None:
            return "rc=%s, no result saved" % self.rc
        if result.get("failed"):
            return "failed: %s" % str(result.get("msg", ""))[:240]
        return "ok (changed=%s)" % result.get("changed")

    def output_files(self):
        """Every file the run wrote or left behind under its directory (output, log, result, HOME, TMPDIR)."""
        paths = []
        for parent, _dirs, files in os.walk(self.workdir):
            for name in files:
                path = os.path.join(parent, name)
                if os.path.dirname(path) == self.workdir and name in INPUT_FILES:
                    continue
                paths.append(path)
        return sorted(paths)


def kill_live_runs():
    """SIGKILL every run still going (an interrupted suite leaves no ansible-playbook behind)."""
    with LIVE_LOCK:
        live = list(LIVE)
    for run in live:
        run.kill()


def secret_hits(paths, secrets, base=None):
    """{file: occurrences} of any secret value in the bytes of each file (files without any left out)."""
    needles = [secret.encode() for secret in secrets if secret]
    hits = {}
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # a socket or a file gone meanwhile
        count = sum(data.count(needle) for needle in needles)
        if count:
            hits[os.path.relpath(path, base) if base else path] = count
    return hits
