"""A table as an office author lays it out (stacked header, merged cells, totals), written once into the truth.

The same `Grid` is drawn by the DOCX writer (`docx_kit`) and the XLSX writer (`xlsx_kit`); each body row gets a
page mark `t<table>r<row>` that the renderer turns into a page (Word bookmark, or Calc note).

Budget cells carry, besides the reportlab family's fields (kind, role, year, row/column label, amount, raw,
is_total), what a user sums: `stage` (planned, allocated, executed, carried_in, to_carry_over, unspent,
valorisation), `part` (etat, departement, other, total), `level` (grand_total, group, measure, action, detail:
`group` is a sub-total over several measures, e.g. "Sous-total engagements de mesures socle"), `measure_id` and
`action` (the fiche number, where the cell belongs to one action; a detail line's: the number and its label).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from corpora.truth import Truth


@dataclass
class Amount:
    """A budget amount to print and record."""

    amount: Decimal
    role: str  # calpae's role vocabulary: etat, departement, total, report, valorisation, non_consomme, autre
    stage: str
    part: str
    year: int | None
    column: str
    kind: str = "forecast"  # forecast | executed (the reportlab family's `kind`)
    is_total: bool = False
    raw: str = ""
    cid: str | None = None


@dataclass
class Cell:
    """One printed cell; `rows`/`cols` > 1 merge it over the cells below/right (those are `covered`)."""

    text: str = ""
    bold: bool = False
    align: str = "left"  # left | right | center
    rows: int = 1
    cols: int = 1
    covered: bool = False
    amount: Amount | None = None
    value: dict[str, Any] | None = None  # indicator fields (see corpora.report._indicator_table)


@dataclass
class Row:
    """One body row and what its amounts mean."""

    cells: list[Cell]
    label: str
    level: str
    is_total: bool = False
    measure_id: str | None = None
    action: str | None = None


@dataclass
class Grid:
    """A whole table: header lines, body rows, column widths (cm) and drawing options."""

    kind: str
    title: str
    section: str | None
    header: list[list[Cell]]
    rows: list[Row]
    widths: list[float]
    font_size: float = 8.0
    measure_id: str | None = None
    index: int = -1  # its truth table index, once registered

    def mark(self, row: int) -> str:
        """The page-mark key of a body row (same form as the reportlab family's)."""
        return f"t{self.index}r{row}"


def covered(n: int = 1) -> list[Cell]:
    """`n` cells hidden under a merge."""
    return [Cell(covered=True) for _ in range(n)]


def column_labels(header: list[list[Cell]], ncols: int) -> list[str]:
    """Each column's label: the texts of the header cells over it, top to bottom, joined by a space."""
    labels: list[list[str]] = [[] for _ in range(ncols)]
    for line in header:
        col = 0
        for cell in line:
            if not cell.covered and cell.text:
                for c in range(col, min(col + cell.cols, ncols)):
                    if cell.text not in labels[c]:
                        labels[c].append(cell.text)
            col += 1
    return [" ".join(parts) for parts in labels]


def register(truth: Truth, grid: Grid, layout: dict[str, Any]) -> int:
    """Record the table, its budget cells and indicator values in the truth; returns the table index."""
    grid.index = truth.new_table(grid.kind, layout, grid.section, grid.title)
    ncols = len(grid.widths)
    labels = column_labels(grid.header, ncols)
    truth.tables[grid.index]["columns"] = labels
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row.cells):
            if cell.amount is not None:
                a = cell.amount
                a.cid = truth.cell(
                    grid.index,
                    r,
                    c,
                    kind=a.kind,
                    measure_id=row.measure_id or grid.measure_id,
                    row_label=row.label,
                    column_label=a.column,
                    role=a.role,
                    year=a.year,
                    amount=a.amount,
                    raw=a.raw,
                    is_total=a.is_total or row.is_total,
                    stage=a.stage,
                    part=a.part,
                    level=row.level,
                    action=row.action,
                )
            elif cell.value is not None:
                truth.indicator(table=grid.index, row=r, raw=cell.text, **cell.value)
    return grid.index
