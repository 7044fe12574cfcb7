"""Every amount, percentage and count in running text or a text-layout row, with its character span."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from decimal import Decimal

from calpae.extract.numbers.core import (
    CHUNK_RE,
    GLUE_CHARS,
    INTRODUCERS,
    MONTH_AFTER,
    RUN_RE,
    SP,
    SPACE_CHARS,
    UNIT_RE,
    WORD_AFTER,
    ParsedNumber,
    build_number,
    cut_pieces,
    is_code,
    read_chunk,
)

CURRENCY_REACH = 5  # characters before a number searched for a '€' or 'EUR' written first
_SIGNS = "-−+"
_ZERO_DASH_RE = re.compile(rf"(?<!\S)[-–−—]{SP}*€")
_PRE_CUR_RE = re.compile(rf"(?:€|EUR){SP}?$")
# How far back from a number its left context is read (a word, a line start): a number's cost does not grow
# with the length of the line before it, so a line of N numbers is read in time linear in N.
LOOKBACK_CHARS = 200
_WORD_AT_END = re.compile(r"([^\W_]+)$")


def _drop_first(text: str, a: int) -> bool:
    """The run's first chunk is glued to a word, an identifier or a range ('APJM1', 'n°1', '2019-2021')."""
    if a == 0:
        return False
    c = text[a - 1]
    if c.isalpha() or c in GLUE_CHARS or c in "'’" and a >= 2 and text[a - 2].isdigit():
        return True
    if c in "-–—" and a >= 2 and (text[a - 2].isalnum()):
        return True
    return bool(re.search(rf"[°º]{SP}?$", text[max(0, a - 2) : a]))


def _drop_last(text: str, b: int) -> bool:
    """The run's last chunk is glued to a word, starts a range or a date ('2ème', '2019-', '31 mars')."""
    if b >= len(text) or UNIT_RE.match(text, b):
        return False
    c = text[b]
    if c.isalpha() or c in GLUE_CHARS:
        return True
    if c in "-–—" and b + 1 < len(text) and text[b + 1].isdigit():
        return True
    return bool(MONTH_AFTER.match(text, b))


def _trim(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Chunks of a run minus those glued to words, dates, ranges or identifiers at its edges."""
    if spans and _drop_first(text, spans[0][0]):
        spans = spans[1:]
    if spans and _drop_last(text, spans[-1][1]):
        spans = spans[:-1]
    return spans


def _is_heading(text: str, spans: list[tuple[int, int]]) -> bool:
    """'1.1.' or '2. Mesures' at the start of a line, or any dotted number ending with a dot: a section."""
    b = spans[-1][1]
    if not (b < len(text) and text[b] == "." and (b + 1 == len(text) or text[b + 1].isspace())):
        return False
    last = text[spans[-1][0] : b]
    line_start = text.rfind("\n", max(0, spans[0][0] - LOOKBACK_CHARS), spans[0][0]) + 1
    return "." in last or not text[line_start : spans[0][0]].strip(" \t#*>-")


def _sign_before(text: str, a: int) -> tuple[int, int]:
    """(sign, start) with a sign glued before the digits ('-60 000'), not a bullet dash ('- 34')."""
    if a > 0 and text[a - 1] in _SIGNS and (a == 1 or text[a - 2].isspace() or text[a - 2] in "([:;«\"'"):
        return (-1 if text[a - 1] != "+" else 1), a - 1
    return 1, a


def _label_before(text: str, a: int) -> bool:
    """A label word stands before position a on the same cell (single space), so a leading group may be its tail."""
    if a == 0 or text[a - 1] not in SPACE_CHARS:
        return False
    i = a - 1
    if i == 0 or text[i - 1] in SPACE_CHARS or text[i - 1] == "\t":
        return False
    m = _WORD_AT_END.search(text, max(0, i - LOOKBACK_CHARS), i)
    if not m or m.group(1).isdigit():
        return False
    return m.group(1).lower() not in INTRODUCERS


def find_numbers(text: str) -> list[tuple[ParsedNumber, int, int]]:
    """Every amount, percentage and count in a line or paragraph, with its character span [start, end)."""
    out: list[tuple[ParsedNumber, int, int]] = []
    zeros = list(_ZERO_DASH_RE.finditer(text))
    zero_ends = [z.end() for z in zeros]  # increasing: the last one before a run is found by bisection
    consumed = 0
    for m in RUN_RE.finditer(text):
        k = bisect_right(zero_ends, m.start())
        consumed = max(consumed, zero_ends[k - 1]) if k else consumed
        spans = _trim(text, [(m.start() + c.start(), m.start() + c.end()) for c in CHUNK_RE.finditer(m.group())])
        if not spans or _is_heading(text, spans):
            continue
        chunks = [text[a:b] for a, b in spans]
        pieces = cut_pieces(chunks)
        if is_code(chunks, pieces):
            continue
        unit_m = UNIT_RE.match(text, spans[-1][1])
        for idx, (i, j) in enumerate(pieces):
            last_unit = unit_m if idx == len(pieces) - 1 else None
            found = _find_piece(text, spans, chunks, (i, j), unit_m=last_unit, consumed=consumed)
            if found is not None:
                out.append(found)
        if unit_m:
            consumed = unit_m.end()
    for z in zeros:
        zero = ParsedNumber(raw=z.group(), value=Decimal(0), unit="EUR", message="'- €' read as zero")
        out.append((zero, z.start(), z.end()))
    return sorted(out, key=lambda t: t[1])


def _find_piece(
    text: str,
    spans: list[tuple[int, int]],
    chunks: list[str],
    piece: tuple[int, int],
    *,
    unit_m: re.Match[str] | None,
    consumed: int,
) -> tuple[ParsedNumber, int, int] | None:
    """One number of a run in running text, with its unit (after, or a € before) and span."""
    i, j = piece
    start, stop = spans[i][0], spans[j][1]
    sign = 1
    if i == 0:
        sign, start = _sign_before(text, start)
    if unit_m is None and i == 0 and j == len(chunks) - 1:
        pre = _PRE_CUR_RE.search(text, max(consumed, start - CURRENCY_REACH), start)
        if pre:
            unit_m = UNIT_RE.match(pre.group().strip())
            start = pre.start()
    end = unit_m.end() if unit_m and unit_m.start() >= stop else stop
    label = i == 0 and _label_before(text, start)
    wm = WORD_AFTER.match(text, stop) if unit_m is None and j == len(chunks) - 1 else None
    p = build_number(
        text[start:end],
        chunks[i : j + 1],
        sign=sign,
        unit_m=unit_m,
        label_before=label,
        in_line=True,
        followed_by_word=wm is not None,
    )
    if p is None or (p.unit is None and i == j and _is_reference(chunks[i])):
        return None
    if wm and not p.is_year and wm.group(1).lower() not in INTRODUCERS:
        p = replace(p, unit_word=wm.group(1))
    return p, start, end


def _is_reference(chunk: str) -> bool:
    """'2.1', '4.2': a dotted small number without unit is a section/fiche reference in French text."""
    r = read_chunk(chunk, money=False)
    return r is not None and r.dotted_ref
