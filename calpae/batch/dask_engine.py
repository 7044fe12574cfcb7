"""The Dask engine: the same per-document work on a Dask distributed cluster.

Each task ships the document's bytes, so workers need only calpae installed (no shared
filesystem); results come back as records and the driver writes them to the store, exactly as the
local engine does. At most 4 documents per worker are in flight, which bounds the driver's memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from calpae.batch.inputs import with_content
from calpae.batch.runner import BatchOptions, BatchSummary, Progress, Task, _failed_task, _record, _run_task
from calpae.store import RunStore


def run_dask(
    tasks: Iterator[Task | None], store: RunStore, opts: BatchOptions, scheduler: str | None, client=None
) -> BatchSummary:
    """Process tasks on the cluster at `scheduler` (or on the given client, e.g. a LocalCluster's)."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # the optional extra is missing
        raise SystemExit("calpae batch --engine dask needs the extra: pip install 'calpae[dask]'") from exc
    import time

    own_client = client is None
    client = client or Client(scheduler)
    summary = BatchSummary()
    progress = Progress(opts.quiet)
    started = time.monotonic()
    window = 4 * max(1, len(client.scheduler_info().get("workers", {})) or opts.workers)
    futures = as_completed()
    owners = {}
    pending = iter(tasks)

    def submit_next() -> bool:
        for task in pending:
            if task is None:
                summary.skipped += 1
                continue
            shipped = Task(with_content(task.item), task.sha)
            fut = client.submit(_run_task, shipped, opts.timeout, opts.ocr, opts.write_json, pure=False)
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
                rows = _failed_task(task, f"worker error: {type(exc).__name__}: {exc}", opts.write_json)
            _record(store, rows, summary, progress)
            submit_next()
    finally:
        progress.close()
        if own_client:
            client.close()
    summary.seconds = time.monotonic() - started
    return summary
