# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The matrices (quick and full): which scenarios, grouped in which rows, run how (in parallel, one simulator each)."""

import os
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from . import awx_runner, scenarios
from .bad_input import run_bad_input
from .calls import calls_of, stable
from .outcome import Outcome
from .runs import kill_live_runs

CLEAN = "clean order + rerun"
KILL = "SIGKILL after call k, then rerun"
SECRETS_VVVV = "secret scan -vvvv + ANSIBLE_DEBUG=1"
SECRETS_ARGS = "secret scan -vvvv, secrets as module arguments"
SECRETS_ARGS_DEBUG = "secret scan -vvvv + ANSIBLE_DEBUG=1, secrets as module arguments"
SECRETS_OAUTH2 = "secret scan, OAuth2 client secret"
SECRETS_RUNNER = "secret scan, ansible-runner artifacts"
STALE_RERUN = "rerun on a stale project listing (project_listing_cache 600 s, delivered_retention 0)"
RENAME = "rename: order X, rename it Y, run X, run Y"
BAD_INPUT = "bad input catalogue"
VERBOSE = {"verbosity": 4, "debug": True}
# (fault kind, persistent) of the quick matrix, on the calls of quick_fault_calls()
QUICK_FAULTS = (("500", True),)
# (kind, persistent, on which call): a dropped answer on the two writes whose outcome a run must then find out
QUICK_EXTRA_FAULTS = (("drop", False, "create cart"), ("drop", False, "checkout"), ("429", False, "status"))
QUICK_RACE = (4, 1)  # processes, repetitions
FULL_RACES = (2, 4, 8)
# races are about a third of the full matrix's runs (more with the option races): `--race-reps 10` if it must be shorter
FULL_RACE_REPS = 20
# Races under the simulator's awkward API options (docs/simulator.md "Awkward API options"): option label -> (settings
# added to the simulator's, two applications of the account with the runs alternating them). Each is a plausible
# behaviour of the real API that no public source rules out (docs/design.md "Assumptions about the real API").
LISTING_LAG = "cart_listing_lag 10 s, two applications"
PER_APPLICATION = "carts_per_application, two applications"
RACE_OPTIONS = {
    # longer than the guard's settle (4 s): the guard never sees the other application's carts in time
    LISTING_LAG: ({"cart_listing_lag": 10}, True),
    PER_APPLICATION: ({"carts_per_application": True}, True),
    # within ORDER_SETTLE (6 s), the assumption the pay step makes (a longer lag with a failed guard can pay twice)
    "checked_out_carts_unlisted + order_listing_lag 5 s": ({"checked_out_carts_unlisted": True, "order_listing_lag": 5}, False),
    "accept_expired_checkout": ({"accept_expired_checkout": True}, False),
    "project_listing_cache 600 s": ({"project_listing_cache": 600}, False),
}
OPTION_RACES = (4, 8)
# the quick matrix: one race with listing lag, one with carts per application (processes, repetitions)
QUICK_OPTION_RACES = ((LISTING_LAG, 4, 1), (PER_APPLICATION, 4, 1))
STOP = threading.Event()


def fault_row(kind, persistent):
    """A row of faults of one kind, one scenario per call faulted (every call in the full matrix)."""
    return "fault %s, %s" % (kind, "persistent" if persistent else "once")


def race_row(processes, option=None):
    if option:
        return "race of %d, %s" % (processes, option)
    return "race ×%d, one name" % processes


def option_race_task(processes, option, rep, stage_options):
    settings, two_applications = RACE_OPTIONS[option]
    return Task(race_row(processes, option), "repetition %d" % rep, scenarios.race,
                {"processes": processes, "alternate": two_applications},
                dict(stage_options, sim_config=settings, second_application=two_applications))


@dataclass
class Task:
    """One scenario to run: its row, label, scenario function and arguments."""

    row: str
    label: str
    function: object
    kwargs: dict = field(default_factory=dict)
    stage_options: dict = field(default_factory=dict)
    expected_orders: int = 1


@dataclass
class Options:
    """How to run a matrix."""

    full: bool = False
    jobs: int = 2
    race_reps: int = FULL_RACE_REPS
    vvvv_all: bool = False
    bad_input: bool = True
    only: str = ""  # run only the rows whose name contains this (besides discovery)
    log = sys.stderr


