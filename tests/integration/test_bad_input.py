# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalogue of bad input: each case fails with a message naming the problem and the fix, before any write where
the problem can be seen before one, and leaves nothing behind.

docs/errors.md is rendered from this table and the messages the module really gave; each case checks its own row, and
test_errors_doc_lists_every_case checks the rest. Regenerate it with ``make errors-doc`` (UPDATE_ERRORS_DOC=1, one
process).

Cases that need nothing of their own (no simulator setup, nothing written) share one ansible-playbook run per group
(``BATCHES``), computed once per test session even with pytest-xdist; the other cases get their own simulator and run.
"""

import fcntl
import html
import json
import os
import re
import time

import pytest

from conftest import DEMO_CREDENTIALS, FAST, ROOT, Simulator, run_module, run_module_batch
from ovh_api_simulator import SimulatorServer

with open(os.path.join(ROOT, "docs", "api-access-rules.json"), encoding="utf-8") as handle:
    RULES = json.load(handle)["rules"]

DOC = os.path.join(ROOT, "docs", "errors.md")
UPDATE = os.environ.get("UPDATE_ERRORS_DOC") == "1"
NIC = "xx1111-ovh"
# a read answered badly is tried again (ReadRetryPolicy): the fault stays for every try, so that the run fails
READS_TRIED = 1 + 3
DEMO_SECRETS = (DEMO_CREDENTIALS["OVH_APPLICATION_SECRET"], DEMO_CREDENTIALS["OVH_CONSUMER_KEY"])

# What a case may leave in the simulator's journal.
NO_CALL = "none: no API call"
NO_WRITE = "none"
CART_DELETED = "a cart, deleted again"
ORDER_PLACED = "the order (a rerun follows it)"

# Steps named by the module's failure; Ansible's own argument check names none.
ANSIBLE_CHECK = "argument check (Ansible)"


class Case:  # pylint: disable=too-few-public-methods,too-many-instance-attributes
    """One bad input: the module arguments (and setup), and what the failure must say.

    ``problem`` and ``fix`` are fragments the message must contain: what is wrong, and what to do about it.
    ``group`` names the shared run of the case (see BATCHES), or None for a run of its own after ``setup(sim)``.
    ``secrets`` are values of this case that must appear nowhere in the output.
    """

    def __init__(self, case_id, text, args, step, problem, fix, writes=NO_WRITE, group=None, setup=None, status=None,
                 secrets=()):
        self.id = case_id
        self.text = text
        self.args = args
        self.step = step
        self.problem = problem
        self.fix = fix
        self.writes = writes
        self.group = group
        self.setup = setup
        self.status = status
        self.secrets = tuple(secrets) + DEMO_SECRETS


def keys(application_key="demo-application-key", application_secret="demo-application-secret", consumer_key="demo-consumer-key"):
    """Credentials as module options (they win over the OVH_* variables of the run)."""
    return dict(application_key=application_key, application_secret=application_secret, consumer_key=consumer_key)


def refused_key(case_id, text, consumer_key, problem, fix, step="look up project"):
    """A consumer key (seeded by seed_credentials, or unknown) that the API refuses with a 403, before any write."""
    return Case(case_id, text, dict(name="creds", **keys(consumer_key=consumer_key)), step, problem, fix, NO_WRITE,
                "credentials", status=403, secrets=[consumer_key])


def with_fault(**rule):
    def setup(sim):
        sim.fault(**rule)
    return setup


def seed_then(seed, **rule):
    def setup(sim):
        seed(sim)
        if rule:
            sim.fault(**rule)
    return setup


def rules_without(method, path):
    return [r for r in RULES if (r["method"], r["path"]) != (method, path)]


MAINTENANCE_PAGE = "<html><head><title>Maintenance</title></head><body>Back soon</body></html>"
GATEWAY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
ALERT = {"monthly_threshold": 500, "email": "finops@example.com", "delay": 86400}
HDS = "certification.hds.2018"
SEEDED_PROJECT = {"project_id": "0123456789ab4cdef0123456789abcde", "description": "another"}

CASES = [
    # -- the name --------------------------------------------------------------------------------------------
    Case("name-empty", '`name: ""`', dict(name=""), "validate input",
         ["name is empty"], ["give the project's name"], NO_CALL, "names"),
    Case("name-blank", '`name: "   "`', dict(name="   "), "validate input",
         ["name is empty"], ["give the project's name"], NO_CALL, "names"),
    Case("name-too-long", "`name:` 65 characters", dict(name="n" * 65), "validate input",
         ["65 characters long", "at most 64"], ["choose a shorter name"], NO_CALL, "names"),
    Case("name-huge", "`name:` 100 000 characters", dict(name="h" * 100000), "validate input",
         ["100000 characters long"], ["choose a shorter name"], NO_CALL, "names"),
    Case("name-surrounding-spaces", '`name: " team-a "`', dict(name=" team-a "), "validate input",
         ["leading or trailing spaces"], ["remove them"], NO_CALL, "names"),
    Case("name-newline", '`name: "team\\nprod"`', dict(name="team\nprod"), "validate input",
         ["U+000A, a control character"], ["use printable characters only"], NO_CALL, "names"),
    Case("name-escape-sequence", '`name: "\\e[31mred"` (terminal escape)', dict(name="\x1b[31mred"), "validate input",
         ["U+001B, a control character"], ["use printable characters only"], NO_CALL, "names"),
    Case("name-zero-width-space", '`name: "team\\u200bprod"`', dict(name="team\u200bprod"), "validate input",
         ["U+200B ZERO WIDTH SPACE, an invisible format character"], ["use printable characters only"], NO_CALL, "names"),
    Case("name-bidi-override", '`name: "prod\\u202eved"` (reads "prodved" backwards)', dict(name="prod\u202eved"),
         "validate input", ["U+202E RIGHT-TO-LEFT OVERRIDE"], ["use printable characters only"], NO_CALL, "names"),
    Case("name-line-separator", '`name: "team\\u2028prod"`', dict(name="team\u2028prod"), "validate input",
         ["U+2028 LINE SEPARATOR, a line separator"], ["use printable characters only"], NO_CALL, "names"),
    # -- other options ---------------------------------------------------------------------------------------
    Case("wait-timeout-not-a-number", '`wait_timeout: "soon"`', dict(name="typed", wait_timeout="soon"), ANSIBLE_CHECK,
         ["argument 'wait_timeout' is of type str"], ["unable to convert to int"], NO_CALL, "names"),
    Case("auto-pay-not-a-boolean", '`auto_pay: "maybe"`', dict(name="typed", auto_pay="maybe"), ANSIBLE_CHECK,
         ["argument 'auto_pay' is of type str"], ["Valid booleans include"], NO_CALL, "names"),
    Case("wait-timeout-negative", "`wait_timeout: -1`", dict(name="waiting", wait_timeout=-1), "validate input",
         ["wait_timeout is -1 seconds"], ["between 0 and 86400", "choose a value in that range"], NO_CALL, "names"),
    Case("wait-timeout-too-long", "`wait_timeout: 1000000000`", dict(name="waiting", wait_timeout=10 ** 9), "validate input",
         ["wait_timeout is 1000000000 seconds"], ["between 0 and 86400", "choose a value in that range"], NO_CALL, "names"),
    Case("subsidiary-unknown", "`subsidiary: XX`", dict(name="sub", subsidiary="XX"), "validate input",
         ["subsidiary 'XX' is not one OVHcloud accepts"], ["use one of"], NO_CALL, "options"),
    Case("subsidiary-lower-case", "`subsidiary: fr`", dict(name="sub", subsidiary="fr"), "validate input",
         ["subsidiary 'fr'"], ["written in capitals: FR"], NO_CALL, "options"),
    Case("subsidiary-of-another-endpoint", "`subsidiary: QC` with `endpoint: ovh-eu`",
         dict(name="sub", subsidiary="QC", endpoint="ovh-eu"), "validate input",
         ["subsidiary 'QC' is not one the ovh-eu endpoint accepts"], ["use one of", "FR"], NO_CALL, "options"),
    Case("duration-malformed", '`duration: "1 month"`', dict(name="dur", duration="1 month"), "validate input",
         ["duration '1 month' is not an ISO-8601 duration"], ["set duration to one such as P1M"], NO_CALL, "options"),
    Case("plan-code-malformed", '`plan_code: "Project 2018"`', dict(name="plan", plan_code="Project 2018"), "validate input",
         ["plan_code 'Project 2018' is malformed"], ["set plan_code to a code such as project.2018"], NO_CALL, "options"),
    Case("voucher-malformed", '`voucher: "TEN EUROS"`', dict(name="vouch", voucher="TEN EUROS"), "validate input",
         ["voucher 'TEN EUROS' is malformed"], ["check the code, or leave the voucher option out"], NO_CALL, "options"),
    Case("absent-without-allow-termination", "`state: absent` without `allow_termination: true`",
         dict(name="gone", state="absent"), "validate input",
         ["allow_termination is not true"], ["set allow_termination: true"], NO_CALL, "options"),
    # -- endpoint --------------------------------------------------------------------------------------------
    Case("endpoint-unknown-name", "`endpoint: ovh-fr`", dict(name="ep", endpoint="ovh-fr"), "validate input",
         ["endpoint 'ovh-fr' is not known"], ["use one of", "ovh-eu"], NO_CALL, "options"),
    Case("endpoint-plain-http", "`endpoint: http://api.example.com/1.0`", dict(name="ep", endpoint="http://api.example.com/1.0"),
         "validate input", ["uses plain http on a non-loopback host"], ["use https://"], NO_CALL, "options"),
    Case("endpoint-not-http", "`endpoint: ftp://eu.api.ovh.com/1.0`", dict(name="ep", endpoint="ftp://eu.api.ovh.com/1.0"),
         "validate input", ["endpoint ftp://eu.api.ovh.com/1.0 is not a valid"], ["https:// URL"], NO_CALL, "options"),
    Case("endpoint-with-query", "`endpoint: https://eu.api.ovh.com/1.0?debug=1`",
         dict(name="ep", endpoint="https://eu.api.ovh.com/1.0?debug=1"), "validate input",
         ["must not have a query string"], ["must not have a query string or fragment"], NO_CALL, "options"),
    Case("endpoint-without-public-cloud", "`endpoint: kimsufi-eu`", dict(name="ep", endpoint="kimsufi-eu"), "validate input",
         ["does not sell Public Cloud projects"], ["use ovh-eu, ovh-ca or ovh-us"], NO_CALL, "options"),
    Case("endpoint-unreachable", "`endpoint: http://127.0.0.1:9/1.0` (nothing listens)",
         dict(name="ep", endpoint="http://127.0.0.1:9/1.0"), "look up project",
         ["no answer from the API", "Connection refused"], ["Check the endpoint and the network"], NO_CALL, "options"),
    # -- credentials that cannot work, found before any call -------------------------------------------------
    Case("credentials-missing", "no application key, secret or consumer key anywhere", dict(name="creds", **keys("", "", "")),
         "configure client", ["missing credentials: application_key, application_secret, consumer_key"],
         ["Set the options, the OVH_* environment variables"], NO_CALL, "options"),
    Case("credentials-of-both-kinds", "`client_id`/`client_secret` next to application keys",
         dict(name="creds", client_id="svc-0123456789", client_secret="oauth2-client-secret-value"), "configure client",
         ["both application_key/application_secret/consumer_key and OAuth2 client_id/client_secret are set"],
         ["use one kind of credentials"], NO_CALL, "options", secrets=["oauth2-client-secret-value"]),
    Case("oauth2-on-a-url-endpoint", "OAuth2 `client_id`/`client_secret` with a URL endpoint",
         dict(name="creds", client_id="svc-0123456789", client_secret="oauth2-client-secret-value", **keys("", "", "")),
         "configure client", ["OAuth2 client_id/client_secret work only with the endpoints ovh-eu, ovh-ca, ovh-us"],
         ["needs application_key, application_secret and consumer_key"], NO_CALL, "options",
         secrets=["oauth2-client-secret-value"]),
    # -- credentials the API refuses -------------------------------------------------------------------------
    Case("application-key-unknown", "`application_key` the API does not know",
         dict(name="creds", **keys(application_key="no-such-application")), "look up project",
         ["This application key is invalid", "INVALID_KEY"], ["check application_key"], NO_WRITE, "credentials", status=403),
    Case("application-secret-wrong", "`application_secret` of another application",
         dict(name="creds", **keys(application_secret="not-the-application-secret")), "look up project",
         ["Invalid signature"], ["application_secret (or OVH_APPLICATION_SECRET) is not the secret of application_key"],
         NO_WRITE, "credentials", status=400, secrets=["not-the-application-secret"]),
    refused_key("consumer-key-unknown", "`consumer_key` the API does not know", "no-such-consumer-key",
                ["This credential does not exist", "NOT_CREDENTIAL"], ["check consumer_key", "create a consumer key"]),
    refused_key("consumer-key-of-another-application", "`consumer_key` made for another application", "other-consumer-key",
                ["This credential does not exist"], ["create a consumer key for this application"]),
    refused_key("consumer-key-expired", "`consumer_key` past its validity", "expired-consumer-key",
                ["This credential is not valid", "INVALID_CREDENTIAL"],
                ["expired, revoked or not validated yet", "create a new consumer key"]),
    refused_key("consumer-key-not-validated", "`consumer_key` whose validationUrl was never opened", "pending-consumer-key",
                ["This credential is not valid"], ["Open the validationUrl"]),
    refused_key("consumer-key-without-a-read-right", "`consumer_key` without the right `GET /cloud/order`",
                "no-cloud-order-consumer-key", ["This call has not been granted", "NOT_GRANTED_CALL"],
                ["create one with every right listed"], step="GET /cloud/order"),
    Case("consumer-key-without-a-write-right", "`consumer_key` without the right `POST /order/cart/*`",
         dict(name="creds", **keys(consumer_key="no-cart-write-consumer-key")), "assign cart",
         ["This call has not been granted"], ["create one with every right listed"], CART_DELETED, status=403,
         setup=lambda sim: sim.seed_consumer_keys(NIC, {"key": "no-cart-write-consumer-key",
                                                        "access_rules": rules_without("POST", "/order/cart/*")}),
         secrets=["no-cart-write-consumer-key"]),
    # -- what the order asks for -----------------------------------------------------------------------------
    Case("voucher-unknown", "`voucher: NOSUCHCODE`", dict(name="vouch", voucher="NOSUCHCODE"), "check eligibility",
         ["voucher NOSUCHCODE was refused", "unknown voucher"], ["remove the voucher option"], NO_WRITE, "credentials"),
    Case("voucher-already-used", "`voucher:` a code used by an earlier order", dict(name="vouch", voucher="USEDONCE"),
         "check eligibility", ["voucher USEDONCE was refused", "already been used"], ["remove the voucher option"],
         NO_WRITE, "credentials"),
    Case("voucher-of-another-subsidiary", "`voucher:` a code for FR orders, with `subsidiary: DE`",
         dict(name="vouch", voucher="FRANCEONLY", subsidiary="DE"), "set voucher",
         ["voucher FRANCEONLY was refused", "it is for orders of subsidiary FR"], ["remove the voucher option"], CART_DELETED,
         setup=lambda sim: sim.seed_vouchers(NIC, {"code": "FRANCEONLY", "credit": 10, "subsidiary": "FR"})),
    Case("plan-not-offered", "`plan_code: project.2099`", dict(name="plan", plan_code="project.2099"), "list offers",
         ["plan project.2099 with duration P1M and pricing mode default is not offered", "offered: project.2018"],
         ["Set plan_code, duration and pricing_mode to an offered combination"], CART_DELETED),
    Case("duration-not-offered", "`duration: P1Y`", dict(name="dur", duration="P1Y"), "list offers",
         ["with duration P1Y", "is not offered"], ["Set plan_code, duration and pricing_mode to an offered combination"],
         CART_DELETED),
    # -- the project's settings: spending alerts, tags, plan options -----------------------------------------
    Case("alert-threshold-not-above-zero", "`alerting:` an alert with `monthly_threshold: 0`",
         dict(name="alerts", alerting=[dict(ALERT, monthly_threshold=0)]), "validate input",
         ["alerting[1]: monthly_threshold is 0"], ["it must be a whole amount above 0"], NO_CALL, "options"),
    Case("alert-email-malformed", "`alerting:` an alert with `email: finops`",
         dict(name="alerts", alerting=[dict(ALERT, email="finops")]), "validate input",
         ["alerting[1]: email 'finops' is not an e-mail address"], ["give one such as billing@example.com"], NO_CALL,
         "options"),
    Case("alert-delay-not-offered", "`alerting:` an alert with `delay: 60`",
         dict(name="alerts", alerting=[dict(ALERT, delay=60)]), ANSIBLE_CHECK,
         ["got: 60 found in alerting"], ["value of delay must be one of: 3600, 10800"], NO_CALL, "options"),
    Case("tag-key-ovh-prefix", "`tags: {ovh:team: x}`", dict(name="tagged", tags={"ovh:team": "x"}), "validate input",
         ["tag key 'ovh:team' starts with 'ovh:'", "OVHcloud reserves"], ["choose a key without that prefix"], NO_CALL,
         "options"),
    Case("tag-value-refused", '`tags: {team: "a b"}`', dict(name="tagged", tags={"team": "a b"}), "validate input",
         ["tag 'team' has the value 'a b', which the API refuses"], ["change the value"], NO_CALL, "options"),
    Case("plan-option-empty", '`plan_options: [""]`', dict(name="optioned", plan_options=[""]), "validate input",
         ["plan_options holds an empty entry"], ["remove the empty entry"], NO_CALL, "options"),
    Case("plan-option-twice", "`plan_options:` the same option twice", dict(name="optioned", plan_options=[HDS, HDS]),
         "validate input", ["plan_options lists 'certification.hds.2018' twice"], ["give each option once"], NO_CALL,
         "options"),
    Case("plan-option-unknown", "`plan_options: [certification.nope.2099]`",
         dict(name="optioned", plan_options=["certification.nope.2099"]), "check plan options",
         ["plan option certification.nope.2099 is not offered with plan project.2018", "public catalogue",
          "offered: certification.hds.2018"], ["remove it from plan_options, or choose an offered option"], NO_WRITE,
         "credentials"),
    Case("plan-option-unknown-catalogue-unreadable", "`plan_options: [certification.nope.2099]`, the public catalogue "
         "answering 503", dict(name="optioned", plan_options=["certification.nope.2099"]), "list plan options",
         ["plan option certification.nope.2099 is not offered with plan project.2018", "the cart's offer",
          "offered: certification.hds.2018"], ["remove it from plan_options, or choose an offered option"], CART_DELETED,
         setup=with_fault(method="GET", path="^/order/catalog/public/cloud$", status=503, count=READS_TRIED)),
    # -- answers the module does not expect ------------------------------------------------------------------
    Case("answer-not-json", "the project list answered as an HTML page (HTTP 200)", dict(name="garbled"), "look up project",
         ["the answer is not valid JSON"], ["rerun the task", "check the endpoint and any proxy"], status=200,
         setup=with_fault(method="GET", path="^/cloud/project$", status=200, raw_body=MAINTENANCE_PAGE, content_type="text/html",
                          count=READS_TRIED)),
    Case("answer-truncated", "the project list's JSON cut after 20 bytes", dict(name="garbled"), "look up project",
         ["the answer is not valid JSON (20 characters"], ["rerun the task"], status=200,
         setup=seed_then(lambda sim: sim.seed_projects(NIC, SEEDED_PROJECT),
                         method="GET", path="^/cloud/project$", kind="truncate", bytes=20, phase="after", count=READS_TRIED)),
    Case("error-page-not-json", "a proxy's HTML error page (HTTP 502)", dict(name="garbled"), "look up project",
         ["the answer is not valid JSON", "HTTP 502"], ["rerun the task"], status=502,
         setup=with_fault(method="GET", path="^/cloud/project$", status=502, raw_body=GATEWAY_PAGE, content_type="text/html",
                          count=READS_TRIED)),
    Case("eligibility-action-unknown", "`/cloud/eligibility` asks for an action no schema lists", dict(name="newcomer"),
         "check eligibility", ["will not accept a Public Cloud project order", "verifyIdentityDocuments"],
         ["see the Control Panel"],
         setup=with_fault(method="GET", path="^/cloud/eligibility$", kind="patch", phase="after",
                          patch={"actionsRequired": ["verifyIdentityDocuments"]})),
    Case("project-status-unknown", "a project of the name, in a status no schema lists", dict(name="odd-status"),
         "look up project", ["has status 'frozen', which this version of the collection does not know", "nothing was ordered"],
         ["Look at it in the Control Panel", "--upgrade ovhcloud.public_cloud"],
         setup=seed_then(lambda sim: sim.seed_projects(NIC, {"description": "odd-status"}),
                         method="GET", path="^/cloud/project$", kind="patch", phase="after", patch={"status": "frozen"})),
    Case("order-status-unknown", "the placed order, in a status no schema lists", dict(name="odd-order"), "wait for order",
         ["has status 'blocked', which this version of the collection does not know", "will not be placed again"],
         ["rerun the task to follow it", "--upgrade ovhcloud.public_cloud"], ORDER_PLACED,
         setup=with_fault(method="GET", path=r"^/me/order/\d+/status$", status=200, body="blocked", count=8)),
]


def seed_credentials(sim):
    sim.seed_consumer_keys(NIC, [
        {"key": "expired-consumer-key", "state": "expired"},
        {"key": "pending-consumer-key", "state": "pendingValidation"},
        {"key": "no-cloud-order-consumer-key", "access_rules": rules_without("GET", "/cloud/order")},
    ])
    sim.seed_vouchers(NIC, {"code": "USEDONCE", "credit": 10, "used": True})


# Shared runs: group -> simulator setup. Their cases write nothing (checked on the run's whole journal). Two groups of
# cases that make no API call at all, so that two pytest-xdist workers can make them at the same time.
BATCHES = {"names": None, "options": None, "credentials": seed_credentials}


# -- what the doc shows -----------------------------------------------------------------------------------------

MASKS = [
    (re.compile(r"(X-Ovh-QueryID: )[^\s),]+"), r"\1{query-id}"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "{cart-id}"),
    (re.compile(r"\b[0-9a-f]{12}4[0-9a-f]{19}\b"), "{project-id}"),
    (re.compile(r"((?:/me/order/|[Oo]rder )|orderId=)\d+"), r"\1{order-id}"),
    (re.compile(r"(/item/)\d+"), r"\1{item-id}"),
    (re.compile(r"(Valid booleans include: ).*"), r"\1…"),  # a set: its order changes from run to run
    (re.compile(r"(127\.0\.0\.1|localhost):\d+"), r"\1:{port}"),
    (re.compile(r"\bport=\d+"), "port={port}"),
    (re.compile(r"0x[0-9a-f]+"), "0x…"),
]


def mask(text):
    """The message with what changes from run to run (ids, ports, addresses) replaced by placeholders."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def cell(text):
    """Text as one Markdown table cell: one line, no pipe, no HTML."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def observed_step(result):
    failure = result.get("failure") or {}
    if failure.get("step"):
        return failure["step"]
    if failure.get("method"):
        return "%s %s" % (failure["method"], mask(failure["path"]))
    return ANSIBLE_CHECK


def row(case, message_cell):
    return "| `%s` | %s | %s | %s | %s |" % (case.id, case.text, case.step, case.writes, message_cell)


DOC_HEAD = """# Errors for bad input

