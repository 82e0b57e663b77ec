# CRM Bridge: two commands on a fresh machine.
#   make demo   set everything up and run the product with a local Salesforce emulator
#   make test   set everything up (also Debian's chromium for the browser tests) and run the
#               whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/crmbridge
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
# The browser tests drive Debian's chromium (Playwright's own browser downloads are not used).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup demo test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

.env: .env.example | $(VENV)/.installed
	$(BIN)/python scripts/make_env.py

setup: $(VENV)/.installed .env
	@mkdir -p var

$(CHROMIUM):
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

demo: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/python manage.py run_demo

# The whole suite on SQLite + the ORM broker; with CI=true a second pass runs it on
# PostgreSQL + the Redis broker, so behaviour that only SQLite allows cannot hide.
test: setup $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -m "not postgres and not redis"
	@if [ "$$CI" = "true" ]; then \
		echo "== second pass: PostgreSQL + Redis =="; \
		DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/pytest -n 2; \
	fi

# Benchmark (not a test): its own database, emulator, task cluster and web server (the ORM
# broker on that database); results go into docs/benchmarks.md.
bench: setup
	rm -f var/bench.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 $(BIN)/python manage.py migrate -v 0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 REDIS_URL= $(BIN)/python manage.py salesforce_bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var
