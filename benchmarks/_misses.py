"""Does calpae know what it missed? Each truth budget cell or indicator value the benchmark counts as missed is
"accounted for" when calpae reported it: an `unread_figure` finding, or a `table_not_read` / `table_partly_read`
warning, whose cells hold a figure on the same page with the same amount (the truth has no boxes, so "same page
and overlapping box" reduces to the page and the amount here).

A miss that is not accounted for is either "read otherwise" (a record on the same page carries that amount, with
another label, role or year: calpae read the figure and misplaced it) or "silent" (calpae neither read nor
reported it). Truth values without a figure (NR, NC, Sans objet) are counted apart: they are not numbers.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from calpae.models import Extraction

UNREAD_CHECKS = frozenset({"unread_figure", "table_not_read", "table_partly_read", "meaning_guessed"})


def reported(ext: Extraction) -> set[tuple[int | None, Decimal]]:
    """(page, |amount|) of every figure calpae reported as not read."""
    out = set()
    for f in ext.findings:
        if f.check in UNREAD_CHECKS:
            for c in f.cells:
                if c.value is not None:
                    out.add((c.page if c.page is not None else f.provenance.page, abs(c.value)))
    return out


def held(ext: Extraction) -> set[tuple[int | None, Decimal]]:
    """(page, |amount|) of every figure a record carries."""
    out = {(b.provenance.page, abs(b.amount)) for b in ext.budget_lines if b.amount is not None}
    out |= {(v.provenance.page, abs(v.value)) for v in ext.indicator_values if v.value is not None}
    return out


def account(missed: list[tuple[int | None, Decimal | None]], ext: Extraction) -> Counter:
    """Counts of missed truth figures by fate: accounted, read_otherwise, silent, no_figure."""
    rep, rec = reported(ext), held(ext)
    out: Counter = Counter()
    for page, value in missed:
        if value is None:
            out["no_figure"] += 1
        elif (page, abs(value)) in rep:
            out["accounted"] += 1
        elif (page, abs(value)) in rec:
            out["read_otherwise"] += 1
        else:
            out["silent"] += 1
    return out


def recall(c: Counter) -> float | None:
    """Share of the missed figures (qualifiers apart) that calpae reported unread."""
    n = c["accounted"] + c["read_otherwise"] + c["silent"]
    return c["accounted"] / n if n else None


def missed(truth: list[dict], pairs: list[tuple[int, int]], key: str) -> list[tuple[int | None, Decimal | None]]:
    """(page, value) of the truth items no prediction matched; key: 'amount' (budget) or 'dvalue' (indicators)."""
    hit = {t for t, _ in pairs}
    return [(t.get("page"), t.get(key)) for i, t in enumerate(truth) if i not in hit]


FATES = ("accounted", "read_otherwise", "silent", "no_figure")


def print_accounting(groups: dict, names: list[str], print_table) -> None:
    """The table of missed figures by fate, per family and copy kind."""
    rows = []
    for g in names:
        c = groups[g].get("misses")
        if not c:
            continue
        n = sum(c.get(k, 0) for k in FATES[:3])
        r = recall(Counter(c))
        rows.append([g, n, *(c.get(k, 0) for k in FATES), "–" if r is None else f"{r:.3f}"])
    print("\nMissed truth figures (budget cells + indicator values) and whether calpae reported them unread")
    print_table(["group", "missed", *FATES, "unread recall"], rows)
