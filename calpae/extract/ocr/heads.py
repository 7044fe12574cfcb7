"""The header of a table without inner rules on a scanned page, cut into its columns as the words-based reader
(calpae.extract.tables.wrapped) cuts it, so that each column's header is re-read from the image on its own.

Small bold header text over a scan's grain is what whole-page OCR reads worst ('Crédi ts CD P en 2019' for
'Crédits CD affectés en 2019'), and a stacked header of narrow cells is read as lines running across columns, so
the words of neighbouring headers mix. Read one column at a time, a block of its own, it comes out whole."""

from __future__ import annotations

from calpae.extract.tables.pick import is_money
from calpae.extract.tables.wrapped import page_reading
from calpae.models import Word

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points


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
