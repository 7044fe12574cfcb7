"""OCR tables, the amounts: each cell's digits read in its column's format, corrected by the table's own sums,
and the layout as a Found table (source 'ocr')."""

from __future__ import annotations

import re
from decimal import Decimal

from calpae.extract.ocr.layout import (
    CONFUSABLE,
    NUMERIC,
    Layout,
    OcrCell,
    column_bounds,
    find_layout,
    reading_lines,
    reading_order,
)
from calpae.extract.ocr.totals import column_relations, digits_kept, holds, misread_of, repair, row_relations
from calpae.extract.settings import OCR_GRID_SUMS, OCR_TABLE
from calpae.extract.tables.found import Found
from calpae.models import BBox, Cell, Line, Table, Word

NO_BOX = BBox(x0=0, top=0, x1=0, bottom=0)  # where a table without any box is placed
CENTS = re.compile(r"[.,]\s?(\d{1,2})$")
SPLIT_CENTS = re.compile(r",\s?(\d)\s(\d)$")  # a decimal comma, then its cents on two lines: one digit each
UNGROUPED_DIGITS = 4  # from this many digits a French amount is written with a thousands separator


_GROUP_END = re.compile(r"(?:^|[ .])\d{3}$")  # a head line ending with a whole group of three digits
_COMMA_LIKE = "01:;"  # what OCR reads a lone decimal comma as, before the cents of a wrapped line (',79' as '079')


def _mapped(text: str) -> str:
    core = text.replace("€", " ").strip(" :;'\"")
    mapped = "".join(ch if ch in NUMERIC else ch.translate(CONFUSABLE) for ch in core)
    return re.sub(r"[^0-9 .,]", "", mapped).strip(" .,")


def wrapped_cents(words: list[Word], cents: bool, table_cents: bool = False) -> tuple[str, str] | None:
    """(integer digits, cents) of an amount whose cents wrapped onto a line of their own in a narrow column
    ('307 879' over ',79 €'), OCR having lost the comma ('79 €') or read it as a digit ('079 €', '179€'): after a
    head ending with a whole group of three, two digits can only be cents; three whose first is what a comma is
    misread as are cents only in a column whose amounts have cents, or in a table with cents where they are not
    '00' (else they are the next group: '1 271' over '000 €')."""
    lines = reading_lines(words)
    if len(lines) < 2:
        return None
    head = _mapped(" ".join(w.text for line in lines[:-1] for w in line))
    tail_text = " ".join(w.text for w in lines[-1]).replace("€", "").strip()
    tail = re.sub(r"\D", "", tail_text.translate(CONFUSABLE))
    if "," in head or not _GROUP_END.search(head) or not re.fullmatch(r"[\dOoSlI|!:;,.]+", tail_text.replace(" ", "")):
        return None
    if len(tail) == 2 and tail_text.replace(" ", "").lstrip(",.")[:1].isdigit():
        return re.sub(r"\D", "", head), tail
    if (cents or (table_cents and tail[1:] != "00")) and len(tail) == 3 and tail_text[:1] in _COMMA_LIKE:
        return re.sub(r"\D", "", head), tail[1:]
    return None


def cell_digits(words: list[Word], cents: bool = False, table_cents: bool = False) -> tuple[str, str | None, bool]:
    """(integer digits, cents digits or None, zero dash) read from a cell's words through common confusions; `cents`
    and `table_cents` say the cell's column and its table have cents (see wrapped_cents)."""
    wrapped = wrapped_cents(words, cents, table_cents)
    if wrapped is not None:
        return wrapped[0], wrapped[1], False
    text = " ".join(w.text for w in reading_order(words))
    core = text.replace("€", " ").strip(" :;'\"")
    if not core.strip():
        return "", None, False  # a lone '€': the digits or the dash before it were lost
    mapped = "".join(ch if ch in NUMERIC else ch.translate(CONFUSABLE) for ch in core)
    mapped = re.sub(r"[^0-9 .,]", "", mapped).strip(" .,")
    if not any(ch.isdigit() for ch in mapped):
        return "", None, any(ch in "-–—" for ch in core)
    m = SPLIT_CENTS.search(mapped)
    if m:  # the cents cut by the wrap ('347.657,5' over '5 €')
        return re.sub(r"\D", "", mapped[: m.start()]), m.group(1) + m.group(2), False
    m = CENTS.search(mapped)
    if m:
        return re.sub(r"\D", "", mapped[: m.start()]), m.group(1), False
    return re.sub(r"\D", "", mapped), None, False


def _grouped(words: list[Word]) -> bool:
    """True when the digits end in a separate group of three (thousands visibly split: an integer amount)."""
    text = " ".join(w.text for w in reading_order(words)).replace("€", " ")
    groups = re.findall(r"[0-9OoSlI]+", text)
    return len(groups) >= 2 and len(groups[-1]) == 3


