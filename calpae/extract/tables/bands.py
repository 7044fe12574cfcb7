"""Row bands of a borderless table: the label words grouped by the padding between rows.

Spreadsheet and word-processor exports centre a row's amounts (and its number cell) beside a label wrapped over
several lines, so the amount line sits in the middle of the label, not on its first or last line. Where the
table's rows are set apart by more space than the lines of one cell, each such block of label words is one row,
whatever line the amounts stand on. Label words that stand in separate x-columns (a number column, a measure
column beside an indicator column) are kept as separate label columns, as a ruled table would give them."""

from __future__ import annotations

from dataclasses import dataclass, field

from calpae.extract.settings import BANDS, DEFAULT_FONT_SIZE
from calpae.extract.tables.cell_text import cell_text
from calpae.models import BBox, Line, Word


@dataclass
class Band:
    """One row: its label words and the index of its amount line among the table's rows (None: label only)."""

    page: int
    top: float
    bottom: float
    words: list[Word] = field(default_factory=list)
    row: int | None = None


def label_words(line: Line, amount_left: float) -> list[Word]:
    """Upright words of a line that stand left of the amount columns."""
    return [w for w in line.words if w.upright and w.bbox.x1 <= amount_left - BANDS.slack]


def _size(words: list[Word]) -> float:
    sizes = sorted(w.size or DEFAULT_FONT_SIZE for w in words)
    return sizes[len(sizes) // 2] if sizes else DEFAULT_FONT_SIZE


def blocks(words: list[Word], page: int) -> list[Band]:
    """Words of one page grouped into vertical blocks: a gap wider than BANDS.gap_factor x font size starts a block."""
    if not words:
        return []
    gap = BANDS.gap_factor * _size(words)
    out: list[Band] = []
    for w in sorted(words, key=lambda w: w.bbox.top):
        if out and w.bbox.top - out[-1].bottom <= gap:
            out[-1].words.append(w)
            out[-1].bottom = max(out[-1].bottom, w.bbox.bottom)
        else:
            out.append(Band(page=page, top=w.bbox.top, bottom=w.bbox.bottom, words=[w]))
    return out


def assign_rows(bands: list[Band], centres: list[tuple[int, float]]) -> list[Band] | None:
    """Give each amount line (page, y centre) the block it stands beside; None when one block holds two lines.

    An amount line beside no block becomes a row of its own with an empty label."""
    out = list(bands)
    for i, (page, cy) in enumerate(centres):
        hit = [b for b in bands if b.page == page and b.top - BANDS.slack <= cy <= b.bottom + BANDS.slack]
        if len(hit) > 1:
            return None
        if not hit:
            out.append(Band(page=page, top=cy, bottom=cy, row=i))
            continue
        if hit[0].row is not None:
            return None
        hit[0].row = i
    out.sort(key=lambda b: (b.page, b.top))
    return out


def label_columns(words: list[Word]) -> list[tuple[float, float]]:
    """x-spans of the label columns: the label words' x-extents merged where they overlap or nearly touch."""
    spans: list[list[float]] = []
    for x0, x1 in sorted((w.bbox.x0, w.bbox.x1) for w in words):
        if spans and x0 - spans[-1][1] < BANDS.subcolumn_gap:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    out: list[tuple[float, float]] = []
    for a, b in spans:
        out.extend(
            _split_at_left_edges(
                a, b, [w for w in words if w.bbox.x0 >= a - BANDS.fine_slack and w.bbox.x1 <= b + BANDS.fine_slack]
            )
        )
    return out


def _opens_line(w: Word, words: list[Word]) -> bool:
    """True when no word stands left of w on its visual line."""
    cy = (w.bbox.top + w.bbox.bottom) / 2
    return not any(o.bbox.x1 <= w.bbox.x0 and o.bbox.top <= cy <= o.bbox.bottom for o in words)


def _split_at_left_edges(a: float, b: float, words: list[Word]) -> list[tuple[float, float]]:
    """A span cut where a left-aligned column starts: lines begin on one x inside it that no word crosses, words
    stand left of it. A measure column whose wrapped name runs up to the indicator column beside it (closer than
    BANDS.subcolumn_gap) is so kept apart from it; words that merely line up after a repeated first phrase do not open
    their lines, so one wrapped column is never cut."""
    for e in sorted({round(w.bbox.x0) for w in words}):
        if e <= a + BANDS.slack:
            continue
        if any(w.bbox.x0 < e - BANDS.slack and w.bbox.x1 > e + BANDS.fine_slack for w in words):
            continue  # a word crosses: no column edge here
        left = [w for w in words if w.bbox.x1 <= e]
        opening = [w for w in words if abs(w.bbox.x0 - e) <= BANDS.slack and _opens_line(w, words)]
        if len(opening) >= BANDS.min_edge_lines and left:
            right = [w for w in words if w.bbox.x0 >= e - BANDS.slack]
            return [(a, max(w.bbox.x1 for w in left))] + _split_at_left_edges(min(w.bbox.x0 for w in right), b, right)
    return [(a, b)]


def column_index(w: Word, spans: list[tuple[float, float]]) -> int:
    """The label column a word belongs to: the span holding its centre, else the nearest."""
    cx = (w.bbox.x0 + w.bbox.x1) / 2

    def dist(span: tuple[float, float]) -> float:
        return (
            0.0 if span[0] - BANDS.slack <= cx <= span[1] + BANDS.slack else min(abs(cx - span[0]), abs(cx - span[1]))
        )

    return min(range(len(spans)), key=lambda k: dist(spans[k]))


def band_texts(band: Band, spans: list[tuple[float, float]]) -> list[str]:
    """The band's text per label column, each column's lines read top to bottom."""
    per: list[list[Word]] = [[] for _ in spans]
    for w in band.words:
        per[column_index(w, spans)].append(w)
    return [cell_text(ws) for ws in per]


def band_bbox(band: Band) -> BBox | None:
    return BBox.union([w.bbox for w in band.words])
