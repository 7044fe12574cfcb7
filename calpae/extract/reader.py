"""Open one file, check it is what it claims, and hand it to the PDF or text reader."""

from __future__ import annotations

from pathlib import Path

from calpae.errors import InputError
from calpae.extract.text import bom_encoding
from calpae.models import Document

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}


def sniff_kind(path: Path, head: bytes) -> str:
    """'pdf' or 'text' from the content, so a text file renamed .pdf is caught."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if path.suffix.lower() == ".pdf":
        raise InputError(str(path), "not a PDF (no %PDF header)")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(str(path), f"unsupported file type '{path.suffix or '(none)'}'")
    if b"\x00" in head and bom_encoding(head) is None:  # UTF-16/32 text has NULs: its mark says it is text
        raise InputError(str(path), "binary content in a text file")
    return "text"


def read_document(path: Path, ocr: str = "auto") -> Document:
    """The Document of one file with furniture marked, sections built and tables found.

    ocr (PDFs): 'auto' OCRs pages without a usable text layer, 'always' every page, 'never' none."""
    from calpae.extract.ocr import OCR_MODES

    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    from calpae.extract.furniture import mark_furniture
    from calpae.extract.sections import build_sections
    from calpae.pipeline import file_sha256

    source = str(path)
    if not path.exists():
        raise InputError(source, "file not found")
    if not path.is_file():
        raise InputError(source, "not a regular file")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise InputError(source, "empty file")
    kind = sniff_kind(path, head)
    sha = file_sha256(path)
    doc = Document(id=sha[:16], source=source, sha256=sha, kind="pdf" if kind == "pdf" else "text")
    if kind == "pdf":
        from calpae.extract.pdf import read_pdf

        read_pdf(path, doc, ocr)
    else:
        from calpae.extract.text import read_text

        read_text(path, doc)
    doc.page_count = doc.page_count or len(doc.pages)
    mark_furniture(doc)
    build_sections(doc)
    return doc
