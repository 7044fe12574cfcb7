"""Ruled grids read from page images, their garbled amounts set by the table's own sums where the reading allows it.

A small scanned recap (office 2019 annex recaps: Calibri at 150 dpi) loses digits OCR cannot part: '207 0,00 €' for
'207 000,00 €' (three zeros touching), '20700004' (the comma lost, '€' read as 4). Such a cell breaks the number
grammar (a group of thousands has three digits, cents two), so OCR was unsure of it. As the words-based reader does
for borderless tables (ocr.amounts.check_totals), the sums the table's values show (sub-totals, totals, a column
that adds others: ocr.totals) give the value such a cell must hold; here the value is taken only when the reading
could be a misreading of it: the digits OCR read are the value's digits in order with at most
OCR_GRID_SUMS.max_lost digits lost. A group of thousands read short only by zeros is first made three zeros (the
grammar's reading of merged zeros), a guess kept only where a sum of the table holds with it. A cell read with
confidence is never changed: one that breaks a sum is the document's error."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from calpae.extract.ocr.amounts import TOTAL_WORD, format_amount
from calpae.extract.ocr.totals import column_relations, digits_kept, holds, repair, row_relations
from calpae.extract.settings import OCR_GRID_SUMS, OCR_TABLE, OcrGridSumsSettings
from calpae.models import Cell, Document, Table

# an amount as the office tables write it: groups of three after the first, cents, a unit OCR may have read as '4'
_CLEAN = re.compile(r"^(\d{1,3}(?:[ .\u00a0]\d{3})*)(?:,(\d{2}))?\s*[€4«]?$")
_DASH = re.compile(r"^[-–]\s*€?$")
_MONEY_MARK = re.compile(r"€|\d,\d\d\b")


def clean_value(text: str) -> Decimal | None:
    """The value of a cell written as the grammar of amounts says ('207 000,00 €', '- €'), else None."""
    t = text.strip()
    if _DASH.match(t):
        return Decimal(0)
    m = _CLEAN.match(t)
    if m is None:
        return None
    return Decimal(re.sub(r"\D", "", m[1]) + "." + (m[2] or "00"))


_UNIT_MISREAD = re.compile(r"(?<=,\d\d)\s*[4«]$")
_CENTS = re.compile(r",\d{2}\s*[€4«]?$")


def _mostly(texts: list[str], test: Callable[[str], object]) -> bool:
    """True when most of the amounts that read cleanly (stripped) pass the test: how a column writes them."""
    clean = [t.strip() for t in texts if clean_value(t)]
    return bool(clean) and 2 * sum(1 for t in clean if test(t)) >= len(clean)


def _writes_cents(texts: list[str]) -> bool:
    """True when most of a column's amounts that read cleanly are written with cents ('0,00 €' style)."""
    return _mostly(texts, _CENTS.search)


# '0,04' where the column writes '0,00 €': one cent and no unit, its last digit a 4 (the unit's usual misreading)
_CENT_AND_UNIT = re.compile(r"^\d[\d .\u00a0]*,\d4$")


def _writes_units(texts: list[str]) -> bool:
    """True when most of the amounts that read cleanly end with the euro sign ('0,00 €' style): there a cell read
    without it had its unit misread, and what OCR made of the unit may have taken a digit's place."""
    return _mostly(texts, lambda t: t.endswith("€"))


_SHORT_ZEROS = re.compile(r"^(\d{1,3})((?:\s+\d{1,3})+),(\d{2})\s*[€4«]?$")


def zeros_restored(text: str) -> Decimal | None:
    """A reading whose thousands groups after the first are short of three digits by zeros ('207 0,00 €',
    '1 138 00,00 €', '207 50,00 €': small zeros touching read as fewer) with each such group's last run of zeros
    widened to three digits; None otherwise (a short group without a zero)."""
    m = _SHORT_ZEROS.match(text.strip())
    if m is None:
        return None
    groups = m[2].split()
    if any(len(g) < 3 and "0" not in g for g in groups):
        return None
    return Decimal(m[1] + "".join(_zeros_widened(g) for g in groups) + "." + m[3])


def _zeros_widened(group: str) -> str:
    """A thousands group read short, its last run of zeros widened to make three digits ('0' → '000', '50' →
    '500': the touching zeros read as fewer)."""
    if len(group) >= 3:
        return group
    end = group.rindex("0") + 1
    return group[:end] + "0" * (3 - len(group)) + group[end:]


