"""Document classification and metadata: doc_type, département, period."""

from calpae.models import Document


def classify_document(doc: Document) -> None:
    """Fill doc_type, departement_code/name and year/period from the cover, ACTES stamp and text."""
    if doc.actes and doc.actes.departement_code and not doc.departement_code:
        doc.departement_code = doc.actes.departement_code
