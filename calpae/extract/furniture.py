"""Page furniture: prefecture stamps, running headers/footers, page numbers (placeholder)."""

from calpae.models import Document


def mark_furniture(doc: Document) -> None:
    """Flag furniture lines and keep what the ACTES stamp tells on doc.actes."""
