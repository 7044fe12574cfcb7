"""Read a run database into the report's objects: documents, findings with their cells, tables."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from calpae.report.model import Box, CellMark, Document, Finding, Table, TableCell, TableColumn, TableRow
from calpae.store.db import Database

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
CROSS_DOCUMENT_CHECKS = ("restatement", "forecast_mismatch")


def columns_of(con: Database, table: str) -> set[str]:
    """The columns a table has in this database (empty when it does not exist): later stages add some."""
    try:
        cur = con.execute(f'SELECT * FROM "{table}" LIMIT 0')
    except Exception:  # no such table (DuckDB and psycopg raise different types)
        return set()
    return {d[0] for d in cur.description}


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass
class RunData:
    """Everything the report shows that comes from the run tables of one database."""

    documents: dict[str, Document]
    findings: list[Finding]
    tables: dict[str, Table]
    prose_values: dict[str, list[dict]] = field(default_factory=dict)  # document_id -> indicator values from prose
    has_series: bool = False
    budget_columns: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # indexes built once: a national run has thousands of findings, documents and pages
        self._by_document: dict[str, list[Finding]] = defaultdict(list)
        self._by_page: dict[tuple[str, int], list[tuple[Finding, CellMark]]] = defaultdict(list)
        for f in self.findings:
            self._by_document[f.document_id].append(f)
            for c in f.cells:
                if c.page is not None and c.box is not None:
                    self._by_page[(c.document_id, c.page)].append((f, c))

    def findings_of(self, document_id: str) -> list[Finding]:
        """The findings placed in a document."""
        return self._by_document.get(document_id, [])

    def marks_on(self, document_id: str, page: int) -> list[tuple[Finding, CellMark]]:
        """Every finding's cell drawn on one page, whichever document the finding belongs to."""
        return self._by_page.get((document_id, page), [])


FIGURE_COLUMNS = ("figures_read", "figures_not_data", "figures_unread")
GROUPED_CHECKS = frozenset({"unread_figure"})  # findings the report shows as one per page
GROUP_SHOWN = 20  # figures a grouped finding's message names


