"""The text just above a table on its page: its caption, which readers keep only the last line of as its title."""

from __future__ import annotations

from calpae.models import Document, Table

CAPTION_LINES = 3  # text lines above a table read as its caption (a wrapped 'Action 4.2 : …' heading)


def caption(doc: Document, table: Table) -> list[str]:
    """The text lines just above a table, nearest last (readers keep only the last line as its title)."""
    page = table.pages[0] if table.pages else None
    tops = [c.bbox.top for c in table.cells if c.bbox and c.page in (None, page)]
    if doc.kind == "pdf" and page is not None and tops:
        top = min(tops)
        above = [
            ln
            for p in doc.pages
            if p.number == page
            for ln in p.lines
            if ln.bbox and ln.bbox.bottom <= top + 1 and not ln.furniture and not ln.in_table and ln.text.strip()
        ]
        return [ln.text for ln in sorted(above, key=lambda ln: ln.bbox.top if ln.bbox else 0)][-CAPTION_LINES:]
    if table.line_start is not None:
        above = [ln for ln in doc.lines() if ln.line_no is not None and ln.line_no < table.line_start]
        return [ln.text for ln in above if ln.text.strip()][-CAPTION_LINES:]
    return []
