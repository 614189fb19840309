# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one scenario ended with, and the guarantees it is judged by."""

from dataclasses import dataclass, field

from .runs import secret_hits
from .stage import SECRETS


@dataclass
class Outcome:  # pylint: disable=too-many-instance-attributes
    """One scenario: its row (``group``), what it did (``label``) and what the simulator and the runs' output say.

    The guarantees: exactly ``expected_orders`` orders for the name with a payment registered ("paid orders"), and as
    many orders placed, except in a race (``race``: a run that lost leaves its order unpaid, which costs nothing; every
    run must then end ok with the same project); no cart still open one lease (5 minutes) after the last run, no
    secret in any byte of output, and the last run converged (the project, status ok, that one order). A scenario
    whose fault or kill point was never met (``reached`` false: the module no longer makes that call) proves nothing
    and is counted apart.
    """

    group: str
    label: str
    expected_orders: int = 1
    must_converge: bool = True
    race: bool = False
    runs: int = 0
    orders: int = 0
    paid: int = 0
    unpaid: int = 0
    # carts open when the scenario's runs ended (each within its 5-minute lease), and still open one lease later
    carts_in_lease: int = 0
    carts_left: int = 0
    secret_hits: dict = field(default_factory=dict)
    first_ok: bool = False
    reruns: int = 0
    converged: bool = False
    all_runs_ok: bool = True
    reached: bool = True
    clock_advanced: int = 0
    last: str = ""
    elapsed: float = 0.0
    error: str = ""

    @property
    def hits(self):
        return sum(self.secret_hits.values())

    def problems(self):
        """What broke a guarantee, in words (empty: the scenario passed or proves nothing)."""
        if self.error:
            return ["harness error: %s" % self.error]
        if not self.reached:
            return []
        problems = []
        if self.paid != self.expected_orders:
            problems.append("%d paid orders (expected %d)" % (self.paid, self.expected_orders))
        if not self.race and self.orders != self.expected_orders:
            problems.append("%d orders placed (expected %d)" % (self.orders, self.expected_orders))
        if self.carts_left:
            problems.append("%d cart(s) still open one lease (5 minutes) after the runs" % self.carts_left)
        if self.hits:
            problems.append("%d secret hit(s) in %s" % (self.hits, ", ".join(sorted(self.secret_hits))))
        if self.must_converge and not self.converged:
            problems.append("did not converge (last run: %s)" % self.last)
        if self.must_converge and not self.all_runs_ok:
            problems.append("not every concurrent run ended ok with the project")
        return problems

    @property
    def passed(self):
        return not self.problems()


def scan_stage(stage):
    """{file: hits} over every file of every run of the stage."""
    hits = {}
    for run in stage.runs:
        hits.update(secret_hits(run.output_files(), SECRETS, base=stage.workdir))
    return hits
