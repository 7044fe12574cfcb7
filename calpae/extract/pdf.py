"""PDF reader: pages, words, visual lines and tables into a Document; bad files become InputError.

Words and ruling lines come from pypdfium2 (pdfplumber's word rules and table finder run on them), which is
several times faster than pdfminer's parse; pdfplumber itself opens only pages with a /Rotate entry."""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium

from calpae.errors import InputError
from calpae.extract.ocr import garbled_share, is_garbled
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
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if "password" in type(inner).__name__.lower() or "encrypt" in type(inner).__name__.lower():
            raise InputError(str(path), "encrypted PDF (password required)") from exc
        raise InputError(str(path), f"corrupt PDF: {inner!r}") from exc


def _release(page) -> None:
    """Drop per-page caches so memory stays bounded on long files."""
    page.flush_cache()
    close = getattr(page, "close", None)
    if callable(close):
        close()


class _Pages:
    """Pages of one file: pypdfium2 pages, or pdfplumber's for a rotated page (its coordinates are turned)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf = _open_pdfium(path)
        self.plumber = None

    def __len__(self) -> int:
        return len(self.pdf)

    def get(self, number: int):
        from calpae.extract.pdfium_words import PdfiumPage

        page = PdfiumPage(self.pdf[number - 1], number)
        if page.rotation % 360 == 0:
            return page
        page.close()
        if self.plumber is None:
            self.plumber = _open_plumber(self.path)
        return self.plumber.pages[number - 1]

    def close(self) -> None:
        if self.plumber is not None:
            self.plumber.close()
        self.pdf.close()


def _page_text(page) -> str:
    """Fast text of a page; pdfplumber pages (rotated) have none here, their words decide."""
    text = getattr(page, "text", None)
    return text() if callable(text) else ""


def read_pdf(path: Path, doc: Document, ocr: str = "auto") -> None:
    """Fill doc with pages (words, lines) and tables; damaged pages are recorded and skipped.

    ocr: 'auto' OCRs pages without a usable text layer, 'always' every page, 'never' none."""
    from calpae.extract import layout, pdf_tables

    source = str(path)
    pages = _Pages(path)
    ruled: list = []
    try:
        n_pages = len(pages)
        if n_pages == 0:
            raise InputError(source, "PDF has no pages")
        for i in range(1, n_pages + 1):
            page = None
            try:
                page = pages.get(i)
                words = layout.page_words(page)
                lines = layout.group_lines(words, i)
                text = _page_text(page)
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
                if words and pdf_tables.needs_table_geometry(page, text):
                    ruled.extend(pdf_tables.ruled_tables(page, words, i))
            except Exception as exc:  # one bad page must not lose the others
                reason = f"page {i} could not be parsed ({type(exc).__name__}: {exc})"
                log.warning("%s: %s", source, reason)
                doc.errors.append(reason)
                doc.status = "partial"
                doc.pages.append(Page(number=i, has_text_layer=False))
            finally:
                if page is not None:
                    _release(page)
    finally:
        pages.close()
    doc.page_count = n_pages
    if doc.errors and len(doc.errors) >= n_pages:
        raise InputError(source, f"no page could be read ({doc.errors[0]})", page=1)
    if ocr != "never":
        from calpae.extract.ocr import ocr_document

        scanned, done = ocr_document(path, doc, ocr)
        ruled = [f for f in ruled if f.page not in done] + scanned
    _flag_garbled(doc, ocr)
    pdf_tables.detect_tables(doc, ruled)


def _flag_garbled(doc: Document, ocr: str) -> None:
    """Pages whose text layer is unmapped glyph codes and that OCR did not replace: said, the document partial."""
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
