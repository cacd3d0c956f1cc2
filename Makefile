# Convening: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Development mode is asked for explicitly; the settings default to production behaviour.
RUN_ENV := DEBUG=true

.PHONY: run test lint format bench bench-digests install install-dev migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --if-empty

run: seed
	@echo ""
	@echo "Convening is starting on http://127.0.0.1:$(PORT)/"
	@echo "Demo sign-ins (password: convening-demo-2026):"
	@echo "  lead@example.org         programme lead (and staff: may create programmes)"
	@echo "  facilitator@example.org  facilitator"
	@echo "  member@example.org       member"
	@echo "Emails (invitations, sign-in codes) are printed in this terminal."
	@echo ""
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Server time and queries of the key pages at region scale (PostgreSQL when DATABASE_URL is set;
# otherwise its own SQLite file, var/bench.sqlite3). Builds the data on first use.
bench: install-dev
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_digests.py

# A learning-digest run for 20,000 subscriptions through a real Celery worker (needs REDIS_URL;
# says so and stops without it). Uses the same database as the page benchmarks.
bench-digests: install-dev
	$(BIN)/python scripts/bench_digests.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
