"""Arithmetic of a budget grid: which totals hold, by column (sum of rows) and by row (sum of parts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from calpae.budget.vocab import includes_report, is_subtotal_label

PART_ROLES = ("etat", "departement", "report", "autre")
TOLERANCE = Decimal("1.01")  # rounding of cents across parts


@dataclass
class Grid:
    """Values of a budget table by row and amount column, with what each row and column means."""

    labels: list[str]
    is_total: list[bool]
    col_roles: list[str | None]
    col_labels: list[str]
    values: list[list[Decimal | None]]
    roles_as_rows: bool = False
    col_kinds: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """One arithmetic check: 'column' (total row vs rows above) or 'row' (total column vs parts)."""

    kind: str  # "column" | "row" | "implied_report"
    row: int
    col: int
    declared: Decimal
    computed: Decimal
    parts: tuple[int, ...] = ()

    @property
    def holds(self) -> bool:
        return abs(self.declared - self.computed) <= TOLERANCE

    @property
    def difference(self) -> Decimal:
        return self.declared - self.computed


def _grand_index(g: Grid) -> int | None:
    """The first total row that is not a sub-total: rows after it are recap lines, not parts."""
    for r, tot in enumerate(g.is_total):
        if tot and not is_subtotal_label(g.labels[r]):
            return r
    return None


def _sum(g: Grid, rows: list[int], c: int) -> tuple[Decimal, tuple[int, ...]]:
    amounts = [(r, v) for r in rows if (v := g.values[r][c]) is not None]
    return sum((v for _, v in amounts), Decimal(0)), tuple(r for r, _ in amounts)


def column_checks(g: Grid) -> list[Check]:
    """Each total row against the detail rows above it (segment, then all rows, then the sub-totals)."""
    out: list[Check] = []
    grand = _grand_index(g)
    last_total = -1
    for t, tot in enumerate(g.is_total):
        if not tot:
            continue
        if grand is not None and t > grand:
            break
        segment = [r for r in range(last_total + 1, t) if not g.is_total[r]]
        every = [r for r in range(t) if not g.is_total[r]]
        subs = [r for r in range(t) if g.is_total[r]]
        last_total = t
        for c in range(len(g.col_roles)):
            declared = g.values[t][c]
            if declared is None:
                continue
            best: Check | None = None
            for rows in (segment, every, subs):
                computed, used = _sum(g, rows, c)
                if not used:
                    continue
                chk = Check("column", t, c, declared, computed, used)
                if best is None or chk.holds:
                    best = chk
                if chk.holds:
                    break
            if best is not None:
                out.append(best)
    return out


def _total_col(g: Grid, kind: str | None, col_kinds: list[str | None]) -> int | None:
    for c, role in enumerate(g.col_roles):
        if role == "total" and (not col_kinds or col_kinds[c] == kind):
            return c
    return None


# '(A+B+C+D+E)', or without brackets; a letter glued to a digit ends no formula ('A+B+C4+D4E': OCR read '+' as '4')
_FORMULA = re.compile(r"(?<![A-Za-z])([A-Z](?:\s*\+\s*[A-Z])+)(?![A-Za-z0-9])")
_LETTER = re.compile(r"^([A-Z])\s")
_CUT_FORMULA = re.compile(r"\s*\+")  # a formula ending on '+': its last letters are not in this header


def formula_parts(col_labels: list[str], tc: int) -> list[int]:
    """Columns a total header names by letter, 'F Budget global (A+B+C+D+E)' or '… prévu en 2022 A+B+C+D+E' → the
    columns headed A…E."""
    head = col_labels[tc] or ""
    m = _FORMULA.search(head)
    if not m or _CUT_FORMULA.match(head, m.end()):
        return []  # no formula, or one cut by a wrapped header ('A+B+C+D+' whose 'E' went to another line)
    letters = [x.strip() for x in m.group(1).split("+")]
    by_letter: dict[str, int] = {}
    for c, label in enumerate(col_labels):
        lm = _LETTER.match((label or "").strip())
        if lm and c != tc:
            by_letter.setdefault(lm.group(1), c)
    cols = [by_letter.get(x) for x in letters]
    return [c for c in cols if c is not None] if all(c is not None for c in cols) else []


INFER_MIN_SHARE = 0.6  # columns are taken as a total's parts when their sum equals it on this share of rows…
INFER_MIN_ROWS = 3  # …and on this many rows with a non-zero total
INFER_MAX_TERMS = 6  # parts a total column may add up at the most


def _sums(g: Grid, tc: int, parts: list[int] | tuple[int, ...]) -> tuple[int, int]:
    """(rows where the parts add up to the total column, rows where the total and every part are read), on rows
    with a non-zero total."""
    held = known = 0
    for vals in g.values:
        total = vals[tc]
        if not total or any(vals[c] is None for c in parts):
            continue
        known += 1
        held += abs(total - sum((v for c in parts if (v := vals[c]) is not None), Decimal(0))) <= TOLERANCE
    return held, known


def _fails_mostly(g: Grid, tc: int, parts: list[int]) -> bool:
    """The parts named by the columns' roles add up to the total on fewer than half the rows: not its parts."""
    held, known = _sums(g, tc, parts)
    return known >= INFER_MIN_ROWS and 2 * held < known


