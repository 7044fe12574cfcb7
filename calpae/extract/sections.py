"""Section tree from numbered headings (placeholder)."""

from calpae.models import Document


def build_sections(doc: Document) -> None:
    """Fill doc.sections and each table's section."""
