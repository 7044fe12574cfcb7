"""Tables without inner rules whose cells wrap: amounts broken over two or three lines ("203 50" / "0 €"), labels
over many, stacked headers of narrow cells (the 16-column landscape recap a word processor lays out).

A visual line crosses every cell at its height, so the table is read from the page's words, not from its lines:
1. amount columns: number words ending on one x (cells of amounts are right-aligned), each with the number words
   just left of it on its line (one line of an amount cell);
2. amount cells: a column's lines cut into amounts by the number grammar, the fewest cuts that all read as money;
3. rows: the amount cells of all columns that overlap vertically;
4. label columns: the words left of the amounts, split where white runs down between them; each line goes to the
   row it stands beside; a line between two rows goes to the lower one from a line opening with a capital (a new
   cell) down, else from the middle;
5. header: the words above the first row up to a wide white band, each in the column under its centre; a phrase
   that crosses a column boundary ("Financement 2022") is a spanning cell in a header row of its own.
Only tables with at least one wrapped amount are taken: the borderless reader reads the others."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from calpae.extract.geometry.lines import group_lines
from calpae.extract.numbers.parse import parse_number
from calpae.extract.settings import DEFAULT_FONT_SIZE, TABLES, WRAPPED
from calpae.extract.structure.headings import heading_candidate
from calpae.extract.tables.cell_text import NUMBERISH, cell_text, join_lines
from calpae.extract.tables.found import Found
from calpae.extract.tables.merge import mark_lines_in, merge_continuations, title_above
from calpae.extract.tables.pick import is_money
from calpae.extract.tables.wrapped_header import header_cells, header_words, median_size
from calpae.extract.tables.wrapped_labels import grow_labels, label_cells, label_columns, run_on_words
from calpae.extract.tables.wrapped_pages import align_continuations
from calpae.models import BBox, Cell, Document, Line, Table, Word

AMOUNT_WORD = re.compile(rf"{NUMBERISH.pattern}|[-–—]")
GROUP_LEAD = re.compile(r"[1-9][0-9]{0,2}")  # the first group of digits of an amount…
GROUP = re.compile(r"[0-9]{3}(?:[,.][0-9]*)?(?:€)?$")  # …and a following group of three
UNIT_AFTER = re.compile(r"[-–]|[0-9.,]*[0-9]")  # what a unit follows: an amount's last digits, or a dash (zero)
MAX_CELL_LINES = 4  # lines one amount cell may wrap over (a 12-digit amount in a 3-character column)
MONEY_DECIMALS = 2  # digits after the decimal mark of an amount in euros (cents) at the most


def _size(w: Word) -> float:
    return w.size or DEFAULT_FONT_SIZE


@dataclass
class _Amount:
    """One amount cell: its column and its lines (each the number words of one line)."""

    col: int
    lines: list[list[Word]]
    text: str = ""

    @property
    def box(self) -> BBox:
        return BBox.union([w.bbox for ln in self.lines for w in ln]) or BBox(x0=0, top=0, x1=0, bottom=0)


@dataclass
class _Row:
    top: float
    bottom: float
    cells: list[_Amount] = field(default_factory=list)


def _pieces(
    anchors: list[Word], by_line: dict[int, list[Word]], line_of: dict[int, int], sep: float
) -> list[list[Word]]:
    """Each anchor word with the number words standing just left of it on its line, no further apart than the
    space that separates the groups of one amount."""
    out = []
    for w in anchors:
        line = by_line[line_of[id(w)]]
        i = next(k for k, o in enumerate(line) if o is w)
        piece = [w]
        while i > 0 and AMOUNT_WORD.fullmatch(line[i - 1].text):
            prev = line[i - 1]
            if piece[0].bbox.x0 - prev.bbox.x1 > sep:
                break
            piece.insert(0, prev)
            i -= 1
        out.append(piece)
    return sorted(out, key=lambda p: p[0].bbox.top)


def _group_space(lines: list[list[Word]], rank: float = 0.5) -> float | None:
    """The white inside one amount: between two groups of its digits ('167 000') or before its unit ('0,00 €',
    '- €'; amounts grouped with dots have no other), the median over the page (points); `rank` another quantile
    (OCR words are boxes of ink, whose gaps spread over a pixel or two each side: the median splits amounts)."""
    gaps = sorted(
        b.bbox.x0 - a.bbox.x1
        for ln in lines
        for a, b in zip(ln, ln[1:], strict=False)
        if (GROUP_LEAD.fullmatch(a.text) and GROUP.match(b.text) or UNIT_AFTER.fullmatch(a.text) and b.text == "€")
        and 0 <= b.bbox.x0 - a.bbox.x1 <= _size(a)
    )
    return gaps[min(len(gaps) - 1, int(len(gaps) * rank))] if gaps else None


def _cells(col: int, pieces: list[list[Word]]) -> list[_Amount]:
    """A column's lines cut into amount cells: every cell reads as money, as few cells as can be; a line that fits
    in no cell is left out (a fiche number, a code that happens to end on the column's edge)."""
    n = len(pieces)
    best: list[tuple[int, list[tuple[int, int]]] | None] = [(0, [])] + [None] * n
    for end in range(1, n + 1):
        options = []
        prev = best[end - 1]
        if prev is not None:
            options.append((prev[0] + 2, prev[1]))  # skip this line
        for start in range(max(0, end - MAX_CELL_LINES), end):
            base = best[start]
            if base is None or not _stacked(pieces[start:end]):
                continue
            if _money_cell(join_lines(pieces[start:end]), end - start):
                options.append((base[0] + 1, [*base[1], (start, end)]))
        best[end] = min(options, key=lambda o: o[0]) if options else None
    final = best[n]
    spans = final[1] if final is not None else []
    return [_Amount(col, pieces[a:b], join_lines(pieces[a:b])) for a, b in spans]


def _money_cell(text: str, n_lines: int) -> bool:
    """The text of n_lines lines reads as one amount; lines joined into one amount show cents at most (two counts of
    an indicator table standing one above the other, '1.691' over '288', join into '1.691288': not an amount)."""
    if not is_money(text):
        return False
    if n_lines == 1:
        return True
    parsed = parse_number(text)
    if parsed is None or parsed.value is None:
        return False
    exponent = parsed.value.as_tuple().exponent
    return isinstance(exponent, int) and -exponent <= MONEY_DECIMALS


def _stacked(pieces: list[list[Word]]) -> bool:
    """Lines close enough to be one cell's."""
    return all(
        b[0].bbox.top - a[0].bbox.bottom <= WRAPPED.cell_gap * _size(a[0])
        for a, b in zip(pieces, pieces[1:], strict=False)
    )


def _amount_columns(
    words: list[Word], min_rows: int = WRAPPED.min_rows, ocr: bool = False
) -> tuple[list[float], list[list[_Amount]]]:
    """Right edges of the amount columns and each column's cells, left to right.

    A column's lines end on one x; a word there ends a line of an amount cell only when white wider than the space
    between the groups of one amount follows it (two columns may stand closer than a word space). ocr: words read
    from a page image, whose group space is taken at a high quantile (WRAPPED.ocr_group_rank)."""
    lines = group_lines(words, 0)
    by_line = {k: ln.words for k, ln in enumerate(lines)}
    line_of = {id(w): k for k, ln in enumerate(lines) for w in ln.words}
    measured = _group_space([ln.words for ln in lines], WRAPPED.ocr_group_rank if ocr else 0.5)
    numeric = [w for w in words if AMOUNT_WORD.fullmatch(w.text) and any(c.isdigit() or c == "€" for c in w.text)]
    rights: list[float] = []
    columns: list[list[_Amount]] = []
    for group in _right_edges(numeric):
        sep = WRAPPED.piece_gap * _size(group[0]) if measured is None else measured * WRAPPED.group_space_slack
        anchors = [w for w in group if _ends_cell(w, by_line[line_of[id(w)]], sep)]
        cells = _cells(len(columns), _pieces(anchors, by_line, line_of, sep))
        if len(cells) >= min_rows:
            rights.append(max(c.box.x1 for c in cells))
            columns.append(cells)
    return rights, columns


def _ends_cell(w: Word, line: list[Word], sep: float) -> bool:
    """The word ends its line, or white wider than the groups' space follows it (it ends a right-aligned cell)."""
    i = next(k for k, o in enumerate(line) if o is w)
    return i + 1 == len(line) or line[i + 1].bbox.x0 - w.bbox.x1 > sep


def _right_edges(words: list[Word]) -> list[list[Word]]:
    """Words grouped by where they end: sorted right edges, a new group where two consecutive ones are further
    apart than WRAPPED.right_tol (a column's lines end within a space's width of each other; columns lie tens
    of points apart)."""
    groups: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.bbox.x1):
        if groups and w.bbox.x1 - groups[-1][-1].bbox.x1 <= WRAPPED.right_tol * _size(w):
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def _rows(columns: list[list[_Amount]]) -> list[_Row]:
    """Amount cells that overlap vertically, as rows top to bottom (a column's cell starts a new row when its
    column already has one in the row)."""
    rows: list[_Row] = []
    for cell in sorted((c for col in columns for c in col), key=lambda c: c.box.top):
        box = cell.box
        row = rows[-1] if rows else None
        if row and box.top < row.bottom and all(c.col != cell.col for c in row.cells):
            row.cells.append(cell)
            row.bottom = max(row.bottom, box.bottom)
        else:
            rows.append(_Row(top=box.top, bottom=box.bottom, cells=[cell]))
    return rows


