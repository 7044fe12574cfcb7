"""`calpae audit DIR`: the findings of a run as a readable table."""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from calpae.models import Finding

COLUMNS = ("document", "section", "where", "check", "severity", "what disagrees", "by how much")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MESSAGE_WIDTH = 110


def _rows_from_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _rows_from_duckdb(path: Path) -> list[dict[str, str]]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = ", ".join(f'"{c}"' for c in Finding.COLUMNS)
        cur = con.execute(f"SELECT {columns} FROM findings")
        return [
            {c: "" if v is None else str(v) for c, v in zip(Finding.COLUMNS, row, strict=False)}
            for row in cur.fetchall()
        ]
    finally:
        con.close()


def load_findings(run_dir: Path) -> list[dict[str, str]]:
    """Findings rows of a run folder: findings.csv, else calpae.duckdb."""
    if (run_dir / "findings.csv").exists():
        return _rows_from_csv(run_dir / "findings.csv")
    if (run_dir / "calpae.duckdb").exists():
        return _rows_from_duckdb(run_dir / "calpae.duckdb")
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


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render(rows: list[dict[str, str]]) -> str:
    """A plain-text table, errors first, then by document and place."""
    rows = sorted(
        rows,
        key=lambda r: (
            SEVERITY_ORDER.get(r.get("severity", ""), 3),
            r.get("source", ""),
            int(r.get("page") or 0),
            int(r.get("line") or 0),
        ),
    )
    table = [COLUMNS] + [
        (
            Path(r.get("source") or r.get("document_id", "")).name,
            r.get("section", ""),
            _where(r),
            r.get("check", ""),
            r.get("severity", ""),
            _short(r.get("message", ""), MESSAGE_WIDTH),
            _by_how_much(r),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    out = []
    for n, line in enumerate(table):
        out.append("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=False)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def summary(rows: list[dict[str, str]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.get("severity", "")] = counts.get(r.get("severity", ""), 0) + 1
    parts = [f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info")]
    return f"{len(rows)} finding(s): " + ", ".join(parts)


def cmd_audit(args: argparse.Namespace) -> int:
    try:
        rows = load_findings(Path(args.dir))
    except (FileNotFoundError, OSError) as exc:
        print(f"calpae audit: {exc}", file=sys.stderr)
        return 2
    if args.severity:
        rows = [r for r in rows if r.get("severity") in args.severity]
    if rows:
        print(render(rows))
    print(summary(rows))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("audit", help="print the findings of a run (DIR/findings.csv or DIR/calpae.duckdb)")
    p.add_argument("dir", metavar="DIR", help="output folder of `calpae extract`")
    p.add_argument(
        "--severity", action="append", choices=("error", "warning", "info"), help="show only this severity (repeatable)"
    )
    p.set_defaults(func=cmd_audit)
