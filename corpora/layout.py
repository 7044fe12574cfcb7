"""Layout machinery on reportlab platypus: page templates with stamps and running heads, marks, rotated cells,
tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from corpora.french import fits_style, format_french
from corpora.truth import Truth

FONT_FAMILIES = {
    "helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "times": ("Times-Roman", "Times-Bold", "Times-Italic"),
}


@dataclass(frozen=True)
class Layout:
    """The layout options of one document (all recorded in its truth)."""

    table_style: str = "ruled"  # ruled | borderless
    wrap_labels: bool = False  # narrow label columns: labels over 2-3 lines
    split_tables: bool = False  # a long detail table that runs over several pages
    landscape: bool = False  # wide tables on landscape pages
    rotated_headers: bool = False  # value column headers drawn at 90°
    stamps: bool = True  # ACTES prefecture stamp on every page
    running: bool = True  # running header and footer with page numbers
    body_font: str = "helvetica"  # body text and table cells
    heading_font: str = "times"  # titles and headings (a second family unless fonts are disabled)
    amount_style: str = "dot_dec"  # see corpora.french.STYLES
    dash_zero: bool = True  # zero written "- €"
    columns_orientation: bool = False  # forecast tables with Part État / Département / Total as columns
    scan: bool = False  # rendered to noisy, skewed page images

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Stamp:
    """The ACTES block a prefecture adds to each page of a transmitted act."""

    sent: str
    received: str
    posted: str
    actes_id: str

    def lines(self) -> list[str]:
        return [
            f"Envoyé en préfecture le {self.sent}",
            f"Reçu en préfecture le {self.received}",
            f"Affiché le {self.posted}".rstrip(),
            f"ID : {self.actes_id}",
        ]


class Mark(Flowable):
    """Zero-size flowable that notes the page it lands on (for the ground truth)."""

    def __init__(self, truth: Truth, key: str):
        super().__init__()
        self.truth, self.key = truth, key

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.truth.pages.setdefault(self.key, self.canv.getPageNumber())


class Rotated(Flowable):
    """A header cell whose text reads bottom to top, as in spreadsheets printed from Excel."""

    def __init__(self, text: str, font: str, size: float = 7):
        super().__init__()
        self.text, self.font, self.size = text, font, size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = self.size * 1.4, stringWidth(self.text, self.font, self.size) + 4
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFont(self.font, self.size)
        c.rotate(90)
        c.drawString(2, -self.width + self.size * 0.35, self.text)
        c.restoreState()


@dataclass
class Money:
    """A budget cell to print and record: amount, meaning (role, year, kind; stage and part for the dataset), and
    printed text if odd."""

    amount: Decimal
    role: str
    year: int | None
    column: str
    is_total: bool = False
    kind: str = "forecast"
    raw: str | None = None
    cid: str | None = None
    stage: str | None = None  # planned, allocated, executed, carried_in, to_carry_over, unspent, valorisation
    part: str | None = None  # etat, departement, other, total


@dataclass
class Value:
    """An indicator value to print and record: printed text plus its meaning."""

    text: str
    fields: dict[str, Any]


@dataclass
class Row:
    """One table row: its cells (text, Money or flowables) and its label for the truth."""

    cells: list[Any]
    label: str
    is_total: bool = False
    measure_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    level: str | None = None  # grand_total, measure, action, detail
    action: str = ""  # the action the row's amounts belong to ("" for a measure's or the document's figure)


class Styles:
    """Paragraph styles of one document, in its two font families."""

    def __init__(self, layout: Layout):
        body, bold, italic = FONT_FAMILIES[layout.body_font]
        head, head_bold, _ = FONT_FAMILIES[layout.heading_font]
        self.body_font, self.bold_font, self.head_font = body, bold, head_bold
        self.body = ParagraphStyle("body", fontName=body, fontSize=10, leading=13, alignment=TA_JUSTIFY, spaceAfter=6)
        self.title = ParagraphStyle("title", fontName=head_bold, fontSize=16, leading=20, spaceAfter=12, alignment=1)
        self.h1 = ParagraphStyle(
            "h1", fontName=head_bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=6, keepWithNext=1
        )
        self.h2 = ParagraphStyle(
            "h2", fontName=head_bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4, keepWithNext=1
        )
        self.h3 = ParagraphStyle(
            "h3", fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=1
        )
        self.cell = ParagraphStyle("cell", fontName=body, fontSize=8, leading=9.5)
        self.cell_bold = ParagraphStyle("cellb", fontName=bold, fontSize=8, leading=9.5)
        self.italic = ParagraphStyle("it", fontName=italic, fontSize=9, leading=11, spaceAfter=4)


def money_text(m: Money, layout: Layout, style: str | None = None) -> str:
    """The printed text of a Money cell in the document's amount style."""
    if m.raw is not None:
        return m.raw
    style = style or layout.amount_style
    return format_french(m.amount, style, dash_zero=layout.dash_zero)


def table_amount_style(rows: list[Row], layout: Layout) -> str:
    """The document's style, unless k€/M€ would round one of the table's amounts."""
    amounts = [c.amount for r in rows for c in r.cells if isinstance(c, Money)]
    if all(fits_style(a, layout.amount_style) for a in amounts):
        return layout.amount_style
    return "space_dec" if layout.amount_style == "meur" else "space"


