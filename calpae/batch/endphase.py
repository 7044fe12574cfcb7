"""The run-level phase after the documents: reconcile, then the dataset exports, whenever they are stale.

The database remembers which state of the documents the last complete end phase saw (and where it wrote
the dataset); a run whose documents differ from it, or that was killed during the end phase, or whose
dataset files are gone, runs it again, even when no document was new.
"""

from __future__ import annotations

from pathlib import Path

from calpae import __version__
from calpae.batch.progress import Progress
from calpae.batch.tasks import BatchSummary
from calpae.reconcile import export_dataset, reconcile
from calpae.store import RunStore
from calpae.store.db import Database

STATE_TABLE = "run_state"
DATASET_MARKER = "dataset_long.csv"  # the file whose absence says the dataset must be written again


def _documents_state(con: Database) -> str | None:
    """What the end phase depends on: the version and the processed documents (None when there are none)."""
    n, last = con.execute("SELECT count(*), max(processed_at) FROM processed").fetchone()
    return f"{__version__}|{n}|{last}" if n else None


def _state(con: Database) -> dict[str, str]:
    con.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (name VARCHAR, value VARCHAR)")
    return {r[0]: r[1] for r in con.execute(f"SELECT name, value FROM {STATE_TABLE}").fetchall()}


def stale_because(con: Database, dataset_dir: Path) -> str | None:
    """Why the end phase must run (None: it is up to date, or there is nothing to reconcile)."""
    current = _documents_state(con)
    if current is None:
        return None
    state = _state(con)
    if "documents" not in state:
        return "never built"
    if state["documents"] != current:
        return "documents changed since it was built"
    if state.get("dataset_dir") != str(dataset_dir.resolve()) or not (dataset_dir / DATASET_MARKER).exists():
        return "dataset files missing"
    return None


def _mark_done(con: Database, dataset_dir: Path) -> None:
    current = _documents_state(con) or ""
    with con.transaction():
        con.execute(f"DELETE FROM {STATE_TABLE}")
        con.executemany(
            f"INSERT INTO {STATE_TABLE} VALUES (?, ?)",
            [("documents", current), ("dataset_dir", str(dataset_dir.resolve()))],
        )


def finish_run(store: RunStore, dataset_dir: Path, summary: BatchSummary, progress: Progress) -> None:
    """Reconcile and write the dataset when stale; a failure is reported (exit 1) and retried by the next run."""
    why = stale_because(store.con, dataset_dir)
    if why is None:
        return
    try:
        progress.phase(f"reconcile ({why})")
        s = reconcile(store.con)
        progress.phase(f"dataset: writing {dataset_dir}")
        export_dataset(store.con, dataset_dir)
        _mark_done(store.con, dataset_dir)
    except Exception as exc:  # the documents are committed; the end phase is re-run next time
        summary.end_phase_error = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
        return
    progress.phase(f"reconciled: {s.series} series rows, {s.conflicts} conflicts; dataset in {dataset_dir}")
