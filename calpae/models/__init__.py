"""Pydantic records: the document model and the extracted records."""

from calpae.models.document import (
    Actes,
    BBox,
    Cell,
    Document,
    Line,
    Page,
    Provenance,
    Section,
    Table,
    Word,
)
from calpae.models.records import (
    RECORD_TYPES,
    Amount,
    BudgetLine,
    CellRef,
    DocumentRow,
    Extraction,
    FigureCount,
    Finding,
    IndicatorValue,
    Record,
)

__all__ = [
    "Actes",
    "Amount",
    "BBox",
    "BudgetLine",
    "CellRef",
    "Cell",
    "Document",
    "DocumentRow",
    "Extraction",
    "FigureCount",
    "Finding",
    "IndicatorValue",
    "Line",
    "Page",
    "Provenance",
    "RECORD_TYPES",
    "Record",
    "Section",
    "Table",
    "Word",
]
