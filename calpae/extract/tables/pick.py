"""Between two readings of one table, the one that names its amount columns.

A table whose amounts stand on one line each is read by the borderless and text-layout readers, built on lines
ending with amounts. Where label cells wrap in several columns side by side and the header is stacked over many
lines of narrow cells (a spreadsheet's annexe recap), those readers keep the amounts but lose the header that says
what each column holds. The words-based reader (calpae.extract.tables.wrapped) reads such a page too; its reading
replaces theirs when more of its amounts stand under a named column and it holds no fewer amounts."""

from __future__ import annotations

import re

from calpae.extract.numbers.parse import parse_number
from calpae.extract.settings import WRAPPED
from calpae.extract.tables.found import Found
from calpae.models import BBox, Table


def is_money(text: str) -> bool:
    """One amount: a number (not a year) shown in euros or of three digits at least."""
    parsed = parse_number(text)
    if parsed is None or parsed.value is None or parsed.is_year:
        return False
    return parsed.unit == "EUR" or len(re.sub(r"\D", "", text)) >= 3


def reading(table: Table) -> tuple[int, int, int, int]:
    """(amount columns, those named by a header row above the first amount, amount cells, those in named columns)."""
    grid = table.grid()
    first = next((r for r, row in enumerate(grid) if any(is_money(t) for t in row)), len(grid))
    money_cols = {c for row in grid[first:] for c, t in enumerate(row) if is_money(t)}
    named = {c for c in money_cols if any(grid[r][c].strip() for r in range(first))}
    cells = [c for row in grid[first:] for c, t in enumerate(row) if is_money(t)]
    return len(money_cols), len(named), len(cells), sum(1 for c in cells if c in named)


def label_columns(table: Table) -> int:
    """Columns of text beside the amounts: a theme, a Chorus code, a fiche number, an action's name each in its own
    column, or all of them run together in one."""
    grid = table.grid()
    first = next((r for r, row in enumerate(grid) if any(is_money(t) for t in row)), len(grid))
    body = grid[first:]
    money = {c for row in body for c, t in enumerate(row) if is_money(t)}
    return sum(1 for c in range(table.n_cols) if c not in money and any(row[c].strip() for row in body))


def _euros(text: str) -> bool:
    parsed = parse_number(text)
    return parsed is not None and parsed.unit == "EUR"


def one_table(table: Table, filled: float = WRAPPED.filled_share) -> bool:
    """A table of money: every amount column named, the rows filled across the columns (several small tables of
    one page read as one leave most of its slots empty), most amounts shown in euros (an indicator table's counts
    are not amounts)."""
    cols, named, cells, _ = reading(table)
    grid = table.grid()
    rows = sum(1 for row in grid if any(is_money(t) for t in row))
    euros = sum(1 for row in grid for t in row if _euros(t))
    return named == cols and cells >= filled * cols * rows and euros * 2 > cells


def _overlaps(a: BBox, b: BBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def prefer_named(chains: list[list[Found]], others: list[Found]) -> tuple[list[Found], list[Found]]:
    """The candidates to keep, and the other readers' tables left. A chain of candidates (one table's pages, each
    read apart, see wrapped_pages.continuation_chains) replaces the tables it overlaps when it reads better than
    they do (see _beats); a chain that does not is tried page by page (a page repeating its header may)."""
    kept: list[Found] = []
    for chain in chains:
        for part in [chain] if len(chain) == 1 else [chain, *[[c] for c in chain]]:
            if any(c is k for c in part for k in kept):
                continue
            under = _beats(part, others)
            if under is not None:
                kept.extend(part)
                others = [f for f in others if not any(f is u for u in under)]
    return kept, others


def _beats(chain: list[Found], others: list[Found]) -> list[Found] | None:
    """The tables a chain of candidates replaces, or None when it does not: it reads as one table, the tables it
    overlaps stand on its pages alone, more of its amounts stand under a named column than of theirs together (or
    as many, its labels kept in more columns than theirs, not run together), and it holds at least as many amounts
    (as many rows of amounts where theirs name no column).
    A continuation page repeats no header: its amounts stand under the columns its first page names."""
    first = chain[0]
    pages = range(first.page, chain[-1].page + 1)
    under = [
        f for f in others if any(c.page in f.table.pages and _overlaps(_area_on(f, c.page), c.bbox) for c in chain)
    ]
    if any(f.page not in pages or f.last_page not in pages for f in under) or not one_table(first.table):
        return None
    _, _, cells, named = reading(first.table)
    more = sum(reading(c.table)[2] for c in chain[1:])
    cells, named = cells + more, named + more
    theirs = [reading(f.table) for f in under]
    more_named = named > sum(r[3] for r in theirs)
    as_named = named >= sum(r[3] for r in theirs) and label_columns(first.table) > max(
        (label_columns(f.table) for f in under), default=0
    )
    # as many amounts; or, where theirs name no column at all (they yield no budget line), as many rows of amounts
    # (an OCR layout also counts the specks and repeats it read as amounts)
    enough = cells >= sum(r[2] for r in theirs) or (
        not any(r[1] for r in theirs)
        and sum(_amount_rows(c.table) for c in chain) >= sum(_amount_rows(f.table) for f in under)
    )
    return under if (more_named or as_named) and enough else None


def _amount_rows(table: Table) -> int:
    return sum(1 for row in table.grid() if any(is_money(t) for t in row))


def _area_on(f: Found, page: int) -> BBox:
    """A table's area on one of its pages: its cells' boxes there (its first box when cells have none)."""
    boxes = [c.bbox for c in f.table.cells if c.page == page and c.bbox is not None]
    return BBox.union(boxes) or f.bbox
