# Quorum - the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
SAM    := .venv-sam
CHECKOV := .venv-checkov
PYTEST_WORKERS ?= 2
CHROMIUM ?= /usr/bin/chromium
# The console's browser tests share one xdist group: one worker runs them all, with one browser.
PYTEST_DIST := -n $(PYTEST_WORKERS) --dist loadgroup

.PHONY: help install chromium run test lint test-unit test-integration test-e2e test-fuzz test-browser test-template demo openapi bench token sam-tools validate clean

help:
	@echo "make run     - create the venv, install, start the whole platform on 127.0.0.1 (Ctrl-C stops it; its data stays in .quorum-state/)"
	@echo "make test    - create the venv, install, lint and type-check, run unit, integration, end-to-end and template tests"
	@echo "make lint    - ruff on the tree and mypy on functions/, layers/, infra/ and bench/ (part of make test)"
	@echo "make test-fuzz - Schemathesis against a local cloud, per role, from the OpenAPI document (part of make test; docs/testing.md)"
	@echo "make test-browser - the console's journeys in Chromium (part of make test; screenshots in test-output/console/)"
	@echo "make demo    - play a scenario against a running 'make run'"
	@echo "make bench   - cold-start, case-cost, draw-cost and load figures beside their baselines"
	@echo "make openapi - regenerate the OpenAPI document served at /v1/openapi.json"
	@echo "make token ARGS='--sub u-1 --groups user' - mint a local bearer token"
	@echo "make sam-tools / validate - aws-sam-cli and checkov in their own venv; sam validate --lint"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/quorum-local run --state .quorum-state

test: install lint chromium
	$(BIN)/python -m pytest $(PYTEST_DIST) -p no:cacheprovider

# The browser tests drive Debian's Chromium (Playwright's own browser download is not reachable here).
# Missing: installed when we are root (as CI runs), else stop with the one command to run. Never skipped.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Chromium is missing: installing it (apt-get install -y chromium)"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || exit 1; \
		else \
			echo "Chromium is missing at $(CHROMIUM); the console's browser tests need it. Run:" >&2; \
			echo "    sudo apt-get install -y chromium" >&2; \
			exit 1; \
		fi; \
	fi

# ruff (pyflakes, bugbear, blind excepts, stale noqa, pyupgrade, isort) on the whole tree; mypy on the
# deployed code (functions/, layers/), the release tool and the local cloud (infra/), then on the bench
# scripts (files, not packages: a second run); configuration in pyproject.toml. A finding fails `make test`.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/mypy bench

test-unit: install
	$(BIN)/python -m pytest -p no:cacheprovider tests/unit

test-integration: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider tests/integration

test-e2e: install chromium
	$(BIN)/python -m pytest $(PYTEST_DIST) -p no:cacheprovider tests/e2e

test-browser: install chromium
	$(BIN)/python -m pytest -p no:cacheprovider -m browser tests/e2e

test-fuzz: install
	$(BIN)/python -m pytest $(PYTEST_DIST) -p no:cacheprovider -m fuzz tests/e2e/test_fuzz.py

test-template: install
	$(BIN)/python -m pytest -p no:cacheprovider tests/template

demo: install
	$(BIN)/python -m quorum_local.demo

openapi: install
	$(BIN)/python -m quorum_local.openapi

bench: install
	$(BIN)/python bench/coldstart.py
	@for script in bench/case_cost.py bench/draw_cost.py bench/load.py; do \
		if [ -f $$script ]; then $(BIN)/python $$script || exit 1; fi; done

token: install
	@$(BIN)/quorum-local token $(ARGS)

# aws-sam-cli and checkov pin older boto3 releases (and conflict with each other):
# each lives in an environment of its own, apart from the project's.
sam-tools: $(SAM)/bin/sam $(CHECKOV)/bin/checkov

$(SAM)/bin/sam:
	$(PYTHON) -m venv $(SAM)
	$(SAM)/bin/python -m pip install --quiet "aws-sam-cli==1.170.0"

$(CHECKOV)/bin/checkov:
	$(PYTHON) -m venv $(CHECKOV)
	$(CHECKOV)/bin/python -m pip install --quiet "checkov==3.3.30"

validate: sam-tools
	$(SAM)/bin/sam validate --lint --region us-east-1
	$(CHECKOV)/bin/checkov -f template.yaml --framework cloudformation --quiet --compact --config-file .checkov.yaml --skip-download

clean:
	rm -rf $(VENV) $(SAM) $(CHECKOV) .pytest_cache test-output
