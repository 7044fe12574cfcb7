"""`calpae reconcile`: series of facts across documents, conflicts, execution rates, and the national dataset tables.

Reads the run tables of a database and (re)writes, in one transaction: `series`, `label_links`, `conflicts`,
`execution_rates`, `measure_mapping`, `copies`, `dataset_long`, `dataset_wide`, `coverage`; adds `restatement`,
`forecast_mismatch`, `definition_changed`, `dataset_part_sum`, `copy_mismatch` and `copy_unread` (unread.py)
findings to `findings`; records the state it was built from so `dataset` and `explain` know when it is stale. A scan
or text export of a document whose born-digital copy is also there makes no facts of its own (copies.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calpae.reconcile import checks, unread
from calpae.reconcile.copies import COPY_COLUMNS, COPY_TYPES, copy_rows, difference_rows, find_copies
from calpae.reconcile.dataset import (
    COVERAGE_COLUMNS,
    COVERAGE_TYPES,
    LONG_COLUMNS,
    LONG_TYPES,
    WIDE_KEYS,
    WideCells,
    add_wide_cells,
    coverage_rows,
    long_rows,
    wide_columns,
)
from calpae.reconcile.series import SERIES_COLUMNS, budget_series, indicator_series
from calpae.reconcile.state import fingerprint, mark_fresh
from calpae.store.db import Database
from calpae.store.run import TABLE_SCHEMAS, column_types

RECONCILE_CHECKS = (
    "restatement",
    "forecast_mismatch",
    "definition_changed",
    "dataset_part_sum",
    "copy_mismatch",
    unread.CHECK,
)
# Arithmetic findings of the audit: a figure they name is one its own document contradicts.
ARITHMETIC_CHECKS = ("total_mismatch", "part_sum_mismatch", "cross_table_mismatch")
LINK_COLUMNS = ("departement_code", "measure_id", "level", "label", "canonical", "score")
RATE_COLUMNS = ("departement_code", "measure_id", "year", "planned", "executed", "rate")
MAPPING_COLUMNS = ("document_id", "source", "budget_lines", "mapped_in_document", "mapped", "rate")
RATE_DIGITS = Decimal("0.0001")

_TYPES = {
    "year": "INTEGER",
    "doc_year": "INTEGER",
    "page": "INTEGER",
    "line": "INTEGER",
    "page_a": "INTEGER",
    "line_a": "INTEGER",
    "page_b": "INTEGER",
    "line_b": "INTEGER",
    "value": "DECIMAL(38,6)",
    "value_a": "DECIMAL(38,6)",
    "value_b": "DECIMAL(38,6)",
    "difference": "DECIMAL(38,6)",
    "score": "DOUBLE PRECISION",
    "rate": "DECIMAL(38,6)",
    "planned": "DECIMAL(38,6)",
    "executed": "DECIMAL(38,6)",
    "flagged": "BOOLEAN",
    "budget_lines": "INTEGER",
    "mapped_in_document": "INTEGER",
    "mapped": "INTEGER",
    **LONG_TYPES,
    **COVERAGE_TYPES,
    **COPY_TYPES,
}


@dataclass
class ReconcileSummary:
    series: int = 0
    conflicts: int = 0
    links: int = 0
    definition_warnings: int = 0
    facts: int = 0
    part_sum_warnings: int = 0


def _departements(con: Database) -> list[str]:
    """Every département code the run tables hold facts for."""
    rows = con.execute(
        "SELECT DISTINCT departement_code FROM budget_lines WHERE departement_code IS NOT NULL UNION "
        "SELECT DISTINCT departement_code FROM indicator_values WHERE departement_code IS NOT NULL"
    ).fetchall()
    return sorted(r[0] for r in rows)


def _flagged(con: Database) -> set[tuple]:
    """(document, page or line, amount) of every figure an arithmetic error finding declares."""
    marks = ", ".join("?" for _ in ARITHMETIC_CHECKS)
    rows = con.execute(
        f"SELECT document_id, coalesce(page, line), declared FROM findings "
        f"WHERE severity = 'error' AND declared IS NOT NULL AND \"check\" IN ({marks})",
        list(ARITHMETIC_CHECKS),
    ).fetchall()
    return {(d, p, Decimal(v)) for d, p, v in rows}


def _create(con: Database, name: str, columns: tuple[str, ...] | list[str], types: dict[str, str]) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    cols = ", ".join(f'"{c}" {types.get(c, "VARCHAR")}' for c in columns)
    con.execute(f'CREATE TABLE "{name}" ({cols})')


def _append(con: Database, name: str, columns: tuple[str, ...] | list[str], rows: list[dict[str, Any]]) -> None:
    con.insert_rows(
        name, columns, [_TYPES.get(c, "VARCHAR") for c in columns], [[r.get(c) for c in columns] for r in rows]
    )


def _mapping(series: list[dict[str, Any]], counts: dict[str, list[Any]]) -> None:
    """Per document: budget lines that should name a measure (all but grand and group totals), found in it, found at
    all."""
    for r in series:
        if r["fact_type"] != "budget" or r["level"] in ("grand_total", "group"):
            continue
        c = counts.setdefault(r["document_id"], [r["source"], 0, 0, 0])
        c[1] += 1
        c[2] += bool(r["measure_id"]) and r["measure_source"] not in ("linked", "copy", None)
        c[3] += bool(r["measure_id"])


def _rates(cells: WideCells) -> list[dict[str, Any]]:
    """Executed / planned per département, measure and year, from the dataset's total cells."""
    out = []
    for (dept, year), values in sorted(cells.items()):
        measures = {c.split(":")[1] for c in values if c.startswith("budget:")}
        for m in sorted(measures):
            planned, executed = values.get(f"budget:{m}:planned:total"), values.get(f"budget:{m}:executed:total")
            if planned is None and executed is None:
                continue
            rate = (executed / planned).quantize(RATE_DIGITS) if planned and executed is not None else None
            out.append(
                dict(departement_code=dept, measure_id=m, year=year, planned=planned, executed=executed, rate=rate)
            )
    return out


