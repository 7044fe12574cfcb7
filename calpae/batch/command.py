"""`calpae batch`: run it and report (the report is `calpae extract`'s too)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from calpae.batch.context import start_fork_server
from calpae.errors import UsageError

if TYPE_CHECKING:  # annotations only: `calpae batch` starts its fork server before importing the models
    from calpae.batch.tasks import BatchOptions, BatchSummary

MAX_LISTED = 50  # failures, partial documents and copies listed one per line in the report; the rest counted


def database_and_out(db: str, out: str | None) -> tuple[str | Path, Path]:
    """The --db target (a path, or a PostgreSQL URL kept as text) and the output folder."""
    from calpae.store.db import is_url, shown_target

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
    if args.engine == "local":
        start_fork_server()  # its preload (~0.7 s) runs while this process imports the runner and plans the batch
    # imported after the fork server started (see above)
    from calpae.batch.runner import run_batch
    from calpae.batch.tasks import BatchOptions
    from calpae.store.db import shown_target

    db, out = database_and_out(args.db, args.out)

    opts = BatchOptions(
        workers=args.workers,
        timeout=args.timeout_per_doc,
        max_memory_mb=args.max_memory_mb,
        recycle_rss_mb=args.recycle_rss_mb or None,
        tasks_per_worker=args.max_tasks_per_worker,
        quiet=args.quiet,
        verbose=getattr(args, "verbose", False),
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
            f"{len(s.failed)} failed, {len(s.partial)} partial; {s.figures.summary()}",
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
