"""The opening lines of a document (cover and first pages) with weights that fall with distance from the top."""

from __future__ import annotations

import re
from dataclasses import dataclass

from calpae.models import Document
from calpae.referential.normalize import fold

HEAD_PAGES = 3
HEAD_LINES = 150
_STAMP = re.compile(
    r"^\s*(?:envoy[ée] en pr[ée]fecture|re[çc]u en pr[ée]fecture|affich[ée] le|id\s*:\s*\d{3}-|slow\s*$)",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<[^>]+>|[*#_`]+")
# the same lines as OCR may spell them ('Envoyé en préfeaure le 14/03/2020'): the opening words and a date suffice
_OCR_STAMP = re.compile(
    r"^\s*(?:envoy\w*|re[çc]u\w*)\s+en\s+pr\w+.{0,20}\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b", re.IGNORECASE
)


@dataclass(frozen=True)
class HeadLine:
    """A line of the head: raw text, folded text, position weight, and whether it looks like a title."""

    text: str
    folded: str
    weight: float
    title: bool
    index: int


def is_stamp(text: str) -> bool:
    """A prefecture stamp line (sent/received/posted/ACTES id), which says nothing about the document itself."""
    plain = _MARKUP.sub("", text)
    return bool(_STAMP.match(plain) or _OCR_STAMP.match(plain))


def _looks_like_title(raw: str, clean: str, bold: bool) -> bool:
    letters = [c for c in clean if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return bold or raw.lstrip().startswith(("#", "**", "<b>")) or (len(letters) >= 4 and upper / len(letters) > 0.7)


def body_lines(doc: Document) -> list[str]:
    """Non-furniture, non-stamp lines of the whole document, markup removed."""
    return [t for ln in doc.lines() if (t := _MARKUP.sub("", ln.text).strip()) and not is_stamp(t)]


def head_lines(doc: Document, max_pages: int = HEAD_PAGES, max_lines: int = HEAD_LINES) -> list[HeadLine]:
    """The first pages' distinct meaningful lines, weighted 1 at the top and less further down."""
    out: list[HeadLine] = []
    seen: set[str] = set()
    for page in doc.pages:
        if doc.kind == "pdf" and page.number > max_pages:
            break
        for ln in page.lines:
            if ln.furniture:
                continue
            clean = _MARKUP.sub("", ln.text).strip()
            if not clean or is_stamp(clean):
                continue
            key = fold(clean)
            if key in seen:  # running headers and repeated titles count once
                continue
            seen.add(key)
            idx = len(out)
            out.append(HeadLine(clean, key, 1.0 / (1.0 + idx / 40.0), _looks_like_title(ln.text, clean, ln.bold), idx))
            if len(out) >= max_lines:
                return out
    return out
