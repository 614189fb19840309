# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scenario's stage: its own simulator on a free loopback port, the suite's account, its runs, and what the
simulator's state says about a name (orders placed, carts left open, the project)."""

import datetime
import os
import secrets

from .integration import FAST, Simulator, SimulatorServer
from .runs import PlaybookProcess

NIC = "xx1111-ovh"
APPLICATION_KEY = "reliability-application-key"
# Fresh values for every suite process: a hit can only be a leak of this very value, never a coincidence.
APPLICATION_SECRET = "rel-as-" + secrets.token_hex(16)
CONSUMER_KEY = "rel-ck-" + secrets.token_hex(16)
CLIENT_SECRET = "rel-oauth2-" + secrets.token_hex(16)
# A second application of the same account, with its own consumer key (a second AWX credential, a second tool):
# the races under cart_listing_lag and carts_per_application alternate the two.
APPLICATION_KEY_2 = "reliability-application-key-2"
APPLICATION_SECRET_2 = "rel-as2-" + secrets.token_hex(16)
CONSUMER_KEY_2 = "rel-ck2-" + secrets.token_hex(16)
SECRETS = (APPLICATION_SECRET, CONSUMER_KEY, CLIENT_SECRET, APPLICATION_SECRET_2, CONSUMER_KEY_2)
KEY_CREDENTIALS = {"OVH_APPLICATION_KEY": APPLICATION_KEY, "OVH_APPLICATION_SECRET": APPLICATION_SECRET,
                   "OVH_CONSUMER_KEY": CONSUMER_KEY}
KEY_CREDENTIALS_2 = {"OVH_APPLICATION_KEY": APPLICATION_KEY_2, "OVH_APPLICATION_SECRET": APPLICATION_SECRET_2,
                     "OVH_CONSUMER_KEY": CONSUMER_KEY_2}
# The lease the module gives its carts (5 minutes, _race_guard.LEASE, docs/design.md "Concurrent runs"). At the end of
# a scenario the simulator's clock is moved this far (plus a second): a cart still open then is "left open" (it would
# hold the name, or clutter the account, for longer); a cart open before and gone after vanished by itself.
LEASE_SECONDS = 300
# Every run is bounded: a fault never makes a run wait for the module's 30-minute default.
WAIT_TIMEOUT = 120


def parse_time(text):
    return datetime.datetime.fromisoformat(text).timestamp()


