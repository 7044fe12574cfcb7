"""Budget tables → budget_lines, and money amounts stated in prose → amounts."""

from __future__ import annotations

import logging
from collections.abc import Callable

from calpae.models import Amount, BudgetLine, Document

log = logging.getLogger(__name__)

MeasureOf = Callable[[str, str | None], tuple[str | None, float | None]]


def _measure_matcher(doc: Document) -> MeasureOf | None:
    """label, section → (measure_id, score) through the referential, when it is installed."""
    try:
        from calpae.referential import load_referential

        ref = load_referential()
    except Exception:  # referential not available yet: measure ids stay empty
        return None
    by_number = {s.number: s for s in doc.sections}

    def titles_up(section: str | None) -> list[str]:
        """Titles of the section and its ancestors, nearest first: the measure is usually named a level or two up."""
        titles, seen = [], set()
        while section and section in by_number and section not in seen:
            seen.add(section)
            titles.append(by_number[section].title)
            section = by_number[section].parent
        return titles

    looked_up: dict[tuple[str, str | None], tuple[str | None, float | None]] = {}

    def lookup(label: str, context: str | None) -> tuple[str | None, float | None]:
        key = (label, context)
        if key not in looked_up:
            looked_up[key] = _lookup(label, context)
        return looked_up[key]

    def _lookup(label: str, context: str | None) -> tuple[str | None, float | None]:
        try:
            found = ref.match_measure(label, context)
        except Exception:
            log.debug("referential match failed for %r", label, exc_info=True)
            return None, None
        if found is None:
            return None, None
        if isinstance(found, tuple):
            return (found[0], found[1] if len(found) > 1 else None)
        return getattr(found, "measure_id", None) or getattr(found, "id", None), getattr(found, "score", None)

    def match(label: str, section: str | None) -> tuple[str | None, float | None]:
        """The row's own measure when its label names one, else the nearest section title that names one."""
        titles = titles_up(section)
        from_section: tuple[str | None, float | None] = (None, None)
        for title in titles:
            from_section = lookup(title, None)
            if from_section[0]:
                break
        if label:
            own = lookup(label, None)
            if own[0]:
                return own
            if not from_section[0] and titles:
                return lookup(label, " ".join(titles))
        return from_section

    cache: dict[tuple[str, str | None], tuple[str | None, float | None]] = {}

    def cached(label: str, section: str | None) -> tuple[str | None, float | None]:
        key = (label, section)
        if key not in cache:
            cache[key] = match(label, section)
        return cache[key]

    return cached


def read_budget_tables(doc: Document):
    """Every table of the document recognised as a budget, ambiguities resolved."""
    from calpae.budget.resolve import resolve
    from calpae.budget.stitch import stitch
    from calpae.budget.tables import read_budget_table

    out = []
    for table in stitch(doc.tables):
        bt = read_budget_table(table, doc.year)
        if bt is not None:
            out.append(resolve(bt))
    return out


def extract_budget(doc: Document) -> tuple[list[BudgetLine], list[Amount]]:
    """Budget lines of every budget table, and an empty list of amounts: money stated in sentences is read with
    the other prose facts (calpae.indicators.prose, the 'prose' stage), which give amounts and budget lines."""
    from calpae.budget.lines import table_lines
    from calpae.classify.national import is_national

    if is_national(doc):
        return [], []  # the State's model tables and examples are not a département's budget
    measure_of = _measure_matcher(doc)
    lines = [ln for bt in read_budget_tables(doc) for ln in table_lines(doc, bt, measure_of)]
    return lines, []