def format_amount(value: Decimal | None) -> str:
    """A Decimal written the French way ('1 450 968,55 €', '- €' for zero), as born-digital cells are."""
    if value is None:
        return ""
    if value == 0:
        return "- €"
    whole = int(value)
    cents = int(round((value - whole) * 100))
    text = f"{whole:,}".replace(",", " ")
    return f"{text},{cents:02d} €" if cents else f"{text} €"


def column_has_cents(cells: list[OcrCell]) -> bool:
    """True when most of a column's non-zero amounts are written with two decimals."""
    read = [cell_digits(c.words) for c in cells]
    nonzero = [r for r in read if r[0]]
    with_cents = sum(1 for r in nonzero if r[1] is not None and len(r[1]) == 2)
    return bool(nonzero) and with_cents * 2 >= len(nonzero)


def read_value(words: list[Word], cents: bool, table_cents: bool = False) -> tuple[Decimal | None, str | None]:
    """The cell's amount as a Decimal, and what of it the column's format supplied rather than OCR (cents split
    off where the separator was lost, a lost second decimal), or None when every digit was read in place."""
    whole, dec, zero = cell_digits(words, cents, table_cents)
    if zero:
        return (Decimal(0) if words else None), None
    guessed = None
    if dec is None and cents and len(whole) > 2 and not _grouped(words):
        whole, dec = whole[:-2], whole[-2:]
        guessed = "decimal separator not seen, placed by the column's format"
    if dec is not None and not cents and len(dec) == 2 and dec == "00":
        dec = None
    if dec is not None and len(dec) == 2:
        return Decimal(f"{int(whole or 0)}.{dec}"), guessed
    if dec is not None:  # one decimal digit: the second was lost
        return Decimal(f"{int(whole or 0)}.{dec}0"), "second decimal not seen"
    return (Decimal(int(whole)) if whole else None), guessed


def read_amounts(layout: Layout) -> None:
    """Fill each cell's value and text, reading digits in the format of the cell's column."""
    columns = [[r.cells[k] for r in layout.rows if k in r.cells] for k in range(len(layout.edges))]
    has_cents = [column_has_cents(cells) for cells in columns]
    for cells, cents in zip(columns, has_cents, strict=True):
        for c in cells:
            c.value, c.guessed = read_value(c.words, cents, any(has_cents))
            c.text = format_amount(c.value)
            if c.guessed is None and _separators_lost(c.words):
                c.guessed = "no separator seen between its digits"


def _separators_lost(words: list[Word]) -> bool:
    """Four digits or more read as one run, without a space, dot or comma: French amounts are grouped by
    thousands, so OCR lost the separators and the value's scale rests on a guess."""
    whole, dec, _ = cell_digits(words)
    return dec is None and len(whole) >= UNGROUPED_DIGITS and not _grouped(words)


def to_table(layout: Layout, page_no: int) -> Found:
    """The layout as a Found table (source 'ocr'): a header row, then one row per band, cells with boxes."""
    n_lab = len(layout.label_cols)
    n_cols = n_lab + len(layout.edges)
    cells: list[Cell] = []
    heads = layout.head_text or column_heads(layout)
    hb = BBox.union([w.bbox for w in layout.header])
    for k, text in enumerate(heads):
        if text:
            cells.append(Cell(row=0, col=k, text=text, bbox=hb, page=page_no))
    for r, row in enumerate(layout.rows, start=1):
        for k in range(n_lab):
            if row.labels[k]:
                cells.append(
                    Cell(
                        row=r, col=k, text=row.label(k), page=page_no, bbox=BBox.union([w.bbox for w in row.labels[k]])
                    )
                )
        for k, c in row.cells.items():
            if c.text:
                cells.append(
                    Cell(
                        row=r,
                        col=n_lab + k,
                        text=c.text,
                        page=page_no,
                        repaired=c.repaired,
                        unsure=c.unsure(),
                        bbox=BBox.union([w.bbox for w in c.words]) or c.bbox,
                    )
                )
    table = Table(id="", source="ocr", pages=[page_no], n_rows=len(layout.rows) + 1, n_cols=n_cols, cells=cells)
    bbox = BBox.union([c.bbox for c in cells if c.bbox is not None]) or NO_BOX
    return Found(table=table, page=page_no, last_page=page_no, bbox=bbox, last_bbox=bbox, cols=[])


def ocr_table(lines: list[Line], page_no: int) -> Found | None:
    """The borderless amount table of an OCR page as a Found, or None when the page holds none."""
    layout = find_layout(lines)
    if layout is None:
        return None
    read_amounts(layout)
    check_totals(layout)
    return to_table(layout, page_no)


