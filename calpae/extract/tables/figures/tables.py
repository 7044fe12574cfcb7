"""Tables of figures that are not money, without inner column rules: the indicator tables of office reports
(measure and indicator columns wrapping over several lines, value columns of counts, rates and NC/SO markers,
comment columns, headers stacked over several lines with cells spanning columns), ruled between rows, boxed, or
not ruled at all.

A visual line crosses every cell at its height, so the table is read from its lines' phrases, not from its lines:
1. rows: lines with figures standing apart in columns, one row each, gathered while their figures line up and no
   line between runs over the value columns;
2. extent: the lines above them (header, first row's label) up to a wide white band or a line running across the
   edge between labels and values; the lines below them (the last row's label) up to a white wider than a line's;
3. header: the lines above the last one with words over the value columns, down to the widest white before the
   first row; rows: cut at the widest white between two rows of figures, in the columns that do not span rows;
4. columns: label columns where white runs down between the label words (layout.label_spans), value columns
   from the figures, comment columns in the white between or after them; a merged label cell (a measure over its
   indicators) spans the rows it stands beside, and the empty rows after it;
5. header cells (header.py): each chain of stacked phrases over the column it overlaps; a phrase over several
   columns is a cell spanning them in a header row of its own;
6. parts cut by a page break (pages.py) are joined when their value columns line up; a header left alone at the
   foot of a page heads the rows of the next.
Tables of money are left to the other readers (ruled, wrapped, borderless); rows of figures with no header are
left to them too unless they continue a table over a page break."""

from __future__ import annotations

from bisect import bisect_left

from calpae.extract.settings import FIGURES
from calpae.extract.tables.cell_text import cell_text
from calpae.extract.tables.figures.header import read_header
from calpae.extract.tables.figures.layout import (
    Edge,
    Frame,
    Span,
    fits,
    label_spans,
    lines_above,
    lines_below,
    named_edges,
    over_values,
    runs_on,
    value_columns,
    white_bands,
    widest_gap,
)
from calpae.extract.tables.figures.marks import Mark, Phrase, box_of, marks, size_of, word_space
from calpae.extract.tables.figures.pages import Piece, join_pages
from calpae.extract.tables.found import Found
from calpae.extract.tables.merge import mark_lines_in, title_above
from calpae.models import BBox, Cell, Document, Table, Word


def _clusters(ms: list[Mark]) -> list[list[int]]:
    """Rows of figures grouped into tables: a row joins the table above when its figures stand in that table's
    value columns and no line between them runs over those columns."""
    out: list[list[int]] = []
    for i, m in enumerate(ms):
        if len(m.figures) < FIGURES.min_figures:
            continue
        if out:
            cl = out[-1]
            cols = value_columns([ms[k] for k in cl])
            between = ms[cl[-1] + 1 : i]
            if (
                ms[cl[-1]].line.page == m.line.page
                and fits(m, cols)
                and len(between) <= FIGURES.max_row_lines
                and not any(over_values(b, cols) >= 2 for b in between)
            ):
                cl.append(i)
                continue
        out.append([i])
    return out


def _is_money(anchors: list[Mark]) -> bool:
    figs = [p for m in anchors for p in m.figures]
    return sum(p.money for p in figs) >= FIGURES.money_share * len(figs)


def _columns(
    body: list[Mark],
    values: list[Span],
    space: float,
    edge_spaces: float = FIGURES.edge_spaces,
    heads: list[Span] | None = None,
) -> tuple[list[Span], int, list[str]]:
    """Every column left to right (label, value, comment), the number of label columns, and each one's kind.
    heads: the header's label phrases of a text export, whose label columns are then cut under them
    (layout.named_edges)."""
    first = values[0].x0 - FIGURES.column_tol
    label = [w for m in body for p in m.phrases if not p.figure for w in p.words if (w.bbox.x0 + w.bbox.x1) / 2 < first]
    spans = (named_edges(label, heads, space) if heads else None) or label_spans(label, space, edge_spaces)
    cols: list[tuple[Span, str]] = [(s, "label") for s in spans]
    taken = {id(w) for w in label}
    others = [w for m in body for p in m.phrases if not p.figure for w in p.words if id(w) not in taken]
    edges = [values[0].x0, *[v.x0 for v in values[1:]], float("inf")]
    for k, v in enumerate(values):
        cols.append((v, "value"))
        between = [w for w in others if v.x1 < (w.bbox.x0 + w.bbox.x1) / 2 < edges[k + 1]]
        if between:
            cols.append((Span(min(w.bbox.x0 for w in between), max(w.bbox.x1 for w in between)), "comment"))
    return [c for c, _ in cols], len(spans), [k for _, k in cols]