def _column_bounds(
    spans: list[tuple[float, float]], rights: list[float], lefts: list[float], size: float
) -> list[float]:
    """x of the boundaries between consecutive columns (label columns, then amount columns).

    A cell ends just right of its last character: an amount column's cell ends at its right edge and the next begins
    there, however narrow the next column's amounts ('- €'); a label column's likewise after its widest line.
    size: the body's font size (the white kept past an edge: at most WRAPPED.cell_pad of it)."""
    pad = WRAPPED.cell_pad * size
    bounds = [a[1] + min(pad, (b[0] - a[1]) / 2) for a, b in zip(spans, spans[1:], strict=False)]
    if spans:
        bounds.append(spans[-1][1] + min(pad, max(0.0, lefts[0] - spans[-1][1]) / 2))
    for j in range(1, len(rights)):
        bounds.append(rights[j - 1] + min(pad, max(0.0, lefts[j] - rights[j - 1]) / 2))
    return bounds


def _page_table(
    words: list[Word], page: int, need_wrapped: bool, follow: list[float] | None = None, ocr: bool = False
) -> Found | None:
    """The page's table of amount columns, or None: fewer than WRAPPED.min_columns columns, or (need_wrapped) no
    amount wrapped over lines.

    follow: the right edges of the amount columns of a table ending the page before; a table standing on the
    same edges continues it, and then one row is enough (a grand total carried over alone). ocr: words read from
    a page image."""
    rights, columns = _amount_columns(words, ocr=ocr)
    if follow and len(columns) < WRAPPED.min_columns:
        rights, columns = _amount_columns(words, min_rows=1, ocr=ocr)
        if len(rights) != len(follow) or any(
            abs(a - b) > TABLES.same_columns_tol for a, b in zip(rights, follow, strict=False)
        ):
            return None
        need_wrapped = False
    if len(columns) < WRAPPED.min_columns:
        return None
    if need_wrapped and not any(len(c.lines) > 1 for col in columns for c in col):
        return None
    rows = _rows(columns)
    lefts = [min(c.box.x0 for c in col) for col in columns]
    body_top, body_bottom = rows[0].top, rows[-1].bottom
    taken = {id(w) for col in columns for c in col for ln in c.lines for w in ln}
    prose = run_on_words([w for w in words if id(w) not in taken], lefts[0], page)
    left = [w for w in words if id(w) not in taken and id(w) not in prose and w.bbox.x1 < lefts[0]]
    label = [w for w in left if _near_body(w, body_top, body_bottom)]
    head_spans = _header_heights([w for w in words if id(w) not in taken], lefts[0], rows[0].top)
    pool = [w for w in left if not _on_header_line(w, head_spans)]
    label = grow_labels(label, pool)
    spans = label_columns(label, WRAPPED.ocr_label_gap if ocr else WRAPPED.label_gap)
    body_top = min([body_top, *(w.bbox.top for w in label)])
    x0 = min([lefts[0], *(s[0] for s in spans)])
    body_size = median_size([w for col in columns for c in col for ln in c.lines for w in ln])
    row_white = max((b.top - a.bottom for a, b in zip(rows, rows[1:], strict=False)), default=0.0)
    head_words = header_words(
        [w for w in words if id(w) not in taken],
        body_top,
        x0,
        rights[-1] + WRAPPED.label_gap,
        body_size,
        row_white,
        ocr,
    )
    bounds = _column_bounds(spans, rights, lefts, body_size)
    n_label, n_cols = len(spans), len(spans) + len(columns)
    group, heads = header_cells(head_words, bounds, n_cols, page)
    cells: list[Cell] = []
    r0 = 0
    for row_cells in (group, heads):
        if row_cells:
            cells += [c.model_copy(update={"row": r0}) for c in row_cells]
            r0 += 1
    per_col: list[list[Word]] = [[] for _ in spans]
    for w in label:  # a label word reaching past its column's bound (its centre at most) stays a label's
        per_col[min(bisect_left(bounds, (w.bbox.x0 + w.bbox.x1) / 2), len(spans) - 1)].append(w)
    for k, ws in enumerate(per_col):
        by_row: dict[int, tuple[int, list[Word]]] = {}
        for r, span, block in label_cells(
            [ln.words for ln in group_lines(ws, page)], [(r.top, r.bottom) for r in rows]
        ):
            old_span, have = by_row.get(r, (1, []))
            by_row[r] = (max(span, old_span), have + block)
        for r, (span, rws) in by_row.items():
            box = BBox.union([w.bbox for w in rws])
            cells.append(Cell(row=r0 + r, col=k, text=cell_text(rws), bbox=box, page=page, row_span=span))
    for r, row in enumerate(rows):
        for c in row.cells:
            cells.append(Cell(row=r0 + r, col=n_label + c.col, text=c.text, bbox=c.box, page=page))
    table = Table(id="", source="borderless", pages=[page], n_rows=r0 + len(rows), n_cols=n_cols, cells=cells)
    boxes = [c.bbox for c in cells if c.bbox is not None] + [w.bbox for w in head_words]
    area = BBox.union(boxes) or BBox(x0=0, top=0, x1=0, bottom=0)
    cols = [s[0] for s in spans] + rights
    return Found(table=table, page=page, last_page=page, bbox=area, last_bbox=area, cols=cols, bounds=bounds)


