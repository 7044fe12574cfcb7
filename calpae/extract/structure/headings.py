"""Recognise lines that could be numbered headings, articles or annex headings (the tree is built elsewhere)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from calpae.extract.settings import HEADINGS
from calpae.extract.structure.stamps import clean
from calpae.models import Line

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})(?P<dot>\.)?(?:\s+|\s*[-–—:]\s+)(?P<title>\S.*)$")
_ARTICLE = re.compile(r"^(?:ARTICLE|Article)\s+(?P<num>\d{1,2}|premier|PREMIER|1er)\s*(?:$|[-–—:.]\s*(?P<title>.*)$)")
_ANNEX = re.compile(
    r"^(?:ANNEXE|Annexe)\s+(?:[Nn]°\s*)?(?P<id>\d{1,2}|[A-Z])(?:\s+(?P<suf>BIS|TER|QUATER|bis|ter|quater))?"
    r"\s*(?:$|[-–—:.]\s*(?P<title>.*)$)"
)
# A title starts with a capital (or an opening quote/bracket) followed by a letter, or 'A la…'.
_TITLE_START = re.compile(r"^[«\"“\[(]?\s*[A-ZÀ-ÝŒ](?:[\w'’œ-]|\s+[a-zà-ÿ])")
_LEADERS = re.compile(r"\.{4,}|…{2,}|(?:\. ){3,}|_{4,}")
_TOC_PAGE = re.compile(r"[^\d\s.,/-]\s+\d{1,3}$")
_DECORATED = re.compile(r"^\s*(?:#+\s|\*\*|__|<b>|<h\d)", re.IGNORECASE)
SUFFIX_RANK = {None: 0, "bis": 1, "ter": 2, "quater": 3}


@dataclass
class HeadingCandidate:
    """A line that reads like a numbered heading; the tree decides whether it is one."""

    pos: int  # index in the document's content lines
    numbers: tuple[int, ...]
    title: str
    weight: float


@dataclass
class AnnexCandidate:
    """A line that reads like 'ANNEXE 7 : …' / 'Annexe A – …'."""

    pos: int
    ident: str  # "7", "1-bis", "a"
    order: tuple[int, int]  # sort key among annexes of the same kind
    letter: bool
    title: str
    weight: float


def _looks_tabular(line: Line) -> bool:
    """A table row: flagged by the reader, tab- or pipe-separated, or words with column-wide gaps."""
    if line.in_table or "\t" in line.text or line.text.count("|") >= 2:
        return True
    words = sorted(line.words, key=lambda w: w.bbox.x0)
    return any(b.bbox.x0 - a.bbox.x1 > HEADINGS.column_gap for a, b in pairwise(words))


def _weight(line: Line) -> float:
    """Headings printed bold or marked up win ties against plain lines with the same number."""
    return HEADINGS.bold_weight if (line.bold or _DECORATED.match(line.text)) else 1.0


def heading_candidate(line: Line, pos: int) -> HeadingCandidate | None:
    """A numbered heading ('1.', '1.1.5.1.', '4 Titre', 'ARTICLE 2 – …') or None."""
    if _looks_tabular(line):
        return None
    text = clean(line.text)
    if not text or _LEADERS.search(text):
        return None
    m = _ARTICLE.match(text)
    if m and len(text) <= HEADINGS.max_annex_chars:
        raw = m.group("num").lower()
        n = 1 if raw in ("premier", "1er") else int(raw)
        return HeadingCandidate(pos, (n,), text, _weight(line))
    m = _NUMBERED.match(text)
    if not m:
        return None
    numbers = tuple(int(x) for x in m.group("num").split("."))
    title = m.group("title").strip()
    if not _plausible_title(title) or numbers[0] == 0 or 0 in numbers[1:]:
        return None
    if len(numbers) == 1 and not m.group("dot") and len(title) > HEADINGS.max_unnumbered_title_chars:
        return None
    weight = _weight(line)
    if _TOC_PAGE.search(title):  # "1.1 Titre 3": a table-of-contents entry, the heading comes later
        weight *= HEADINGS.toc_weight
    if title.endswith((",", ";")):  # a wrapped heading or a capitalised list item: weak evidence
        weight *= HEADINGS.wrapped_weight
    return HeadingCandidate(pos, numbers, title, weight)


def _plausible_title(title: str) -> bool:
    """Rules out list items in prose, amounts and table rows that happen to start with a number."""
    if not _TITLE_START.match(title) or len(title) > HEADINGS.max_title_chars:
        return False
    return "€" not in title


def annex_candidate(line: Line, pos: int) -> AnnexCandidate | None:
    """An annex heading ('ANNEXE 1 BIS : …', 'Annexe 9 - …', 'Annexe A – …') or None."""
    if _looks_tabular(line):
        return None
    text = clean(line.text)
    if len(text) > HEADINGS.max_annex_chars or _LEADERS.search(text):
        return None
    m = _ANNEX.match(text)
    if not m:
        return None
    ident, suf = m.group("id"), (m.group("suf") or "").lower() or None
    letter = not ident.isdigit()
    order = (ord(ident) - ord("A") + 1 if letter else int(ident), SUFFIX_RANK[suf])
    key = ident.lower() + (f"-{suf}" if suf else "")
    weight = _weight(line) + (HEADINGS.annex_caps_bonus if text.startswith("ANNEXE") else 0.0)
    return AnnexCandidate(pos, key, order, letter, (m.group("title") or "").strip(), weight)


def continuation(title: str, nxt: Line | None) -> str | None:
    """The next line when it finishes a heading wrapped over two lines, else None."""
    if nxt is None or _looks_tabular(nxt):
        return None
    t = clean(nxt.text)
    if not t or len(t) > HEADINGS.max_continuation_chars or heading_candidate(nxt, -1) or annex_candidate(nxt, -1):
        return None
    if title.endswith((".", ":", "?", "!")):
        return None
    if t[0].islower() or title.endswith(("–", "-", "—")):
        return t
    if title.isupper() and t.isupper() and len(t) <= HEADINGS.max_caps_continuation_chars:
        return t
    return None
