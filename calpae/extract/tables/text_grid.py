"""Wide tables of a monospace text export (pdftotext -layout of an office document) read by character columns.

A recap of many amount columns, exported as text, keeps each cell at its column's characters while its lines wrap:
labels over several lines centred on their row, amounts wrapped as '148 760,41' / '€' or '167' / '000,00 €', a header
stacked over ten lines. Read line by line, the label columns run together and the amounts lose their column. Here the
amounts' character spans make the amount columns, the white running down the label side makes the label columns, each
row gathers the amounts of a band of lines (one per column), each label column's lines go to the row they stand beside,
and each header word to the column under it. A table whose amounts do not line up in columns is left to the line
reader (calpae.extract.tables.text_layout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calpae.extract.numbers.find import find_numbers
from calpae.extract.settings import TEXT_GRID
from calpae.extract.structure.gaps import is_gap
from calpae.extract.tables.cell_text import join_texts
from calpae.extract.tables.text_stacked import stacked_amounts
from calpae.models import Cell, Line, Table

_DASH_ZERO = re.compile(r"(?<!\S)-\s?€(?!\S)")  # '-€', '- €': a zero in the accounting style
_WORD = re.compile(r"\S+")
_PHRASE = re.compile(r"\S+(?: \S+)*")  # words one space apart
_LETTERED = re.compile(r" (?=[A-F] [^\W\d_])")  # a space before a lone capital A–F and a word: a new cell
_NONE: set[str] = set()  # running texts are not gaps here: a header repeated on every page is still a header
_GROUPED = re.compile(r"\d[\s\u00a0\u202f]\d{3}|,\d{2}\b")


@dataclass
class _Amount:
    line: int  # index in the page's lines
    span: tuple[int, int]
    text: str
    col: int = -1


@dataclass
class _Column:
    lo: int
    hi: int
    amounts: bool


@dataclass
class _Row:
    first: int
    last: int
    anchor: int  # the line holding most of the row's amounts: its centred label cells stand around it
    cells: dict[int, _Amount] = field(default_factory=dict)
    labels: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # column → (line index, text)


def _amounts(lines: list[Line], page: int, tail_spans: dict[int, list[tuple[int, int]]]) -> dict[int, list[_Amount]]:
    """Amount tokens per line index: money in euros or with decimals or groups, dash zeros, wrapped amounts joined."""
    out: dict[int, list[_Amount]] = {}
    index = {ln.line_no: i for i, ln in enumerate(lines)}
    tails: set[tuple[int, int]] = set()
    for s in stacked_amounts(lines, page):
        i, j = index[s.line], index[s.tail_line]
        out.setdefault(i, []).append(_Amount(i, s.span, s.text))
        tails.add((j, s.tail_span[0]))
        tail_spans.setdefault(j, []).append(s.tail_span)
    for i, ln in enumerate(lines):
        taken = [a.span for a in out.get(i, [])]
        text = _masked(ln.text, taken)  # a wrapped amount's head is no part of its neighbour's number
        for parsed, a, b in find_numbers(text):
            raw = text[a:b]
            money = parsed.unit == "EUR" or bool(_GROUPED.search(raw))
            if not money or parsed.value is None or parsed.is_year or (i, a) in tails:
                continue
            if any(x < b and a < y for x, y in taken):
                continue
            out.setdefault(i, []).append(_Amount(i, (a, b), raw))
            taken.append((a, b))
        for m in _DASH_ZERO.finditer(ln.text):
            if not any(x < m.end() and m.start() < y for x, y in taken):
                out.setdefault(i, []).append(_Amount(i, m.span(), m.group()))
        if i in out and not out[i]:
            del out[i]
    return out


def _amount_columns(amounts: list[_Amount]) -> list[_Column] | None:
    """Columns from overlapping amount spans; None when one line has two amounts in one column."""
    spans = sorted(amounts, key=lambda a: a.span)
    cols: list[_Column] = []
    for a in spans:
        if cols and a.span[0] < cols[-1].hi:
            cols[-1].hi = max(cols[-1].hi, a.span[1])
        else:
            cols.append(_Column(a.span[0], a.span[1], True))
        a.col = len(cols) - 1
    seen = {(a.line, a.col) for a in amounts}
    return cols if len(seen) == len(amounts) else None


def _label_columns(texts: list[str], right: int, n_lines: int) -> list[_Column]:
    """Columns of the label side (left of the amounts): runs of characters some lines use, split by white that
    (nearly) every line leaves."""
    ink = [0] * right
    for t in texts:
        for m in _WORD.finditer(t[:right]):
            for x in range(m.start(), min(m.end(), right)):
                ink[x] += 1
    floor = TEXT_GRID.gutter_share * n_lines
    cols: list[_Column] = []
    start = None
    for x in range(right + 1):
        on = x < right and ink[x] > floor
        if on and start is None:
            start = x
        elif not on and start is not None:
            cols.append(_Column(start, x, False))
            start = None
    return cols


def _column_of(columns: list[_Column], a: int, b: int) -> int:
    """The column whose band (extended halfway to its neighbours) holds the centre of [a, b)."""
    centre = (a + b) / 2
    for k, c in enumerate(columns):
        left = (columns[k - 1].hi + c.lo) / 2 if k else float("-inf")
        right = (c.hi + columns[k + 1].lo) / 2 if k + 1 < len(columns) else float("inf")
        if left <= centre < right:
            return k
    return len(columns) - 1


def _cell_bands(
    label_cols: list[_Column], amount_cols: list[_Column], amounts: list[_Amount]
) -> list[tuple[float, float]]:
    """The character band of each column's cells, header included. Amounts aligned on their right edge (their ends
    vary less than their starts) fill their cell from the left: a cell runs from the previous column's right edge to
    its own; aligned on the left, from its own left edge to the next one's; otherwise halfway between columns."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    shift = len(label_cols)
    for a in amounts:
        starts.setdefault(a.col - shift, []).append(a.span[0])
        ends.setdefault(a.col - shift, []).append(a.span[1])
    spread_start = sum(max(v) - min(v) for v in starts.values())
    spread_end = sum(max(v) - min(v) for v in ends.values())
    columns = label_cols + amount_cols
    cuts: list[float] = []
    for k in range(1, len(columns)):
        before, after = columns[k - 1], columns[k]
        if k > shift and spread_end < spread_start:
            cuts.append(before.hi)
        elif k > shift and spread_start < spread_end:
            cuts.append(after.lo)
        else:
            cuts.append((before.hi + after.lo) / 2)
    edges = [float("-inf"), *cuts, float("inf")]
    return list(zip(edges, edges[1:], strict=False))


