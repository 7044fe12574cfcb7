"""One document through every per-document stage: read → classify → budget → indicators → audit."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Literal

from calpae import stages
from calpae.errors import InputError
from calpae.extract import SUPPORTED_SUFFIXES, file_sha256
from calpae.models import Document, Extraction

__all__ = ["SUPPORTED_SUFFIXES", "analyse_document", "extract_document", "failed_document", "file_sha256"]

log = logging.getLogger(__name__)


def failed_document(path: Path, reason: str, sha: str | None = None) -> Document:
    """The record of a file that could not be read: still a row, with its reason.

    Its id is the content hash when the content could be read, else the hash of its name."""
    if sha is None:
        try:
            sha = file_sha256(path)
        except OSError:
            sha = hashlib.sha256(str(path).encode()).hexdigest()
    kind: Literal["pdf", "text"] = "pdf" if path.suffix.lower() == ".pdf" else "text"
    return Document(id=sha[:16], source=str(path), sha256=sha, kind=kind, status="failed", errors=[reason])


def extract_document(path: Path, ocr: str = "auto") -> Extraction:
    """Run every per-document stage on one file. Bad input gives a failed Document, never an exception.

    ocr: 'auto' (OCR pages without a usable text layer), 'always' or 'never'."""
    from calpae.extract import read_document  # the readers (pypdfium2, numpy, Pillow) load with the first document

    try:
        doc = read_document(path, ocr=ocr)
    except InputError as exc:
        return Extraction(document=failed_document(path, exc.reason))
    except Exception as exc:  # a parser bug must not stop a batch: record it against the file
        log.debug("reader crashed on %s", path, exc_info=True)
        return Extraction(document=failed_document(path, f"could not be read ({type(exc).__name__}: {exc})"))
    return analyse_document(doc)


def analyse_document(doc: Document) -> Extraction:
    """Stages after reading. A stage that fails marks the document partial and keeps the rest."""
    ext = Extraction(document=doc)
    for name, stage in stages.PER_DOCUMENT:
        try:
            stage(ext)
        except Exception as exc:
            log.debug("stage %s crashed on %s", name, doc.source, exc_info=True)
            doc.status = "partial"
            doc.errors.append(f"{name} stage failed: {type(exc).__name__}: {exc}")
    return ext
