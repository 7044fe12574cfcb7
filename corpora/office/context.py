"""One office document being composed: its plan, year, layout, truth and story, and how it prints amounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from corpora.compose import MONTHS, act_date, document_meta, make_stamp
from corpora.french import format_french
from corpora.layout import Stamp
from corpora.office.docx_kit import Block
from corpora.office.grid import Amount, Cell, Grid, register
from corpora.office.layout import OfficeLayout
from corpora.plan import Plan
from corpora.truth import Truth


@dataclass
class OfficeCtx:
    """What the builders of one document share."""

    plan: Plan
    year: int
    doc_type: str
    layout: OfficeLayout
    truth: Truth
    stamp: Stamp
    act_date: tuple[int, int, int]
    story: list[Block] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)

    def rng(self, *salt: object):
        return self.plan.rng("office", self.year, self.doc_type, *salt)

    def date_long(self) -> str:
        y, m, d = self.act_date
        return f"{d} {MONTHS[m - 1]} {y}"

    def money(self, value: Decimal, style: str | None = None) -> str:
        return format_french(value, style or self.layout.amount_style, dash_zero=self.layout.dash_zero)

    def amount(
        self,
        value: Decimal,
        role: str,
        stage: str,
        part: str,
        column: str,
        *,
        kind: str = "forecast",
        total: bool = False,
        year: int | None = None,
    ) -> Cell:
        """A right-aligned amount cell in the document's style."""
        a = Amount(value, role, stage, part, self.year if year is None else year, column, kind, total)
        a.raw = self.money(value)
        return Cell(a.raw, bold=total, align="right", amount=a)

    def add(self, kind: str, text: str = "", **extra: Any) -> None:
        self.story.append(Block(kind, text, **extra))

    def add_grid(self, grid: Grid) -> Grid:
        """Register the grid in the truth and put it in the story."""
        register(self.truth, grid, {"table_style": self.layout.borders, "amount_style_used": self.layout.amount_style})
        self.grids.append(grid)
        self.story.append(Block("grid", grid=grid))
        return grid

    def prose(self, text: str, amounts: list[tuple[Decimal, str]], **extra: Any) -> None:
        """A paragraph stating amounts, recorded with the page of its bookmark."""
        key = f"p{len(self.truth.prose_amounts)}s{len(self.story)}"  # letters and digits: kept as is in PDF names
        for value, raw in amounts:
            assert raw in text, raw
            self.truth.prose(key, text, value, raw, **extra)
        self.story.append(Block("p", text, mark=key))


def new_office_ctx(plan: Plan, year: int, doc_type: str, layout: OfficeLayout, file: str) -> OfficeCtx:
    """The truth and context of one office document (same metadata as the reportlab family, plus `family`)."""
    date = act_date(plan, year, doc_type)
    stamp = make_stamp(plan, year, doc_type, date)
    meta = document_meta(plan, year, doc_type, layout, date, stamp)
    meta = {"doc_type": doc_type, "family": "office", **meta}  # the family right after the type, as before
    return OfficeCtx(plan, year, doc_type, layout, Truth(file, meta), stamp, date)
