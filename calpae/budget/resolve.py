"""Ambiguous rows: pick, among the readings a row allows, the one that makes the table's totals hold."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import combinations

from calpae.budget.arith import Grid, score
from calpae.budget.money import read_money, split_readings
from calpae.budget.tables import BudgetTable, Row

MAX_PLACEMENTS = 20
ROUNDS = 3


def to_grid(bt: BudgetTable, rows: list[Row] | None = None) -> Grid:
    """The arithmetic view of a budget table."""
    rows = bt.rows if rows is None else rows
    values: list[list[Decimal | None]] = []
    for r in rows:
        vals = []
        for c in range(len(bt.columns)):
            m = r.money(c)
            vals.append(m.value if m else None)
        values.append(vals)
    return Grid(
        labels=[r.label for r in rows],
        is_total=[r.is_total for r in rows],
        col_roles=[c.role for c in bt.columns],
        col_labels=[c.label for c in bt.columns],
        values=values,
        roles_as_rows=bt.roles_as_rows,
        col_kinds=[c.kind for c in bt.columns],
    )


def _split_alternatives(row: Row) -> list[tuple[Row, str]]:
    """Readings that move a short number across the label/amount boundary."""
    out: list[tuple[Row, str]] = []
    if not row.texts or not row.texts[0]:
        return out
    for label, first in split_readings(row.label, row.texts[0]):
        if read_money(first) is None:
            continue
        alt = replace(row, label=label, texts=[first] + row.texts[1:])
        out.append((alt, f"label '{label}' with {first}"))
    return out


def _placements(row: Row, n_cols: int) -> list[tuple[Row, str]]:
    """Where a row with fewer amounts than columns (text without geometry) may put them, order kept."""
    filled = [(t, c) for t, c in zip(row.texts, row.cells, strict=True) if t]
    k = len(filled)
    if k == 0 or k >= n_cols:
        return []
    out = []
    for slots in combinations(range(n_cols), k):
        texts = [""] * n_cols
        cells: list = [None] * n_cols
        for (t, cell), s in zip(filled, slots, strict=True):
            texts[s], cells[s] = t, cell
        if texts != row.texts:
            out.append((replace(row, texts=texts, cells=cells), f"amounts placed in columns {list(slots)}"))
        if len(out) >= MAX_PLACEMENTS:
            break
    return out


def _alternatives(row: Row, n_cols: int, packed: bool) -> list[tuple[Row, str]]:
    alts = _split_alternatives(row)
    if packed:
        alts += _placements(row, n_cols)
    return alts


def _describe(row: Row) -> str:
    return f"label '{row.label}' with {row.texts[0]}" if row.texts and row.texts[0] else f"label '{row.label}'"


def resolve(bt: BudgetTable) -> BudgetTable:
    """Coordinate search over each ambiguous row's readings; rows keep a note saying what was chosen."""
    packed = bt.table.source == "text_layout"
    n = len(bt.columns)
    rows = list(bt.rows)
    options = {i: _alternatives(r, n, packed) for i, r in enumerate(rows)}
    options = {i: o for i, o in options.items() if o}
    if not options:
        return bt
    original = {i: rows[i] for i in options}
    for _ in range(ROUNDS):
        changed = False
        for i, alts in options.items():
            best_row, best = rows[i], score(to_grid(bt, rows))
            for cand in [original[i]] + [a for a, _ in alts]:
                trial = rows[:i] + [cand] + rows[i + 1 :]
                s = score(to_grid(bt, trial))
                if s > best:
                    best_row, best = cand, s
            if best_row is not rows[i]:
                rows[i], changed = best_row, True
        if not changed:
            break
    for i in options:
        split_alts = [a for a, _ in _split_alternatives(original[i])]
        if not split_alts:
            continue  # placement choices are routine for text layout, not worth a finding
        chosen = rows[i]
        kept = chosen.label == original[i].label and chosen.texts[0] == original[i].texts[0]
        others = [a for a in split_alts if a.label != chosen.label] + ([] if kept else [original[i]])
        other = others[0] if others else None
        if other is None:
            continue
        decided = score(to_grid(bt, rows)) > score(to_grid(bt, rows[:i] + [other] + rows[i + 1 :]))
        why = "the table's totals hold with it" if decided else "no reading makes the totals hold better; kept as read"
        rows[i] = replace(chosen, note=f"ambiguous: read as {_describe(chosen)} rather than {_describe(other)}: {why}")
    return replace(bt, rows=rows)
