# Everything runs in .venv, created with $(PYTHON) (3.11+) on first use; the package is
# re-installed whenever pyproject.toml changes. Only python3 and make are needed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.iprkg-installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install lint format test build validate serve clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

install: $(INSTALLED)  ## create .venv and install iprkg with its test tools

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "iprkg needs Python 3.11+; run make PYTHON=python3.11 (or newer)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

lint: $(INSTALLED)  ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy server/

format: $(INSTALLED)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint  ## lint, then run the tests (PYTEST_ARGS="-k build" to pick some)
	$(BIN)/pytest $(PYTEST_ARGS)

build: $(INSTALLED)  ## validate the sources and publish dist/ atomically
	$(BIN)/iprkg build

validate: $(INSTALLED)  ## parse and SHACL-validate the sources; writes nothing
	$(BIN)/iprkg validate

serve: build  ## build, then serve dist/ at http://127.0.0.1:8080/sparql
	$(BIN)/iprkg serve --host 127.0.0.1 --port 8080

clean:  ## remove dist/, older builds and tool caches (keeps .venv)
	rm -rf dist .dist-builds .dist.link-* .pytest_cache .mypy_cache .ruff_cache
	rm -rf server/*.egg-info
	find server tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv too
	rm -rf $(VENV)
