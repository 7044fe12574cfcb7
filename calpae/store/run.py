"""The run store: DuckDB holds the run tables; CSV files are exports of it, rewritten at close.

Re-extracting a document (same content hash) replaces its rows, so appending to an existing run
never duplicates facts.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from calpae import __version__
from calpae.models import RECORD_TYPES, DocumentRow, Extraction, FigureCount
from calpae.store.db import connect, is_url

_INT = {"page", "line", "pages", "row", "col", "figures_read", "figures_not_data", "figures_unread", "ocr_pages"}
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


EXPORT_BATCH = 10_000  # rows fetched at a time when a run table is written to CSV


def column_types(table: str) -> list[str]:
    """SQL types of a run table's columns, in TABLE_SCHEMAS order."""
    return [_sql_type(c, table) for c in TABLE_SCHEMAS[table]]


TABLE_SCHEMAS: dict[str, tuple[str, ...]] = {
    DocumentRow.TABLE: DocumentRow.COLUMNS,
    **{r.TABLE: r.COLUMNS for r in RECORD_TYPES},
}
# Inputs whose content is already stored under another name: named here, not stored twice (document_id, the
# copy's source, the source the document is stored under).
COPIES_TABLE = "same_content"
COPIES_COLUMNS = ("document_id", "source", "same_as")


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


def _from_csv_text(value: Any, column: str, table: str) -> object:
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


@dataclass
class DocumentRows:
    """One document's rows, typed as the database columns, plus what the batch reports about it.

    Built where the document was extracted (a worker), so the process that writes the store only
    inserts them: no pydantic records to unpickle, no row conversion on the single writer. Plain
    Python values, not Arrow: importing pyarrow would add ~60 MB to every worker."""

    document_id: str
    sha256: str | None
    status: str
    source: str
    errors: list[str]
    page_count: int
    tables: dict[str, list[list[Any]]]  # table name -> rows in TABLE_SCHEMAS column order
    json_text: str | None = None  # the full record, when the run writes DIR/<id>.json
    figures: FigureCount | None = None  # figures read / not data / unread, for the batch's summary line


def document_rows(ext: Extraction, with_json: bool = False) -> DocumentRows:
    """The rows of every run table for one extraction, typed as the database columns."""
    rows_by_table: dict[str, list[dict[str, object]]] = {DocumentRow.TABLE: [ext.document_row()]}
    for rtype in RECORD_TYPES:
        rows_by_table[rtype.TABLE] = [r.to_row() for r in getattr(ext, rtype.TABLE)]
    tables = {
        table: [[_from_csv_text(r[c], c, table) for c in TABLE_SCHEMAS[table]] for r in rows]
        for table, rows in rows_by_table.items()
    }
    d = ext.document
    return DocumentRows(
        d.id,
        d.sha256,
        d.status,
        d.source,
        list(d.errors),
        d.page_count or 0,
        tables,
        ext.model_dump_json(indent=1) if with_json else None,
        ext.figures,
    )


