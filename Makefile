# ovhcloud.public_cloud: set-up, demo and tests. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NAME ?= demo-project
SIM_PORT ?= 8080
INSTALL_PATH ?= $(HOME)/.ansible/collections
COLLECTIONS := $(CURDIR)/build/collections
COLLECTION := $(COLLECTIONS)/ansible_collections/ovhcloud/public_cloud
PYVER = $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)

.PHONY: help venv demo-venv tools openstack-cloud collection demo-collection demo sim sim-writes install test sanity units units-ansible-test simulator-tests integration integration-slow errors-doc reliability-quick reliability core-matrix newest-core-prepare newest-core core-matrix-newest lint awx-check bench build clean

help:
	@echo "make demo [NAME=my-project]  order a project on the bundled simulator, twice (second run: changed=false)"
	@echo "make sim [SIM_PORT=8080]      the simulator in the foreground, seeded for the examples; make sim-writes: its API writes"
	@echo "make install [INSTALL_PATH=~/.ansible/collections]  build the collection's tarball and install it"
	@echo "make test                     every test: sanity, lint, AWX, unit, simulator, integration, reduced reliability matrix, oldest and newest core, build"
	@echo "make sanity | units | simulator-tests | integration | reliability-quick | build"
	@echo "make core-matrix              unit and core_matrix integration tests on the oldest ansible-core (2.16)"
	@echo "make newest-core              sanity, unit and core_matrix integration tests on ansible-core 2.21 (Python 3.13, in a"
	@echo "                              Debian 13 root built once under build/trixie; needs root); CORES=\"2.20 2.21\": both"
	@echo "make core-matrix-newest       the same on 2.20 and 2.21 (not in make test)"
	@echo "make errors-doc               regenerate docs/errors.md from the bad-input catalogue and the module's messages"
	@echo "make reliability              the full reliability matrix (about an hour), at -vvvv: table in docs/reliability.md"
	@echo "make bench                    API calls and time at fleet scale (benchmarks/results.md; not a test)"

# Two requirement sets in one virtual environment, each with its stamp: the demo set (demo-requirements.txt:
# ansible-core and ovh, all `make demo`, `make sim` and users need), and the test set on top of it (test-requirements.txt).
demo-venv: $(VENV)/.demo-installed
$(VENV)/.demo-installed: requirements.txt demo-requirements.txt
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r demo-requirements.txt
	touch $@

venv: $(VENV)/.installed
$(VENV)/.installed: $(VENV)/.demo-installed test-requirements.txt
	$(BIN)/python -m pip install --quiet -r test-requirements.txt
	touch $@

TOOLS := .venv-tools
$(TOOLS)/.installed: tools-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS)/bin/python -m pip install --quiet -r tools-requirements.txt
	touch $@
tools: $(TOOLS)/.installed

# openstack.cloud, for the tests that run its modules against the simulator's Keystone and image listing
# (test_openstack_cloud.py, test_examples.py): copied out of the tools' `ansible` package (2.6 MB), as Galaxy is not
# reachable in CI and openstack.cloud is on PyPI only inside `ansible`. Its openstacksdk is pinned in test-requirements.txt.
OPENSTACK_COLLECTIONS := $(CURDIR)/build/openstack-collections
openstack-cloud: tools
	rm -rf $(OPENSTACK_COLLECTIONS) && mkdir -p $(OPENSTACK_COLLECTIONS)/ansible_collections/openstack
	cp -r $(TOOLS)/lib/python*/site-packages/ansible_collections/openstack/cloud $(OPENSTACK_COLLECTIONS)/ansible_collections/openstack/

# The oldest supported ansible-core (2.16); the newest installable on this Python is in .venv (2.19).
OLDEST := .venv-core2.16
$(OLDEST)/.installed: tests/requirements-core2.16.txt
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -r tests/requirements-core2.16.txt
	touch $@

# ansible-test wants the collection at ansible_collections/<namespace>/<name>: lay out a copy
# of every file git knows (tracked, or untracked and not ignored). `collection` is that layout with the test set
# installed, `demo-collection` the same with only the demo set.
collection: venv demo-collection

