"""`calpae reconcile`, `calpae dataset` and `calpae explain` over a run database.

Every `calpae` command registers its parser at start-up, so the stages this module drives (pyarrow, the referential)
are imported inside the commands, not here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calpae.store.db import Database


def _open(db: str, read_only: bool = False) -> Database | None:
    from calpae.store.db import connect, is_postgres_url

    if not is_postgres_url(db) and not Path(db).is_file():
        print(f"calpae: database {db} not found (run `calpae extract … --db {db}` first)", file=sys.stderr)
        return None
    con = connect(db, read_only=read_only)
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'documents'").fetchone()[0]:
        con.close()
        print(f"calpae: {db} holds no run tables (run `calpae extract … --db {db}` first)", file=sys.stderr)
        return None
    return con


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
    from calpae.reconcile.explain import as_json, explain_cell, text_lines

    code = departement_code(args.departement)
    if code is None:
        print(f"calpae explain: no département named {args.departement!r}", file=sys.stderr)
        return 2
    item = _item(args.item)
    con = _fresh(args.db)
    if con is None:
        return 2
    with con:
        ex = explain_cell(con, code, item, args.year)
    if ex is None:
        print(f"no value for département {code}, {item}, {args.year}", file=sys.stderr)
        return 1
    print(as_json(ex) if args.format == "json" else "\n".join(text_lines(ex)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from calpae.cliopts import add_db

    p = sub.add_parser("reconcile", help="series, conflicts, execution rates and the dataset tables")
    add_db(p)
    p.set_defaults(func=cmd_reconcile)
    p = sub.add_parser("dataset", help="export the national comparison dataset (CSV, Parquet, datapackage.json)")
    add_db(p)
    p.add_argument("--out", required=True, help="folder for the dataset files")
    p.add_argument("--xlsx", action="store_true", help="also dataset.xlsx (one sheet per table)")
    p.add_argument("--french-csv", action="store_true", help="also *.fr.csv: ';' separated, decimal comma, BOM")
    p.set_defaults(func=cmd_dataset)
    p = sub.add_parser("explain", help="sources of one dataset cell: DEPT ITEM YEAR (indicator or measure)")
    add_db(p)
    p.add_argument("departement", help="INSEE code ('6', '06', '2A') or name of the département")
    p.add_argument("item", help="measure_id or indicator_id (or its name)")
    p.add_argument("year", type=int, help="year of the fact")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text lines or one JSON object")
    p.set_defaults(func=cmd_explain)
