"""PDF reader: pages, words, visual lines and tables into a Document; bad files become InputError.

Words and ruling lines come from pypdfium2 (pdfplumber's word rules and table finder run on them), which is
several times faster than pdfminer's parse; pdfplumber itself opens only pages with a /Rotate entry."""

from __future__ import annotations

import logging
from pathlib import Path

from calpae import readscope
from calpae.errors import InputError
from calpae.extract.geometry.lines import group_lines
from calpae.extract.ocr.document import garbled_share, is_garbled, ocr_document
from calpae.extract.pdf.pages import Pages, page_text, page_words, release
from calpae.extract.tables.detect import detect_tables
from calpae.extract.tables.found import Found
from calpae.extract.tables.ruled import needs_table_geometry, ruled_tables
from calpae.models import Document, Page

log = logging.getLogger(__name__)


def read_pdf(path: Path, doc: Document, ocr: str = "auto") -> None:
    """Fill doc with pages (words, lines) and tables; damaged pages are recorded and skipped.

    ocr: 'auto' OCRs pages without a usable text layer, 'always' every page, 'never' none."""
    ruled = read_pages(path, doc)
    ruled = ocr_pages(path, doc, ocr, ruled)
    detect_tables(doc, ruled)


def read_pages(path: Path, doc: Document) -> list[Found]:
    """Fill doc.pages (words, visual lines) and return the ruled tables found while each page was open; a damaged
    page is recorded and skipped, a file with no readable page is an InputError."""
    scope = readscope.current()
    source = str(path)
    pages = Pages(path)
    ruled: list[Found] = []
    try:
        n_pages = len(pages)
        if n_pages == 0:
            raise InputError(source, "PDF has no pages")
        for i in range(1, n_pages + 1):
            if not scope.wanted(i):
                continue
            page = None
            try:
                page = pages.get(i)
                words = page_words(page)
                lines = group_lines(words, i)
                text = page_text(page)
                doc.pages.append(
                    Page(
                        number=i,
                        width=float(page.width),
                        height=float(page.height),
                        rotation=int(getattr(page, "rotation", 0) or 0) % 360,
                        lines=lines,
                        has_text_layer=bool(words) or bool(text.strip()),
                        garbled_share=round(garbled_share(text or " ".join(w.text for w in words)), 3),
                    )
                )
                if words and needs_table_geometry(page, text):
                    ruled.extend(ruled_tables(page, words, i))
            except Exception as exc:  # one bad page must not lose the others
                reason = f"page {i} could not be parsed ({type(exc).__name__}: {exc})"
                log.warning("%s: %s", source, reason)
                doc.errors.append(reason)
                doc.status = "partial"
                doc.pages.append(Page(number=i, has_text_layer=False))
            finally:
                if page is not None:
                    release(page)
                scope.page_done(i, n_pages, "lu")
    finally:
        pages.close()
    doc.page_count = n_pages
    if doc.errors and len(doc.errors) >= n_pages:
        raise InputError(source, f"no page could be read ({doc.errors[0]})", page=1)
    return ruled


def ocr_pages(path: Path, doc: Document, ocr: str, ruled: list[Found]) -> list[Found]:
    """OCR the pages the mode selects; the ruled tables of an OCRed page are replaced by those of its image. A page
    whose text layer is unmapped glyph codes and that OCR did not replace is said, the document partial."""
    if ocr != "never":
        scanned, done = ocr_document(path, doc, ocr)
        ruled = [f for f in ruled if f.page not in done] + scanned
    _flag_garbled(doc, ocr)
    return ruled


def _flag_garbled(doc: Document, ocr: str) -> None:
    pages = [p for p in doc.pages if is_garbled(p) and not p.ocr]
    if not pages:
        return
    why = "--ocr never" if ocr == "never" else "OCR did not read them"
    for p in pages:
        doc.errors.append(
            f"page {p.number}: text layer unreadable ({p.garbled_share:.0%} of its characters map to no text: "
            f"a font without a Unicode map) and not OCRed ({why})"
        )
    doc.status = "partial"