<!-- Generated from tests/integration/test_bad_input.py and the messages the module gave: do not edit by hand.
     Regenerate with `make errors-doc`. -->

What `ovhcloud.public_cloud.public_cloud_project` answers to bad input. Every message names the problem, then what to
do about it. The **step** is `failure.step` of the result (or the failing call when no step is named); **left behind**
is what the run wrote to the account: most problems are found before any write, and a cart created before the problem
showed is deleted again. Ids, ports and addresses that change from run to run are shown as `{placeholders}`.

Names: the API documents no character set for a project's description, so any printable text in any script is
accepted as typed (`équipe-données`, `東京-開発`, `🚀 launch`). Refused are characters that do not print or that break
lines: control characters, invisible format characters (zero-width spaces, bidirectional overrides that make a name
read differently than it sorts), private-use and unassigned code points, and line or paragraph separators.

| case | input | step | left behind | message |
|---|---|---|---|---|
"""

DOC_FOOT = """
Known gap: Ansible converts a list or a mapping given as `name` to its text (`"{'a': 1}"`) before the module sees it,
so such a name is not refused here.
"""


def render_doc(cells):
    return DOC_HEAD + "".join(row(case, cells[case.id]) + "\n" for case in CASES) + DOC_FOOT


def committed_cells():
    """The message cell of each case row of the committed doc (an empty dict when there is no doc yet)."""
    cells = {}
    if os.path.exists(DOC):
        with open(DOC, encoding="utf-8") as handle:
            for line in handle:
                parts = re.split(r"(?<!\\) \| ", line.rstrip("\n")[2:-2]) if line.startswith("| `") else []
                if len(parts) == 5:
                    cells[parts[0].strip("`")] = parts[4]
    return cells


OBSERVED = {}


@pytest.fixture(scope="module", autouse=True)
def errors_doc():
    """With UPDATE_ERRORS_DOC=1: write docs/errors.md from the messages observed (cases not run keep their row)."""
    if UPDATE and os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.fail("UPDATE_ERRORS_DOC needs one process: run `make errors-doc`")
    yield
    if UPDATE:
        cells = committed_cells()
        cells.update(OBSERVED)
        with open(DOC, "w", encoding="utf-8") as handle:
            handle.write(render_doc(dict((case.id, cells.get(case.id, "(not run)")) for case in CASES)))


# -- shared runs --------------------------------------------------------------------------------------------------

class BatchRun:  # pylint: disable=too-few-public-methods
    """The results, output and journal of one shared run."""

    def __init__(self, results, output, journal):
        self.results = results
        self.output = output
        self.journal = journal


def run_batch(group):
    server = SimulatorServer(port=0).start()
    try:
        sim = Simulator(server)
        sim.config(**FAST)
        if BATCHES[group]:
            BATCHES[group](sim)
        sim.clear_journal()
        cases = dict((case.id, case.args) for case in CASES if case.group == group)
        run, results = run_module_batch(sim, cases)
        return {"results": results, "output": run.output, "journal": sim.journal()}
    finally:
        server.stop()


class SharedRuns:
    """The shared runs of a session, each made once and kept as JSON in a directory all pytest-xdist workers see.

    A worker that needs a run another worker is making makes a run nobody has started meanwhile, instead of waiting.
    """

    def __init__(self, directory):
        self.directory = directory

    def _path(self, group):
        return os.path.join(self.directory, "bad-input-%s.json" % group)

    def _make_if_free(self, group):
        """Make the run of ``group`` unless it is made or being made; True when it is there now."""
        with open(self._path(group) + ".lock", "w", encoding="utf-8") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
            if not os.path.exists(self._path(group)):
                with open(self._path(group) + ".tmp", "w", encoding="utf-8") as handle:
                    json.dump(run_batch(group), handle)
                os.rename(self._path(group) + ".tmp", self._path(group))
            return True

    def get(self, group):
        while not os.path.exists(self._path(group)) and not self._make_if_free(group):
            others = [g for g in BATCHES if g != group and not os.path.exists(self._path(g))]
            if not any(self._make_if_free(other) for other in others):
                time.sleep(0.2)
        with open(self._path(group), encoding="utf-8") as handle:
            data = json.load(handle)
        return BatchRun(data["results"], data["output"], data["journal"])


@pytest.fixture(scope="session")
def batch_run(tmp_path_factory):
    """``batch_run(group)``: the shared run of a group, made once per session (pytest-xdist workers share it)."""
    base = tmp_path_factory.getbasetemp()
    return SharedRuns(str(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)).get


def live_carts(state):
    return [c for c in state["carts"] if not c.get("expired")]


# -- the catalogue ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case, request, batch_run):
    if case.group:
        run = batch_run(case.group)
        result, output, journal, state = run.results[case.id], run.output, run.journal, None
    else:
        sim = request.getfixturevalue("sim")
        if case.setup:
            case.setup(sim)
        single = run_module(sim, **case.args)
        result, output, journal, state = single.result, single.output, sim.journal(), sim.state()
    msg = result.get("msg") or ""
    assert result.get("failed") is True, output
    for fragment in case.problem:
        assert fragment in msg, "problem %r not named: %s" % (fragment, msg)
    for fragment in case.fix:
        assert fragment in msg, "fix %r not named: %s" % (fragment, msg)
    assert observed_step(result) == case.step, result
    if case.status is not None:
        assert result["failure"]["status"] == case.status, result["failure"]
    for secret in case.secrets:
        assert secret not in output and secret not in json.dumps(result), "secret %r leaked" % secret
    check_left_behind(case, journal, state)
    message_cell = cell(mask(msg))
    if UPDATE:
        OBSERVED[case.id] = message_cell
    else:
        assert committed_cells().get(case.id) == message_cell, "docs/errors.md is out of date: run `make errors-doc`"


def check_left_behind(case, journal, state):
    writes = [e for e in journal if e["method"] in ("POST", "PUT", "DELETE")]
    described = ["%s %s -> %s" % (e["method"], e["path"], e["status"]) for e in writes]
    if case.writes == NO_CALL:
        assert journal == [], "API calls made: %s" % ["%s %s" % (e["method"], e["path"]) for e in journal]
    elif case.writes == NO_WRITE:
        assert writes == [], described
    elif case.writes == CART_DELETED:
        assert [e["path"] for e in writes if e["method"] == "POST"][0] == "/order/cart", described
        assert [e for e in writes if e["method"] == "DELETE" and e["status"] == 200], described
        assert not [e for e in writes if e["path"].endswith("/checkout")], described
        assert live_carts(state) == [] and state["orders"] == [], state["carts"]
    else:
        assert case.writes == ORDER_PLACED
        assert len([e for e in writes if e["path"].endswith("/checkout")]) == 1, described
        assert len(state["orders"]) == 1


def test_catalogue_is_complete_and_consistent():
    assert len(CASES) >= 30
    assert len(set(case.id for case in CASES)) == len(CASES)
    assert all(case.problem and case.fix for case in CASES)
    assert all(case.group in BATCHES or (case.group is None and case.writes != NO_CALL) for case in CASES)
    assert all(case.writes in (NO_CALL, NO_WRITE) for case in CASES if case.group)


@pytest.mark.skipif(UPDATE, reason="the doc is being written")
def test_errors_doc_lists_every_case():
    """docs/errors.md is the rendering of this table (each case's test checks its own message cell)."""
    with open(DOC, encoding="utf-8") as handle:
        committed = handle.read()
    cells = committed_cells()
    missing = [case.id for case in CASES if case.id not in cells]
    assert not missing, "docs/errors.md lacks %s: run `make errors-doc`" % missing
    assert committed == render_doc(cells), "docs/errors.md is out of date: run `make errors-doc`"


def test_printable_non_ascii_name_is_accepted(sim):
    """The API documents no charset for a description: printable text of any script is ordered as typed."""
    name = "Équipe données 東京 🚀"
    run = run_module(sim, name=name)
    assert run.result["changed"] is True and not run.result.get("failed"), run.output
    assert run.result["project"]["name"] == name
    assert [p["description"] for p in sim.state()["projects"]] == [name]
    assert len(sim.checkouts()) == 1
