"""A third look at the amounts of a failing sum: before the table's sums may correct anything, every cell read with
confidence that takes part in a sum that fails is read again from the page, on its whole column band, at other
enlargements. Readings that disagree make the cell unsure (a misread: the sums may correct it, the audit reports it
as an OCR doubt); readings that all agree leave it as the page's own figure (a failing sum is the document's error).

Tesseract is sometimes sure of a wrong reading ('138,23' for '504 138,23' when the first crop was cut before a group,
'456 000 358 144,33' when two cells were read as one) that a crop of the column's band at another scale does not
repeat (issue 18, item 7). A misreading repeated at every scale ('419 200' for '119 200') cannot be told from a
printed error this way and stays an error. The other way round, a cell the first pass was unsure of that every re-read
gives as read, surely, is the page's figure: the sums may not 'correct' a printed wrong total away because the first
pass read it unsurely."""

from __future__ import annotations

from decimal import Decimal

from calpae.extract.ocr.amounts import TOTAL_WORD, column_has_cents, read_value
from calpae.extract.ocr.arbiter import agreement_confidence
from calpae.extract.ocr.cells import Crop, PageImage, page_crop, read_crops
from calpae.extract.ocr.layout import Layout, OcrCell, column_bounds
from calpae.extract.ocr.totals import column_relations, holds, row_relations
from calpae.extract.settings import OCR_TABLE
from calpae.models import BBox, Word

S = OCR_TABLE


def failing_cells(layout: Layout) -> list[tuple[int, int]]:
    """(row, amount column) of the cells read (surely or not) that take part in a sum of the table that fails and in
    none that holds (a cell some sum confirms agrees with the others already: not worth a third look)."""
    n = len(layout.edges)
    grid = [[row.cells[k].value if k in row.cells else None for k in range(n)] for row in layout.rows]
    totals = [
        i for i, row in enumerate(layout.rows) if any(TOTAL_WORD.search(row.label(k)) for k in range(len(row.labels)))
    ]
    rels = row_relations(grid, totals) + column_relations(grid)
    agreed = {cell for rel in rels if holds(grid, rel) for cell in (rel[0], *rel[1])}
    out: list[tuple[int, int]] = []
    for rel in rels:
        if holds(grid, rel) is not False:
            continue
        for r, k in (rel[0], *rel[1]):
            cell = layout.rows[r].cells.get(k)
            if cell is not None and cell.words and cell.value is not None and (r, k) not in agreed | set(out):
                out.append((r, k))
    return out


def confirm_failing(layout: Layout, page: PageImage) -> list[tuple[int, int, str]]:
    """Re-read the cells of the failing sums (see failing_cells) at S.confirm_mags, each on its column's whole band:
    a sure cell the re-reads do not confirm (see _disagreement) gets a `doubt` saying why, an unsure one they all
    read as it is, surely, is `confirmed`. Returns (row, column, reason) of each cell changed so."""
    todo = failing_cells(layout)
    if not todo:
        return []
    bounds = column_bounds(layout)[len(layout.label_cols) :]
    pad = S.cell_crop_pad * layout.height
    readings: list[tuple[int, list[Crop]]] = []
    for mag in S.confirm_mags:
        crops = [
            page_crop(page, bounds[k][0], layout.rows[r].top - pad, bounds[k][1], layout.rows[r].bottom + pad)
            for r, k in todo
        ]
        read_crops(page, crops, mag=mag)
        readings.append((mag, crops))
    cents = {k: column_has_cents([r.cells[k] for r in layout.rows if k in r.cells]) for _, k in todo}
    out = []
    for n, (r, k) in enumerate(todo):
        cell = layout.rows[r].cells[k]
        again = [(mag, crops[n]) for mag, crops in readings]
        if cell.unsure() is not None:
            least = _sure_rereads(cell, again, cents[k])
            if least is not None:
                cell.confirmed = "read again at " + " and ".join(f"×{mag}" for mag, _ in again) + " as read, surely"
                for w in cell.words:  # the page's words too: later checks read the confidence from them
                    w.confidence = max(w.confidence or 0.0, least)
                out.append((r, k, cell.confirmed))
            continue
        found = _disagreement(cell, again, cents[k])
        if found is not None:
            cell.doubt, cell.rereads = found[0], [found[1]]
            out.append((r, k, found[0]))
    return out


def _reread_value(crop: Crop, cents: bool) -> tuple[Decimal | None, float, str] | None:
    """(value, least confidence of its digit words, text) of one re-read, or None when it read no digit."""
    words = [(t, c, b) for t, c, b in crop.words or [] if any(ch.isdigit() for ch in t)]
    if not words:
        return None
    as_words = [Word(text=t, bbox=BBox(x0=b[0], top=b[1], x1=b[2], bottom=b[3]), confidence=c) for t, c, b in words]
    value, _ = read_value(as_words, cents)
    return value, min(c for _, c, _ in words), " ".join(t for t, _, _ in words)


def _sure_rereads(cell: OcrCell, readings: list[tuple[int, Crop]], cents: bool) -> float | None:
    """The least confidence of the re-reads when every one gives the cell's value with all its digits at S.sure_conf
    or more (a cell the first pass was unsure of, read surely twice more the same, is the page's figure: the sums
    may not 'correct' it), else None."""
    got = [_reread_value(crop, cents) for _, crop in readings]
    sure = [g[1] for g in got if g is not None and g[0] == cell.value and g[1] >= S.sure_conf]
    return min(sure) if sure and len(sure) == len(got) else None


def _disagreement(cell: OcrCell, readings: list[tuple[int, Crop]], cents: bool) -> tuple[str, Decimal] | None:
    """Why a re-read puts a sure cell in doubt and the value it read, or None. A re-read of the column's whole band
    that holds the cell's digits and more at one end saw ink the cell's reading missed (a group the first crop cut
    off); one that holds only
    part of them shows the rest lies outside the column (two cells read as one): either way, however unsure of those
    glyphs, the reading is not the cell's. A re-read of another value counts with its own confidence against the
    cell's (arbiter.agreement_confidence): only a sure enough one leaves the cell below S.sure_conf. Re-reads that
    agree, or read nothing, or are too unsure to count, leave the cell as read."""
    read = cell.value
    if read is None:
        return None
    mine = min((w.confidence for w in cell.words if w.confidence is not None), default=0.0)
    for mag, crop in readings:
        got = _reread_value(crop, cents)
        if got is None:
            continue
        value, again, text = got
        if value is None or value == read:
            continue
        if _ahead(value, read):
            return f"re-read at ×{mag} as '{text}': more digits than were read", value
        if _ahead(read, value):
            return f"re-read at ×{mag} as '{text}': the column holds fewer digits than were read", value
        if agreement_confidence(mine, again) < S.sure_conf:
            return f"re-read at ×{mag} as '{text}' (confidence {again:.0f})", value
    return None


def _digits(value: Decimal) -> str:
    return f"{value:f}".replace(".", "").lstrip("0")


def _ahead(longer: Decimal, shorter: Decimal) -> bool:
    """True when `longer` is written with the digits of `shorter` and more in front of them (amounts are aligned on
    their right: a group cut off or glued on is at the left; a difference at the right end is a misread digit)."""
    a, b = _digits(longer), _digits(shorter)
    return bool(b) and len(a) > len(b) and a.endswith(b)
