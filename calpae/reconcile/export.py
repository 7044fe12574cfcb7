"""Files of the national dataset, written from its database tables: CSV (dot decimals, UTF-8) and typed Parquet, a
Frictionless `datapackage.json` describing them, and on request French spreadsheets (`.xlsx`, or CSV with `;`,
decimal comma and a BOM, as French Excel opens them)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from calpae.reconcile.dataset import COVERAGE_COLUMNS, COVERAGE_TYPES, LONG_COLUMNS, LONG_TYPES, WIDE_KEYS
from calpae.reconcile.run import reconcile
from calpae.reconcile.schema import package
from calpae.reconcile.state import stale_reason
from calpae.store.db import Database

TABLES = ("dataset_long", "dataset_wide", "coverage")
ORDER = {
    "dataset_long": "departement_code, year, fact_type, measure_id, indicator_id, level, action, stage, part, "
    "value_kind",
    "dataset_wide": "departement_code, year",
    "coverage": "departement_code",
}
FETCH_ROWS = 20_000  # rows read from the database at a time while writing the files
DECIMAL_TYPE = pa.decimal128(38, 6)
_ARROW = {"INTEGER": pa.int64(), "BOOLEAN": pa.bool_(), "DECIMAL(38,6)": DECIMAL_TYPE}


class StaleDatabase(Exception):
    """The reconciled tables do not reflect the documents of the database."""


def _columns(con: Database, table: str) -> list[str]:
    if table == "dataset_long":
        return list(LONG_COLUMNS)
    if table == "coverage":
        return list(COVERAGE_COLUMNS)
    cur = con.execute(f'SELECT * FROM "{table}" LIMIT 0')
    return [d[0] for d in cur.description]


def _types(table: str, columns: Sequence[str]) -> dict[str, str]:
    if table == "dataset_long":
        return LONG_TYPES
    if table == "coverage":
        return COVERAGE_TYPES
    return {c: "DECIMAL(38,6)" for c in columns if c not in WIDE_KEYS} | {"year": "INTEGER"}


def _batches(con: Database, table: str) -> Iterator[list[tuple]]:
    cur = con.execute(f'SELECT * FROM "{table}" ORDER BY {ORDER[table]}')
    while batch := cur.fetchmany(FETCH_ROWS):
        yield batch


def _text(value: object, decimal_mark: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        text = "0" if text in ("-0", "") else text
        return text.replace(".", decimal_mark)
    return str(value)


def _arrow(columns: Sequence[str], types: dict[str, str], rows: list[tuple]) -> pa.Table:
    arrays = []
    for i, c in enumerate(columns):
        kind = _ARROW.get(types.get(c, "VARCHAR"), pa.string())
        values = [r[i] for r in rows]
        if kind == DECIMAL_TYPE:
            values = [None if v is None else Decimal(v) for v in values]
        arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, names=list(columns))


def _write_table(con: Database, table: str, out: Path, french: bool, sheets: dict[str, list[Any]] | None) -> list[Path]:
    columns = _columns(con, table)
    types = _types(table, columns)
    schema = pa.schema([(c, _ARROW.get(types.get(c, "VARCHAR"), pa.string())) for c in columns])
    csv_path, pq_path, fr_path = out / f"{table}.csv", out / f"{table}.parquet", out / f"{table}.fr.csv"
    written = [csv_path, pq_path] + ([fr_path] if french else [])
    with ExitStack() as stack:
        plain = csv.writer(stack.enter_context(open(csv_path, "w", newline="", encoding="utf-8")))
        parquet = stack.enter_context(pq.ParquetWriter(pq_path, schema))
        writers = [(plain, ".")]
        if french:  # French Excel: ';' between fields, decimal comma, a BOM so it reads UTF-8
            fr = stack.enter_context(open(fr_path, "w", newline="", encoding="utf-8-sig"))
            writers.append((csv.writer(fr, delimiter=";"), ","))
        for writer, _ in writers:
            writer.writerow(columns)
        empty = True
        for batch in _batches(con, table):
            empty = False
            for writer, mark in writers:
                writer.writerows([_text(v, mark) for v in row] for row in batch)
            parquet.write_table(_arrow(columns, types, batch))
            if sheets is not None:
                sheets.setdefault(table, [columns]).extend(batch)
        if empty:
            parquet.write_table(_arrow(columns, types, []))
            if sheets is not None:
                sheets.setdefault(table, [columns])
    return written


def _write_xlsx(sheets: dict[str, list[Any]], path: Path) -> Path:
    """One sheet per table; codes stay text, amounts are numbers."""
    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    book.save(path)
    return path


def export_dataset(
    con: Database, out: Path, *, xlsx: bool = False, french_csv: bool = False, rebuild: bool = True
) -> list[Path]:
    """Write dataset_long, dataset_wide and coverage (CSV, Parquet, datapackage.json; optionally .xlsx and French
    CSV) into `out`. Stale reconciled tables are rebuilt first, or refused (StaleDatabase) with rebuild=False."""
    reason = stale_reason(con)
    if reason is not None:
        if not rebuild:
            raise StaleDatabase(reason)
        reconcile(con)
    out.mkdir(parents=True, exist_ok=True)
    sheets: dict[str, list[Any]] | None = {} if xlsx else None
    written: list[Path] = []
    for table in TABLES:
        written += _write_table(con, table, out, french_csv, sheets)
    wide = [c for c in _columns(con, "dataset_wide") if c not in WIDE_KEYS]
    descriptor = package(wide, {t: f"{t}.csv" for t in TABLES})
    meta = out / "datapackage.json"
    meta.write_text(json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8")
    written.append(meta)
    if sheets is not None:
        written.append(_write_xlsx(sheets, out / "dataset.xlsx"))
    return written
