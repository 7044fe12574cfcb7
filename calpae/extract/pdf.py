"""PDF reader: pages, words, visual lines and tables into a Document; bad files become InputError."""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from calpae.errors import InputError
from calpae.models import Document, Page

log = logging.getLogger(__name__)


def _pdfium_reason(exc: Exception) -> str:
    """A user-facing reason for a pypdfium2 open failure."""
    msg = str(exc)
    if "password" in msg.lower():
        return "encrypted PDF (password required)"
    detail = msg.split("(PDFium:", 1)[-1].rstrip(").") if "PDFium:" in msg else msg
    return f"corrupt PDF: {detail.strip() or type(exc).__name__}"


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    """Open with pypdfium2, turning password and format failures into InputError."""
    try:
        return pdfium.PdfDocument(str(path))
    except Exception as exc:  # PdfiumError, OSError
        raise InputError(str(path), _pdfium_reason(exc)) from exc


def page_text_fast(path: Path | str) -> list[str]:
    """Text of every page through pypdfium2: fast, no geometry; '' for a page it cannot read."""
    pdf = _open_pdfium(Path(path))
    texts: list[str] = []
    try:
        for i in range(len(pdf)):
            try:
                page = pdf[i]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                page.close()
            except Exception:  # a damaged page: geometry pass will report it
                texts.append("")
    finally:
        pdf.close()
    return texts


def _open_plumber(path: Path):
    """Open with pdfplumber, turning parser failures into InputError."""
    try:
        return pdfplumber.open(path)
    except Exception as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if "password" in type(inner).__name__.lower() or "encrypt" in type(inner).__name__.lower():
            raise InputError(str(path), "encrypted PDF (password required)") from exc
        raise InputError(str(path), f"corrupt PDF: {inner!r}") from exc


def _release(page) -> None:
    """Drop pdfplumber's per-page caches so memory stays bounded on long files."""
    page.flush_cache()
    close = getattr(page, "close", None)
    if callable(close):
        close()


def read_pdf(path: Path, doc: Document, ocr: str = "auto") -> None:
    """Fill doc with pages (words, lines) and tables; damaged pages are recorded and skipped.

    ocr: 'auto' OCRs pages without a usable text layer, 'always' every page, 'never' none."""
    from calpae.extract.layout import group_lines, page_words
    from calpae.extract.pdf_tables import detect_tables, needs_table_geometry, ruled_tables

    source = str(path)
    fast = page_text_fast(path)
    if not fast:
        raise InputError(source, "PDF has no pages")
    ruled: list = []
    with _open_plumber(path) as pdf:
        n_pages = len(pdf.pages)
        for i, page in enumerate(pdf.pages, start=1):
            try:
                words = page_words(page)
                lines = group_lines(words, i)
                has_text = bool(words) or bool(fast[i - 1].strip() if i <= len(fast) else "")
                doc.pages.append(
                    Page(
                        number=i,
                        width=float(page.width),
                        height=float(page.height),
                        rotation=int(getattr(page, "rotation", 0) or 0) % 360,
                        lines=lines,
                        has_text_layer=has_text,
                    )
                )
                if words and needs_table_geometry(page, fast[i - 1] if i <= len(fast) else ""):
                    ruled.extend(ruled_tables(page, words, i))
            except Exception as exc:  # one bad page must not lose the others
                reason = f"page {i} could not be parsed ({type(exc).__name__}: {exc})"
                log.warning("%s: %s", source, reason)
                doc.errors.append(reason)
                doc.status = "partial"
                doc.pages.append(Page(number=i, has_text_layer=False))
            finally:
                _release(page)
    doc.page_count = n_pages
    if doc.errors and len(doc.errors) >= n_pages:
        raise InputError(source, f"no page could be read ({doc.errors[0]})", page=1)
    if ocr != "never":
        from calpae.extract.ocr import ocr_document

        scanned, done = ocr_document(path, doc, ocr)
        ruled = [f for f in ruled if f.page not in done] + scanned
    detect_tables(doc, ruled)
