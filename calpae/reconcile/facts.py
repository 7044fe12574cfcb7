"""Identity of facts across documents: one action named differently in two documents is one action.

A budget fact is (département, measure, level, action, year, stage, part); an indicator fact is (département,
indicator, year, value kind). Action labels of a département and measure are linked one to one across documents:
the same words first, then the same action number when both carry one, then rapidfuzz similarity; a label joins at
most one label of each other document, and two labels of one document never merge (they are two actions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from calpae.budget.actions import action_key
from calpae.budget.numbering import split_number
from calpae.referential import load_referential
from calpae.referential.normalize import fold

LINK_THRESHOLD = 85.0  # rapidfuzz score (0-100) at or above which two action labels are one action
SAME = 100.0  # score of equal words or equal numbers
# A fiche number inside a label, before the action's title ('… 0304 50 19 19 07 - … 4.1 Adaptation du logiciel'):
# where a reader ran a recap's theme and Chorus cells, or the header repeated at a page break, into the row's label.
_INNER_NUMBER = re.compile(
    r"(?<![.\d])0?(?P<num>[1-9]\d?\.\d{1,2})\s+(?=[A-ZÀ-Ý])"  # '… parcours 3.2 Outil partagé'
    r"|(?<=\d)0?(?P<glued>[1-9]\.\d{1,2})\s+(?=[A-ZÀ-Ý])"  # glued to the Chorus code's last digits: '… 108.2 Accès'
)


def normalise_label(label: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: the comparable form of a label."""
    return fold(label or "")


@dataclass(frozen=True)
class LabelLink:
    departement_code: str
    measure_id: str
    label: str
    canonical: str
    score: float
    level: str = "action"


@dataclass(frozen=True)
class Label:
    """One action label of one document, as the linker sees it."""

    departement_code: str
    measure_id: str
    label: str
    document_id: str = ""
    level: str = "action"

    @property
    def words(self) -> str:
        return action_key(self.label)

    @property
    def number(self) -> str | None:
        return split_number(self.label).number

    @property
    def inner_number(self) -> str | None:
        """The last fiche number inside a label that does not open with one (see _INNER_NUMBER), else None."""
        if self.number:
            return None
        found = [m.group("num") or m.group("glued") for m in _INNER_NUMBER.finditer(self.label or "")]
        return found[-1] if found else None


@dataclass
class _Group:
    canonical: Label
    documents: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    inner: set[str] = field(default_factory=set)  # numbers found inside labels that do not open with one
    numbered: dict[str, Label] = field(default_factory=dict)  # a member label opening with each number
    numbered_in: dict[str, set[str]] = field(default_factory=dict)  # the documents giving the action each number


def _score(label: Label, group: _Group) -> float:
    words = label.words
    if words and words in group.words:
        return SAME
    if label.level == "detail":
        return _detail_score(label, group)
    number = label.number
    if number and number in group.numbers and "." in number:
        return SAME - 1  # the same fiche number: the same action even reworded
    if number and number in group.inner and "." in number:
        return SAME - 2  # the number a label of the group buried under header or theme words
    inner = label.inner_number
    if inner and (inner in group.numbers or inner in group.inner):
        return SAME - 2  # the fiche number a label buried under header or theme words: that action's
    if number and group.numbers and number not in group.numbers and not words:
        return 0.0
    return _similarity(words, group)


def _similarity(words: str, group: _Group) -> float:
    """The best rapidfuzz score of a label's words against the group's wordings (plain or word-sorted)."""
    return max((max(fuzz.ratio(words, o), fuzz.token_sort_ratio(words, o)) for o in group.words), default=0.0)


def _detail_score(label: Label, group: _Group) -> float:
    """A detail line (a cost item under an action) is not identified by its action's number, which all the action's
    items share: under the same number (or none on either side), its words must match, one wording's words within
    the other's (a reader that lost a wrapped label's first line keeps the item's own words)."""
    number, words = label.number, label.words
    if number and group.numbers and number not in group.numbers:
        return 0.0
    best = _similarity(words, group)
    if number and number in group.numbers:
        best = max([best, *(min(SAME - 1, fuzz.token_set_ratio(words, o)) for o in group.words)])
    return best


