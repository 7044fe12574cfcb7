"""Documents that are not a département's: the State's instructions, circulars and information notes.

Their tables are models and their figures examples or national totals; they teach the referential (measures,
indicators, financial columns) but state no département fact, so the budget, indicator and prose stages read
nothing from them and say so.
"""

from __future__ import annotations

from calpae.models import Document, Finding

NATIONAL_TYPES = frozenset({"instruction"})  # doc_type of texts issued by the State (circulaires are typed so too)


def is_national(doc: Document) -> bool:
    """A document of the State, not of a département."""
    return doc.doc_type in NATIONAL_TYPES


def national_finding(doc: Document) -> Finding:
    """The info finding that says why a national document yields no département fact."""
    return Finding(
        provenance=doc.provenance(page=1 if doc.kind == "pdf" else None, line=None, bbox=None, raw=doc.doc_type),
        check="national_document",
        severity="info",
        message=(
            f"{doc.doc_type}: a document of the State, not of a département; its tables and figures are models, "
            "examples or national totals and were not read as département facts"
        ),
    )
