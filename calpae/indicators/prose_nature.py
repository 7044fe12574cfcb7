"""What a part of a document says it is: an account of what was done ('Réalisé 2019', 'Bilan', 'Constats',
'Contexte', a rapport d'exécution) or what is to be done ('Projection 2020-2021', 'Objectifs', 'Perspectives', a
convention, a plan, a fiche action). A figure whose own clause says nothing of its time takes the nature of the
heading it sits under, else, under a heading that only describes the action, the nature of its document.

A nature heading holds until the next one, the start of the next section or fiche; a heading that introduces a
list ('Les objectifs pour 2021 sont :') holds for that list only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from calpae.indicators.prose_time import heading_year, period_in
from calpae.models import Document

Nature = Literal["actual", "target"]

REPORT_TYPES = {"rapport_execution", "bilan"}  # accounts of a past year
PLAN_TYPES = {"convention", "avenant", "pdi_pti", "deliberation"}  # texts that commit to what will be done
TITLE_MAX_WORDS = 10  # a longer heading-like line is a sentence, not a title that sets the nature of a part

_TARGET_WORDS = re.compile(
    r"\b(?:projections?|perspectives?|objectifs?|prévisions?|prévisionnel(?:le)?s?|cibles?|attendue?s?|prévue?s?|"
    r"envisagée?s?|visée?s?|à\s+mener|à\s+venir|programme\s+d['’]actions?|plan\s+d['’]actions?|calendrier|"
    r"échéancier|feuille\s+de\s+route|suite\s+à\s+donner)\b",
    re.IGNORECASE,
)
_EXPECTED = re.compile(r"\b(?:attendue?s?|prévue?s?|prévisionnel(?:le)?s?|visée?s?|cibles?|envisagée?s?)\b", re.I)
# 'Public visé', 'population cible': who an action is for, a description, not an objective.
_POPULATION_AIMED = re.compile(
    r"\b(?:publics?|populations?|personnes?|bénéficiaires?)\s+(?:visée?s?|cibles?|ciblée?s?)\b", re.IGNORECASE
)
_ACTUAL_WORDS = re.compile(
    r"\b(?:réalisée?s?|réalisations?|bilans?|résultats?|constats?|diagnostics?|état\s+des\s+lieux|contexte|"
    r"éléments?\s+(?:de\s+contexte|de\s+bilan|quantitatifs)|exécution|activité\s+\d{4}|rappel)\b",
    re.IGNORECASE,
)
_DESCRIPTION_TITLE = re.compile(
    r"^[\W\d_]*(?:[IVX]+\s*[-.–)]\s*)?(?:les?\s+|la\s+|l['’])?(?:description|descriptif|présentation|contenu|"
    r"modalités|mise\s+en\s+(?:œuvre|oeuvre)|déroulement|fonctionnement|organisation|durée|budget)\b",
    re.IGNORECASE,
)
_FICHE_TITLE = re.compile(r"^[\W\d_]*(?:fiche(?:\s*-?\s*action)?|action)\s*(?:n\s*°|n°|no\.?)?\s*\d", re.IGNORECASE)
_FINITE = re.compile(r"\b(?:est|sont|était|étaient|sera|seront|a|ont|avait|avaient|vise|visent|permet)\b", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-–•✓✔✚↳➢►▪◦●*o]\s|\d+[.)]\s|[a-z][.)]\s)")
TitleNature = Literal["actual", "target", "described", "reset"]


_REPORT_TITLE = re.compile(r"\b(?:rapport|bilan|compte[- ]rendu)\b", re.I)
_PLAN_TITLE = re.compile(r"\b(?:convention|avenant|plan\s+d['’]actions?|feuille\s+de\s+route|programme)\b", re.I)
HEAD_LINES = 5  # lines of a document's head that may name what kind of text it is


def document_nature(doc: Document) -> Nature | None:
    """'actual' for an account of a year (rapport d'exécution, bilan, or an unclassified text whose head calls
    itself a report), 'target' for a text that commits to what will be done (convention, avenant, plan,
    délibération), None otherwise."""
    if doc.doc_type in REPORT_TYPES:
        return "actual"
    if doc.doc_type in PLAN_TYPES:
        return "target"
    if doc.doc_type == "other":
        head = " ".join(ln.text for ln in doc.lines()[:HEAD_LINES])
        if _REPORT_TITLE.search(head):
            return "actual"
        if _PLAN_TITLE.search(head):
            return "target"
    return None


def title_nature(title: str, intro: bool = False) -> TitleNature | None:
    """The nature a heading sets: 'target' ('Projection 2020-2021', 'Résultats attendus'), 'actual' ('Réalisé 2019',
    'Contexte'), 'described' for a heading that describes the action (its document's nature, weakly), 'reset' for
    the title of a new fiche, None for a heading that says nothing of time. A heading with a verb is a sentence,
    not a title, unless it introduces a list ('Les objectifs pour 2021 sont :')."""
    text = title.strip()
    if _FICHE_TITLE.match(text):
        return "reset"
    if not intro and (len(text.split()) > TITLE_MAX_WORDS or _FINITE.search(text)):
        return None
    if _POPULATION_AIMED.search(text):
        text = _POPULATION_AIMED.sub(" ", text)
        if not (_EXPECTED.search(text) or _TARGET_WORDS.search(text) or _ACTUAL_WORDS.search(text)):
            return "described"
    if _EXPECTED.search(text):
        return "target"
    target, actual = _TARGET_WORDS.search(text), _ACTUAL_WORDS.search(text)
    if target and actual:
        return "target" if target.start() < actual.start() else "actual"
    if target or actual:
        return "target" if target else "actual"
    if _DESCRIPTION_TITLE.match(text):
        return "described"
    return None


@dataclass(frozen=True)
class PartNature:
    """The nature of the part of a document a figure sits in, the year its heading names, and whether it comes
    only from the document's type under a heading that describes the action (weak: a finite verb overrides it)."""

    nature: Nature | None
    year: int | None = None
    weak: bool = False


@dataclass
class _Mark:
    page: int
    line: int
    nature: TitleNature | None  # None: a heading that says nothing of time (it ends a part of its own style)
    year: int | None = None  # the one year it names (a figure dated earlier in its own sentence is not its)
    until: tuple[int, int] | None = None  # (page, line) of the last line a list intro holds for
    style: tuple[bool, str] = (False, "")  # (all capitals, leading mark): headings of one level look alike


@dataclass
class NatureIndex:
    """The headings of a document in reading order with the nature they set, and the document's own nature."""

    doc_nature: Nature | None = None
    marks: list[_Mark] = field(default_factory=list)
    intro_ends: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    raw_lines: dict[tuple[int, int], str] = field(default_factory=dict)  # headings as written (marks, colons)

    @classmethod
    def of(cls, doc: Document, heading_index: list[tuple[int, int, str]], year: int | None) -> NatureIndex:
        out = cls(document_nature(doc))
        report = out.doc_nature == "actual"
        lines = [(ln.page or 0, ln.line_no or 0, ln.text) for ln in doc.lines()]
        where = {(p, n): k for k, (p, n, _) in enumerate(lines)}
        marks: dict[tuple[int, int], _Mark] = {}
        for page, line, text in heading_index:
            k = where.get((page, line))
            raw = lines[k][2] if k is not None else text
            out.raw_lines[(page, line)] = raw
            intro = raw.rstrip().endswith(":")
            end = _list_end(lines, k) if intro and k is not None else None
            if end is not None:
                out.intro_ends[(page, line)] = end
            found = title_nature(text, intro)
            mark = _Mark(page, line, found, _single_year(text, year, report), end, _style(raw))
            marks[(page, line)] = mark
        for sec in doc.sections:
            nature = title_nature(sec.title) or "reset"
            pos = (sec.page or 0, sec.line_no or 0)
            marks[pos] = _Mark(*pos, nature, _single_year(sec.title, year, report))
        out.marks = sorted(marks.values(), key=lambda m: (m.page, m.line))
        return out

    def at(self, page: int | None, line: int | None) -> PartNature:
        """The nature of the part holding a position: the last nature heading above it, unless a section, a fiche
        or a heading in the same capitals ('OBJECTIFS' … 'ACTIONS') started another part since."""
        pos = (page or 0, line or 0)
        k = bisect_right([(m.page, m.line) for m in self.marks], (pos[0], pos[1] - 1)) - 1
        passed: set[tuple[bool, str]] = set()
        while k >= 0:
            mark = self.marks[k]
            k -= 1
            if mark.nature is None:
                if mark.style[0]:
                    passed.add(mark.style)  # 'OBJECTIFS' … 'ACTIONS': capitals mark the parts of a page
                continue
            if mark.until is not None and pos > mark.until:
                continue  # past the list this intro announced: the part's nature holds again
            if mark.nature == "reset" or mark.style in passed:
                return PartNature(None)
            if mark.nature == "described":
                return PartNature(self.doc_nature, mark.year, weak=True)
            return PartNature(mark.nature, mark.year)
        return PartNature(None)

    def holds(self, heading: tuple[int, int], page: int | None, line: int | None) -> bool:
        """Whether a heading still governs a position: a list intro only governs its list."""
        end = self.intro_ends.get(heading)
        return end is None or (page or 0, line or 0) <= end


def _single_year(title: str, year: int | None, report: bool) -> int | None:
    """The one year a heading is about ('Réalisé 2019', next year's 'Perspectives'); none for a period."""
    return None if period_in(title) else heading_year(title, year, report)


def _style(raw: str) -> tuple[bool, str]:
    letters = [c for c in raw if c.isalpha()]
    mark = raw.strip()[:1]
    return (bool(letters) and all(c.isupper() for c in letters), "" if mark.isalnum() else mark)


def _list_end(lines: list[tuple[int, int, str]], k: int) -> tuple[int, int]:
    """(page, line) of the last line of the list or paragraph a heading ending with ':' introduces: the lines after
    it up to the first one, after a blank line, that is not a list item."""
    last, blank = lines[k][:2], False
    for page, line, text in lines[k + 1 :]:
        if not text.strip():
            blank = True
            continue
        if blank and last != lines[k][:2] and not _LIST_ITEM.match(text):
            break
        last, blank = (page, line), False
    return last


# --- whose activity a part of the document reports -----------------------------------------------------------
_PARTNER_TITLE = re.compile(
    r"\b(?:mission\s+locale(?!s)|point\s+(?:accueil|écoute|information)|association|centre\s+social|"
    r"centre\s+de\s+formation|CFAS?\b|groupement\s+d['’]employeurs|GEIQ|PLIE|CIDFF|ADIL|CCAS|épicerie\s+sociale|"
    r"chantier\s+d['’]insertion|régie\s+de\s+quartier|salon|contrats?\s+de\s+ville|collège|école|club|foyer|"
    r"médecins\s+du\s+monde|croix-rouge|secours\s+(?:populaire|catholique)|compagnons\s+bâtisseurs)\b",
    re.IGNORECASE,
)
_NAMED_TITLE = re.compile(r"^\W*(?:[A-ZÉ][\w'’.-]+\s+){0,2}?[A-ZÉ][\w'’.-]+\s+[-–]\s+\S|[-–]\s+[A-Z]{3,6}\s*$")
_STEP_TITLE = re.compile(r"^\s*[^\w\s«(]|^\s*\d|:\s*$")  # a list mark, a figure, an intro: a step inside a part
_MARK = re.compile(
    r"^\s*(?:[^\w\s«(\d]|[\u2460-\u2473])+\s*(?:\*\*)?"
)  # a list mark or box opening a line, with its bold
PARTNER_HEADINGS = 12  # headings looked back through for the title of the action a figure belongs to


def partner_title(title: str) -> bool:
    """A title naming one structure, town or area that runs an action ('Mission Locale Ouest Audois', 'DEOA -
    Intervention auprès des publics sans domicile', 'Mobilisation des employeurs – CRGE', 'Narbonne - Ateliers
    numériques', 'Actions financées dans le cadre des contrats de ville'); not a département-wide one
    ('Chèques Passerelles départementaux', 'Passeport mobilité avec les Missions Locales')."""
    if re.search(r"départementa|\bDépartement\b", title):
        return False
    return bool(_PARTNER_TITLE.search(title) or _NAMED_TITLE.search(title))


def action_is_partner(raw_titles: list[str], local: Callable[[str], bool] | None = None) -> bool:
    """Whether the nearest action title above a figure (list marks, figures, intros and sentences skipped) names a
    partner structure, or (`local`) only some towns: what such a part reports is local activity."""
    for raw in raw_titles:
        text = raw.strip()
        if title_nature(text) in ("actual", "target", "reset"):
            return False  # 'Projection 2020-2021', 'Bilan d'exécution': a new part of the action, not a partner's
        bare = _MARK.sub("", text)
        if bare != text and local is not None and not re.search(r"\d", bare) and not _FINITE.search(bare):
            if local(bare):
                return True  # '① Interventions sur Limoux, Quillan et Castelnaudary'

        if bare != text and _NAMED_TITLE.search(bare) and not _STEP_TITLE.search(bare) and not _FINITE.search(bare):
            return partner_title(bare)  # '☒ Limoux - Prévenir le décrochage (Ass. …)': a marked action title
        if _STEP_TITLE.search(text) or _FINITE.search(text):
            continue
        return partner_title(text)
    return False
