"""`calpae batch ARCHIVE... --db PATH`: the command-line face of calpae.batch."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="process folders, zip/tar archives and globs into one database")
    p.add_argument("inputs", nargs="+", help="folders (recursive), .zip/.tar(.gz) archives, glob patterns")
    p.add_argument(
        "--db",
        required=True,
        help="run database: a DuckDB file or a postgresql://user@host/dbname URL (created or appended to)",
    )
    p.add_argument("--out", default=None, help="folder for CSV exports (default: the database's folder)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    p.add_argument("--timeout-per-doc", type=float, default=120.0, help="seconds before a document is failed")
    p.add_argument("--max-memory-mb", type=int, default=6144, help="address-space cap of each worker")
    p.add_argument(
        "--recycle-rss-mb",
        type=float,
        default=1500,
        help="a worker whose resident memory passes this after a document is replaced (0: never)",
    )
    p.add_argument("--max-tasks-per-worker", type=int, default=50, help="documents before a worker is replaced")
    p.add_argument(
        "--ocr",
        choices=["auto", "always", "never"],
        default="auto",
        help="OCR pages without a text layer (auto), every page, or none",
    )
    p.add_argument("--json", action="store_true", help="also write one JSON record per document")
    p.add_argument("--engine", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from calpae.batch import BatchOptions, run_batch

    if args.workers < 1 or args.timeout_per_doc <= 0 or args.recycle_rss_mb < 0 or args.max_tasks_per_worker < 1:
        print(
            "calpae batch: --workers and --max-tasks-per-worker must be ≥ 1, --timeout-per-doc > 0, "
            "--recycle-rss-mb ≥ 0",
            file=sys.stderr,
        )
        return 2
    if args.engine == "dask" and not args.scheduler:
        print("calpae batch: --engine dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    db = Path(args.db)
    if db.exists() and db.is_dir():
        print(f"calpae batch: --db {db} is a folder, not a database file", file=sys.stderr)
        return 2
    db.parent.mkdir(parents=True, exist_ok=True)
    opts = BatchOptions(
        workers=args.workers,
        timeout=args.timeout_per_doc,
        max_memory_mb=args.max_memory_mb,
        recycle_rss_mb=args.recycle_rss_mb or None,
        tasks_per_worker=args.max_tasks_per_worker,
        quiet=args.quiet,
        write_json=args.json,
        ocr=args.ocr,
    )
    summary = run_batch(args.inputs, db, Path(args.out) if args.out else None, opts, args.engine, args.scheduler)
    rate = summary.pages / summary.seconds if summary.seconds else 0.0
    if summary.processed == 0 and summary.skipped:
        print(f"nothing to do: {summary.skipped} document(s) already in {db}", file=sys.stderr)
    else:
        print(
            f"{summary.processed} document(s) processed ({summary.pages} pages, {rate:.1f} pages/s), "
            f"{summary.skipped} already done, {len(summary.failed)} failed; {summary.figures.summary()}",
            file=sys.stderr,
        )
    for source, reason in summary.failed:
        print(f"  failed: {source}: {reason}", file=sys.stderr)
    return summary.exit_status
