"""Headers stacked over several rows, read with their cells' spans: a year over the kinds of its columns ('Année
2021' over 'Résultat attendu' and 'Résultat atteint'), a band over every value column ('Indicateurs de suivi –
situation au 31/12/2020'), a label cell over the header's full height.

Each column is described by the cells standing over it, its own cells (one column wide) first, then the cells
spanning it from the narrowest: the fewest of them that say what the column holds are used, so that a band's words
('indicateurs', a date) never outweigh a column's own."""

from __future__ import annotations

import re

from calpae.extract.lexicon import WORD_RE, known
from calpae.indicators.headers import Column, classify_header, states_kind
from calpae.indicators.values import clean, read_cell
from calpae.models import Cell, Table

MIN_WORD = 3  # letters: a shorter run ('re', 'J', 'st') read from a header cell names nothing
MAX_HEADER_ROWS = 6  # rows a stacked header may take (three lines of cells, title rows above them)
_YEAR_ONLY = re.compile(r"\s*(19|20)\d\d\s*")


def _is_figure(text: str) -> bool:
    """A body cell: a number (not a bare year), a rate or a marker such as NC or SO."""
    text = clean(text)
    if not text or _YEAR_ONLY.fullmatch(text):
        return False
    read = read_cell(text)
    return read is not None and (read.value is not None or read.qualifier not in (None, "empty"))


def _first_figure_row(grid: list[list[str]]) -> int | None:
    return next((r for r, row in enumerate(grid[: MAX_HEADER_ROWS + 1]) if any(_is_figure(t) for t in row)), None)


def _covering(cells: list[Cell], col: int, top: int, end: int) -> list[Cell]:
    """Header cells over a column within rows [top, end): its own first (by row), then spanning ones by width."""
    over = [
        c
        for c in cells
        if c.col <= col < c.col + c.col_span and c.row < end and c.row + c.row_span > top and clean(c.text)
    ]
    return sorted(over, key=lambda c: (c.col_span > 1, c.col_span, c.row))


def _describe(col: int, over: list[Cell]) -> Column:
    """The column's meaning from its own cells, with the fewest spanning cells that complete it (a value column
    needs its year)."""
    n_own = sum(1 for c in over if c.col_span == 1)
    best = classify_header(col, "")
    for k in range(max(n_own, 1), len(over) + 1):
        text = " ".join(clean(c.text) for c in over[:k])
        best = classify_header(col, text)
        if best.kind != "other" and (best.kind != "value" or best.year is not None):
            return _stated_kind(col, best, over[k:]) if best.kind == "value" else best
    return best


def _stated_kind(col: int, found: Column, wider: list[Cell]) -> Column:
    """A value column whose cells give a year but no word of its kind ('2018 du Département', the result kind
    then assumed): the kind a wider cell states ('Situation', a phrase run over two columns), when with it the
    column keeps its year; else the column as found."""
    if states_kind(found.header):
        return found
    for k in range(1, len(wider) + 1):
        text = " ".join([found.header, *(clean(c.text) for c in wider[:k])])
        alt = classify_header(col, text)
        if alt.kind == "value" and alt.year == found.year and states_kind(text):
            return alt
    return found


def _columns(table: Table, top: int, end: int) -> list[Column] | None:
    head = [c for c in table.cells if c.row < end]
    over = [_covering(head, j, top, end) for j in range(table.n_cols)]
    cols = [_describe(j, cells) for j, cells in enumerate(over)]
    if not any(c.kind == "value" for c in cols):
        return None
    if not any(c.kind == "indicator" for c in cols) and not _has_money(table, end, cols):
        cols = _unnamed_labels(cols, over)
    if sum(c.kind == "indicator" for c in cols) != 1:
        return None
    return cols


def _has_money(table: Table, end: int, cols: list[Column]) -> bool:
    """True when a value column holds an amount in euros below the header: a budget table, not indicators."""
    values = {c.index for c in cols if c.kind == "value"}
    for c in table.cells:
        if c.row >= end and c.col in values and (read := read_cell(c.text)) is not None and read.unit == "EUR":
            return True
    return False


def _unnamed_labels(cols: list[Column], over: list[list[Cell]]) -> list[Column]:
    """Label columns whose header cells are blank, left of the dated value columns (a header repeated on a new
    page without its label cells, a blank corner, a stacked label header whose upper lines the page cut off,
    'Mesure' left of a blank cell): the one next to the values names the indicators, those before it the
    measures (a column named otherwise keeps its name). A header cell holding no word is blank: OCR reads the
    specks and the remnants of a lost 'Indicateurs' as 're st', 'J'."""
    first = next(c.index for c in cols if c.kind == "value")
    over = [[] if all(_noise(c.text) for c in cells) else cells for cells in over]
    if first == 0 or over[first - 1] or any(over[j] and cols[j].kind != "measure" for j in range(first - 1)):
        return cols
    out = list(cols)
    out[first - 1] = Column(first - 1, "indicator", "")
    for j in range(first - 1):
        out[j] = cols[j] if over[j] else Column(j, "measure", "")
    return out


def _noise(text: str) -> bool:
    """True when a header cell holds no word of MIN_WORD letters or more that the French word list or the
    referential knows (OCR's reading of specks, or of a word it lost)."""
    return not any(len(w) >= MIN_WORD and known(w) for w in WORD_RE.findall(text))


def _meaning(cols: list[Column]) -> list[tuple]:
    return [(c.kind, c.year, c.value_kind) for c in cols]


def stacked_header(table: Table) -> tuple[int, list[Column]] | None:
    """(first body row, columns) of an indicator table whose header rows stand above its first row of figures;
    None when no rows above it read as such a header. Rows that add nothing to the columns' meaning, just above
    the figures, are the first body rows (an indicator whose values are all blank)."""
    grid = table.grid()
    first = _first_figure_row(grid)
    if not first:
        return None
    for top in range(first):
        cols = _columns(table, top, first)
        if cols is None:
            continue
        end = first
        while end - 1 > top and (shorter := _columns(table, top, end - 1)) is not None:
            if _meaning(shorter) != _meaning(cols):
                break
            end -= 1
        return end, cols
    return None
