# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reduced reliability matrix under pytest (``make reliability-quick``, part of ``make test``), row by row: exactly
one order per name, no cart still open one lease (5 minutes) after the last run, no secret in any byte of output, every rerun converged.

The matrix runs once for the module (a few calls × a couple of faults, one kill point before and one after checkout,
one race of 4 processes twice, the secret scan at -vvvv); its table is written to tests/output/reliability-quick.md.
"""

import os
import shutil
import tempfile
import time

import pytest

from .integration import COLLECTIONS, ROOT
from .matrix import BAD_INPUT, Options, quick_rows, run_matrix
from .report import now, render

TABLE = os.path.join(ROOT, "tests", "output", "reliability-quick.md")


@pytest.fixture(scope="module")
def quick_matrix():
    if not os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "ovhcloud", "public_cloud")):
        pytest.fail("the collection is not laid out under build/collections: run `make collection`")
    # the bad-input catalogue is a file of tests/integration: `make integration` runs it already within `make test`
    # two scenarios per core: each spends much of its time waiting on the simulator's delays (2m53s on 2 cores, against
    # 3m44s with one per core)
    options = Options(jobs=2 * (os.cpu_count() or 2), bad_input=False)
    workdir = tempfile.mkdtemp(prefix="reliability-quick-")
    date = now()
    started = time.monotonic()
    try:
        rows, bad, calls = run_matrix(workdir, options)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(os.path.dirname(TABLE), exist_ok=True)
    run_info = {"date": date, "mode": "quick", "jobs": options.jobs, "command": "make reliability-quick",
                "wall": "%dm%02ds" % divmod(int(time.monotonic() - started), 60)}
    with open(TABLE, "w", encoding="utf-8") as handle:
        handle.write(render(rows, bad, BAD_INPUT, calls, run_info) + "\n")
    return rows


@pytest.mark.parametrize("row", quick_rows())
def test_row_keeps_every_guarantee(quick_matrix, row):  # pylint: disable=redefined-outer-name
    rows = quick_matrix
    assert rows.get(row), "no scenario of this row ran (the module no longer makes the calls it picks?)"
    assert any(outcome.reached for outcome in rows[row]), "no scenario of this row met its fault or kill point"
    problems = ["%s: %s" % (outcome.label, "; ".join(outcome.problems())) for outcome in rows[row] if not outcome.passed]
    assert not problems, "\n".join(problems)
