# Everything runs in .venv, created with $(PYTHON) (3.11+) on first use; the package is
# re-installed whenever pyproject.toml changes. Only python3 and make are needed; with
# Node.js and npm there too, `make test` also installs Comunica (node-deps) so that
# the tests can query the server with it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.iprkg-installed
PYTEST_ARGS ?=
# pytest-xdist workers for `make test`: one per core (auto); PYTEST_JOBS=0 runs in one process.
PYTEST_JOBS ?= auto
BENCH_ARGS ?=
NPM ?= npm
NODE_DEPS := node_modules/.package-lock.json

.DEFAULT_GOAL := help
.PHONY: help install node-deps optional-node-deps lint format test conformance build golden \
	validate serve bench soak fuzz clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

install: $(INSTALLED)  ## create .venv and install iprkg with its test tools

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "iprkg needs Python 3.11+; run make PYTHON=python3.11 (or newer)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

node-deps: $(NODE_DEPS)  ## install the query page's editor (CodeMirror) and the tests' Comunica (npm ci)

$(NODE_DEPS): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error

# `make test` installs the Node.js client where npm is at hand; without npm, or offline,
# it goes on and the Comunica tests skip, saying so. .ci/run installs it for sure.
optional-node-deps:
	@if command -v $(NPM) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory node-deps \
		|| echo "note: npm ci failed; the Comunica tests skip, the query page has no editor (make node-deps)" >&2; \
	else \
		echo "note: npm not found; the Comunica tests skip, the query page has no editor (install Node.js 18+, npm)" >&2; \
	fi

lint: $(INSTALLED)  ## ruff check, ruff format --check, mypy, import-linter's layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy server/
	$(BIN)/lint-imports

format: $(INSTALLED)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# --dist loadfile: a module's tests stay on one worker, so its module fixtures (a built
# project, a live server, Virtuoso) are made once, as without xdist.
test: lint optional-node-deps  ## lint, then run the tests (PYTEST_ARGS="-k build" to pick some)
	$(BIN)/pytest -n $(PYTEST_JOBS) --dist loadfile $(PYTEST_ARGS)

conformance: $(INSTALLED)  ## run the W3C SPARQL query tests over HTTP; rewrite docs/conformance.md
	PYTHONPATH=tests $(BIN)/python -m support.w3c

build: $(INSTALLED)  ## validate the sources and publish dist/ atomically
	$(BIN)/iprkg build

validate: $(INSTALLED)  ## parse and validate the sources (shapes, vocabularies, themes); writes nothing
	$(BIN)/iprkg validate

golden: $(INSTALLED)  ## rewrite every golden answer (queries/**/*.srj) from a fresh build; read the diff
	cd tests && $(abspath $(BIN))/python -m support.golden --all  # as a module: tests/support/html.py must not hide the standard html
	git diff --stat -- queries

serve: build optional-node-deps  ## build, then serve dist/ at http://127.0.0.1:8080/sparql
	$(BIN)/iprkg serve --host 127.0.0.1 --port 8080

# The benchmark is never part of `make test`: it takes minutes and wants a quiet machine.
# It rewrites the results section of docs/performance.md from its run (not with --quick).
bench: $(INSTALLED)  ## compare iprkg with Oxigraph (alone, behind nginx's cache, under --backend) and rdflib-endpoint under wrk (BENCH_ARGS=--quick)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@command -v wrk >/dev/null 2>&1 || { \
		if command -v apt-get >/dev/null 2>&1; then apt-get install -y wrk \
			|| { echo "bench needs wrk: sudo apt-get update && sudo apt-get install wrk" >&2; exit 1; }; \
		else echo "bench needs wrk: install it (apt-get install wrk; brew install wrk)" >&2; exit 1; fi; }
	$(BIN)/python bench/run.py --docs $(BENCH_ARGS)

SOAK_ARGS ?=
soak: $(INSTALLED)  ## 10 minutes at 32 connections against iprkg serve; memory and latency drift (SOAK_ARGS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@command -v wrk >/dev/null 2>&1 || { echo "soak needs wrk: make bench installs it, or apt-get install wrk" >&2; exit 1; }
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# Fuzzing is part of `make test` too, with few examples and always the same ones; `make
# fuzz` runs the same tests (tests/web/test_fuzz.py) with many examples from a random seed,
# printed first, so that `make fuzz IPRKG_FUZZ_SEED=N` repeats a run.
IPRKG_FUZZ_EXAMPLES ?= 5000
IPRKG_FUZZ_SEED ?=
fuzz: $(INSTALLED)  ## fuzz every route, about 10 minutes (IPRKG_FUZZ_EXAMPLES=5000 per test, IPRKG_FUZZ_SEED=N)
	@seed="$(IPRKG_FUZZ_SEED)"; \
	if [ -z "$$seed" ]; then seed=$$($(BIN)/python -c 'import random; print(random.getrandbits(32))'); fi; \
	echo "fuzzing with seed $$seed ($(IPRKG_FUZZ_EXAMPLES) examples per test); repeat with: make fuzz IPRKG_FUZZ_SEED=$$seed"; \
	IPRKG_FUZZ_EXAMPLES=$(IPRKG_FUZZ_EXAMPLES) $(BIN)/pytest tests/web/test_fuzz.py \
		--hypothesis-seed=$$seed --hypothesis-show-statistics $(PYTEST_ARGS)

clean:  ## remove dist/, older builds and tool caches (keeps .venv)
	rm -rf dist .dist-builds .dist.link-* .pytest_cache .mypy_cache .ruff_cache
	rm -rf server/*.egg-info
	find server tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv and node_modules too
	rm -rf $(VENV) node_modules
