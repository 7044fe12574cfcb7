"""The types every part of a batch shares (inputs, tasks, options, the run summary) and the commit helper.

Engines (local pool, Dask), the planner and the command line all import from here, never from each other.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from calpae import __version__
from calpae.batch.defaults import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from calpae.batch.names import clean_text
from calpae.models import Extraction, FigureCount
from calpae.pipeline import failed_document
from calpae.store.run import DocumentRows, RunStore, document_rows

if TYPE_CHECKING:  # only for annotations
    from calpae.models import Document


@dataclass(frozen=True)
class InputItem:
    """One document to process: a plain file, or a member of an archive (source 'a.zip!dir/x.pdf').

    `source` is always storable text (see calpae.batch.names); `path`/`archive` are the real paths."""

    source: str
    path: Path | None = None  # plain file
    archive: Path | None = None  # the (possibly spooled nested) archive holding the member
    member: str | None = None  # member name as shown
    index: int | None = None  # zip: position in the central directory; tar: offset of the data
    size: int | None = None  # tar: member size in bytes
    sha: str | None = None  # content hash, computed while scanning the inputs
    problem: str | None = None  # set when the item must be recorded as failed without reading it
    note: str | None = None  # a remark stored with the document (duplicate member name, non-UTF-8 name)
    ignored: bool = False  # a file or member of a type calpae does not read (counted, not stored)
    data: bytes | None = None  # content shipped with the item (remote workers without the files)


@dataclass(frozen=True)
class Task:
    item: InputItem
    sha: str


@dataclass
class BatchOptions:
    workers: int | None = None  # None: as many as the cores (never more than the cores nor the documents)
    timeout: float = DEFAULT_TIMEOUT
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB
    tasks_per_worker: int = 50  # a worker is recycled after this many documents (bounds leaks)
    recycle_rss_mb: float | None = 1500  # ... or as soon as its RSS passes this after a document
    commit_seconds: float = 1.0  # results are committed together at most this long after the first arrives
    commit_docs: int = 8  # ... or once this many wait (a kill loses at most this uncommitted work)
    quiet: bool = False
    verbose: bool = False  # a line per page read, from the worker reading it
    write_json: bool = False
    ocr: str = "auto"  # auto: OCR pages without a text layer; always; never
    pages: frozenset[int] | None = None  # read only these pages of each PDF (extract --pages); None: all
    retry_failed: bool = False  # documents stored as failed/partial by this version are processed again
    resume: bool = True  # skip documents already stored by this version (extract: False, it always re-reads)
    finish: bool = True  # run reconcile and the dataset exports after the documents (extract: False)
    keep_words: bool = False  # keep per-word geometry in the JSON record (extract does)
    command: str = "batch"  # the command's name in messages
    fork_server: bool = True  # workers from the preloaded fork server; False: forked from the driver (extract)


@dataclass
class BatchSummary:
    processed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    partial: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # ok documents with a remark
    earlier: list[tuple[str, str, str]] = field(default_factory=list)  # (source, status, reason) stored before
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (source, same content as, document id)
    ignored: Counter[str] = field(default_factory=Counter)  # suffix -> files of types calpae does not read
    end_phase_error: str | None = None
    pages: int = 0
    seconds: float = 0.0
    workers: int = 0
    recycled: int = 0  # workers retired (RSS cap or task quota) and replaced
    crashed: int = 0  # workers that died on a document
    figures: FigureCount = field(default_factory=FigureCount)  # the processed documents' figures, summed

    @property
    def exit_status(self) -> int:
        """1 while any document of the inputs is failed or partial (now or from an earlier run), else 0."""
        return 1 if (self.failed or self.partial or self.earlier or self.end_phase_error) else 0


class ProgressSink(Protocol):
    def begin(self, total: int) -> None: ...
    def update(self, summary: BatchSummary, doc: DocumentRows) -> None: ...
    def close(self) -> None: ...


@dataclass
class RunContext:
    """What an engine works with: the store it commits to, the options, the summary it fills, the progress it
    reports to, the run's work folder, and the scheduler address (Dask)."""

    store: RunStore
    opts: BatchOptions
    summary: BatchSummary
    progress: ProgressSink
    workdir: Path | None = None
    scheduler: str | None = None

    def commit(self, docs: list[DocumentRows]) -> None:
        commit(self.store, docs, self.summary, self.progress)

    def failed(self, task: Task, reason: str) -> DocumentRows:
        return failed_rows(task, reason, self.opts.write_json)


def name_sha(source: str) -> str:
    """The identity of an item whose content cannot be read: the hash of its name."""
    return hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()


def failed_extraction(item: InputItem, reason: str, sha: str | None) -> Extraction:
    doc: Document = failed_document(Path(item.source), clean_text(reason), sha or name_sha(item.source))
    doc.source = item.source
    if item.note:
        doc.errors.append(item.note)
    return Extraction(document=doc)


def failed_rows(task: Task, reason: str, with_json: bool = False) -> DocumentRows:
    """The rows of a document that failed outside the extractor (worker killed, timed out, not storable)."""
    return document_rows(failed_extraction(task.item, reason, task.sha), with_json)


def commit(store: RunStore, docs: list[DocumentRows], summary: BatchSummary, progress: ProgressSink) -> None:
    """Write documents in one transaction, then count them; a group the database refuses is written one by one,
    and a document it still refuses is stored as failed with the database's reason (never the whole group lost)."""
    if not docs:
        return
    try:
        store.add_many(docs, calpae_version=__version__)
    except Exception as exc:  # a value the database rejects, or the connection gone: find out which
        if len(docs) > 1:
            for doc in docs:
                commit(store, [doc], summary, progress)
            return
        docs = [_storable(store, docs[0], exc)]
    for doc in docs:
        count(doc, summary, progress)


def _storable(store: RunStore, doc: DocumentRows, exc: Exception) -> DocumentRows:
    """The failed row of a document its rows could not be stored for; re-raises when even that is refused."""
    reason = f"could not be stored ({type(exc).__name__}: {(str(exc).splitlines() or [''])[0]})"
    failed = document_rows(failed_extraction(InputItem(source=clean_text(doc.source)), reason, doc.sha256))
    store.add_many([failed], calpae_version=__version__)  # raises when the database itself is the problem
    return failed


def count(doc: DocumentRows, summary: BatchSummary, progress: ProgressSink) -> None:
    summary.processed += 1
    summary.pages += doc.page_count
    if doc.figures is not None:
        summary.figures += doc.figures
    reason = "; ".join(doc.errors)
    if doc.status == "failed":
        summary.failed.append((doc.source, reason))
    elif doc.status == "partial":
        summary.partial.append((doc.source, reason))
    elif doc.errors:
        summary.notes.append((doc.source, reason))
    progress.update(summary, doc)