demo-collection: demo-venv
	rm -rf $(COLLECTIONS)
	mkdir -p $(COLLECTION)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$$f" ] && echo "$$f"; done \
	    | tar -cf - -T - | tar -xf - -C $(COLLECTION); \
	else \
	  tar --exclude=./build --exclude=./.venv --exclude=./tests/output -cf - . | tar -xf - -C $(COLLECTION); \
	fi

demo: demo-collection
	$(BIN)/python tests/utils/run_demo.py --name "$(NAME)"

# The simulator in the foreground, seeded for the documented examples (tests/utils/run_sim.py), until Ctrl-C; it prints
# the OVH_* lines to paste in another shell. `make sim-writes` there: the API writes since the last time you asked.
sim: demo-collection
	$(BIN)/python tests/utils/run_sim.py --port $(SIM_PORT)

sim-writes:
	@$(PYTHON) tests/utils/run_sim.py --writes

# Build the collection's tarball and install it where Ansible looks by default (or: make install INSTALL_PATH=dir):
# what `ansible-galaxy collection install ovhcloud.public_cloud` will do once the collection is on Galaxy.
install: demo-collection
	rm -rf build/galaxy-install && mkdir -p build/galaxy-install
	cd $(COLLECTION) && $(abspath $(BIN))/ansible-galaxy collection build --force --output-path $(CURDIR)/build/galaxy-install
	ANSIBLE_COLLECTIONS_PATH="$(INSTALL_PATH)" $(BIN)/ansible-galaxy collection install --force -p "$(INSTALL_PATH)" \
	  $(CURDIR)/build/galaxy-install/ovhcloud-public_cloud-*.tar.gz
	@case "$(INSTALL_PATH)" in $(HOME)/.ansible/collections|$(HOME)/.ansible/collections/) ;; \
	  *) echo "Not a path Ansible reads by default: export ANSIBLE_COLLECTIONS_PATH=$(INSTALL_PATH)";; esac

sanity: collection
	$(BIN)/python tests/utils/install_get_pip_standin.py
	cd $(COLLECTION) && git init -q . && git add -A >/dev/null && \
	  $(CURDIR)/$(BIN)/ansible-test sanity --venv --python $(PYVER) --color no

# the unit tests under pytest, from the laid-out collection (as core-matrix runs them with the oldest core); ansible-test
# units would first build a virtual environment of its own and install tests/unit/requirements.txt in it (~30 s)
units: collection
	cd $(COLLECTION) && PYTHONPATH=$(COLLECTIONS) $(CURDIR)/$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

units-ansible-test: collection
	$(BIN)/python tests/utils/install_get_pip_standin.py
	cd $(COLLECTION) && git init -q . && git add -A >/dev/null && \
	  $(CURDIR)/$(BIN)/ansible-test units --venv --python $(PYVER) --requirements --color no

simulator-tests: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/simulator/tests

# six workers on two cores: a run spends about half its time waiting (the race guard's settle, order delivery); about
# 7 minutes (8.5 with four workers)
integration: collection openstack-cloud
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 6 --durations=15 -m "not slow" tests/integration

# the integration tests left out of make test for CI time (marker slow: their behaviour is covered there in another shape)
integration-slow: collection openstack-cloud
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 4 -m slow tests/integration

# The reliability suite (docs/reliability.md): the reduced matrix, row by row under pytest (its table in
# tests/output/reliability-quick.md); and the full matrix, whose table goes to docs/reliability.md (not in `make test`).
reliability-quick: collection
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability; status=$$?; \
	  cat tests/output/reliability-quick.md 2>/dev/null; exit $$status

reliability: collection
	$(BIN)/python -m tests.reliability --full --vvvv-all

# unit and integration tests again with the oldest supported ansible-core
# docs/errors.md is rendered from tests/integration/test_bad_input.py and the messages really given (one process)
errors-doc: collection
	UPDATE_ERRORS_DOC=1 $(BIN)/python -m pytest -q -p no:cacheprovider -p no:xdist tests/integration/test_bad_input.py

