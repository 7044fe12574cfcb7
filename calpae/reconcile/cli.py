"""`calpae reconcile`, `calpae dataset` and `calpae explain` over a run database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _open(db: str, read_only: bool = False):
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


def cmd_reconcile(args: argparse.Namespace) -> int:
    from calpae.reconcile import reconcile

    con = _open(args.db)
    if con is None:
        return 2
    with con:
        s = reconcile(con)
    print(
        f"{s.series} series rows, {s.links} label links, {s.conflicts} conflicts, "
        f"{s.definition_warnings} definition-change warnings",
        file=sys.stderr,
    )
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    from calpae.reconcile import export_dataset, reconcile

    con = _open(args.db)
    if con is None:
        return 2
    with con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'series'").fetchone()[0]:
            reconcile(con)
        written = export_dataset(con, Path(args.out))
    for path in written:
        print(path)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Every source of one cell of the dataset: documents, pages/lines, raw text, conflicts."""
    con = _open(args.db, read_only=True)
    if con is None:
        return 2
    with con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'series'").fetchone()[0]:
            print(
                f"calpae explain: {args.db} has no series yet (run `calpae reconcile --db {args.db}`)", file=sys.stderr
            )
            return 2
        rows = con.execute(
            "SELECT fact_type, coalesce(indicator_id, measure_id), canonical_action, year, "
            "coalesce(value_kind, kind), role, value, unit, source, page, line, raw FROM series "
            "WHERE departement_code = ? AND (indicator_id = ? OR measure_id = ?) AND year = ? "
            "ORDER BY doc_year, source, page, line",
            [args.departement, args.item, args.item, args.year],
        ).fetchall()
        conflicts = con.execute(
            "SELECT check_name, action_label, kind, value_a, source_a, page_a, line_a, value_b, source_b, page_b, "
            "line_b FROM conflicts WHERE departement_code = ? AND (indicator_id = ? OR measure_id = ?) AND year = ?",
            [args.departement, args.item, args.item, args.year],
        ).fetchall()
    if not rows:
        print(f"no value for département {args.departement}, {args.item}, {args.year}", file=sys.stderr)
        return 1
    if getattr(args, "format", "text") == "json":
        print(_explain_json(rows, conflicts))
        return 0
    for r in rows:
        where = f"p.{r[9]}" if r[9] is not None else f"l.{r[10]}"
        what = " ".join(str(x) for x in (r[2], r[4], r[5]) if x)
        print(f"{r[0]:9} {r[1]} {what}: {r[6]} {r[7] or ''}  ← {r[8]} {where}  «{(r[11] or '').strip()[:80]}»")
    for c in conflicts:
        print(
            f"CONFLICT {c[0]} {c[1] or ''} {c[2]}: {c[3]} ({c[4]} p/l {c[5] or c[6]}) vs {c[7]} "
            f"({c[8]} p/l {c[9] or c[10]})"
        )
    return 0


SOURCE_KEYS = ("fact_type", "id", "action", "year", "kind", "role", "value", "unit", "source", "page", "line", "raw")
CONFLICT_KEYS = (
    "check",
    "action",
    "kind",
    "value_a",
    "source_a",
    "page_a",
    "line_a",
    "value_b",
    "source_b",
    "page_b",
    "line_b",
)


def _json_value(v: object) -> object:
    from decimal import Decimal

    return format(v.normalize(), "f") if isinstance(v, Decimal) else v


def _explain_json(rows: list, conflicts: list) -> str:
    """The same sources and conflicts as the text output, as one JSON object (amounts as decimal text)."""
    import json

    return json.dumps(
        {
            "sources": [{k: _json_value(v) for k, v in zip(SOURCE_KEYS, r, strict=True)} for r in rows],
            "conflicts": [{k: _json_value(v) for k, v in zip(CONFLICT_KEYS, c, strict=True)} for c in conflicts],
        },
        ensure_ascii=False,
        indent=1,
    )


def register(sub: argparse._SubParsersAction) -> None:
    from calpae.cliopts import add_db

    p = sub.add_parser("reconcile", help="series, conflicts and execution rates across documents")
    add_db(p)
    p.set_defaults(func=cmd_reconcile)
    p = sub.add_parser("dataset", help="export the national comparison dataset (CSV + Parquet)")
    add_db(p)
    p.add_argument("--out", required=True, help="folder for the dataset files")
    p.set_defaults(func=cmd_dataset)
    p = sub.add_parser("explain", help="sources of one dataset cell: DEPT ID YEAR (indicator or measure id)")
    add_db(p)
    p.add_argument("departement", help="INSEE code of the département, e.g. 11 or 2A")
    p.add_argument("item", help="indicator_id or measure_id")
    p.add_argument("year", type=int, help="year of the fact")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text lines or one JSON object")
    p.set_defaults(func=cmd_explain)
