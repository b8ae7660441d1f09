# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench load lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# A demo machine may run without NTM_SECRET_KEY: it keeps a generated key in the data folder.
demo: export NTM_DEMO = 1
demo: $(STAMP)
	$(BIN)/ntm migrate --no-input
	$(BIN)/ntm demo
	$(BIN)/ntm serve

# mypy's django-stubs plugin imports the settings: give it a throwaway key and data folder.
lint: $(STAMP)
	$(BIN)/ruff format --check src tests
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	tmp=$$(mktemp -d) && NTM_SECRET_KEY=mypy NTM_DATA_DIR=$$tmp $(BIN)/mypy; \
	rc=$$?; rm -rf "$$tmp"; exit $$rc

test: lint
	$(BIN)/python -m tests.run_suite

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Locust against a throwaway PostgreSQL cluster on loopback (load/run.py); not part of `make test`.
LOAD_SECONDS ?= 60
LOAD_USERS ?= 100
load: $(STAMP)
	$(BIN)/python -m load.run --seconds $(LOAD_SECONDS) --users $(LOAD_USERS)

clean:
	rm -rf $(VENV) var/test-*
