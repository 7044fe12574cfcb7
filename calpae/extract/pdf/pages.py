"""The pages of a PDF: opened with pypdfium2 (pdfplumber only for a rotated page), bad files as InputError, every
page's words (font, size, orientation) and a fast text pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from calpae.errors import InputError
from calpae.extract.geometry.words import split_glued_units, to_word
from calpae.extract.pdf.char_words import X_TOL, Y_TOL
from calpae.extract.pdf.pdfium_words import PdfiumPage
from calpae.models import Word

WORD_ATTRS = ["fontname", "size", "upright"]


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


def _open_plumber(path: Path) -> Any:
    """Open with pdfplumber, turning parser failures into InputError (pdfplumber, slow to import, is loaded only for
    a rotated page)."""
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if "password" in type(inner).__name__.lower() or "encrypt" in type(inner).__name__.lower():
            raise InputError(str(path), "encrypted PDF (password required)") from exc
        raise InputError(str(path), f"corrupt PDF: {inner!r}") from exc


def release(page: Any) -> None:
    """Drop per-page caches so memory stays bounded on long files."""
    page.flush_cache()
    close = getattr(page, "close", None)
    if callable(close):
        close()


class Pages:
    """Pages of one file: pypdfium2 pages, or pdfplumber's for a rotated page (its coordinates are turned)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf = _open_pdfium(path)
        self.plumber: Any = None

    def __len__(self) -> int:
        return len(self.pdf)

    def get(self, number: int) -> Any:
        """Page `number` (1-based): a PdfiumPage, or pdfplumber's page when the page is rotated."""
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


def page_text(page: Any) -> str:
    """Fast text of a page; pdfplumber pages (rotated) have none here, their words decide."""
    text = getattr(page, "text", None)
    return text() if callable(text) else ""


def page_words(page: Any) -> list[Word]:
    """Every word of a page (a PdfiumPage, or a pdfplumber page), with font, size and orientation."""
    if isinstance(page, PdfiumPage):
        return split_glued_units(page.words())
    raw = page.extract_words(x_tolerance=X_TOL, y_tolerance=Y_TOL, keep_blank_chars=False, extra_attrs=WORD_ATTRS)
    return split_glued_units([to_word(w) for w in raw if w["text"].strip()])
