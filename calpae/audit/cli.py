"""`calpae audit [DIR] [--db DB]`: the findings of a run as a readable table (wrapped, never cut), CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import sys
import textwrap
from decimal import Decimal, InvalidOperation
from pathlib import Path

from calpae.models import Finding

COLUMNS = ("document", "section", "where", "check", "severity", "what disagrees", "by how much")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MIN_MESSAGE_WIDTH = 30  # characters; below this the message column is wrapped at this width anyway
MAX_AMOUNT_WIDTH = 32  # the 'by how much' column wraps past this
DEFAULT_WIDTH = 160  # when stdout is not a terminal (a file, a pipe)
FORMATS = ("table", "csv", "json")


def _rows_from_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _rows_from_db(target: str | Path) -> list[dict[str, str]]:
    """Every column of the findings table (a DuckDB file or a PostgreSQL URL), as text."""
    from calpae.store.db import connect

    with connect(target, read_only=True) as con:
        cur = con.execute("SELECT * FROM findings")
        names = [d[0] for d in cur.description]
        return [{c: "" if v is None else str(v) for c, v in zip(names, row, strict=True)} for row in cur.fetchall()]


def load_findings(run_dir: Path | None = None, db: str | None = None) -> list[dict[str, str]]:
    """Findings rows of a database (--db), else of a run folder: findings.csv, else calpae.duckdb."""
    if db is not None:
        from calpae.store.db import is_postgres_url

        if not is_postgres_url(db) and not Path(db).is_file():
            raise FileNotFoundError(f"database {db} not found (run `calpae batch … --db {db}` first)")
        return _rows_from_db(db)
    assert run_dir is not None
    if (run_dir / "findings.csv").exists():
        return _rows_from_csv(run_dir / "findings.csv")
    if (run_dir / "calpae.duckdb").exists():
        return _rows_from_db(run_dir / "calpae.duckdb")
    raise FileNotFoundError(
        f"{run_dir}: no findings.csv nor calpae.duckdb (run `calpae extract --out {run_dir}` first)"
    )


def _amount(text: str) -> str:
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return text or ""
    from calpae.audit.checks import fmt

    return fmt(value)


def _by_how_much(row: dict[str, str]) -> str:
    if row.get("difference"):
        return (
            f"{_amount(row['difference'])} ({_amount(row.get('declared', ''))} vs {_amount(row.get('computed', ''))})"
        )
    if row.get("computed"):
        return f"read as {_amount(row['computed'])}"
    return ""


def _where(row: dict[str, str]) -> str:
    if row.get("page"):
        return f"p. {row['page']}"
    if row.get("line"):
        return f"l. {row['line']}"
    return ""


def cells(row: dict[str, str]) -> list[dict]:
    """The cells a finding involves (the findings table's JSON column), [] for older runs."""
    try:
        parsed = json.loads(row.get("cells") or "[]")
    except json.JSONDecodeError:
        return []
    return [c for c in parsed if isinstance(c, dict)]


def _other_place(row: dict[str, str]) -> str:
    """Where the figure a finding compares with is: 'other copy: p. 3' (its page, not an internal id)."""
    places = []
    for c in cells(row):
        if c.get("part") != "other":
            continue
        where = f"p. {c['page']}" if c.get("page") else (f"l. {c['line']}" if c.get("line") else "")
        if c.get("document_id") and c["document_id"] != row.get("document_id"):
            where = f"document {c['document_id']} {where}".strip()
        if where and where not in places:
            places.append(where)
    return f" [compared with: {', '.join(places)}]" if places else ""


def _sorted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Errors first, then by document and place."""
    return sorted(
        rows,
        key=lambda r: (
            SEVERITY_ORDER.get(r.get("severity", ""), 3),
            r.get("source", ""),
            int(r.get("page") or 0),
            int(r.get("line") or 0),
        ),
    )


def _table_rows(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return [
        (
            Path(r.get("source") or r.get("document_id", "")).name,
            r.get("section", ""),
            _where(r),
            r.get("check", ""),
            r.get("severity", ""),
            r.get("message", "") + _other_place(r),
            _by_how_much(r),
        )
        for r in _sorted(rows)
    ]


_NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most width characters, never breaking inside a number ('496 421,17')."""
    lines = textwrap.wrap(_NUMBER_SPACE.sub("\u00a0", text), width) or [""]
    return [line.replace("\u00a0", " ") for line in lines]


def render(rows: list[dict[str, str]], width: int = DEFAULT_WIDTH) -> str:
    """A plain-text table that fits `width` columns: the message and amount columns wrap, nothing is cut."""
    table = _table_rows(rows)
    fixed = [max(len(COLUMNS[i]), *(len(r[i]) for r in table)) for i in range(5)]
    amount_w = min(MAX_AMOUNT_WIDTH, max(len(COLUMNS[6]), *(len(r[6]) for r in table)))
    message_w = max(MIN_MESSAGE_WIDTH, width - sum(fixed) - amount_w - 2 * 6)
    widths = [*fixed, message_w, amount_w]
    out = ["  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for r in table:
        wrapped = [[cell] for cell in r[:5]] + [_wrap(r[5], message_w), _wrap(r[6], amount_w)]
        for n in range(max(len(w) for w in wrapped)):
            parts = [(w[n] if n < len(w) else "") for w in wrapped]
            out.append("  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip())
    return "\n".join(out)


def render_csv(rows: list[dict[str, str]]) -> str:
    """The findings with every stored column, errors first."""
    buf = io.StringIO()
    names = list(dict.fromkeys([*Finding.COLUMNS, *(k for r in rows for k in r)]))
    writer = csv.DictWriter(buf, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(_sorted(rows))
    return buf.getvalue()


def render_json(rows: list[dict[str, str]]) -> str:
    """One JSON object per finding: its columns (amounts as decimal text), its cells parsed."""
    items = []
    for r in _sorted(rows):
        item: dict[str, object] = {k: (v if v != "" else None) for k, v in r.items() if k != "cells"}
        for k in ("page", "line"):
            if item.get(k) is not None:
                item[k] = int(str(item[k]))
        item["cells"] = cells(r)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1)


def summary(rows: list[dict[str, str]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.get("severity", "")] = counts.get(r.get("severity", ""), 0) + 1
    parts = [f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info")]
    return f"{len(rows)} finding(s): " + ", ".join(parts)


def cmd_audit(args: argparse.Namespace) -> int:
    if args.dir is None and args.db is None:
        print("calpae audit: give a run folder or --db DB", file=sys.stderr)
        return 2
    try:
        rows = load_findings(Path(args.dir) if args.dir else None, args.db)
    except (FileNotFoundError, OSError) as exc:
        print(f"calpae audit: {exc}", file=sys.stderr)
        return 2
    if args.severity:
        rows = [r for r in rows if r.get("severity") in args.severity]
    if args.format == "json":
        print(render_json(rows))
    elif args.format == "csv":
        sys.stdout.write(render_csv(rows))
    else:
        width = args.width or (shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if sys.stdout.isatty() else 0)
        if rows:
            print(render(rows, width or DEFAULT_WIDTH))
        if not args.quiet:
            print(summary(rows))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from calpae.cliopts import add_db

    p = subparsers.add_parser("audit", help="print the findings of a run (DIR/findings.csv or DIR/calpae.duckdb)")
    p.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        default=None,
        help="output folder of extract or batch (default: none, use --db)",
    )
    add_db(p, required=False, help_extra="instead of DIR; default: DIR/findings.csv or DIR/calpae.duckdb")
    p.add_argument(
        "--severity",
        action="append",
        choices=("error", "warning", "info"),
        help="show only this severity (repeatable; default: all)",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="table (wrapped to the terminal), csv or json")
    p.add_argument("--width", type=int, default=0, help="table width in characters (0: the terminal's, else 160)")
    p.set_defaults(func=cmd_audit)
