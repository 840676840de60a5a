# Hegui: `make run` serves the portal on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# A folder of official texts to import on `make run` (see README); empty: catalogue only.
REGULATIONS_DIR ?=

.PHONY: run test install migrate content lint lock clean bench loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/lock.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed
	$(BIN)/python manage.py compile_translations

migrate: install
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py load_catalogue
ifneq ($(strip $(REGULATIONS_DIR)),)
	$(BIN)/python manage.py import_regulation $(REGULATIONS_DIR)
endif
	$(BIN)/python manage.py load_questionnaire
	$(BIN)/python manage.py seed_demo

run: content
	@echo "Serving Hegui on http://$(HOST):$(PORT) (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A bounded load test on loopback (PostgreSQL at LOADTEST_PG, a private redis-server, gunicorn,
# a Celery worker, locust: 50 users for 60 s); ends with one line of figures. See README.
loadtest: install
	bash loadtest/run.sh

# Each page's requests/s, p50 and p95 under wrk, and its ratio to a bare Django page measured in
# the same run (scratch PostgreSQL at LOADTEST_PG, a private redis-server, gunicorn with
# production settings on loopback); one line per page. See README.
.PHONY: bench-http
bench-http: install
	bash bench/http.sh

lint: install
	$(BIN)/ruff check .

# Regenerate the pinned lock after changing pyproject.toml dependencies.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude hegui > requirements/lock.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules staticfiles
