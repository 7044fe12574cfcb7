"""Text-layout tables in PDFs: the text reader's row logic run on a PDF's visual lines, cells given boxes back.

Some PDFs are text laid out line by line (a label then one to four amounts, packed left, no aligned columns):
geometry says nothing there, and the text export's rules (wrapped labels, amount-only lines, header split at
capitals, total rows) read them whole. Ruled and geometric borderless tables are found first; what is left goes
through calpae.extract.text_layout."""

from __future__ import annotations

from calpae.extract.numbers.cells import LEAD_RE, cell_value
from calpae.extract.settings import AMOUNTS, TEXT_LAYOUT
from calpae.extract.tables.found import Found
from calpae.extract.tables.text_layout import find_layout_tables
from calpae.models import BBox, Cell, Document, Line, Table

ZERO = BBox(x0=0, top=0, x1=0, bottom=0)


def _amount_box(line: Line, text: str) -> BBox | None:
    """Box of the words at the end of a line that spell an amount (searched right to left)."""
    words = [w for w in line.words if w.upright]
    target = text.replace(" ", "")
    for k in range(len(words) - 1, -1, -1):
        for end in range(len(words), k, -1):
            if "".join(w.text for w in words[k:end]) == target:
                return BBox.union([w.bbox for w in words[k:end]])
    return None


def _label_box(lines: list[Line], first: int | None, last: int | None, cut: float | None) -> BBox | None:
    """Box of a row's label: its lines from the first label line to the amount line, left of the amounts."""
    if first is None:
        return None
    stop = last if last is not None else first
    boxes = []
    for ln in lines[first : stop + 1]:
        if ln.bbox is None:
            continue
        if cut is not None and ln is lines[stop]:
            left = [w.bbox for w in ln.words if w.bbox.x1 <= cut + TEXT_LAYOUT.amount_slack]
            box = BBox.union(left)
            if box is not None:
                boxes.append(box)
        else:
            boxes.append(ln.bbox)
    return BBox.union(boxes)


def _place(table: Table, lines: list[Line]) -> None:
    """PDF cells: boxes from the lines they came from; line numbers (list indices here) cleared."""
    by_row: dict[int, list[Cell]] = {}
    for c in table.cells:
        by_row.setdefault(c.row, []).append(c)
    for cells in by_row.values():
        amounts = [c for c in cells if c.col > 0 and c.line_no is not None]
        for c in amounts:
            if c.line_no is not None:
                c.bbox = _amount_box(lines[c.line_no], c.text)
        label = next((c for c in cells if c.col == 0), None)
        if label is not None and label.line_no is not None:
            cut = min((c.bbox.x0 for c in amounts if c.bbox is not None), default=None)
            last = amounts[0].line_no if amounts else None
            if last is not None and last < label.line_no:
                last = label.line_no
            label.bbox = _label_box(lines, label.line_no, last, cut)
        for c in cells:
            if c.line_no is not None:
                c.page = lines[c.line_no].page
            c.line_no = None
    table.line_start = table.line_end = None


def resolve_leading_groups(table: Table) -> None:
    """'Job 47 136 000 €': a short leading group goes back to the label when the long reading exceeds the column.

    The budget stage weighs both readings again against the totals; this keeps the reader's cells plausible."""
    grid_cols = range(1, table.n_cols)
    for j in grid_cols:
        col = [c for c in table.cells if c.col == j and c.row > 0]
        values = {id(c): cell_value(c.text) for c in col}
        for c in col:
            parts = c.text.split()
            nums = [p for p in parts if p[:1].isdigit()]
            if len(nums) < AMOUNTS.ambiguous_groups or not LEAD_RE.match(nums[0]) or parts[0] != nums[0]:
                continue
            greedy = values[id(c)]
            others = [v for k, v in values.items() if k != id(c) and v is not None]
            if greedy is None or not others or greedy <= sum(others):
                continue
            label = next((x for x in table.cells if x.row == c.row and x.col == 0), None)
            if label is None or not label.text or not label.text[-1:].isalpha():
                continue
            label.text = f"{label.text} {parts[0]}"
            c.text = " ".join(parts[1:])


def layout_tables(doc: Document, furniture: set[int]) -> list[Found]:
    """Text-layout tables among the body lines no other table holds, as Found tables with boxes."""
    lines = [ln for p in doc.pages for ln in p.lines if id(ln) not in furniture and ln.text.strip()]
    saved = [ln.line_no for ln in lines]
    for i, ln in enumerate(lines):
        ln.line_no = i
    try:
        tables = find_layout_tables(lines)
        for t in tables:
            _place(t, lines)
            resolve_leading_groups(t)
    finally:
        for ln, no in zip(lines, saved, strict=True):
            ln.line_no = no
    found = []
    for t in tables:
        boxes = [(c.page, c.bbox) for c in t.cells if c.bbox is not None and c.page is not None]
        if not boxes:
            continue
        first_page, last_page = min(p for p, _ in boxes), max(p for p, _ in boxes)
        first = BBox.union([b for p, b in boxes if p == first_page]) or ZERO
        last = BBox.union([b for p, b in boxes if p == last_page]) or ZERO
        found.append(Found(table=t, page=first_page, last_page=last_page, bbox=first, last_bbox=last))
    return found
