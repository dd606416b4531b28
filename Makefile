# The two commands of the README: `make run` and `make test`. Both start from nothing.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test install install-dev migrate demo bench-provision clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate_schemas --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) scripts/run_all.py

test: install-dev
	@$(PY) scripts/ensure_chromium.py
	$(PY) -m pytest

bench-provision: install-dev
	$(PY) bench/provision.py --tenants 50

clean:
	rm -rf $(VENV) .data .pytest_cache
