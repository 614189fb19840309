"""The expanded listing of GET /cloud/project and GET /cloud/order (reference "Pagination / batching"): full objects paged
by X-Pagination-* request headers, through python-ovh's raw_call (which signs, and takes headers)."""

import time

import pytest

from ovh_api_simulator import ControlError
from sim_helpers import DEMO_NIC, OTHER_NIC, checkout, ordered_cart, wait_until

EXPANDED = {"X-Pagination-Mode": "CachedObjectList-Pages"}


def expanded(client, path="/cloud/project", **headers):
    """One signed GET in the expanded mode; the requests.Response."""
    return client.raw_call("GET", path, headers=dict(EXPANDED, **headers))


def seed(control, count, nic=DEMO_NIC):
    return control.seed_projects(nic, [{"description": "p%04d" % i} for i in range(count)])


def test_expanded_listing_answers_what_each_project_read_gives(demo, control):
    seeded = seed(control, 3)
    ids = demo.get("/cloud/project")
    assert sorted(ids) == sorted(seeded)
    response = expanded(demo)
    assert response.status_code == 200
    assert response.json() == [demo.get("/cloud/project/%s" % i) for i in ids]
    assert response.headers["X-Pagination-Elements"] == "3" and response.headers["X-Ovh-QueryID"]
    assert "X-Pagination-Elements" not in demo.raw_call("GET", "/cloud/project").headers  # ids: no paging header


def test_pages_follow_size_and_number_and_a_page_past_the_end_is_empty(demo, control):
    seed(control, 5)
    ids = demo.get("/cloud/project")
    pages = [expanded(demo, **{"X-Pagination-Size": "2", "X-Pagination-Number": str(n)}) for n in (1, 2, 3, 4)]
    assert [len(p.json()) for p in pages] == [2, 2, 1, 0]
    assert [p.headers["X-Pagination-Elements"] for p in pages] == ["5"] * 4
    assert [o["project_id"] for p in pages for o in p.json()] == ids
    assert [e["pagination"] for e in control.calls("GET", "/cloud/project")[-4:]] == [
        {"X-Pagination-Mode": "CachedObjectList-Pages", "X-Pagination-Size": "2", "X-Pagination-Number": str(n)}
        for n in (1, 2, 3, 4)]


def test_default_page_is_1000_objects_from_page_1(demo, control):
    seed(control, 1001)
    first = expanded(demo)
    assert len(first.json()) == 1000 and first.headers["X-Pagination-Elements"] == "1001"
    second = expanded(demo, **{"X-Pagination-Number": "2"})
    assert [o["description"] for o in second.json()] == ["p1000"]


def test_max_page_size_caps_the_pages_a_client_asks_for(demo, control):
    seed(control, 5)
    control.config(max_page_size=2)
    response = expanded(demo, **{"X-Pagination-Size": "1000"})
    assert len(response.json()) == 2 and response.headers["X-Pagination-Elements"] == "5"
    third = expanded(demo, **{"X-Pagination-Size": "1000", "X-Pagination-Number": "3"})
    assert len(third.json()) == 1
    assert expanded(demo, **{"X-Pagination-Size": "1"}).json()[0]["description"] == "p0000"  # smaller pages stay


@pytest.mark.parametrize("header", ["X-Pagination-Size", "X-Pagination-Number"])
@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", ""])
def test_a_page_header_that_is_not_a_whole_number_of_at_least_1_is_refused(demo, control, header, value):
    seed(control, 1)
    response = expanded(demo, **{header: value})
    assert response.status_code == 400
    assert response.json() == {"class": "Client::BadRequest",
                               "message": "[%s] %r is not valid: a whole number of at least 1 is expected" % (header, value)}


