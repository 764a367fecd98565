# creditadmin — `make run` serves the app with its worker; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets DEBUG=0 and a SECRET_KEY itself.
export DEBUG ?= 1

.PHONY: setup run worker test test-fast lint messages clean

setup: $(VENV)/.installed
	@$(MAKE) --no-print-directory messages

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "creditadmin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

messages: $(VENV)/.installed
	@if [ -d locale ]; then \
	  command -v msgfmt >/dev/null || { echo "Installing GNU gettext (msgfmt)"; (apt-get install -y -qq gettext >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq gettext)) >/dev/null; }; \
	  $(MANAGE) compilemessages --ignore=.venv -v0; \
	fi

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
