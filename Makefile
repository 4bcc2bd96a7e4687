# OMPAY — the two commands that matter: `make run` and `make test`.
# Each sets itself up on a fresh machine (virtualenv, dependencies, Postgres and Redis —
# embedded ones when none answers — and migrations).

# The first interpreter that really runs and is 3.11+ (pyenv shims may exist but fail).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $$p && break; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?= -n 2
STACK  := $(BIN)/python -m ompay.devstack
CHROMIUM ?= /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install chromium lint format worker migrate seed bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "OMPAY needs Python 3.11 or newer on PATH"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install  ## Serve the API and a worker (with the scheduler) until Ctrl-C
	$(STACK) run

chromium:  ## Debian's Chromium for the browser test of the payment page (installed when missing)
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; } || \
		echo "[make] could not install $(CHROMIUM): the browser test will be skipped"

test: install chromium  ## The whole test suite against real Postgres and Redis
	$(STACK) exec --app-env test --database ompay_test -- $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(STACK) exec -- $(BIN)/ompay workers run

migrate: install
	$(STACK) exec -- $(BIN)/ompay database upgrade --no-prompt

seed: install
	$(STACK) exec -- $(BIN)/ompay db-seed

bench: install  ## Benchmarks (see bench/README.md)
	$(STACK) exec --database ompay_bench -- $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache
