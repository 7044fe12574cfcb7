"""Lines a table may continue across in a text export: blanks, prefecture stamps, page numbers, running headers."""

from __future__ import annotations

import re
from collections import Counter

from calpae.extract.settings import FURNITURE
from calpae.models import Line

_STAMP = re.compile(
    r"^\s*(envoy[ée] en pr[ée]fecture le\b|re[çc]u en pr[ée]fecture le\b|affich[ée] le\b|"
    r"id\s*:\s*\d{2,3}[a-z]?-\d{9}-\d{8}-)",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"^\s*(page\s*\d{1,4}|\d{1,3})(\s*(/|sur)\s*\d{1,4})?\s*$", re.IGNORECASE)


def repeated_texts(lines: list[Line]) -> set[str]:
    """Texts that recur verbatim often enough to be running headers/footers (never tab rows)."""
    counts = Counter(ln.text.strip() for ln in lines if ln.text.strip() and "\t" not in ln.text)
    return {
        t for t, n in counts.items() if n >= FURNITURE.text_min_repeats and len(t) >= FURNITURE.text_min_running_chars
    }


def is_gap(line: Line, repeated: set[str]) -> bool:
    """True for a line that interrupts a table without ending it: blank, furniture, stamp, page number."""
    text = line.text.strip()
    if not text or line.furniture:
        return True
    if "\t" in line.text:
        return False
    return bool(_STAMP.match(text) or _PAGE_NUMBER.match(text) or text in repeated)
