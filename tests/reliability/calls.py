# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every call the module makes, learnt from the simulator's journal of clean runs (never listed by hand, so the
suite follows the module as it changes): method, path template (ids replaced by regexes) and occurrence (the n-th
call of that template in the run), for a fresh order and for a rerun."""

import re
from dataclasses import dataclass

# path segments that are ids, most specific first: (regex of the segment, placeholder, regex in a template)
ID_SEGMENTS = (
    (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{cartId}"),
    (r"[0-9a-f]{32}", "{projectId}"),
    (r"\d+", "{id}"),
)
WRITES = ("POST", "PUT", "DELETE")


def template_of(path):
    """(template, anchored regex) of a journal path: ``/order/cart/{cartId}/checkout``."""
    template, regex = [], []
    for segment in path.split("/"):
        for pattern, placeholder in ID_SEGMENTS:
            if re.fullmatch(pattern, segment):
                template.append(placeholder)
                regex.append(pattern)
                break
        else:
            template.append(segment)
            regex.append(re.escape(segment))
    return "/".join(template), "^" + "/".join(regex) + "$"


@dataclass(frozen=True)
class Call:
    """The ``occurrence``-th call of ``method template`` in a run of ``phase`` ("order": a fresh order, "rerun": the
    project exists)."""

    method: str
    template: str
    regex: str
    occurrence: int
    phase: str

    @property
    def label(self):
        return "%s %s%s" % (self.method, self.template, " #%d" % self.occurrence if self.occurrence > 1 else "")

    @property
    def is_write(self):
        return self.method in WRITES

    @property
    def is_checkout(self):
        return self.method == "POST" and self.template.endswith("/checkout")

    def fault(self, **rule):
        """A simulator fault rule on exactly this call (the earlier calls of its template let through)."""
        return dict(rule, method=self.method, path=self.regex, skip=self.occurrence - 1)


def calls_of(entries, phase):
    """The calls of one run's journal entries, in order."""
    seen = {}
    calls = []
    for entry in entries:
        template, regex = template_of(entry["path"])
        key = (entry["method"], template)
        seen[key] = seen.get(key, 0) + 1
        calls.append(Call(entry["method"], template, regex, seen[key], phase))
    return calls


def stable(runs):
    """The calls of the first run that every other run made too (a status polled twice in one run and once in
    another keeps only its first poll): the calls a fault is sure to meet."""
    first, others = runs[0], [set(run) for run in runs[1:]]
    return [call for call in first if all(call in other for other in others)]
