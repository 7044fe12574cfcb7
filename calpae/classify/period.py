"""Year or period a document covers, read from its cover: 'ANNÉE 2019', 'BILAN 2021', 'SÉANCE DU … 2020',
'2016-2020'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from calpae.classify.head import HeadLine
from calpae.referential.normalize import strip_accents

_Y = r"(20[0-4]\d)"
_RANGE = re.compile(rf"\b{_Y}\s*(?:-|a|au|/)\s*{_Y}\b")
_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_KEYWORD = re.compile(
    rf"\b(?:annee|exercice|bilan|rapport(?: d (?:execution|activite))?|compte rendu|budget|avenant|"
    rf"pour l annee)\s+{_Y}\b"
)
_SUBJECT = re.compile(r"^(?:objet|concerne)\s*:")  # the subject line of an act says which year it is about
SUBJECT_BOOST = 1.5
_SEANCE = re.compile(rf"\b(?:seance|reunion|session) du \d{{1,2}}(?: ?er)? (?:{_MONTHS}) {_Y}\b")
_DATE = re.compile(rf"\b\d{{1,2}}(?: ?er)? (?:{_MONTHS}) {_Y}\b")
_NUMERIC_DATE = re.compile(rf"\b\d{{1,2}}[/.]\d{{1,2}}[/.]{_Y}\b")
_ALONE = re.compile(rf"^\W*(?:annee |bilan |exercice )?{_Y}\W*$")
_BARE = re.compile(rf"\b{_Y}\b")
_FRAMEWORK = re.compile(r"\b(?:convention|strategie|contractualisation|triennale|plan|schema|programme|pacte)\b")
RANGE_TYPES = {"pdi_pti", "convention"}


@dataclass
class PeriodEvidence:
    """Scores of single years and of year ranges found on the cover."""

    year_hits: dict[int, list[float]] = field(default_factory=dict)
    range_hits: dict[tuple[int, int], list[float]] = field(default_factory=dict)

    def add_year(self, year: int, w: float) -> None:
        self.year_hits.setdefault(year, []).append(w)

    def add_range(self, rng: tuple[int, int], w: float) -> None:
        self.range_hits.setdefault(rng, []).append(w)

    @staticmethod
    def _total(hits: list[float]) -> float:
        """The strongest sighting counts fully, repetitions a little: one cover title beats many passing mentions."""
        top = max(hits)
        return top + 0.3 * (sum(hits) - top)

    @property
    def years(self) -> dict[int, float]:
        return {y: self._total(h) for y, h in self.year_hits.items()}

    @property
    def ranges(self) -> dict[tuple[int, int], float]:
        return {r: self._total(h) for r, h in self.range_hits.items()}


def _year_weight(text: str, start: int) -> float:
    """Weight of the single year found at this offset, by the words around it."""
    for pattern, w in ((_SEANCE, 5.0), (_KEYWORD, 5.0), (_DATE, 2.0), (_NUMERIC_DATE, 0.8)):
        for m in pattern.finditer(text):
            if m.lastindex is not None and m.start(m.lastindex) == start:
                return w
    return 0.5


def _plain(text: str) -> str:
    """Lower-case accent-free text, apostrophes as spaces, hyphens and slashes kept (they join year ranges)."""
    t = strip_accents(text).lower().replace("'", " ")
    return " ".join(t.split())


_CUT_RANGE = re.compile(rf"\b{_Y}\s*(?:-|/|a|au)$")  # a title line wrapped inside its period ('… L'EMPLOI 2019-')
_RANGE_END = re.compile(rf"^\W*{_Y}\b")


def _unwrapped(head: list[HeadLine]) -> list[HeadLine]:
    """Head lines with a period cut by the line's wrap joined again ('… 2019-' / '2021'): the lone year below is the
    range's end, not the document's year."""
    out: list[HeadLine] = []
    for line in head:
        prev = out[-1] if out else None
        if prev is not None and _CUT_RANGE.search(_plain(prev.text)) and _RANGE_END.match(_plain(line.text)):
            sep = "" if prev.text.rstrip().endswith(("-", "/")) else " "
            out[-1] = replace(
                prev,
                text=prev.text.rstrip() + sep + line.text.strip(),
                weight=max(prev.weight, line.weight),
                title=prev.title or line.title,
            )
            continue
        out.append(line)
    return out


def gather(head: list[HeadLine]) -> PeriodEvidence:
    """Collect year and range candidates from head lines, weighted by position, title look and context."""
    ev = PeriodEvidence()
    head = _unwrapped(head)
    for i, line in enumerate(head):
        text = _plain(line.text)
        boost = (1.5 if line.title else 1.0) * line.weight * (SUBJECT_BOOST if _SUBJECT.match(text) else 1.0)
        context = " ".join(_plain(h.text) for h in head[max(0, i - 2) : i + 1])
        taken: list[tuple[int, int]] = []
        for m in _RANGE.finditer(text):
            y1, y2 = int(m.group(1)), int(m.group(2))
            if not 0 < y2 - y1 <= 10:
                continue
            taken.append(m.span())
            w = 8.0 if len(text) <= len(m.group(0)) + 4 else 3.0  # a line that is only the period
            framework = bool(_FRAMEWORK.search(context))
            ev.add_range((y1, y2), w * boost * (1.0 if framework else 0.8))
        if alone := _ALONE.match(text):
            ev.add_year(int(alone.group(1)), 5.0 * boost)
            continue
        for m in _BARE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            ev.add_year(int(m.group(1)), _year_weight(text, m.start()) * boost)
    return ev


def choose_period(ev: PeriodEvidence, doc_type: str) -> tuple[int | None, str | None]:
    """(year, period): plans and conventions keep their range; reports, deliberations and others their year."""
    years, ranges = ev.years, ev.ranges
    best_year = max(years, key=lambda y: years[y]) if years else None
    best_range = max(ranges, key=lambda r: ranges[r]) if ranges else None
    year_score = years.get(best_year, 0.0) if best_year else 0.0
    range_score = ranges.get(best_range, 0.0) if best_range else 0.0
    use_range = best_range is not None and (
        (doc_type in RANGE_TYPES and range_score >= 0.5 * year_score) or year_score < 1.0
    )
    if use_range and best_range is not None:
        return None, f"{best_range[0]}-{best_range[1]}"
    if best_year is not None:
        return best_year, str(best_year)
    return None, None
