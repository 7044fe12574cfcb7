"""The document model: one shape for PDFs and text exports, from pages down to words and cells."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DocType = Literal[
    "rapport_execution",
    "convention",
    "avenant",
    "deliberation",
    "pdi_pti",
    "bilan",
    "instruction",
    "tableau_financier",
    "other",
]
Status = Literal["ok", "partial", "failed"]
InputKind = Literal["pdf", "text", "html"]
TableSource = Literal["ruled", "borderless", "text_layout", "tsv", "html", "ocr"]


class BBox(BaseModel):
    """A rectangle in PDF points, origin at the top-left of the page (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @classmethod
    def union(cls, boxes: list[BBox]) -> BBox | None:
        """Smallest box holding every box given, or None for an empty list."""
        if not boxes:
            return None
        return cls(
            x0=min(b.x0 for b in boxes),
            top=min(b.top for b in boxes),
            x1=max(b.x1 for b in boxes),
            bottom=max(b.bottom for b in boxes),
        )


class Provenance(BaseModel):
    """Where a record came from: enough to find the page (PDF) or the line (text) and re-read it."""

    document_id: str
    source: str
    page: int | None = None  # 1-based: PDFs, and text exports whose pages are split by form feeds
    line: int | None = None  # 1-based source line, text inputs only
    bbox: BBox | None = None
    raw: str = ""
    ocr: bool = False
    confidence: float | None = None  # mean OCR word confidence (0-100) when ocr
    repaired: str | None = None  # OCR figure not as read: set by its table's sums (says what OCR had read)
    unsure: str | None = None  # why OCR was unsure of this figure (low confidence, readings that disagree…)
    inferred: str | None = None  # a meaning the page does not print (a column's lost year), and whence it was taken


class Word(BaseModel):
    text: str
    bbox: BBox
    font: str | None = None
    size: float | None = None
    bold: bool = False
    upright: bool = True  # False for rotated glyphs (vertical header cells)
    rotation: int = 0  # rotated words: 90 reads bottom to top, 270 top to bottom (0: upright or not known)
    confidence: float | None = None  # OCR only


class Line(BaseModel):
    """One visual line (PDF) or one source line (text); furniture lines are kept but flagged."""

    text: str
    page: int | None = None
    line_no: int | None = None
    bbox: BBox | None = None
    words: list[Word] = Field(default_factory=list)
    bold: bool = False
    furniture: bool = False  # stamp, running header/footer, page number
    in_table: bool = False


class Cell(BaseModel):
    row: int
    col: int
    text: str
    bbox: BBox | None = None
    page: int | None = None
    line_no: int | None = None
    row_span: int = 1
    col_span: int = 1
    repaired: str | None = None  # OCR value set by the table's sums, not as read (says what OCR had read)
    unsure: str | None = None  # why OCR was unsure of this cell; None when read with confidence (or not OCRed)


class Table(BaseModel):
    """A grid of cells; a table that continues over several pages is one Table."""

    id: str  # "<document_id>-t<n>"
    source: TableSource
    pages: list[int] = Field(default_factory=list)
    line_start: int | None = None
    line_end: int | None = None
    n_rows: int = 0
    n_cols: int = 0
    cells: list[Cell] = Field(default_factory=list)
    section: str | None = None  # number of the enclosing section, e.g. "1.2.3"
    title: str | None = None  # caption or the line just above the table

    def grid(self) -> list[list[str]]:
        """Rows of cell texts, spans filled with the spanning cell's text only in its first slot."""
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            if c.row < self.n_rows and c.col < self.n_cols:
                rows[c.row][c.col] = c.text
        return rows

    def cell(self, row: int, col: int) -> Cell | None:
        for c in self.cells:
            if c.row == row and c.col == col:
                return c
        return None


class Section(BaseModel):
    number: str  # "1.1.5.1"
    title: str
    level: int
    page: int | None = None
    line_no: int | None = None
    parent: str | None = None
    top: float | None = None  # PDFs: the heading's top on its page, to place tables and records under it


class Actes(BaseModel):
    """What a prefecture ACTES stamp tells: ID : <dept>-<SIREN>-<YYYYMMDD>-<ref>-<nature>."""

    raw: str
    departement_code: str | None = None
    siren: str | None = None
    date: str | None = None  # ISO date of the act
    reference: str | None = None
    nature: str | None = None  # DE délibération, AR arrêté, AU autre, CC contrat/convention…
    sent: str | None = None  # "Envoyé en préfecture le"
    received: str | None = None  # "Reçu en préfecture le"
    displayed: str | None = None  # "Affiché le" (ISO date) when the stamp gives one
    prefecture: str | None = None  # "Transmis le … à la préfecture de <name>"


class Page(BaseModel):
    number: int  # 1-based; text inputs without page breaks are one page
    width: float | None = None
    height: float | None = None
    lines: list[Line] = Field(default_factory=list)
    has_text_layer: bool = True
    ocr: bool = False
    rotation: int = 0
    ocr_dpi: int | None = None  # resolution the page was OCRed at (below 300 when its size passed the pixel cap)
    # marks of an OCRed page's image that no OCR word covers (ink OCR left unread), in points
    ocr_ink: list[BBox] = Field(default_factory=list)
    garbled_share: float | None = None  # share of its text layer's characters that map to no text (None: not read)

    def confidences_in(self, bbox: BBox) -> list[float]:
        """OCR confidences of the words whose centre lies in bbox (a point of slack each side)."""
        return [
            w.confidence
            for ln in self.lines
            for w in ln.words
            if w.confidence is not None
            and bbox.x0 - 1 <= (w.bbox.x0 + w.bbox.x1) / 2 <= bbox.x1 + 1
            and bbox.top - 1 <= (w.bbox.top + w.bbox.bottom) / 2 <= bbox.bottom + 1
        ]

    def confidence_in(self, bbox: BBox | None) -> float | None:
        """Mean OCR confidence of the words whose centre lies in bbox (None without box or OCR words)."""
        confs = self.confidences_in(bbox) if bbox is not None else []
        return round(sum(confs) / len(confs), 1) if confs else None


class Document(BaseModel):
    id: str  # first 16 hex digits of the file's sha256
    source: str
    sha256: str
    kind: InputKind = "pdf"
    doc_type: DocType = "other"
    departement_code: str | None = None
    departement_name: str | None = None
    year: int | None = None
    period: str | None = None  # "2019", "2019-2021", "2016-2020"
    pages: list[Page] = Field(default_factory=list)
    page_count: int = 0
    page_breaks: bool = False  # text inputs: True when form feeds split the pages (a PDF always has pages)
    tables: list[Table] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    actes: Actes | None = None
    status: Status = "ok"
    errors: list[str] = Field(default_factory=list)

    def lines(self, include_furniture: bool = False) -> list[Line]:
        """Every line of the document in reading order."""
        return [ln for p in self.pages for ln in p.lines if include_furniture or not ln.furniture]

    def provenance(self, *, page: int | None, line: int | None, bbox: BBox | None, raw: str) -> Provenance:
        """A Provenance for this document: page for PDFs; source line for text inputs, and the page too where the
        text marks its pages (pdftotext ends each page with a form feed)."""
        is_pdf = self.kind == "pdf"
        ocr_page = next((p for p in self.pages if p.number == page and p.ocr), None) if is_pdf else None
        return Provenance(
            document_id=self.id,
            source=self.source,
            page=page if is_pdf or (self.kind == "text" and self.page_breaks) else None,
            line=None if is_pdf else line,
            bbox=bbox,
            raw=raw,
            ocr=ocr_page is not None,
            confidence=ocr_page.confidence_in(bbox) if ocr_page is not None else None,
        )
