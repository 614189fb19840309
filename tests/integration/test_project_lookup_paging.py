# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookup in a constant number of calls: GET /cloud/project's expanded listing (X-Pagination-Mode), page by page, and
ids plus reads when the API ignores the headers (a no-op task makes at most 3 calls, plus one per extra page)."""

import pytest

from conftest import run_module

NIC = "xx1111-ovh"
EXPANDED = "CachedObjectList-Pages"


def seed(sim, count, wanted="wanted"):
    """``count`` projects, the last one named ``wanted``; its id."""
    specs = [{"description": "p%04d" % n} for n in range(count - 1)] + [{"description": wanted}]
    return sim.seed_projects(NIC, specs)[-1]


def calls(sim):
    return [(e["method"], e["path"]) for e in sim.journal()]


def pages(sim):
    return [(e["pagination"].get("X-Pagination-Size"), e["pagination"].get("X-Pagination-Number"))
            for e in sim.calls("GET", "/cloud/project") if e.get("pagination", {}).get("X-Pagination-Mode") == EXPANDED]


@pytest.mark.core_matrix
@pytest.mark.parametrize("count", [1, 1000])
def test_a_noop_makes_two_calls_whatever_the_number_of_projects(sim, count):
    project_id = seed(sim, count)
    run = run_module(sim, name="wanted")
    assert run.result["changed"] is False and not run.result.get("failed"), run.output
    assert run.result["project"]["project_id"] == project_id and run.result["order"] is None
    assert calls(sim) == [("GET", "/auth/time"), ("GET", "/cloud/project")]
    assert pages(sim) == [("1000", "1")]
    assert sim.journal()[1]["status"] == 200


def test_pages_the_api_caps_are_followed_one_call_each(sim):
    project_id = seed(sim, 1000)  # the project asked for is on the last page
    sim.config(max_page_size=300)
    run = run_module(sim, name="wanted")
    assert run.result["changed"] is False and run.result["project"]["project_id"] == project_id, run.output
    assert calls(sim) == [("GET", "/auth/time")] + [("GET", "/cloud/project")] * 4
    assert pages(sim) == [("1000", "1"), ("1000", "2"), ("1000", "3"), ("1000", "4")]


def test_an_api_that_ignores_the_headers_gets_ids_then_one_read_each(sim):
    project_id = seed(sim, 10)
    sim.config(ignore_pagination_headers=True)
    run = run_module(sim, name="wanted")
    assert run.result["changed"] is False and run.result["project"]["project_id"] == project_id, run.output
    journal = sim.journal()
    assert calls(sim)[:2] == [("GET", "/auth/time"), ("GET", "/cloud/project")]
    assert journal[1]["pagination"]["X-Pagination-Mode"] == EXPANDED  # asked, but answered ids
    reads = sorted(e["path"] for e in journal[2:])
    assert reads == sorted("/cloud/project/%s" % p["project_id"] for p in sim.state()["projects"])
    assert len(journal) == 2 + 10


def test_an_order_then_its_rerun_with_the_expanded_listing(sim):
    """The order workflow still reads the delivered project by id (404 window included); the rerun is a no-op of two
    calls."""
    seed(sim, 5, wanted="neighbour")
    sim.config(project_404_window=1.0)
    run = run_module(sim, name="fresh")
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    project_id = run.result["project"]["project_id"]
    first = sim.journal()
    assert [e["path"] for e in first[:2]] == ["/auth/time", "/cloud/project"]
    assert first[1]["pagination"]["X-Pagination-Mode"] == EXPANDED
    follow_ups = [e["status"] for e in first if e["path"] == "/cloud/project/%s" % project_id]
    assert 404 in follow_ups and follow_ups[-1] == 200  # the project read by id after delivery, through its 404 window
    assert len(sim.checkouts()) == 1
    sim.clear_journal()
    rerun = run_module(sim, name="fresh")
    assert rerun.result["changed"] is False and rerun.result["project"]["project_id"] == project_id, rerun.output
    assert calls(sim) == [("GET", "/auth/time"), ("GET", "/cloud/project")]
