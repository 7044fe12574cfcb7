"""Borderless tables, the header: which lines above the rows head the table (stacked or rotated cells),
which column each header word belongs to, and the Table built from rows and header."""

from __future__ import annotations

from itertools import pairwise

from calpae.extract.numbers.cells import is_amount_row, split_line
from calpae.extract.settings import BORDERLESS, DEFAULT_FONT_SIZE
from calpae.extract.tables.bands import column_index
from calpae.extract.tables.borderless.items import Item, Row, is_rotated, starts_lower
from calpae.extract.tables.cell_text import cell_text, join_lines
from calpae.models import BBox, Cell, Line, Table, Word
from calpae.models.document import TableSource


def is_columnar(line: Line, amount_left: float, label_right: float | None = None) -> bool:
    """A header line of a geometric table: words over the amount columns, set apart by wide gaps.

    label_right: right edge of the body's label words. A header cell left-aligned in a wide column may end short
    of the right-aligned amounts below it; it still stands right of every label."""
    words = [w for w in line.words if w.upright]
    bound = amount_left if label_right is None else min(amount_left, label_right + BORDERLESS.label_right_slack)
    if not words or words[-1].bbox.x1 <= bound:
        return False
    if words[0].bbox.x0 >= amount_left - BORDERLESS.header_start_slack:
        return True
    if label_right is not None and words[0].bbox.x0 > label_right + BORDERLESS.header_over_amounts * (
        words[0].size or DEFAULT_FONT_SIZE
    ):
        return True  # a header over the amounts only ('Au 31/12/2021'), ending short of them, right of every label
    return any(
        b.bbox.x0 - a.bbox.x1 > BORDERLESS.header_cell_gap * (a.size or DEFAULT_FONT_SIZE) for a, b in pairwise(words)
    )


def _rotated_span(stream: list[Item | None], start: int, page: int | None, amount_left: float) -> list[float] | None:
    """Vertical extent of the rotated header cells standing just above a table (None when there are none).

    Walking up from the table's first line: rotated words join while they touch the extent found so far; upright
    lines are passed over (they may stand beside the rotated cells) unless they are prose across the columns."""
    span: list[float] | None = None
    i = start - 1
    while i >= 0:
        it = stream[i]
        i -= 1
        if it is None or it.line.page != page or it.line.bbox is None or (it.split and is_amount_row(it.split)):
            break
        box = it.line.bbox
        if is_rotated(it):
            if span is not None and box.bottom < span[0] - BORDERLESS.rotated_reach * (
                it.line.words[0].size or DEFAULT_FONT_SIZE
            ):
                break
            span = [min(span[0], box.top), max(span[1], box.bottom)] if span else [box.top, box.bottom]
        elif not it.fragment and box.x1 > amount_left and not is_columnar(it.line, amount_left):
            break
    return span


def header_lines(
    stream: list[Item | None],
    start: int,
    body_width: float,
    amount_left: float | None = None,
    label_right: float | None = None,
) -> list[Line]:
    """Short label-less lines just above a table: its header (fragments skipped, prose stops it)."""
    out: list[Line] = []
    i = start - 1
    first = stream[start] if start < len(stream) else None
    page0 = first.line.page if first is not None else None
    span = _rotated_span(stream, start, page0, amount_left) if amount_left is not None else None
    tail: Line | None = None
    while i >= 0 and sum(1 for ln in out if any(w.upright for w in ln.words)) < BORDERLESS.max_header_lines:
        it = stream[i]
        if it is None:
            break
        i -= 1
        box = it.line.bbox
        if (
            span is not None
            and box is not None
            and it.line.page == page0
            and box.bottom > span[0]
            and box.top < span[1]
        ):
            out.insert(0, it.line)  # a rotated header cell, or upright header text standing beside them
            continue
        if it.fragment:
            if box is not None and all(w.upright for w in it.line.words):
                tail = it.line  # the end of a header word broken over two lines ('Départemen' / 't'), maybe
            continue
        text = it.line.text.strip()
        if it.split is not None and not it.split.is_year_header():
            break
        width = it.line.bbox.x1 - it.line.bbox.x0 if it.line.bbox else 0.0
        if text.endswith((":", ".", ";")) or text[:1] in "•-–*":
            break
        if amount_left is not None:
            if not is_columnar(it.line, amount_left, label_right):
                break
        elif body_width and width > BORDERLESS.prose_width * body_width:
            break
        out.insert(0, it.line)
        if tail is not None and _under(tail, it.line):
            out.insert(1, tail)
            tail = None
    return out


def _under(tail: Line, line: Line) -> bool:
    """A short upright line standing right under a word of a header line, a line's height below it at most."""
    a, b = tail.bbox, line.bbox
    if a is None or b is None or a.top - b.bottom > BORDERLESS.tail_reach * (tail.words[0].size or DEFAULT_FONT_SIZE):
        return False
    return any(
        w.bbox.x0 - BORDERLESS.label_slack <= a.x0 and a.x1 <= w.bbox.x1 + BORDERLESS.label_slack for w in line.words
    )


def _text_of(lines: list[Line]) -> str:
    """The text of a cell's lines, words broken over two of them rejoined (lines without words: as they are)."""
    if all(ln.words for ln in lines):
        return join_lines([ln.words for ln in lines])
    return " ".join(ln.text.strip() for ln in lines).strip()


def _bbox(lines: list[Line]) -> BBox | None:
    return BBox.union([ln.bbox for ln in lines if ln.bbox is not None])


def _label_bbox(r: Row) -> BBox | None:
    boxes = [ln.bbox for ln in r.label_lines if ln.bbox] + [w.bbox for w in (r.split.label if r.split else [])]
    return BBox.union(boxes)


