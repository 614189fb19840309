# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: how a rerun of public_cloud_project scales with the number of projects in the account.

Prints, for each account size and simulated round-trip latency, the wall time of one module run on an
existing project (the common idempotent rerun) and of one that orders, with the number of API calls.
Run with `make bench`; it starts its own simulator on loopback and stops by itself.
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

from conftest import FAST, SimulatorServer, Simulator, run_module  # noqa: E402  pylint: disable=wrong-import-position

SIZES = (1, 10, 50, 200)
LATENCIES_MS = (0, 20)


def measure(sim, name):
    sim.clear_journal()
    started = time.monotonic()
    run = run_module(sim, name=name)
    elapsed = time.monotonic() - started
    if run.result.get("failed"):
        raise SystemExit("benchmark run failed: %s" % run.result.get("msg"))
    return elapsed, len(sim.journal())


def main():
    rows = []
    for latency in LATENCIES_MS:
        for size in SIZES:
            server = SimulatorServer(port=0).start()
            sim = Simulator(server)
            try:
                sim.config(latency_ms=latency, **FAST)
                sim.update_account("xx1111-ovh", quota=size + 10)
                sim.seed_projects("xx1111-ovh", [{"description": "existing-%03d" % i} for i in range(size)])
                rerun_s, rerun_calls = measure(sim, "existing-000")
                order_s, order_calls = measure(sim, "brand-new")
            finally:
                server.stop()
            rows.append({"projects": size, "latency_ms": latency, "rerun_s": round(rerun_s, 2), "rerun_calls": rerun_calls,
                         "order_s": round(order_s, 2), "order_calls": order_calls})
            print("projects=%4d latency=%3dms  rerun: %6.2fs %4d calls   order: %6.2fs %4d calls"
                  % (size, latency, rerun_s, rerun_calls, order_s, order_calls), flush=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
