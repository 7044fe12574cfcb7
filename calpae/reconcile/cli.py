"""`calpae reconcile`, `calpae dataset` and `calpae explain` over a run database.

Every `calpae` command registers its parser at start-up, so the stages this module drives (pyarrow, the referential)
are imported inside the commands, not here.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calpae.store.db import Database

UNITS = {"EUR": "€", "percent": "%", "days": "j"}


def _open(db: str, read_only: bool = False) -> Database | None:
    from calpae.store.db import connect, is_postgres_url

    if not is_postgres_url(db) and not Path(db).is_file():
        print(f"calpae: database {db} not found (run `calpae extract … --db {db}` first)", file=sys.stderr)
        return None
    return connect(db, read_only=read_only)


def amount_text(value: Decimal | None, unit: str | None) -> str:
    """A value as a reader writes it: '1 207 650,75 €', '45,5 %', '152'."""
    if value is None:
        return "—"
    value = Decimal(value)
    if unit == "EUR":
        return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"
    text = format(value.normalize(), "f").replace(".", ",")
    symbol = UNITS.get(unit or "", "")
    return f"{text} {symbol}".strip()


def departement_code(text: str) -> str | None:
    """The INSEE code of '6', '06', '2a', '971' or a département's name ('Alpes-Maritimes', 'aude')."""
    from calpae.referential import load_referential
    from calpae.referential.normalize import fold

    ref = load_referential()
    found = ref.departement_by_code(text)
    if found is not None:
        return found.code
    wanted = fold(text)
    for d in ref.departements.values():
        if wanted in {fold(d.name), *(fold(a) for a in d.aliases)}:
            return d.code
    named = ref.find_departement(text)
    return named[0] if named else None


def _item(text: str) -> str:
    """A measure or indicator id; a name is looked up in the referential."""
    from calpae.referential import load_referential

    ref = load_referential()
    if text in ref.measures or text in ref.indicators:
        return text
    found = ref.match_measure(text) or ref.match_indicator(text)
    return found[0] if found else text


def cmd_reconcile(args: argparse.Namespace) -> int:
    from calpae.reconcile import reconcile

    con = _open(args.db)
    if con is None:
        return 2
    with con:
        s = reconcile(con)
        mapping = con.execute(
            "SELECT source, budget_lines, mapped_in_document, mapped FROM measure_mapping ORDER BY source"
        ).fetchall()
    print(
        f"{s.series} series rows, {s.facts} facts, {s.links} label links, {s.conflicts} conflicts, "
        f"{s.definition_warnings} definition-change warnings, {s.part_sum_warnings} totals not equal to their parts",
        file=sys.stderr,
    )
    for source, lines, own, mapped in mapping:
        if lines:
            print(
                f"  {source}: {mapped}/{lines} budget lines with a measure ({100 * mapped / lines:.0f} %, "
                f"{own} from the document itself)",
                file=sys.stderr,
            )
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    from calpae.reconcile import export_dataset, stale_reason

    con = _open(args.db)
    if con is None:
        return 2
    with con:
        reason = stale_reason(con)
        if reason:
            print(f"calpae dataset: {reason}; reconciling first", file=sys.stderr)
        written = export_dataset(con, Path(args.out), xlsx=args.xlsx, french_csv=args.french_csv)
    for path in written:
        print(path)
    return 0


def _fresh(db: str) -> Database | None:
    """A read-only connection to reconciled tables that are up to date: rebuilt first when stale, or None with a
    message saying what to run when they cannot be rebuilt here."""
    from calpae.reconcile import reconcile, stale_reason
    from calpae.store.db import connect

    con = _open(db, read_only=True)
    if con is None:
        return None
    reason = stale_reason(con)
    if reason is None:
        return con
    con.close()
    print(f"calpae explain: {reason}; reconciling first", file=sys.stderr)
    try:
        with connect(db) as rw:
            reconcile(rw)
    except Exception as exc:  # a read-only file, a database another process holds: say what to run instead
        print(
            f"calpae explain: cannot rebuild the reconciliation here ({type(exc).__name__}: {exc}); "
            f"run `calpae reconcile --db {db}`",
            file=sys.stderr,
        )
        return None
    return connect(db, read_only=True)


