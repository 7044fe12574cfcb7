"""The issuing département: the ACTES stamp first, else names on the cover, else institution mentions in the body."""

from __future__ import annotations

import re
from collections import defaultdict

from calpae.classify.head import HeadLine
from calpae.classify.national import NATIONAL_TYPES  # issued by the State: départements named are examples
from calpae.models import Document
from calpae.referential import Referential
from calpae.referential.departements import STRONG

_ACTES_ID = re.compile(r"\bID\s*:\s*(\d{3}|0?2[AB])-(\d{9})-(\d{8})-", re.IGNORECASE)
HEAD_MIN = 1.0


def actes_code(doc: Document, ref: Referential) -> str | None:
    """The département code of the ACTES stamp (doc.actes, else the 'ID : 011-…' line itself)."""
    if doc.actes and doc.actes.departement_code:
        d = ref.departement_by_code(doc.actes.departement_code)
        if d:
            return d.code
    for ln in doc.lines(include_furniture=True):
        m = _ACTES_ID.search(ln.text)
        if m and (d := ref.departement_by_code(m.group(1))):
            return d.code
    return None


def head_scores(head: list[HeadLine], ref: Referential) -> dict[str, float]:
    """Per département: mention strength × position weight × title boost over the cover and first pages."""
    scores: dict[str, float] = defaultdict(float)
    for line in head:
        for m in ref.departement_mentions(line.text):
            scores[m.code] += m.strength * line.weight * (1.5 if line.title else 1.0)
    return dict(scores)


def body_scores(lines: list[str], ref: Referential) -> dict[str, float]:
    """Per département: count of institution-word mentions ('Département du Lot', 'CD 47') in the whole text."""
    scores: dict[str, float] = defaultdict(float)
    for text in lines:
        for m in ref.departement_mentions(text):
            if m.strength >= STRONG:
                scores[m.code] += 1.0
    return dict(scores)


def find_issuer(doc: Document, doc_type: str, head: list[HeadLine], body: list[str], ref: Referential) -> str | None:
    """Code of the département that issued the document, or None (national texts, nothing conclusive)."""
    stamp = actes_code(doc, ref)
    if stamp and not (_read_by_ocr(doc) and _named_apart(head_scores(head, ref), stamp)):
        return stamp
    if doc_type in NATIONAL_TYPES:
        return stamp
    for scores, minimum in ((head_scores(head, ref), HEAD_MIN), (body_scores(body, ref), 1.0)):
        if code := _clear_winner(scores, minimum):
            return code
    return stamp


def _clear_winner(scores: dict[str, float], minimum: float) -> str | None:
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    code, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return code if top >= minimum and top >= 1.5 * runner_up else None


def _read_by_ocr(doc: Document) -> bool:
    return any(p.ocr for p in doc.pages)


def _named_apart(scores: dict[str, float], stamp: str) -> bool:
    """The cover clearly names another département than an OCR'd stamp's code, and never the stamp's: OCR misread
    a digit of the code ('082-2232…' for '032-…'), the names are the better evidence."""
    winner = _clear_winner(scores, HEAD_MIN)
    return winner is not None and winner != stamp and not scores.get(stamp)