def cent_restored(text: str) -> Decimal | None:
    """A reading of one cent and a final 4 with no unit ('0,04' for '0,00 €') with the 4 taken for the unit and the
    cent it ran into made a zero (the zeros that touch it); None otherwise. A guess the sums test, like
    zeros_restored."""
    t = text.strip()
    if not _CENT_AND_UNIT.match(t):
        return None
    return clean_value(t[:-1] + "0")


def could_be(text: str, value: Decimal, settings: OcrGridSumsSettings = OCR_GRID_SUMS) -> bool:
    """True when OCR's reading `text` could be a misreading of `value` (ocr.totals.digits_kept): its digits (a '4'
    after the cents taken for the unit) are the value's digits in order, at most settings.max_lost of them lost, and
    at least settings.min_kept read."""
    return digits_kept(text, value, settings.max_lost, settings.min_kept)


def mend_grid_sums(doc: Document) -> None:
    """Every ruled table read wholly from page images: its garbled amount cells set by its sums (see the module)."""
    ocr_pages = {p.number for p in doc.pages if p.ocr}
    for table in doc.tables:
        if table.source == "ruled" and ocr_pages and set(table.pages) <= ocr_pages:
            _mend(table)


def _mend(table: Table, settings: OcrGridSumsSettings = OCR_GRID_SUMS) -> None:
    by_pos = {(c.row, c.col): c for c in table.cells}
    count: dict[int, int] = {}
    for c in table.cells:
        if _MONEY_MARK.search(c.text):
            count[c.col] = count.get(c.col, 0) + 1
    cols = sorted(k for k, n in count.items() if n >= OCR_TABLE.min_rows)
    if not cols:
        return
    first = min(c.row for c in table.cells if c.col in cols and _MONEY_MARK.search(c.text))
    rows = list(range(first, table.n_rows))
    grid: list[list[Decimal | None]] = []
    unsure: set[tuple[int, int]] = set()
    garbled: dict[tuple[int, int], Cell] = {}
    cents = {k for k in cols if _writes_cents([c.text for c in table.cells if c.col == k and c.row >= first])}
    # the unit as the table writes it: in one column every cell may have lost it the same way
    units = cents if _writes_units([c.text for c in table.cells if c.col in cents and c.row >= first]) else set()
    for i, r in enumerate(rows):
        line: list[Decimal | None] = []
        for j, k in enumerate(cols):
            cell = by_pos.get((r, k))
            text = cell.text.strip() if cell is not None else ""
            value = clean_value(text) if text else None
            if value and k in cents and not _CENTS.search(text):
                value = None  # '196 «' in a column written '106 500,00 €': digits and the cents lost
            if value is not None and k in units and _CENT_AND_UNIT.match(text):
                value = None  # '0,04' in a column written '0,00 €': a cent and the unit run into one '4'
            if cell is not None and value is not None and k in cents and _UNIT_MISREAD.search(text):
                cell.text = _UNIT_MISREAD.sub(" €", text)  # '27 907,294': no amount has three decimals
                cell.unsure = cell.unsure or "the unit read as '4' or '«' after the cents, set by the column's format"
            if cell is not None and text and value is None and any(ch.isdigit() for ch in text):
                garbled[(i, j)] = cell
                unsure.add((i, j))
            line.append(value)
        grid.append(line)
    if not garbled:
        return
    labels = [" ".join(c.text for c in table.cells if c.row == r and c.col not in cols) for r in rows]
    totals = [i for i, lab in enumerate(labels) if TOTAL_WORD.search(lab)]

    def plausible(cell: tuple[int, int], value: Decimal) -> bool:
        found = garbled.get(cell)
        return found is not None and could_be(found.text, value, settings)

    for (i, j), cell in garbled.items():  # zeros OCR merged, restored as the grammar says: a guess the sums test
        grid[i][j] = zeros_restored(cell.text) or cent_restored(cell.text)
    repair(grid, totals, unsure, plausible=plausible)
    rels = row_relations(grid, totals) + column_relations(grid)
    for (i, j), cell in garbled.items():
        new = grid[i][j]
        if new is None or not any(holds(grid, rel) and (i, j) in (rel[0], *rel[1]) for rel in rels):
            continue  # no sum the table shows holds with it: the cell stays as OCR read it
        cell.repaired = f"OCR read '{cell.text.strip()}'"
        cell.text = format_amount(new)
