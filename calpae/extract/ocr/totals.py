"""The table's own arithmetic as a check on OCR: sub-totals, totals and columns that sum other columns are found
from the values, and a misread or missing cell is corrected when one value makes the failing sums hold again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from itertools import combinations

from calpae.extract.settings import OCR_TABLE

Grid = list[list[Decimal | None]]
Relation = tuple[tuple[int, int], tuple[tuple[int, int], ...]]  # (target cell, term cells)

S = OCR_TABLE


def digits_kept(text: str, value: Decimal, max_lost: int, min_kept: int) -> bool:
    """True when OCR's reading `text` could be a misreading of `value`: its digits (a '4' after the cents taken for
    the unit) are the value's digits in order, at most max_lost of them lost, and at least min_kept read."""
    read = re.sub(r"\D", "", re.sub(r"(,\d\d)\s*4\s*$", r"\1", text.strip()))
    whole = f"{value:.2f}".replace(".", "")
    if value < 0 or len(read) < min_kept or len(whole) - len(read) > max_lost:
        return False
    it = iter(whole)
    return all(ch in it for ch in read)  # a subsequence


def holds(grid: Grid, rel: Relation) -> bool | None:
    """True/False when every cell of the relation is read, None when one is missing."""
    (tr, tc), terms = rel
    vals = [v for r, c in terms if (v := grid[r][c]) is not None]
    if grid[tr][tc] is None or len(vals) < len(terms):
        return None
    return sum(vals, Decimal(0)) == grid[tr][tc]


def row_relations(grid: Grid, total_rows: list[int]) -> list[Relation]:
    """Per column, each total row equals the rows above it that it sums: its block or the sub-totals before it."""
    rels: list[Relation] = []
    n_cols = len(grid[0]) if grid else 0
    prev = -1
    for t in total_rows:
        block = [r for r in range(prev + 1, t) if r not in total_rows]
        subs = [r for r in total_rows if r < t]
        body = [r for r in range(t) if r not in total_rows]
        options = [o for o in (block, subs, body) if o]
        best, score, known = None, 0, 0
        for rows in options:
            checks = [holds(grid, ((t, c), tuple((r, c) for r in rows))) for c in range(n_cols)]
            ok = sum(bool(x) for x in checks)
            if ok > score:
                best, score, known = rows, ok, sum(x is not None for x in checks)
        if best is not None and score * 2 >= known:
            rels.extend(((t, c), tuple((r, c) for r in best)) for c in range(n_cols))
        prev = t
    return rels


def column_relations(grid: Grid) -> list[Relation]:
    """Per row, a column that is the sum of other columns on most rows (F = A + B + C + D + E), or a copy of one."""
    if not grid:
        return []
    n_cols = len(grid[0])
    live = [c for c in range(n_cols) if any(row[c] for row in grid)]  # all-zero columns add nothing
    rels: list[Relation] = []
    for target in live:
        others = [c for c in live if c != target]
        for size in range(1, min(S.sum_max_terms, len(others)) + 1):
            share = S.sum_min_share if size > 1 else S.copy_share
            for terms in combinations(others, size):
                if size == 1 and terms[0] > target:
                    continue  # a copy is one relation, not two (its gain must not count twice)
                checks = [holds(grid, ((r, target), tuple((r, c) for c in terms))) for r in range(len(grid))]
                known = [x for x in checks if x is not None]
                held = [r for r, x in enumerate(checks) if x]
                if (
                    len(known) >= S.sum_min_rows
                    and sum(known) >= share * len(known)
                    and _takes_part(grid, held, target, terms)
                ):
                    rels.extend(((r, target), tuple((r, c) for c in terms)) for r in range(len(grid)))
    return rels


def _takes_part(grid: Grid, held: list[int], target: int, terms: tuple[int, ...]) -> bool:
    """True when the sum is non-zero on S.sum_min_rows rows where it holds and each term is non-zero on one of them:
    a column that is zero where the relation holds is not shown to be a term (F = A + C, not F = A + C + D)."""
    if sum(1 for r in held if grid[r][target]) < S.sum_min_rows:
        return False
    return all(any(grid[r][c] for r in held) for c in terms)


