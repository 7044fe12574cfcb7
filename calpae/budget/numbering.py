"""Numbers that identify a budget row: '1.1 Hébergements', 'Sous total 3', 'Fiche action N°4-2', 'Action 2.1 : …'.

The number is what ties a row to its measure (through the document's own headings, or the national numbering of the
annexe-10 model) and what links the same action across documents, so it is read before any fuzzy label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calpae.budget.vocab import STRAY_BEFORE_SUBTOTAL
from calpae.textnorm import strip_accents

_NUM = r"\d{1,2}(?:\s?[.\-]\s?\d{1,2}){0,2}"
# 'Fiche action N°4.2', 'Fiche 4', 'Action 2.1', 'Mesure 3', 'Axe 1', 'Thème 2' before a number
_LEAD = re.compile(
    rf"^\s*(?:[A-Za-z]{{2,6}}\s*[-–]\s*)?(?:fiche(?:\s+action)?|action|mesure|axe|theme|engagement)s?\s*(?:n\s*[°o]\.?\s*)?"
    rf"(?P<num>{_NUM})\b\.?\s*(?:[-–:)]\s*)?(?P<rest>.*)$",
    re.I,
)
# '1.1 Hébergements', '1.1. Hébergements', '1 - Prévenir', '1. Prévenir', '3) Accès'
_DOTTED = re.compile(r"^\s*(?P<num>\d{1,2}(?:\s?[.\-]\s?\d{1,2}){1,2})\.?\s*(?:[-–:)]\s*)?(?P<rest>\D.*)$")
_SINGLE = re.compile(r"^\s*(?P<num>\d{1,2})\s*(?:[.)]\s*[-–:]?|\s[-–:])\s*(?P<rest>[^\d\s].*)$")
_SUBTOTAL = re.compile(
    rf"^\s*sous[ -]?tota(?:l|ux)\b[\s:.-]*(?:(?:de la |du |des )?(?:fiche(?:\s+action)?|action|mesure|axe|theme)s?\s*"
    rf"(?:n\s*[°o]\.?\s*)?)?(?P<num>{_NUM})?\b\s*(?:[-–:]\s*)?(?P<rest>.*)$",
    re.I,
)


# A fiche number inside a wrapped label, between its words ('Déploiement … – Communication et 3.1 animation'): the
# row's number cell, centred on the row, read in the middle of the label's lines (after a hyphenated word too).
_INSIDE = re.compile(r"(?:(?<=[^\W\d_])|(?<=[^\W\d_]-)) (?P<num>\d{1,2}\.\d{1,2}) (?=[a-zà-ÿ])")
# a number centred after a wrapped line that ended on a dash ('… du RSA – 4.1 Prestations de service')
_AFTER_DASH = re.compile(r"(?<=[^\W\d_] [-–—]) (?P<num>\d{1,2}\.\d{1,2}) (?=[^\W\d_])")
_LEADING_MARKS = re.compile(r"^[^\w]+")
_STRAY_BEFORE_SUBTOTAL = re.compile(STRAY_BEFORE_SUBTOTAL, re.I)


@dataclass(frozen=True)
class Numbered:
    """A label split into its number ('4.2', None when it has none) and its words."""

    number: str | None
    text: str

    @property
    def head(self) -> str | None:
        """The first component of the number: the measure's number in a 'measure.action' scheme."""
        return self.number.split(".")[0] if self.number else None


def _clean(number: str) -> str:
    return re.sub(r"\s", "", number).replace("-", ".").strip(".")


def split_number(label: str) -> Numbered:
    """The row's own number and its words; 'Sous total 3' gives 3 (the sub-total of measure 3), 'Sous total X' the
    words X that name its group."""
    original = _LEADING_MARKS.sub("", (label or "").strip())  # '“Sous total 1 :', '• 1.2 Ateliers'
    original = _STRAY_BEFORE_SUBTOTAL.sub("", original)  # 'jours Sous total 4'
    text = strip_accents(original)
    for pattern in (_SUBTOTAL, _LEAD, _DOTTED, _SINGLE):
        m = pattern.match(text)
        if m and m.group("num"):
            return Numbered(_clean(m.group("num")), original[m.start("rest") :].strip())
        if m and pattern is _SUBTOTAL:  # 'Sous total engagements à l'initiative…': the words name the group
            return Numbered(None, original[m.start("rest") :].strip())
    inside = list(_INSIDE.finditer(original)) + list(_AFTER_DASH.finditer(original))
    if len(inside) == 1:
        m = inside[0]
        before, after = original[: m.start()], original[m.end("num") :]
        if before.endswith("-"):  # a word the wrap cut at its hyphen ('rendez- 4.2 vous'): whole again
            after = after.lstrip()
        return Numbered(m.group("num"), f"{before}{after}".strip())
    return Numbered(None, original)


def titled_action(title: str | None) -> Numbered | None:
    """The action a table's caption names ('Action 1.2 : Hébergements…', 'Fiche action N°3-1 …'), or None."""
    m = _LEAD.match(strip_accents(title or ""))
    if not m or not m.group("num") or not re.match(r"\s*(?:[A-Za-z]{2,6}\s*[-–]\s*)?(fiche|action)", m.group(0), re.I):
        return None
    rest = (title or "")[m.start("rest") :].strip()
    return Numbered(_clean(m.group("num")), rest) if rest else None
