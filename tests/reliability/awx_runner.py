# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The secret scan's ansible-runner job: the job template playbook run as AWX runs it, the credential's secrets in an
ovh.conf file (as the collection's AWX credential type injects them, docs/awx.md), at -vvvv with ANSIBLE_DEBUG=1;
then every byte of the artifacts directory (and of runner's own output) is searched for the secrets."""

import json
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

from .integration import BIN, COLLECTIONS, INTEGRATION, ansible_env
from .runs import RUN_TIMEOUT, secret_hits
from .scenarios import NAME, scenario
from .stage import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY, SECRETS

PLAYBOOK = "order_project.yml"
RUNNER_PROJECT = os.path.join(INTEGRATION, "runner", "project")


def private_data_dir(pdd, base_url):
    """project/, inventory/hosts, env/extravars, env/cmdline, env/envvars (no secret) and the credential file."""
    for sub in ("project", "inventory", "env"):
        os.makedirs(os.path.join(pdd, sub))
    shutil.copy(os.path.join(RUNNER_PROJECT, PLAYBOOK), os.path.join(pdd, "project", PLAYBOOK))
    with open(os.path.join(pdd, "inventory", "hosts"), "w", encoding="utf-8") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    ovh_conf = os.path.join(pdd, "env", "ovh_conf")
    with open(os.open(ovh_conf, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as handle:
        handle.write("[default]\nendpoint=%s\n\n[%s]\napplication_secret=%s\nconsumer_key=%s\n"
                     % (base_url, base_url, APPLICATION_SECRET, CONSUMER_KEY))
    files = {
        "extravars": {"project_name": NAME},
        "envvars": {"OVH_CONFIG_FILE": ovh_conf, "OVH_ENDPOINT": base_url, "OVH_APPLICATION_KEY": APPLICATION_KEY,
                    "OVH_CLIENT_ID": "", "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS, "ANSIBLE_DEBUG": "1"},
    }
    for name, content in files.items():
        with open(os.path.join(pdd, "env", name), "w", encoding="utf-8") as handle:
            json.dump(content, handle)
    with open(os.path.join(pdd, "env", "cmdline"), "w", encoding="utf-8") as handle:
        handle.write("-vvvv")


def run_job(stage, pdd, ident):
    """``ansible-runner run`` of the playbook (its own HOME and TMPDIR, no OVH_* variable of ours); its exit code."""
    home = os.path.join(stage.workdir, ident + "-home")
    os.makedirs(os.path.join(home, "tmp"))
    env = ansible_env(SimpleNamespace(base_url=stage.sim.base_url), credentials={},
                      extra={"HOME": home, "TMPDIR": os.path.join(home, "tmp")})
    env = {key: value for key, value in env.items() if not key.startswith("OVH_")}  # the job's come from env/envvars
    command = [os.path.join(BIN, "ansible-runner"), "run", pdd, "-p", PLAYBOOK, "--ident", ident]
    with open(os.path.join(stage.workdir, ident + ".out"), "wb") as out:
        return subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT,
                              check=False).returncode


@scenario
def runner_order_and_rerun(stage, outcome):
    """Two ansible-runner jobs (an order, then a rerun that orders nothing); secrets searched in every artifact."""
    pdd = os.path.join(stage.workdir, "pdd")
    private_data_dir(pdd, stage.sim.base_url)
    codes = [run_job(stage, pdd, ident) for ident in ("job-order", "job-rerun")]
    outcome.runs += len(codes)
    outcome.reruns = 1
    state = stage.sim.state()
    projects = [p for p in state["projects"] if p["description"] == NAME]
    stage.count(outcome, NAME, state)
    outcome.first_ok = codes[0] == 0
    outcome.converged = codes == [0, 0] and len(projects) == 1 and projects[0]["status"] == "ok" and outcome.orders == 1 \
        and outcome.paid == 1
    outcome.last = "ansible-runner exit codes %s" % codes
    searched = [os.path.join(parent, name) for parent, _dirs, names in os.walk(os.path.join(pdd, "artifacts"))
                for name in names]
    searched += [os.path.join(stage.workdir, ident + ".out") for ident in ("job-order", "job-rerun")]
    for ident in ("job-order", "job-rerun"):  # the jobs' HOME, TMPDIR
        searched += [os.path.join(parent, name) for parent, _dirs, names in os.walk(os.path.join(stage.workdir, ident + "-home"))
                     for name in names]
    if len(searched) < 10:
        outcome.error = "ansible-runner left almost no artifacts (%d files): nothing was searched" % len(searched)
    outcome.secret_hits.update(secret_hits(searched, SECRETS, base=stage.workdir))