def _label_heads(head: list[Mark], values: list[Span]) -> list[Span]:
    """The label columns the header names: the x-spans of its phrases left of the value columns, those standing one
    over the other counted once."""
    edge = values[0].x0 - FIGURES.column_tol
    spans: list[Span] = []
    for p in sorted((p for m in head for p in m.phrases if p.box.x1 < edge), key=lambda p: p.box.x0):
        if spans and p.box.x0 < spans[-1].x1:
            spans[-1].x1 = max(spans[-1].x1, p.box.x1)
        else:
            spans.append(Span(p.box.x0, p.box.x1))
    return spans


def _bounds(cols: list[Span]) -> list[float]:
    """x between two consecutive columns: the middle of the white between them."""
    return [(a.x1 + b.x0) / 2 if b.x0 > a.x1 else a.x1 for a, b in zip(cols, cols[1:], strict=False)]


def _column_of(w: Word, bounds: list[float]) -> int:
    return bisect_left(bounds, (w.bbox.x0 + w.bbox.x1) / 2)


def _row_bounds(ms: list[Mark], anchors: list[Mark], top: float, bottom: float, key: Span) -> list[float]:
    """y of the edges between rows: between two rows of figures, the widest white in the columns from the last
    label column on (label columns left of it may hold cells merged over several rows) where the label column's
    text does not run on from one line to the next (a cell's lines may stand as far apart as two rows)."""
    tol = FIGURES.column_tol
    extents = [
        (box.top, box.bottom)
        for m in ms
        for box in [BBox.union([w.bbox for w in m.words if w.bbox.x1 > key.x0 - tol])]
        if box is not None
    ]
    key_lines = sorted(
        (p.box.top, p.box.bottom, " ".join(w.text for w in p.words if (w.bbox.x0 + w.bbox.x1) / 2 >= key.x0 - tol))
        for m in ms
        for p in m.phrases
        if key.overlaps(p.box.x0, p.box.x1, -tol)
    )
    key_lines = [k for k in key_lines if k[2]]  # a phrase run on from the column left of it: its words in the key

    def opens_row(band: tuple[float, float]) -> bool:
        above = [t for a, b, t in key_lines if b <= band[0] + tol]
        below = [t for a, b, t in key_lines if a >= band[1] - tol]
        return not (above and below and runs_on(above[-1], below[0]))

    cuts = [top]
    for a, b in zip(anchors, anchors[1:], strict=False):
        bands = white_bands(extents, a.box.bottom, b.box.top)
        band = max((x for x in bands if opens_row(x)), key=lambda x: x[1] - x[0], default=None)
        if band is None:
            band = max(bands, key=lambda x: x[1] - x[0])
        cuts.append((band[0] + band[1]) / 2)
    return [*cuts, bottom]


def _row_of(y: float, cuts: list[float]) -> int:
    return min(max(bisect_left(cuts, y) - 1, 0), len(cuts) - 2)


def _merged_cells(words: list[Word], cuts: list[float], col: int, page: int) -> list[Cell]:
    """A label column whose cells may be merged over several rows: its words cut into blocks at white wider than
    a line's; each block is the cell of the first row it stands beside, spanning those it covers and the empty
    rows after it (before the first block: those rows too)."""
    blocks: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.bbox.top):
        if blocks and w.bbox.top - max(o.bbox.bottom for o in blocks[-1]) <= FIGURES.cell_gap * size_of(w):
            blocks[-1].append(w)
        else:
            blocks.append([w])
    placed: list[tuple[int, int, list[Word]]] = []
    for b in blocks:
        box = box_of(b)
        first, last = _row_of(box.top + 1.0, cuts), _row_of(box.bottom - 1.0, cuts)
        if placed and first <= placed[-1][1]:
            placed[-1] = (placed[-1][0], max(placed[-1][1], last), placed[-1][2] + b)
        else:
            placed.append((first, last, b))
    n_rows = len(cuts) - 1
    out = []
    for k, (first, last, b) in enumerate(placed):
        start = 0 if k == 0 else first
        end = placed[k + 1][0] - 1 if k + 1 < len(placed) else n_rows - 1
        out.append(
            Cell(row=start, col=col, text=cell_text(b), bbox=box_of(b), page=page, row_span=max(end, last) - start + 1)
        )
    return out


