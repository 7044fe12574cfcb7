# Entry points: `make demo`, `make test` and `make check` (the gates: lint, format, types, import contracts, tests).
# Each creates .venv and installs the project with its test and dev extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	sh scripts/ensure-tesseract.sh
	$(BIN)/calpae batch corpora/samples --db outputs/demo/calpae.duckdb --out outputs/demo --json
	$(BIN)/calpae audit outputs/demo --severity error
	$(BIN)/calpae report outputs/demo --quiet > /dev/null
	@echo ""
	@echo "One artefact per audience:"
	@echo "  analysts    the national dataset: outputs/demo/dataset (dataset_long, dataset_wide, coverage; CSV + Parquet + datapackage.json)"
	@echo "  developers  the JSON records, one per document: outputs/demo/<document_id>.json;"
	@echo "              the run tables: outputs/demo/*.csv and outputs/demo/calpae.duckdb"
	@echo "  auditors    the report, to open in a browser (offline):"
	@echo "outputs/demo/report/index.html"

test: $(STAMP)
	sh scripts/ensure-tesseract.sh
	sh scripts/ensure-chromium.sh
	sh scripts/ensure-postgres.sh
	$(BIN)/python -m pytest -q

# The gates CI runs (.ci/run): style and lint, formatting, types on all of calpae/, the import contracts, the tests.
lint: $(STAMP)
	$(BIN)/ruff check calpae corpora benchmarks tests
	$(BIN)/ruff format --check calpae corpora benchmarks tests
	$(BIN)/mypy calpae
	$(BIN)/lint-imports

check: lint test

clean:
	rm -rf $(VENV) outputs/demo
