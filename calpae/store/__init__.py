"""Run storage: one DuckDB database per run, the CSV run tables and one JSON per document."""

from calpae.store.run import TABLE_SCHEMAS, RunStore

__all__ = ["RunStore", "TABLE_SCHEMAS"]
