"""The Dask engine: the same per-document work on a Dask distributed cluster.

Each task ships the document's bytes, so workers need only calpae installed (no shared
filesystem); results come back as rows and the driver writes them to the store, exactly as the
local engine does. At most 4 documents per worker are in flight, which bounds the driver's memory.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from calpae.batch.archives import with_content
from calpae.batch.tasks import RunContext, Task
from calpae.batch.worker import run_task
from calpae.errors import UsageError

IN_FLIGHT_PER_WORKER = 4


def run_dask(tasks: Sequence[Task], run: RunContext, client: Any = None) -> None:
    """Process tasks on the cluster at run.scheduler (or on the given client, e.g. a LocalCluster's)."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # the optional extra is missing
        raise UsageError("--engine dask needs the extra: pip install 'calpae[dask]'") from exc

    own_client = client is None
    try:
        client = client or Client(run.scheduler, timeout=30)
    except OSError as exc:
        raise UsageError(f"--scheduler {run.scheduler}: cannot reach the Dask scheduler ({exc})") from exc
    opts, summary = run.opts, run.summary
    started = time.monotonic()
    summary.workers = len(client.scheduler_info().get("workers", {})) or opts.workers or 1
    window = IN_FLIGHT_PER_WORKER * max(1, summary.workers)
    futures = as_completed()
    owners = {}
    pending = iter(tasks)

    def submit_next() -> bool:
        for task in pending:
            try:
                shipped = Task(with_content(task.item), task.sha)
            except Exception as exc:  # the member cannot be read on the driver: the document fails alone
                run.commit([run.failed(task, f"cannot be read ({exc})")])
                continue
            fut = client.submit(run_task, shipped, opts, pure=False)
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
                rows = run.failed(task, f"worker error: {type(exc).__name__}: {exc}")
            run.commit([rows])
            submit_next()
    finally:
        run.progress.close()
        if own_client:
            client.close()
    summary.seconds = time.monotonic() - started
