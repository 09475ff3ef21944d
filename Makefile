# `make run`: set up, fill the embedded warehouse with demo data if it is empty, start the app.
# `make test`: set up, lint (style, layers, types), run every test (PostgreSQL tests skip locally without a server; in CI they must run).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
SCALE ?= 50000
BENCH_SCALES ?= 100000,1000000

.PHONY: install run test lint format bench backtest screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m etl.kernels.warm
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/receivables demo --if-empty --scale $(SCALE)
	$(BIN)/receivables serve --port $(PORT)

# ruff for style, import-linter for the layers (pyproject's [tool.importlinter]), mypy for the types.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n auto --durations=15

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m benchmarks.run --scales $(BENCH_SCALES)

# The cash-in forecast against what came in, at every month-end of the demo history (docs/forecast.md).
backtest: install
	$(BIN)/python -m benchmarks.backtest

screenshots: install
	$(BIN)/receivables demo --if-empty --scale $(SCALE)
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) data demo_source .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
