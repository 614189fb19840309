# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark at fleet scale: API calls and time at fleet scale, against the bundled simulator with 50 ms per API call.

Numbers, not a pass/fail test (not part of `make test`). `make bench` (or `.venv/bin/python benchmarks/bench.py` after
`make collection`) measures, side by side, in one run:

1. one no-op task (public_cloud_project on an existing project) for accounts of 1, 10, 100 and 1,000 projects, with
   the expanded listing and with the fallback an API that ignores it gets (ids, then each project read, 8 at a time);
2. a no-op run of the role (the order_projects playbook) over inventories of 10, 100 and 1,000 existing projects,
   against a playbook running one ansible.builtin.debug task per host over the same inventory, both with forks 10;
3. one full order (create to ok): its API calls against the minimum the flow needs, polling apart.

It prints the tables and writes them to benchmarks/results.md with a description of the machine. Timings are medians
of --reps runs; a loaded machine makes every row slower, the ratios less so.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from conftest import BIN, FAST, PLAYBOOKS, Simulator, SimulatorServer, ansible_env  # noqa: E402  pylint: disable=wrong-import-position

NIC = "xx1111-ovh"
ROLE_PLAYBOOK = "ovhcloud.public_cloud.order_projects"
DEBUG_PLAYBOOK = os.path.join(HERE, "debug_per_host.yml")
MODULE_PLAYBOOK = os.path.join(PLAYBOOKS, "project.yml")
MODULE_TASK = "Ensure the project"
RESULTS = os.path.join(HERE, "results.md")

# The calls one order needs, in the order the module makes them (docs/design.md, "The state machine"): each once,
# except the details of the order, read until the one naming the project (the simulator's orders have two).
ORDER_MINIMUM = (
    ("GET", r"/auth/time", 1, "the API's clock, to sign the calls (python-ovh, once per run)"),
    ("GET", r"/cloud/project", 1, "look the name up: the expanded listing, one page"),
    ("GET", r"/me", 1, "a URL endpoint only (the simulator): is this the US API?"),
    ("GET", r"/cloud/order", 1, "orders in flight for the name"),
    ("GET", r"/me/order", 1, "orders of the last 24 hours (one delivered, its project not visible yet)"),
    ("GET", r"/cloud/eligibility", 1, "may the account order (payment method, quota)?"),
    ("POST", r"/order/cart", 1, "create the cart, described for the name (announces the run)"),
    ("POST", r"/order/cart/[^/]+/assign", 1, "assign the cart to the account"),
    ("GET", r"/order/cart/[^/]+/cloud", 1, "the Public Cloud offers"),
    ("POST", r"/order/cart/[^/]+/cloud", 1, "add the project to the cart"),
    ("GET", r"/order/cart/[^/]+/item/\d+/requiredConfiguration", 1, "what the item needs"),
    ("POST", r"/order/cart/[^/]+/item/\d+/configuration", 1, "the project's name (its description)"),
    ("GET", r"/order/cart/[^/]+/checkout", 1, "the checkout summary (price)"),
    ("GET", r"/order/cart", 1, "race guard: the carts announced for the name"),
    ("GET", r"/order/cart/[^/]+", 1, "race guard: each cart announced (ours alone here)"),
    ("GET", r"/cloud/order", 1, "a last look for an order in flight, right before spending"),
    ("POST", r"/order/cart/[^/]+/checkout", 1, "check out: the one call that spends money"),
    ("GET", r"/me/order/\d+/status", 1, "the order's status, until delivered"),
    ("GET", r"/me/order/\d+/details", 1, "the order's details"),
    ("GET", r"/me/order/\d+/details/\d+", 2, "each detail, until the one naming the project"),
    ("GET", r"/cloud/project/[0-9a-f]{32}", 1, "the delivered project, until ok"),
)
# Repeated reads while the order is checked and delivered and while the project is created: their number depends on
# how long delivery takes (the simulator's delays) and on the polling's backoff.
POLLING = ((r"GET", r"/me/order/\d+/status"), (r"GET", r"/cloud/project/[0-9a-f]{32}"))


class Run:  # pylint: disable=too-few-public-methods
    """One ansible-playbook run: wall seconds, seconds per task (task_seconds callback), output, saved module result."""

    def __init__(self, seconds, tasks, output, result):
        self.seconds = seconds
        self.tasks = tasks
        self.output = output
        self.result = result

    def task(self, prefix):
        return sum(seconds for name, seconds in self.tasks if name.startswith(prefix))