def inferred_parts(g: Grid, tc: int) -> list[int]:
    """The columns whose sum is the total column on most rows, when the header does not say which (a formula
    'F (A+B+C+D+E)' lost by OCR, roles misread): the subset that holds on most rows, the larger on a tie (columns
    of zeros count as parts). The rows are then checked one by one against it, so one wrong row still fails."""
    candidates = [c for c, role in enumerate(g.col_roles) if c != tc and role != "total"]
    best: tuple[int, int, tuple[int, ...]] | None = None
    for size in range(2, min(INFER_MAX_TERMS, len(candidates)) + 1):
        for terms in combinations(candidates, size):
            held, known = _sums(g, tc, terms)
            if held >= INFER_MIN_ROWS and held >= INFER_MIN_SHARE * known:
                key = (held, size, terms)
                if best is None or key[:2] > best[:2]:
                    best = key
    return list(best[2]) if best else []


def row_checks(g: Grid) -> list[Check]:
    """Each row's total column against its parts (État + Département + report + others) of the same period.

    Periods only split a table that names two of them (forecast and executed side by side); a lone column
    worded like a forecast ('Crédits CD affectés') among unmarked ones belongs to the same period."""
    if g.roles_as_rows or any(role is None for role in g.col_roles):
        return []  # a column of unknown meaning might be a part: no sum of parts can be trusted
    out: list[Check] = []
    col_kinds = g.col_kinds if len(set(k for k in g.col_kinds if k)) > 1 else []
    kinds = set(col_kinds) if col_kinds else {None}
    for kind in kinds:
        tc = _total_col(g, kind, col_kinds)
        if tc is None:
            continue
        parts = formula_parts(g.col_labels, tc) or [
            c for c, role in enumerate(g.col_roles) if role in PART_ROLES and (not col_kinds or col_kinds[c] == kind)
        ]
        if _fails_mostly(g, tc, parts) and not formula_parts(g.col_labels, tc):
            parts = inferred_parts(g, tc) or parts
        if len(parts) < 2:
            continue  # one "part" is no sum: a total beside a single column of its period is not its breakdown
        has_report_col = any(g.col_roles[c] == "report" for c in parts)
        implied = includes_report(g.col_labels[tc]) and not has_report_col
        for r, vals in enumerate(g.values):
            declared = vals[tc]
            amounts = [(c, v) for c in parts if (v := vals[c]) is not None]
            if declared is None or not amounts:
                continue
            used = tuple(c for c, _ in amounts)
            computed = sum((v for _, v in amounts), Decimal(0))
            kind_name = "implied_report" if implied else "row"
            out.append(Check(kind_name, r, tc, declared, computed, used))
    return out


def all_checks(g: Grid) -> list[Check]:
    return column_checks(g) + row_checks(g)


def failing(checks: list[Check]) -> list[Check]:
    """Checks that do not hold; an implied report only fails when the parts exceed the total."""
    return [c for c in checks if not c.holds and not (c.kind == "implied_report" and c.difference > 0)]


def score(g: Grid) -> tuple[int, int, Decimal]:
    """Higher is better: checks holding, minus failing ones, then smaller total gap."""
    checks = all_checks(g)
    bad = failing(checks)
    gap = sum((abs(c.difference) for c in bad), Decimal(0))
    return (len(checks) - len(bad), -len(bad), -gap)
