"""The prose's figures with what their sentence says about them, and the records built from them (types only: the
analysis in calpae.indicators.prose builds them, the facts, records and audit modules read them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from calpae.indicators.paragraphs import Sentence
from calpae.indicators.prose_numbers import Figure
from calpae.models import Amount, BudgetLine, IndicatorValue
from calpae.models.records import Level, Part, Scope, Stage


@dataclass
class ProseFigure:
    """One figure of the prose with what the sentence says about it."""

    sentence: Sentence
    figure: Figure
    label: str
    year: int | None
    kind: str  # actual, target, baseline, change, budget
    scope: Scope
    section: str | None
    heading: str | None = None
    part: Part | None = None
    stage: Stage | None = None
    level: Level | None = None
    noun: str | None = None  # the counted noun as written (for the prose checks)
    terms: tuple[str, ...] = ()  # the counted noun and the nouns naming it ('accompagnants psychologues')
    year_source: str = ""  # clause, sentence, carried, heading, note, document
    indicator_id: str | None = None
    measure_id: str | None = None

    @property
    def line(self):
        return self.sentence.line_at(self.figure.start)

    @property
    def unit(self) -> str:
        return {"percent": "%"}.get(self.figure.unit, self.figure.unit)


@dataclass
class ProseAnalysis:
    """What the prose of one document states: the figures, and the records built from them."""

    figures: list[ProseFigure] = field(default_factory=list)
    indicator_values: list[IndicatorValue] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    skipped: int = 0  # figures left out because no subject could be read
    malformed: list[tuple[Sentence, Figure]] = field(default_factory=list)  # broken numbers, with or without a subject