class Stage:
    """One simulator (started here, stopped by ``stop``) with the suite's account only, fast order delays, and the
    runs made against it, each in a directory of ``workdir``.

    Every run of the stage is made at ``verbosity`` (4: -vvvv), with ANSIBLE_DEBUG=1 if ``debug``, and with the
    secrets as module arguments instead of OVH_* variables if ``secrets_in_args``. ``sim_config`` is added to the
    simulator's settings (the awkward API options of docs/simulator.md); ``second_application`` gives the account a
    second application (KEY_CREDENTIALS_2).
    """

    def __init__(self, workdir, verbosity=0, debug=False, secrets_in_args=False, sim_config=None,  # pylint: disable=too-many-arguments
                 second_application=False):
        self.workdir = workdir
        self.verbosity = verbosity
        self.debug = debug
        self.secrets_in_args = secrets_in_args
        os.makedirs(workdir, exist_ok=True)
        self.server = SimulatorServer(port=0).start()
        self.sim = Simulator(self.server)
        self.sim.reset(defaults=False, accounts=[{"nichandle": NIC, "application_key": APPLICATION_KEY,
                                                  "application_secret": APPLICATION_SECRET, "consumer_key": CONSUMER_KEY}])
        self.sim.config(**dict(FAST, **(sim_config or {})))
        if second_application:
            self.sim.add_application(NIC, APPLICATION_KEY_2, APPLICATION_SECRET_2, CONSUMER_KEY_2)
        self.runs = []

    def stop(self):
        self.server.stop()

    def start(self, label, name, credentials=None, **module_args):
        """Start one ansible-playbook of the module for ``name`` (not waited for)."""
        args = {"name": name, "wait_timeout": WAIT_TIMEOUT}
        if credentials is None and self.secrets_in_args:
            credentials = {"OVH_APPLICATION_KEY": APPLICATION_KEY}
            args.update(application_secret=APPLICATION_SECRET, consumer_key=CONSUMER_KEY)
        args.update(module_args)
        workdir = os.path.join(self.workdir, "%02d-%s" % (len(self.runs) + 1, label))
        run = PlaybookProcess(workdir, self.sim.base_url, args, KEY_CREDENTIALS if credentials is None else credentials,
                              verbosity=self.verbosity, debug=self.debug)
        self.runs.append(run)
        return run

    def run(self, label, name, **options):
        """One ansible-playbook of the module for ``name``, waited for."""
        return self.start(label, name, **options).wait()

    # -- what the simulator says ----------------------------------------------------------------------------------

    def orders_for(self, name, state=None):
        """Order ids placed for ``name``: orders whose cart held an item whose description is ``name``."""
        state = state or self.sim.state()
        carts = {cart["cartId"]: cart for cart in state["carts"]}
        placed = []
        for order in state["orders"]:
            cart = carts.get(order["cartId"], {"items": []})
            labels = [(c["label"], c["value"]) for item in cart["items"] for c in item["configurations"]]
            delivered_to = [p for p in state["projects"] if p["order_id"] == order["orderId"]]
            if ("description", name) in labels or any(p["description"] == name for p in delivered_to):
                placed.append(order["orderId"])
        return placed

    def paid_for(self, name, state=None):
        """Order ids for ``name`` (the simulator's ``description`` of the order: the name it is for) with a payment
        registered (``paid_with``: charged, or being charged)."""
        state = state or self.sim.state()
        return [o["orderId"] for o in state["orders"] if o["description"] == name and o["paid_with"] is not None]

    def unpaid_for(self, name, state=None):
        """Order ids for ``name`` with no payment registered (a race's losers leave theirs unpaid: they cost nothing)."""
        state = state or self.sim.state()
        return [o["orderId"] for o in state["orders"] if o["description"] == name and o["paid_with"] is None]

    def count(self, outcome, name, state=None):
        """Orders placed, paid and left unpaid for ``name``, into ``outcome``."""
        state = state or self.sim.state()
        outcome.orders = len(self.orders_for(name, state))
        outcome.paid = len(self.paid_for(name, state))
        outcome.unpaid = len(self.unpaid_for(name, state))

    def open_carts(self, state=None):
        """Carts still usable (not expired, not checked out), by the simulator's clock."""
        state = state or self.sim.state()
        return sum(1 for cart in state["carts"] if not cart["expired"] and not cart["readOnly"])

    def carts_left_after_lease(self):
        """(open now, still open once the simulator's clock has moved one lease on): ends the stage's runs."""
        now = self.open_carts()
        self.sim.advance_clock(LEASE_SECONDS + 1)
        return now, self.open_carts()

    def expire_open_carts(self):
        """Move the simulator clock past the expiry of every cart still open; returns the seconds advanced."""
        state = self.sim.state()
        now = state["clock"]["epoch"]
        ends = [parse_time(c["expire"]) for c in state["carts"] if not c["expired"] and not c["readOnly"] and c["expire"]]
        if not ends:
            return 0
        seconds = int(max(ends) - now) + 1
        self.sim.advance_clock(seconds)
        return seconds

    def converged(self, name, run, state=None, expected_orders=1, race=False):  # pylint: disable=too-many-arguments
        """The run ended ok with the one project of ``name``, status ok, paid for exactly ``expected_orders`` times
        and (unless ``race``: the losers of a race may leave unpaid orders) ordered exactly that many times."""
        state = state or self.sim.state()
        projects = [p for p in state["projects"] if p["description"] == name]
        if not run.ok or len(projects) != 1 or projects[0]["status"] != "ok":
            return False
        if len(self.paid_for(name, state)) != expected_orders:
            return False
        if not race and len(self.orders_for(name, state)) != expected_orders:
            return False
        return ((run.result or {}).get("project") or {}).get("project_id") == projects[0]["project_id"]
