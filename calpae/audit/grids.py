"""Budget lines regrouped into their tables' grids, so the audit works from the records it is given."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from calpae.budget.arith import Grid
from calpae.budget.vocab import period_kind, role_of, split_by_roles
from calpae.models import BudgetLine


@dataclass
class LineTable:
    """One table's budget lines and their grid; cells[(row, col)] is the line of that cell."""

    table_id: str
    kind: str
    grid: Grid
    cells: dict[tuple[int, int], BudgetLine]
    rows: list[int]  # grid row index → BudgetLine.row
    cols: list[int]
    title: str | None = None  # the caption calpae read above the table, to name it for a reader

    def place(self) -> str:
        """Where a reader finds this table: its first page (or source line) and its caption."""
        first = min(self.cells.values(), key=lambda ln: (ln.provenance.page or 0, ln.provenance.line or 0))
        page, line = first.provenance.page, first.provenance.line
        where = f"p. {page}" if page else (f"line {line}" if line else self.table_id)
        title = " ".join((self.title or "").split())
        return f"{where}, «{title}»" if title else where

    def line(self, r: int, c: int) -> BudgetLine | None:
        return self.cells.get((self.rows[r], self.cols[c]))

    def any_line(self, r: int) -> BudgetLine:
        return next(ln for (row, _), ln in self.cells.items() if row == self.rows[r])

    def order_key(self) -> tuple[int, int]:
        first = min(self.cells.values(), key=lambda ln: (ln.provenance.page or 0, ln.provenance.line or 0))
        return (first.provenance.page or 0, first.provenance.line or 0)


def line_tables(lines: list[BudgetLine], titles: dict[str, str | None] | None = None) -> list[LineTable]:
    """Tables rebuilt from their lines (row/col indices, roles, labels); titles: caption by table id."""
    by_table: dict[str, list[BudgetLine]] = defaultdict(list)
    for ln in lines:
        if ln.row is not None and ln.col is not None:
            by_table[ln.table_id].append(ln)
    out = []
    for tid, tl in by_table.items():
        rows = sorted({r for ln in tl if (r := ln.row) is not None})
        cols = sorted({c for ln in tl if (c := ln.col) is not None})
        cells = {(r, c): ln for ln in tl if (r := ln.row) is not None and (c := ln.col) is not None}
        col_roles: list[str | None] = []
        col_labels: list[str] = []
        roles_as_rows = False
        for c in cols:
            in_col = [ln for ln in tl if ln.col == c]
            roles = {ln.role for ln in in_col if not ln.is_total}
            if len(roles) > 1:  # roles change down a column: the rows are État / Département / Total
                roles_as_rows = True
            role = in_col[0].role if len(roles) <= 1 else None
            if len(cols) > 1 and role_of(in_col[0].column_label) is None and not split_by_roles(in_col[0].column_label):
                role = None  # several columns and this one's header names no role: its meaning is unknown
            col_roles.append(role)
            col_labels.append(in_col[0].column_label)
        labels, totals, values = [], [], []
        for r in rows:
            first = next(ln for ln in tl if ln.row == r)
            labels.append(first.row_label)
            totals.append(first.is_total)
            values.append([cells[(r, c)].amount if (r, c) in cells else None for c in cols])
        if roles_as_rows:
            col_roles = [None] * len(cols)
        grid = Grid(
            labels=labels,
            is_total=totals,
            col_roles=col_roles,
            col_labels=col_labels,
            values=values,
            roles_as_rows=roles_as_rows,
            col_kinds=[period_kind(lb) for lb in col_labels],
        )
        out.append(LineTable(tid, tl[0].table_kind, grid, cells, rows, cols, (titles or {}).get(tid)))
    return sorted(out, key=LineTable.order_key)


def col_value(lt: LineTable, r: int, role: str) -> Decimal | None:
    """The amount of row r in the first column with that role."""
    for c, ro in enumerate(lt.grid.col_roles):
        if ro == role and lt.grid.values[r][c] is not None:
            return lt.grid.values[r][c]
    return None
