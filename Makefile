# The two quickstart commands: `make run` (the pipeline on the local target) and `make test` (lint, then tests).
# Each sets up the virtual environment first when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint setup

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m runner run

test: lint
	$(BIN)/python -m pytest

# The hooks of .pre-commit-config.yaml over every file, with the tools of the virtual environment.
lint: $(VENV)/.installed
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files
