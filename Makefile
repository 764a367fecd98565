# creditadmin — `make run` serves the app with its worker; `make test` runs the suite;
# `make serve` runs the production set-up (gunicorn, DEBUG=0) on this machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets DEBUG=0 and a SECRET_KEY itself.
export DEBUG ?= 1

.PHONY: setup run serve load worker test test-fast lint messages translations lock clean

setup: $(VENV)/.installed .secret_key
	@$(MAKE) --no-print-directory messages

# requirements.lock pins what production runs, requirements-dev.lock that plus the test and lint
# tools; both come from pyproject.toml through `make lock`, with the hash of every file, and
# pip refuses anything that does not match. pip itself is left as the venv brings it: an
# unpinned upgrade would be the one download without a hash check.
$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "creditadmin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

# After changing the dependencies in pyproject.toml (or to upgrade one:
# make lock PIP_COMPILE_ARGS="--upgrade-package django"). The development lock is compiled
# under the runtime one, so both name the same version of every package they share.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/pip-tools/bin/pip-compile --quiet \
	--generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS)
lock:
	@test -x $(VENV)/pip-tools/bin/pip-compile || { $(PYTHON) -m venv $(VENV)/pip-tools && \
	  $(VENV)/pip-tools/bin/python -m pip install --quiet pip-tools==7.6.2; }
	$(PIP_COMPILE) --output-file=requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements.lock --output-file=requirements-dev.lock pyproject.toml

# The es / pt_BR catalogues (locale/*/LC_MESSAGES/*.po) are committed; their .mo files are
# compiled here, at set-up (so by `make test` and `make run` too), never committed.
messages: $(VENV)/.installed
	@if [ -d locale ]; then \
	  command -v msgfmt >/dev/null || { echo "Installing GNU gettext (msgfmt)"; (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)) >/dev/null || echo "Could not install gettext: run apt-get install gettext as root" >&2; }; \
	  $(MANAGE) compilemessages --ignore=.venv --ignore=media --ignore=staticfiles -v0; \
	fi

# After adding or changing user-facing text: add the new strings to the catalogues, then
# translate them (tests/i18n fails while an entry is missing, empty or fuzzy).
translations: $(VENV)/.installed
	$(MANAGE) makemessages -l es -l pt_BR --no-obsolete --add-location=file --ignore=.venv --ignore=tests \
	  --ignore=media --ignore=staticfiles --ignore=node_modules --ignore='static/vendor/*'

run: setup
	$(MANAGE) migrate --noinput -v0
	@$(MANAGE) seed_demo --url http://$(HOST):$(PORT)
	@echo "Serving http://$(HOST):$(PORT) with the background worker (Ctrl+C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --interval 0.5 & \
	$(MANAGE) runserver $(HOST):$(PORT)

# The production set-up on this machine, over plain http: DEBUG=0, gunicorn and the worker
# (deploy/serve). Settings come from the environment; the local defaults below stand in for
# what it leaves out: local host names and HTTPS=0 (no redirect to https, cookies not marked
# Secure). The SECRET_KEY, unless the environment sets one, is .secret_key (see setup).
serve: setup
	@echo "Serving http://$(HOST):$(PORT) as in production: DEBUG=0, gunicorn and the worker (Ctrl+C stops both)"
	@echo "  No login yet? .venv/bin/python manage.py createsuperuser (same DATABASE_URL),"
	@echo "  or make run once on an empty database for the demo users."
	@HTTPS="$${HTTPS:-0}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}" BIND="$(HOST):$(PORT)" \
	  exec deploy/serve

# The API under load through `make serve`, then the server stops: 50 clients for 60 s at
# LOAD_RATE requests/s (0: flat out). Point DATABASE_URL at a database that may hold the
# run's accounts (load-0001, …), e.g. postgres://…/creditadmin_load. README, "Load".
LOAD_RATE ?= 100
LOAD_ARGS ?=
load: setup
	@PORT=$(PORT) deploy/with-serve \
	  $(MANAGE) load_api --url http://127.0.0.1:$(PORT) --rate $(LOAD_RATE) $(LOAD_ARGS)

# A SECRET_KEY generated once for this machine (git-ignored), which settings.py reads when the
# environment sets none: `make run`, `make serve` and manage.py commands share it, so the
# README's commands work on a fresh clone.
.secret_key:
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

worker: setup
	$(MANAGE) db_worker

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
