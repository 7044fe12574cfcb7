"""Run storage: one DuckDB database per run, the CSV run tables and one JSON per document."""

from calpae.store.run import RunStore, TABLE_SCHEMAS

__all__ = ["RunStore", "TABLE_SCHEMAS"]
