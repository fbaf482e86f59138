# GPA Review Workbook. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core, the accessibility checker the browser tests inject, from its npm package (pinned).
AXE_VERSION := 4.11.4
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js

.DEFAULT_GOAL := help

.PHONY: help venv bytecode demo validate test test-fast lint format bench lab browser axe clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the workbook with its test tools

# The workbook's own modules compiled to bytecode, as pip does for a package it installs whole:
# an editable install is never compiled, and where PYTHONDONTWRITEBYTECODE is set (as on this
# project's machines) every command and every kernel compiled about a hundred modules again
# (a fifth of a second of a build's start). Modules already compiled are only looked at.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q reviewlib > /dev/null

demo: bytecode ## Build the demo review into outputs/ (ledger, tables, briefs, index)
	$(BIN)/reviewlib build

validate: bytecode ## Read every contribution, print the ledger summary, write outputs/ledger.csv and tables
	$(BIN)/reviewlib validate

browser: ## Install Debian's Chromium for the browser tests (needs root and the package registry)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

axe: $(AXE) ## Install axe-core (npm, pinned) for the browser tests' accessibility check

$(AXE):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION)

test: bytecode browser $(AXE) ## Run ruff, then the whole test suite (slow end-to-end tests included)
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet reviewlib tests benchmarks
	$(BIN)/pytest -q

test-fast: bytecode ## Run the tests without the slow end-to-end ones
	$(BIN)/pytest -q -m "not slow"

lint: $(STAMP) ## Check the code with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check reviewlib tests benchmarks

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format reviewlib tests benchmarks
	$(BIN)/ruff check --fix .

bench: bytecode ## Run the benchmarks and print their figures
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lab: bytecode ## Open the workbook in JupyterLab (on copies in workspace/: no tracked file changes)
	$(BIN)/python -m reviewlib.workbench.workspace
	$(BIN)/jupyter lab --ServerApp.root_dir=workspace

clean: ## Remove generated outputs (keeps .venv and the notebooks' copies in workspace/)
	rm -rf outputs
