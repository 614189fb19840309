# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make sim`: the OVH API simulator in the foreground, seeded for the documented examples, until Ctrl-C.
`make sim-writes` (--writes): the API writes the running simulator recorded since the last time it was asked.

The seeding is ovh_api_simulator.rehearsal.seed_rehearsal, the one tests/integration/test_examples.py uses too.
"""

import argparse
import json
import os
import signal
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

# pylint: disable=wrong-import-position
from ovh_api_simulator import ControlError, SimulatorControl, SimulatorServer  # noqa: E402
from ovh_api_simulator.rehearsal import describe, seed_rehearsal  # noqa: E402
from ovh_api_simulator.seed import DEMO  # noqa: E402

STATE_FILE = os.path.join(ROOT, "build", "simulator.json")
PAYMENTS = ("/pay", "/payWithRegisteredPaymentMean")


def write_state(path, state):
    """Atomically write what --writes needs: the simulator's URLs and the last journal entry already shown."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    os.replace(tmp, path)


def banner(server, state_file):
    """What to paste in another shell, and what to run there."""
    lines = ["OVH API simulator listening on %s (Ctrl-C stops it)" % server.base_url,
             "Seeded for the examples of README.md and docs/examples/: demo account %s, %s"
             % (DEMO["nichandle"], describe()),
             "",
             "# In another shell, paste these lines (public test values of the simulator's demo account):",
             "export OVH_ENDPOINT=%s" % server.base_url,
             "export OVH_APPLICATION_KEY=%s" % DEMO["application_key"],
             "export OVH_APPLICATION_SECRET=%s" % DEMO["application_secret"],
             "export OVH_CONSUMER_KEY=%s" % DEMO["consumer_key"]]
    if sys.prefix != sys.base_prefix:  # run from the demo's virtual environment: it has ansible-core and ovh
        lines.append("source %s" % os.path.join(sys.prefix, "bin", "activate"))
    lines += ["# then run your playbooks (the collection installed with `make install`, or add",
              "#   export ANSIBLE_COLLECTIONS_PATH=%s)" % os.path.join(ROOT, "build", "collections"),
              "# The API writes since you last asked (orders placed, paid...): make sim-writes",
              ""]
    if state_file != STATE_FILE:
        lines[-2] = "# The API writes since you last asked: python %s --writes --state-file %s" % (
            os.path.abspath(__file__), state_file)
    return "\n".join(lines)


def serve(args):
    """Start, seed, print the banner, wait for SIGINT or SIGTERM, stop."""
    try:
        server = SimulatorServer(host="127.0.0.1", port=args.port).start()
    except OSError as exc:
        sys.stderr.write("cannot listen on 127.0.0.1:%d (%s): another `make sim` may be running; stop it, or choose "
                         "another port: make sim SIM_PORT=8081\n" % (args.port, exc.strerror or exc))
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        seed_rehearsal(SimulatorControl(server.root_url))
        write_state(args.state_file, {"base_url": server.base_url, "root_url": server.root_url, "pid": os.getpid(),
                                      "seen": 0})
        print(banner(server, args.state_file), flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        server.stop()
        if os.path.exists(args.state_file):
            os.remove(args.state_file)
        print("OVH API simulator stopped", flush=True)
    return 0


def show_writes(args):
    """Print the API writes recorded since the last --writes (or since the start), then remember where it stopped."""
    try:
        with open(args.state_file, encoding="utf-8") as handle:
            state = json.load(handle)
    except FileNotFoundError:
        sys.stderr.write("no simulator is running (no %s): start one with `make sim`\n" % args.state_file)
        return 2
    control = SimulatorControl(state["root_url"], timeout=5)
    try:
        journal = control.journal()
    except (OSError, ControlError) as exc:
        sys.stderr.write("the simulator at %s does not answer (%s): is `make sim` still running?\n" % (state["root_url"], exc))
        return 2
    new = [entry for entry in journal if entry["seq"] > state.get("seen", 0)]
    writes = control.writes(new)
    if not writes:
        print("No API writes since the last look: nothing was ordered, paid or changed (%d API calls, all reads)." % len(new))
    else:
        print("API writes since the last look (%d of %d API calls):" % (len(writes), len(new)))
        for entry in writes:
            print("  %-6s %s -> %s" % (entry["method"], entry["path"], entry["status"]))
        checkouts = control.checkouts(new)
        paid = [e for e in writes if e["method"] == "POST" and e["path"].startswith("/me/order/") and e["path"].endswith(PAYMENTS)]
        print("Orders placed (cart checkouts): %d; orders paid: %d" % (len(checkouts), len(paid)))
    if new:
        state["seen"] = max(entry["seq"] for entry in new)
        write_state(args.state_file, state)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080, help="port to listen on, on 127.0.0.1 (default 8080)")
    parser.add_argument("--writes", action="store_true", help="print the API writes of the running simulator since the "
                        "last --writes, and exit")
    parser.add_argument("--state-file", default=STATE_FILE, help="where the running simulator leaves its address "
                        "(default build/simulator.json)")
    args = parser.parse_args(argv)
    return show_writes(args) if args.writes else serve(args)


if __name__ == "__main__":
    sys.exit(main())