def start_simulator(latency_ms, projects=0, fast=True):
    """A simulator with the demo account holding ``projects`` projects named project-0000..."""
    server = SimulatorServer(port=0).start()
    sim = Simulator(server)
    sim.config(latency_ms=latency_ms, **(FAST if fast else {}))
    if projects:
        sim.update_account(NIC, quota=projects + 10)
        sim.seed_projects(NIC, [{"description": project_name(n)} for n in range(projects)])
    return server, sim


def project_name(number):
    return "project-%04d" % number


def ansible_playbook(sim, playbook, inventory="localhost,", extra_vars=None, forks=None):
    """Run a playbook against ``sim`` as the integration tests do; a failed run stops the benchmark."""
    with tempfile.TemporaryDirectory() as tmp:
        times = os.path.join(tmp, "tasks.json")
        result_file = os.path.join(tmp, "result.json")
        command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, playbook]
        if extra_vars is not None:
            vars_file = os.path.join(tmp, "vars.json")
            with open(vars_file, "w", encoding="utf-8") as handle:
                json.dump(dict(extra_vars, result_file=result_file), handle)
            command += ["-e", "@" + vars_file]
        env = ansible_env(sim, extra={"ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
                                      "ANSIBLE_CALLBACKS_ENABLED": "task_seconds", "BENCH_TASK_SECONDS": times})
        if forks:
            env["ANSIBLE_FORKS"] = str(forks)
        started = time.monotonic()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        output = proc.stdout + proc.stderr
        result = None
        if os.path.exists(result_file):
            with open(result_file, encoding="utf-8") as handle:
                result = json.load(handle)
        if proc.returncode != 0 or (result or {}).get("failed"):
            raise SystemExit("benchmark run failed: %s\n%s" % (" ".join(command), output[-3000:]))
        with open(times, encoding="utf-8") as handle:
            tasks = json.load(handle)
    return Run(seconds, tasks, output, result)


def median(values):
    return statistics.median(values) if values else float("nan")


def noop_task(sizes, reps, latency_ms):
    """Section 1: one no-op task, expanded listing against ids then reads."""
    rows = []
    for size in sizes:
        server, sim = start_simulator(latency_ms, size)
        try:
            for mode, ignore in (("expanded listing", False), ("ids, then reads", True)):
                sim.config(ignore_pagination_headers=ignore)
                runs, calls = [], []
                for dummy in range(reps):
                    sim.clear_journal()
                    run = ansible_playbook(sim, MODULE_PLAYBOOK, extra_vars={"module_args": {"name": project_name(size - 1)}})
                    if run.result["changed"] or (run.result["project"] or {}).get("name") != project_name(size - 1) \
                            or sim.writes():
                        raise SystemExit("the task was not a no-op: %s" % run.result)
                    runs.append(run)
                    calls.append(len(sim.journal()))
                rows.append({"projects": size, "lookup": mode, "calls": max(calls),
                             "task_s": median([r.task(MODULE_TASK) for r in runs]),
                             "run_s": median([r.seconds for r in runs])})
                print("  no-op task, %5d projects, %-16s %5d calls  task %6.2f s  run %6.2f s" % (
                    size, mode, rows[-1]["calls"], rows[-1]["task_s"], rows[-1]["run_s"]), flush=True)
        finally:
            server.stop()
    return rows


# what every project of the governed no-op asks for, and already has (seeded): one spending alert and two IAM tags
GOVERNED = {"public_cloud_project_alerting": [{"monthly_threshold": 300, "email": "finops@example.com", "delay": 3600}],
            "public_cloud_project_tags": {"team": "platform", "env": "prod"}}


def write_inventory(directory, size, group_vars=None):
    path = os.path.join(directory, "hosts-%d%s.json" % (size, "-governed" if group_vars else ""))
    hosts = dict(("p%04d.example.invalid" % n, {"public_cloud_project_name": project_name(n)}) for n in range(size))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"public_cloud_projects": {"hosts": hosts, "vars": group_vars or {}}}, handle)
    return path


def govern(sim, size):
    """Give each project of the account the alert and tags GOVERNED asks for, as if an earlier run had set them."""
    alert = GOVERNED["public_cloud_project_alerting"][0]
    for project in sim.state()["projects"]:
        if project["description"] in set(project_name(n) for n in range(size)):
            sim.seed_alerts(project["project_id"], dict(alert))
            sim.seed_tags(project["project_id"], GOVERNED["public_cloud_project_tags"])