def make_table(
    truth: Truth,
    styles: Styles,
    layout: Layout,
    *,
    kind: str,
    title: str,
    section: str | None,
    header: list[list[Any]],
    rows: list[Row],
    widths: list[float],
    measure_id: str | None = None,
    repeat_header: bool = True,
    font_size: float = 8,
) -> Table:
    """Build a platypus Table, recording every Money cell (with its row's page mark) in the truth."""
    style_name = table_amount_style(rows, layout)
    t_index = truth.new_table(
        kind, {"amount_style_used": style_name, "table_style": layout.table_style}, section, title
    )
    truth.tables[t_index]["columns"] = [_plain(h) for h in header[-1]]
    data: list[list[Any]] = [[_header_cell(h, styles, layout, font_size) for h in line] for line in header]
    ts = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), styles.body_font),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("ALIGN", (1, len(header)), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2 if font_size < 8 else 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2 if font_size < 8 else 4),
    ]
    for r_index, row in enumerate(rows):
        line: list[Any] = []
        for c_index, cell in enumerate(row.cells):
            if isinstance(cell, Money):
                cell.cid = truth.cell(
                    t_index,
                    r_index,
                    c_index,
                    kind=cell.kind,
                    measure_id=row.measure_id or measure_id,
                    row_label=row.label,
                    column_label=cell.column,
                    role=cell.role,
                    year=cell.year,
                    amount=cell.amount,
                    raw=money_text(cell, layout, style_name),
                    is_total=cell.is_total or row.is_total,
                    stage=cell.stage,
                    part=cell.part,
                    level=row.level,
                    action=row.action,
                )
                line.append(money_text(cell, layout, style_name))
            elif isinstance(cell, Value):
                truth.indicator(table=t_index, row=r_index, raw=cell.text, **cell.fields)
                line.append(cell.text)
            elif isinstance(cell, str):
                line.append(Paragraph(_esc(cell), styles.cell_bold if row.is_total else styles.cell) if cell else "")
            else:
                line.append(cell)
        first = line[0]
        if isinstance(first, str):
            first = [Paragraph(_esc(first), styles.cell)] if first else []
        line[0] = [Mark(truth, f"t{t_index}r{r_index}"), *(first if isinstance(first, list) else [first])]
        data.append(line)
        if row.is_total:
            ts.append(("FONTNAME", (0, len(data) - 1), (-1, len(data) - 1), styles.bold_font))
    if layout.table_style == "ruled":
        ts += [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, len(header) - 1), colors.Color(0.88, 0.88, 0.88)),
        ]
    table = Table(data, colWidths=widths, repeatRows=len(header) if repeat_header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(ts))
    return table


def _header_cell(h: Any, styles: Styles, layout: Layout, size: float) -> Any:
    style = ParagraphStyle("head", parent=styles.cell_bold, fontSize=size, leading=size * 1.2)
    if isinstance(h, tuple) and h[0] == "rot":
        text = h[1]
        return Rotated(text, styles.bold_font, size) if layout.rotated_headers else Paragraph(_esc(text), style)
    return Paragraph(_esc(h), style) if isinstance(h, str) and h else h


def _plain(h: Any) -> str:
    return h[1] if isinstance(h, tuple) else (h if isinstance(h, str) else "")


def rot(text: str) -> tuple[str, str]:
    """A header cell that is rotated when the layout asks for rotated headers."""
    return ("rot", text)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def prose(truth: Truth, styles: Styles, text: str, amounts: list[tuple[Decimal, str]], **extra: Any) -> Flowable:
    """A paragraph stating amounts; each (amount, printed text) is recorded with the sentence and page."""
    key = f"p{len(truth.prose_amounts)}_{len(truth.pages)}_{len(text)}"
    for amount, raw in amounts:
        assert raw in text, raw
        truth.prose(key, text, amount, raw, **extra)
    return KeepTogether([Mark(truth, key), Paragraph(_esc(text), styles.body)])


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A plain paragraph (text escaped)."""
    return Paragraph(_esc(text), style)


def document_template(
    path: str, layout: Layout, stamp: Stamp, header: str, footer: str, title: str, start_landscape: bool = False
) -> BaseDocTemplate:
    """A two-template document (portrait, landscape) whose pages carry the stamp and running heads."""
    doc = BaseDocTemplate(
        path,
        pagesize=A4,
        invariant=True,
        title=title,
        author="Conseil départemental",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=3.2 * cm,
        bottomMargin=2 * cm,
    )
    decorate = _decorator(layout, stamp, header, footer)
    templates = []
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            size[0] - doc.leftMargin - doc.rightMargin,
            size[1] - doc.topMargin - doc.bottomMargin,
            id=name,
        )
        templates.append(PageTemplate(id=name, frames=[frame], onPage=decorate, pagesize=size))
    doc.addPageTemplates(templates[::-1] if start_landscape else templates)
    return doc


def _decorator(layout: Layout, stamp: Stamp, header: str, footer: str):
    def decorate(canvas, doc) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        if layout.stamps:
            x, y = width - 2 * cm - 6.2 * cm, height - 0.6 * cm
            canvas.setLineWidth(0.6)
            canvas.rect(x - 4, y - 44, 6.2 * cm + 4, 46)
            canvas.setFont("Helvetica", 7)
            for i, line in enumerate(stamp.lines()):
                canvas.drawString(x, y - 9 - i * 10, line)
        if layout.running:
            head_font = FONT_FAMILIES[layout.heading_font][2]
            canvas.setFont(head_font, 8)
            canvas.drawString(2 * cm, height - 1.1 * cm, header)
            canvas.line(2 * cm, height - 2.6 * cm, width - 2 * cm, height - 2.6 * cm)
            canvas.setFont(FONT_FAMILIES[layout.body_font][0], 8)
            canvas.drawString(2 * cm, 1.1 * cm, footer)
            canvas.drawRightString(width - 2 * cm, 1.1 * cm, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    return decorate
