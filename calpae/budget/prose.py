"""Money stated in sentences ('… est de 67.169 €', '1 M€', '49,3 millions d'euros') → Amount records."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal

from calpae.budget.lines import section_of
from calpae.budget.money import parse
from calpae.models import Amount, Document, Line

_NUM = r"\d{1,3}(?:[ .\u00a0\u202f\u2009]\d{3})+(?:[,.]\d{1,2})?|\d+(?:,\d+)?"
# A match starts only where a number starts (not after "digit + space", inside a grouped number): on a run of
# thousands of space-separated figures each start would otherwise rescan the run to its end.
_MONEY = re.compile(
    rf"(?<![\d.,])(?<!\d[ \u00a0\u202f\u2009])({_NUM})\s*"
    rf"(M€|k€|€|millions? d['’]euros|millions? €|milliards? d['’]euros|euros?\b)",
    re.I,
)
MAX_SENTENCE_CHARS = 600  # the text kept with an amount: its sentence, or this much of it around the amount
_MARKUP = re.compile(r"\*\*|__|</?(b|i|p|u|em|strong|sup|sub|span|br)[^>]*>|<[^>]+>")
_BULLET = re.compile(r"\s*([-•✚➤⇒✓+*▪◦]|#+|\d+(\.\d+)*\.?\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZÉÈÀÂÎÔÛÇ•\-–✚➤⇒])")


def clean(text: str) -> str:
    """Markup removed, spaces collapsed."""
    return re.sub(r"[ \t]+", " ", _MARKUP.sub("", text)).strip()


def _table_line_ranges(doc: Document) -> list[tuple[int, int]]:
    return [(t.line_start, t.line_end) for t in doc.tables if t.line_start and t.line_end]


def _prose_lines(doc: Document) -> list[Line | None]:
    """Lines that are neither furniture nor part of a table; None where a table was skipped.

    The None marks a paragraph break: PDFs have no blank line between a table and the text around
    it, so without it the line above a table and the prose below would be read as one sentence."""
    ranges = _table_line_ranges(doc)
    out: list[Line | None] = []
    for ln in doc.lines():
        in_table = ln.in_table or "\t" in ln.text or bool(ln.line_no and any(a <= ln.line_no <= b for a, b in ranges))
        if in_table:
            if out and out[-1] is not None:
                out.append(None)
            continue
        out.append(ln)
    return out


def _paragraphs(lines: list[Line | None]) -> Iterator[list[Line]]:
    """Runs of consecutive non-empty lines (wrapped prose is joined back); a table between them ends a run."""
    block: list[Line] = []
    for ln in lines:
        if ln is None:
            if block:
                yield block
            block = []
            continue
        if ln.text.strip() and _BULLET.match(ln.text) and block:
            yield block
            block = []
        if ln.text.strip():
            block.append(ln)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _value(number: str, unit: str) -> Decimal | None:
    p = parse(f"{number} {unit}")
    if p is not None and p.value is not None:
        return p.value
    return None


def _sentence_at(text: str, ends: list[tuple[int, int]], pos: int) -> str:
    """The sentence holding `pos`, from the paragraph's sentence ends (start, end of each separator) found once.

    A "sentence" longer than MAX_SENTENCE_CHARS (a run of figures without punctuation) is cut to the words
    around the amount: each amount keeps a bounded text, so what reads it later costs no more per amount."""
    k = bisect_right(ends, (pos, pos))  # separators starting before pos (pos, a digit, is never inside one)
    start = ends[k - 1][1] if k else 0
    end = ends[k][0] if k < len(ends) else len(text)
    if end - start > MAX_SENTENCE_CHARS:
        half = MAX_SENTENCE_CHARS // 2
        if pos - half > start:
            start = text.find(" ", pos - half, pos) + 1 or pos - half
        if pos + half < end:
            cut = text.rfind(" ", pos, pos + half)
            end = cut if cut > pos else pos + half
    return text[start:end].strip()


def prose_amounts(doc: Document) -> list[Amount]:
    """Every money amount in the document's sentences, with the sentence, section and line/page.

    Sentence ends and line offsets are found once per paragraph and searched by bisection: time linear in size."""
    out: list[Amount] = []
    for block in _paragraphs(_prose_lines(doc)):
        offsets, parts, pos = [], [], 0
        for ln in block:
            t = clean(ln.text)
            offsets.append(pos)
            parts.append(t)
            pos += len(t) + 1
        text = " ".join(parts)
        ends: list[tuple[int, int]] | None = None
        for m in _MONEY.finditer(text):
            value = _value(m.group(1), m.group(2))
            if value is None:
                continue
            ln = block[bisect_right(offsets, m.start()) - 1]
            if ends is None:
                ends = [(e.start(), e.end()) for e in _SENTENCE_END.finditer(text)]
            sentence = _sentence_at(text, ends, m.start())
            prov = doc.provenance(page=ln.page, line=ln.line_no, bbox=ln.bbox, raw=m.group(0))
            out.append(
                Amount(
                    provenance=prov,
                    departement_code=doc.departement_code,
                    section=section_of(doc, ln.page, ln.line_no, None, ln.bbox.top if ln.bbox else None),
                    amount=value,
                    unit="EUR",
                    text=sentence,
                )
            )
    return out
