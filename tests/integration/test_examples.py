# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every example of README.md and docs/examples/ runs as written against the simulator seeded as `make sim` seeds it
(ovh_api_simulator.rehearsal.seed_rehearsal, the one function both use), then again: the first run places the orders
the example promises, a rerun places none.

The commands and plays are read from the documents themselves (the ```bash and ```yaml blocks), so that a document
that drifts from what runs fails here. README's task lists are run as README says: under the tasks of its "Use" play.
Every example runs to its end, openstack.cloud tasks included (openstack.cloud from `make openstack-cloud`; the simulator
serves Keystone and the image listing).
`ansible-playbook ovhcloud.public_cloud.probe_api`, the other playbook README names, runs in test_probe_api.py.
"""

import os
import re
import subprocess
import time

import pytest
import yaml

from conftest import BIN, ROOT, ansible_env, openstack_cloud_env

from ovh_api_simulator.rehearsal import HAND_MADE_PROJECT_ID, NICHANDLE, VOUCHERS, seed_rehearsal

EXAMPLES = os.path.join(ROOT, "docs", "examples")
ROLE_PROJECTS = ["team-a-production", "team-a-staging", "team-b-production", "training"]


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def blocks(text, language):
    """The fenced code blocks of ``language`` in a Markdown text, in order."""
    return re.findall(r"^```%s\n(.*?)^```" % language, text, re.M | re.S)


def section(text, heading):
    """The part of a Markdown text under the ``## heading`` (up to the next ## heading)."""
    match = re.search(r"^## %s$(.*?)(?=^## |\Z)" % re.escape(heading), text, re.M | re.S)
    assert match, "README.md has no section %r any more" % heading
    return match.group(1)


def commands(path):
    """Every ``ansible-playbook`` command line of the ```bash blocks of a Markdown file, as argument lists."""
    return [line.split("#")[0].split() for block in blocks(read(path), "bash") for line in block.splitlines()
            if line.startswith("ansible-playbook ")]


def role_inventories():
    """{inventory: the command that runs it} of every documented order_projects command, one command per inventory."""
    found = {}
    for path in (os.path.join(ROOT, "README.md"), os.path.join(EXAMPLES, "README.md")):
        for command in commands(path):
            if "ovhcloud.public_cloud.order_projects" in command:
                inventory = command[command.index("-i") + 1].rstrip("/")
                found.setdefault(inventory, command)
    return found


ROLE_INVENTORIES = role_inventories()


def ansible_playbook(sim, home, args, cwd=ROOT):
    """``ansible-playbook args`` as a user runs it after pasting what `make sim` prints, with openstack.cloud installed:
    its output (it must pass, with no Python or Ansible deprecation warning)."""
    env = ansible_env(sim, extra=dict(openstack_cloud_env(), HOME=home))
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook")] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "DeprecationWarning" not in output and "DEPRECATION WARNING" not in output, output
    return output


def run_twice(sim, home, args, cwd=ROOT, rerun_args=()):
    """Run, then run again: the journal entries of each run and the output of the first."""
    start = len(sim.journal())
    output = ansible_playbook(sim, home, args, cwd)
    middle = len(sim.journal())
    ansible_playbook(sim, home, list(args) + list(rerun_args), cwd)
    journal = sim.journal()
    return journal[start:middle], journal[middle:], output


def configured(sim, label, entries):
    """{cart id: value} of the cart item configurations of this label."""
    return dict((e["path"].split("/")[3], e["body"]["value"])
                for e in sim.calls("POST", r"/order/cart/[^/]+/item/\d+/configuration", entries=entries) if e["body"]["label"] == label)


def ordered(sim, entries):
    """The names of the projects whose cart was checked out (an order placed) in these journal entries."""
    names = configured(sim, "description", entries)
    return sorted(names[e["path"].split("/")[3]] for e in sim.checkouts(entries))


def project_id(sim, name):
    [found] = [p["project_id"] for p in sim.state()["projects"] if p["nichandle"] == NICHANDLE and p["description"] == name]
    return found


@pytest.fixture(name="rehearsal")
def rehearsal_fixture(sim, tmp_path):
    """The simulator seeded as `make sim` seeds it (sped up, as every integration test's), and an empty HOME."""
    seed_rehearsal(sim)
    home = tmp_path / "home"
    home.mkdir()
    return sim, str(home)


def test_every_example_inventory_is_documented_with_its_command():
    documented = sorted(ROLE_INVENTORIES)
    on_disk = sorted("docs/examples/" + name for name in os.listdir(EXAMPLES)
                     if os.path.exists(os.path.join(EXAMPLES, name, "hosts.yml")))
    assert on_disk and [re.sub(r"/hosts\.yml$", "", inventory) for inventory in documented] == on_disk, documented


@pytest.mark.slow  # about a minute each (four orders, one after the other, then the rerun); test_role.py orders with
# both inventory shapes within make test
@pytest.mark.parametrize("inventory", sorted(ROLE_INVENTORIES))
def test_role_example_orders_its_projects_once(rehearsal, inventory):
    sim, home = rehearsal
    first, rerun, output = run_twice(sim, home, ROLE_INVENTORIES[inventory][1:])
    assert ordered(sim, first) == ROLE_PROJECTS, output
    # the voucher make sim seeds is used on the project whose variables name it, and only there
    voucher = VOUCHERS[0]["code"]
    carts = configured(sim, "description", first)
    assert [carts[cart] for cart, code in configured(sim, "voucher", first).items() if code == voucher] == ["training"]
    assert sim.writes(rerun) == []


