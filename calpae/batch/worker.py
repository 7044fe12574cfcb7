"""The per-document work of a batch, run inside a worker process (or a Dask worker)."""

from __future__ import annotations

import os
import resource
import signal
import tempfile
import threading
from pathlib import Path, PurePosixPath

from calpae.batch.inputs import InputItem
from calpae.models import Extraction
from calpae.pipeline import extract_document, failed_document


class DocumentTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout()


def limit_memory(max_mb: int | None) -> None:
    """Cap this worker's address space so a runaway document fails alone with MemoryError."""
    if max_mb:
        limit = max_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def compact(ext: Extraction) -> Extraction:
    """Drop per-word geometry before the result crosses processes; lines, tables and records stay."""
    for page in ext.document.pages:
        for line in page.lines:
            line.words = []
    return ext


def _failed(item: InputItem, reason: str, sha: str | None) -> Extraction:
    doc = failed_document(Path(item.source), reason, sha)
    doc.source = item.source
    return Extraction(document=doc)


def process_item(item: InputItem, sha: str | None = None, timeout: float = 120.0, ocr: str = "auto") -> Extraction:
    """Extract one input item; every failure (bad file, parser error, timeout, memory) becomes a failed Document."""
    if item.problem:
        return _failed(item, item.problem, sha)
    # SIGALRM only works in a process's main thread (Dask runs tasks in worker threads)
    use_alarm = bool(
        timeout and timeout > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    )
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    tmp_path: Path | None = None
    try:
        if item.path is not None:
            ext = extract_document(item.path, ocr=ocr)
        else:
            suffix = PurePosixPath(item.member or "").suffix
            fd, name = tempfile.mkstemp(suffix=suffix, prefix="calpae-")
            tmp_path = Path(name)
            with os.fdopen(fd, "wb") as fh:
                fh.write(item.read_bytes())
            ext = extract_document(tmp_path, ocr=ocr)
            ext.document.source = item.source
            for rec in (*ext.budget_lines, *ext.indicator_values, *ext.amounts, *ext.findings):
                rec.provenance.source = item.source
            ext.document.errors = [e.replace(str(tmp_path), item.source) for e in ext.document.errors]
    except DocumentTimeout:
        return _failed(item, f"timed out after {timeout:g} s", sha)
    except MemoryError:
        return _failed(item, "exceeded the worker memory cap", sha)
    except OSError as exc:
        return _failed(item, f"cannot be read ({exc})", sha)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
    if item.path is None:
        ext.document.source = item.source
    return compact(ext)
