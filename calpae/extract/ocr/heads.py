"""The header and label cells of a table without inner rules on a scanned page, cut as the words-based reader
(calpae.extract.tables.wrapped) cuts them, so that each is re-read from the image on its own.

Small bold header text over a scan's grain is what whole-page OCR reads worst ('Crédi ts CD P en 2019' for
'Crédits CD affectés en 2019'), and a stacked header of narrow cells is read as lines running across columns, so
the words of neighbouring headers mix; labels wrapped in narrow columns beside each other are read alike. Read
one cell at a time, a block of its own, each comes out whole."""

from __future__ import annotations

from calpae.extract.settings import OCR_TABLE
from calpae.extract.tables.pick import is_money, one_table
from calpae.extract.tables.wrapped import page_reading
from calpae.models import BBox, Cell, Word

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points
LABEL_PAD = 1.0  # points of margin above and below a label cell's words in its crop


def label_boxes(words: list[Word]) -> list[Box]:
    """The label cells of the page's words-based table, each as wide as its column (and the crop's inset wider),
    when that reading is one table of money (every amount column named, most slots filled, amounts in euros: see
    pick.one_table), else none: an indicator table or a page of several tables is no place to re-cut labels by
    these columns."""
    found = page_reading(words, 0, ocr=True)
    if found is None or not one_table(found.table, OCR_TABLE.label_filled):
        return []
    cells = [c for c in found.table.cells if c.bbox is not None]
    first = min((c.row for c in cells if is_money(c.text)), default=None)
    return [] if first is None else _label_boxes(cells, first, [found.bbox.x0, *found.bounds, found.bbox.x1])


def header_boxes(words: list[Word]) -> list[Box]:
    """The header cells of the page's words-based table, each as wide as its column, from the top of its header
    down to the first row (a phrase over several columns is cut by these crops: see reread_grid_text's loose);
    then the first row's amount cells (which tell the re-read where the body begins). Empty when the words hold no
    such table or it has no header."""
    found = page_reading(words, 0, ocr=True)
    if found is None:
        return []
    cells = [c for c in found.table.cells if c.bbox is not None]
    first = min((c.row for c in cells if is_money(c.text)), default=None)
    heads = [c for c in cells if first is not None and c.row < first]
    if first is None or not heads:
        return []
    body = [c for c in cells if c.row == first]
    bottom = min(c.bbox.top for c in body if c.bbox is not None)
    top = min(c.bbox.top for c in heads if c.bbox is not None)
    edges = [found.bbox.x0, *found.bounds, found.bbox.x1]
    boxes: list[Box] = [
        (edges[k], top, edges[k + 1], bottom) for k in range(found.table.n_cols) if edges[k] < edges[k + 1]
    ]
    boxes += [
        (c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom) for c in body if c.bbox is not None and is_money(c.text)
    ]
    return boxes


def _label_boxes(cells: list[Cell], first: int, edges: list[float]) -> list[Box]:
    """Each label cell of the body, its column wide, no two overlapping."""
    money = {c.col for c in cells if c.row >= first and is_money(c.text)}
    inset = OCR_TABLE.grid_crop_inset  # the re-read crops this much inside a box: the label's words must stay in
    pad = LABEL_PAD + inset
    out: list[Box] = []
    for col in range(len(edges) - 1):
        if col in money or edges[col] >= edges[col + 1]:
            continue
        column = sorted((c.bbox for c in cells if c.col == col and c.row >= first and c.bbox is not None), key=_top)
        boxes: list[Box] = []
        for k, box in enumerate(column):
            top = box.top - pad if k == 0 else max(box.top - pad, (column[k - 1].bottom + box.top) / 2 - inset)
            below = column[k + 1].top if k + 1 < len(column) else box.bottom + 2 * pad
            bottom = min(box.bottom + pad, (box.bottom + below) / 2 + inset)
            boxes.append((edges[col] - inset, top, edges[col + 1] + inset, bottom))
        out += boxes
    return out


def _top(box: BBox) -> float:
    return box.top
