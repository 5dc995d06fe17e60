# Two commands on a fresh machine: `make run` and `make test`.
HOST ?= 127.0.0.1
PORT ?= 5000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench bench-class clean

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

# gunicorn, one worker per core ($$WORKERS to choose); it prints its URL once it listens.
run: $(VENV)/.installed
	$(BIN)/gradient-flow serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/api_latency.py
	$(BIN)/python bench/browser_timing.py

# A class of 300 for two minutes, against `make run`'s server and then through nginx (~5 min).
bench-class: $(VENV)/.installed-test
	$(BIN)/python bench/class_load.py

clean:
	rm -rf $(VENV) .pytest_cache