def _figure_columns(con: Database) -> str:
    """The documents' figure counts, or NULLs in a run database made before calpae counted them."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'documents'"
        ).fetchall()
    }
    return ", ".join(c if c in have else "NULL" for c in FIGURE_COLUMNS)


def load_documents(con: Database) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for r in con.execute(
        "SELECT document_id, source, doc_type, departement_code, departement_name, year, pages, status, error, "
        f"{_figure_columns(con)} FROM documents ORDER BY departement_code, year, doc_type, source"
    ).fetchall():
        source = _text(r[1])
        counted = None if r[9] is None else (int(r[9]), int(r[10] or 0), int(r[11] or 0))
        docs[r[0]] = Document(
            document_id=r[0],
            source=source,
            doc_type=_text(r[2]) or "other",
            departement_code=_text(r[3]),
            departement_name=_text(r[4]),
            year=_text(r[5]),
            pages=int(r[6] or 0),
            status=_text(r[7]),
            error=_text(r[8]),
            is_pdf=source.lower().endswith(".pdf"),
            figures=counted,
        )
    for table, attr in (("budget_lines", "budget_lines"), ("indicator_values", "indicator_values")):
        for doc_id, n in con.execute(f'SELECT document_id, count(*) FROM "{table}" GROUP BY document_id').fetchall():
            if doc_id in docs:
                setattr(docs[doc_id], attr, int(n))
    for doc_id, severity, n in con.execute(
        "SELECT document_id, severity, count(*) FROM findings GROUP BY document_id, severity"
    ).fetchall():
        if doc_id in docs:
            docs[doc_id].findings[severity] = int(n)
    return docs


def _cell_marks(raw: str, document_id: str) -> list[CellMark]:
    try:
        items = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return []
    return [
        CellMark(
            part=it.get("part", "declared"),
            document_id=it.get("document_id") or document_id,
            page=it.get("page"),
            line=it.get("line"),
            box=Box.parse(it.get("bbox")),
            table_id=it.get("table_id"),
            label=it.get("label", ""),
            value=_dec(it.get("value")),
        )
        for it in items
        if isinstance(it, dict)
    ]


def load_findings(con: Database) -> list[Finding]:
    """Every finding, errors first, then by document and place; numbered in that order."""
    cols = columns_of(con, "findings")
    extra = [c if c in cols else "NULL" for c in ("table_id", "bbox", "cells")]
    rows = con.execute(
        'SELECT f.document_id, f.source, f.page, f.line, f.section, f."check", f.severity, f.declared, f.computed, '
        f"f.difference, f.message, {', '.join('f.' + c if c != 'NULL' else c for c in extra)}, d.departement_code "
        "FROM findings f LEFT JOIN documents d ON d.document_id = f.document_id"
    ).fetchall()
    rows.sort(key=lambda r: (SEVERITY_ORDER.get(r[6], 3), _text(r[1]), r[2] or 0, r[3] or 0, r[5], _text(r[10])))
    out: list[Finding] = []
    grouped: dict[tuple, Finding] = {}
    for r in rows:
        f = Finding(
            number=len(out) + 1,
            document_id=r[0],
            source=_text(r[1]),
            page=r[2],
            line=r[3],
            section=_text(r[4]),
            check=r[5],
            severity=r[6],
            declared=_dec(r[7]),
            computed=_dec(r[8]),
            difference=_dec(r[9]),
            message=_text(r[10]),
            table_id=r[11],
            cells=_cell_marks(_text(r[13]), r[0]),
            departement_code=_text(r[14]),
        )
        if not f.cells and (r[2] is not None or r[3] is not None):
            f.cells = [CellMark("declared", r[0], r[2], r[3], Box.parse(r[12]), r[11], "", f.declared)]
        if f.check in GROUPED_CHECKS:  # one entry per page for figures calpae did not read, not one per figure
            key = (f.check, f.document_id, f.page, f.line if f.page is None else None)
            if key in grouped:
                grouped[key].cells.extend(f.cells)
                continue
            grouped[key] = f
        out.append(f)
    for g in grouped.values():
        if len(g.cells) > 1:
            shown = ", ".join(f"'{c.label}'" for c in g.cells[:GROUP_SHOWN])
            more = f" and {len(g.cells) - GROUP_SHOWN} more" if len(g.cells) > GROUP_SHOWN else ""
            g.message = f"{len(g.cells)} figures of this page are in no record: {shown}{more}; check them by hand"
    _resolve_cross_document(con, out)
    return out


def _locate(
    con: Database, document_id: str, page: int | None, value: Decimal | None, year: int | None, item: str | None
):
    """(table_id, bbox) of the figure a reconcile conflict names: same document, page, value, year and item.
    Conditions are added only for known values (a typed SQL for DuckDB and PostgreSQL alike)."""
    for table, value_col, item_col in (
        ("budget_lines", "amount", "measure_id"),
        ("indicator_values", "value", "indicator_id"),
    ):
        where = ["document_id = ?", f"{value_col} = ?"]
        params: list[object] = [document_id, value]
        for column, known in (("page", page), ("year", year), (item_col, item)):
            if known is not None:
                where.append(f"{column} = ?")
                params.append(known)
        hit = con.execute(f"SELECT table_id, bbox FROM {table} WHERE {' AND '.join(where)} LIMIT 1", params).fetchone()
        if hit:
            return hit[0], Box.parse(hit[1])
    return None, None


def _resolve_cross_document(con: Database, findings: list[Finding]) -> None:
    """Reconcile's conflicts (one fact, two values in two documents) get both figures' cells, found by value."""
    if not columns_of(con, "conflicts") or "bbox" not in columns_of(con, "budget_lines"):
        return  # no conflicts, or a run made before the records kept their boxes
    conflicts = con.execute(
        "SELECT check_name, document_b, page_b, value_b, value_a, document_a, page_a, line_a, year, "
        "coalesce(indicator_id, measure_id), action_label, kind, fact_type FROM conflicts"
    ).fetchall()
    by_key = {(c[0], c[1], c[2], _dec(c[3]), _dec(c[4])): c for c in conflicts}
    for f in findings:
        if f.check not in CROSS_DOCUMENT_CHECKS:
            continue
        c = by_key.get((f.check, f.document_id, f.page, f.declared, f.computed))
        if c is None:
            continue
        year, item, label = c[8], c[9], f"{c[10] or c[9] or ''} {c[8]} ({c[11]})".strip()
        here_table, here_box = _locate(con, f.document_id, f.page, _dec(c[3]), year, item)
        there_table, there_box = _locate(con, c[5], c[6], _dec(c[4]), year, item)
        f.cells = [
            CellMark("declared", f.document_id, f.page, f.line, here_box, here_table, label, _dec(c[3])),
            CellMark("other", c[5], c[6], c[7], there_box, there_table, label, _dec(c[4])),
        ]
        f.table_id = f.table_id or here_table
        f.is_money = c[12] != "indicator"


def _stage_of(cols: set[str]) -> str:
    """What a budget column's meaning is called in this database: stage/part once issue 13's columns exist."""
    return "stage_part" if {"stage", "part"} <= cols else "role"


def load_budget_tables(con: Database) -> dict[str, Table]:
    cols = columns_of(con, "budget_lines")
    if not {"row", "col"} <= cols:
        return {}
    meaning = (  # lines without stage and part (a reader that does not give them yet) say their role
        "CASE WHEN stage IS NULL AND part IS NULL THEN role ELSE coalesce(stage, '') || ' / ' || coalesce(part, '') END"
        if _stage_of(cols) == "stage_part"
        else "role"
    )
    rows = con.execute(
        f'SELECT table_id, document_id, table_kind, section, "row", "col", row_label, column_label, year, {meaning}, '
        "amount, raw, bbox, page, line, is_total, measure_id FROM budget_lines "
        'WHERE "row" IS NOT NULL AND "col" IS NOT NULL ORDER BY table_id, "row", "col"'
    ).fetchall()
    tables = {}
    for table_id, group in groupby(rows, key=itemgetter(0)):  # rows come ordered by table
        lines = list(group)
        first = lines[0]
        col_meanings: dict[int, set[str]] = defaultdict(set)
        columns: dict[int, TableColumn] = {}
        trows: dict[int, TableRow] = {}
        cells: dict[tuple[int, int], TableCell] = {}
        for r in lines:
            row, col = r[4], r[5]
            if not r[15]:
                col_meanings[col].add(_text(r[9]))
            columns.setdefault(col, TableColumn(col, _text(r[7]), "", r[8]))
            trows.setdefault(row, TableRow(row, _text(r[6]), bool(r[15]), _text(r[16])))
            raw = _text(r[11]).rsplit(" | ", 1)[-1]
            cells[(row, col)] = TableCell(row, col, _dec(r[10]), raw, Box.parse(r[12]), r[13], r[14], bool(r[15]))
        for col, column in columns.items():
            meanings = col_meanings.get(col) or {""}
            column.role = meanings.pop() if len(meanings) == 1 else "par ligne"
        tables[table_id] = Table(
            table_id=table_id,
            document_id=first[1],
            kind=_text(first[2]),
            section=_text(first[3]),
            columns=[columns[c] for c in sorted(columns)],
            rows=[trows[r] for r in sorted(trows)],
            cells=cells,
            pages=sorted({r[13] for r in lines if r[13] is not None}),
        )
    return tables


def load_indicator_tables(con: Database) -> dict[str, Table]:
    """Indicator tables rebuilt from their values: one row per indicator label, one column per year and kind."""
    cols = columns_of(con, "indicator_values")
    if "table_id" not in cols:
        return {}
    rows = con.execute(
        "SELECT table_id, document_id, section, indicator_label, year, value_kind, value, qualifier, raw, bbox, page, "
        "line, indicator_id FROM indicator_values WHERE table_id IS NOT NULL ORDER BY table_id, page, line, bbox"
    ).fetchall()
    tables = {}
    for table_id, group in groupby(rows, key=itemgetter(0)):  # rows come ordered by table
        values = list(group)
        labels: dict[str, int] = {}
        heads: dict[tuple, int] = {}
        for r in values:
            labels.setdefault(_text(r[3]), len(labels))
        for key in sorted({(r[4] or 0, _text(r[5])) for r in values}):
            heads[key] = len(heads)
        cells: dict[tuple[int, int], TableCell] = {}
        for r in values:
            row, col = labels[_text(r[3])], heads[(r[4] or 0, _text(r[5]))]
            shown = _text(r[6]) if r[6] is not None else _text(r[7])
            cells[(row, col)] = TableCell(row, col, _dec(r[6]), shown, Box.parse(r[9]), r[10], r[11])
        measure = {_text(r[3]): _text(r[12]) for r in values}
        tables[table_id] = Table(
            table_id=table_id,
            document_id=values[0][1],
            kind="indicateurs",
            section=_text(values[0][2]),
            columns=[TableColumn(i, f"{y or ''} {k}".strip(), k, y or None) for (y, k), i in heads.items()],
            rows=[TableRow(i, label, False, measure.get(label, "")) for label, i in labels.items()],
            cells=cells,
            pages=sorted({r[10] for r in values if r[10] is not None}),
            is_budget=False,
        )
    return tables


def mark_tables(tables: dict[str, Table], findings: list[Finding]) -> None:
    """Each table's cells that findings involve, and the findings of each table."""
    for f in findings:
        for cm in f.cells:
            table = tables.get(cm.table_id or "")
            if table is None or cm.box is None:
                continue
            for cell in table.cells.values():
                if cell.box == cm.box and cell.page == cm.page:
                    if not cell.mark or ("declared", "other", "part").index(cm.part) < (
                        "declared",
                        "other",
                        "part",
                    ).index(cell.mark):
                        cell.mark = cm.part
                    if f.number not in cell.findings:
                        cell.findings.append(f.number)
        for tid in {f.table_id, *(cm.table_id for cm in f.cells)}:
            if tid in tables and f.number not in tables[tid].findings:
                tables[tid].findings.append(f.number)


