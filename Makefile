# One task runner for the README and .ci/run.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint bench clean

$(BIN)/mamori: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# pycanon pins numpy/typer exactly; its real needs come with the dev extra above.
	$(BIN)/pip install --quiet --no-deps 'pycanon>=1.3.6'
	@touch $(BIN)/mamori

setup: $(BIN)/mamori

## The main job on the embedded defaults (SQLite + DuckDB, synthetic data).
demo: setup
	$(BIN)/mamori demo --no-serve

## The whole test suite (starts its own PostgreSQL server).
test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) mamori-data .pytest_cache
