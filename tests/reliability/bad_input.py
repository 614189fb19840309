# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bad-input catalogue row: tests/integration/test_bad_input.py run as it is (its own pytest), pass/fail counted."""

import importlib.util
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field

from .integration import INTEGRATION, ROOT

BAD_INPUT_TESTS = os.path.join(INTEGRATION, "test_bad_input.py")
TIMEOUT = 1800


@dataclass
class BadInputResult:
    """Counts of one pytest run of the catalogue (``present`` false: the file does not exist yet)."""

    present: bool
    counts: dict = field(default_factory=dict)
    rc: int = None
    elapsed: float = 0.0
    tail: str = ""

    @property
    def passed(self):
        return self.present and self.rc == 0 and self.counts.get("passed", 0) > 0

    def problems(self):
        if not self.present:
            return ["%s does not exist (yet)" % os.path.relpath(BAD_INPUT_TESTS, ROOT)]
        if self.passed:
            return []
        return ["pytest exit code %s: %s" % (self.rc, self.tail)]


def run_bad_input(jobs=1):
    """Run the catalogue with pytest (xdist over ``jobs`` workers when installed)."""
    if not os.path.exists(BAD_INPUT_TESTS):
        return BadInputResult(present=False)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", BAD_INPUT_TESTS]
    if jobs > 1 and importlib.util.find_spec("xdist") is not None:
        command += ["-n", str(jobs)]
    started = time.monotonic()
    try:
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        output, rc = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        output, rc = str(exc.stdout or ""), "timeout"
    lines = [line for line in output.strip().splitlines() if line.strip()]
    summary = lines[-1] if lines else ""
    counts = {kind: int(number) for number, kind in re.findall(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)", summary)}
    return BadInputResult(present=True, counts=counts, rc=rc, elapsed=time.monotonic() - started, tail=summary[-300:])
