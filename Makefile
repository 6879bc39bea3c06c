# Two commands set everything up: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
export DAGSTER_HOME ?= $(abspath .dagster_home)

DEMO_START ?= 2024-01-01
DEMO_DAYS ?= 3
DEMO_END ?= 2024-01-03

.PHONY: venv demo test lint lint-sql codegen dev clean bench browser docs-images postgres-server

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The Spark driver's class archive (ecom_platform/spark_jobs/class_archive.py): made once per
# JDK and Spark install (14-35 s), after that a check that it is there.
venv: $(STAMP)
	$(BIN)/python -m ecom_platform.spark_jobs.class_archive

# checkov pins many old libraries: it gets its own venv, never the platform's.
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

$(CHECKOV):
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet checkov==$(CHECKOV_VERSION)
	touch $(CHECKOV)

.PHONY: infra-check glue-artifacts

infra-check: $(CHECKOV)
	$(CHECKOV_VENV)/bin/checkov --config-file infra/.checkov.yaml --quiet

# Build the Glue entry script + ecom_platform wheel and upload them (see docs/deploy.md).
glue-artifacts: venv
	$(BIN)/python -m ecom_platform.deploy glue-artifacts --artifacts-uri "$${ECOM_ARTIFACTS_URI:?set ECOM_ARTIFACTS_URI=s3://bucket[/prefix]}"

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: venv $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/ecom-platform generate --out "$${ECOM_LANDING_URI:-data/landing}" --start $(DEMO_START) --days $(DEMO_DAYS) --scale 1 --seed 42 --defect-rate 0.02
	$(BIN)/ecom-platform run --start $(DEMO_START) --end $(DEMO_END)

# Headless Chromium for the browser test: Debian's package (Playwright drives it through
# executable_path; no browser download). Installed once, skipped when present.
CHROMIUM := /usr/bin/chromium
SUDO := $(SUDO)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

browser: $(CHROMIUM)

# tests/production start a throwaway PostgreSQL from Debian's server package: installed once.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; }

# Two pytest workers, a test file each at a time (module fixtures stay in one process):
# 13.5 min instead of 17 here. PYTEST_WORKERS= runs the suite in one process.
PYTEST_WORKERS ?= -n 2 --dist loadfile

test: venv $(CHECKOV) $(CHROMIUM) lint-sql postgres-server
	$(BIN)/ruff check ecom_platform tests bench
	$(BIN)/python -m pytest -q $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Refresh the README's screenshots (docs/images/) from the browser test's run.
docs-images: venv $(CHROMIUM)
	ECOM_DOCS_IMAGES=docs/images $(BIN)/python -m pytest -q tests/ui/test_browser.py

lint: venv lint-sql
	$(BIN)/ruff check ecom_platform tests bench
	$(BIN)/ruff format --check ecom_platform tests bench

# The dbt project's SQL (ecom_dbt/.sqlfluff: jinja templater, no warehouse needed).
lint-sql: venv
	cd ecom_dbt && ../$(BIN)/sqlfluff lint .

# Rewrite the files rendered from the entity specs (dbt sources, enum dims, Glue catalog);
# the test suite runs `python -m ecom_platform.codegen --check`.
codegen: venv
	$(BIN)/python -m ecom_platform.codegen

# The UI with the demo data already materialized (the demo runs when the warehouse is
# missing) and the landing sensor running (ECOM_LANDING_SENSOR=stopped to start without).
dev: venv $(DAGSTER_HOME)/dagster.yaml
	test -e "$${ECOM_WAREHOUSE:-data/warehouse.duckdb}" || $(MAKE) demo
	$(BIN)/dagster dev -h 127.0.0.1 -w workspace.yaml

# Speed scenarios against a floor measured in the same run (bench/run.py; ~30 min).
bench: venv
	$(BIN)/python -m bench.run $(SCENARIOS)

clean:
	rm -rf data .dagster_home spark-warehouse test-output