def cmd_explain(args: argparse.Namespace) -> int:
    """Every fact of one cell of the dataset, the value kept, and every source: documents, pages/lines, raw text."""
    code = departement_code(args.departement)
    if code is None:
        print(f"calpae explain: no département named {args.departement!r}", file=sys.stderr)
        return 2
    item = _item(args.item)
    con = _fresh(args.db)
    if con is None:
        return 2
    where = "departement_code = ? AND (indicator_id = ? OR measure_id = ?) AND year = ?"
    params = [code, item, item, args.year]
    with con:
        facts = con.execute(
            f"SELECT fact_type, level, action, stage, part, value_kind, value, unit, n_sources, has_conflict, "
            f"departement_name, coalesce(nullif(measure_name, ''), indicator_name) FROM dataset_long WHERE {where} "
            "ORDER BY fact_type, level, action, stage, part, value_kind",
            params,
        ).fetchall()
        sources = con.execute(
            f"SELECT level, canonical_action, stage, part, value_kind, value, unit, source, page, line, raw "
            f"FROM series WHERE {where} ORDER BY doc_year, source, page, line",
            params,
        ).fetchall()
        conflicts = con.execute(
            "SELECT check_name, action_label, kind, value_a, source_a, page_a, line_a, value_b, source_b, page_b, "
            f"line_b, fact_type, part FROM conflicts WHERE {where}",
            params,
        ).fetchall()
        cur = con.execute("SELECT * FROM dataset_wide WHERE departement_code = ? AND year = ?", [code, args.year])
        wide_row = cur.fetchone()
        wide = dict(zip([d[0] for d in cur.description], wide_row or (), strict=False))
    if not facts:
        print(f"no value for département {code}, {item}, {args.year}", file=sys.stderr)
        return 1
    print(f"{facts[0][10]} ({code}) — {item} {facts[0][11]} — {args.year}")
    for f in facts:
        what = " ".join(x for x in (f[3], f[4], f[5]) if x)
        where_ = f"{f[1]} {f[2]}".strip()
        flag = ", sources disagree" if f[9] else ""
        print(f"{f[0]:9} {where_} · {what}: {amount_text(f[6], f[7])}  (kept; {f[8]} source(s){flag})")
        for s in sources:
            if (s[0] or "", s[1] or "", s[2] or "", s[3] or "", s[4] or "") == (f[1], f[2], f[3], f[4], f[5]):
                place = f"p.{s[8]}" if s[8] is not None else f"l.{s[9]}"
                raw = (s[10] or "").strip()[:80]
                print(f"    {amount_text(s[5], s[6])}  ← {s[7]} {place}  «{raw}»")
    cells = {
        c: v for c, v in wide.items() if v is not None and (c.startswith(f"budget:{item}:") or c.startswith(f"{item}:"))
    }
    for column, value in sorted(cells.items()):
        print(f"dataset_wide {column} = {amount_text(value, 'EUR' if column.startswith('budget:') else None)}")
    for c in conflicts:
        unit = "EUR" if c[11] == "budget" else None
        what = " ".join(x for x in (c[1], c[2], c[12]) if x)
        print(
            f"CONFLICT {c[0]} {what}: {amount_text(c[3], unit)} ({c[4]} p/l {c[5] or c[6]}) vs "
            f"{amount_text(c[7], unit)} ({c[8]} p/l {c[9] or c[10]})"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reconcile", help="series, conflicts, execution rates and the dataset tables")
    p.add_argument("--db", required=True)
    p.set_defaults(func=cmd_reconcile)
    p = sub.add_parser("dataset", help="export the national comparison dataset (CSV, Parquet, datapackage.json)")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--xlsx", action="store_true", help="also dataset.xlsx (one sheet per table)")
    p.add_argument("--french-csv", action="store_true", help="also *.fr.csv: ';' separated, decimal comma, BOM")
    p.set_defaults(func=cmd_dataset)
    p = sub.add_parser("explain", help="sources of one dataset cell: DEPT ITEM YEAR (indicator or measure)")
    p.add_argument("--db", required=True)
    p.add_argument("departement", help="INSEE code ('6', '06', '2A') or name")
    p.add_argument("item", help="measure_id or indicator_id (or its name)")
    p.add_argument("year", type=int)
    p.set_defaults(func=cmd_explain)
