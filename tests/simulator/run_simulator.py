"""Run the OVH API simulator without setting PYTHONPATH: ``python tests/simulator/run_simulator.py --port 8080``."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ovh_api_simulator.__main__ import main  # noqa: E402  pylint: disable=wrong-import-position

if __name__ == "__main__":
    sys.exit(main())