def _link_group(labels: list[Label]) -> dict[Label, tuple[Label, float]]:
    """Labels of one département, measure and level, taken document by document in the order given."""
    groups: list[_Group] = []
    member: dict[Label, tuple[int, float]] = {}  # each label's group and link score
    by_doc: dict[str, list[Label]] = {}
    for lab in labels:
        by_doc.setdefault(lab.document_id, [])
        if lab not in by_doc[lab.document_id]:
            by_doc[lab.document_id].append(lab)
    for doc, doc_labels in by_doc.items():
        pairs = sorted(
            ((_score(lab, g), i, j) for i, lab in enumerate(doc_labels) for j, g in enumerate(groups)),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        taken_labels: set[int] = set()
        taken_groups: set[int] = set()
        for score, i, j in pairs:
            if score < LINK_THRESHOLD:
                break
            if i in taken_labels or j in taken_groups or doc in groups[j].documents:
                continue
            taken_labels.add(i)
            taken_groups.add(j)
            _join(groups[j], doc_labels[i], doc)
            member[doc_labels[i]] = (j, round(score, 1))
        for i, lab in enumerate(doc_labels):
            if i not in taken_labels:
                group = _Group(lab)
                _join(group, lab, doc)
                groups.append(group)
                member[lab] = (len(groups) - 1, SAME)
    return {lab: (_numbered(groups[j]), score) for lab, (j, score) in member.items()}


def _numbered(group: _Group) -> Label:
    """The group's canonical label, with the action's number when its first wording lacks it ('Épicerie sociale
    itinérante' and '8.1 Épicerie …' → '8.1 Épicerie …'): the number is how a user finds the action in the documents.
    Where documents number it differently (a report's own chapters, the annexe-10 fiches), the number under the
    measure's national number, else the number most of the documents give it; none if that leaves a tie."""
    canon = group.canonical
    numbers = {n for n in group.numbers if "." in n}
    if canon.number or not numbers:
        return canon
    if canon.inner_number in group.numbered:  # header words before the number: a member's clean wording instead
        clean = group.numbered[canon.inner_number]
        return Label(canon.departement_code, canon.measure_id, clean.label, canon.document_id, canon.level)
    if len(numbers) > 1:
        measure = load_referential().measures.get(canon.measure_id)
        national = measure.number if measure else None
        under = {n for n in numbers if national and n.split(".")[0] == national}
        if not under:  # a measure without a national number (initiatives): the number most documents give
            count = {n: len(group.numbered_in.get(n, ())) for n in numbers}
            top = max(count.values())
            under = {n for n, c in count.items() if c == top}
        numbers = under
    if len(numbers) != 1:
        return canon
    number = next(iter(numbers))
    return Label(canon.departement_code, canon.measure_id, f"{number} {canon.label}", canon.document_id, canon.level)


def _join(group: _Group, lab: Label, doc: str) -> None:
    group.documents.add(doc)
    if lab.number:
        group.numbers.add(lab.number)
        group.numbered.setdefault(lab.number, lab)
        group.numbered_in.setdefault(lab.number, set()).add(doc)
    if lab.inner_number:
        group.inner.add(lab.inner_number)
    if lab.words:
        group.words.add(lab.words)


def link(labels: list[Label]) -> dict[Label, LabelLink]:
    """The link of every label to the canonical label of its action (the first document's wording), linking within
    each département, measure and level, documents taken in the order given."""
    grouped: dict[tuple[str, str, str], list[Label]] = {}
    for lab in labels:
        grouped.setdefault((lab.departement_code, lab.measure_id, lab.level), []).append(lab)
    links: dict[Label, LabelLink] = {}
    for group in grouped.values():
        for lab, (canon, score) in _link_group(group).items():
            links[lab] = LabelLink(lab.departement_code, lab.measure_id, lab.label, canon.label, score, lab.level)
    return links


def link_labels(labels: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], LabelLink]:
    """(département, measure, label) → its link, each triple counted as the label of a document of its own."""
    items = [Label(d, m, lab, document_id=f"#{k}") for k, (d, m, lab) in enumerate(labels)]
    out: dict[tuple[str, str, str], LabelLink] = {}
    for lab, found in link(items).items():
        out.setdefault((lab.departement_code, lab.measure_id, lab.label), found)
    return out