class RunStore:
    """Writes extractions of one run to DIR/calpae.duckdb, DIR/<table>.csv and DIR/<document_id>.json."""

    def __init__(self, out_dir: Path, db_path: Path | str | None = None, write_json: bool = True):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.db_path: str | Path = (
            db_path if db_path is not None and is_url(db_path) else Path(db_path or self.out_dir / "calpae.duckdb")
        )
        self.write_json = write_json
        self.con = connect(self.db_path)
        self._create_tables()
        self._known = self._known_document_ids()

    def _create_tables(self) -> None:
        for table, columns in TABLE_SCHEMAS.items():
            cols = ", ".join(f'"{c}" {_sql_type(c, table)}' for c in columns)
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})')
            self._add_new_columns(table, columns)
        # Which content was processed by which calpae version: what makes batches resumable.
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS processed (document_id VARCHAR, sha256 VARCHAR, "
            "calpae_version VARCHAR, status VARCHAR, processed_at TIMESTAMP DEFAULT current_timestamp)"
        )
        cols = ", ".join(f'"{c}" VARCHAR' for c in COPIES_COLUMNS)
        self.con.execute(f'CREATE TABLE IF NOT EXISTS "{COPIES_TABLE}" ({cols})')

    def _add_new_columns(self, table: str, columns: tuple[str, ...]) -> None:
        """Columns a later calpae added to a table (the documents' figure counts, say) added to a run database
        an earlier one made, so appending to it still works; its older rows leave them empty."""
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
        have = {r[0] for r in rows}
        for c in columns:
            if c not in have:
                self.con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{c}" {_sql_type(c, table)}')

    def processed_hashes(self, calpae_version: str) -> set[str]:
        """Content hashes already stored by this calpae version (a re-run skips them)."""
        rows = self.con.execute("SELECT sha256 FROM processed WHERE calpae_version = ?", [calpae_version])
        return {r[0] for r in rows.fetchall()}

    def stored_documents(self, calpae_version: str) -> dict[str, tuple[str, str, str]]:
        """sha256 -> (status, source, error) of every document this calpae version stored."""
        rows = self.con.execute(
            "SELECT p.sha256, p.status, d.source, d.error FROM processed p "
            "LEFT JOIN documents d ON d.document_id = p.document_id WHERE p.calpae_version = ?",
            [calpae_version],
        )
        return {r[0]: (r[1], r[2] or "", r[3] or "") for r in rows.fetchall()}

    def add_copies(self, copies: Sequence[tuple[str, str, str]]) -> None:
        """Record inputs whose content is stored under another name: (copy's source, stored source, document id)."""
        if not copies:
            return
        sources = [c[0] for c in copies]
        marks = ", ".join("?" for _ in sources)
        with self.con.transaction():
            self.con.execute(f'DELETE FROM "{COPIES_TABLE}" WHERE source IN ({marks})', sources)
            self.con.executemany(
                f'INSERT INTO "{COPIES_TABLE}" VALUES (?, ?, ?)', [(doc_id, src, same) for src, same, doc_id in copies]
            )

    def _known_document_ids(self) -> set[str]:
        rows = self.con.execute("SELECT document_id FROM documents UNION SELECT document_id FROM processed")
        return {r[0] for r in rows.fetchall()}

    def add(self, ext: Extraction, calpae_version: str | None = None) -> None:
        """Store one document's records in one transaction, replacing any earlier rows of that document."""
        self.add_rows(document_rows(ext, with_json=self.write_json), calpae_version)

    def add_rows(self, doc: DocumentRows, calpae_version: str | None = None) -> None:
        """Store rows built by document_rows (in a worker, say) in one transaction; replaces earlier rows."""
        self.add_many([doc], calpae_version)

    def add_many(self, docs: Sequence[DocumentRows], calpae_version: str | None = None) -> None:
        """Store several documents in one transaction (each whole or not at all), one INSERT per table.

        The batch driver is the one writer: each DuckDB statement costs it milliseconds whatever its
        size (~8 ms an Arrow insert), so documents that arrive together are written together. A
        document this store has never held needs no DELETE (each scans its table, a cost that grows
        with the archive)."""
        docs = list({d.document_id: d for d in docs}.values())
        if not docs:
            return
        replace = [d.document_id for d in docs if self.con.kind != "duckdb" or d.document_id in self._known]
        marks = ", ".join("?" for _ in replace)
        with self.con.transaction():
            for table in TABLE_SCHEMAS:
                if replace:
                    self.con.execute(f'DELETE FROM "{table}" WHERE document_id IN ({marks})', replace)
                rows = [row for d in docs for row in d.tables.get(table, ())]
                if rows:
                    columns = TABLE_SCHEMAS[table]
                    self.con.insert_rows(table, columns, [_sql_type(c, table) for c in columns], rows)
            if replace:
                self.con.execute(f"DELETE FROM processed WHERE document_id IN ({marks})", replace)
            cols = ("document_id", "sha256", "calpae_version", "status")
            version = calpae_version or __version__
            self.con.insert_rows(
                "processed", cols, ["VARCHAR"] * 4, [[d.document_id, d.sha256, version, d.status] for d in docs]
            )
        self._known.update(d.document_id for d in docs)
        if self.write_json:
            for d in docs:
                if d.json_text is not None:
                    (self.out_dir / f"{d.document_id}.json").write_text(d.json_text, encoding="utf-8")

    def export_csv(self) -> None:
        """Rewrite every DIR/<table>.csv from the database (header always present)."""
        for table, columns in {**TABLE_SCHEMAS, COPIES_TABLE: COPIES_COLUMNS}.items():
            cur = self.con.execute(f'SELECT * FROM "{table}" ORDER BY document_id')
            with open(self.out_dir / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                while batch := cur.fetchmany(EXPORT_BATCH):  # a batch at a time: the tables grow with the archive
                    writer.writerows([_plain(v) for v in row] for row in batch)

    def close(self) -> None:
        self.export_csv()
        self.con.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
