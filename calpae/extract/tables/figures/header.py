"""The header of a table of figures: its phrases placed over the body's columns.

A header cell's lines stand one under the other, each overlapping the next in x, whatever its alignment (left-aligned
over right-aligned figures, centred, broken mid-word in a narrow column): such chains of phrases are one column's
header, placed over the body column they overlap most. A phrase over several columns (a year over its kinds, a band
over every value column) is a cell spanning them, in a header row of its own above the columns' own cells. A chain
over no body column, right of the labels, is the header of a column empty on every row (a comment column nobody
filled)."""

from __future__ import annotations

from dataclasses import dataclass

from calpae.extract.settings import FIGURES
from calpae.extract.tables.cell_text import cell_text
from calpae.extract.tables.figures.layout import Span
from calpae.extract.tables.figures.marks import Mark, Phrase, box_of
from calpae.models import Cell, Word


@dataclass
class Chain:
    """Header phrases standing one under the other (x-extents overlapping), and the column they head."""

    span: Span
    phrases: list[Phrase]
    col: int | None = None


def _over(span: Span, cols: list[Span]) -> list[int]:
    return [k for k, c in enumerate(cols) if c.overlaps(span.x0, span.x1, -FIGURES.column_tol)]


def _overlap(a: Span, b: Span) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _run_together(p: Phrase, cols: list[Span], crowded: bool = False, below: bool = False) -> list[Phrase]:
    """A phrase over several columns made of the header words of each, set one space apart (a text export runs
    'Situation Résultat Justification' together): cut into one phrase per column when its words stand over the
    columns in turn, each column's first word capitalised (the last column's may run on: 'Départem Départem cas
    échéant'), two of them at least. A cell spanning columns ('Année 2021', 'Indicateurs de suivi – situation au …')
    reads on from one column to the next and stays whole.
    crowded (a text export): a small word over no column continues the cell before it ('Résultat du' pushed right
    by its first word), and a figure may open a cell ('2018 du Département'); below: the phrase stands under header
    lines cut so over the same columns (the stacked header's later lines: 'Départeme nt en 2019' is the end of two
    cells, not one spanning them), cut whatever its words' case."""
    if len(p.words) < 2 or len(_over(Span(p.box.x0, p.box.x1), cols)) < 2:
        return [p]
    groups: list[tuple[float, list[Word]]] = []
    for w in p.words:
        span = Span(w.bbox.x0, w.bbox.x1)
        over = _over(span, cols)
        # a word over no column heads one only the header shows (a comment column left empty): between two
        col = max(over, key=lambda k: _overlap(cols[k], span)) if over else sum(1 for c in cols if c.x1 < span.x0) - 0.5
        if crowded and not over and groups and not w.text[:1].isupper():
            col = groups[-1][0]
        if groups and groups[-1][0] == col:
            groups[-1][1].append(w)
        elif groups and col < groups[-1][0]:
            return [p]
        else:
            groups.append((col, [w]))
    if len(groups) < 2:
        return [p]
    if below:
        return [Phrase(ws) for _, ws in groups]
    if not all(ws[0].text[:1].isupper() or (crowded and ws[0].text[:1].isdigit()) for _, ws in groups[:-1]):
        return [p]
    if not groups[-1][1][0].text[:1].isupper() and len(groups) < 3:
        return [p]
    return [Phrase(ws) for _, ws in groups]


def _cut_phrases(head: list[Mark], cols: list[Span], crowded: bool) -> tuple[list[Phrase], dict[int, int]]:
    """The header's phrases, those run together over columns cut (_run_together); in a text export, a phrase left
    whole over columns that a line above was cut over is cut too (below), and each cut piece's column (by id) is
    the one its first word stands over: crowded pieces overlap their neighbours' lines, no chain places them."""
    out: list[Phrase] = []
    placed: dict[int, int] = {}
    cut_at: dict[int, float] = {}  # column → top of the highest cut piece over it
    own_at: dict[int, float] = {}  # column → top of the highest phrase over it alone (a PDF's header)
    for m in head:  # top down
        for p in m.phrases:
            pieces = _run_together(p, cols, crowded)
            if len(pieces) == 1 and len(over := _over(Span(p.box.x0, p.box.x1), cols)) > 1:
                if crowded and all(k in cut_at and cut_at[k] < p.box.top for k in over):
                    pieces = _run_together(p, cols, crowded, below=True)
                elif not crowded and _ends_of_cells(p, cols, over, own_at):
                    pieces = _run_together(p, cols, crowded, below=True)
            if not crowded:
                for q in pieces:
                    if len(o := _over(Span(q.box.x0, q.box.x1), cols)) == 1:
                        own_at[o[0]] = min(own_at.get(o[0], q.box.top), q.box.top)
            if len(pieces) > 1 and crowded:
                for q in pieces:
                    first = q.words[0].bbox
                    over = _over(Span(first.x0, first.x1), cols)
                    if over:
                        placed[id(q)] = max(over, key=lambda k: _overlap(cols[k], Span(first.x0, first.x1)))
                        cut_at[placed[id(q)]] = min(cut_at.get(placed[id(q)], q.box.top), q.box.top)
            out += pieces
    return out, placed


def _ends_of_cells(p: Phrase, cols: list[Span], over: list[int], own_at: dict[int, float]) -> bool:
    """A phrase over several columns, every one of which a phrase over it alone heads higher up, each of its words
    over one column: the ends of those columns' cells set one word space apart ('en 2019 en 2020' under
    'Résulta t atteint' twice), not a cell spanning them (those stand above their columns' own cells)."""
    return all(k in own_at and own_at[k] < p.box.top for k in over) and all(
        len(_over(Span(w.bbox.x0, w.bbox.x1), cols)) == 1 for w in p.words
    )


