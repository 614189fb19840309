# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m tests.reliability [--quick | --full]``: run a matrix, print its table, and (``--full``) write it to
docs/reliability.md. Exit code 0 when every row passed. ``make reliability`` runs the full matrix."""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time

from .integration import COLLECTIONS, ROOT
from .matrix import BAD_INPUT, FULL_RACE_REPS, Options, run_matrix, stop
from .report import now, python_command, render, write_docs

DOCS = os.path.join(ROOT, "docs", "reliability.md")


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.reliability", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="the reduced matrix (default)")
    mode.add_argument("--full", action="store_true", help="every call × every fault, every kill point, races of 2, 4, 8")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="scenarios at once (default: CPU count)")
    parser.add_argument("--race-reps", type=int, default=FULL_RACE_REPS,
                        help="repetitions of each race in the full matrix, option races included (default %d)" % FULL_RACE_REPS)
    parser.add_argument("--vvvv-all", action="store_true", help="every fault, kill and race scenario at -vvvv with ANSIBLE_DEBUG=1")
    parser.add_argument("--no-bad-input", action="store_true", help="leave out the bad-input catalogue")
    parser.add_argument("--output", help="Markdown file whose generated part gets the report (--full: docs/reliability.md)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true", help="keep every run's directory (output, HOME, TMPDIR)")
    parser.add_argument("--only", default="", metavar="TEXT", help="only the rows whose name contains TEXT (e.g. 'race')")
    return parser.parse_args(argv)


def interrupted(signum, _frame):
    print("%s: received %s" % (time.strftime("%H:%M:%S"), signal.Signals(signum).name), file=sys.stderr, flush=True)
    raise KeyboardInterrupt


def all_passed(rows, bad):
    return all(o.passed for outcomes in rows.values() for o in outcomes) and (bad is None or bad.passed)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    if not os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "ovhcloud", "public_cloud")):
        raise SystemExit("the collection is not laid out under %s: run `make collection`" % COLLECTIONS)
    options = Options(full=args.full, jobs=max(1, args.jobs), race_reps=args.race_reps, vvvv_all=args.vvvv_all,
                      bad_input=not args.no_bad_input and not args.only, only=args.only)
    workdir = tempfile.mkdtemp(prefix="reliability-")
    started = time.monotonic()
    date = now()
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        rows, bad, calls = run_matrix(workdir, options)
    except KeyboardInterrupt:
        stop()
        raise SystemExit("interrupted: every run killed, no scenario started since")
    finally:
        if args.keep:
            print("runs kept in %s" % workdir, file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    wall = time.monotonic() - started
    text = render(rows, bad, BAD_INPUT, calls, {
        "date": date, "mode": "full" if args.full else "quick", "jobs": options.jobs, "vvvv_all": args.vvvv_all,
        "wall": "%dm%02ds" % divmod(int(wall), 60), "command": python_command(argv)})
    print(text)
    output = args.output or (DOCS if args.full else None)
    if output and not args.no_write:
        write_docs(output, text)
        print("written to %s" % os.path.relpath(output, ROOT), file=sys.stderr)
    return 0 if all_passed(rows, bad) else 1


if __name__ == "__main__":
    sys.exit(main())
