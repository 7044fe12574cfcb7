"""Tables in PDFs: ruled grids (pdfplumber's finder on pdfium's ruling lines), borderless ones from aligned amounts,
text-layout ones through the text reader's rules, merged over pages."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from calpae.extract.geometry.lines import group_lines, repeated_furniture
from calpae.models import BBox, Cell, Document, Table, Word

RULED_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
}
AMOUNT_END_RE = re.compile(r"(\d[\d .,\u00a0\u202f]*\s?(€|%|k€|M€)|\d{1,3}([ .\u00a0\u202f]\d{3})+(,\d+)?)\s*$")
EDGE_TOL = 2.5  # points: two grid coordinates closer than this are one


@dataclass
class Found:
    """A table found on one page (or merged over several), with the geometry needed to merge it."""

    table: Table
    page: int
    last_page: int
    bbox: BBox  # on `page`
    last_bbox: BBox  # on `last_page`
    cols: list[float] = field(default_factory=list)  # column boundaries (x), ruled tables


def needs_table_geometry(page, fast_text: str) -> bool:
    """Cheap test: run the table finder only on pages with ruling lines in both directions (pdfium paths)."""
    edges = page.edges
    horiz = sum(1 for e in edges if e["orientation"] == "h")
    vert = sum(1 for e in edges if e["orientation"] == "v")
    if horiz >= 2 and vert >= 2:
        return True
    return False


def amount_lines_fast(text: str) -> int:
    """How many lines of a fast text pass end with an amount: a hint that a page holds a table."""
    return sum(1 for ln in text.splitlines() if AMOUNT_END_RE.search(ln))


def _cluster(values: list[float], tol: float = EDGE_TOL) -> list[float]:
    """Sorted representative coordinates, values closer than tol merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(coords: list[float], v: float) -> int:
    return min(range(len(coords)), key=lambda i: abs(coords[i] - v))


def _inside(w: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.top + w.bbox.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


class _WordsByHeight:
    """The words whose centre lies in a box, found by bisecting their centres' heights (a page's cells × words
    would otherwise be a full scan per cell)."""

    def __init__(self, words: list[Word]):
        order = sorted(range(len(words)), key=lambda i: words[i].bbox.top + words[i].bbox.bottom)
        self._words = words
        self._order = order
        self._keys = [(words[i].bbox.top + words[i].bbox.bottom) / 2 for i in order]

    def __call__(self, box: tuple[float, float, float, float]) -> list[Word]:
        lo, hi = bisect_left(self._keys, box[1]), bisect_right(self._keys, box[3])
        picked = sorted(i for i in self._order[lo:hi] if _inside(self._words[i], box))
        return [self._words[i] for i in picked]  # in the page's order, as a full scan would give them


def cell_text(words: list[Word]) -> str:
    """Text of a cell: upright lines joined by spaces; rotated text only when the cell holds nothing else."""
    upright = [w for w in words if w.upright]
    if upright:
        return " ".join(ln.text for ln in group_lines(upright, 0)).strip()
    if sum(1 for w in words if w.rotation == 270) * 2 > len(words):
        # top-to-bottom text: its first line is the rightmost one, each read downwards
        rotated = sorted(words, key=lambda w: (-round(w.bbox.x1), w.bbox.top))
    else:  # bottom-to-top (or direction not known): first line leftmost, each read upwards
        rotated = sorted(words, key=lambda w: (round(w.bbox.x0), -w.bbox.bottom))
    sep = "" if all(len(w.text) == 1 for w in rotated) else " "
    return sep.join(w.text for w in rotated).strip()


def ruled_tables(page, words: list[Word], page_no: int) -> list[Found]:
    """Tables drawn with cell borders, as grids with spans (pdfplumber's lines strategy)."""
    found: list[Found] = []
    for t in page.find_tables(table_settings=RULED_SETTINGS):
        built = _grid_from_cells(t.cells, words, page_no)
        if built is not None:
            found.append(built)
    return found


def _grid_from_cells(boxes: list[tuple], words: list[Word], page_no: int) -> Found | None:
    """A Found table from pdfplumber cell boxes: grid lines from the box edges, spans from the boxes."""
    if not boxes:
        return None
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    cells: list[Cell] = []
    in_box = _WordsByHeight(words)
    for box in boxes:
        c0, c1, r0, r1 = _index(xs, box[0]), _index(xs, box[2]), _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        text = cell_text(in_box(box))
        bbox = BBox(x0=box[0], top=box[1], x1=box[2], bottom=box[3])
        cells.append(Cell(row=r0, col=c0, text=text, bbox=bbox, page=page_no, row_span=r1 - r0, col_span=c1 - c0))
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    cells, n_rows = _drop_empty_rows(cells, n_rows)
    if n_cols < 2 or n_rows < 1 or not any(c.text for c in cells):
        return None
    table = Table(id="", source="ruled", pages=[page_no], n_rows=n_rows, n_cols=n_cols, cells=cells)
    bbox = BBox(x0=xs[0], top=ys[0], x1=xs[-1], bottom=ys[-1])
    return Found(table=table, page=page_no, last_page=page_no, bbox=bbox, last_bbox=bbox, cols=xs)


def _drop_empty_rows(cells: list[Cell], n_rows: int) -> tuple[list[Cell], int]:
    """Remove grid rows where no cell starting there has text (split borders, blank spacer rows)."""
    keep = sorted(
        {c.row for c in cells if c.text} | {r for c in cells if c.text for r in range(c.row, c.row + c.row_span)}
    )
    remap = {r: i for i, r in enumerate(keep)}
    out = []
    for c in cells:
        rows = [remap[r] for r in range(c.row, c.row + c.row_span) if r in remap]
        if not rows:
            continue
        out.append(c.model_copy(update={"row": rows[0], "row_span": len(rows)}))
    return out, len(keep)


def _same_columns(a: Found, b: Found) -> bool:
    """Two parts of one table: same column count and the same column positions (within a few points)."""
    if a.table.n_cols != b.table.n_cols:
        return False
    if a.cols and b.cols:
        return len(a.cols) == len(b.cols) and all(abs(x - y) <= 4.0 for x, y in zip(a.cols, b.cols))
    return True


def _row_texts(table: Table, row: int) -> list[str]:
    return [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == row]


def _continues(text: str, before: str) -> bool:
    """True when text carries on a cell cut by the page break: it starts lower-case, or before stops mid-phrase."""
    from calpae.extract.numbers.cells import STOP_WORDS

    s = text.lstrip()
    if not s:
        return False
    words = before.split()
    return s[0].islower() or s[0] in ")]»,;" or bool(words and words[-1].lower().strip("'’") in STOP_WORDS)


def _join_split_row(a: Found, b: Found, row: int) -> bool:
    """Append b's row to a's last row when it is that row's end, cut by the page break; True when joined."""
    last = a.table.n_rows - 1
    mine = {c.col: c for c in a.table.cells if c.row <= last < c.row + c.row_span}
    theirs = [c for c in b.table.cells if c.row == row and c.text.strip()]
    if not theirs or b.table.n_rows <= row + 1:
        return False
    if not all(c.col in mine and mine[c.col].text.strip() and _continues(c.text, mine[c.col].text) for c in theirs):
        return False
    for c in theirs:
        mine[c.col].text = f"{mine[c.col].text.rstrip()} {c.text.strip()}"
    return True


def merge_found(a: Found, b: Found) -> None:
    """Append b's rows to a, dropping b's first row when it repeats a's header, joining a row cut by the break."""
    skip = 1 if _row_texts(b.table, 0) == _row_texts(a.table, 0) and b.table.n_rows > 1 else 0
    if _join_split_row(a, b, skip):
        skip += 1
    offset = a.table.n_rows - skip
    for c in b.table.cells:
        if c.row < skip:
            continue
        a.table.cells.append(c.model_copy(update={"row": c.row + offset}))
    a.table.n_rows += b.table.n_rows - skip
    a.table.pages += [p for p in b.table.pages if p not in a.table.pages]
    a.last_page, a.last_bbox = b.last_page, b.last_bbox


def _body_between(doc: Document, a: Found, b: Found, furniture: set[int]) -> bool:
    """True when a body line (not furniture, not in a table) sits after a on its page or before b on its."""
    for page in doc.pages:
        if page.number not in (a.last_page, b.page):
            continue
        for ln in page.lines:
            if id(ln) in furniture or ln.bbox is None or not ln.text.strip():
                continue
            if page.number == a.last_page and ln.bbox.top >= a.last_bbox.bottom - 1:
                return True
            if page.number == b.page and ln.bbox.bottom <= b.bbox.top + 1:
                return True
    return False


def merge_continuations(doc: Document, found: list[Found], furniture: set[int]) -> list[Found]:
    """Join a table ending a page with the same-columned table opening the next page."""
    found = sorted(found, key=lambda f: (f.page, f.bbox.top))
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and f.page == prev.last_page + 1
            and f.table.source == prev.table.source
            and _same_columns(prev, f)
            and not _body_between(doc, prev, f, furniture)
        ):
            merge_found(prev, f)
        else:
            out.append(f)
    return out


