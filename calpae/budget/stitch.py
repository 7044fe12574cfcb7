"""Headerless pieces of one budget table joined back to the table they continue, before their columns are read."""

from __future__ import annotations

import re

from calpae.budget.captions import caption
from calpae.budget.money import read_money
from calpae.budget.numbering import titled_action
from calpae.budget.tables import _header_rows
from calpae.models import BBox, Cell, Document, Table

_TOTAL_ROW = re.compile(r"^\s*total\b", re.IGNORECASE)  # a row closing a table ('TOTAL', 'Total général')
_FICHE_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\s*$")  # '2.1', '4.1.2': a fiche or action number
_TRAILING_AMOUNT = re.compile(r"^(?P<label>.*\D)\s+(?P<amount>-?\d[\d\s.,\u00a0\u202f]*\s?€)\s*$")


def _captioned_on_its_page(doc: Document, table: Table) -> bool:
    """True when text of the document's own (not furniture, not another table) stands above the table on its page."""
    if doc.kind == "pdf" or table.line_start is None:
        return bool(caption(doc, table))
    page, start = table.pages[0], table.line_start
    return any(
        ln.page == page and ln.line_no is not None and ln.line_no < start and not ln.in_table and ln.text.strip()
        for ln in doc.lines()
    )


def _page_texts(doc: Document, page: int) -> set[str]:
    return {ln.text.strip() for p in doc.pages if p.number == page for ln in p.lines if ln.text.strip()}


def _captioned_anew(doc: Document, prev: Table, table: Table) -> bool:
    """Whether a headerless piece at the top of the next page has a caption of its own: text above it that is
    neither the page's running text (a line the previous table's page has too) nor a piece of a merged cell cut by
    the page break: the top of one of its own ('Engage' of 'Engagements à l'initiative …'), or the rest of a label
    cell of the table it continues ('5 - Insertion des', '0304 50 19 19 07' of a theme or Chorus cell spanning both
    pages), every word of which begins a word of those cells."""
    if doc.kind != "pdf":
        return _captioned_on_its_page(doc, table)
    running = _page_texts(doc, prev.pages[-1])
    labels = (c.text for c in prev.cells if c.text.strip() and read_money(c.text) is None)
    words = {w for text in [*(c.text for c in table.cells), *labels] for w in text.split()}
    own = [
        line
        for line in caption(doc, table)
        if line.strip() not in running and not all(any(w.startswith(x) for w in words) for x in line.split())
    ]
    return bool(own)


def _closed_on_its_page(doc: Document, table: Table) -> bool:
    """A table whose last row is a total, with body text below it on its page (not furniture, not another table):
    it ended there, and a table on the next page is another one, whatever its header repeats."""
    grid = table.grid()
    last = next((cell for cell in grid[-1] if cell.strip()), "") if grid else ""
    page = table.pages[-1]
    bottoms = [c.bbox.bottom for c in table.cells if c.bbox and c.page in (None, page)]
    if doc.kind != "pdf" or not bottoms or not _TOTAL_ROW.match(last):
        return False
    bottom = max(bottoms)
    return any(
        ln.bbox and ln.bbox.top >= bottom and not ln.furniture and not ln.in_table and ln.text.strip()
        for p in doc.pages
        if p.number == page
        for ln in p.lines
    )


def _amount_columns(body: list[list[str]], n_cols: int) -> list[int]:
    """The columns of a table's body rows that hold an amount somewhere (a fiche number '2.1' is none, though it
    reads as money where dots group thousands)."""
    return [c for c in range(n_cols) if any(read_money(row[c]) and not _FICHE_NUMBER.match(row[c]) for row in body)]


def _continues(prev: Table, table: Table, doc: Document | None) -> bool:
    """A table with no header row (or the same header again at the top of the next page), as many columns as the one
    before, on its page or the next, under the same heading, with no text of its own above it on its page (a caption
    starts a new table): its continuation. A heading between them (another fiche's section) means another table,
    whatever their columns."""
    if table.n_cols != prev.n_cols or table.n_rows == 0 or not prev.pages or not table.pages:
        return False
    if prev.section != table.section:
        return False
    if table.pages[0] not in (prev.pages[-1], prev.pages[-1] + 1):
        return False
    grid, prev_grid = table.grid(), prev.grid()
    n_prev = _header_rows(prev_grid)
    if not 0 < n_prev < len(prev_grid):
        return False
    n = _header_rows(grid)
    next_page = table.pages[0] != prev.pages[-1]
    if n and not next_page:
        return False
    if next_page and doc is not None and _closed_on_its_page(doc, prev):
        return False
    if n:
        # the same header again at the top of the next PDF page: a continuation, whatever text stands above it (the
        # cut-off words of a merged cell, the page's stamp), unless that text names another action
        amounts = _amount_columns(prev_grid[n_prev:], prev.n_cols)
        if not _same_header(grid[:n], prev_grid[:n_prev], amounts):
            return False
        if doc is None or (doc.kind == "pdf" and titled_action(" ".join(caption(doc, table))) is None):
            return True
    return doc is None or not next_page or not _captioned_anew(doc, prev, table)


