"""One document through every per-document stage: read → classify → budget → indicators → audit."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Literal

from calpae import stages
from calpae.errors import InputError
from calpae.extract import SUPPORTED_SUFFIXES, file_sha256
from calpae.extract.settings import OCR as OCR_SETTINGS
from calpae.models import Document, Extraction, Finding

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
    """Stages after reading. A stage that fails marks the document partial and keeps the rest (the
    per-document deadline is a BaseException: it is not caught here, the whole document fails with it)."""
    ext = Extraction(document=doc)
    for name, stage in stages.PER_DOCUMENT:
        try:
            stage(ext)
        except Exception as exc:
            log.debug("stage %s crashed on %s", name, doc.source, exc_info=True)
            doc.status = "partial"
            doc.errors.append(f"{name} stage failed: {type(exc).__name__}: {exc}")
    ext.findings.extend(reading_findings(doc))
    return ext


def reading_findings(doc: Document) -> list[Finding]:
    """What reading did to a page that a reader of the figures must know: OCR at a reduced resolution (a page
    past the pixel cap), a text layer of unmapped glyphs replaced by OCR."""
    out = []
    for page in doc.pages:
        notes = []
        if page.ocr_dpi is not None and page.ocr_dpi < OCR_SETTINGS.dpi:
            size = f"{(page.width or 0) / 72:.0f}×{(page.height or 0) / 72:.0f} inches"
            notes.append(
                (
                    "ocr_downscaled",
                    f"page {page.number} ({size}) was OCRed at {page.ocr_dpi} dpi, not {OCR_SETTINGS.dpi}: its "
                    "image would pass the pixel cap; small print may be misread",
                )
            )
        if page.ocr and page.garbled_share is not None and page.garbled_share >= OCR_SETTINGS.garbled_share:
            notes.append(
                (
                    "text_layer_garbled",
                    f"page {page.number}'s text layer maps {page.garbled_share:.0%} of its characters to no text "
                    "(a font without a Unicode map): the page was read by OCR instead",
                )
            )
        for check, message in notes:
            prov = doc.provenance(page=page.number, line=None, bbox=None, raw="")
            out.append(
                Finding(
                    provenance=prov,
                    departement_code=doc.departement_code,
                    check=check,
                    severity="warning",
                    message=message,
                )
            )
    return out
