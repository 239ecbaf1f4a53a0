# make run  — set everything up and start Cunqi at http://127.0.0.1:8000 (SQLite, demo data)
# make test — set everything up and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CUNQI := $(BIN)/cunqi
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint format messages static clean deploy-check

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Cunqi needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

messages: $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --directory src/cunqi/locale --statistics 2>&1 | grep -v "^$$" || true

setup: $(VENV)/.installed messages

static: setup
	$(CUNQI) collectstatic --noinput --verbosity 0

run: setup static
	$(CUNQI) migrate --noinput
	$(CUNQI) demo --if-empty
	$(CUNQI) demo_accounts
	@echo "Cunqi: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server, the task worker and the scheduler)"
	@# The demo accounts sign in without a second factor unless CUNQI_TOTP_ROLES is set.
	@# supervisord restarts the web server, the worker or the scheduler should one die.
	@export CUNQI_TOTP_ROLES="$${CUNQI_TOTP_ROLES-}" BIN="$(abspath $(BIN))" HOST=$(HOST) PORT=$(PORT) \
	  CUNQI_VAR_DIR="$$(realpath -m "$${CUNQI_VAR_DIR:-var}")"; \
	  exec $(BIN)/supervisord -c deploy/supervisord.conf

# The browser journeys (tests/e2e) share one running platform, so they run in a process of
# their own; they are skipped where Debian's chromium is missing (.ci/run installs it).
test: setup
	$(BIN)/pytest -n auto --ignore=tests/e2e $(PYTEST_ARGS)
	$(BIN)/pytest -p no:xdist tests/e2e $(PYTEST_ARGS)

# Django's deployment checks against the settings a production deployment sets (see
# docs/deploy.md); any warning fails.
deploy-check: setup
	CUNQI_DEBUG=0 CUNQI_HTTPS=1 CUNQI_TRUSTED_PROXIES=1 CUNQI_ALLOWED_HOSTS=cunqi.example.gov.cn \
	  CUNQI_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(CUNQI) check --deploy --fail-level WARNING

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# Refresh the message catalogues from the sources (needs GNU gettext's xgettext).
makemessages: setup
	cd src/cunqi && ../../$(CUNQI) makemessages --locale zh_Hans --locale en --no-obsolete \
	  --ignore 'static/*'

clean:
	rm -rf $(VENV) var/static
