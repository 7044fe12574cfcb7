"""One cell or token read as a number: value, unit, qualifier (NR/NC/SO) and what was odd about it.

The separator rules are in calpae.extract.numbers.core."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from calpae.extract.numbers.core import (
    MONTHS_PATTERN,
    QUALIFIER_CODES,
    RUN_RE,
    SP,
    TAGS,
    UNIT_RE,
    ParsedNumber,
    build_number,
    cut_pieces,
    is_code,
)

_CELL_RE = re.compile(rf"(?P<pre>(?:€|EUR){SP}*)?(?P<sign>[-+−–]{SP}*)?(?P<run>{RUN_RE.pattern})(?P<rest>.*)", re.S)
_DASH_ZERO = re.compile(rf"[-–−—]{SP}*(?:€|EUR|euros?)", re.I)
_NOTE_RE = re.compile(r"(?P<main>.*?)\s*\((?P<note>[^()]*)\)", re.S)


def _clean_cell(text: str) -> str:
    """Cell text without HTML tags, markdown emphasis or surrounding blanks."""
    return TAGS.sub("", text).replace("*", "").strip(" \t\r\n\u00a0\u202f\u2009")


PARSE_CACHE = 1 << 15  # cell texts remembered (the budget stage reads the same cells many times)


@lru_cache(maxsize=PARSE_CACHE)
def parse_number(text: str) -> ParsedNumber | None:
    """Parse one cell or token; None when the text is not a number nor a NR/NC/SO/empty value.

    Cached (the result is frozen): the budget stage reads the same cell text many times while it resolves a table."""
    raw = text
    s = _clean_cell(text or "")
    if not s:
        return ParsedNumber(raw=raw, value=None, qualifier="empty")
    qual = QUALIFIER_CODES.get(re.sub(r"\s+", " ", s).lower())
    if qual:
        return ParsedNumber(raw=raw, value=None, qualifier=qual)
    if s in ("-", "–", "—", "−"):
        return ParsedNumber(raw=raw, value=None, qualifier="empty", message="a lone dash")
    if _DASH_ZERO.fullmatch(s):
        return ParsedNumber(raw=raw, value=Decimal(0), unit="EUR", message="'- €' read as zero")
    note = None
    m = _NOTE_RE.fullmatch(s)
    if m and m.group("main"):
        s, note = m.group("main"), m.group("note").strip() or None
    parsed = _parse_core(raw, s)
    if parsed is None:
        return None
    return replace(parsed, note=note) if note else parsed


def _parse_core(raw: str, s: str) -> ParsedNumber | None:
    """A cell holding exactly one number, its unit and at most one word after it."""
    m = _CELL_RE.fullmatch(s)
    if not m:
        return None
    chunks = re.split(SP, m.group("run"))
    pieces = cut_pieces(chunks)
    if len(pieces) != 1 or is_code(chunks, pieces):
        return None
    rest = m.group("rest")
    unit_m = UNIT_RE.match(rest) if not m.group("pre") else None
    if unit_m:
        rest = rest[unit_m.end() :]
    word = None
    if rest.strip():
        wm = re.fullmatch(rf"{SP}+([^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*[0-9]?)\s*", rest)
        if not wm:
            return None
        word = wm.group(1)
        if re.fullmatch(MONTHS_PATTERN, word, re.I):
            return None  # "31 mars": a date
    if m.group("pre"):
        unit_m = UNIT_RE.match(m.group("pre").strip())
    sign_txt = (m.group("sign") or "").strip()
    sign = -1 if sign_txt in ("-", "−", "–") else 1
    parsed = build_number(raw, chunks, sign=sign, unit_m=unit_m, label_before=False)
    if parsed is None:
        return None
    if sign_txt and parsed.is_year:
        parsed = replace(parsed, is_year=False)
    return replace(parsed, unit_word=word) if word else parsed