def page_reading(words: list[Word], page: int, ocr: bool = False) -> Found | None:
    """The words-based reading of one page's words (any table of amount columns, wrapped or not)."""
    return _page_table(words, page, need_wrapped=False, ocr=ocr)


def _header_heights(words: list[Word], amount_left: float, first_top: float) -> list[tuple[float, float]]:
    """Vertical extents of the words over the amount columns above the first row: header text (a row holds amounts
    there, or nothing)."""
    return [(w.bbox.top, w.bbox.bottom) for w in words if w.bbox.x1 > amount_left and w.bbox.bottom <= first_top]


def _on_header_line(w: Word, heads: list[tuple[float, float]]) -> bool:
    """A word on a line of the header: most of its height shared with header text over the amount columns (a
    header cell bottom-aligned with the others stands right above the first row's label, not in it)."""
    h = w.bbox.bottom - w.bbox.top
    return h > 0 and any(min(b, w.bbox.bottom) - max(t, w.bbox.top) > h / 2 for t, b in heads)


def _near_body(w: Word, top: float, bottom: float) -> bool:
    cy = (w.bbox.top + w.bbox.bottom) / 2
    return top <= cy <= bottom


def page_tables(doc: Document, furniture: set[int], need_wrapped: bool = True) -> list[Found]:
    """Each page's table of amount columns among the lines no table holds yet (need_wrapped: only where an amount
    wraps over lines), one Found per page, nothing flagged."""
    found: list[Found] = []
    for page in doc.pages:
        lines = [ln for ln in page.lines if id(ln) not in furniture and not ln.in_table and ln.text.strip()]
        words = [w for ln in lines for w in ln.words if w.upright]
        prev = found[-1] if found and found[-1].page == page.number - 1 else None
        f = _page_table(words, page.number, need_wrapped, _amount_edges(prev) if prev else None, page.ocr)
        if f is not None and not _spans_a_heading(f, lines):
            found.append(f)
    return found