def discover(workdir, options):
    """Clean order + rerun (twice in full mode, in parallel): the baseline row, and the calls of each phase that every
    discovery run made. Raises SystemExit when a clean run does not converge: no scenario would mean anything."""
    repeats = 2 if options.full else 1
    journals = [{} for _index in range(repeats)]
    with ThreadPoolExecutor(max_workers=min(repeats, options.jobs)) as pool:
        outcomes = list(pool.map(
            lambda i: scenarios.order_and_rerun(os.path.join(workdir, "discovery-%d" % i), Outcome(CLEAN, "discovery %d" % (i + 1)),
                                                journals=journals[i]), range(repeats)))
    for outcome in outcomes:
        if not outcome.passed:
            raise SystemExit("the clean order and rerun did not pass, the suite cannot run: %s" % "; ".join(outcome.problems()))
    order_calls = stable([calls_of(j["order"], "order") for j in journals])
    rerun_calls = stable([calls_of(j["rerun"], "rerun") for j in journals])
    return outcomes, order_calls, rerun_calls


def first(calls, predicate):
    return next((call for call in calls if predicate(call)), None)


def fault_task(call, kind, persistent, stage_options):
    label = "%s%s" % ("rerun: " if call.phase == "rerun" else "", call.label)
    return Task(fault_row(kind, persistent), label, scenarios.fault, {"call": call, "kind": kind, "persistent": persistent},
                dict(stage_options))


def kill_task(order_calls, index, stage_options, row=KILL):
    """Kill after call ``index`` (1-based) of the order flow: the next call is held."""
    hold = order_calls[index]
    label = "after call %d (%s), before %s" % (index, order_calls[index - 1].label, hold.label)
    return Task(row, label, scenarios.kill, {"hold": hold}, dict(stage_options))


def plan(order_calls, rerun_calls, options):
    """The tasks of the matrix, besides discovery, races and the bad-input catalogue."""
    tasks = []
    stage_options = VERBOSE if options.vvvv_all else {}
    checkout = next((i for i, call in enumerate(order_calls) if call.is_checkout), None)
    if options.full:
        for kind in scenarios.FAULT_KINDS:
            for persistent in (False, True):
                tasks += [fault_task(call, kind, persistent, stage_options) for call in order_calls + rerun_calls]
        tasks += [kill_task(order_calls, index, stage_options) for index in range(1, len(order_calls))]
    else:
        picks = {
            "create cart": first(order_calls, lambda c: c.method == "POST" and c.template == "/order/cart"),
            "checkout": first(order_calls, lambda c: c.is_checkout),
            "status": first(order_calls, lambda c: c.method == "GET" and c.template.endswith("/status")),
            "rerun lookup": first(rerun_calls, lambda c: c.method == "GET" and c.template == "/cloud/project"),
        }
        for kind, persistent in QUICK_FAULTS:
            tasks += [fault_task(call, kind, persistent, stage_options) for call in picks.values() if call]
        for kind, persistent, pick in QUICK_EXTRA_FAULTS:
            if picks[pick]:
                tasks.append(fault_task(picks[pick], kind, persistent, stage_options))
        if checkout:
            tasks += [kill_task(order_calls, index, stage_options) for index in (checkout, checkout + 1)
                      if index < len(order_calls)]
    # the secret scan's pass at -vvvv with ANSIBLE_DEBUG=1 (secrets in OVH_* variables), and with the secrets as
    # module arguments (no_log options) at -vvvv, and with ANSIBLE_DEBUG=1 as well: ansible-core's debug line
    # "done with _execute_module" prints every module argument, so the collection's action plugin hands the secret
    # options to a local module by environment (plugins/plugin_utils/_secret_handoff.py)
    tasks.append(Task(SECRETS_VVVV, "order + rerun, secrets in OVH_* variables", scenarios.order_and_rerun, {}, VERBOSE))
    # the quick matrix keeps the pass with the secrets in OVH_* variables: make test scans the secrets as module
    # arguments at -vvvv with ANSIBLE_DEBUG=1 already (test_project_us_and_secrets.py, an order in check mode)
    if options.full:
        tasks.append(Task(SECRETS_ARGS, "order + rerun, secrets as module arguments", scenarios.order_and_rerun, {},
                          {"verbosity": 4, "secrets_in_args": True}))
        tasks.append(Task(SECRETS_ARGS_DEBUG, "order + rerun, secrets as module arguments", scenarios.order_and_rerun,
                          {}, dict(VERBOSE, secrets_in_args=True)))
    if options.full and checkout:
        tasks.append(fault_task(order_calls[checkout], "drop", False, VERBOSE))
        tasks[-1].row = SECRETS_VVVV
        tasks.append(kill_task(order_calls, checkout, VERBOSE, row=SECRETS_VVVV))
    tasks.append(Task(SECRETS_OAUTH2, "OAuth2 credentials refused before any call", scenarios.oauth2_refused, {}, VERBOSE,
                      expected_orders=0))
    tasks.append(Task(SECRETS_RUNNER, "ansible-runner jobs: order + rerun, credential file", awx_runner.runner_order_and_rerun))
    if options.full:
        tasks.append(Task(STALE_RERUN, "order, then rerun: one order", scenarios.order_and_rerun, {},
                          dict(stage_options, sim_config={"project_listing_cache": 600, "delivered_retention": 0})))
        tasks.append(Task(RENAME, "X ordered twice (each project paid once), Y unchanged", scenarios.rename, {},
                          dict(stage_options), expected_orders=2))
    return tasks


