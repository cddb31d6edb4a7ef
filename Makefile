# Two commands: `make run` sets up and serves; `make test` sets up and passes.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
# npm writes this on every install, so it is older than the lock file only when the lock changed.
NODE_INSTALLED := node_modules/.package-lock.json

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

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

run: $(INSTALLED) $(NODE_INSTALLED)
	$(VENV)/bin/carezones db upgrade
	$(VENV)/bin/carezones serve --host 127.0.0.1 --port 8000

lint: $(TEST_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint $(NODE_INSTALLED)
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)
	$(VENV)/bin/pytest -n 2 --dist loadfile

bench: $(TEST_INSTALLED)
	$(PY) benchmarks/bench_allocation.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache node_modules