@pytest.mark.parametrize("headers", [
    {"X-Pagination-Mode": "CachedObjectList-Cursor"},
    dict(EXPANDED, **{"X-Pagination-Sort": "description"}),
    dict(EXPANDED, **{"X-Pagination-Filter": "status:eq=ok"}),
], ids=["other-mode", "sort", "filter"])
def test_what_the_simulator_does_not_know_of_the_expanded_listing_is_refused(demo, headers):
    response = demo.raw_call("GET", "/cloud/project", headers=headers)
    assert response.status_code == 400 and response.json()["class"] == "Client::BadRequest"
    assert "not supported by the simulator" in response.json()["message"]


def test_page_headers_without_the_mode_are_ignored(demo, control):
    seed(control, 2)
    response = demo.raw_call("GET", "/cloud/project", headers={"X-Pagination-Size": "1"})
    assert response.json() == demo.get("/cloud/project") and len(response.json()) == 2


def test_ignore_pagination_headers_answers_ids_as_a_proxy_would(demo, control):
    seed(control, 3)
    assert control.config(ignore_pagination_headers=True)["ignore_pagination_headers"] is True
    response = expanded(demo, **{"X-Pagination-Size": "0"})  # not even checked: the headers are not read
    assert response.status_code == 200 and response.json() == demo.get("/cloud/project")
    assert "X-Pagination-Elements" not in response.headers
    assert control.calls("GET", "/cloud/project")[0]["pagination"]["X-Pagination-Size"] == "0"  # the journal still tells


@pytest.mark.parametrize("values", [{"max_page_size": -1}, {"max_page_size": 2.5}, {"max_page_size": True},
                                    {"ignore_pagination_headers": "yes"}, {"ignore_pagination_headers": 1}])
def test_pagination_settings_are_checked(control, values):
    with pytest.raises(ControlError) as err:
        control.config(**values)
    assert err.value.status == 400 and list(values)[0] in err.value.body["message"]


def test_only_the_callers_visible_projects_are_listed(demo, other, control):
    control.post("/_sim/config", {"project_404_window": 1.0})
    mine = seed(control, 1)
    seed(control, 2, nic=OTHER_NIC)
    order = checkout(demo, ordered_cart(demo, description="late")[0])

    def delivered():
        demo.get("/me/order/%d/status" % order["orderId"])  # each request moves the order on
        return [p for p in control.state()["projects"] if p["description"] == "late"]
    late = wait_until(delivered, what="the late project's delivery")[0]
    assert late["visible"] is False
    # in the 404 window: neither listed by id nor expanded, like its own read answers 404
    assert [o["project_id"] for o in expanded(demo).json()] == demo.get("/cloud/project") == mine
    assert expanded(demo).headers["X-Pagination-Elements"] == "1"
    time.sleep(1.0)  # kept: what is tested is the 1 s project_404_window running out (it started before the sleep)
    listed = [o["project_id"] for o in expanded(demo).json()]
    assert listed == demo.get("/cloud/project") == mine + [late["project_id"]]
    assert len(expanded(other).json()) == 2


def test_deleted_projects_are_left_out_as_from_the_ids(demo, control):
    control.seed_projects(DEMO_NIC, [{"description": "kept"}, {"description": "gone", "status": "deleted"},
                                     {"description": "going", "status": "deleting"}])
    objects = expanded(demo).json()
    assert [o["description"] for o in objects] == ["kept", "going"]
    assert [o["project_id"] for o in objects] == demo.get("/cloud/project")


def test_cloud_orders_are_paged_too(demo, control):
    for name in ("a", "b", "c"):
        checkout(demo, ordered_cart(demo, description=name)[0], auto_pay=False)
    plain = demo.get("/cloud/order")
    assert len(plain) == 3
    pages = [expanded(demo, "/cloud/order", **{"X-Pagination-Size": "2", "X-Pagination-Number": str(n)}) for n in (1, 2)]
    assert [o for p in pages for o in p.json()] == plain
    assert [p.headers["X-Pagination-Elements"] for p in pages] == ["3", "3"]
