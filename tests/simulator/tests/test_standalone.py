"""The standalone entry points: ``python -m ovh_api_simulator`` and ``run_simulator.py``."""

import json
import os
import signal
import subprocess
import sys
import time

from sim_helpers import DEMO_KEYS, make_client

SIMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wait_ready(process, path, timeout=10.0):
    """Wait for the ready file; returns its JSON."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("simulator did not become ready")


def stop(process):
    """SIGTERM and collect the output; the exit must be clean."""
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    return out


def test_module_entry_point(tmp_path):
    ready = str(tmp_path / "ready.json")
    env = dict(os.environ, PYTHONPATH=SIMULATOR_DIR)
    process = subprocess.Popen([sys.executable, "-m", "ovh_api_simulator", "--port", "0", "--ready-file", ready],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = wait_ready(process, ready)
        assert info["pid"] == process.pid and info["base_url"] == info["root_url"] + "/1.0"
        client = make_client(info["base_url"], *DEMO_KEYS)
        assert client.get("/me")["nichandle"] == "xx1111-ovh"
    finally:
        out = stop(process)
    assert "export OVH_ENDPOINT=%s" % info["base_url"] in out
    assert "export OVH_APPLICATION_KEY=demo-application-key" in out and "export OVH_CONSUMER_KEY=demo-consumer-key" in out


def test_run_script_with_state_seed_and_us_flavour(tmp_path):
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps({"defaults": True, "config": {"order_checking_delay": 0.1},
                                     "accounts": [{"nichandle": "zz3333-ovh", "subsidiary": "US", "vouchers": [{"code": "V1", "credit": 5}]}]}))
    ready = str(tmp_path / "ready.json")
    process = subprocess.Popen([sys.executable, os.path.join(SIMULATOR_DIR, "run_simulator.py"), "--port", "0", "--flavour", "us",
                                "--state", str(seed_file), "--ready-file", ready],
                               cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = wait_ready(process, ready)
        client = make_client(info["base_url"], "zz3333-ovh-application-key", "zz3333-ovh-application-secret", "zz3333-ovh-consumer-key")
        assert client.get("/cloud/eligibility", voucher="V1")["voucher"]["credit"]["value"] == 5
        assert client.post("/order/cart", ovhSubsidiary="US", _need_auth=False)["cartId"]
    finally:
        stop(process)
