"""Run-table records from the prose figures: indicator values, amounts, and budget lines for money whose sentence
names part and stage."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from calpae.indicators.context import section_titles
from calpae.indicators.prose_figures import ProseAnalysis, ProseFigure
from calpae.models import Amount, BudgetLine, Document, IndicatorValue
from calpae.models.records import Role, Stage, ValueKind

_COLUMN_OF_STAGE = {
    "planned": "Prévu",
    "allocated": "Attribué",
    "executed": "Réalisé",
    "carried_in": "Report entrant",
    "to_carry_over": "Reste à reporter",
    "unspent": "Non consommé",
    "valorisation": "Valorisation",
}
_ROLE_OF_PART = {"etat": "etat", "departement": "departement", "total": "total", "other": "autre"}
_ROLE_OF_STAGE = {
    "valorisation": "valorisation",
    "unspent": "non_consomme",
    "carried_in": "report",
    "to_carry_over": "report",
}


def to_records(doc: Document, analysis: ProseAnalysis) -> None:
    """Indicator values, amounts and budget lines from the analysed figures."""
    for fact in analysis.figures:
        line = fact.line
        raw = fact.sentence.text[:400]
        f = fact.figure
        if f.unit == "EUR":
            analysis.amounts.append(
                Amount(
                    provenance=doc.provenance(page=line.page, line=line.line_no, bbox=line.bbox, raw=f.raw),
                    departement_code=doc.departement_code,
                    section=fact.section,
                    amount=f.value,
                    text=fact.sentence.text,
                    year=fact.year,
                    kind=fact.kind,
                    subject=fact.label,
                    scope=fact.scope,
                    part=fact.part,
                    stage=fact.stage,
                    level=fact.level,
                )
            )
            if fact.kind == "budget":
                analysis.budget_lines.append(_budget_line(doc, fact, raw))
            continue
        analysis.indicator_values.append(
            IndicatorValue(
                provenance=doc.provenance(page=line.page, line=line.line_no, bbox=line.bbox, raw=raw),
                departement_code=doc.departement_code,
                section=fact.section,
                measure_id=fact.measure_id,
                indicator_id=fact.indicator_id,
                indicator_label=fact.label,
                year=fact.year,
                value_kind=cast(ValueKind, fact.kind),  # a figure that is not money is never 'budget'
                value=f.value,
                unit=fact.unit,
                qualifier=f.note,
                origin="prose",
                scope=fact.scope,
            )
        )


def _action_of(doc: Document, fact: ProseFigure) -> str:
    """What a prose amount is for, specific enough to be one fact: its subject and the heading or section it sits
    under ('Financement départemental' is said of many actions)."""
    where = fact.heading or next(iter(section_titles(doc, fact.section)), None)
    return f"{fact.label} — {where}" if where and where != fact.label else fact.label


def _budget_line(doc: Document, fact: ProseFigure, raw: str) -> BudgetLine:
    line = fact.line
    stage: Stage = fact.stage or "planned"
    return BudgetLine(
        provenance=doc.provenance(page=line.page, line=line.line_no, bbox=line.bbox, raw=raw),
        departement_code=doc.departement_code,
        section=fact.section,
        measure_id=fact.measure_id,
        table_id="prose",
        table_kind="prose",
        row_label=fact.label,
        column_label=_COLUMN_OF_STAGE[stage],
        year=fact.year,
        role=cast(Role, _ROLE_OF_STAGE.get(stage) or _ROLE_OF_PART.get(fact.part or "", "autre")),
        amount=Decimal(fact.figure.value),
        is_total=fact.level == "grand_total",
        action=_action_of(doc, fact),
        stage=stage,
        part=fact.part,
        level=fact.level,
        origin="prose",
    )
