# Two commands on a fresh machine with Python 3.11+ and make: `make site`, `make test`.
PYTHON ?= python3
# The JS unit tests run on Node's built-in runner (Node 20, Debian's nodejs).
NODE ?= node
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Lighthouse (tests/test_lighthouse.py), pinned in package.json and package-lock.json, goes
# into ./node_modules with npm's own lockfile install: nothing global, no browser download.
NPM_STAMP := node_modules/.package-lock.json

.PHONY: install site serve check test lint bench golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[site,properdocs,zensical,dev]'
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(STAMP) $(NPM_STAMP)

site: install
	$(BIN)/readinglist build

serve: install
	$(BIN)/readinglist serve

check: install
	$(BIN)/readinglist check

lint: install
	$(BIN)/ruff check generator tests scripts
	$(BIN)/ruff format --check generator tests scripts
	$(BIN)/mypy

test: install lint
	$(NODE) --test --test-reporter=spec tests/js/
	$(BIN)/python -m pytest

# Refresh the golden Markdown after an intended change to the templates or renderer.
golden: install
	$(BIN)/python -m tests.golden --update

# About 30 minutes on a quiet machine (`--quick`: 1,000 papers only); the table is printed, the JSON kept in bench-results/ (not committed).
bench: install
	mkdir -p bench-results
	$(BIN)/python -m scripts.bench --out bench-results/bench.json

clean:
	rm -rf build site .site.spare $(VENV) node_modules
