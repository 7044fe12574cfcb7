"""The local engine: documents in a pool of worker processes on this machine, one document per worker at a time.

The driver is the only writer to the store: workers return rows, the driver commits documents in small
groups, so a killed run keeps every document committed before the kill and a re-run skips them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from calpae.batch.context import worker_context
from calpae.batch.pool import HARD_TIMEOUT_GRACE, Limits, WorkerPool
from calpae.batch.tasks import RunContext, Task
from calpae.batch.worker import run_pooled_task
from calpae.store.run import DocumentRows


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system says, else all)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None, documents: int) -> int:
    """Workers actually started: as many as asked (default: the cores), never more than the documents to do, nor
    than the cores."""
    return max(1, min(requested or usable_cores(), documents, usable_cores()))


def run_local(tasks: Sequence[Task], run: RunContext) -> None:
    """Process tasks in a pool of worker processes (bounded memory, each document's deadline enforced).

    The next document goes to a worker before the driver stores the result it just got, so workers
    never wait on the store."""
    started = time.monotonic()
    opts, summary = run.opts, run.summary
    summary.workers = worker_count(opts.workers, len(tasks))
    tmpdir = str(run.workdir) if run.workdir else None
    limits = Limits(opts.max_memory_mb, opts.recycle_rss_mb, opts.tasks_per_worker, tmpdir)
    pool = WorkerPool(
        worker_context(opts.fork_server),
        summary.workers,
        run_pooled_task,
        limits,
        hard_timeout=opts.timeout + HARD_TIMEOUT_GRACE if opts.timeout else None,
    )
    pending = iter(tasks)
    exhausted = False
    interrupted = True

    def feed() -> None:
        nonlocal exhausted
        while not exhausted and pool.idle():
            task = next(pending, None)
            if task is None:
                exhausted = True
            else:
                pool.submit(task, task, opts)

    ready: list[DocumentRows] = []  # results not yet committed (at most commit_seconds old)
    since = 0.0

    def flush() -> None:
        run.commit(ready)
        ready.clear()

    try:
        feed()
        while pool.busy():
            wait_s = max(0.0, since + opts.commit_seconds - time.monotonic()) if ready else None
            outcomes = pool.results(wait_s)
            feed()  # workers start their next document while the driver writes these
            if outcomes and not ready:
                since = time.monotonic()
            ready.extend(o.value if o.ok else run.failed(o.task, o.value) for o in outcomes)
            if ready and (
                len(ready) >= opts.commit_docs or time.monotonic() - since >= opts.commit_seconds or not pool.busy()
            ):
                flush()
        interrupted = False
    finally:
        if not interrupted:
            flush()
        summary.recycled, summary.crashed = pool.recycled, pool.crashed
        pool.close(kill=interrupted)
        run.progress.close()
    summary.seconds = time.monotonic() - started