def mark_lines_in(doc: Document, f: Found) -> None:
    """Flag the lines lying inside a table's area on each of its pages."""
    for page in doc.pages:
        if page.number not in f.table.pages:
            continue
        boxes = [c.bbox for c in f.table.cells if c.page == page.number and c.bbox is not None]
        area = BBox.union(boxes)
        if area is None:
            continue
        for ln in page.lines:
            if ln.bbox is None:
                continue
            cy = (ln.bbox.top + ln.bbox.bottom) / 2
            if area.top - 0.5 <= cy <= area.bottom + 0.5 and ln.bbox.x0 >= area.x0 - 2 and ln.bbox.x1 <= area.x1 + 2:
                ln.in_table = True


def _title_above(doc: Document, f: Found, furniture: set[int]) -> str | None:
    """The nearest body line above the table on its first page (its caption, usually)."""
    page = next((p for p in doc.pages if p.number == f.page), None)
    if page is None:
        return None
    above = [
        ln
        for ln in page.lines
        if ln.bbox is not None and ln.bbox.bottom <= f.bbox.top + 1 and id(ln) not in furniture and not ln.in_table
    ]
    return above[-1].text if above else None


def detect_tables(doc: Document, ruled: list[Found]) -> None:
    """Fill doc.tables: ruled tables, then borderless and text-layout ones, merged over page breaks."""
    from calpae.extract.tables.borderless.tables import borderless_tables

    furniture = repeated_furniture([p.lines for p in doc.pages], [p.height or 842.0 for p in doc.pages])
    ruled = merge_continuations(doc, ruled, furniture)
    for f in ruled:
        mark_lines_in(doc, f)
    from calpae.extract.tables.layout_in_pdf import layout_tables

    loose = borderless_tables(doc, furniture, geometric_only=True)
    loose += layout_tables(doc, furniture)
    for f in ruled:
        f.table.title = _title_above(doc, f, furniture)
    everything = sorted(ruled + loose, key=lambda f: (f.page, f.bbox.top))
    for n, f in enumerate(everything, start=1):
        f.table.id = f"{doc.id}-t{n}"
        doc.tables.append(f.table)
