"""Budget tables → budget_lines (with measure, stage, part, level), and money amounts stated in prose → amounts."""

from __future__ import annotations

from calpae.budget.actions import link_actions
from calpae.budget.lines import table_lines
from calpae.budget.measures import MeasureMapper
from calpae.budget.prose import prose_amounts
from calpae.budget.resolve import resolve
from calpae.budget.stitch import stitch
from calpae.budget.tables import BudgetTable, read_budget_table
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
    """Budget lines of every budget table, and the money stated in prose."""
    mapper = MeasureMapper(doc)
    lines = [ln for bt in read_budget_tables(doc) for ln in table_lines(doc, bt, mapper)]
    link_actions(lines)
    return lines, prose_amounts(doc)
