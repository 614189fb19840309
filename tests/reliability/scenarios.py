# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scenarios: a fault on one call, a SIGKILL after one call, a race of N processes, a plain order and rerun,
an OAuth2 refusal. Each runs on a Stage of its own and returns an Outcome; none raises."""

import time
import traceback

from .outcome import scan_stage
from .stage import CLIENT_SECRET, KEY_CREDENTIALS_2, Stage

NAME = "reliability-project"
RENAMED = "reliability-project-renamed"
# Fault kinds, on the call's own path. Writes are hit after processing where a real gateway could lose an answer
# to a processed request (500, 502, dropped connection, slow answer): the worst case, an order may exist. 503 and
# 429 refuse before processing, as a server that is down or throttling does.
SLOW_API_TIMEOUT = 2  # seconds: the module's api_timeout in "slow" scenarios
FAULT_KINDS = {
    "500": {"kind": "status", "status": 500, "phase": "after"},
    "502": {"kind": "status", "status": 502, "phase": "after"},
    "503": {"kind": "status", "status": 503, "phase": "before"},
    "429": {"kind": "status", "status": 429, "retry_after": 1, "phase": "before"},
    "drop": {"kind": "drop", "phase": "after"},
    "slow": {"kind": "latency", "latency_ms": SLOW_API_TIMEOUT * 2000, "phase": "after"},
}
# "persistent": more failures in a row than any retry policy tries (the module reads at most 4 times in a row)
PERSISTENT = 100
# A killed run's next call is held this long, unprocessed, then dropped (the run is dead long before).
HOLD_MS = 60000
KILL_POLL = 0.02


def settle(stage, outcome, name, run):
    """Judge the scenario after ``run``: rerun without faults if it did not converge, once more past the expiry of
    the carts left open if they may be in the way; then count orders (the scenario wrapper counts carts and secret
    hits)."""
    stage.sim.clear_faults()
    if not stage.converged(name, run, expected_orders=outcome.expected_orders, race=outcome.race):
        run = stage.run("rerun", name)
        outcome.reruns += 1
    state = stage.sim.state()
    if not stage.converged(name, run, state, outcome.expected_orders, outcome.race) and stage.open_carts(state):
        outcome.clock_advanced = stage.expire_open_carts()
        run = stage.run("rerun-past-cart-expiry", name)
        outcome.reruns += 1
        state = stage.sim.state()
    outcome.converged = stage.converged(name, run, state, outcome.expected_orders, outcome.race)
    stage.count(outcome, name, state)
    outcome.last = run.summary()


def scenario(function):
    """Run a scenario body on a fresh Stage; fill in runs, secret hits and time; turn any exception into an error."""

    def wrapper(workdir, outcome, stage_options=None, **kwargs):
        started = time.monotonic()
        stage = None
        try:
            stage = Stage(workdir, **(stage_options or {}))
            function(stage, outcome, **kwargs)
            outcome.carts_in_lease, outcome.carts_left = stage.carts_left_after_lease()
        except Exception:  # pylint: disable=broad-except
            outcome.error = traceback.format_exc(limit=3).strip().splitlines()[-1]
        finally:
            if stage is not None:
                stage.stop()
                outcome.runs += len(stage.runs)
                outcome.secret_hits.update(scan_stage(stage))
            outcome.elapsed = time.monotonic() - started
        return outcome

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


@scenario
def fault(stage, outcome, call, kind, persistent=False):
    """``kind`` injected on ``call`` (once, or ``persistent``), then a rerun without faults if needed. A call of
    the rerun phase is faulted on the run that follows a clean order."""
    if call.phase == "rerun":
        setup = stage.run("order", NAME)
        if not stage.converged(NAME, setup):
            raise RuntimeError("the clean order before the rerun did not converge: %s" % setup.summary())
    rule = stage.sim.fault(**call.fault(count=PERSISTENT if persistent else 1, **FAULT_KINDS[kind]))[0]
    first = stage.run("faulted", NAME, **({"api_timeout": SLOW_API_TIMEOUT} if kind == "slow" else {}))
    # a rule is used up as its request arrives (the journal has it only once answered: a slow answer comes later)
    left = [r for r in stage.sim.faults() if r["id"] == rule["id"]]
    outcome.reached = not left or left[0]["count"] < rule["count"]
    outcome.first_ok = first.ok
    settle(stage, outcome, NAME, first)


@scenario
def kill(stage, outcome, hold):
    """SIGKILL the run's process group as soon as ``hold`` (the call after the kill point) arrives: held unprocessed,
    so the run died after the previous call's answer. Then a rerun."""
    stage.sim.fault(**hold.fault(kind="drop", phase="before", latency_ms=HOLD_MS))
    run = stage.start("killed", NAME)
    while run.running():
        if not stage.sim.faults():
            run.kill()
            break
        time.sleep(KILL_POLL)
    run.wait()
    outcome.reached = run.killed
    settle(stage, outcome, NAME, run)


