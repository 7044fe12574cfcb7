"""`calpae report`: the command-line face of calpae.report (heavy imports stay inside the command)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from calpae.cliopts import add_common, add_db, say

RUN_DB = "calpae.duckdb"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="the auditor's report of a run: a static HTML site (offline, in French)",
        description="Build a static HTML report (index, one page per finding, table, document page and "
        "département, national plots) from a run database. Open OUT/index.html in a browser.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("run", nargs="?", default=None, metavar="RUN_DIR", help=f"run folder holding {RUN_DB}")
    add_db(p, required=False, help_extra=f"default: RUN_DIR/{RUN_DB}")
    p.add_argument("--out", default=None, help="report folder (default: a 'report' folder beside the database)")
    p.add_argument("--scale", type=float, default=2.0, help="page images, pixels per PDF point (2 = 144 dpi)")
    p.add_argument("--check", action="store_true", help="then check every internal link and image of the report")
    add_common(p)
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from calpae.store.db import is_postgres_url

    if args.db is None and args.run is None:
        print("calpae report: give a run folder or --db DB", file=sys.stderr)
        return 2
    db = args.db or str(Path(args.run) / RUN_DB)
    if not is_postgres_url(db) and not Path(db).is_file():
        print(f"calpae report: database {db} not found (run `calpae batch … --db {db}` first)", file=sys.stderr)
        return 2
    if not 0.5 <= args.scale <= 4:
        print("calpae report: --scale must be between 0.5 and 4", file=sys.stderr)
        return 2
    if args.out:
        out = Path(args.out)
    elif args.run:
        out = Path(args.run) / "report"
    elif is_postgres_url(db):
        out = Path("report")
    else:
        out = Path(db).parent / "report"
    from calpae.report.build import build_report

    try:
        summary = build_report(db, out, args.scale, progress=(lambda m: say(args, m)) if args.verbose else None)
    except OSError as exc:
        print(f"calpae report: {exc}", file=sys.stderr)
        return 1
    for doc_id, why in summary.problems.items():
        print(f"warning: document {doc_id}: no page image, {why}", file=sys.stderr)
    if not args.quiet:
        print(
            f"report: {summary.html_pages} HTML pages, {summary.images} page images, "
            f"{summary.size_bytes / 1e6:.1f} MB in {summary.seconds:.1f} s",
            file=sys.stderr,
        )
    if args.check:
        from calpae.report.check import check_report

        result = check_report(out)
        for problem in result.problems:
            print(f"report check: {problem}", file=sys.stderr)
        say(args, f"checked {result.pages} pages, {result.links} internal links, {result.images} images")
        if result.problems:
            return 1
    print(summary.index)
    return 0
