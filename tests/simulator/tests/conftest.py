"""Fixtures: one simulator per test session, reset (with short delays) before every test."""

import os
import sys

import pytest

SIMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

from ovh_api_simulator import SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position
from sim_helpers import DEMO_KEYS, OTHER_KEYS, FAST_CONFIG, Control, make_client  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def server():
    """The simulator, started once on a free loopback port."""
    sim = SimulatorServer(host="127.0.0.1", port=0).start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(server):
    """The simulator after a reset to the default seed with fast delays."""
    Control(server.root_url).reset(config=FAST_CONFIG)
    return server


@pytest.fixture
def control(sim):
    """Control API client (ovh_api_simulator.SimulatorControl)."""
    return Control(sim.root_url)


@pytest.fixture
def demo(sim):
    """python-ovh client of the demo account."""
    return make_client(sim.base_url, *DEMO_KEYS)


@pytest.fixture
def other(sim):
    """python-ovh client of the second account."""
    return make_client(sim.base_url, *OTHER_KEYS)