def _same_header(head: list[list[str]], prev_head: list[list[str]], columns: list[int]) -> bool:
    """A header repeated at the top of the next page: the same words over the amount columns as the first table's
    header (a merged label cell cut by the page break may run into the repeated header's label columns); or, over
    every amount column, the opening words of the first header's (the repeat's last wrapped line cut off)."""

    def words(rows: list[list[str]], cols: list[int]) -> list[str]:
        # short numbers left out: a cut merged cell's '07' may run in (not years)
        cells = (r[c] for r in rows for c in cols if c < len(r) and r[c].strip())
        return [w.lower() for cell in cells for w in cell.split() if not (w.isdigit() and len(w) <= 2)]

    if not words(head, columns):
        return False
    if words(head, columns) == words(prev_head, columns):
        return True
    for c in columns:
        mine, theirs = words(head, [c]), words(prev_head, [c])
        if not mine or theirs[: len(mine)] != mine:
            return False
    return True


def _extents(table: Table, first_row: int) -> dict[int, tuple[float, float]]:
    """Each column's horizontal extent over the cells with text from first_row on (PDF points)."""
    out: dict[int, tuple[float, float]] = {}
    for c in table.cells:
        if c.row >= first_row and c.bbox is not None and c.text.strip() and c.col_span == 1:
            x0, x1 = out.get(c.col, (c.bbox.x0, c.bbox.x1))
            out[c.col] = (min(x0, c.bbox.x0), max(x1, c.bbox.x1))
    return out


def _aligned(prev: Table, table: Table) -> Table | None:
    """A headerless piece on the next PDF page whose columns the reader cut otherwise than the table before it (with
    no header to go by, one line of a label cell, a Chorus code's last group, became a column of its own), its columns
    mapped onto the table's by where they stand: each column of the piece goes to the column of the table it overlaps
    most, in order, and every amount column of the table gets exactly one column of the piece. None when they do not
    line up so."""
    if table.n_cols == prev.n_cols or not prev.pages or not table.pages or table.pages[0] != prev.pages[-1] + 1:
        return None
    grid, prev_grid = table.grid(), prev.grid()
    n_prev = _header_rows(prev_grid)
    if _header_rows(grid) or not 0 < n_prev < len(prev_grid):
        return None
    theirs, mine = _extents(prev, n_prev), _extents(table, 0)
    target: dict[int, int] = {}
    for col, (x0, x1) in sorted(mine.items()):
        overlaps = {k: min(x1, b) - max(x0, a) for k, (a, b) in theirs.items()}
        best = max(overlaps, key=lambda k: overlaps[k], default=None)
        if best is None or overlaps[best] <= 0 or (target and best < max(target.values())):
            return None
        target[col] = best
    amounts = _amount_columns(prev_grid[n_prev:], prev.n_cols)
    if not amounts or any(list(target.values()).count(c) != 1 for c in amounts):
        return None
    merged: dict[tuple[int, int], list[Cell]] = {}
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if c.col in target and c.text.strip():
            merged.setdefault((c.row, target[c.col]), []).append(c)
    cells = [
        parts[0].model_copy(
            update={
                "col": col,
                "col_span": 1,
                "text": " ".join(p.text.strip() for p in parts),
                "bbox": BBox.union([p.bbox for p in parts if p.bbox is not None]),
            }
        )
        for (_, col), parts in merged.items()
    ]
    return table.model_copy(update={"cells": cells, "n_cols": prev.n_cols})


def _title_row(table: Table) -> list[str] | None:
    """A caption that is really a table row cut off above the piece ('Label 1.234,56 €'), for two-column tables."""
    m = _TRAILING_AMOUNT.match(table.title or "")
    if table.n_cols != 2 or m is None or read_money(m.group("amount")) is None:
        return None
    return [m.group("label").strip(), m.group("amount").strip()]


def _join(prev: Table, table: Table) -> Table:
    """prev with the rows of table appended (and its caption row, when the caption is a row)."""
    cells = list(prev.cells)
    row = prev.n_rows
    extra = _title_row(table)
    if extra is not None:
        cells += [Cell(row=row, col=c, text=t, page=table.pages[0]) for c, t in enumerate(extra)]
        row += 1
    skip = _header_rows(table.grid())  # a repeated header is not data
    cells += [c.model_copy(update={"row": c.row - skip + row}) for c in table.cells if c.row >= skip]
    pages = prev.pages + [p for p in table.pages if p not in prev.pages]
    return prev.model_copy(
        update={
            "cells": cells,
            "n_rows": row + table.n_rows - skip,
            "pages": pages,
            "line_end": table.line_end or prev.line_end,
        }
    )


def stitch(tables: list[Table], doc: Document | None = None) -> list[Table]:
    """Tables in reading order, each headerless continuation joined to the table it continues."""
    out: list[Table] = []
    for table in tables:
        aligned = _aligned(out[-1], table) if out and doc is not None and doc.kind == "pdf" else None
        if aligned is not None and _continues(out[-1], aligned, doc):
            out[-1] = _join(out[-1], aligned)
        elif out and _continues(out[-1], table, doc):
            out[-1] = _join(out[-1], table)
        else:
            out.append(table)
    return out
