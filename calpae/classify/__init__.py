"""Document classification and metadata: doc_type, issuing département, year/period, from cover and text."""

from __future__ import annotations

from calpae.classify.doctype import choose_doc_type, score_doc_types
from calpae.classify.head import body_lines, head_lines
from calpae.classify.issuer import find_issuer
from calpae.classify.period import choose_period, gather
from calpae.models import Document
from calpae.referential import load_referential


def classify_document(doc: Document) -> None:
    """Fill doc_type, departement_code/name and year/period; values already set by a reader are kept."""
    ref = load_referential()
    head = head_lines(doc)
    body = body_lines(doc)
    nature = doc.actes.nature if doc.actes else None
    doc_type = doc.doc_type if doc.doc_type != "other" else choose_doc_type(score_doc_types(head, body, nature))
    doc.doc_type = doc_type  # type: ignore[assignment]
    if not doc.departement_code:
        doc.departement_code = find_issuer(doc, doc_type, head, body, ref)
    if doc.departement_code and not doc.departement_name:
        dep = ref.departement_by_code(doc.departement_code)
        doc.departement_name = _collectivite_name(head, doc.departement_code, ref) or (dep.name if dep else None)
    if doc.year is None and doc.period is None:
        doc.year, doc.period = choose_period(gather(head), doc_type)


def _collectivite_name(head: list, code: str, ref) -> str | None:
    """The name of a collectivité covering several départements when the cover names it ('Collectivité
    européenne d'Alsace' for 67 and 68): the document is that collectivité's, filed under its first code."""
    for line in head:
        for m in ref.departement_mentions(line.text):
            if m.code == code and len(m.all_codes) > 1:
                return m.text
    return None


__all__ = ["classify_document"]
