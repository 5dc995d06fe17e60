# Two commands on a fresh machine: `make run` and `make test`.
HOST ?= 127.0.0.1
PORT ?= 5000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	@echo "Gradient Flow at http://$(HOST):$(PORT)/"
	$(BIN)/gradient-flow serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/api_latency.py
	$(BIN)/python bench/browser_timing.py

clean:
	rm -rf $(VENV) .pytest_cache