def _amount_column_of(w: Word, edges: list[float]) -> int:
    """The amount column a header word stands over: the first whose right edge is right of the word's centre.

    Amounts are right-aligned but headers are centred or left-aligned, so a header word lies between the previous
    column's right edge and its own; the nearest right edge would often be the previous column's."""
    cx = (w.bbox.x0 + w.bbox.x1) / 2
    return next((k for k, edge in enumerate(edges) if cx <= edge + BORDERLESS.column_slack), len(edges) - 1)


def _header_cells(
    header: list[Line],
    n: int,
    edges: list[float] | None,
    label_right: float | None,
    spans: list[tuple[float, float]] | None = None,
) -> list[list[str]]:
    """Header text per column (label columns first): by position when columns are geometric, else by sentence.

    Rotated header words are read per column as vertical text (bottom to top), after the upright words there."""
    n_label = len(spans) if spans else 1
    cols: list[list[str]] = [[] for _ in range(n + n_label)]
    if not header:
        return cols
    if edges is not None and all(ln.words for ln in header):
        upright: dict[int, list[Word]] = {}
        rotated: dict[int, list[Word]] = {}
        for ln in header:
            for w in ln.words:
                if label_right is not None and w.bbox.x1 <= label_right + BORDERLESS.label_slack:
                    j = column_index(w, spans) if spans else 0
                else:
                    j = _amount_column_of(w, edges) + n_label
                (upright if w.upright else rotated).setdefault(j, []).append(w)
        for j, words in sorted(upright.items()):
            cols[j].append(cell_text(words))
        for j, words in rotated.items():
            cols[j].append(cell_text(words))
        return cols
    groups: list[list[str]] = []
    for ln in header:
        split = split_line(ln)
        if split.is_year_header():
            groups.extend([c.text] for c in split.cells)
        elif groups and starts_lower(ln.text) or (groups and ln.text.strip()[:1].isdigit()):
            groups[-1].append(ln.text.strip())
        else:
            groups.append([ln.text.strip()])
    if len(groups) == n + 1:
        return groups
    if len(groups) == n:
        return [[]] + groups
    cols[0] = [_text_of(header)]
    return cols


def table_from(
    rows: list[Row],
    header: list[Line],
    edges: list[float] | None,
    source: TableSource,
    spans: list[tuple[float, float]] | None = None,
) -> Table:
    """The Table record: header rows first, then one row per label; amounts placed by column.

    spans: x-spans of the label columns when the rows were read as bands (one label cell per span)."""
    n = len(edges) if edges is not None else max(len(r.split.cells) for r in rows if r.split)
    n_label = len(spans) if spans else 1
    cells: list[Cell] = []
    label_rights = [w.bbox.x1 for r in rows if r.split for w in r.split.label]
    label_right = max(label_rights) if label_rights and edges is not None else None
    if spans:
        label_right = spans[-1][1]
    head = _header_cells(header, n, edges, label_right, spans)
    r_i = 0
    if any(head):
        page = header[0].page
        for j, words in enumerate(head):
            cells.append(Cell(row=0, col=j, text=" ".join(words), page=page, bbox=_bbox(header) if j == 0 else None))
        r_i = 1
    for r in rows:
        page = r.members[0].page if r.members else None
        if r.parts is not None:
            for k, text in enumerate(r.parts):
                cells.append(Cell(row=r_i, col=k, text=text, page=page, bbox=r.box if k == 0 else None))
        else:
            lead, inline = _own_column(r)
            label = " ".join(
                x
                for x in [lead, _text_of(r.label_lines[: _before(r)]), inline, _text_of(r.label_lines[_before(r) :])]
                if x
            ).strip()
            cells.append(Cell(row=r_i, col=0, text=label, page=page, bbox=_label_bbox(r)))
        if r.split is not None:
            for k, c in enumerate(r.split.cells):
                j = k + (n - len(r.split.cells))
                if edges is not None:
                    j = min(range(n), key=lambda i: abs(edges[i] - c.bbox.x1))
                cells.append(Cell(row=r_i, col=j + n_label, text=c.text, page=r.split.line.page, bbox=c.bbox))
        elif r.note:
            cells.append(
                Cell(row=r_i, col=n_label, text=_text_of(r.note), page=r.note[0].page, bbox=_bbox(r.note), col_span=n)
            )
        r_i += 1
    pages = sorted({c.page for c in cells if c.page is not None})
    return Table(id="", source=source, pages=pages, n_rows=r_i, n_cols=n + n_label, cells=cells)


def _own_column(r: Row) -> tuple[str, str]:
    """The amount line's label words split in two: those standing left of every other line of the row's label (a
    fiche number in a column of its own, centred beside a label of several lines: it leads the label), the rest."""
    words = r.split.label if r.split else []
    lefts = [ln.bbox.x0 for ln in r.label_lines if ln.bbox is not None]
    if not words or not lefts:
        return "", r.split.label_text if r.split else ""
    n = next((k for k, w in enumerate(words) if w.bbox.x1 >= min(lefts)), len(words))
    if n == 0:
        return "", r.split.label_text if r.split else ""
    return " ".join(w.text for w in words[:n]), " ".join(w.text for w in words[n:])


def _before(r: Row) -> int:
    """How many of a row's label lines stand above its amount line."""
    if r.split is None:
        return len(r.label_lines)
    top = r.split.line.bbox.top if r.split.line.bbox else 0.0
    same = r.split.line.page
    same = same or 0
    return sum(
        1 for ln in r.label_lines if (ln.page or 0) < same or (ln.page == same and ln.bbox and ln.bbox.top < top)
    )
