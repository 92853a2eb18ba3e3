# Lianxi — the two commands a fresh machine needs: `make demo` and `make test`.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fastpath-off property lint serve clean schema

# durable-rules needs CPython 3.11 or 3.12 (it fails to import on 3.13): pick one.
$(PY):
	@py=$$(bash scripts/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	$$py -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

PORT ?= 8000
DEMO_ARGS ?=

# Rebuilds the demo SQLite file each time; LIANXI_DEMO_TODAY=YYYY-MM-DD fixes the build day,
# DEMO_ARGS="--no-serve" (or any `lianxi demo` option) is passed on.
demo: $(STAMP)
	$(VENV)/bin/lianxi demo --serve --port $(PORT) $(DEMO_ARGS)

# Tests run on every core (pytest-xdist; each worker has its own session databases and demo template);
# TEST_WORKERS=0 runs them in this one process. Then the API tests again with the fast path off
# (LIANXI_FASTPATH=off: strawberry's and tortoise's standard paths), which must answer alike.
TEST_WORKERS ?= auto
FASTPATH_OFF_TESTS ?= tests/api tests/intranet/test_operations.py
test: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-fastpath-off

test-fastpath-off: $(STAMP)
	LIANXI_FASTPATH=off $(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal $(FASTPATH_OFF_TESTS)

# The roster's stateful property test, long: LIANXI_PROPERTY_EXAMPLES sequences (default 2000) per database.
LIANXI_PROPERTY_EXAMPLES ?= 2000
property: $(STAMP)
	LIANXI_PROPERTY_EXAMPLES=$(LIANXI_PROPERTY_EXAMPLES) $(PY) -m pytest -q -n 0 tests/roster/test_roster_properties.py $(PYTEST_ARGS)

# ruff (lint only) and mypy (strict on rules/ and core/, less the baseline in pyproject.toml); the first step of `make test`.
lint: $(STAMP)
	$(VENV)/bin/ruff check models rules core resolvers schema server benchmarks tests
	$(VENV)/bin/mypy

serve: $(STAMP)
	$(VENV)/bin/lianxi serve

schema: $(STAMP)
	$(PY) -m schema.export

clean:
	rm -rf $(VENV) *.egg-info lianxi.db
