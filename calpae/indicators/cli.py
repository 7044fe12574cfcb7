"""`calpae unmapped DIR`: the indicator values and budget lines of a run that the referential did not map."""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

# (run table, label column, id column that is empty when unmapped)
UNMAPPED_SOURCES = (
    ("indicator_values", "indicator_label", "indicator_id"),
    ("budget_lines", "row_label", "measure_id"),
)


def register(subparsers) -> None:
    from calpae.cliopts import add_db

    p = subparsers.add_parser("unmapped", help="list indicator values and budget lines left without a referential id")
    p.add_argument(
        "dir",
        nargs="?",
        default=None,
        help="run folder written by `calpae extract` (calpae.duckdb or the CSV files; default: none, use --db)",
    )
    add_db(p, required=False, help_extra="instead of DIR; default: DIR/calpae.duckdb")
    p.add_argument("--limit", type=int, default=50, help="labels shown per table (0 = all)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text lines or one JSON object")
    p.set_defaults(func=cmd_unmapped)


def _rows_from_duckdb(db: Path | str, table: str, label: str, ident: str) -> list[tuple[str, str]]:
    from calpae.store.db import connect

    with connect(db, read_only=True) as con:
        return con.execute(
            f'SELECT "{label}", document_id FROM "{table}" WHERE "{ident}" IS NULL OR "{ident}" = \'\''
        ).fetchall()


def _rows_from_csv(path: Path, label: str, ident: str) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [(r.get(label) or "", r.get("document_id") or "") for r in csv.DictReader(fh) if not r.get(ident)]


def unmapped(run_dir: Path, db_target: str | None = None) -> dict[str, list[tuple[str, int, int]]]:
    """Per run table: (label, occurrences, documents) of unmapped rows, most frequent first."""
    db = db_target or run_dir / "calpae.duckdb"
    result: dict[str, list[tuple[str, int, int]]] = {}
    for table, label, ident in UNMAPPED_SOURCES:
        if db_target or Path(db).exists():
            rows = _rows_from_duckdb(db, table, label, ident)
        elif (run_dir / f"{table}.csv").exists():
            rows = _rows_from_csv(run_dir / f"{table}.csv", label, ident)
        else:
            rows = []
        counts = Counter(r[0] or "(no label)" for r in rows)
        docs: dict[str, set[str]] = {}
        for lab, doc in rows:
            docs.setdefault(lab or "(no label)", set()).add(doc)
        result[table] = sorted(((lab, n, len(docs[lab])) for lab, n in counts.items()), key=lambda t: (-t[1], t[0]))
    return result


def cmd_unmapped(args: argparse.Namespace) -> int:
    if args.db:
        from calpae.store.db import is_postgres_url

        if not is_postgres_url(args.db) and not Path(args.db).is_file():
            print(f"calpae unmapped: database {args.db} not found", file=sys.stderr)
            return 2
        return _report_unmapped(args, Path("."), args.db)
    if args.dir is None:
        print("calpae unmapped: give a run folder or --db DB", file=sys.stderr)
        return 2
    run_dir = Path(args.dir)
    if not run_dir.is_dir():
        print(f"calpae unmapped: {run_dir}: not a run folder", file=sys.stderr)
        return 2
    if not (run_dir / "calpae.duckdb").exists() and not any(
        (run_dir / f"{t}.csv").exists() for t, _, _ in UNMAPPED_SOURCES
    ):
        print(
            f"calpae unmapped: {run_dir}: no calpae.duckdb nor run CSV files (run `calpae extract` first)",
            file=sys.stderr,
        )
        return 2
    return _report_unmapped(args, run_dir, None)


def _report_unmapped(args: argparse.Namespace, run_dir: Path, db: str | None) -> int:
    try:
        found = unmapped(run_dir, db)
    except Exception as exc:  # an unreadable database is bad input, not a crash
        print(f"calpae unmapped: {db or run_dir}: cannot read the run ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    if args.format == "json":
        import json

        payload = {
            table: [{"label": lab, "rows": n, "documents": nd} for lab, n, nd in rows] for table, rows in found.items()
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    for table, rows in found.items():
        total = sum(n for _, n, _ in rows)
        print(f"{table}: {total} unmapped row(s), {len(rows)} distinct label(s)")
        shown = rows if args.limit == 0 else rows[: args.limit]
        for label, n, ndocs in shown:
            print(f"  {n:>5}  {ndocs:>3} doc(s)  {label}")
        if len(shown) < len(rows):
            print(f"  … {len(rows) - len(shown)} more (use --limit 0)")
    return 0
