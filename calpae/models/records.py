"""Typed records extracted from documents; each carries its Provenance and flattens to one run-table row."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from calpae.models.document import BBox, Provenance

Role = Literal["etat", "departement", "total", "report", "valorisation", "non_consomme", "autre"]
# What an amount is the money of: planned (prévu, conventionné), allocated (versé, affecté), executed, carried in from
# N-1, to carry over to N+1 (à reporter, à reprogrammer), unspent (non consommé), valorisation of existing spending.
Stage = Literal["planned", "allocated", "executed", "carried_in", "to_carry_over", "unspent", "valorisation"]
# Whose money: the State's, the département's, other funders', or all of it.
Part = Literal["etat", "departement", "other", "total"]
# Where the line sits: the document's grand total, a group of measures' sub-total ('Sous-total engagements de mesures
# socle'), a measure (or its sub-total), an action, a detail line of an action.
Level = Literal["grand_total", "group", "measure", "action", "detail"]
STAGES: tuple[str, ...] = ("planned", "allocated", "executed", "carried_in", "to_carry_over", "unspent", "valorisation")
PARTS: tuple[str, ...] = ("etat", "departement", "other", "total")
LEVELS: tuple[str, ...] = ("grand_total", "group", "measure", "action", "detail")
ValueKind = Literal["baseline", "actual", "target", "change"]
Scope = Literal["departement", "local", "national", "other_territory"]
Severity = Literal["error", "warning", "info"]


def bbox_text(bbox: BBox | dict | None) -> str:
    """A box as one run-table cell: 'x0,top,x1,bottom' in PDF points, one decimal ('' without a box)."""
    if bbox is None:
        return ""
    b = bbox if isinstance(bbox, dict) else bbox.model_dump()
    return ",".join(f"{b[k]:.1f}" for k in ("x0", "top", "x1", "bottom"))


def _plain(value: object) -> object:
    """Decimals as plain dotted decimals (1207650.75), never exponent notation."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else value


