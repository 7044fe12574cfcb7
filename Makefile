# Two entry points: `make demo` and `make test`. Both create .venv and install the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	sh scripts/ensure-tesseract.sh
	$(BIN)/calpae batch corpora/samples --db outputs/demo/calpae.duckdb --out outputs/demo
	$(BIN)/calpae audit outputs/demo --severity error
	@echo "Run tables in outputs/demo (documents, budget_lines, indicator_values, amounts, findings as CSV + calpae.duckdb);"
	@echo "national dataset in outputs/demo/dataset (dataset_long, dataset_wide, coverage as CSV + Parquet)."

test: $(STAMP)
	sh scripts/ensure-tesseract.sh
	sh scripts/ensure-postgres.sh
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) outputs/demo
