# Two commands: `make run` sets up and serves; `make test` sets up and passes.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: run test lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@ $(INSTALLED)

run: $(INSTALLED)
	$(VENV)/bin/carezones db upgrade
	$(VENV)/bin/uvicorn app.main:app --host 127.0.0.1 --port 8000

lint: $(TEST_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest -n 2 --dist loadfile

bench: $(TEST_INSTALLED)
	$(PY) benchmarks/bench_allocation.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
