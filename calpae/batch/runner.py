"""`calpae batch` (and `calpae extract`): scan the inputs, plan against the database, process, then the end phase.

1. scan: every file and archive member is hashed in one pass (so the run knows its total before it starts);
2. plan: what is stored by this version is skipped (failed documents too, unless --retry-failed);
3. documents: an engine (local pool or Dask) processes the rest, the driver commits their rows;
4. end phase: reconcile and the dataset when stale; the CSV exports of the run tables.
All temporary files live in one work folder removed at the end (or by the next run after a kill).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from calpae import __version__
from calpae.batch.engines import get_engine
from calpae.batch.inputs import iter_inputs
from calpae.batch.plan import plan
from calpae.batch.progress import Progress
from calpae.batch.tasks import BatchOptions, BatchSummary, RunContext
from calpae.batch.workdir import run_workdir
from calpae.errors import UsageError
from calpae.store import RunStore


def writable_folder(folder: Path, what: str = "--out") -> Path:
    """The folder, created if needed, once a file could be written in it; else a one-line UsageError now,
    not after the whole run's work."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise UsageError(f"{what} {folder}: not a folder")
        fd, probe = tempfile.mkstemp(prefix=".calpae-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(f"{what} {folder}: cannot write there ({exc.strerror or exc})") from exc
    return folder


def run_batch(
    specs: Sequence[str],
    db: str | Path,
    out: Path,
    opts: BatchOptions,
    engine: str = "local",
    scheduler: str | None = None,
) -> BatchSummary:
    """The whole run: scan and plan against the database, process, then the end phase and the exports."""
    run_engine = get_engine(engine)
    writable_folder(out)
    with run_workdir() as workdir:
        store = RunStore(out, db_path=db, write_json=opts.write_json)
        progress = Progress(opts.quiet, opts.command)
        try:
            stored = store.stored_documents(__version__) if opts.resume else {}
            todo = plan(progress.scanning(iter_inputs(list(specs), workdir)), stored, opts.retry_failed)
            summary = todo.summary
            store.add_copies(summary.duplicates)
            run = RunContext(store, opts, summary, progress, workdir, scheduler)
            if todo.tasks:
                progress.begin(len(todo.tasks))
            run.commit([run.failed(t, t.item.problem) for t in todo.tasks if t.item.problem])  # no worker needed
            work = [t for t in todo.tasks if not t.item.problem]
            if work:
                run_engine(work, run)
            if opts.finish:
                # the end phase loads calpae.reconcile (pandas, pyarrow: ~0.6 s): `calpae extract`, which does not
                # finish, never imports it
                from calpae.batch.endphase import finish_run

                finish_run(store, out / "dataset", summary, progress)
            progress.phase(f"exports: run tables as CSV in {out}")
        finally:
            store.close()
    return summary
