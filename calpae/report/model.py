"""What the report shows, read from the run database into plain objects (no SQL in the templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin top-left (the records' bbox)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @classmethod
    def parse(cls, text: str | None) -> Box | None:
        """'x0,top,x1,bottom' as stored in the run tables; None when empty or unreadable."""
        parts = (text or "").split(",")
        if len(parts) != 4:
            return None
        try:
            x0, top, x1, bottom = (float(p) for p in parts)
        except ValueError:
            return None
        return cls(x0, top, x1, bottom) if x1 >= x0 and bottom >= top else None

    def key(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @staticmethod
    def union(boxes: list[Box]) -> Box | None:
        if not boxes:
            return None
        return Box(
            min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes)
        )


@dataclass
class Document:
    document_id: str
    source: str
    doc_type: str
    departement_code: str
    departement_name: str
    year: str
    pages: int
    status: str
    error: str
    budget_lines: int = 0
    indicator_values: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count
    is_pdf: bool = True
    figures: tuple[int, int, int] | None = None  # figures read, not data, unread (the documents table's columns)

    @property
    def name(self) -> str:
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def figures_read(self) -> int:
        """Figures of the document carried by a record (a run database without the figure columns: its budget
        lines and indicator values)."""
        return self.figures[0] if self.figures is not None else self.budget_lines + self.indicator_values

    @property
    def figures_unread(self) -> int | None:
        """Figures that are data and in no record (None when the run did not count them)."""
        return self.figures[2] if self.figures is not None else None


@dataclass
class CellMark:
    """One cell a finding involves, placed on its document's page."""

    part: str  # declared, part, other
    document_id: str
    page: int | None
    line: int | None
    box: Box | None
    table_id: str | None
    label: str
    value: Decimal | None
    document_name: str = ""  # the file name, to name another document in words


@dataclass
class Finding:
    number: int  # the finding's page is finding/<number>.html
    document_id: str
    source: str
    page: int | None
    line: int | None
    section: str
    check: str
    severity: str
    declared: Decimal | None
    computed: Decimal | None
    difference: Decimal | None
    message: str
    table_id: str | None
    cells: list[CellMark] = field(default_factory=list)
    departement_code: str = ""
    is_money: bool = True  # False for indicator values (counts, rates): no € sign


@dataclass
class TableCell:
    row: int
    col: int
    amount: Decimal | None
    raw: str
    box: Box | None
    page: int | None
    line: int | None
    is_total: bool = False
    mark: str = ""  # declared / part / other when a finding involves it
    findings: list[int] = field(default_factory=list)


@dataclass
class TableColumn:
    col: int
    label: str
    role: str  # the role (or stage/part) of its cells, 'par ligne' when it changes down the column
    year: int | None = None


@dataclass
class TableRow:
    row: int
    label: str
    is_total: bool
    measure_id: str = ""


@dataclass
class Table:
    table_id: str
    document_id: str
    kind: str  # budget: table_kind (forecast, executed, summary…); indicateurs for indicator tables
    section: str
    columns: list[TableColumn]
    rows: list[TableRow]
    cells: dict[tuple[int, int], TableCell]
    pages: list[int]
    findings: list[int] = field(default_factory=list)
    is_budget: bool = True

    def boxes_on(self, page: int) -> list[Box]:
        return [c.box for c in self.cells.values() if c.page == page and c.box is not None]