# unit tests, and the integration tests marked core_matrix (what depends on ansible-core: argument specs, check and
# diff modes, module_defaults, the role's templating, no_log, ansible-runner), again with the oldest supported
# ansible-core. The API protocol tests (races, kills, recovery, faults, the bad-input catalogue, whose docs/errors.md
# holds the newest core's argument-check messages) run once, in `make integration`.
core-matrix: collection openstack-cloud $(OLDEST)/.installed
	$(OLDEST)/bin/python -c "import ansible.release; print(\"ansible-core\", ansible.release.__version__)"
	cd $(COLLECTION) && PYTHONPATH=$(COLLECTIONS) $(CURDIR)/$(OLDEST)/bin/python -m pytest -q -p no:cacheprovider tests/unit
	$(OLDEST)/bin/python -m pytest -q -p no:cacheprovider -n 6 -m core_matrix tests/integration

# The newest ansible-core releases need Python 3.12+: tests/utils/newest_core.sh builds a Debian 13 root (Python 3.13)
# once under build/trixie, a virtual environment per core inside it (tests/requirements-core<CORE>.txt), and runs there
# ansible-test sanity, the unit tests and the integration tests marked core_matrix. Needs root, Debian's registry, PyPI.
CORES ?= 2.21
NEWEST_CORE := tests/utils/newest_core.sh
newest-core-prepare:
	$(NEWEST_CORE) --prepare $(CORES)

newest-core: collection openstack-cloud
	$(NEWEST_CORE) $(CORES)

core-matrix-newest: collection openstack-cloud
	$(NEWEST_CORE) 2.20 2.21

# The tools' own `ansible` package holds about a hundred collections: dumping all their docs took the docs linter five
# minutes, and this collection refers only to itself and ansible.builtin, so they are hidden from it.
lint: collection tools
	cd $(COLLECTION) && PATH=$(CURDIR)/$(TOOLS)/bin:$$PATH $(CURDIR)/$(TOOLS)/bin/ansible-lint --profile production roles/ playbooks/
	cd $(COLLECTION) && PATH=$(CURDIR)/$(TOOLS)/bin:$$PATH $(CURDIR)/$(TOOLS)/bin/antsibull-changelog lint
	cd $(COLLECTION) && PATH=$(CURDIR)/$(TOOLS)/bin:$$PATH ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
	  $(CURDIR)/$(TOOLS)/bin/antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs=all .
	rm -rf build/docs && mkdir -p build/docs
	PATH=$(CURDIR)/$(TOOLS)/bin:$$PATH $(TOOLS)/bin/antsibull-docs collection --use-current --dest-dir build/docs ovhcloud.public_cloud
	test -s build/docs/collections/ovhcloud/public_cloud/public_cloud_project_module.rst
	test -s build/docs/collections/ovhcloud/public_cloud/public_cloud_project_role.rst

# AWX credential type and playbook, and the execution environment definition (offline: no controller, no engine)
awx-check: collection tools
	cd $(COLLECTION) && $(CURDIR)/$(TOOLS)/bin/python tests/utils/check_awx.py credential-type playbook ee

# numbers, not a pass/fail test (not in `make test`): API calls and time of a no-op task (1 to 1,000 projects), of the
# role's no-op run against one debug task per host (10 to 1,000 hosts), and of one order, with 50 ms per API call;
# prints the tables and writes benchmarks/results.md (about 15 minutes on 2 cores)
bench: collection
	$(BIN)/python benchmarks/bench.py

build: collection
	rm -rf build/galaxy && mkdir -p build/galaxy/install
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-galaxy collection build --force --output-path $(CURDIR)/build/galaxy
	$(BIN)/ansible-galaxy collection install --force -p $(CURDIR)/build/galaxy/install $(CURDIR)/build/galaxy/ovhcloud-public_cloud-*.tar.gz
	test -f build/galaxy/install/ansible_collections/ovhcloud/public_cloud/plugins/modules/public_cloud_project.py
	test ! -e build/galaxy/install/ansible_collections/ovhcloud/public_cloud/tests/output

# the three virtual environments and the newest core's Debian 13 root and venv install at once (mostly downloads), then
# the suites run one after the other
test:
	$(MAKE) -j3 venv tools $(OLDEST)/.installed newest-core-prepare
	$(MAKE) sanity lint awx-check units simulator-tests integration reliability-quick core-matrix newest-core build
	@echo "all test suites passed"

clean:
	rm -rf build $(VENV) $(TOOLS) $(OLDEST) tests/output
