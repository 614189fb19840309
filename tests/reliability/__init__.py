# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reliability suite: faults on every call, SIGKILL after every call, races, bad input, secret scan.

``python -m tests.reliability --full`` runs the whole matrix and writes its table to docs/reliability.md;
``--quick`` runs the reduced matrix (also run by pytest as tests/reliability/test_reduced.py, in ``make test``).
Every scenario runs the real module through real ``ansible-playbook`` processes against its own simulator.
"""
