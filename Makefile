# creditadmin — `make run` serves the app with its worker; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets DEBUG=0 and a SECRET_KEY itself.
export DEBUG ?= 1

.PHONY: setup run worker test test-fast lint messages translations clean

setup: $(VENV)/.installed
	@$(MAKE) --no-print-directory messages

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "creditadmin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

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
	@$(MANAGE) seed_demo
	@echo "Serving http://$(HOST):$(PORT) with the background worker (Ctrl+C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --interval 0.5 & \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: setup
	$(MANAGE) db_worker

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
