"""Standalone entry point: ``PYTHONPATH=tests/simulator python -m ovh_api_simulator --port 8080``."""

import argparse
import json
import os
import signal
import sys
import threading

from .errors import ApiError
from .seed import DEMO
from .server import SimulatorServer


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="ovh_api_simulator", description="Strict offline simulator of the OVHcloud API v1.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind; 0 picks a free port (default 8080)")
    parser.add_argument("--state", metavar="FILE.json", help='seed document {"defaults": bool, "config": {...}, "accounts": [...]}')
    parser.add_argument("--ready-file", metavar="PATH", help="write {base_url, root_url, pid} JSON here once listening")
    parser.add_argument("--flavour", choices=("eu", "us"), default="eu", help="API flavour (default eu)")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request to stderr")
    return parser.parse_args(argv)


def write_ready_file(path, sim):
    """Atomically write the ready file."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump({"base_url": sim.base_url, "root_url": sim.root_url, "pid": os.getpid()}, handle)
    os.replace(tmp, path)


def main(argv=None):
    """Run until SIGTERM/SIGINT."""
    args = parse_args(argv)
    seed_spec = None
    if args.state:
        with open(args.state, encoding="utf-8") as handle:
            seed_spec = json.load(handle)
    try:
        sim = SimulatorServer(host=args.host, port=args.port, flavour=args.flavour, seed_spec=seed_spec, verbose=args.verbose)
    except ApiError as exc:
        sys.stderr.write("invalid --state seed: %s\n" % exc.body.get("message"))
        return 2
    sim.start()
    stop = threading.Event()

    def on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.stdout.write("OVH API simulator (%s flavour) listening on %s\n" % (args.flavour, sim.base_url))
    sys.stdout.write("# demo account %s credentials (public test values):\n" % DEMO["nichandle"])
    sys.stdout.write("export OVH_ENDPOINT=%s\n" % sim.base_url)
    sys.stdout.write("export OVH_APPLICATION_KEY=%s\n" % DEMO["application_key"])
    sys.stdout.write("export OVH_APPLICATION_SECRET=%s\n" % DEMO["application_secret"])
    sys.stdout.write("export OVH_CONSUMER_KEY=%s\n" % DEMO["consumer_key"])
    sys.stdout.write("# control API: %s/_sim/state, %s/_sim/journal\n" % (sim.root_url, sim.root_url))
    sys.stdout.flush()
    if args.ready_file:
        write_ready_file(args.ready_file, sim)
    while not stop.wait(0.2):
        pass
    sim.stop()
    sys.stdout.write("OVH API simulator stopped\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
