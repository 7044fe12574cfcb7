"""`calpae batch`: every document of an archive through extract → audit → store, in a process pool.

The driver is the only writer to the store: workers return records, the driver commits each document
in its own transaction, so a killed run keeps every document committed before the kill and a re-run
skips them (same content hash, same calpae version).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from calpae import __version__
from calpae.batch.inputs import InputItem, iter_inputs
from calpae.batch.pool import HARD_TIMEOUT_GRACE, Limits, WorkerPool
from calpae.batch.worker import process_item
from calpae.models import Extraction, FigureCount
from calpae.pipeline import failed_document, file_sha256
from calpae.store import RunStore
from calpae.store.run import DocumentRows, document_rows


@dataclass
class BatchOptions:
    workers: int = max(1, os.cpu_count() or 1)
    timeout: float = 120.0
    max_memory_mb: int | None = 6144
    tasks_per_worker: int = 50  # a worker is recycled after this many documents (bounds leaks)
    recycle_rss_mb: float | None = 1500  # ... or as soon as its RSS passes this after a document
    commit_seconds: float = 1.0  # results are committed together at most this long after the first arrives
    commit_docs: int = 8  # ... or once this many wait (a kill loses at most this uncommitted work)
    quiet: bool = False
    write_json: bool = False
    ocr: str = "auto"  # auto: OCR pages without a text layer; always; never


@dataclass
class BatchSummary:
    processed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    recycled: int = 0  # workers retired (RSS cap or task quota) and replaced
    crashed: int = 0  # workers that died on a document
    figures: FigureCount = field(default_factory=FigureCount)  # the processed documents' figures, summed

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0


@dataclass(frozen=True)
class Task:
    item: InputItem
    sha: str


def content_sha(item: InputItem) -> str:
    """Content hash used for identity and resumption; the name's hash when the content is unreadable."""
    try:
        if item.problem:
            raise OSError(item.problem)
        if item.path is not None:
            return file_sha256(item.path)
        return hashlib.sha256(item.read_bytes()).hexdigest()
    except OSError:
        return hashlib.sha256(item.source.encode()).hexdigest()


def plan(items: Iterator[InputItem], store: RunStore) -> Iterator[Task | None]:
    """Tasks still to do; None for each item skipped because it is already stored by this version."""
    done = store.processed_hashes(__version__)
    seen: set[str] = set()
    for item in items:
        if item.problem == "skip":
            continue
        sha = content_sha(item)
        if sha in done or sha in seen:
            yield None
            continue
        seen.add(sha)
        yield Task(item, sha)


def worker_context() -> multiprocessing.context.BaseContext:
    """Fork server with calpae preloaded (fast, recyclable workers); spawn where fork is unavailable."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["calpae.batch.preload"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_task(task: Task, timeout: float, ocr: str = "auto", with_json: bool = False) -> DocumentRows:
    """A worker's whole job for one document: extract it, then build its store rows (off the driver)."""
    return document_rows(process_item(task.item, task.sha, timeout, ocr), with_json)


