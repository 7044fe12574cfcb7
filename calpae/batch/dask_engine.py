"""The Dask engine: the same per-document work on a Dask distributed cluster.

Each task ships the document's bytes, so workers need only calpae installed (no shared
filesystem); results come back as rows and the driver writes them to the store, exactly as the
local engine does. At most 4 documents per worker are in flight, which bounds the driver's memory.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from calpae.batch.archives import with_content
from calpae.batch.progress import Progress
from calpae.batch.tasks import BatchOptions, BatchSummary, Task, commit, failed_rows
from calpae.batch.worker import run_task
from calpae.errors import UsageError
from calpae.store import RunStore

IN_FLIGHT_PER_WORKER = 4


def run_dask(
    tasks: Sequence[Task],
    store: RunStore,
    opts: BatchOptions,
    summary: BatchSummary,
    progress: Progress,
    workdir: Path | None = None,
    scheduler: str | None = None,
    client: Any = None,
) -> None:
    """Process tasks on the cluster at `scheduler` (or on the given client, e.g. a LocalCluster's)."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # the optional extra is missing
        raise UsageError("--engine dask needs the extra: pip install 'calpae[dask]'") from exc

    own_client = client is None
    try:
        client = client or Client(scheduler, timeout=30)
    except OSError as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({exc})") from exc
    started = time.monotonic()
    summary.workers = len(client.scheduler_info().get("workers", {})) or opts.workers
    progress.begin(len(tasks), summary.workers)
    window = IN_FLIGHT_PER_WORKER * max(1, summary.workers)
    futures = as_completed()
    owners = {}
    pending = iter(tasks)

    def submit_next() -> bool:
        for task in pending:
            try:
                shipped = Task(with_content(task.item), task.sha)
            except Exception as exc:  # the member cannot be read on the driver: the document fails alone
                commit(store, [failed_rows(task, f"cannot be read ({exc})", opts.write_json)], summary, progress)
                continue
            fut = client.submit(run_task, shipped, opts.timeout, opts.ocr, opts.write_json, opts.keep_words, pure=False)
            owners[fut.key] = task
            futures.add(fut)
            return True
        return False

    try:
        for _ in range(window):
            if not submit_next():
                break
        for fut in futures:
            task = owners.pop(fut.key)
            try:
                rows = fut.result()
            except Exception as exc:  # a worker died or the task raised: the document fails alone
                rows = failed_rows(task, f"worker error: {type(exc).__name__}: {exc}", opts.write_json)
            commit(store, [rows], summary, progress)
            submit_next()
    finally:
        progress.close()
        if own_client:
            client.close()
    summary.seconds = time.monotonic() - started