def test_openstack_user_example_orders_writes_the_clouds_yaml_entry_and_lists_images_through_it(rehearsal):
    sim, home = rehearsal
    [command] = [c for c in commands(os.path.join(EXAMPLES, "README.md")) if "docs/examples/openstack_user/playbook.yml" in c]
    first, rerun, output = run_twice(sim, home, command[1:])
    assert ordered(sim, first) == ["team-a"], output
    team_a = project_id(sim, "team-a")
    [created] = sim.calls("POST", "/cloud/project/%s/user" % team_a, entries=first)
    assert created["body"] == {"description": "ansible", "roles": ["administrator"]}
    [user] = sim.openstack_users(team_a)
    assert user["password"] not in output
    clouds = yaml.safe_load(read(os.path.join(home, ".config", "openstack", "clouds.yaml")))
    assert clouds["clouds"]["team-a"]["auth"]["username"] == user["username"]
    assert clouds["clouds"]["team-a"]["auth"]["project_id"] == team_a
    assert sim.writes(rerun) == []
    # openstack.cloud.image_info, on both runs, through the entry in the standard place (no OS_CLIENT_CONFIG_FILE):
    # the user's password authentication scoped to the project, then the listing of the entry's region; on the rerun,
    # public_cloud_user first checks that the entry's password still authenticates (without the catalogue)
    tokens = sim.openstack_calls("identity", "POST", "/v3/auth/tokens")
    assert [(e["status"], e["body"]["auth"]["identity"]["password"]["user"]["name"], e["body"]["auth"]["scope"]) for e in tokens] == \
        [(201, user["username"], {"project": {"id": team_a}})] * 3
    assert [e["query"] for e in tokens] == [{}, {"nocatalog": ""}, {}]
    listings = sim.openstack_calls("image", "GET", "/openstack/%s/image/v2/images" % clouds["clouds"]["team-a"]["region_name"])
    assert [e["auth_token"] for e in listings] == [e["subject_token"] for e in tokens if not e["query"]]
    assert '"msg": [\n        "Ubuntu 24.04",\n        "Debian 12",\n        "Rocky Linux 9"\n    ]' in output, output


def termination_token(sim, project, timeout=15):
    """The token of the termination e-mail, once it has arrived (as the account's admin would read it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        token = sim.termination_token(project)
        if token:
            return token
        time.sleep(0.2)
    raise AssertionError("no termination token for %s" % project)


def test_readme_play_and_task_lists(rehearsal, tmp_path):
    sim, home = rehearsal
    readme = read(os.path.join(ROOT, "README.md"))
    [use] = blocks(section(readme, "Use"), "yaml")
    [play] = yaml.safe_load(use)
    for heading in ("Over a project's life: adopt, rename, cap the price, retire", "An OpenStack user and its `clouds.yaml` entry"):
        [tasks] = blocks(section(readme, heading), "yaml")
        play["tasks"] += yaml.safe_load(tasks)
    (tmp_path / "my-playbook.yml").write_text(yaml.safe_dump([play], sort_keys=False))
    old_team = project_id(sim, "old-team")

    start = len(sim.journal())
    output = ansible_playbook(sim, home, ["my-playbook.yml"], cwd=str(tmp_path))
    first = sim.journal()[start:]
    # two orders (one under max_price, the free offer), the hand-made project renamed, old-team's termination requested
    assert ordered(sim, first) == ["team-a-production", "team-b"], output
    assert [e["body"] for e in sim.calls("PUT", "/cloud/project/%s" % HAND_MADE_PROJECT_ID, entries=first)] == \
        [{"description": "team-c-production"}]
    assert len(sim.calls("POST", "/cloud/project/%s/terminate" % old_team, entries=first)) == 1
    assert "termination of project %s ('old-team') was requested" % old_team in output
    team_a = project_id(sim, "team-a-production")
    assert len(sim.calls("POST", "/cloud/project/%s/user" % team_a, entries=first)) == 1
    clouds = yaml.safe_load(read(os.path.join(home, ".config", "openstack", "clouds.yaml")))["clouds"]
    # openstack.cloud.image_info through that entry: the new user's password, scoped to the project, then the listing
    [user] = sim.openstack_users(team_a)
    tokens = sim.openstack_calls("identity", "POST", "/v3/auth/tokens")
    assert [(e["status"], e["body"]["auth"]["identity"]["password"]["user"]["name"], e["body"]["auth"]["scope"]) for e in tokens] == \
        [(201, user["username"], {"project": {"id": team_a}})], output
    listings = sim.openstack_calls("image", "GET", "/openstack/%s/image/v2/images" % clouds["team-a-production"]["region_name"])
    assert [e["auth_token"] for e in listings] == [tokens[0]["subject_token"]], output

    # rerun with the e-mail's token, as the retire task's comment says: only the termination is confirmed
    token = termination_token(sim, old_team)
    start = len(sim.journal())
    ansible_playbook(sim, home, ["my-playbook.yml", "-e", "token=%s" % token], cwd=str(tmp_path))
    rerun = sim.journal()[start:]
    assert [(e["method"], e["path"]) for e in sim.writes(rerun)] == [("POST", "/cloud/project/%s/confirmTermination" % old_team)]
