"""Budget tables → budget_lines, each with its measure, stage, part, level and parent.

Money stated in sentences is read with the other prose facts (calpae.indicators.prose, the 'prose' stage)."""

from __future__ import annotations

from calpae.budget.actions import link_actions
from calpae.budget.lines import table_lines
from calpae.budget.measures import MeasureMapper
from calpae.budget.resolve import resolve
from calpae.budget.stitch import stitch
from calpae.budget.tables import BudgetTable, read_budget_table
from calpae.classify.national import is_national
from calpae.models import Amount, BudgetLine, Document


def read_budget_tables(doc: Document) -> list[BudgetTable]:
    """Every table of the document recognised as a budget, ambiguities resolved."""
    out = []
    for table in stitch(doc.tables, doc):
        bt = read_budget_table(table, doc.year)
        if bt is not None:
            out.append(resolve(bt))
    return out


def extract_budget(doc: Document) -> tuple[list[BudgetLine], list[Amount]]:
    """Budget lines of every budget table, and an empty list of amounts (the prose stage gives those)."""
    if is_national(doc):
        return [], []  # the State's model tables and examples are not a département's budget
    mapper = MeasureMapper(doc)
    lines = [ln for bt in read_budget_tables(doc) for ln in table_lines(doc, bt, mapper)]
    link_actions(lines)
    return lines, []
