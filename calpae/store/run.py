"""The run store: DuckDB holds the run tables; CSV files are exports of it, rewritten at close.

Re-extracting a document (same content hash) replaces its rows, so appending to an existing run
never duplicates facts.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from calpae import __version__
from calpae.models import RECORD_TYPES, DocumentRow, Extraction
from calpae.store.db import connect, is_postgres_url

_INT = {"page", "line", "pages"}
_DEC = {"amount", "value", "declared", "computed", "difference"}
_BOOL = {"is_total"}


def _sql_type(column: str, table: str) -> str:
    if column == "year":
        return "VARCHAR" if table == "documents" else "INTEGER"
    if column in _INT:
        return "INTEGER"
    if column in _DEC:
        return "DECIMAL(38,6)"
    if column in _BOOL:
        return "BOOLEAN"
    return "VARCHAR"


TABLE_SCHEMAS: dict[str, tuple[str, ...]] = {
    DocumentRow.TABLE: DocumentRow.COLUMNS,
    **{r.TABLE: r.COLUMNS for r in RECORD_TYPES},
}


def _plain(value: object) -> str:
    """CSV text of a DB value: decimals without trailing zeros or exponents, booleans lower-case."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _from_csv_text(value: object, column: str, table: str) -> object:
    if value == "" or value is None:
        return None
    kind = _sql_type(column, table)
    if kind == "INTEGER":
        return int(value)
    if kind.startswith("DECIMAL"):
        return Decimal(str(value))
    if kind == "BOOLEAN":
        return value in (True, "true", "True", "1")
    return str(value)


class RunStore:
    """Writes extractions of one run to DIR/calpae.duckdb, DIR/<table>.csv and DIR/<document_id>.json."""

    def __init__(self, out_dir: Path, db_path: Path | str | None = None, write_json: bool = True):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = db_path if is_postgres_url(db_path or "") else Path(db_path or self.out_dir / "calpae.duckdb")
        self.write_json = write_json
        self.con = connect(self.db_path)
        self._create_tables()

    def _create_tables(self) -> None:
        for table, columns in TABLE_SCHEMAS.items():
            cols = ", ".join(f'"{c}" {_sql_type(c, table)}' for c in columns)
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})')
        # Which content was processed by which calpae version: what makes batches resumable.
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS processed (document_id VARCHAR, sha256 VARCHAR, "
            "calpae_version VARCHAR, status VARCHAR, processed_at TIMESTAMP DEFAULT current_timestamp)"
        )

    def processed_hashes(self, calpae_version: str) -> set[str]:
        """Content hashes already stored by this calpae version (a re-run skips them)."""
        rows = self.con.execute("SELECT sha256 FROM processed WHERE calpae_version = ?", [calpae_version])
        return {r[0] for r in rows.fetchall()}

    def add(self, ext: Extraction, calpae_version: str | None = None) -> None:
        """Store one document's records in one transaction, replacing any earlier rows of that document."""
        doc_id = ext.document.id
        rows_by_table: dict[str, list[dict[str, object]]] = {DocumentRow.TABLE: [ext.document_row()]}
        for rtype in RECORD_TYPES:
            records = getattr(ext, rtype.TABLE)
            rows_by_table[rtype.TABLE] = [r.to_row() for r in records]
        with self.con.transaction():
            for table, rows in rows_by_table.items():
                self.con.execute(f'DELETE FROM "{table}" WHERE document_id = ?', [doc_id])
                columns = TABLE_SCHEMAS[table]
                values = [[_from_csv_text(r[c], c, table) for c in columns] for r in rows]
                self.con.insert_rows(table, columns, [_sql_type(c, table) for c in columns], values)
            self.con.execute("DELETE FROM processed WHERE document_id = ?", [doc_id])
            self.con.execute(
                "INSERT INTO processed (document_id, sha256, calpae_version, status) VALUES (?, ?, ?, ?)",
                [doc_id, ext.document.sha256, calpae_version or __version__, ext.document.status],
            )
        if self.write_json:
            (self.out_dir / f"{doc_id}.json").write_text(ext.model_dump_json(indent=1), encoding="utf-8")

    def export_csv(self) -> None:
        """Rewrite every DIR/<table>.csv from the database (header always present)."""
        for table, columns in TABLE_SCHEMAS.items():
            cur = self.con.execute(f'SELECT * FROM "{table}" ORDER BY document_id')
            with open(self.out_dir / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                for row in cur.fetchall():
                    writer.writerow([_plain(v) for v in row])

    def close(self) -> None:
        self.export_csv()
        self.con.close()

    def __enter__(self) -> "RunStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
