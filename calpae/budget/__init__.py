"""Budget tables → budget_lines, and money amounts stated in prose → amounts."""

from calpae.models import Amount, BudgetLine, Document


def extract_budget(doc: Document) -> tuple[list[BudgetLine], list[Amount]]:
    return [], []