def _spans_a_heading(f: Found, lines: list[Line]) -> bool:
    """True when a numbered heading printed bold ('5.2.1. Budget …') stands inside the page table's area: the page
    holds several chapters' tables, which one reading of its amount columns would join (the other readers keep
    them apart)."""
    return any(
        ln.bold
        and ln.bbox is not None
        and f.bbox.top < (ln.bbox.top + ln.bbox.bottom) / 2 < f.bbox.bottom
        and heading_candidate(ln, -1) is not None
        for ln in lines
    )


def _amount_edges(f: Found) -> list[float]:
    """The right edges of a page table's amount columns (the last of its column coordinates)."""
    n_amount = sum(1 for c in {c.col for c in f.table.cells if is_money(c.text)})
    return f.cols[len(f.cols) - n_amount :]


def finish(doc: Document, found: list[Found], furniture: set[int]) -> list[Found]:
    """Page tables joined over page breaks, their lines flagged, their captions read."""
    found = sorted(found, key=lambda f: (f.page, f.bbox.top))
    align_continuations(found)
    found = merge_continuations(doc, found, furniture)
    for f in found:
        mark_lines_in(doc, f)
        f.table.title = title_above(doc, f, furniture)
    return found


def wrapped_tables(doc: Document, furniture: set[int]) -> list[Found]:
    """Each page's table of wrapped amounts (lines in it flagged), joined over page breaks."""
    return finish(doc, page_tables(doc, furniture), furniture)
