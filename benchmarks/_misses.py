"""Does calpae know what it missed? Each truth budget cell or indicator value the benchmark counts as missed is
"accounted for" when calpae reported it: an `unread_figure` finding (each figure of a `table_not_read` /
`table_partly_read` warning has one), a `meaning_guessed` warning (a figure read under a stage or part no header or
label said, the same meaning as another column of its row, or from a cell the reader was unsure of), or an
`ocr_repaired` warning (a figure calpae set from the table's sums, not as read: it names that one cell), or, on a
scan or text export whose born-digital PDF is in the corpus, a `copy_unread` finding of `calpae reconcile` (a figure
the PDF reads on that page and the copy holds in no record of the same meaning), whose cell
holds a figure on the same page with the same amount (the truth has no boxes, so "same page and overlapping box"
reduces to the page and the amount here). `ocr_suspect` / `reading_suspect` are not counted: they list every cell of
a failing sum, most of them read right. Reports and records are matched one to one: a
report accounts for one miss only (a recap page holds dozens of zero cells; one unread '-€' used to account for all
of them).

A miss that is not accounted for is either "read otherwise" (a record on the same page carries that amount, with
another label, role or year, and no warning says its meaning was guessed: calpae read the figure and misplaced it
silently) or "silent" (calpae neither read nor reported it). Truth values without a figure (NR, NC, Sans objet) are
counted apart: they are not numbers.

Precision of the reports: a report that accounts for no miss but names the page and amount of a truth figure calpae
read right is a false alarm (`false_reports`); warning on every record would make the recall 1.0 and be worthless.
Reports naming no truth figure (a prose amount, a figure the truth does not list) are neither.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from calpae.models import Extraction

UNREAD_CHECKS = frozenset({"unread_figure", "table_not_read", "table_partly_read", "meaning_guessed", "ocr_repaired"})
# the checks whose cells are counted: a table_not_read / table_partly_read warning lists the same figures as its
# unread_figure findings, counted once
FIGURE_CHECKS = frozenset({"unread_figure", "meaning_guessed", "ocr_repaired"})


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


def with_copy(rep: Counter, copy: Counter | None) -> Counter:
    """The document's own reports and those `calpae reconcile` makes on it as a weaker copy (`copy_unread`), a
    figure both name counted once: per page and amount, the more of the two."""
    return rep | copy if copy else Counter(rep)


def account(
    missed: list[tuple[int | None, Decimal | None]],
    ext: Extraction,
    read_right: list[tuple[int | None, Decimal]] | None = None,
    copy: Counter | None = None,
    own: Counter | None = None,
) -> Counter:
    """Counts of missed truth figures by fate: accounted, read_otherwise, silent, no_figure. Each report and each
    record stands for one figure: a miss takes one that is left, reports first. With read_right (page, value of the
    truth figures matched), also `reports` and `false_reports` (reports left that name a figure read right).
    copy: (page, |amount|) of the figures reconcile's `copy_unread` findings name on this document; own: those its
    own findings name once reconcile ran (default: as the extraction's findings say)."""
    rep, rec = with_copy(reported(ext) if own is None else Counter(own), copy), held(ext)
    total = sum(rep.values())
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
    if read_right is not None:
        out["reports"] += total
        right = Counter((page, abs(value)) for page, value in read_right)
        out["false_reports"] += sum(min(n, right[key]) for key, n in rep.items() if n > 0)
    return out


def recall(c: Counter) -> float | None:
    """Share of the missed figures (qualifiers apart) that calpae reported unread."""
    n = c["accounted"] + c["read_otherwise"] + c["silent"]
    return c["accounted"] / n if n else None


def read_right(truth: list[dict], pairs: list[tuple[int, int]], key: str) -> list[tuple[int | None, Decimal]]:
    """(page, value) of the truth items a prediction matched (those with a figure)."""
    return [(truth[t].get("page"), truth[t][key]) for t, _ in pairs if truth[t].get(key) is not None]


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
        reports, false = c.get("reports", 0), c.get("false_reports", 0)
        p = f"{(reports - false) / reports:.3f}" if reports else "–"
        rows.append([g, n, *(c.get(k, 0) for k in FATES), "–" if r is None else f"{r:.3f}", reports, false, p])
    print("\nMissed truth figures (budget cells + indicator values) and whether calpae reported them unread")
    print_table(["group", "missed", *FATES, "unread recall", "reports", "false reports", "precision"], rows)
