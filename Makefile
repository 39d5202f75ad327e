# Vidare – the two commands a new machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-dev serve lint typecheck bench messages clean help

help:
	@echo "make demo   - install, migrate SQLite under var/, load the demo municipality, serve on http://$(HOST):$(PORT)"
	@echo "make test   - the whole test suite (SQLite, PostgreSQL, Chromium)"
	@echo "make bench  - benchmarks (figures in docs/performance.md)"
	@echo "make lint   - ruff and mypy"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Vidare needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): $(VENV)/bin/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(RUNTIME_STAMP)
install-dev: $(DEV_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/vidare migrate --noinput
	$(BIN)/vidare demo
	$(BIN)/vidare serve --host $(HOST) --port $(PORT)

serve: $(RUNTIME_STAMP)
	$(BIN)/vidare serve --host $(HOST) --port $(PORT)

test: $(DEV_STAMP)
	./scripts/run-tests

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/mypy

bench: $(DEV_STAMP)
	@if ls bench/*.py >/dev/null 2>&1; then for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done; \
	else echo "No benchmarks yet (they arrive with matching, scheduling and statistics)."; fi

messages: $(DEV_STAMP)
	cd src/vidare && ../../$(BIN)/vidare makemessages -l sv --no-obsolete --add-location file && ../../$(BIN)/vidare compilemessages -l sv

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