def _rows(amounts: list[_Amount]) -> list[_Row]:
    """Rows of amounts: a band of lines holding at most one amount per column, lines close together."""
    rows: list[_Row] = []
    for a in sorted(amounts, key=lambda a: (a.line, a.span)):
        row = rows[-1] if rows else None
        if row is None or a.col in row.cells or a.line - row.last > TEXT_GRID.max_lines_apart:
            row = _Row(a.line, a.line, a.line)
            rows.append(row)
        row.cells[a.col] = a
        row.last = a.line
    for row in rows:
        per_line: dict[int, int] = {}
        for a in row.cells.values():
            per_line[a.line] = per_line.get(a.line, 0) + 1
        row.anchor = max(per_line, key=lambda i: (per_line[i], -i))
    return rows


def _nearest(rows: list[_Row], i: int) -> int:
    """The row whose anchor line is nearest line index i (the upper one on a tie: a label's lines run down)."""
    return min(range(len(rows)), key=lambda k: (abs(i - rows[k].anchor), k))


def _header_start(lines: list[Line], end: int) -> int:
    """Index of the first header line above index end (exclusive): indented or gapped lines, up to two blanks."""
    start, blanks = end, 0
    for i in range(end - 1, -1, -1):
        ln = lines[i]
        t = ln.text
        if not t.strip():
            blanks += 1
            if blanks >= TEXT_GRID.header_blanks:
                break
            continue
        if is_gap(ln, _NONE):
            break
        if not (t.startswith("  ") or "   " in t.strip()):
            break
        start, blanks = i, 0
    return start


