# The two commands a newcomer needs: `make run` and `make test`. Each sets up what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test test-fast lint format check bench soak css clean

help:
	@echo "make install  production: .venv with the site's dependencies only (no test tools)"
	@echo "make run    set up .venv, migrate, seed EMPAC content, serve http://$(HOST):$(PORT)"
	@echo "make test   set up .venv with test tools and run the whole suite"
	@echo "make lint   ruff check and format check"
	@echo "make format ruff fix and format"
	@echo "make css    rebuild static/css/site.css from static/scss (needs npm)"
	@echo "make bench  benchmark the site under gunicorn with wrk (writes docs/benchmarks.md)"
	@echo "make soak   fault script: 60 s of load while PostgreSQL and mail stall (bench/soak.py)"

# The venv is rebuilt when pyproject.toml changes; the stamp records what was installed.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[test,dev]'
	@touch $@

# Production: the dependencies in pyproject.toml and nothing else; the code runs from here.
install:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet .

# The task worker runs beside the development server (emails go through it) and stops with it.
run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_empac
	$(MANAGE) ensure_dev_curator --url http://$(HOST):$(PORT)/admin/
	@$(MANAGE) db_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

# npm test tools (the Nu HTML Checker in vnu-jar), reinstalled when the lock file changes.
# Without npm the HTML validity test skips, so this step does too.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: skipping node_modules (HTML validation will be skipped)"; fi

test: $(VENV)/.installed node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A separate database (SQLite under /tmp, or empac_bench beside DATABASE_URL) with 10,000
# demo reports, gunicorn with 2 sync workers and DEBUG off, wrk at 16 connections.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { echo "make bench needs wrk (Debian package wrk)"; exit 1; }
	$(PY) -m bench.run $(BENCH_ARGS)

# Not part of `make test`: about two minutes, and it wants a quiet machine.
soak: $(VENV)/.installed
	$(PY) bench/soak.py $(SOAK_ARGS)

check: $(VENV)/.installed
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# Rebuild static/css/site.css from static/scss (GOV.UK Frontend + our brand); needs npm.
css:
	npm ci --no-audit --no-fund
	npm run build:css

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .test-media
