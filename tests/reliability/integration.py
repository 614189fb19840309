# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the suite takes from the integration harness (tests/integration/conftest.py): how a playbook reaches the
simulator (environment, playbooks, fast order delays) and the simulator itself. One place says it for both."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTEGRATION = os.path.join(ROOT, "tests", "integration")
if INTEGRATION not in sys.path:
    sys.path.insert(0, INTEGRATION)

# conftest puts tests/simulator on sys.path
from conftest import BIN, COLLECTIONS, FAST, PLAYBOOKS, Simulator, ansible_env  # noqa: E402  pylint: disable=wrong-import-position
from ovh_api_simulator import SimulatorServer  # noqa: E402  pylint: disable=wrong-import-position

__all__ = ["BIN", "COLLECTIONS", "FAST", "INTEGRATION", "PLAYBOOKS", "ROOT", "Simulator", "SimulatorServer", "ansible_env"]
