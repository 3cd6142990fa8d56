# Two commands: `make run` (demo on http://127.0.0.1:8000) and `make test` (the whole suite).
# Both create .venv with Python >= 3.11 when it is missing and install the pinned
# dependencies from requirements-dev.lock (every file checked against its sha256 in the lock,
# pip --require-hashes); the install is skipped while the lock is unchanged.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCKS := requirements.lock requirements-dev.lock
PYTEST_ARGS ?=
# Test processes (pytest-xdist); each gets its own test database, Celery queue and browser.
# TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2
BENCH_N ?= 200
# make bench SCALE=full (10,000 plans) or SCALE=0.1: the province-scale benchmark (bench/province.py)
SCALE ?=

# The first interpreter found that is Python 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: run test bench lint format migrations-check graph lock install clean-venv security restore-drill

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11 or newer is required (python3.11+ not found on PATH)." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(LOCKS) pyproject.toml | $(PY)
	@echo "Installing the pinned dependencies (requirements-dev.lock) into $(VENV)"
	@set -o pipefail; $(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock 2>&1 \
		| { grep -v '^WARNING: Location .* is ignored' || true; }
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) scripts/run.py

test: $(STAMP)
	@set +e; $(PY) -m pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS)) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating this as a failure." >&2; exit 1; fi; \
	exit $$rc

bench: $(STAMP)
ifeq ($(SCALE),)
	@for f in bench/bench_*.py; do echo "== $$f"; BENCH_N=$(BENCH_N) $(PY) $$f || exit 1; done
else
	$(PY) bench/province.py --scale $(if $(filter full,$(SCALE)),1,$(SCALE))
endif

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# bandit over the apps and pip-audit where an advisory database answers (scripts/supply_chain.sh).
security: $(STAMP)
	scripts/supply_chain.sh

# Back up, drop and restore a throw-away copy of the demo on PostgreSQL (DATABASE_URL, default
# the local sxtic role on 127.0.0.1:5432) and compare row counts and stored files.
restore-drill: $(STAMP)
	deploy/restore_drill.sh

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# The state graph of Application (needs the graphviz `dot` program: apt install graphviz).
graph: $(STAMP)
	mkdir -p docs
	$(PY) manage.py graph_transitions -o docs/application-states.svg applications.Application
	mv docs/application-states docs/application-states.dot   # the graphviz source it wrote

# Regenerate the lock files (pins with sha256 hashes from PyPI) from the installed venv
# after changing pyproject.toml.
lock:
	$(PY) scripts/lock.py

clean-venv:
	rm -rf $(VENV)