class Record(BaseModel):
    """Base of every run-table record. COLUMNS is the table's schema, in order."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    TABLE: ClassVar[str] = ""
    PROVENANCE_COLUMNS: ClassVar[tuple[str, ...]] = ("document_id", "source", "page", "line", "raw", "bbox")

    provenance: Provenance
    departement_code: str | None = None
    section: str | None = None

    def to_row(self) -> dict[str, object]:
        """One flat row with exactly COLUMNS, provenance fields pulled up."""
        data = self.model_dump(exclude={"provenance"})
        prov = self.provenance.model_dump()
        row: dict[str, object] = {}
        for col in self.COLUMNS:
            if col == "bbox":
                row[col] = bbox_text(prov.get("bbox"))
            elif col in self.PROVENANCE_COLUMNS and col not in data:
                row[col] = _plain(prov.get(col))
            else:
                row[col] = _plain(getattr(self, col, data.get(col)))
        return row


class BudgetLine(Record):
    TABLE: ClassVar[str] = "budget_lines"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "document_id",
        "source",
        "departement_code",
        "page",
        "line",
        "section",
        "measure_id",
        "table_id",
        "table_kind",
        "row_label",
        "column_label",
        "year",
        "role",
        "amount",
        "is_total",
        "raw",
        "action",
        "row",
        "col",
        "bbox",
        "line_id",
        "stage",
        "part",
        "level",
        "parent",
        "measure_source",
        "origin",
    )
    measure_id: str | None = None
    measure_score: float | None = None
    measure_source: str | None = None  # how the measure was found: number, heading, chorus, label, group, action
    table_id: str
    table_kind: str  # forecast, executed, summary, action, financial_model…
    row_label: str
    column_label: str
    year: int | None = None
    role: Role = "autre"  # the reader's arithmetic role of the cell (the audit's sums of parts rest on it)
    # what the amount is and whose, where it sits: always given by budget tables; a sentence may name only some
    stage: Stage | None = None
    part: Part | None = None
    level: Level | None = None
    line_id: str | None = None  # "<table_id>/r<row>c<col>": unique within the document
    parent: str | None = None  # line_id of the line this one adds up into (its sub-total, its action), if any
    amount: Decimal | None = None
    is_total: bool = False
    row: int | None = None
    col: int | None = None
    action: str | None = None  # the action the amount belongs to ("" for a measure's or the document's own figure)
    note: str | None = None  # how the reader resolved an ambiguity in this row (the audit reports it)
    origin: Literal["table", "prose"] = "table"


class IndicatorValue(Record):
    TABLE: ClassVar[str] = "indicator_values"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "document_id",
        "source",
        "departement_code",
        "page",
        "line",
        "section",
        "measure_id",
        "indicator_id",
        "indicator_label",
        "year",
        "value_kind",
        "value",
        "unit",
        "qualifier",
        "raw",
        "origin",
        "table_id",
        "bbox",
        "scope",
    )
    measure_id: str | None = None
    indicator_id: str | None = None
    indicator_score: float | None = None
    indicator_label: str
    measure_label: str | None = None
    year: int | None = None
    value_kind: ValueKind = "actual"
    value: Decimal | None = None
    unit: str | None = None
    qualifier: str | None = None  # NR, NC, SO (sans objet), note such as "sur 9 mois"
    comment: str | None = None
    origin: Literal["table", "prose"] = "table"
    table_id: str | None = None
    scope: Scope | None = None  # prose: whose figure it is; only the département's own are facts of the dataset


class Amount(Record):
    """A money amount stated in prose, with its sentence."""

    TABLE: ClassVar[str] = "amounts"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "document_id",
        "source",
        "departement_code",
        "page",
        "line",
        "section",
        "amount",
        "unit",
        "text",
        "year",
        "kind",
        "subject",
        "scope",
        "part",
        "stage",
        "level",
    )
    amount: Decimal
    unit: str = "EUR"
    text: str
    year: int | None = None
    kind: str | None = None  # budget (part and stage named), actual, target, baseline, change
    subject: str | None = None
    scope: Scope | None = None
    part: Part | None = None
    stage: Stage | None = None
    level: Level | None = None


CellPart = Literal["declared", "part", "other"]


class CellRef(BaseModel):
    """One cell a finding involves: the declared figure, a part of its sum, or the figure it is compared with
    (another copy of the table, a summary's action table, the text). document_id None: the finding's document."""

    part: CellPart = "declared"
    table_id: str | None = None
    document_id: str | None = None
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    label: str = ""  # 'row label / column label', to name the cell in words
    value: Decimal | None = None

    @classmethod
    def of(cls, line: Record, part: CellPart = "declared", label: str = "") -> CellRef:
        """The cell of a record (a budget line or a prose amount), with its provenance."""
        p = line.provenance
        value = getattr(line, "amount", None)
        return cls(
            part=part,
            table_id=getattr(line, "table_id", None),
            document_id=p.document_id,
            page=p.page,
            line=p.line,
            bbox=p.bbox,
            label=label,
            value=value,
        )

    def to_json(self) -> dict[str, object]:
        """Compact JSON for the run table: empty fields left out, the box as 'x0,top,x1,bottom'."""
        data = {k: v for k, v in self.model_dump(exclude={"bbox"}).items() if v not in (None, "")}
        if "value" in data:
            data["value"] = format(data["value"], "f")
        if self.bbox is not None:
            data["bbox"] = bbox_text(self.bbox)
        return data


class Finding(Record):
    """One disagreement (or resolved ambiguity) found by the audit, with where it is."""

    TABLE: ClassVar[str] = "findings"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "document_id",
        "source",
        "page",
        "line",
        "section",
        "check",
        "severity",
        "declared",
        "computed",
        "difference",
        "message",
        "table_id",
        "bbox",
        "cells",
    )
    check: str
    severity: Severity = "error"
    declared: Decimal | None = None
    computed: Decimal | None = None
    difference: Decimal | None = None
    message: str = ""
    table_id: str | None = None
    cells: list[CellRef] = Field(default_factory=list)  # the cells involved, so a report can show them on the page

    def to_row(self) -> dict[str, object]:
        row = super().to_row()
        row["cells"] = json.dumps([c.to_json() for c in self.cells], ensure_ascii=False) if self.cells else ""
        return row


class FigureCount(BaseModel):
    """What became of the figures of a document (calpae.audit.figures): carried by a record, not data (a date, a
    page or section number, an identifier…), or neither (each one an `unread_figure` finding)."""

    read: int = 0
    not_data: int = 0
    unread: int = 0

    @property
    def share_read(self) -> float | None:
        """Figures read among the figures that are data (None when the document states none)."""
        data = self.read + self.unread
        return self.read / data if data else None

    def __add__(self, other: FigureCount) -> FigureCount:
        return FigureCount(
            read=self.read + other.read, not_data=self.not_data + other.not_data, unread=self.unread + other.unread
        )

    def summary(self) -> str:
        """'figures read: 97.3 % (1234 of 1268; 2345 not data)', for the run's summary lines."""
        share = self.share_read
        pct = "–" if share is None else f"{100 * share:.1f} %"
        return f"figures read: {pct} ({self.read} of {self.read + self.unread}; {self.not_data} not data)"


class DocumentRow(BaseModel):
    """The documents run-table row."""

    TABLE: ClassVar[str] = "documents"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "document_id",
        "source",
        "sha256",
        "doc_type",
        "departement_code",
        "departement_name",
        "year",
        "pages",
        "status",
        "error",
        "figures_read",
        "figures_not_data",
        "figures_unread",
        "input_kind",
        "ocr_pages",
    )


RECORD_TYPES: tuple[type[Record], ...] = (BudgetLine, IndicatorValue, Amount, Finding)


class Extraction(BaseModel):
    """Everything extracted from one document: the unit a worker hands to the store."""

    document: Document
    budget_lines: list[BudgetLine] = Field(default_factory=list)
    indicator_values: list[IndicatorValue] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    figures: FigureCount | None = None  # set by the audit stage; None when the document was not audited

    def document_row(self) -> dict[str, object]:
        d = self.document
        return {
            "document_id": d.id,
            "source": d.source,
            "sha256": d.sha256,
            "doc_type": d.doc_type,
            "departement_code": d.departement_code or "",
            "departement_name": d.departement_name or "",
            "year": d.period or (d.year if d.year is not None else ""),
            "pages": d.page_count,
            "status": d.status,
            "error": "; ".join(d.errors),
            "figures_read": self.figures.read if self.figures else "",
            "figures_not_data": self.figures.not_data if self.figures else "",
            "figures_unread": self.figures.unread if self.figures else "",
            # how the text was read (pdf, text, html; pages read by OCR): reconcile prefers a born-digital copy
            "input_kind": d.kind,
            "ocr_pages": sum(1 for p in d.pages if p.ocr),
        }


from calpae.models.document import Document  # noqa: E402

Extraction.model_rebuild()
