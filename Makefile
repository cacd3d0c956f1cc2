# Convening: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in emails follow the port `make run` serves on, unless SITE_URL is given: in the
# environment, on the command line, or in .env (which settings.py reads).
RUN_SITE_URL := $(if $(SITE_URL),,$(if $(shell grep -sE '^[[:space:]]*(export[[:space:]]+)?SITE_URL=' .env),,http://127.0.0.1:$(PORT)))
# Development mode is asked for explicitly; the settings default to production behaviour.
RUN_ENV := DEBUG=true$(if $(RUN_SITE_URL), SITE_URL=$(RUN_SITE_URL))
# Both cores; TEST_WORKERS=0 runs the suite in this one process. PYTEST_ARGS are passed on.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest $(if $(filter-out 0,$(TEST_WORKERS)),--numprocesses=$(TEST_WORKERS) --dist=loadgroup)
# Only what the lock files name, each file checked against its hash.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes
# The project is not built or installed: it runs from this folder, as in the Docker image. This
# .pth file puts the folder on the virtualenv's path (for celery and scripts run from elsewhere).
ADD_PROJECT_TO_PATH := $(BIN)/python -c 'import pathlib, sys, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "convening-project.pth").write_text(sys.argv[1] + "\n")' "$(CURDIR)"
# Only for `make lock`: exactly the uv of requirements/tools.txt.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"

SECRET_KEY_FOR_CHECKS := check-only-secret-key-never-used-to-serve-0123456789abcdefghij

.PHONY: run test test-fast lint check-migrations format bench bench-digests install install-dev \
	lock lock-upgrade migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: install again only when a lock file changes. The dev lock holds the runtime
# lock's exact versions, so `make test` beside a running `make run` only adds the test tools
# and never rewrites a file the server has loaded (its autoreloader would restart it).
$(VENV)/.runtime-installed: requirements/runtime.txt | $(BIN)/python
	$(PIP_INSTALL) --requirement requirements/runtime.txt
	$(ADD_PROJECT_TO_PATH)
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(PIP_INSTALL) --requirement requirements/dev.txt
	$(ADD_PROJECT_TO_PATH)
	touch $@

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

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
	$(PYTEST) $(PYTEST_ARGS)

# Everything but the browser tests: a few minutes instead of the whole suite's time.
test-fast: install-dev
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Fails when a model change has no migration. With DEBUG off, as in production.
check-migrations: install
	SECRET_KEY=$(SECRET_KEY_FOR_CHECKS) $(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing the dependencies in pyproject.toml: lock them again, changing no other version.
lock: $(BIN)/python
	$(PIP_INSTALL) --requirement requirements/tools.txt
	$(BIN)/uv pip compile requirements/tools.in --quiet --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --output-file requirements/tools.txt
	$(UV_COMPILE) $(LOCK_ARGS) --extra dev --output-file requirements/dev.txt
	$(UV_COMPILE) $(LOCK_ARGS) --constraint requirements/dev.txt --output-file requirements/runtime.txt

# Every dependency to its newest version that pyproject.toml allows (then run `make test`).
lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

# Server time and queries of the key pages at region scale (PostgreSQL when DATABASE_URL is set;
# otherwise its own SQLite file, var/bench.sqlite3). Builds the data on first use.
bench: install-dev
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_digests.py
	$(BIN)/python scripts/bench_archive.py

# A learning-digest run for 20,000 subscriptions through a real Celery worker (needs REDIS_URL;
# says so and stops without it). Uses the same database as the page benchmarks.
bench-digests: install-dev
	$(BIN)/python scripts/bench_digests.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