def role_noop(sizes, reps, latency_ms, forks, governed=False):
    """Section 2: the role's no-op run against one debug task per host, same inventory and forks; ``governed``: every
    project asks for the spending alert and tags it already has (GOVERNED)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            inventory = write_inventory(tmp, size, GOVERNED if governed else None)
            server, sim = start_simulator(latency_ms, size)
            if governed:
                govern(sim, size)
            try:
                role, debug, calls = [], [], []
                for dummy in range(reps):  # alternate, so that a change of the machine's load hits both alike
                    debug.append(ansible_playbook(sim, DEBUG_PLAYBOOK, inventory, forks=forks).seconds)
                    sim.clear_journal()
                    run = ansible_playbook(sim, ROLE_PLAYBOOK, inventory, forks=forks)
                    calls.append(len(sim.journal()))
                    found = "Public Cloud projects: %d (found %d," % (size, size)
                    if found not in run.output or sim.writes():
                        raise SystemExit("the role's run was not a no-op:\n%s" % run.output[-3000:])
                    role.append(run.seconds)
            finally:
                server.stop()
            rows.append({"hosts": size, "calls": max(calls), "role_s": median(role), "debug_s": median(debug),
                         "ratio": median(role) / median(debug), "role_runs": role, "debug_runs": debug,
                         "governed": governed})
            print("  role no-op%s, %5d hosts: %4d calls  role %6.2f s  debug %6.2f s  ratio %.2f" % (
                " (alert + tags)" if governed else "", size, rows[-1]["calls"], rows[-1]["role_s"], rows[-1]["debug_s"],
                rows[-1]["ratio"]), flush=True)
    return rows


def classify(journal):
    """Each call of an order: a call of the minimum (its row), a polling call, or an extra call."""
    left = [count for dummy, dummy, count, dummy in ORDER_MINIMUM]
    used = [0] * len(ORDER_MINIMUM)
    polling = {}
    extra = []
    for entry in journal:
        for index, (method, path, dummy, dummy) in enumerate(ORDER_MINIMUM):
            if left[index] and entry["method"] == method and re.fullmatch(path, entry["path"]):
                left[index] -= 1
                used[index] += 1
                break
        else:
            poll = [path for method, path in POLLING if entry["method"] == method and re.fullmatch(path, entry["path"])]
            if poll:
                polling[poll[0]] = polling.get(poll[0], 0) + 1
            else:
                extra.append("%s %s" % (entry["method"], entry["path"]))
    return used, polling, extra


def full_order(latency_ms):
    """Section 3: one order, create to ok, with the simulator's default delays (1 s for each stage of delivery)."""
    server, sim = start_simulator(latency_ms, 10, fast=False)
    try:
        run = ansible_playbook(sim, MODULE_PLAYBOOK, extra_vars={"module_args": {"name": "brand-new"}})
        journal = sim.journal()
        if not run.result["changed"] or (run.result["project"] or {}).get("status") != "ok" or len(sim.checkouts()) != 1:
            raise SystemExit("the order did not complete: %s" % run.result)
    finally:
        server.stop()
    used, polling, extra = classify(journal)
    result = {"calls": len(journal), "minimum": sum(count for dummy, dummy, count, dummy in ORDER_MINIMUM),
              "used": used, "polling": polling, "extra": extra, "task_s": run.task(MODULE_TASK), "run_s": run.seconds}
    print("  full order: %d calls (minimum %d, polling %d, other %d)  task %.2f s  run %.2f s" % (
        result["calls"], result["minimum"], sum(polling.values()), len(extra), result["task_s"], result["run_s"]),
        flush=True)
    return result


def machine(load_before):
    import ansible.release  # pylint: disable=import-outside-toplevel
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")][0]
    except (OSError, IndexError):
        model = platform.processor() or model

    def git(*args):
        return subprocess.run(["git"] + list(args), cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = [line for line in git("status", "--porcelain").splitlines() if not line.endswith("benchmarks/results.md")]
    return [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPUs", "%s x %s" % (os.cpu_count(), model)),
        ("load average (1, 5, 15 min)", "%s before, %s after" % (
            ", ".join("%.2f" % n for n in load_before), ", ".join("%.2f" % n for n in os.getloadavg()))),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("ansible-core", ansible.release.__version__),
        ("commit", git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if dirty else "")),
    ]