def reconcile(con: Database) -> ReconcileSummary:
    """Rebuild every reconciliation and dataset table in one transaction, one département at a time (every grouping
    is within a département), so memory is bounded by the largest département, not the archive."""
    summary = ReconcileSummary()
    state = fingerprint(con)
    doc_rows = con.execute("SELECT document_id, doc_type, year, departement_code, status FROM documents").fetchall()
    docs = {r[0]: (r[1], r[2]) for r in doc_rows}
    flagged = _flagged(con)
    finding_cols = TABLE_SCHEMAS["findings"]
    finding_types = dict(zip(finding_cols, column_types("findings"), strict=True))
    cells: WideCells = {}
    present: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, list[Any]] = {}
    with con.transaction():
        for name, columns in (
            ("series", SERIES_COLUMNS),
            ("conflicts", checks.CONFLICT_COLUMNS),
            ("label_links", LINK_COLUMNS),
            ("execution_rates", RATE_COLUMNS),
            ("measure_mapping", MAPPING_COLUMNS),
            ("copies", COPY_COLUMNS),
            ("dataset_long", LONG_COLUMNS),
            ("coverage", COVERAGE_COLUMNS),
        ):
            _create(con, name, columns, _TYPES)
        marks = ", ".join("?" for _ in RECONCILE_CHECKS)
        con.execute(f'DELETE FROM findings WHERE "check" IN ({marks})', list(RECONCILE_CHECKS))
        for dept in _departements(con):
            copies = find_copies(con, dept)
            budget, links, differences = budget_series(con, dept, docs, flagged, copies)
            series = budget + indicator_series(con, dept, docs, copies)
            facts_rows = [r for r in series if not r["copy_of"]]  # a weaker copy's rows are its better copy's facts
            conflicts = checks.conflicts(facts_rows) + difference_rows(differences)
            warnings = checks.definition_warnings(facts_rows)
            sums = checks.part_sum_findings([r for r in budget if not r["copy_of"]])
            long = long_rows(series)
            add_wide_cells(cells, long)
            present[dept].update(r["indicator_id"] for r in long if r["fact_type"] == "indicator")
            _mapping(budget, counts)
            link_rows = [
                dict(departement_code=lk.departement_code, measure_id=lk.measure_id, level=lk.level, label=lk.label)
                | dict(canonical=lk.canonical, score=lk.score)
                for lk in links
                if lk.label != lk.canonical
            ]
            _append(con, "series", SERIES_COLUMNS, series)
            _append(con, "conflicts", checks.CONFLICT_COLUMNS, conflicts)
            _append(con, "label_links", LINK_COLUMNS, link_rows)
            _append(con, "dataset_long", LONG_COLUMNS, long)
            _append(con, "copies", COPY_COLUMNS, copy_rows(copies, budget, differences))
            findings = [checks.conflict_finding(c) for c in conflicts if c["check_name"] != "copy_only"]
            findings += [checks.finding_row(w["row"], "definition_changed", w["message"]) for w in warnings]
            findings += [
                checks.finding_row(s["row"], "dataset_part_sum", s["message"], s["declared"], s["computed"])
                for s in sums
            ]
            all_copies = unread.figure_copies(con, dept, copies)
            missed, confirmed = unread.missed_on_copies(con, dept, all_copies)
            findings += unread.finding_rows(con, missed)
            unread.withdraw_confirmed(con, all_copies, confirmed)
            con.insert_rows(
                "findings",
                finding_cols,
                [finding_types[c] for c in finding_cols],
                [[f.get(c) for c in finding_cols] for f in findings],
            )
            summary.series += len(series)
            summary.conflicts += len(conflicts)
            summary.links += len(link_rows)
            summary.definition_warnings += len(warnings)
            summary.facts += len(long)
            summary.part_sum_warnings += len(sums)
        _append(con, "execution_rates", RATE_COLUMNS, _rates(cells))
        mapping = [
            dict(document_id=d, source=c[0], budget_lines=c[1], mapped_in_document=c[2], mapped=c[3])
            | dict(rate=(Decimal(c[3]) / c[1]).quantize(RATE_DIGITS) if c[1] else None)
            for d, c in sorted(counts.items())
        ]
        _append(con, "measure_mapping", MAPPING_COLUMNS, mapping)
        _write_wide(con, cells)
        _append(
            con,
            "coverage",
            COVERAGE_COLUMNS,
            coverage_rows([(r[3], r[1], r[2]) for r in doc_rows if r[4] != "failed"], present),
        )
        mark_fresh(con, state)
    return summary


def _write_wide(con: Database, cells: WideCells) -> None:
    """dataset_wide: one row per département × year, one decimal column per measure × stage × part and per
    indicator × value kind."""
    columns = list(WIDE_KEYS) + wide_columns(cells)
    types = {c: "DECIMAL(38,6)" for c in columns[2:]} | {"year": "INTEGER"}
    _create(con, "dataset_wide", columns, types)
    rows = [[dept, year, *(values.get(c) for c in columns[2:])] for (dept, year), values in sorted(cells.items())]
    con.insert_rows("dataset_wide", columns, [types.get(c, "VARCHAR") for c in columns], rows)