@scenario
def race(stage, outcome, processes, alternate=False):
    """``processes`` separate ansible-playbook runs for one new name, started together (own HOME, TMPDIR, group);
    with ``alternate``, every second run uses the account's second application (the stage must have it). Exactly one
    order must be paid and every run must end ok with that one project; the losers' unpaid orders are allowed."""
    outcome.race = True
    runs = [stage.start("racer-%d" % number, NAME, credentials=KEY_CREDENTIALS_2 if alternate and number % 2 == 0 else None)
            for number in range(1, processes + 1)]
    for run in runs:
        run.wait()
    state = stage.sim.state()
    ended_ok = [run for run in runs if stage.converged(NAME, run, state, race=True)]
    outcome.all_runs_ok = outcome.first_ok = len(ended_ok) == len(runs)
    settle(stage, outcome, NAME, runs[0] if outcome.all_runs_ok else next(r for r in runs if r not in ended_ok))


@scenario
def order_and_rerun(stage, outcome, journals=None):
    """A clean order, then a rerun (which must find the project and order nothing); ``journals`` (a dict) gets the
    simulator journal of each run, under "order" and "rerun"."""
    journals = {} if journals is None else journals
    first = stage.run("order", NAME)
    journals["order"] = stage.sim.journal()
    stage.sim.clear_journal()
    outcome.first_ok = stage.converged(NAME, first)
    rerun = stage.run("rerun", NAME)
    journals["rerun"] = stage.sim.journal()
    outcome.reruns = 1
    state = stage.sim.state()
    outcome.converged = outcome.first_ok and stage.converged(NAME, rerun, state) and rerun.result.get("changed") is False
    stage.count(outcome, NAME, state)
    outcome.last = rerun.summary()


def project_of(run):
    return ((run.result or {}).get("project") or {}).get("project_id")


@scenario
def rename(stage, outcome):
    """Order X; rename its project to Y (``project_id``); a run for X then orders a second project X, paid once (X's
    orders: two, each paid once); a run for Y reports the renamed project unchanged and orders nothing."""
    outcome.expected_orders = 2
    first = stage.run("order", NAME)
    if not stage.converged(NAME, first):
        raise RuntimeError("the first order did not converge: %s" % first.summary())
    renamed_id = project_of(first)
    renaming = stage.run("rename", RENAMED, project_id=renamed_id)
    if not renaming.ok or project_of(renaming) != renamed_id:
        raise RuntimeError("the rename did not end ok with the project: %s" % renaming.summary())
    again = stage.run("order-again", NAME)
    kept = stage.run("renamed-unchanged", RENAMED)
    state = stage.sim.state()
    outcome.first_ok = True
    renamed = [p for p in state["projects"] if p["description"] == RENAMED]
    outcome.converged = (stage.converged(NAME, again, state, expected_orders=2) and (again.result or {}).get("changed") is True
                         and project_of(again) != renamed_id
                         and kept.ok and (kept.result or {}).get("changed") is False and project_of(kept) == renamed_id
                         and [p["project_id"] for p in renamed] == [renamed_id] and not stage.paid_for(RENAMED, state))
    stage.count(outcome, NAME, state)
    outcome.last = "%s; %s: %s" % (again.summary(), RENAMED, kept.summary())


@scenario
def oauth2_refused(stage, outcome):
    """OAuth2 credentials (client id and secret) on the simulator's URL endpoint: refused before any call (OAuth2
    needs a named endpoint, never called from tests); the client secret must stay out of the output."""
    outcome.expected_orders = 0
    outcome.must_converge = False
    run = stage.run("oauth2", NAME, credentials={"OVH_CLIENT_ID": "reliability-client", "OVH_CLIENT_SECRET": CLIENT_SECRET})
    refused = run.result is not None and run.result.get("failed") and "OAuth2" in str(run.result.get("msg"))
    if not refused or stage.sim.journal():
        outcome.error = "expected the OAuth2 refusal before any API call, got: %s" % run.summary()
    stage.count(outcome, NAME)
    outcome.last = run.summary()
