# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: start the OVH API simulator, order a project with playbooks/demo.yml, run it again, stop.

The second run must report changed=false and place no order: that is what the collection promises.
"""

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from ovh_api_simulator import SimulatorControl, SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position

CREDENTIALS = {
    "OVH_APPLICATION_KEY": "demo-application-key",
    "OVH_APPLICATION_SECRET": "demo-application-secret",
    "OVH_CONSUMER_KEY": "demo-consumer-key",
}


def run_playbook(server, name):
    env = dict(os.environ, OVH_ENDPOINT=server.base_url, ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable, **CREDENTIALS)
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "build", "collections"))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
               os.path.join(ROOT, "playbooks", "demo.yml"), "-e", "project_name=%s" % name]
    return subprocess.run(command, env=env, check=False).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="demo-project", help="name of the project to order")
    args = parser.parse_args()
    server = SimulatorServer(port=0).start()
    control = SimulatorControl(server.root_url)
    print("OVH API simulator at %s (account xx1111-ovh)" % server.base_url)
    try:
        for attempt in ("first run: orders the project", "second run: finds it, changes nothing"):
            print("\n=== %s ===" % attempt, flush=True)
            before = len(control.journal())
            if run_playbook(server, args.name) != 0:
                return 1
            writes = control.writes(control.journal()[before:])
            print("API writes in this run: %d (%s)" % (len(writes), ", ".join(
                "%s %s" % (e["method"], e["path"]) for e in writes) or "none"), flush=True)
        checkouts = control.checkouts()
        print("\nCheckouts in total: %d" % len(checkouts))
        return 0 if len(checkouts) == 1 else 1
    finally:
        server.stop()
        print("simulator stopped")


if __name__ == "__main__":
    sys.exit(main())
