"""Reader for PDFs (placeholder: text lines via pdfplumber)."""

from pathlib import Path

import pdfplumber

from calpae.errors import InputError
from calpae.models import Document, Line, Page


def read_pdf(path: Path, doc: Document) -> None:
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:
        raise InputError(str(path), f"corrupt or unreadable PDF ({type(exc).__name__})") from exc
    with pdf:
        for i, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            lines = [Line(text=t, page=i) for t in text.splitlines()]
            doc.pages.append(Page(number=i, width=float(page.width), height=float(page.height), lines=lines))
            page.flush_cache()
    doc.page_count = len(doc.pages)
