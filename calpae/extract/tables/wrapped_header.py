"""The header of a table of wrapped cells (calpae.extract.tables.wrapped): the lines above its body, each word or
phrase in the column under it, phrases over several columns as spanning cells."""

from __future__ import annotations

import re

from calpae.extract.geometry.lines import group_lines
from calpae.extract.settings import DEFAULT_FONT_SIZE, WRAPPED
from calpae.extract.tables.cell_text import cell_text
from calpae.models import BBox, Cell, Word

_WORD = re.compile(r"[^\W\d_]{3}")  # a word of three letters at least: a column letter or a formula's 'D+E' is none


def _size(w: Word) -> float:
    return w.size or DEFAULT_FONT_SIZE


def header_cells(words: list[Word], bounds: list[float], n_cols: int, page: int) -> tuple[list[Cell], list[Cell]]:
    """Spanning header cells (their own row) and one header cell per column.

    Each line of the header is cut into phrases at white wider than a word space; a phrase lying over several
    columns, each holding a good share of it, spans them ('Financement 2022'); any other phrase goes whole to the
    column holding most of it (a header left-aligned in an amount column starts left of the amounts)."""
    spanning: dict[int, tuple[int, list[Word]]] = {}
    per: list[list[Word]] = [[] for _ in range(n_cols)]
    edges = [-1e9, *bounds, 1e9]
    for ln in group_lines(words, page):
        for phrase in _phrases(ln.words, bounds):
            x0, x1 = phrase[0].bbox.x0, phrase[-1].bbox.x1
            shares = [max(0.0, min(x1, edges[j + 1]) - max(x0, edges[j])) / max(x1 - x0, 1e-6) for j in range(n_cols)]
            held = [j for j, share in enumerate(shares) if share >= WRAPPED.span_share]
            if len(held) > 1 and len(phrase) > 1:
                span, have = spanning.get(held[0], (0, []))
                spanning[held[0]] = (max(span, held[-1] - held[0] + 1), [*have, *phrase])
            else:
                per[max(range(n_cols), key=lambda j: shares[j])].extend(phrase)
    group = [
        Cell(row=0, col=c, text=" ".join(w.text for w in ws), page=page, col_span=s, bbox=_box(ws))
        for c, (s, ws) in sorted(spanning.items())
    ]
    heads = [Cell(row=0, col=j, text=cell_text(ws), page=page, bbox=_box(ws)) for j, ws in enumerate(per) if ws]
    return group, heads


def _box(words: list[Word]) -> BBox | None:
    return BBox.union([w.bbox for w in words])


def _phrases(words: list[Word], bounds: list[float]) -> list[list[Word]]:
    """A line's words cut where the white between two is wider than a word space, or holds the boundary of the
    column the phrase so far stands in (two narrow columns' header lines may stand a word space apart: 'reporter en
    2020' 'reporter en 2020'; the boundary is only known within a cell's padding). A phrase already over several
    columns ('Tableau financier récapitulatif 2022 – Tarn-et-Garonne') is not cut."""
    out: list[list[Word]] = []
    pad = WRAPPED.cell_pad * median_size(words)
    edges = [-1e9, *bounds, 1e9]
    for w in words:
        phrase = out[-1] if out else None
        if phrase is not None and w.bbox.x0 - phrase[-1].bbox.x1 <= WRAPPED.phrase_gap * _size(w):
            start = phrase[0].bbox.x0 + pad
            j = next(k for k in range(len(edges) - 1) if start < edges[k + 1])  # the column the phrase starts in
            if not (phrase[-1].bbox.x1 - pad <= edges[j + 1] <= w.bbox.x0 + pad):
                phrase.append(w)
                continue
        out.append([w])
    return out


def header_words(
    words: list[Word], body_top: float, x0: float, x1: float, size: float, row_white: float = 0.0, ocr: bool = False
) -> list[Word]:
    """Words above the body within the table's width, line by line upwards until a wide white band, a line that
    starts left of the table, a line set in a larger type (a heading), or too many lines.

    size: the body's font size (points). row_white: the widest white between two of the body's rows (points): a
    band no wider does not end the header (cells centred in tall rows leave that much white above their text).
    ocr: words read from a page image, sized by their Tesseract line's ink: a line of formula marks ('(A+B+C',
    '+D+E)') or one Tesseract ran across the header cells of several columns is sized up to 1.4 times the body
    (office seed 105, Hautes-Alpes avenant: 8.7 and 9.7 over 7.0); a heading is then a larger line that reads as
    one phrase of words, not as pieces of several cells."""
    above = [w for w in words if w.bbox.bottom <= body_top and w.bbox.x1 > x0 and w.bbox.x0 < x1]
    out: list[Word] = []
    edge = body_top
    lines = sorted(group_lines(above, 0), key=lambda ln: -(ln.bbox.bottom if ln.bbox else 0.0))
    for n, ln in enumerate(lines):
        box = ln.bbox
        if box is None or n >= WRAPPED.max_header_lines or box.x0 < x0 - WRAPPED.label_gap:
            break
        if edge - box.bottom > max(WRAPPED.header_gap * size, row_white) or (
            median_size(ln.words) > WRAPPED.heading_size * size and (not ocr or _one_phrase(ln.words))
        ):
            break
        out.extend(ln.words)
        edge = min(edge, box.top)
    return out


def _one_phrase(words: list[Word]) -> bool:
    """A line whose words of letters stand in one phrase: cut where the white is wider than a phrase's, exactly one
    piece holds a word (a header line Tesseract ran over several cells holds one in each; a formula or a year none;
    a speck or a number apart from a title's words is no piece of another cell)."""
    pieces: list[list[Word]] = []
    for a, b in zip([None, *words], words, strict=False):
        if a is None or b.bbox.x0 - a.bbox.x1 > WRAPPED.phrase_gap * _size(a):
            pieces.append([])
        pieces[-1].append(b)
    return sum(1 for p in pieces if any(_WORD.search(w.text) for w in p)) == 1


def median_size(words: list[Word]) -> float:
    sizes = sorted(_size(w) for w in words)
    return sizes[len(sizes) // 2] if sizes else DEFAULT_FONT_SIZE
