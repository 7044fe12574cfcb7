"""Budget tables → BudgetLine records, one per amount cell, with provenance, section and measure."""

from __future__ import annotations

import re
from typing import cast

from calpae.budget import vocab
from calpae.budget.tables import BudgetTable, Column, Row
from calpae.models import BudgetLine, Cell, Document
from calpae.models.records import Role


def section_of(
    doc: Document, page: int | None, line_no: int | None, fallback: str | None, top: float | None = None
) -> str | None:
    """The enclosing section number, from the sections helper when it is there."""
    try:
        from calpae.extract import section_at
    except ImportError:
        return fallback
    try:
        sec = section_at(doc, page, line_no, top=top)
    except Exception:  # the sections helper is optional here: fall back to the table's own section
        return fallback
    if sec is None:
        return fallback
    return getattr(sec, "number", sec) if not isinstance(sec, str) else sec


_BUDGET_HEADING = re.compile(r"\b(budget|pr[ée]visionnel|ex[ée]cut[ée]|r[ée]alis[ée]|financement|montants?)\b", re.I)


def action_of_section(doc: Document, section: str | None) -> str | None:
    """Title of the nearest enclosing section that is not itself a budget heading ("1.1.5.1 Budget…" → "1.1 …")."""
    by_number = {s.number: s for s in doc.sections}
    seen: set[str] = set()
    while section and section in by_number and section not in seen:
        seen.add(section)
        title = by_number[section].title.strip()
        if title and not _BUDGET_HEADING.search(title):
            return title
        section = by_number[section].parent
    return None


def _role(row: Row, col: Column, bt: BudgetTable) -> str:
    if bt.roles_as_rows:
        role = vocab.carry_role(row.label, vocab.role_of(row.label), col.year)
        return role or ("total" if row.is_total else "autre")
    if col.role:
        return col.role
    return "total"


def _column_label(col: Column, bt: BudgetTable) -> str:
    return col.label or ("Montant" if len(bt.columns) == 1 else "")


def table_lines(doc: Document, bt: BudgetTable, measure_of=None) -> list[BudgetLine]:
    """Every amount of a recognised budget table as a BudgetLine."""
    out: list[BudgetLine] = []
    t = bt.table
    for r_i, row in enumerate(bt.rows):
        for c_i, col in enumerate(bt.columns):
            money = row.money(c_i)
            if money is None:
                continue
            cell: Cell | None = row.cells[c_i] or row.label_cell
            page = cell.page if cell and cell.page else (t.pages[0] if t.pages else None)
            line_no = cell.line_no if cell and cell.line_no else t.line_start
            top = cell.bbox.top if cell and cell.bbox else None
            section = section_of(doc, page, line_no, t.section, top)
            prov = doc.provenance(
                page=page, line=line_no, bbox=cell.bbox if cell else None, raw=f"{row.label} | {money.raw}"
            )
            if cell is not None and (cell.repaired or cell.unsure):
                prov = prov.model_copy(update={"repaired": cell.repaired, "unsure": cell.unsure})
            # role rows (Part État / Total) and total rows name no action: the section names the measure
            own_label = "" if bt.roles_as_rows or row.is_total else row.label
            action = own_label or action_of_section(doc, section) or t.title or row.label
            measure_id, measure_score = measure_of(own_label, section) if measure_of else (None, None)
            out.append(
                BudgetLine(
                    provenance=prov,
                    departement_code=doc.departement_code,
                    section=section,
                    measure_id=measure_id,
                    measure_score=measure_score,
                    table_id=t.id,
                    table_kind=bt.kind,
                    row_label=row.label,
                    column_label=_column_label(col, bt),
                    year=col.year,
                    role=cast(Role, _role(row, col, bt)),
                    amount=money.value,
                    is_total=row.is_total,
                    row=r_i,
                    col=c_i,
                    note=row.note,
                    action=action,
                )
            )
    return out
