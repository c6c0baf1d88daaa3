# Advanced Coach Portfolio: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portfolio
STAMP := $(VENV)/.installed

.PHONY: install run test test-browser serve worker lint bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the lock changes: second runs are quick.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run-demo --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

serve: $(STAMP)
	$(FLASK) db upgrade
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:8000 --access-logfile - wsgi:app

worker: $(STAMP)
	$(FLASK) worker

lint: $(STAMP)
	$(BIN)/ruff check portfolio tests wsgi.py
	$(BIN)/bandit -q -c pyproject.toml -r portfolio
	$(BIN)/lint-imports

# wrk drives the load from C, so the load generator does not take the server's CPU; without it
# the benchmark falls back to its Python load generator and says so. BENCH_DATABASE_URL (a
# scratch PostgreSQL database, emptied first) adds a PostgreSQL run to the SQLite one.
bench: $(STAMP)
	@command -v wrk >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null 2>&1 || echo "wrk not installed: the load part will use the Python fallback")
	@command -v zip >/dev/null || (apt-get install -y -qq zip >/dev/null 2>&1 || echo "zip not installed: the zip -0 comparison will be skipped")
	$(BIN)/python -m tests.bench.run_bench $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