def _solve(grid: Grid, rel: Relation, cell: tuple[int, int]) -> Decimal | None:
    """The value `cell` must take for the relation to hold (None when another cell is missing)."""
    (tr, tc), terms = rel
    others = [(r, c) for r, c in terms if (r, c) != cell]
    values = [v for r, c in others if (v := grid[r][c]) is not None]
    if len(values) < len(others):
        return None
    rest = sum(values, Decimal(0))
    if (tr, tc) == cell:
        return rest
    target = grid[tr][tc]
    if target is None:
        return None
    return target - rest


def _score(grid: Grid, rels: list[Relation]) -> int:
    return sum(bool(holds(grid, r)) for r in rels)


def repair(
    grid: Grid,
    total_rows: list[int],
    unsure: set[tuple[int, int]] | None = None,
    plausible: Callable[[tuple[int, int], Decimal], bool] | None = None,
) -> list[tuple[int, int, Decimal | None, Decimal]]:
    """Correct cells in place so more sums hold; returns (row, col, old, new) for each change.

    Only cells OCR was unsure of (`unsure`: (row, col) of cells missing, read with low confidence or whose
    readings disagree; None: every cell) are changed: a cell read with confidence that breaks a sum is the
    document's error, left for the audit to report. A read cell is changed when the new value makes at least two
    sums hold that did not, or one when the read value looks like an OCR misreading of the new one; a missing
    cell is filled when one sum gives it. plausible(cell, value), when given, must hold for a value to be taken
    (a reading the value could have been misread as: ocr.gridsums)."""
    rels = row_relations(grid, total_rows) + column_relations(grid)
    by_cell: dict[tuple[int, int], list[Relation]] = {}
    for rel in rels:
        for cell in (rel[0],) + rel[1]:
            by_cell.setdefault(cell, []).append(rel)
    changes = []
    for _ in range(len(by_cell)):
        best = None
        for rel in rels:
            if holds(grid, rel) is not False and not (holds(grid, rel) is None and _missing(grid, rel) == 1):
                continue
            for cell in (rel[0],) + rel[1]:
                if unsure is not None and cell not in unsure:
                    continue
                value = _solve(grid, rel, cell)
                if value is None or value < 0 or (plausible is not None and not plausible(cell, value)):
                    continue
                old = grid[cell[0]][cell[1]]
                mine = by_cell[cell]
                before = _score(grid, mine)
                grid[cell[0]][cell[1]] = value
                gain = _score(grid, mine) - before
                grid[cell[0]][cell[1]] = old
                need = 1 if old is None or misread_of(old, value) else 2
                if gain >= need and (best is None or gain > best[0]):
                    best = (gain, cell, old, value)
        if best is None:
            break
        _, (r, c), old, value = best
        grid[r][c] = value
        changes.append((r, c, old, value))
    return changes


def _digits(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", "").rstrip("0")


def misread_of(old: Decimal, new: Decimal) -> bool:
    """True when `old` is what OCR typically makes of `new`: the same digits with the separators misplaced
    (2 105 391,00 read 21 053,91), or one digit read wrong."""
    a, b = _digits(old), _digits(new)
    if a == b:
        return True
    a, b = f"{old:.2f}", f"{new:.2f}"
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _missing(grid: Grid, rel: Relation) -> int:
    return sum(grid[r][c] is None for r, c in (rel[0],) + rel[1])


def sums_rows_above(grid: Grid, row: int) -> bool:
    """True when a row equals, on every column read in it and on S.sum_min_rows non-zero ones, the sum of a run of
    rows just above it (a sub-total, whatever its label says): the arithmetic names total rows OCR misread."""
    cols = [c for c, v in enumerate(grid[row]) if v is not None]
    if sum(1 for c in cols if grid[row][c]) < S.sum_min_rows:
        return False
    sums = {c: Decimal(0) for c in cols}
    totals = {c: v for c in cols if (v := grid[row][c]) is not None}
    for r in range(row - 1, -1, -1):
        above = {c: v for c in cols if (v := grid[r][c]) is not None}
        if len(above) < len(cols):
            return False
        for c in cols:
            sums[c] += above[c]
        if all(sums[c] == totals[c] for c in cols):
            return True
        if any(sums[c] > totals[c] for c in cols):
            return False
    return False
