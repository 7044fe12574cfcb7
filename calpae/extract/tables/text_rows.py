"""Rows of text-layout tables (pdftotext exports): where a label wrapped around its amounts ends, and which lines
below a total still belong to the table."""

from __future__ import annotations

import re

from calpae.extract.tables.figures.layout import opens_cell

TOTAL = re.compile(r"^(sous[ -]?)?tota(l|ux)\b", re.IGNORECASE)
CARRY = re.compile(r"^(reports?|crédits reportés)\b", re.IGNORECASE)
ITEM = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,2}\.?")  # an action's number alone ('1.1')


def tail_of_previous(previous: list[str], pending: list[str], own: str) -> int:
    """How many of the label lines between two amount lines end the row above: amounts centred beside a label
    wrapped over several lines stand between its lines, so the lines after them belong to their row up to the
    first line that starts a new cell (a capital or a number, the line before not running on)."""
    last = previous[:-1] if len(previous) > 1 and ITEM.fullmatch(previous[-1]) else previous  # '1.1' beside the
    # amounts is the item's number, a cell of its own: the title's line above it tells whether the title runs on
    for k, text in enumerate(pending):
        before = pending[k - 1] if k else (last[-1] if last else "")
        if opens_cell(text, before):
            return k
    return len(pending) if own and opens_cell(own, pending[-1]) else 0


def totals_below(rows: list[tuple[str, int]]) -> bool:
    """Rows (label, number of amounts) of one amount each below a total row, a total or a carry-over among them
    ('Total hors report 2019', 'Report 2019', 'Total général'): the summary's own account of its total, not a new
    table."""
    return all(n == 1 for _, n in rows) and any(TOTAL.match(label) or CARRY.match(label) for label, _ in rows)
