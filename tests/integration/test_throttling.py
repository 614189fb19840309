# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throttling (HTTP 429 with Retry-After): reads wait what the API asks and go on; writes are never repeated."""

import datetime

from conftest import run_module


def seconds(entry):
    return datetime.datetime.fromisoformat(entry["time"]).timestamp()


def test_throttled_reads_wait_what_retry_after_asks_then_go_on(sim):
    sim.fault(method="GET", path=r"^/cloud/project$", status=429, retry_after=2, count=2)
    run = run_module(sim, name="throttled")
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    reads = sim.calls("GET", r"/cloud/project")
    assert [e["status"] for e in reads[:3]] == [429, 429, 200]
    assert seconds(reads[2]) - seconds(reads[0]) >= 3  # waited 2 s twice (second-granular journal times)
    assert len(sim.checkouts()) == 1


def test_a_throttled_write_is_not_repeated_and_leaves_nothing(sim):
    sim.fault(method="POST", path=r"^/order/cart/[^/]+/assign$", status=429, retry_after=1, count=1)
    run = run_module(sim, name="throttled-write")
    assert run.result["failed"] is True
    assert run.result["failure"]["status"] == 429
    assert len(sim.calls("POST", r"/order/cart/[^/]+/assign")) == 1
    assert sim.checkouts() == []
    assert [c for c in sim.state()["carts"] if not c["expired"]] == []
