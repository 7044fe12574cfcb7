"""Document type by weighted evidence on the cover and first pages, plus structural markers in the body."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from calpae.classify.head import HeadLine
from calpae.referential.normalize import fold

TITLE_BOOST = 1.5


@dataclass(frozen=True)
class Cue:
    """A pattern (over folded text) that speaks for one type (and `also` for kindred types, e.g. the articles of a
    contract for a convention and for its avenant); body cues also count throughout the document."""

    doc_type: str
    pattern: re.Pattern[str]
    weight: float
    body: bool = False
    also: tuple[str, ...] = ()

    @property
    def doc_types(self) -> tuple[str, ...]:
        return (self.doc_type, *self.also)


def _cue(doc_type: str, pattern: str, weight: float, body: bool = False, also: tuple[str, ...] = ()) -> Cue:
    return Cue(doc_type, re.compile(pattern), weight, body, also)


CONTRACT = ("avenant",)  # an avenant is written as a contract too: the contract's own cues cannot tell them apart


CUES: list[Cue] = [
    _cue("rapport_execution", r"\brapport d ?execution\b", 5.0),
    _cue("rapport_execution", r"\brapport d ?execution de la convention\b", 2.0),
    _cue("rapport_execution", r"\brapport (?:annuel )?d activite\b", 2.0),
    _cue("rapport_execution", r"\bbudget execute\b", 1.0, body=True),
    _cue("convention", r"^convention\b", 3.0),
    _cue("convention", r"\bconvention d appui\b", 0.5),
    _cue("convention", r"\bil est convenu\b|\bentre les soussignes\b", 2.5, body=True, also=CONTRACT),
    _cue("convention", r"^article \d+\b", 0.8, body=True, also=CONTRACT),
    _cue("avenant", r"^avenant\b", 4.0),
    _cue("avenant", r"\bavenant n ?o? ?\d", 1.5),
    _cue("deliberation", r"\bseance du \d", 4.0, body=True),
    _cue("deliberation", r"^decide\b|\bdecide\s*$", 3.0, body=True),
    _cue("deliberation", r"\bdeliberation\b", 2.0),
    _cue("deliberation", r"\bapres en avoir delibere\b|\bextrait du registre\b", 3.0, body=True),
    _cue("deliberation", r"\bcommission permanente\b|\bassemblee departementale\b", 1.5),
    _cue("deliberation", r"\btransmission a la prefecture\b|\btransmis le \d", 2.0, body=True),
    _cue("pdi_pti", r"\bprogramme departemental d insertion\b", 5.0),
    _cue("pdi_pti", r"\bpacte territorial d insertion\b", 5.0),
    _cue("pdi_pti", r"\b(?:pdi|pti)\b", 1.5),
    _cue("bilan", r"^bilan\b", 4.0),
    _cue("bilan", r"\bbilan (?:annuel|20\d\d)\b", 3.0),
    _cue("bilan", r"^realisations?\s*$", 1.5, body=True),
    _cue("bilan", r"^(?:objectifs|actions)\s*$", 0.8, body=True),
    _cue("instruction", r"^instruction n", 6.0),
    _cue("instruction", r"^(?:circulaire|note d information) n", 6.0),
    _cue("instruction", r"\bnor\s+[a-z]{4}\d", 3.0),
    _cue("instruction", r"\bmesdames et messieurs les prefets\b", 3.0),
    _cue("instruction", r"\binstruction\b", 1.0),
    _cue("tableau_financier", r"\btableau financier\b", 3.0),
    _cue("tableau_financier", r"\bexecution budgetaire\b|\brecapitulatif previsionnel\b", 1.0),
]
DOC_TYPES = sorted({c.doc_type for c in CUES})
MIN_SCORE = 3.0


def _starts_upper(text: str) -> bool:
    """True when the line's first letter is a capital, as headings and titles are."""
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper()


def score_doc_types(head: list[HeadLine], body: list[str], actes_nature: str | None = None) -> dict[str, float]:
    """Evidence per doc_type: head cues by position, body cues by (log) frequency, the ACTES nature."""
    scores = {t: 0.0 for t in DOC_TYPES}
    for line in head:
        boost = TITLE_BOOST if line.title else 1.0
        starts_upper = _starts_upper(line.text)
        for cue in CUES:
            if cue.pattern.pattern.startswith("^") and not starts_upper:
                continue  # a wrapped sentence ('convention signée par…') is not a heading
            if cue.pattern.search(line.folded):
                for doc_type in cue.doc_types:
                    scores[doc_type] += cue.weight * line.weight * boost
    folded_body = [fold(t) for t in body]
    for cue in CUES:
        if cue.body:
            n = sum(1 for t in folded_body if cue.pattern.search(t))
            for doc_type in cue.doc_types:
                scores[doc_type] += 0.5 * cue.weight * math.log1p(n)
    if actes_nature:
        nature = actes_nature.upper()
        if nature == "DE":
            scores["deliberation"] += 2.0  # reports and conventions are often sent as annexes of a deliberation
        elif nature == "CC":  # contrats et conventions: avenants too
            scores["convention"] += 2.0
            scores["avenant"] += 2.0
    return scores


def choose_doc_type(scores: dict[str, float]) -> str:
    """The best-supported type, or 'other' when no type has enough evidence."""
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] >= MIN_SCORE else "other"
