"""Open one file, check it is what it claims, and read it into a Document through a short pipeline of named steps.

PDF:  pages (words, lines, ruled tables) → ocr (pages without a usable text layer) → tables → ocr doubts (cells
      OCR was unsure of) → furniture → sections
text: text (lines, HTML / tab-separated / text-layout tables) → furniture → sections
Each step takes the Reading (the file, the options, the Document being filled) and fills part of the Document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from calpae.extract.ocr.document import (
    mark_unsure_cells,
    mend_euro_signs,
    mend_labels,
    mend_lost_separators,
    mend_separators,
)
from calpae.extract.ocr.engine import OCR_MODES
from calpae.extract.ocr.gridsums import mend_grid_sums
from calpae.extract.pdf.reader import ocr_pages, read_pages
from calpae.extract.source import ID_HEX_DIGITS, check_file, file_sha256
from calpae.extract.structure.furniture import mark_furniture
from calpae.extract.structure.sections import build_sections
from calpae.extract.tables.detect import detect_tables
from calpae.extract.tables.found import Found
from calpae.extract.tables.guard import guarded
from calpae.extract.text.reader import read_text
from calpae.models import Document


@dataclass
class Reading:
    """What the steps share: the file, the OCR mode, the Document being filled, and the ruled tables found while
    the PDF's pages were open (the tables step merges them with the others)."""

    path: Path
    doc: Document
    ocr: str = "auto"
    ruled: list[Found] = field(default_factory=list)


Step = tuple[str, Callable[[Reading], None]]


def _pdf_pages(r: Reading) -> None:
    r.ruled = read_pages(r.path, r.doc)


def _pdf_ocr(r: Reading) -> None:
    r.ruled = ocr_pages(r.path, r.doc, r.ocr, r.ruled)


def _pdf_tables(r: Reading) -> None:
    detect_tables(r.doc, r.ruled)


def _ocr_doubts(r: Reading) -> None:
    mark_unsure_cells(r.doc)
    mend_labels(r.doc)
    mend_separators(r.doc)
    mend_euro_signs(r.doc)
    mend_lost_separators(r.doc)
    mend_grid_sums(r.doc)


def _text(r: Reading) -> None:
    read_text(r.path, r.doc)


def _page_count(r: Reading) -> None:
    r.doc.page_count = r.doc.page_count or len(r.doc.pages)


def _furniture(r: Reading) -> None:
    mark_furniture(r.doc)


def _sections(r: Reading) -> None:
    build_sections(r.doc)


PDF_STEPS: tuple[Step, ...] = (
    ("pages", _pdf_pages),
    ("ocr", _pdf_ocr),
    ("tables", _pdf_tables),
    ("ocr doubts", _ocr_doubts),
    ("page count", _page_count),
    ("furniture", _furniture),
    ("sections", _sections),
)
TEXT_STEPS: tuple[Step, ...] = (
    ("text", _text),
    ("page count", _page_count),
    ("furniture", _furniture),
    ("sections", _sections),
)


def read_document(path: Path, ocr: str = "auto") -> Document:
    """The Document of one file with furniture marked, sections built and tables found.

    ocr (PDFs): 'auto' OCRs pages without a usable text layer, 'always' every page, 'never' none."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    kind = check_file(path)
    sha = file_sha256(path)
    doc = Document(id=sha[:ID_HEX_DIGITS], source=str(path), sha256=sha, kind="pdf" if kind == "pdf" else "text")
    reading = Reading(path=path, doc=doc, ocr=ocr)
    first, *rest = PDF_STEPS if kind == "pdf" else TEXT_STEPS
    first[1](reading)  # no page read, nothing to keep: a failure there fails the document
    for name, step in rest:  # a later step's fault keeps what the steps before it read (the document partial)
        guarded(doc, f"the {name} step", partial(step, reading), None, "the document is read without it")
    return doc
