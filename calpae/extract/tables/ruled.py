"""Ruled tables: pdfplumber's table finder (lines strategy) on the page's ruling lines, cells as a grid with spans."""

from __future__ import annotations

from calpae.extract.settings import TABLES
from calpae.extract.tables.cell_text import cell_text
from calpae.extract.tables.found import Found, WordsByHeight, cluster_edges, nearest_index
from calpae.models import BBox, Cell, Table, Word


def needs_table_geometry(page, fast_text: str) -> bool:
    """Cheap test: run the table finder only on pages with ruling lines in both directions (pdfium paths)."""
    edges = page.edges
    horiz = sum(1 for e in edges if e["orientation"] == "h")
    vert = sum(1 for e in edges if e["orientation"] == "v")
    if horiz >= TABLES.min_rules and vert >= TABLES.min_rules:
        return True
    return False


def ruled_tables(page, words: list[Word], page_no: int) -> list[Found]:
    """Tables drawn with cell borders, as grids with spans (pdfplumber's lines strategy)."""
    found: list[Found] = []
    for t in page.find_tables(table_settings=TABLES.ruled_finder):
        built = grid_from_cells(t.cells, words, page_no)
        if built is not None:
            found.append(built)
    return found


def grid_from_cells(boxes: list[tuple], words: list[Word], page_no: int) -> Found | None:
    """A Found table from pdfplumber cell boxes: grid lines from the box edges, spans from the boxes."""
    if not boxes:
        return None
    xs = cluster_edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = cluster_edges([b[1] for b in boxes] + [b[3] for b in boxes])
    cells: list[Cell] = []
    in_box = WordsByHeight(words)
    held = _overflow_lifted(boxes, {box: in_box(box) for box in boxes})
    for box in boxes:
        c0, c1, r0, r1 = (
            nearest_index(xs, box[0]),
            nearest_index(xs, box[2]),
            nearest_index(ys, box[1]),
            nearest_index(ys, box[3]),
        )
        if c1 <= c0 or r1 <= r0:
            continue
        text = cell_text(held[box])
        bbox = BBox(x0=box[0], top=box[1], x1=box[2], bottom=box[3])
        cells.append(Cell(row=r0, col=c0, text=text, bbox=bbox, page=page_no, row_span=r1 - r0, col_span=c1 - c0))
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    cells, n_rows = _drop_empty_rows(cells, n_rows)
    if n_cols < 2 or n_rows < 1 or not any(c.text for c in cells):
        return None
    table = Table(id="", source="ruled", pages=[page_no], n_rows=n_rows, n_cols=n_cols, cells=cells)
    bbox = BBox(x0=xs[0], top=ys[0], x1=xs[-1], bottom=ys[-1])
    return Found(table=table, page=page_no, last_page=page_no, bbox=bbox, last_bbox=bbox, cols=xs)


def _overflow_lifted(boxes: list[tuple], held: dict[tuple, list[Word]]) -> dict[tuple, list[Word]]:
    """Each cell's words, a cell's last line run down over its bottom rule given back to it: a row of fixed height
    clips its text on the page, the text layer keeps the line ('ment' of 'Situation 2018 du Départe' below the
    header's rule, beside the first row's 'Nombre'). Such a word began above the rule of the cell it falls in, one
    line under the last line of the cell above, and no line of its new cell follows it (a cell's own lines run
    down from its top rule). Text-layer words only: a scan shows no clipped text."""
    out = {box: list(ws) for box, ws in held.items()}
    for box in boxes:
        for w in held[box]:
            if w.confidence is not None or w.bbox.top > box[1] - TABLES.overflow_rise or w.bbox.bottom <= box[1]:
                continue  # (a scan shows no clipped text: OCR reads what the page shows)
            pitch = TABLES.overflow_pitch * (w.bbox.bottom - w.bbox.top)
            centre = (w.bbox.x0 + w.bbox.x1) / 2
            above = next((a for a in boxes if abs(a[3] - box[1]) <= TABLES.edge_tol and a[0] <= centre <= a[2]), None)
            if above is None or not any(0 < w.bbox.top - o.bbox.top <= pitch for o in held[above]):
                continue
            if any(0 < o.bbox.top - w.bbox.top <= pitch for o in held[box] if o is not w):
                continue  # the cell's own lines go on under it: its first line, set high
            out[box].remove(w)
            out[above].append(w)
    return out


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
