# The two commands of the README: `make run` and `make test`. Both start from nothing.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: run test install install-dev lock migrate demo bench-provision clean citus-up citus-down

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The lock files pin the versions CI tested; `make lock` remakes them from requirements*.txt.
$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(PY)
	$(PIP) install --quiet -r requirements-dev.lock
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# pip-tools runs from a throw-away virtualenv, never from .venv. Pins already in a lock are
# kept while they still satisfy requirements*.txt, the dev lock agrees with the runtime one,
# and `make lock UPGRADE=1` takes the newest versions instead.
LOCK_VENV := $(or $(TMPDIR),/tmp)/mizban-pip-tools
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools; }
	$(PIP_COMPILE) --output-file=requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint=requirements.lock --output-file=requirements-dev.lock requirements-dev.txt

migrate: install
	$(PY) manage.py migrate_tenants

demo: migrate
	$(PY) manage.py seed_demo

# `make run PORT=9000`: the server's port, and the port in the links the demo prints.
run: export PORT := $(PORT)
run: export PLATFORM_PORT ?= $(PORT)
run: demo
	$(PY) scripts/run_all.py

# lint-imports first: an import against the layers (.importlinter) fails before any test runs.
test: install-dev
	@$(PY) scripts/ensure_chromium.py
	$(VENV)/bin/lint-imports
	$(PY) -m pytest
	@if $(PY) scripts/citus.py status -q; then \
		echo "The Citus cluster is up: the modules marked citus again, on its coordinator"; \
		DATABASE_URL=$$($(PY) scripts/citus.py url --database mizban_test) DATABASE_CITUS=1 \
			$(PY) -m pytest -m citus; \
	else echo "No Citus cluster (make citus-up): the citus-marked modules ran on PostgreSQL only"; fi

# A local Citus cluster (a coordinator and two workers on CITUS_PORT, 9700, and the next two),
# built from ../shared/vendor/citus the first time (scripts/citus.py; README, "Citus").
citus-up: install
	$(PY) scripts/citus.py up

citus-down: install
	$(PY) scripts/citus.py down

bench-provision: install-dev
	$(PY) bench/provision.py --tenants 50

# The embedded PostgreSQL and Redis stay up between commands; stop them before removing .data.
clean:
	-@test ! -x $(PY) || $(PY) -c "from mizban import embedded; embedded.stop_postgres()"
	-@test ! -f .data/redis/redis.pid || kill $$(cat .data/redis/redis.pid) 2>/dev/null
	rm -rf $(VENV) .data .pytest_cache