def load_run(db: str | Path) -> RunData:
    """The run tables of a database, read once (read-only)."""
    from calpae.store.db import connect

    with connect(db, read_only=True) as con:
        docs = load_documents(con)
        findings = load_findings(con)
        tables = load_budget_tables(con)
        tables.update(load_indicator_tables(con))
        mark_tables(tables, findings)
        for f in findings:
            if f.check == "definition_changed":
                f.is_money = False
            for cm in f.cells:
                cm.document_name = docs[cm.document_id].name if cm.document_id in docs else cm.document_id
        prose: dict[str, list[dict]] = defaultdict(list)
        for r in con.execute(
            "SELECT document_id, page, line, indicator_label, indicator_id, year, value_kind, value, unit, qualifier, "
            "raw FROM indicator_values WHERE origin = 'prose' ORDER BY document_id, page, line"
        ).fetchall():
            prose[r[0]].append(
                dict(page=r[1], line=r[2], label=r[3], indicator_id=r[4], year=r[5], kind=r[6], value=r[7], unit=r[8])
                | {"qualifier": r[9], "raw": r[10]}
            )
        return RunData(
            docs,
            findings,
            tables,
            dict(prose),
            has_series=bool(columns_of(con, "series")),
            budget_columns=columns_of(con, "budget_lines"),
        )
