# The two quickstart commands: `make run` (the pipeline on the local target) and `make test` (lint, then tests).
# Each sets up the virtual environment first when it is missing or older than pyproject.toml: `make run`
# with what running and searching need, `make test` (and `make setup`) with the development tools too.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint setup

setup: $(VENV)/.installed

# The project with the search extras: every command of the README's tour. pip compiles the modules of a
# regular install, not those of an editable one: compiled here, they are not compiled again by every
# command where PYTHONDONTWRITEBYTECODE is set (a fifth of a run that finds nothing new).
$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[search]'
	$(BIN)/python -m compileall -q -x '/\.' .
	touch $@

# The development tools on top: pytest, pyspark (the test oracle), the linters and type checker.
$(VENV)/.installed: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.runtime
	$(BIN)/lakehouse run

test: lint
	$(BIN)/python -m pytest

# The hooks of .pre-commit-config.yaml over every file, with the tools of the virtual environment.
lint: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files
