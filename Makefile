# Tell It Once: the two quick-start commands (`make demo`, `make test`) and their parts.
# Everything installs from the registries through this file; nothing is assumed on the machine
# beyond Python 3.11, Node/npm and Debian's package tools.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/tellonce
CHILDREN ?= 30000
SEED ?= 2026

.PHONY: demo test setup assets db serve test-sqlite test-postgres restore-drill lint bench load chromium clean

demo: setup db serve

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# GOV.UK Frontend's built CSS, JS and assets, copied where whitenoise serves them. The CSS
# refers to /assets/...; rewrite that to our static prefix.
assets: node_modules/.installed
	rm -rf tellonce/static/govuk && mkdir -p tellonce/static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js tellonce/static/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets tellonce/static/govuk/assets
	sed 's#url(/assets/#url(/static/govuk/assets/#g' \
	  node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css > tellonce/static/govuk/govuk-frontend.min.css

# Creates the SQLite database and, the first time, the synthetic local area.
db: setup
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py generate_area --seed $(SEED) --children $(CHILDREN) --if-empty

serve:
	@echo "Tell It Once demo: http://127.0.0.1:8000  (demo accounts: see README.md)"
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's chromium for the browser tests; never a downloaded browser.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# The whole suite: lint and types, then SQLite, then PostgreSQL, then the restore drill.
test: setup chromium lint test-sqlite test-postgres restore-drill

# ruff, mypy, and the dependency rules of docs/design.md (import contracts in pyproject.toml).
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy tellonce
	$(VENV)/bin/lint-imports

test-sqlite:
	DATABASE_URL= $(PY) scripts/run_pytest.py

# PostgreSQL runs when DATABASE_URL points at it or the local server answers; in CI always.
# The URL is a superuser's: the suite makes the owner and application roles from it and
# runs as the application role (scripts/run_pytest.py).
test-postgres:
	$(PY) scripts/run_pytest.py --postgres "$(or $(DATABASE_URL),$(PG_URL))"

# Back up a small area, restore it into a fresh database, verify_audit, counts match
# (docs/deploying.md): SQLite's online backup, then pg_dump/pg_restore where PostgreSQL runs.
restore-drill:
	DATABASE_URL= $(PY) scripts/restore_drill.py
	$(PY) scripts/restore_drill.py --postgres "$(or $(DATABASE_URL),$(PG_URL))"

bench: setup
	$(PY) manage.py bench

# The load test against gunicorn and PostgreSQL (scripts/load.sh): a benchmark, not in CI.
load: setup
	scripts/load.sh

clean:
	rm -rf $(VENV) node_modules tellonce/static/govuk db.sqlite3
