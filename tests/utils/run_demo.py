# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: start the OVH API simulator, order a project with playbooks/demo.yml, run it again, stop.

The second run must report changed=false and place no order: that is what the collection promises.
"""

import argparse
import json
import os
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from ovh_api_simulator import SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position

CREDENTIALS = {
    "OVH_APPLICATION_KEY": "demo-application-key",
    "OVH_APPLICATION_SECRET": "demo-application-secret",
    "OVH_CONSUMER_KEY": "demo-consumer-key",
}


def journal(server):
    with urllib.request.urlopen(server.root_url + "/_sim/journal", timeout=10) as response:
        data = json.loads(response.read().decode())
    return data["entries"] if isinstance(data, dict) else data


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
    print("OVH API simulator at %s (account xx1111-ovh)" % server.base_url)
    try:
        for attempt in ("first run: orders the project", "second run: finds it, changes nothing"):
            print("\n=== %s ===" % attempt, flush=True)
            before = len(journal(server))
            if run_playbook(server, args.name) != 0:
                return 1
            writes = [e for e in journal(server)[before:] if e["method"] in ("POST", "PUT", "DELETE")]
            print("API writes in this run: %d (%s)" % (len(writes), ", ".join(
                "%s %s" % (e["method"], e["path"]) for e in writes) or "none"), flush=True)
        checkouts = [e for e in journal(server) if e["method"] == "POST" and e["path"].endswith("/checkout")]
        print("\nCheckouts in total: %d" % len(checkouts))
        return 0 if len(checkouts) == 1 else 1
    finally:
        server.stop()
        print("simulator stopped")


if __name__ == "__main__":
    sys.exit(main())
