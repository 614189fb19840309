# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""public_cloud_project on the OVHcloud US API, and secrets kept out of every output."""

import pytest

from conftest import Simulator, run_module, run_playbook
from ovh_api_simulator import SimulatorServer

SECRETS = ("demo-application-secret", "demo-consumer-key")


@pytest.fixture
def us_sim():
    server = SimulatorServer(port=0, flavour="us").start()
    simulator = Simulator(server)
    simulator.reset_demo_account(nichandle="us1111-ovh", subsidiary="US")
    try:
        yield simulator
    finally:
        server.stop()


def test_us_api_uses_us_plan_subsidiary_and_operations(us_sim):
    run = run_module(us_sim, name="us-project")
    result = run.result
    assert result["changed"] is True and not result.get("failed"), run.output
    assert result["project"]["plan_code"] == "project"
    create = us_sim.calls("POST", "/order/cart")[0]
    assert create["body"]["ovhSubsidiary"] == "US"
    item = us_sim.calls("POST", "/order/cart/[^/]+/cloud")[0]
    assert item["body"]["planCode"] == "project"
    # the project id came from the operations of the order, the only place the US API gives it
    assert us_sim.calls("GET", r"/me/order/\d+/details/\d+/operations/\d+")
    assert result["project"]["project_id"] in [p["project_id"] for p in us_sim.state()["projects"]]
    rerun = run_module(us_sim, name="us-project")
    assert rerun.result["changed"] is False
    assert len(us_sim.checkouts()) == 1


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text, "secret %r leaked" % secret


@pytest.mark.core_matrix
def test_no_secret_in_output_at_maximum_verbosity(sim):
    # credentials given as module options (no_log) ...
    options = {"application_key": "demo-application-key", "application_secret": SECRETS[0], "consumer_key": SECRETS[1],
               "endpoint": sim.base_url}
    run = run_module(sim, name="secret-keeper", verbosity=4, credentials={}, **options)
    assert run.result["changed"] is True, run.output
    assert '"module_args": {' in run.output, "-vvvv printed no module arguments: the scan no longer looks where they leak"
    assert_no_secret(run.output)
    assert_no_secret(repr(run.result))
    # ... through the environment, on a failure path with an API error message ...
    failed = run_module(sim, name="secret-keeper-2", voucher="BADVOUCHER", verbosity=4)
    assert failed.result["failed"] is True
    assert_no_secret(failed.output)
    assert_no_secret(repr(failed.result))
    # ... and a refused signature (wrong secret) must not echo the secret it used
    wrong = run_module(sim, name="secret-keeper-3", verbosity=4,
                       credentials={"OVH_APPLICATION_KEY": "demo-application-key",
                                    "OVH_APPLICATION_SECRET": "wrong-secret-value-123",
                                    "OVH_CONSUMER_KEY": SECRETS[1]})
    assert wrong.result["failed"] is True
    assert "Invalid signature" in wrong.result["msg"]
    assert "wrong-secret-value-123" not in wrong.output and "wrong-secret-value-123" not in repr(wrong.result)
    assert_no_secret(wrong.output)


@pytest.mark.core_matrix
def test_secret_arguments_stay_out_of_ansible_debug_output(sim):
    """ANSIBLE_DEBUG=1 prints every module argument ("done with _execute_module"), no_log ones included: the action
    plugin hands the secret options to the local module by environment, so the line has no secret, and the module
    still signs its calls with them."""
    options = {"application_key": "demo-application-key", "application_secret": SECRETS[0], "consumer_key": SECRETS[1],
               "endpoint": sim.base_url}
    run = run_module(sim, name="debug-keeper", check=True, verbosity=4, credentials={}, env={"ANSIBLE_DEBUG": "1"},
                     **options)
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    printed = [line for line in run.output.splitlines() if "done with _execute_module" in line]
    assert printed, "ANSIBLE_DEBUG printed no module arguments: the test no longer looks where the leak was"
    assert "'application_key': 'demo-application-key'" in printed[0]  # the other arguments are printed
    assert_no_secret(run.output)
    assert_no_secret(repr(run.result))
    # the module authenticated with those very secrets (the simulator checks each call's signature)
    assert sim.calls("GET", "/cloud/project")
    info = run_playbook(sim, "project_info.yml", {"batch": {"all": options}, "batch_ids": ["all"]}, verbosity=4,
                        credentials={}, env={"ANSIBLE_DEBUG": "1"})
    assert info.result[0]["projects"] == [] and not info.result[0].get("failed"), info.output
    assert "done with _execute_module (ovhcloud.public_cloud.public_cloud_project_info" in info.output
    assert_no_secret(info.output)
