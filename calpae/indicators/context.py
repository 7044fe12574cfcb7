"""Where a table or sentence sits in the document's section tree, and the titles that give its measure."""

from __future__ import annotations

from calpae.models import Document, Section


def section_at(doc: Document, page: int | None, line_no: int | None) -> str | None:
    """Number of the section enclosing a position, through the section builder when it offers it."""
    try:
        from calpae.extract import section_at as _section_at
    except ImportError:
        return _last_section_before(doc, page, line_no)
    found = _section_at(doc, page, line_no)
    if isinstance(found, Section):
        return found.number
    return found


def _last_section_before(doc: Document, page: int | None, line_no: int | None) -> str | None:
    """Fallback: the last section heading that starts before the position."""
    best = None
    for s in doc.sections:
        if (s.page or 0, s.line_no or 0) <= (page or 0, line_no or 0):
            best = s.number
    return best


def section_titles(doc: Document, number: str | None) -> list[str]:
    """Titles of a section and its ancestors, innermost first ("1.1.7" → titles of 1.1.7, 1.1, 1)."""
    if not number:
        return []
    by_number = {s.number: s.title for s in doc.sections}
    parts = number.strip(".").split(".")
    titles = []
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        title = by_number.get(key) or by_number.get(key + ".")
        if title:
            titles.append(title)
    return titles
