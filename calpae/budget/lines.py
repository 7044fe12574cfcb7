"""Budget tables → BudgetLine records, one per amount cell: provenance, section, measure, stage, part, level, parent."""

from __future__ import annotations

from collections import Counter
from typing import cast

from calpae.budget import vocab
from calpae.budget.levels import RowPlace, annexe_model, place_rows
from calpae.budget.meaning import (
    annexe_columns,
    column_letters,
    combine_stages,
    names_allocation,
    part_words,
    stage_words,
)
from calpae.budget.measures import BUDGET_HEADING, MeasureMapper
from calpae.budget.tables import BudgetTable, Column, Row
from calpae.extract import section_at
from calpae.models import BudgetLine, Cell, Document, Part, Stage
from calpae.models.records import Role

CARRIED = ("carried_in", "to_carry_over", "unspent")  # credits of another year, counted in the table's year
DEFAULT_STAGE: Stage = "planned"  # money no word qualifies is the year's budget: what a convention or summary states


def section_of(
    doc: Document, page: int | None, line_no: int | None, fallback: str | None, top: float | None = None
) -> str | None:
    """The enclosing section number at a place, else the table's own section."""
    return section_at(doc, page, line_no, top=top) or fallback


def _role(row: Row, col: Column, bt: BudgetTable) -> Role:
    if bt.roles_as_rows:
        role = vocab.carry_role(row.label, vocab.role_of(row.label), col.year)
        return cast(Role, role or ("total" if row.is_total else "autre"))
    return cast(Role, col.role or "total")


def _column_label(col: Column, bt: BudgetTable) -> str:
    return col.label or ("Montant" if len(bt.columns) == 1 else "")


def context_stage(bt: BudgetTable, mapper: MeasureMapper) -> Stage:
    """The stage the table's caption or the money headings above it name ('Budget exécuté'), else the default."""
    texts = [bt.table.title or ""]
    section, seen = bt.table.section, set()
    while section and section in mapper.sections and section not in seen:
        seen.add(section)
        texts.append(mapper.sections[section].title)
        section = mapper.sections[section].parent
    for text in texts:
        if BUDGET_HEADING.search(text) and (stage := stage_words(text)):
            return stage
    return DEFAULT_STAGE


def column_meanings(bt: BudgetTable) -> list[tuple[Stage | None, Part | None]]:
    """Stage and part each column header names; annexe-10 tables through the model's columns; 'affecté' credits
    are allocated in a table that reports execution, planned in a forecast."""
    labels = [c.label or "" for c in bt.columns]
    own = [
        (stage_words(lb, c.year, header=True), part_words(lb, header=True))
        for lb, c in zip(labels, bt.columns, strict=True)
    ]
    executes = any(s == "executed" for s, _ in own)
    out = []
    for (stage, part), label in zip(own, labels, strict=True):
        if stage is None and names_allocation(label):
            stage = "allocated" if executes else "planned"
        out.append((stage, part))
    if annexe_model(bt) or any(column_letters(labels)):
        model = annexe_columns(labels, executes)
        out = [(s or ms, p or mp) for (s, p), (ms, mp) in zip(out, model, strict=True)]
    return out


def cell_meanings(bt: BudgetTable, mapper: MeasureMapper) -> dict[tuple[int, int], tuple[Stage, Part]]:
    """(stage, part) of every amount cell: role rows by their label, item rows by their column; a total by what it
    sums when its own words say nothing."""
    context = context_stage(bt, mapper)
    columns = column_meanings(bt)
    out: dict[tuple[int, int], tuple[Stage, Part]] = {}
    if bt.roles_as_rows:
        for c, (col_stage, col_part) in enumerate(columns):
            year = bt.columns[c].year
            segment: list[Stage] = []
            for r, row in enumerate(bt.rows):
                if row.money(c) is None:
                    continue
                stage = stage_words(row.label, year)
                part = part_words(row.label)
                if row.is_total:
                    stage = stage or combine_stages(segment) or col_stage or context
                    out[(r, c)] = (stage, part or "total")
                    segment = []
                else:
                    stage = stage or col_stage or context
                    segment.append(stage)
                    out[(r, c)] = (stage, part or col_part or "total")
        return out
    of_parts = [s or context for s, p in columns if p != "total"]
    for c, (col_stage, col_part) in enumerate(columns):
        stage = col_stage or (combine_stages(of_parts) if col_part == "total" else None) or context
        for r, row in enumerate(bt.rows):
            if row.money(c) is not None:
                out[(r, c)] = (stage, col_part or "total")
    return out


def table_lines(doc: Document, bt: BudgetTable, mapper: MeasureMapper) -> list[BudgetLine]:
    """Every amount of a recognised budget table as a BudgetLine."""
    out: list[BudgetLine] = []
    t = bt.table
    places = place_rows(doc, bt, mapper)
    meanings = cell_meanings(bt, mapper)
    year = budget_year(bt, meanings)
    for r_i, row in enumerate(bt.rows):
        place = places[r_i]
        for c_i, col in enumerate(bt.columns):
            money = row.money(c_i)
            if money is None:
                continue
            cell: Cell | None = row.cells[c_i] or row.label_cell
            page = cell.page if cell and cell.page else (t.pages[0] if t.pages else None)
            line_no = cell.line_no if cell and cell.line_no else t.line_start
            top = cell.bbox.top if cell and cell.bbox else None
            prov = doc.provenance(
                page=page, line=line_no, bbox=cell.bbox if cell else None, raw=f"{row.label} | {money.raw}"
            )
            if cell is not None and (cell.repaired or cell.unsure):
                prov = prov.model_copy(update={"repaired": cell.repaired, "unsure": cell.unsure})
            stage, part = meanings[(r_i, c_i)]
            out.append(
                BudgetLine(
                    provenance=prov,
                    departement_code=doc.departement_code,
                    section=section_of(doc, page, line_no, t.section, top),
                    measure_id=place.measure.measure_id if place.measure else None,
                    measure_score=place.measure.score if place.measure else None,
                    measure_source=place.measure.source if place.measure else None,
                    table_id=t.id,
                    table_kind=bt.kind,
                    row_label=row.label,
                    column_label=_column_label(col, bt),
                    year=year if year is not None and stage in CARRIED else col.year,
                    role=_role(row, col, bt),
                    stage=stage,
                    part=part,
                    level=place.level,
                    line_id=line_id(t.id, r_i, c_i),
                    parent=_parent(bt, place, t.id, c_i),
                    amount=money.value,
                    is_total=row.is_total,
                    row=r_i,
                    col=c_i,
                    note=row.note,
                    action=place.action,
                )
            )
    return out


def budget_year(bt: BudgetTable, meanings: dict[tuple[int, int], tuple[Stage, Part]]) -> int | None:
    """The year a table budgets: the commonest year of its amounts that are not carried from or to another year
    (credits carried in from 2018 or still to carry to 2020 are money of the 2019 table)."""
    years = Counter(bt.columns[c].year for (_, c), (stage, _) in meanings.items() if stage not in CARRIED)
    years.pop(None, None)
    return years.most_common(1)[0][0] if years else None


def line_id(table_id: str, row: int, col: int) -> str:
    return f"{table_id}/r{row}c{col}"


def _parent(bt: BudgetTable, place: RowPlace, table_id: str, col: int) -> str | None:
    p = place.parent_row
    if p is None or bt.rows[p].money(col) is None:
        return None
    return line_id(table_id, p, col)