def _chains(phrases: list[Phrase], drift: float = 0.0) -> list[Chain]:
    """Phrases one under the other in chains: a phrase joins the chain it overlaps by more than drift (a text
    export's lines drift a character apart: a word one character under the next column's header is not its)."""
    out: list[Chain] = []
    for p in sorted(phrases, key=lambda p: p.box.x0):
        box = p.box
        if out and box.x0 < out[-1].span.x1 - FIGURES.column_tol - drift:
            out[-1].span.x1 = max(out[-1].span.x1, box.x1)
            out[-1].phrases.append(p)
        else:
            out.append(Chain(Span(box.x0, box.x1), [p]))
    return out


@dataclass
class Header:
    """The columns (with those only the header shows), their kinds, and the header cells."""

    cols: list[Span]
    kinds: list[str]
    cells: list[Cell]


def read_header(
    head: list[Mark], cols: list[Span], kinds: list[str], n_label: int, page: int, drift: float = 0.0
) -> Header:
    """Header cells over the body's columns; columns only the header shows are added (kind 'comment'). drift: how
    far a text export's header lines may stand apart in x (one character; nothing on a PDF's page)."""
    phrases, placed = _cut_phrases(head, cols, drift > 0)
    at = {id(p): cols[k] for p in phrases if (k := placed.get(id(p))) is not None}
    spanning = [p for p in phrases if id(p) not in at and len(_over(Span(p.box.x0, p.box.x1), cols)) > 1]
    bridging = _bridging([p for p in phrases if id(p) not in at and p not in spanning], cols)
    chains = _chains([p for p in phrases if p not in spanning and id(p) not in at and id(p) not in bridging], drift)
    label_end = cols[n_label - 1].x1 if n_label else float("-inf")

    def beside_piece(span: Span) -> Span | None:  # the column of a crowded line's piece this chain stands under
        return next((at[id(p)] for p in phrases if id(p) in at and _overlap(Span(p.box.x0, p.box.x1), span) > 0), None)

    extra = [ch for ch in chains if not _over(ch.span, cols) and ch.span.x0 > label_end and not beside_piece(ch.span)]
    body_cols = cols
    merged = sorted([*zip(cols, kinds, strict=True), *((ch.span, "comment") for ch in extra)], key=lambda c: c[0].x0)
    cols, kinds = [c for c, _ in merged], [k for _, k in merged]
    for ch in chains:
        over = _over(ch.span, cols)
        if over:
            ch.col = max(over, key=lambda k: _overlap(cols[k], ch.span))
        elif (piece := beside_piece(ch.span)) is not None:
            ch.col = next(k for k, c in enumerate(cols) if c is piece)
        else:
            centre = (ch.span.x0 + ch.span.x1) / 2
            ch.col = min(range(len(cols)), key=lambda k: abs((cols[k].x0 + cols[k].x1) / 2 - centre))
    for p in phrases:  # the cut pieces of a crowded line, each in its column
        if id(p) in at:
            chains.append(Chain(Span(p.box.x0, p.box.x1), [p], next(k for k, c in enumerate(cols) if c is at[id(p)])))
    wide = [(p, (o := _over(Span(p.box.x0, p.box.x1), cols))[0], o[-1]) for p in spanning]
    at_merged = {k: next(j for j, c in enumerate(cols) if c is b) for k, b in enumerate(body_cols)}
    for p in phrases:  # a bridging phrase's body columns, among those the header added
        if id(p) in bridging:
            c0, c1 = bridging[id(p)]
            wide.append((p, at_merged[c0], at_merged[c1]))
    return Header(cols, kinds, _cells(wide, chains, cols, page))


def _bridging(phrases: list[Phrase], cols: list[Span]) -> dict[int, tuple[int, int]]:
    """Phrases (by id) standing over header phrases of two columns at least, each of those over one column only:
    a year over its kinds in narrow columns ('Année 2022' over 'Résultat attendu' and 'Résultat atteint', wider
    than the figures under them, its own words only touching their columns), a cell spanning those columns."""
    out: dict[int, tuple[int, int]] = {}
    tol = FIGURES.column_tol
    for p in phrases:
        span = Span(p.box.x0, p.box.x1)
        owned = {
            over[0]
            for q in phrases
            if q is not p
            and q.box.top >= p.box.bottom - tol
            and _overlap(span, Span(q.box.x0, q.box.x1)) > tol
            and len(over := _over(Span(q.box.x0, q.box.x1), cols)) == 1
        }
        if len(owned) > 1:
            out[id(p)] = (min(owned), max(owned))
    return out


def _cells(spanning: list[tuple[Phrase, int, int]], chains: list[Chain], cols: list[Span], page: int) -> list[Cell]:
    rows: list[list[tuple[int, int]]] = []
    cells: list[Cell] = []
    for p, c0, c1 in sorted(spanning, key=lambda s: s[0].box.top):
        r = next((k for k, taken in enumerate(rows) if all(c1 < a or b < c0 for a, b in taken)), len(rows))
        if r == len(rows):
            rows.append([])
        rows[r].append((c0, c1))
        cells.append(Cell(row=r, col=c0, col_span=c1 - c0 + 1, text=p.text, page=page, bbox=p.box))
    own: dict[int, list[Word]] = {}
    for ch in chains:
        if ch.col is not None:
            own.setdefault(ch.col, []).extend(w for p in ch.phrases for w in p.words)
    for c, words in sorted(own.items()):
        cells.append(Cell(row=len(rows), col=c, text=cell_text(words), page=page, bbox=box_of(words)))
    return cells
