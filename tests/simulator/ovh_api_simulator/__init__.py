"""Strict offline simulator of the OVHcloud API v1 (Public Cloud project ordering flow) for tests and rehearsals."""

from .control_client import ControlError, SimulatorControl, wait_until
from .server import SimulatorServer

__all__ = ["ControlError", "SimulatorControl", "SimulatorServer"]
