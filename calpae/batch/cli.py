"""`calpae batch ARCHIVE... --db PATH|URL`: the command-line face of calpae.batch, and the run options and
report it shares with `calpae extract`."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

from calpae.batch.engines import ENGINES
from calpae.batch.runner import run_batch
from calpae.batch.tasks import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, BatchOptions, BatchSummary
from calpae.errors import UsageError
from calpae.store.db import is_url, shown_target

MAX_TIMEOUT_S = 7 * 24 * 3600.0  # a per-document timeout longer than a week is a typo
MIN_MEMORY_MB = 1024  # below this a worker cannot even load the language model
MAX_LISTED = 50  # failures, partial documents and copies listed one per line in the report; the rest counted


def _number(kind: Callable[[str], float], low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high], else an error naming the bounds."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: {what}")
        return value

    return parse


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options both `batch` and `extract` take: workers, per-document limits, OCR."""
    p.add_argument(
        "--workers",
        type=_number(int, 1, 4096, "must be ≥ 1"),
        default=None,
        help="worker processes (default: the cores; never more than the cores nor the documents)",
    )
    p.add_argument(
        "--timeout-per-doc",
        type=_number(float, 1e-3, MAX_TIMEOUT_S, f"must be a number of seconds > 0 and ≤ {MAX_TIMEOUT_S:g}"),
        default=DEFAULT_TIMEOUT,
        help=f"seconds before a document is failed (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--max-memory-mb",
        type=_number(int, MIN_MEMORY_MB, 2**40, f"must be a number of MB ≥ {MIN_MEMORY_MB}"),
        default=DEFAULT_MAX_MEMORY_MB,
        help=f"address-space cap of each worker (default {DEFAULT_MAX_MEMORY_MB})",
    )
    p.add_argument(
        "--ocr",
        choices=["auto", "always", "never"],
        default="auto",
        help="OCR (Tesseract, French): auto = pages without a usable text layer (default), always, never",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output (failures are still listed)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="process folders, zip/tar archives and globs into one database")
    p.add_argument("inputs", nargs="+", help="folders (recursive), .zip/.tar(.gz) archives, glob patterns")
    p.add_argument("--db", required=True, help="DuckDB file (created or appended to), or postgresql://…")
    p.add_argument("--out", default=None, help="folder for CSV exports and the dataset (default: the database's)")
    add_run_options(p)
    p.add_argument("--retry-failed", action="store_true", help="process again the documents stored as failed/partial")
    p.add_argument(
        "--recycle-rss-mb",
        type=_number(float, 0, 2**40, "must be ≥ 0"),
        default=1500,
        help="a worker whose resident memory passes this after a document is replaced (0: never)",
    )
    p.add_argument(
        "--max-tasks-per-worker",
        type=_number(int, 1, 2**31, "must be ≥ 1"),
        default=50,
        help="documents before a worker is replaced",
    )
    p.add_argument("--json", action="store_true", help="also write one JSON record per document")
    p.add_argument("--engine", choices=sorted(ENGINES), default="local")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    p.set_defaults(func=cmd_batch)


def database_and_out(db: str, out: str | None) -> tuple[str | Path, Path]:
    """The --db target (a path, or a PostgreSQL URL kept as text) and the output folder."""
    if is_url(db):
        if out is None:
            raise UsageError(f"--db {shown_target(db)}: a database URL needs --out FOLDER for the exports")
        return db, Path(out)
    path = Path(db)
    if path.is_dir():
        raise UsageError(f"--db {db}: a folder, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--db {db}: cannot create its folder ({exc.strerror or exc})") from exc
    return path, Path(out) if out else path.parent


def cmd_batch(args: argparse.Namespace) -> int:
    if args.engine == "dask" and not args.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS")
    db, out = database_and_out(args.db, args.out)
    opts = BatchOptions(
        workers=args.workers,
        timeout=args.timeout_per_doc,
        max_memory_mb=args.max_memory_mb,
        recycle_rss_mb=args.recycle_rss_mb or None,
        tasks_per_worker=args.max_tasks_per_worker,
        quiet=args.quiet,
        write_json=args.json,
        ocr=args.ocr,
        retry_failed=args.retry_failed,
    )
    summary = run_batch(args.inputs, db, out, opts, args.engine, args.scheduler)
    report(summary, opts, shown_target(db))
    return summary.exit_status


def _listed(label: str, rows: list[tuple[str, str]]) -> None:
    for source, reason in rows[:MAX_LISTED]:
        print(f"  {label}: {source}: {reason}", file=sys.stderr)
    if len(rows) > MAX_LISTED:
        print(f"  … and {len(rows) - MAX_LISTED} more {label} (see the documents table)", file=sys.stderr)


def report(summary: BatchSummary, opts: BatchOptions, db: str) -> None:
    """The run's last lines on stderr: counts, then every failure, partial document, copy and earlier failure."""
    s = summary
    rate = s.pages / s.seconds if s.seconds else 0.0
    if s.processed == 0 and s.skipped:
        print(f"nothing new: {s.skipped} document(s) already in {db}", file=sys.stderr)
    elif s.processed or s.failed:
        print(
            f"{s.processed} document(s) processed ({s.pages} pages, {rate:.1f} pages/s), {s.skipped} already done, "
            f"{len(s.failed)} failed, {len(s.partial)} partial",
            file=sys.stderr,
        )
    if opts.workers and opts.workers > s.workers > 0 and not opts.quiet:
        print(f"  note: {s.workers} worker(s) used, not {opts.workers} (cores or documents fewer)", file=sys.stderr)
    _listed("failed", s.failed)
    _listed("partial", s.partial)
    _listed("note", s.notes)
    _listed("same content", [(src, f"stored once, as {same} (document {doc})") for src, same, doc in s.duplicates])
    if s.earlier:
        _listed("earlier", [(src, f"{status}: {why}") for src, status, why in s.earlier])
        print(
            f"  {len(s.earlier)} document(s) stored as failed or partial by an earlier run: "
            f"--retry-failed processes them again",
            file=sys.stderr,
        )
    if s.ignored:
        kinds = ", ".join(f"{suffix} ×{n}" for suffix, n in sorted(s.ignored.items()))
        print(f"  ignored: {sum(s.ignored.values())} file(s) of types calpae does not read ({kinds})", file=sys.stderr)
    if s.end_phase_error:
        print(
            f"  reconcile/dataset failed: {s.end_phase_error} (the documents are stored; the next run retries it)",
            file=sys.stderr,
        )
