"""What every generated document shares: its context (plan, year, layout, truth), dates, stamp and value formats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.platypus import BaseDocTemplate

from corpora.french import format_french
from corpora.layout import Layout, Stamp, Styles, document_template
from corpora.plan import Plan
from corpora.truth import Truth

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
NATURES = {"convention": "CC", "avenant": "CC"}


@dataclass
class Ctx:
    """One document being composed."""

    plan: Plan
    year: int
    doc_type: str
    layout: Layout
    truth: Truth
    styles: Styles
    act_date: tuple[int, int, int]  # (year, month, day) of the act
    stamp: Stamp

    @property
    def dept(self):
        return self.plan.dept

    def rng(self, *salt: object):
        return self.plan.rng(self.year, self.doc_type, *salt)

    def money(self, value: Decimal, style: str | None = None) -> str:
        return format_french(value, style or self.layout.amount_style, dash_zero=self.layout.dash_zero)

    def date_long(self) -> str:
        y, m, d = self.act_date
        return f"{d} {MONTHS[m - 1]} {y}"


def act_date(plan: Plan, year: int, doc_type: str) -> tuple[int, int, int]:
    """When the act was adopted: conventions in the spring of their year, reports and tables the next spring."""
    rng = plan.rng(year, doc_type, "date")
    if doc_type in ("convention", "avenant"):
        return year, rng.randint(4, 7), rng.randint(1, 28)
    return year + 1, rng.randint(3, 4), rng.randint(1, 28)


def make_stamp(plan: Plan, year: int, doc_type: str, date: tuple[int, int, int]) -> Stamp:
    """The prefecture stamp: sent and received a few days after the act, with its ACTES identifier."""
    rng = plan.rng(year, doc_type, "stamp")
    y, m, d = date
    later = min(d + rng.randint(1, 3), 28)
    nature = NATURES.get(doc_type, "DE")
    ref = f"{rng.choice(['CP', 'CD', 'DEL', 'COMINS'])}{y % 100:02d}{m:02d}_{rng.randint(1, 99):02d}"
    actes = f"{plan.dept.actes_code}-{plan.dept.siren}-{y}{m:02d}{d:02d}-{ref}-{nature}"
    posted = f"{later:02d}/{m:02d}/{y}" if rng.random() < 0.5 else ""
    return Stamp(f"{later:02d}/{m:02d}/{y}", f"{later:02d}/{m:02d}/{y}", posted, actes)


def new_ctx(plan: Plan, year: int, doc_type: str, layout: Layout, file: str) -> Ctx:
    """Set up the truth and styles of one document."""
    date = act_date(plan, year, doc_type)
    stamp = make_stamp(plan, year, doc_type, date)
    meta = document_meta(plan, year, doc_type, layout, date, stamp)
    return Ctx(plan, year, doc_type, layout, Truth(file, meta), Styles(layout), date, stamp)


def document_meta(plan: Plan, year: int, doc_type: str, layout: Any, date: tuple[int, int, int], stamp: Any) -> dict:
    """The truth's metadata of one document (every family): département, year, act date, ACTES stamp, layout."""
    return {
        "doc_type": doc_type,
        "departement_code": plan.dept.code,
        "departement_name": plan.dept.name,
        "region": plan.dept.region,
        "year": year,
        "act_date": "{:04d}-{:02d}-{:02d}".format(*date),
        "actes_id": stamp.actes_id if layout.stamps else None,
        "siren": plan.dept.siren,
        "layout": layout.as_dict(),
        "seed": plan.seed,
        "stamp_lines": stamp.lines() if layout.stamps else [],
    }


def render(
    ctx: Ctx, story: list, path: Path, header: str, footer: str, title: str, start_landscape: bool = False
) -> None:
    """Lay the story out into `path` and resolve the truth's pages."""
    doc: BaseDocTemplate = document_template(str(path), ctx.layout, ctx.stamp, header, footer, title, start_landscape)
    doc.build(story)
    ctx.truth.document["title"] = title
    ctx.truth.document["running_header"] = header if ctx.layout.running else None
    ctx.truth.resolve_pages(doc.page)


def indicator_text(value: Decimal | str, unit: str, style: str) -> str:
    """An indicator value as printed: counts with French thousands, percents with %, qualifiers as is."""
    if isinstance(value, str):
        return value
    if unit == "percent":
        text = format(value.normalize(), "f").replace(".", ",")
        return f"{text} %" if style in ("space", "nbsp", "space_dec") else f"{text}%"
    digits = format(value, "f")
    if len(digits) > 3:
        sep = "." if style.startswith("dot") else " "
        digits = f"{digits[:-3]}{sep}{digits[-3:]}"
    return f"{digits} j" if unit == "days" else digits
