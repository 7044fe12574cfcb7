"""The per-document work of a batch, run inside a worker process (or a Dask worker).

The per-document deadline is a BaseException raised by SIGALRM, so no `except Exception` of a page or stage
handler can swallow it: the document fails with its reason, it is never stored as a silently shorter result.
Where the alarm cannot reach (a long call inside a C library), the pool kills the worker past a grace period.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from pathlib import Path, PurePosixPath

from calpae.batch.archives import MemberError, read_item
from calpae.batch.names import clean_text
from calpae.batch.tasks import BatchOptions, InputItem, Task, failed_extraction
from calpae.models import Extraction
from calpae.parser_process import limit_memory  # noqa: F401  (the workers' address-space cap, named here too)
from calpae.pipeline import extract_document
from calpae.readscope import PageHook, read_scope
from calpae.store.run import DocumentRows, document_rows


class DocumentTimeout(BaseException):
    """The document's deadline passed. A BaseException: page and stage handlers catch Exception only."""


def _on_alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout()


def compact(ext: Extraction) -> Extraction:
    """Drop per-word geometry before the result crosses processes; lines, tables and records stay."""
    for page in ext.document.pages:
        for line in page.lines:
            line.words = []
    return ext


def _renamed(ext: Extraction, read_as: str, item: InputItem) -> Extraction:
    """The extraction of a file read under another name (a temporary copy, a non-UTF-8 path) under its source."""
    doc = ext.document
    doc.source = item.source
    for rec in (*ext.budget_lines, *ext.indicator_values, *ext.amounts, *ext.findings):
        rec.provenance.source = item.source
    doc.errors = [clean_text(e.replace(read_as, item.source)) for e in doc.errors]
    if item.note:
        doc.errors.append(item.note)
    return ext


def _extract(item: InputItem, ocr: str) -> Extraction:
    """Extract a plain file where it is, anything else from a private temporary copy (in the run's work folder)."""
    if item.path is not None and item.data is None:
        return _renamed(extract_document(item.path, ocr=ocr), str(item.path), item)
    suffix = PurePosixPath(item.member or "").suffix
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="calpae-doc-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(read_item(item))
        return _renamed(extract_document(Path(name), ocr=ocr), name, item)
    finally:
        Path(name).unlink(missing_ok=True)


def process_item(
    item: InputItem, sha: str | None = None, timeout: float = 120.0, ocr: str = "auto", keep_words: bool = False
) -> Extraction:
    """Extract one input item; every failure (bad file, parser error, timeout, memory) becomes a failed Document."""
    if item.problem:
        return failed_extraction(item, item.problem, sha)
    # SIGALRM only works in a process's main thread (Dask runs tasks in worker threads; its own limits apply)
    use_alarm = bool(
        timeout and timeout > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    )
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        ext = _extract(item, ocr)
    except DocumentTimeout:
        return failed_extraction(item, f"timed out after {timeout:g} s (--timeout-per-doc)", sha)
    except MemoryError:
        return failed_extraction(item, "exceeded the worker memory cap (--max-memory-mb)", sha)
    except MemberError as exc:
        return failed_extraction(item, str(exc), sha)
    except OSError as exc:
        return failed_extraction(item, f"cannot be read ({exc.strerror or exc})", sha)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    return ext if keep_words else compact(ext)


def run_task(task: Task, opts: BatchOptions) -> DocumentRows:
    """A worker's whole job for one document: extract it (only opts.pages, when given), then build its store
    rows (off the driver)."""
    on_page = _say_page(task.item.source) if opts.verbose else None
    with read_scope(opts.pages, on_page):
        ext = process_item(task.item, task.sha, opts.timeout, opts.ocr, opts.keep_words)
    if opts.pages is not None and ext.document.status != "failed":
        read = sorted(p.number for p in ext.document.pages)
        ext.document.errors.append(
            f"only page(s) {', '.join(map(str, read)) or 'none'} of {ext.document.page_count} read (--pages)"
        )
    return document_rows(ext, opts.write_json)


def run_pooled_task(task: Task, opts: BatchOptions) -> DocumentRows:
    """run_task in a worker process of the local pool. A worker forked from the driver (`calpae extract`) parses its
    prose in a sibling process that loads spaCy while the document is read (calpae.parser_process; the pool ends it
    with the worker); a batch worker from the fork server loads spaCy itself, once, when a document first needs it."""
    if not opts.fork_server and not task.item.problem:
        from calpae.indicators.prose import start_parser_process

        start_parser_process()
    return run_task(task, opts)


def _say_page(source: str) -> PageHook:
    """--verbose: a line per page, printed by the worker that reads it (OCR takes seconds a page)."""

    def on_page(page: int, total: int, what: str) -> None:
        print(f"{source}: page {page}/{total} {what}", file=sys.stderr, flush=True)

    return on_page
