"""Reader for text exports (placeholder: one page, one Line per source line)."""

from pathlib import Path

from calpae.models import Document, Line, Page


def read_text(path: Path, doc: Document) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    doc.kind = "html" if path.suffix.lower() in (".html", ".htm") else "text"
    lines = [Line(text=t, page=1, line_no=i) for i, t in enumerate(text.splitlines(), start=1)]
    doc.pages = [Page(number=1, lines=lines)]
    doc.page_count = 1