class Progress:
    """tqdm on a terminal, plain periodic lines otherwise, nothing with --quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.start = time.monotonic()
        self.last_line = 0.0
        if not quiet and self.tty:
            from tqdm import tqdm

            self.bar = tqdm(desc="batch", unit="doc", file=sys.stderr)

    def update(self, summary: BatchSummary, doc: DocumentRows) -> None:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = summary.pages / elapsed
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(pages=summary.pages, pages_s=f"{rate:.1f}", failed=len(summary.failed))
        if doc.status == "failed" and not self.quiet:
            self.write(f"failed: {doc.source}: {'; '.join(doc.errors)}")
        elif not self.quiet and not self.tty and time.monotonic() - self.last_line > 5:
            self.last_line = time.monotonic()
            self.write(
                f"{summary.processed} documents, {summary.pages} pages, {rate:.1f} pages/s, "
                f"{len(summary.failed)} failed"
            )

    def write(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_local(tasks: Iterator[Task | None], store: RunStore, opts: BatchOptions) -> BatchSummary:
    """Process tasks in a pool of worker processes, one document per worker at a time (bounded memory).

    The next document goes to a worker before the driver stores the result it just got, so workers
    never wait on the store."""
    summary = BatchSummary()
    progress = Progress(opts.quiet)
    started = time.monotonic()
    limits = Limits(opts.max_memory_mb, opts.recycle_rss_mb, opts.tasks_per_worker)
    pool = WorkerPool(
        worker_context(),
        opts.workers,
        _run_task,
        limits,
        hard_timeout=opts.timeout + HARD_TIMEOUT_GRACE if opts.timeout else None,
    )
    pending = iter(tasks)
    exhausted = False
    interrupted = True

    def feed() -> None:
        nonlocal exhausted
        while not exhausted and pool.idle():
            task = next(pending, StopIteration)
            if task is StopIteration:
                exhausted = True
            elif task is None:
                summary.skipped += 1
            else:
                pool.submit(task, task, opts.timeout, opts.ocr, opts.write_json)

    ready: list[DocumentRows] = []  # results not yet committed (at most commit_seconds old)
    since = 0.0

    def commit() -> None:
        _commit(store, ready, summary, progress)
        ready.clear()

    try:
        feed()
        while pool.busy():
            wait_s = max(0.0, since + opts.commit_seconds - time.monotonic()) if ready else None
            outcomes = pool.results(wait_s)
            feed()  # workers start their next document while the driver writes these
            if outcomes and not ready:
                since = time.monotonic()
            ready.extend(o.value if o.ok else _failed_task(o.task, o.value, opts.write_json) for o in outcomes)
            if ready and (
                len(ready) >= opts.commit_docs or time.monotonic() - since >= opts.commit_seconds or not pool.busy()
            ):
                commit()
        interrupted = False
    finally:
        if not interrupted:
            commit()
        summary.recycled, summary.crashed = pool.recycled, pool.crashed
        pool.close(kill=interrupted)
        progress.close()
    summary.seconds = time.monotonic() - started
    return summary


def _failed_task(task: Task, reason: str, with_json: bool = False) -> DocumentRows:
    ext = Extraction(document=failed_document(Path(task.item.source), reason, task.sha))
    ext.document.source = task.item.source
    return document_rows(ext, with_json)


def _record(store: RunStore, doc: DocumentRows, summary: BatchSummary, progress: Progress) -> None:
    _commit(store, [doc], summary, progress)


def _commit(store: RunStore, docs: list[DocumentRows], summary: BatchSummary, progress: Progress) -> None:
    """Write documents to the store in one transaction, then count them."""
    if not docs:
        return
    store.add_many(docs, calpae_version=__version__)
    for doc in docs:
        _count(doc, summary, progress)


def _count(doc: DocumentRows, summary: BatchSummary, progress: Progress) -> None:
    summary.processed += 1
    summary.pages += doc.page_count
    if doc.figures is not None:
        summary.figures += doc.figures
    if doc.status == "failed":
        summary.failed.append((doc.source, "; ".join(doc.errors)))
    progress.update(summary, doc)


def run_batch(
    specs: list[str],
    db: Path,
    out: Path | None,
    opts: BatchOptions,
    engine: str = "local",
    scheduler: str | None = None,
) -> BatchSummary:
    """The whole batch: plan against the database, process, then the run-level stages and exports."""
    out_dir = out or db.parent
    store = RunStore(out_dir, db_path=db, write_json=opts.write_json)
    try:
        tasks = plan(iter_inputs(specs), store)
        if engine == "dask":
            from calpae.batch.dask_engine import run_dask

            summary = run_dask(tasks, store, opts, scheduler)
        else:
            summary = run_local(tasks, store, opts)
        if summary.processed:
            finish_run(store, out_dir / "dataset", opts)
    finally:
        store.close()
    return summary


def finish_run(store: RunStore, dataset_dir: Path, opts: BatchOptions) -> None:
    """Run-level stages once the documents are in: reconcile, then the dataset exports."""
    from calpae.reconcile import export_dataset, reconcile

    try:
        s = reconcile(store.con)
        export_dataset(store.con, dataset_dir)
    except Exception as exc:  # the per-document results are committed; say what failed after them
        print(f"warning: reconcile/dataset failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    if not opts.quiet:
        print(f"reconciled: {s.series} series rows, {s.conflicts} conflicts; dataset in {dataset_dir}", file=sys.stderr)