def _table(ms: list[Mark], cl: list[int], page: int, space: float, monospace: bool = False) -> Piece | None:
    anchors = [ms[k] for k in cl]
    if _is_money(anchors):
        return None
    values = value_columns(anchors)
    # the rows' lines, and those within a line's height around them (a row's label interleaves with its figures)
    reach = FIGURES.cell_gap * size_of(anchors[0].words[0])
    top, bottom = anchors[0].box.top - reach, anchors[-1].box.bottom + reach
    core = [m for m in ms if m.box.bottom > top and m.box.top < bottom]
    space = word_space([m.line for m in core]) or space
    cols, n_label, kinds = _columns(core, values, space)
    if n_label == 0:
        return None
    sizes = sorted(size_of(w) for m in core for w in m.words)
    edge = Edge(cols[n_label - 1].x1, values[0].x0)
    frame = Frame(min(m.box.x0 for m in core), edge, values, sizes[len(sizes) // 2], monospace)
    up = sorted(lines_above(ms, cl[0], frame))
    down = lines_below(ms, cl[-1], frame)
    idx = [*up, *range(cl[0], cl[-1] + 1), *down]
    heads = [k for k in up if over_values(ms[k], values)]
    if heads:
        start = heads[-1]
        between = [(ms[k].box.top, ms[k].box.bottom) for k in range(start, cl[0] + 1)]
        head_cut = widest_gap(between, ms[start].box.bottom, ms[cl[0]].box.top)
    else:
        head_cut = min(ms[k].box.top for k in idx) - 1.0
    head = [ms[k] for k in idx if ms[k].box.bottom <= head_cut]
    body = [ms[k] for k in idx if ms[k].box.bottom > head_cut]
    cols, n_label, kinds = _columns(body, values, space)
    label_heads = _label_heads(head, values) if monospace else []
    named = len(label_heads)
    if named > n_label:  # a text export's header names more label columns than white between them shows
        alt = _columns(body, values, space, FIGURES.named_edge_spaces)
        if alt[1] < named:  # a crowded line runs a cell's words over the edge: cut under the header's phrases
            alt = _columns(body, values, space, heads=label_heads)
        if n_label < alt[1] <= named:
            cols, n_label, kinds = alt
    header = read_header(head, cols, kinds, n_label, page, space if monospace else 0.0)
    cols, kinds = header.cols, header.kinds
    bounds = _bounds(cols)
    bottom = max(m.box.bottom for m in body) + 1.0
    cuts = _row_bounds(body, anchors, head_cut, bottom, cols[n_label - 1])
    cells = header.cells
    r0 = max((c.row for c in cells), default=-1) + 1
    per_col: list[list[Word]] = [[] for _ in cols]
    for m in body:
        for w in m.words:
            per_col[_column_of(w, bounds)].append(w)
    for c, words in enumerate(per_col):
        if c < n_label - 1:
            cells += [x.model_copy(update={"row": x.row + r0}) for x in _merged_cells(words, cuts, c, page)]
            continue
        by_row: dict[int, list[Word]] = {}
        for w in words:
            by_row.setdefault(_row_of((w.bbox.top + w.bbox.bottom) / 2, cuts), []).append(w)
        for r, ws in sorted(by_row.items()):
            cells.append(Cell(row=r + r0, col=c, text=cell_text(ws), bbox=box_of(ws), page=page))
    n_rows = r0 + len(cuts) - 1
    table = Table(id="", source="borderless", pages=[page], n_rows=n_rows, n_cols=len(cols), cells=cells)
    area = BBox.union([ms[k].box for k in idx]) or BBox(x0=0, top=0, x1=0, bottom=0)
    found = Found(table=table, page=page, last_page=page, bbox=area, last_bbox=area, cols=[c.x0 for c in cols])
    # rows of figures with no header over them (or one in rotated letters) make a table only as the end of one cut
    # by a page break; else the other readers have them
    return Piece(found, cols, kinds, r0, frame, stray=not head, monospace=monospace, head=head)


def _carried_header(before: list[Mark], piece: Piece, page: int) -> None:
    """A table whose rows all stand on a new page, its header (or the header's first lines, a header row broken
    by the page break) left alone at the foot of the page before: those lines (over its value columns, up to a
    wide white band or a line that is not the table's) head it, above the lines of its header on this page."""
    values = piece.frame.cols
    if not before:
        return
    tail: list[Mark] = []
    for m in reversed(before):
        if len(tail) >= FIGURES.max_header_lines or m.figures or piece.frame.foreign(m):
            break
        if tail and tail[-1].box.top - m.box.bottom > FIGURES.header_gap * size_of(m.words[0]):
            break
        tail.append(m)
    if not any(over_values(m, values) for m in tail):
        return
    tail.reverse()
    n_label = sum(1 for kind in piece.kinds if kind == "label")
    old = piece.head_rows
    if old:
        lifted = _lifted(tail, piece.head)
        header = read_header(lifted + piece.head, piece.spans, piece.kinds, n_label, page + 1)
        head = [_put_back(c, lifted, tail, page) for c in header.cells]
    else:
        header = read_header(tail, piece.spans, piece.kinds, n_label, page)
        head = header.cells
    if len(header.cols) != len(piece.spans):
        return  # the lines above head columns the rows do not have: another table's
    n = max(c.row for c in head) + 1
    f = piece.found
    f.table.cells = head + [c.model_copy(update={"row": c.row - old + n}) for c in f.table.cells if c.row >= old]
    f.table.n_rows += n - old
    f.table.pages = [page, *f.table.pages]
    f.page, f.bbox = page, BBox.union([m.box for m in tail]) or f.bbox
    piece.head_rows, piece.stray = n, False


def _lifted(tail: list[Mark], head: list[Mark]) -> list[Mark]:
    """The header lines left at the foot of the page before, moved to stand right above the header's lines on
    the new page (a line's height apart), so the two parts read as one header."""
    top = min(m.box.top for m in head)
    gap = size_of(head[0].words[0])
    dy = top - gap - max(m.box.bottom for m in tail)
    return [
        Mark(
            m.line,
            [Phrase([_moved(w, dy) for w in p.words], figure=p.figure, money=p.money) for p in m.phrases],
        )
        for m in tail
    ]


def _moved(w: Word, dy: float) -> Word:
    box = w.bbox
    return w.model_copy(update={"bbox": BBox(x0=box.x0, top=box.top + dy, x1=box.x1, bottom=box.bottom + dy)})


def _put_back(cell: Cell, lifted: list[Mark], tail: list[Mark], page: int) -> Cell:
    """A header cell read over lines lifted from the page before: one standing wholly among them gets that page and
    its real box back; one reaching down onto the new page keeps the new page and its box there."""
    low = max(m.box.bottom for m in lifted)
    box = cell.bbox
    if box is None or box.top > low:
        return cell
    if box.bottom <= low:
        dy = tail[0].box.top - lifted[0].box.top
        return cell.model_copy(
            update={"page": page, "bbox": BBox(x0=box.x0, top=box.top + dy, x1=box.x1, bottom=box.bottom + dy)}
        )
    return cell.model_copy(update={"bbox": BBox(x0=box.x0, top=low, x1=box.x1, bottom=box.bottom)})


def figure_tables(doc: Document, furniture: set[int], monospace: bool = False) -> list[Found]:
    """Each page's tables of figures (lines in them flagged), joined over page breaks. monospace: a text export's
    pages, where one space may be all that parts two label columns (a PDF's word spaces vary: never there)."""
    pieces: list[Piece] = []
    before: list[Mark] = []
    for page in doc.pages:
        lines = [ln for ln in page.lines if id(ln) not in furniture and not ln.in_table and ln.text.strip()]
        lines = sorted((ln for ln in lines if ln.words and ln.bbox), key=lambda ln: ln.bbox.top if ln.bbox else 0.0)
        space = word_space(lines)
        ms = marks(lines, space)
        for cl in _clusters(ms):
            piece = _table(ms, cl, page.number, space, monospace)
            if piece is None:
                continue
            if piece.found.bbox.top <= ms[0].box.top + FIGURES.column_tol:
                _carried_header(before, piece, page.number - 1)
            pieces.append(piece)
        before = ms
    found = join_pages(doc, pieces, furniture)
    for f in found:
        mark_lines_in(doc, f)
        f.table.title = title_above(doc, f, furniture)
    return found