def race_tasks(options):
    tasks = []
    stage_options = dict(VERBOSE) if options.vvvv_all else {}
    for processes, reps in ((p, options.race_reps) for p in FULL_RACES) if options.full else (QUICK_RACE,):
        tasks += [Task(race_row(processes), "repetition %d" % rep, scenarios.race, {"processes": processes},
                       dict(stage_options))
                  for rep in range(1, reps + 1)]
    if options.full:
        option_races = [(option, processes, options.race_reps) for option in RACE_OPTIONS for processes in OPTION_RACES]
    else:
        option_races = list(QUICK_OPTION_RACES)
    for option, processes, reps in option_races:
        tasks += [option_race_task(processes, option, rep, stage_options) for rep in range(1, reps + 1)]
    return tasks


def run_task(workdir, number, task):
    """One scenario; never raises (a harness error becomes the outcome's error); nothing once the suite stops."""
    outcome = Outcome(task.row, task.label, expected_orders=task.expected_orders)
    if STOP.is_set():
        outcome.error = "not run: the suite was interrupted"
        return outcome
    try:
        return task.function(os.path.join(workdir, "%04d" % number), outcome, stage_options=task.stage_options, **task.kwargs)
    except Exception:  # pylint: disable=broad-except
        outcome.error = "".join(traceback.format_exc(limit=4)).strip().replace("\n", " | ")
        return outcome


def stop():
    """An interrupted suite: no new scenario starts, every run still going is killed."""
    STOP.set()
    kill_live_runs()


def run_matrix(workdir, options):
    """Run everything; returns (outcomes by row in table order, bad-input result or None, discovered calls)."""
    log = options.log
    started = time.monotonic()
    outcomes, order_calls, rerun_calls = discover(workdir, options)
    print("discovered %d calls of a fresh order and %d of a rerun (%.0fs)" % (len(order_calls), len(rerun_calls),
                                                                              time.monotonic() - started), file=log, flush=True)
    tasks = [task for task in plan(order_calls, rerun_calls, options) if options.only in task.row]
    races = [task for task in race_tasks(options) if options.only in task.row]
    total = len(tasks) + len(races)
    done = []

    def report(outcome):
        done.append(outcome)
        verdict = "ok" if outcome.passed else "FAIL: " + "; ".join(str(problem) for problem in outcome.problems())
        print("[%d/%d] %s | %s: %s (%d runs, %.0fs)"
              % (len(done), total, outcome.group, outcome.label, verdict, outcome.runs, outcome.elapsed), file=log, flush=True)
        return outcome

    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        futures = [pool.submit(run_task, workdir, number, task) for number, task in enumerate(tasks, start=1)]
        try:
            for future in as_completed(futures):
                report(future.result())
        except BaseException:
            stop()  # the pool's exit waits for its threads: let them end at once
            raise
        outcomes += [future.result() for future in futures]  # in plan order
    # races alone: each repetition already runs N processes at once
    outcomes += [report(run_task(workdir, number, task)) for number, task in enumerate(races, start=len(tasks) + 1)]
    bad = run_bad_input(options.jobs) if options.bad_input else None
    if bad is not None:
        print("bad input: %s" % ("; ".join(bad.problems()) or bad.counts), file=log, flush=True)
    rows = {}
    for outcome in outcomes:
        rows.setdefault(outcome.group, []).append(outcome)
    return rows, bad, (order_calls, rerun_calls)


def quick_rows():
    """The rows of the quick matrix, in table order (its tests are parametrized by them)."""
    rows = ([CLEAN] + [fault_row(kind, persistent) for kind, persistent in QUICK_FAULTS]
            + [fault_row(kind, persistent) for kind, persistent, _pick in QUICK_EXTRA_FAULTS]
            + [KILL, SECRETS_VVVV, SECRETS_OAUTH2, SECRETS_RUNNER, race_row(QUICK_RACE[0])]
            + [race_row(processes, option) for option, processes, _reps in QUICK_OPTION_RACES])
    return list(dict.fromkeys(rows))  # a row made of several picks (dropped answers) is listed once