TOTAL_WORD = re.compile(r"\btota[lu]", re.IGNORECASE)


def check_totals(layout: Layout) -> list[tuple[int, int, Decimal | None, Decimal]]:
    """Correct misread or missing amounts with the table's sums (sub-totals, totals, sum columns); returns the
    changes as (row, column, old, new) so the caller can report them."""
    n = len(layout.edges)
    grid = [[row.cells[k].value if k in row.cells else None for k in range(n)] for row in layout.rows]
    totals = [
        i for i, row in enumerate(layout.rows) if any(TOTAL_WORD.search(row.label(k)) for k in range(len(row.labels)))
    ]
    unsure = {
        (r, k)
        for r, row in enumerate(layout.rows)
        for k in range(n)
        if k not in row.cells or row.cells[k].unsure() is not None
    }

    def read_so(at: tuple[int, int], value: Decimal) -> bool:
        """A cell read surely, in doubt only because a re-read disagreed, may take only a value a reading of it could
        be: the re-read's, the first reading's with a digit misread or its separators misplaced ('208 000' for
        203 000), or with digits lost ('15 396,' for 15 396,93). '381 000 €' re-read '81000' is no misreading of
        366 000: the printed total is the document's error."""
        cell = layout.rows[at[0]].cells.get(at[1])
        if cell is None or not cell.rereads or cell.unsure() != cell.doubt or value in cell.rereads:
            return True
        seen = " ".join(w.text for w in cell.words) or cell.text
        return (cell.value is not None and misread_of(cell.value, value)) or digits_kept(
            seen, value, OCR_GRID_SUMS.max_lost, OCR_GRID_SUMS.min_kept
        )

    changes = repair(grid, totals, unsure, plausible=read_so)
    _doubts_explaining_nothing(layout, grid, totals)
    bounds = column_bounds(layout)[len(layout.label_cols) :]
    for r, k, _old, new in changes:
        row = layout.rows[r]
        cell = row.cells.setdefault(k, OcrCell(words=[]))
        seen = " ".join(w.text for w in cell.words) or cell.text
        read = f"OCR read '{seen}'" if seen else "OCR read nothing"
        cell.value, cell.text, cell.repaired = new, format_amount(new), read
        if not cell.words:
            cell.bbox = BBox(x0=bounds[k][0], top=row.top, x1=bounds[k][1], bottom=row.bottom)
    return changes


def _doubts_explaining_nothing(layout: Layout, grid: list[list[Decimal | None]], totals: list[int]) -> None:
    """A cell read surely that a re-read put in doubt, left as read by the sums: when its re-read's value makes none
    of the failing sums it takes part in hold, the doubt explains no failure and the cell is the page's figure again
    (a printed wrong total re-read with a digit cut off must stay the document's error, not an OCR doubt)."""
    rels = row_relations(grid, totals) + column_relations(grid)
    failing: dict[tuple[int, int], list] = {}
    for rel in rels:
        if holds(grid, rel) is False:
            for at in (rel[0], *rel[1]):
                failing.setdefault(at, []).append(rel)
    for (r, k), mine in failing.items():
        cell = layout.rows[r].cells.get(k)
        if cell is None or not cell.rereads or cell.repaired or cell.unsure() != cell.doubt:
            continue
        trial = [list(row) for row in grid]
        trial[r][k] = cell.rereads[0]
        if not any(holds(trial, rel) for rel in mine):
            cell.doubt, cell.rereads = None, []


def column_heads(layout: Layout) -> list[str]:
    """Header text of every column (label columns first), from the header band's words."""
    n_lab = len(layout.label_cols)
    parts: list[list[Word]] = [[] for _ in range(n_lab + len(layout.edges))]
    tol = OCR_TABLE.member_tol * layout.height
    for w in layout.header:
        cx = (w.bbox.x0 + w.bbox.x1) / 2
        if cx < layout.label_cols[-1][1] + OCR_TABLE.amount_bound_start * layout.height:
            k = min(
                range(n_lab),
                key=lambda i: (
                    0
                    if layout.label_cols[i][0] <= cx <= layout.label_cols[i][1]
                    else min(abs(cx - layout.label_cols[i][0]), abs(cx - layout.label_cols[i][1]))
                ),
            )
            parts[k].append(w)
            continue
        col = next((i for i, e in enumerate(layout.edges) if cx <= e + tol), None)
        if col is not None:
            parts[n_lab + col].append(w)
    return [
        " ".join(w.text for w in sorted(p, key=lambda w: (round(w.bbox.top / layout.height), w.bbox.x0))) for p in parts
    ]
