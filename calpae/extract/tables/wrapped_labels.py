"""The label columns of a table of wrapped cells (calpae.extract.tables.wrapped): where they are, which words belong
to the body, which block of lines is which row's cell."""

from __future__ import annotations

import re

from calpae.extract.geometry.lines import group_lines
from calpae.extract.numbers.cells import STOP_WORDS
from calpae.extract.settings import DEFAULT_FONT_SIZE, WRAPPED
from calpae.models import Word

OPENS_CELL = re.compile(r"[A-ZÀ-Ý0-9]")  # a capital or a digit (a numbered item, a Chorus code)


def _size(w: Word) -> float:
    return w.size or DEFAULT_FONT_SIZE


def label_columns(words: list[Word], gap: float = WRAPPED.label_gap) -> list[tuple[float, float]]:
    """x-spans of the label columns: cut where white at least `gap` points wide runs down between the label words,
    which a merged cell across the label columns ('TOTAUX FINANCIERS') may cross once; a column has words starting
    in it on two lines."""
    if not words:
        return []
    step = WRAPPED.gutter_step
    x_min = min(w.bbox.x0 for w in words)
    n = int((max(w.bbox.x1 for w in words) - x_min) / step) + 1
    cover = [0] * n
    for w in words:
        for i in range(int((w.bbox.x0 - x_min) / step), int((w.bbox.x1 - x_min) / step)):
            cover[i] += 1
    cuts: list[float] = []
    run = 0
    for i, c in enumerate([*cover, WRAPPED.gutter_crossings + 1]):
        if c <= WRAPPED.gutter_crossings:
            run += 1
            continue
        if run * step >= gap and i < n:
            cuts.append(x_min + (i - run / 2) * step)
        run = 0
    spans: list[tuple[float, float]] = []
    for a, b in zip([-1e9, *cuts], [*cuts, 1e9], strict=True):
        inside = [w for w in words if a <= w.bbox.x0 < b]
        if spans and len(_opening_lines(inside, words)) < 2:
            spans[-1] = (spans[-1][0], max([spans[-1][1], *(w.bbox.x1 for w in inside)]))
        elif inside:
            spans.append((min(w.bbox.x0 for w in inside), _right_edge(inside, b)))
    return spans


def _opening_lines(inside: list[Word], words: list[Word]) -> set[int]:
    """The lines (rounded tops) on which a column's first word opens a cell line: it stands at the column's left edge,
    or no word ends a word space before it. The last words of ragged lines ('… en situation de' / '… dans les') that
    happen to leave white down the page are no column: neither aligned nor apart from the phrase they end."""
    if not inside:
        return set()
    edge = min(w.bbox.x0 for w in inside)
    first: dict[int, Word] = {}
    for w in inside:
        key = round(w.bbox.top)
        if key not in first or w.bbox.x0 < first[key].bbox.x0:
            first[key] = w
    return {
        key
        for key, w in first.items()
        if w.bbox.x0 - edge <= WRAPPED.column_edge_slack
        or not any(
            abs(o.bbox.top - w.bbox.top) < 1.0 and 0 <= w.bbox.x0 - o.bbox.x1 <= WRAPPED.phrase_gap * _size(w)
            for o in words
        )
    }


def _right_edge(inside: list[Word], cut: float) -> float:
    """A label column's right edge: its widest word's, but for the words crossing the gutter (a merged cell, text
    overflowing an empty neighbour): they would move the boundary into the next column and give it its words."""
    within = [w.bbox.x1 for w in inside if w.bbox.x1 <= cut]
    return max(within) if within else max(w.bbox.x1 for w in inside)


def run_on_words(words: list[Word], amount_left: float, page: int) -> set[int]:
    """Ids of the words of phrases running on, a word space apart, from left of the amount columns into them: a line
    of prose under or over the table (a footer, a note), not a label (a label cell does not overflow into a filled
    amount cell; its lines end before the amounts start)."""
    out: set[int] = set()
    for ln in group_lines(words, page):
        phrase: list[Word] = []
        for w in [*ln.words, None]:
            if w is not None and phrase and w.bbox.x0 - phrase[-1].bbox.x1 <= WRAPPED.phrase_gap * _size(w):
                phrase.append(w)
                continue
            if phrase and phrase[0].bbox.x0 < amount_left < phrase[-1].bbox.x1:
                out.update(id(p) for p in phrase)
            phrase = [w] if w is not None else []
    return out


def grow_labels(seed: list[Word], pool: list[Word]) -> list[Word]:
    """The seed with the pool's words stacked on it (a label cell's lines above or below its amounts) or standing a
    word space beside one of its words on its line."""
    have = {id(w) for w in seed}
    out = list(seed)
    todo = list(seed)
    rest = [w for w in pool if id(w) not in have]
    while todo:
        o = todo.pop()
        keep = []
        for w in rest:
            gap = WRAPPED.cell_gap * _size(w)
            stacked = (
                o.bbox.x0 < w.bbox.x1
                and w.bbox.x0 < o.bbox.x1
                and (-gap <= w.bbox.top - o.bbox.bottom <= gap or -gap <= o.bbox.top - w.bbox.bottom <= gap)
            )
            beside = abs(w.bbox.top - o.bbox.top) < 1.0 and min(
                abs(w.bbox.x0 - o.bbox.x1), abs(o.bbox.x0 - w.bbox.x1)
            ) <= WRAPPED.phrase_gap * _size(w)
            if stacked or beside:
                out.append(w)
                todo.append(w)
            else:
                keep.append(w)
        rest = keep
    return out


def label_cells(lines: list[list[Word]], rows: list[tuple[float, float]]) -> list[tuple[int, int, list[Word]]]:
    """The cells of one label column as (first row, rows spanned, words): its lines cut into blocks at white wider
    than a line gap and before a line that opens a cell; a block belongs to the first row it stands beside (a
    merged theme or Chorus cell spans the rows it covers), else to the nearest."""
    blocks: list[list[list[Word]]] = []
    for k, ln in enumerate(lines):
        prev = lines[k - 1] if k else None
        if (
            prev is None
            or ln[0].bbox.top - prev[0].bbox.bottom > WRAPPED.cell_gap * _size(ln[0])
            or _opens_cell(ln, prev)
        ):
            blocks.append([])
        blocks[-1].append(ln)
    out = []
    for block in blocks:
        top = min(w.bbox.top for ln in block for w in ln)
        bottom = max(w.bbox.bottom for ln in block for w in ln)
        covered = [k for k, row in enumerate(rows) if row[0] < bottom and top < row[1]]
        if covered:
            first, span = covered[0], covered[-1] - covered[0] + 1
        else:
            cy = (top + bottom) / 2
            first = min(range(len(rows)), key=lambda k: (min(abs(cy - rows[k][0]), abs(cy - rows[k][1])), -k))
            span = 1
        out.append((first, span, [w for ln in block for w in ln]))
    return out


def _opens_cell(line: list[Word], before: list[Word]) -> bool:
    """A line that starts a new cell: it opens with a capital or a numbered item, the line before does not stop on
    a word that leads on ('de', 'avec'…)."""
    last = before[-1].text.lower().strip("'’")
    return (
        bool(OPENS_CELL.match(" ".join(w.text for w in line)))
        and last not in STOP_WORDS
        and not last.endswith(("-", "–", ","))
    )
