"""What the documented examples expect to find on the demo account: `make sim` seeds it, and so does
tests/integration/test_examples.py, through this one function, so that every example the README and docs/examples show
runs as written against `make sim`.

    from ovh_api_simulator import SimulatorControl
    from ovh_api_simulator.rehearsal import seed_rehearsal
    seed_rehearsal(SimulatorControl(root_url))     # on a simulator with its default seed (the demo account)
"""

from .seed import DEMO

NICHANDLE = DEMO["nichandle"]
# docs/examples/one_host_per_project/host_vars/training.yml and docs/examples/project_list/hosts.yml order "training"
# with this voucher
VOUCHERS = [{"code": "MYVOUCHER2026", "credit": 50}]
# README "Over a project's life": the project made by hand that the adopt task names by id, and the one it retires
HAND_MADE_PROJECT_ID = "0123456789ab4cdef0123456789abcde"
# a project made by hand with a spending alert and IAM tags set in the Control Panel, for the examples that adopt a
# project's alert and tags (its ``ovh:`` tag stands for the ones OVHcloud computes)
TAGGED_PROJECT_ID = "fedcba98765443210fedcba987654321"
TAGGED_ALERT_ID = "8a6f3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b"
TAGGED_PROJECT = {"project_id": TAGGED_PROJECT_ID, "description": "tagged-by-hand",
                  "tags": {"team": "platform", "environment": "staging", "ovh:managed": "false"},
                  "alerts": [{"id": TAGGED_ALERT_ID, "email": "finance@example.invalid", "monthly_threshold": 500, "delay": 86400}]}
PROJECTS = [{"project_id": HAND_MADE_PROJECT_ID, "description": "made-by-hand"}, {"description": "old-team"}, TAGGED_PROJECT]


def seed_rehearsal(control):
    """Seed the demo account of the simulator ``control`` drives (a SimulatorControl) with what the examples use."""
    control.seed_vouchers(NICHANDLE, VOUCHERS)
    control.seed_projects(NICHANDLE, PROJECTS)


def describe():
    """What seed_rehearsal adds, in words (the banner of `make sim`)."""
    vouchers = ", ".join("voucher %s (credit %s)" % (v["code"], v["credit"]) for v in VOUCHERS)
    projects = ", ".join(p["description"] + (" (id %s)" % p["project_id"] if "project_id" in p else "")
                         + (" with IAM tags and a spending alert" if p.get("alerts") else "") for p in PROJECTS)
    return "%s; projects %s" % (vouchers, projects)
