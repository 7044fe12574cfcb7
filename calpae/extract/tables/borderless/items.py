"""Borderless tables, the pieces: a stream item (a body line and its split), a row, and the line tests
that decide what is a row, a fragment of rotated text or a label running on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calpae.extract.numbers.cells import STOP_WORDS, SplitLine, is_amount_row
from calpae.extract.settings import BORDERLESS, DEFAULT_FONT_SIZE
from calpae.models import BBox, Line


def is_fragment(line: Line) -> bool:
    """A piece of rotated cell text: rotated glyphs, or a stacked letter fragment like 'SO', 'ré', '(C'."""
    if line.words and not any(w.upright for w in line.words):
        return True
    compact = line.text.replace(" ", "")
    return (
        0 < len(compact) <= BORDERLESS.fragment_chars
        and not any(ch.isdigit() for ch in compact)
        and compact not in {"€", "%"}
    )


def starts_lower(text: str) -> bool:
    """True when text continues a sentence (lower-case letter or closing punctuation first)."""
    s = text.lstrip()
    return bool(s) and (s[0].islower() or s[0] in "»)]”,;")


_DASH_LED = re.compile(r"^\s*[–—-]\s")  # a line opening on a dash and a space: the second half of 'A – B'


def continues_title(text: str) -> bool:
    """True when a label line opens on a dash ('– Référent de parcours'): the rest of a title 'A – B' wrapped at its
    dash, never a label of its own (a row of its own would hold amounts)."""
    return bool(_DASH_LED.match(text))


_NUMBER = re.compile(r"\d+(?:\.\d+)*\.?")


def label_column_text(split: SplitLine) -> str:
    """A row's label as its label column reads: without a leading number standing apart in a column of its own (a
    fiche number set beside a wrapped label's last line), whose case says nothing about how the label wraps."""
    words = split.label
    if len(words) >= 2 and _NUMBER.fullmatch(words[0].text):
        size = words[0].size or DEFAULT_FONT_SIZE
        if words[1].bbox.x0 - words[0].bbox.x1 >= BORDERLESS.number_cell_gap * size:
            return " ".join(w.text for w in words[1:])
    return split.label_text


def runs_on(text: str) -> bool:
    """True when a line stops mid-phrase (on 'de', 'des', 'et'…, or on the dash of a title 'A – B'), so the next line
    continues it."""
    words = text.split()
    return bool(words) and (words[-1] in ("–", "—") or words[-1].lower().strip("'’") in STOP_WORDS)


@dataclass
class Item:
    """One stream element: a body line and, where it reads as a row, its split."""

    line: Line
    split: SplitLine | None = None
    fragment: bool = False
    joined: tuple[Line, ...] = ()  # the page's lines this item's line was joined from, if any


@dataclass
class Row:
    label_lines: list[Line] = field(default_factory=list)
    split: SplitLine | None = None
    note: list[Line] = field(default_factory=list)  # text standing in the amount columns
    members: list[Line] = field(default_factory=list)
    parts: list[str] | None = None  # label text per label column, when rows were read as bands
    box: BBox | None = None  # label box, when rows were read as bands


def is_row(it: Item) -> bool:
    return bool(it.split and is_amount_row(it.split))


def row_split(it: Item) -> SplitLine:
    """The split of an item known to be a row (is_row)."""
    assert it.split is not None, "a row item has its split"
    return it.split


def is_rotated(it: Item) -> bool:
    return bool(it.line.words) and not any(w.upright for w in it.line.words)


def centred_beside(label: Line, amount: Line) -> bool:
    """A label line and an amount line half a line apart, overlapping in height: the amount stands centred beside a
    label cell of an even number of lines (a cell's lines are stacked, a row's next cell starts below)."""
    a, b = label.bbox, amount.bbox
    if a is None or b is None or label.page != amount.page:
        return False
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    height = min(a.bottom - a.top, b.bottom - b.top)
    return height > 0 and BORDERLESS.centred_overlap * height < overlap < (1 - BORDERLESS.centred_overlap) * height
