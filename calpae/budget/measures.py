"""Which national measure a budget row belongs to, from the strongest evidence the document gives.

In order of trust: a Chorus activity code; the row's number read through the document's own numbered headings that
name a measure ('3.2 …' under '3. Référent de parcours'); the national numbering of the annexe-10 model (for
tables of that model); the section the table sits in; the row's own words when they name a measure. An unmapped
row is left unmapped: a wrong measure would be summed into another measure's figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from calpae.models import Document, Section
from calpae.referential import Referential, load_referential
from calpae.referential.normalize import normalize_label, strip_numbering

# A heading about the money (not what it pays for): skipped when looking for the measure or action a table is under.
BUDGET_HEADING = re.compile(
    r"\b(budgets?|budg[ée]taires?|pr[ée]visionnels?|ex[ée]cut[ée]e?s?|r[ée]alis[ée]e?s?|financements?|montants?|d[ée]penses)\b",
    re.I,
)


@dataclass(frozen=True)
class Found:
    """A measure and the evidence it was found by (chorus, number, national, heading, label, group, action, linked)."""

    measure_id: str
    source: str
    score: float | None = None


@dataclass(frozen=True)
class Scope:
    """What a place of the document is about: the measure its headings name and, between that heading and the
    place, the heading of an action of that measure (a département's own sub-measure), if any."""

    measure: Found | None = None
    action: str | None = None  # the action heading's title
    action_number: str | None = None


# words two measures' names must share at their start to be a family name ('Insertion des allocataires du RSA – …')
SHARED_HEAD_WORDS = 3


@lru_cache(maxsize=8)
def shared_heads(ref: Referential) -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """The opening words several measures' names share ('Refonder et revaloriser le travail social au service de
    toutes les familles – Premier accueil…' and '… – Référent de parcours'), longest first, with those measures: a
    text that says no more than such a head names none of them."""
    names = [(m.id, tuple(normalize_label(t).split())) for m in ref.measures.values() for t in (m.name, *m.aliases)]
    heads: dict[tuple[str, ...], set[str]] = {}
    for (a, x), (b, y) in combinations(names, 2):
        if a == b:
            continue
        k = 0
        while k < min(len(x), len(y)) and x[k] == y[k]:
            k += 1
        if k >= SHARED_HEAD_WORDS and k < max(len(x), len(y)):
            heads.setdefault(x[:k], set()).update((a, b))
    for head, ids in heads.items():  # a measure whose name opens with the head belongs to it too
        ids.update(i for i, words in names if words[: len(head)] == head)
    return tuple(sorted(((h, frozenset(ids)) for h, ids in heads.items()), key=lambda e: -len(e[0])))


@lru_cache(maxsize=4096)
def _name_match(ref: Referential, text: str) -> tuple[str, float] | None:
    """The measure a text names; where it opens with a head several measures share, the words after the head
    decide between those measures (a wrapped heading cut after the head names none)."""
    words = tuple(normalize_label(strip_numbering(text)).split())
    for head, ids in shared_heads(ref):
        if words[: len(head)] == head:
            rest = " ".join(words[len(head) :])
            found = ref.match_measure(rest) if rest else None
            return found if found and found[0] in ids else None
    return ref.match_measure(text)


class MeasureMapper:
    """The measure evidence of one document: its numbered headings, and the referential."""

    def __init__(self, doc: Document, ref: Referential | None = None):
        self.ref = ref or load_referential()
        self.sections: dict[str, Section] = {s.number: s for s in doc.sections}
        self.national = {m.number: m.id for m in self.ref.measures.values() if m.number and "." not in m.number}

    def names(self, text: str | None) -> Found | None:
        """The measure a text names on its own (a measure's name or alias, a Chorus description)."""
        if not text or not text.strip():
            return None
        found = _name_match(self.ref, text.strip())
        return Found(found[0], "label", found[1]) if found else None

    def chorus(self, text: str | None) -> Found | None:
        """The measure of a Chorus activity code written in the text."""
        mid = self.ref.measure_by_chorus(text or "")
        return Found(mid, "chorus", 100.0) if mid else None

    def chorus_or_number(self, text: str | None, number: str | None, national: bool) -> Found | None:
        """A row's Chorus code, unless the code is shared by several measures ('Garantie d'activité et insertion des
        BRSA' pays for two) and the row's number names one of them: then the number decides between them."""
        entry = self.ref.chorus_entry(text or "")
        by_number = self.by_number(number, national)
        if entry is None:
            return by_number
        if entry.also_measures:  # a code several measures share names none of them: only the number decides
            shared = (entry.measure_id, *entry.also_measures)
            return by_number if by_number and by_number.measure_id in shared else None
        return Found(entry.measure_id, "chorus", 100.0) if entry.measure_id else by_number

    def heading(self, number: str) -> Found | None:
        """The measure a numbered heading of the document names ('3. Référent de parcours' for '3')."""
        section = self.sections.get(number)
        if section is None or BUDGET_HEADING.search(section.title):
            return None
        found = self.names(section.title) or self.chorus(section.title)
        return Found(found.measure_id, "number", found.score) if found else None

    def by_number(self, number: str | None, national: bool) -> Found | None:
        """A row's number read through the document's headings ('4.2' → heading 4.2, else 4), then, in tables of the
        annexe-10 model, through the national numbering of its themes."""
        if not number:
            return None
        parts = number.split(".")
        for k in range(len(parts), 0, -1):
            found = self.heading(".".join(parts[:k]))
            if found:
                return found
        if national and parts[0] in self.national:
            return Found(self.national[parts[0]], "national", 100.0)
        return None

    def scope(self, section: str | None) -> Scope:
        """The measure the headings above a place name, and the action heading between, skipping money headings."""
        action: Section | None = None
        seen: set[str] = set()
        while section and section in self.sections and section not in seen:
            seen.add(section)
            s = self.sections[section]
            title = s.title.strip()
            if title and not BUDGET_HEADING.search(title):
                found = self.names(title) or self.chorus(title)
                if found:
                    measure = Found(found.measure_id, "heading", found.score)
                    if action is None:
                        return Scope(measure)
                    return Scope(measure, action.title.strip(), action.number)
                if action is None:
                    action = s
            section = s.parent
        return Scope()