def _grid_on_page(lines: list[Line], page: int) -> Table | None:
    tail_spans: dict[int, list[tuple[int, int]]] = {}  # the second lines of wrapped amounts: no label words
    amounts = _amounts(lines, page, tail_spans)
    dense = [i for i, am in amounts.items() if len(am) >= TEXT_GRID.min_amount_columns]
    if not dense:
        return None
    first, last = min(dense), max(dense)
    body_first = min(i for i in amounts if i >= first - TEXT_GRID.max_lines_apart)
    body_last = max(i for i in amounts if i <= last + TEXT_GRID.max_lines_apart)
    flat = [a for i, am in amounts.items() if body_first <= i <= body_last for a in am]
    amount_cols = _amount_columns(flat)
    if amount_cols is None:
        return None
    left = amount_cols[0].lo
    # the header ends at the last line above the body with words over the amount columns
    top = body_first
    while top > 0 and not _words_right_of(lines[top - 1].text, left, amounts.get(top - 1, [])):
        if is_gap(lines[top - 1], _NONE) and lines[top - 1].text.strip():
            break
        top -= 1
    header_end = top  # lines [header_start, header_end) are the header
    header_start = _header_start(lines, header_end)
    if header_start == header_end:
        return None
    bottom = body_last
    while bottom + 1 < len(lines) and lines[bottom + 1].text.strip() and not is_gap(lines[bottom + 1], _NONE):
        if _words_right_of(lines[bottom + 1].text, left, amounts.get(bottom + 1, [])):
            break
        bottom += 1
    body = [i for i in range(top, bottom + 1) if not is_gap(lines[i], _NONE)]
    texts = {i: _masked(lines[i].text, tail_spans.get(i, [])) for i in body}
    label_cols = _label_columns(list(texts.values()), left, len([i for i in body if lines[i].text.strip()]))
    columns = label_cols + amount_cols
    shift = len(label_cols)
    for a in flat:
        a.col += shift
    rows = _rows(flat)
    for i in body:
        for m in _WORD.finditer(texts[i][:left]):
            k = _column_of(label_cols, m.start(), m.end()) if label_cols else 0
            row = rows[_nearest(rows, i)]
            row.labels.setdefault(k, []).append((i, m.group()))
    bands = _cell_bands(label_cols, amount_cols, flat)
    header: dict[int, list[tuple[int, str]]] = {}
    for i in range(header_start, header_end):
        if is_gap(lines[i], _NONE):
            continue
        for start, phrase in _phrases(lines[i].text):
            k = next((k for k, (lo, hi) in enumerate(bands) if lo <= start < hi), len(bands) - 1)
            header.setdefault(k, []).append((i, phrase))
    return _table(lines, columns, rows, header, (header_start, bottom))


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The line with the second halves of wrapped amounts blanked: they are amounts, not label words."""
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _phrases(text: str) -> list[tuple[int, str]]:
    """A header line's cell texts and where each starts. Words one space apart are one cell's, except where a line
    crowded by the export runs cells together: a lone capital letter before a word opens a lettered column's cell
    ('Intitulé de l'action A Crédits État B Crédits' is three). Words drift right in a crowded line, their starts
    after a wide gap do not: a cell is placed by its start."""
    out: list[tuple[int, str]] = []
    for m in _PHRASE.finditer(text):
        pieces = _LETTERED.split(m.group())
        at = m.start()
        for piece in pieces:
            if piece.strip():
                out.append((at, piece.strip()))
            at += len(piece)
    return out


def _words_right_of(text: str, left: int, amounts: list[_Amount]) -> bool:
    """A line with words over the amount columns that are no amount (a header's, not a wrapped amount's '€')."""
    covered = [a.span for a in amounts]
    for m in _WORD.finditer(text):
        if m.end() <= left or m.group() in ("€", "-€", "-"):
            continue
        if not any(x <= m.start() and m.end() <= y for x, y in covered):
            return True
    return False


def _joined(words: list[tuple[int, str]]) -> str:
    """Words gathered from several lines: one text line per source line, wrapped lines joined as a cell's."""
    by_line: dict[int, list[str]] = {}
    for i, w in words:
        by_line.setdefault(i, []).append(w)
    return join_texts([" ".join(ws) for _, ws in sorted(by_line.items())])


def _table(
    lines: list[Line],
    columns: list[_Column],
    rows: list[_Row],
    header: dict[int, list[tuple[int, str]]],
    extent: tuple[int, int],
) -> Table:
    start, end = extent
    cells = [
        Cell(row=0, col=k, text=_joined(header.get(k, [])), page=lines[start].page, line_no=lines[start].line_no)
        for k in range(len(columns))
    ]
    for r, row in enumerate(rows, start=1):
        anchor = lines[row.first]
        for k in range(len(columns)):
            if k in row.cells:
                a = row.cells[k]
                ln = lines[a.line]
                cells.append(Cell(row=r, col=k, text=a.text, page=ln.page, line_no=ln.line_no))
            else:
                words = row.labels.get(k, [])
                at = lines[words[0][0]] if words else anchor
                cells.append(Cell(row=r, col=k, text=_joined(words), page=at.page, line_no=at.line_no))
    for i in range(start, end + 1):
        lines[i].in_table = True
    return Table(
        id="",
        source="text_layout",
        pages=sorted({p for i in range(start, end + 1) if (p := lines[i].page) is not None}),
        line_start=lines[start].line_no,
        line_end=lines[end].line_no,
        n_rows=len(rows) + 1,
        n_cols=len(columns),
        cells=cells,
        title=_title(lines, start),
    )


def _title(lines: list[Line], start: int) -> str | None:
    for ln in reversed(lines[max(0, start - TEXT_GRID.title_reach) : start]):
        if ln.text.strip() and not ln.furniture:
            return ln.text.strip()
    return None


def find_grid_tables(lines: list[Line]) -> list[Table]:
    """Wide amount tables of a text export's pages read by character columns; marks their lines in_table."""
    if any(ln.words for ln in lines):
        return []  # PDF pages place words by geometry: their own readers
    by_page: dict[int | None, list[Line]] = {}
    for ln in lines:
        if not ln.in_table:
            by_page.setdefault(ln.page, []).append(ln)
    tables = []
    for page, page_lines in by_page.items():
        if page is None:
            continue
        table = _grid_on_page(page_lines, page)
        if table is not None:
            tables.append(table)
    return tables
