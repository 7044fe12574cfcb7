"""Budget tables → budget_lines, and money amounts stated in prose → amounts."""

from calpae.budget.extract import extract_budget, read_budget_tables

__all__ = ["extract_budget", "read_budget_tables"]