def report(args, about, noop, role, order):
    lines = ["# Benchmark: API calls and time at fleet scale", "",
             "`make bench` (benchmarks/bench.py) against the bundled simulator, every API call %d ms (the simulator's "
             "`latency_ms`, slept once per request: the round trip), medians of %d runs. Not a pass/fail test."
             % (args.latency_ms, args.reps), "", "| machine | |", "|---|---|"]
    lines += ["| %s | %s |" % row for row in about]
    lines += ["", "## One no-op task (public_cloud_project on an existing project)", "",
              "The expanded listing (`GET /cloud/project`, `X-Pagination-Mode: CachedObjectList-Pages`) against what an "
              "API that ignores it gets (the simulator's `ignore_pagination_headers`): ids, then each project read, "
              "8 at a time. *task*: the module task; *run*: `ansible-playbook` from start to end.", "",
              "| projects | lookup | API calls | task s | run s |", "|---:|---|---:|---:|---:|"]
    lines += ["| %d | %s | %d | %.2f | %.2f |" % (r["projects"], r["lookup"], r["calls"], r["task_s"], r["run_s"])
              for r in noop]
    lines += ["", "## No-op run of the role, against one `ansible.builtin.debug` task per host", "",
              "`ansible-playbook ovhcloud.public_cloud.order_projects` over N hosts naming N existing projects, and "
              "`benchmarks/debug_per_host.yml` over the same inventory, both with forks %d, runs alternated." % args.forks,
              "*alert + tags*: every project asks for one spending alert and two IAM tags, which it already has.",
              "", "| hosts | projects ask for | API calls | role s | debug s | ratio |", "|---:|---|---:|---:|---:|---:|"]
    lines += ["| %d | %s | %d | %.2f | %.2f | %.2f |" % (
        r["hosts"], "alert + tags" if r.get("governed") else "-", r["calls"], r["role_s"], r["debug_s"], r["ratio"])
        for r in role]
    lines += ["", "The role runs one task per host on a no-op (`set_fact`: the host's result, which puts it in the "
              "recap) and about nine tasks once for the play: the choice of the hosts it applies to (the role's "
              "conditions, evaluated on the controller; none here), the lookup (three calls of %d ms, run in the "
              "action plugin's worker process, no module process), the reading of the hosts' variables through "
              "`hostvars` (about 2 ms per host); from ansible-core 2.18 `meta: end_role` lets the hosts with nothing "
              "to report out (about 2.5 ms per host, no worker). With alert + tags, the tags come with "
              "the listing and the lookup reads the alerts of each project: two calls per project (the listing of its "
              "alerts, which the API answers with ids, then the alert), no module run." % args.latency_ms]
    if order:
        lines += ["", "## One full order (create to `ok`)", "",
                  "public_cloud_project on a new name, the simulator's default delays (1 s each: payment, checking, "
                  "delivering, project creating). %d API calls in %.2f s (task; run %.2f s): the minimum of the flow "
                  "(%d, below), %d polling calls, %d other." % (
                      order["calls"], order["task_s"], order["run_s"], order["minimum"], sum(order["polling"].values()),
                      len(order["extra"])), "",
                  "| call | why | minimum | this order |", "|---|---|---:|---:|"]
        lines += ["| `%s %s` | %s | %d | %d |" % (method, path, why, count, used)
                  for (method, path, count, why), used in zip(ORDER_MINIMUM, order["used"])]
        lines += ["| **minimum** | | **%d** | **%d** |" % (order["minimum"], sum(order["used"]))]
        lines += ["| `GET %s` | polling, repeated | 0 | %d |" % (path, count) for path, count in order["polling"].items()]
        lines += ["| `%s` | not in the flow | 0 | 1 |" % call for call in order["extra"]]
        lines += ["", "The race guard's settle time (4 s between announcing the cart and checking out) and the "
                  "simulator's delivery (about 4 s) make most of the order's time; the calls of the minimum cost "
                  "%d x %d ms." % (order["minimum"], args.latency_ms)]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--latency-ms", type=int, default=50, help="milliseconds each API call takes (default 50)")
    parser.add_argument("--reps", type=int, default=3, help="runs of each timing, the median is reported (default 3)")
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--task-sizes", type=int, nargs="*", default=[1, 10, 100, 1000])
    parser.add_argument("--role-sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--governed-sizes", type=int, nargs="*", default=[100],
                        help="hosts of the role's no-op where every project asks for an alert and tags (default 100)")
    parser.add_argument("--no-order", action="store_true", help="leave out the full order")
    parser.add_argument("--output", default=RESULTS, help="the Markdown file written (default benchmarks/results.md)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    print("one no-op task:", flush=True)
    noop = noop_task(args.task_sizes, args.reps, args.latency_ms)
    print("role no-op against debug:", flush=True)
    role = role_noop(args.role_sizes, args.reps, args.latency_ms, args.forks)
    role += role_noop(args.governed_sizes, args.reps, args.latency_ms, args.forks, governed=True)
    order = None
    if not args.no_order:
        print("full order:", flush=True)
        order = full_order(args.latency_ms)
    text = report(args, machine(load_before), noop, role, order)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("\n" + text)


if __name__ == "__main__":
    main()
