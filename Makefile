# Kreativorte im Grünen – the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format check clean backup restore load faults bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e ".[test]"
	touch $@

# SITE_URL: the address in links, the sitemap, the API and e-mails (cms/settings/base.py).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py set_site_address
	$(PY) manage.py create_demo_admin
	@echo "Die Website läuft auf http://$(HOST):$(PORT)/ – beenden mit Strg+C."
	$(PY) manage.py runserver $(HOST):$(PORT)

# On PostgreSQL when DATABASE_URL is set, else on SQLite. TEST_WORKERS parallel processes
# (pytest-xdist, one test database each; a file stays on one process); TEST_WORKERS=0 runs
# everything in this process.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test
	bash scripts/ensure-chromium.sh
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

# Benchmark suite (docs/performance.md); on PostgreSQL when DATABASE_URL is set. Quick smoke
# run: make bench BENCH_SIZES=1000 BENCH_DURATION=5. Installs wrk (apt, as root) and gunicorn.
BENCH_SIZES ?= 1000,10000
BENCH_DURATION ?= 10
bench: $(VENV)/.installed
	$(PY) -c "import gunicorn" 2>/dev/null || $(PIP) install gunicorn
	BENCH_SIZES=$(BENCH_SIZES) BENCH_DURATION=$(BENCH_DURATION) $(PY) bench/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Backups of the database (pg_dump or SQLite copy), media and applicants' photos into
# BACKUP_DIR (default backups/); `make restore BACKUP=backups/kreativorte-…` plays one back.
BACKUP_DIR ?= backups
backup: $(VENV)/.installed
	$(PY) manage.py backup --output $(BACKUP_DIR)

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" || { echo "Bitte angeben: make restore BACKUP=backups/kreativorte-…"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" $(if $(YES),--yes)

# Load (200 connections, 60 s per URL) and faults (PostgreSQL/Redis stopped under load) on a
# private stack; results in bench/results/ and docs/reliability.md.
load: $(VENV)/.installed
	$(PY) bench/load.py $(LOAD_ARGS)

faults: $(VENV)/.installed
	$(PY) bench/faults.py $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
