"""A table of wrapped cells over several pages (calpae.extract.tables.wrapped): each page is read apart, and a
page whose amount columns stand where the previous page's do continues it, even when a merged theme cell cut by the
page break leaves it fewer label columns. Its label columns are mapped onto the previous page's (by position), its
repeated header dropped, so that the pages join into one table and its totals add up over all its rows."""

from __future__ import annotations

from calpae.extract.settings import TABLES
from calpae.extract.tables.found import Found
from calpae.extract.tables.pick import is_money
from calpae.models import Cell, Table


def _first_amount_col(table: Table) -> int:
    """Index of the first column holding an amount below the header (the label columns stand left of it)."""
    grid = table.grid()
    cols = [c for row in grid for c, t in enumerate(row) if is_money(t)]
    return min(cols) if cols else table.n_cols


def _header_rows(table: Table) -> int:
    return next((r for r, row in enumerate(table.grid()) if any(is_money(t) for t in row)), table.n_rows)


def _amount_heads(table: Table, n_label: int) -> list[str]:
    grid = table.grid()
    n = _header_rows(table)
    return [" ".join(grid[r][c] for r in range(n) if grid[r][c]) for c in range(n_label, table.n_cols)]


def _continues(a: Found, b: Found, na: int, nb: int) -> bool:
    """b, on the page after a, has a's amount columns at a's places."""
    rights_a, rights_b = a.cols[na:], b.cols[nb:]
    return (
        b.page == a.last_page + 1
        and len(rights_a) == len(rights_b) > 0
        and all(abs(x - y) <= TABLES.same_columns_tol for x, y in zip(rights_a, rights_b, strict=True))
    )


def align_continuations(found: list[Found]) -> None:
    """Give each page table that continues the previous one the previous one's columns (in place)."""
    for a, b in zip(found, found[1:], strict=False):
        na, nb = _first_amount_col(a.table), _first_amount_col(b.table)
        if not _continues(a, b, na, nb) or (na == nb and a.cols[:na] == b.cols[:nb]):
            continue
        lefts = a.cols[:na]
        skip = _header_rows(b.table) if _amount_heads(b.table, nb) == _amount_heads(a.table, na) else 0
        cells: list[Cell] = []
        for c in b.table.cells:
            if c.row < skip:
                continue
            if c.col >= nb:
                col = c.col - nb + na
            else:
                x = c.bbox.x0 if c.bbox is not None else (b.cols[c.col] if c.col < len(b.cols) else 0.0)
                col = max([j for j, left in enumerate(lefts) if left <= x + TABLES.same_columns_tol] or [0])
            same = next((o for o in cells if o.row == c.row - skip and o.col == col), None)
            if same is not None:  # two label columns of this page under one of the previous page's
                same.text = f"{same.text} {c.text}".strip()
                continue
            cells.append(c.model_copy(update={"row": c.row - skip, "col": col, "col_span": 1}))
        b.table.cells = cells
        b.table.n_rows -= skip
        b.table.n_cols = a.table.n_cols
        b.cols = lefts + b.cols[nb:]


def continuation_chains(found: list[Found]) -> list[list[Found]]:
    """Page tables grouped into runs over consecutive pages, each page's amount columns where the previous page's
    stand (the pages of one table cut by page breaks), in page order."""
    chains: list[list[Found]] = []
    for f in sorted(found, key=lambda f: (f.page, f.bbox.top)):
        if chains:
            a = chains[-1][-1]
            if _continues(a, f, _first_amount_col(a.table), _first_amount_col(f.table)):
                chains[-1].append(f)
                continue
        chains.append([f])
    return chains
