"""Does calpae know what it missed? Each truth budget cell or indicator value the benchmark counts as missed is
"accounted for" when calpae reported it: an `unread_figure` finding (each figure of a `table_not_read` /
`table_partly_read` warning has one), or a `meaning_guessed` warning (a figure read under a stage and part no header
or label said), whose cell holds a figure on the same page with the same amount (the truth has no boxes, so "same
page and overlapping box" reduces to the page and the amount here). Reports and records are matched one to one: a
report accounts for one miss only (a recap page holds dozens of zero cells; one unread '-€' used to account for all
of them).

A miss that is not accounted for is either "read otherwise" (a record on the same page carries that amount, with
another label, role or year, and no warning says its meaning was guessed: calpae read the figure and misplaced it
silently) or "silent" (calpae neither read nor reported it). Truth values without a figure (NR, NC, Sans objet) are
counted apart: they are not numbers.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from calpae.models import Extraction

UNREAD_CHECKS = frozenset({"unread_figure", "table_not_read", "table_partly_read", "meaning_guessed"})
# the checks whose cells are counted: a table_not_read / table_partly_read warning lists the same figures as its
# unread_figure findings, counted once
FIGURE_CHECKS = frozenset({"unread_figure", "meaning_guessed"})


def reported(ext: Extraction) -> Counter:
    """(page, |amount|) of every figure calpae reported as not read (or read under a guessed meaning), with how many
    times: one report accounts for one miss (a page of zero cells holds many equal amounts)."""
    out: Counter = Counter()
    for f in ext.findings:
        if f.check in FIGURE_CHECKS:
            for c in f.cells:
                if c.value is not None:
                    out[(c.page if c.page is not None else f.provenance.page, abs(c.value))] += 1
    return out


def held(ext: Extraction) -> Counter:
    """(page, |amount|) of every figure a record carries, with how many times."""
    out: Counter = Counter((b.provenance.page, abs(b.amount)) for b in ext.budget_lines if b.amount is not None)
    out.update((v.provenance.page, abs(v.value)) for v in ext.indicator_values if v.value is not None)
    return out


def account(missed: list[tuple[int | None, Decimal | None]], ext: Extraction) -> Counter:
    """Counts of missed truth figures by fate: accounted, read_otherwise, silent, no_figure. Each report and each
    record stands for one figure: a miss takes one that is left, reports first."""
    rep, rec = reported(ext), held(ext)
    out: Counter = Counter()
    for page, value in missed:
        key = (page, abs(value)) if value is not None else None
        if key is None:
            out["no_figure"] += 1
        elif rep[key] > 0:
            rep[key] -= 1
            out["accounted"] += 1
        elif rec[key] > 0:
            rec[key] -= 1
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
