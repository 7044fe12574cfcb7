"""The year a prose figure is about: from its own clause, else its sentence, paragraph, heading, else the document.

A sentence is cut into segments: the main statement, and comparisons ("contre 73,2 % en 2020", "au lieu de 924",
a parenthesis) which carry their own year. A figure takes the year written in its own segment; a figure of the
main statement takes the year of the main statement; a figure in a comparison without a year of its own takes the
year the comparison points to ("par rapport à l'année dernière"). Birth years ("nés en 2001") and starting points
("depuis 2017") are not the year a figure is about.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_Y = r"(?:19[5-9]\d|20[0-4]\d)"
YEAR_MENTION = re.compile(
    rf"(?<![\d/.,])(?:(?P<d>\d{{1,2}})\s*(?:er)?\s*[/.]\s*\d{{1,2}}\s*[/.]\s*(?P<dy>{_Y})"
    rf"|(?P<y1>{_Y})\s*[-–/]\s*(?P<y2>{_Y}|\d\d)(?!\d)"
    rf"|(?P<y>{_Y}))(?![\d])",
)
_NOT_REFERENCE = re.compile(
    rf"(?:\bnée?s?\s+(?:en|le)|\bdepuis(?:\s+(?:le|la|l['’]|fin|début|mi|année|scolaire|{_MONTHS}|\d+\w*|\s)+)?|\bdès|"
    rf"\bjusqu['’]\s*(?:en|au|à)\b[^\d.;]{{0,60}}|\b(?:initiée?s?|lancée?s?|engagée?s?|démarrée?s?|commencée?s?|"
    rf"amorcée?s?|entamée?s?)\s+(?:en|dès|le|au\s+cours\s+de)(?:\s+\d+\w*)?(?:\s+(?:{_MONTHS}))?|\bloi\s+(?:n°\s*[\d-]+\s+)?du(?:\s+\d+\w*\s+(?:{_MONTHS}))?|\bdécret|\bcirculaire|"
    rf"\binstruction|\bn°\s*|\bsignée?\s+(?:le|en)(?:\s+\d+\w*\s+(?:{_MONTHS}))?|\bconvention(?:\s+[\w'’]+){{0,3}}|"
    rf"\bschéma(?:\s+\w+)*|\bplan|\bstratégie|\bprogramme|\bpacte|\bPDI|\bPTI|\bcréée?s?\s+en|\bouverte?s?\s+en|"
    rf"\bmise?s?\s+en\s+place\s+(?:en|depuis))\s*$",
    re.IGNORECASE,
)
LOOKBACK_CHARS = 70  # how far before a year its qualifier ('né en', 'jusqu'à la fin de …, soit') may start
_SCHOOL = re.compile(r"\bscolaire\s*$", re.IGNORECASE)
_LAST_YEAR = re.compile(r"\b(?:l['’]année|l['’]an|l['’]exercice)\s+(?:dernière?|précédente?)\b", re.IGNORECASE)
_NEXT_YEAR = re.compile(r"\b(?:l['’]année|l['’]an|l['’]exercice)\s+(?:prochaine?|suivante?)\b", re.IGNORECASE)
# Words that open a comparison: the figures after them are about another time or another standard.
_COMPARISON = re.compile(
    r"\bcontre\b|\bau\s+lieu\s+d[e']|\bpar\s+rapport\s+(?:à|au|aux)\b|\balors\s+que\b|\btandis\s+que\b|"
    r"\b(?:à|a|que|de)\s+(?:celui|celle|ceux|celles)\b|\bque\s+ce\s+qu",
    re.IGNORECASE,
)
_SEGMENT_END = re.compile(r",(?!\d)|[;()]|\bsoit\b|\bet\s+(?=\d)", re.IGNORECASE)
_LABEL = re.compile(r"\s*:")
_FROM_TO = re.compile(rf"\bentre\s+(?P<a>{_Y})\s+et\s+(?P<b>{_Y})\b", re.IGNORECASE)


_ORDINAL_YEAR = re.compile(
    r"\b(?:(?P<n>[1-9])\s*(?:ère|re|er|ème|eme|e|nde?)|(?P<w>première|premier|deuxième|seconde?|troisième|"
    r"quatrième|cinquième))\s+année\b",
    re.IGNORECASE,
)
_ORDINALS = {"premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3}
_ORDINALS |= {"quatrième": 4, "cinquième": 5}
Period = tuple[int, int]


@dataclass(frozen=True)
class YearMention:
    """A year written in the text: position and the year it stands for."""

    start: int
    end: int
    year: int


SENTENCE_CACHE = 256  # sentences whose years and segments are remembered: each of their figures asks again


def year_mentions(text: str, doc_year: int | None = None, period: Period | None = None) -> list[YearMention]:
    """Years that a figure of this text may be about (birth years, laws and plans' names left out); within a
    period, its years by rank ('2ème année' of 2019-2021 is 2020)."""
    return list(_year_mentions(text, doc_year, period))


@lru_cache(maxsize=SENTENCE_CACHE)
def _year_mentions(text: str, doc_year: int | None, period: Period | None) -> tuple[YearMention, ...]:
    out: list[YearMention] = []
    if period is not None:
        for m in _ORDINAL_YEAR.finditer(text):
            rank = int(m.group("n")) if m.group("n") else _ORDINALS[m.group("w").lower()]
            if period[0] + rank - 1 <= period[1]:
                out.append(YearMention(m.start(), m.end(), period[0] + rank - 1))
    for m in YEAR_MENTION.finditer(text):
        before = text[max(0, m.start() - LOOKBACK_CHARS) : m.start()]
        if _NOT_REFERENCE.search(before):
            continue
        if m.group("dy"):
            year = int(m.group("dy"))
        elif m.group("y1"):
            y1, y2 = int(m.group("y1")), m.group("y2")
            y2i = int(y2) if len(y2) == 4 else 2000 + int(y2)
            if not 0 < y2i - y1 <= 10:
                continue
            if _SCHOOL.search(before) or y2i - y1 == 1 and re.search(r"\bannée\s*$", before):
                year = y2i  # a school year is named by the year it ends in
            elif doc_year is not None and y1 <= doc_year <= y2i:
                year = doc_year  # what a text says of each year of a period, it says of the current one
            else:
                year = y1
        else:
            year = int(m.group("y"))
        out.append(YearMention(m.start(), m.end(), year))
    if doc_year is not None:
        for pattern, delta in ((_LAST_YEAR, -1), (_NEXT_YEAR, 1)):
            out += [YearMention(m.start(), m.end(), doc_year + delta) for m in pattern.finditer(text)]
    return tuple(sorted(out, key=lambda y: y.start))


def period_in(text: str) -> Period | None:
    """The first period a text names ('Budget détaillé sur 2019 – 2021', 'PDI 2016-2020')."""
    for m in YEAR_MENTION.finditer(text):
        if m.group("y1"):
            y1, y2 = int(m.group("y1")), m.group("y2")
            y2i = int(y2) if len(y2) == 4 else 2000 + int(y2)
            if 0 < y2i - y1 <= 10:
                return y1, y2i
    return None


def period_end(text: str) -> int | None:
    """The last year of the one period a sentence names outside its comparisons ('2019-2021 : …' → 2021)."""
    segs = segments(text)
    ends = {
        int(y2) if len(y2 := m.group("y2")) == 4 else 2000 + int(y2)
        for m in YEAR_MENTION.finditer(text)
        if m.group("y1") and not _in_comparison(segs, m.start())
    }
    return ends.pop() if len(ends) == 1 else None


def segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_aside) spans covering the sentence: the main statement, comparisons ('contre 73,2 % en
    2020', 'au lieu de 25', up to the next comma or closing bracket) and parentheses. A parenthesis holding a
    comparison is cut in two: '(34 au lieu de 25)' gives an aside '(34 ' and the comparison 'au lieu de 25)'."""
    return list(_segments(text))


@lru_cache(maxsize=SENTENCE_CACHE)
def _segments(text: str) -> tuple[tuple[int, int, bool], ...]:
    cuts: list[tuple[int, int]] = []
    for m in _COMPARISON.finditer(text):
        end_m = _SEGMENT_END.search(text, m.end())
        cuts.append((m.start(), end_m.start() + (text[end_m.start()] == ")") if end_m else len(text)))
    for m in re.finditer(r"\([^()]*\)", text):
        inner = [c for c in cuts if m.start() < c[0] < m.end()]
        cuts.append((m.start(), inner[0][0] if inner else m.end()))
    cuts.sort()
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for a, b in cuts:
        if a < pos:
            continue
        if a > pos:
            out.append((pos, a, False))
        out.append((a, b, True))
        pos = b
    if pos < len(text):
        out.append((pos, len(text), False))
    return tuple(out)


def is_comparison(text: str, seg: tuple[int, int, bool]) -> bool:
    """An aside that compares ('contre …', 'au lieu de …'), as opposed to a parenthesis restating a figure."""
    return seg[2] and bool(_COMPARISON.match(text, seg[0]))


def _segment_of(segs: list[tuple[int, int, bool]], pos: int) -> tuple[int, int, bool]:
    starts = [s[0] for s in segs]
    return segs[max(bisect_right(starts, pos) - 1, 0)]


@lru_cache(maxsize=SENTENCE_CACHE)
def _from_to(text: str) -> re.Match[str] | None:
    """The sentence's 'entre 2019 et 2021', searched once for all its figures."""
    return _FROM_TO.search(text)


def sentence_year(
    text: str,
    pos: int,
    end: int,
    doc_year: int | None,
    change: bool = False,
    period: Period | None = None,
    figure: bool = True,
) -> tuple[int | None, str]:
    """The year the figure at [pos, end) is about, from the sentence alone, and where it came from. A change
    ('+ 6 points') is about the later year, never the earlier one it is measured from."""
    mentions = [m for m in year_mentions(text, doc_year, period) if not (figure and _labels_next(text, end, m))]
    if not mentions:
        return None, ""  # a year after the figure that labels what follows ('30 000 € 2ème année : …') is not its
    span = _from_to(text)
    if span and pos < span.start():
        figures_before = len(re.findall(r"\d[\d\s.,]*\s*(?:M€|k€|€|%)", text[: span.start()]))
        if figures_before >= 2:
            idx = len(re.findall(r"\d[\d\s.,]*\s*(?:M€|k€|€|%)", text[:end])) - 1
            return (int(span.group("a")) if idx <= 0 else int(span.group("b"))), "from-to"
    segs = segments(text)
    seg = _segment_of(segs, pos)
    after = [s for s in segs if s[2] and 0 <= s[0] - end <= 1 and text[s[0]] == "("]
    if after and (dated := [m for m in mentions if after[0][0] <= m.start < after[0][1]]):
        return dated[0].year, "clause"  # "50,6 % (valeur 2017)"
    own = [m for m in mentions if seg[0] <= m.start < seg[1] and not (pos <= m.start < end)]
    if own:
        return _nearest(own, pos).year, "clause"
    left_of_comparison = (
        seg[2] and not is_comparison(text, seg) and any(is_comparison(text, s) and s[0] == seg[1] for s in segs)
    )
    if seg[2] and not change and not left_of_comparison:
        # a parenthesis right after a year is that year's figure: "celui de l'année 2018 (58%)"
        just_before = [m for m in mentions if 0 <= seg[0] - m.end <= 2]
        if just_before:
            return just_before[-1].year, "clause"
        compares = is_comparison(text, seg)
        previous = [m for m in mentions if m.start < seg[0] and _in_comparison(segs, m.start)]
        if compares and previous:
            return previous[-1].year, "comparison"
        if compares:
            return None, "comparison"
    main = [m for m in mentions if not _in_comparison(segs, m.start)]
    if main:
        chosen = _nearest(main, pos)
        # "40 % en 2011, contre 31 % en 2015, avec des écarts (de 14 % à 51 %)": after a comparison with a later
        # year, the sentence speaks of that later time
        later = [m for m in mentions if chosen.end <= m.start and m.end <= pos and m.year > chosen.year]
        if later and all(_in_comparison(segs, m.start) for m in later):
            return later[-1].year, "sentence"
        return chosen.year, "sentence"
    return None, ""


def _labels_next(text: str, end: int, m: YearMention) -> bool:
    """A year right after the figure that labels what follows it ('30 000 € 2ème année : …')."""
    return m.start >= end and not re.search(r"[^\W\d_]", text[end : m.start]) and bool(_LABEL.match(text, m.end))


def _nearest(mentions: list[YearMention], pos: int) -> YearMention:
    """The year written before the figure and closest to it, else the first after it ('les crédits non
    consommés en 2019, soit X €, seront reportés sur l'exercice suivant' → 2019)."""
    before = [m for m in mentions if m.end <= pos]
    if before:
        return before[-1]
    return min(mentions, key=lambda m: abs(m.start - pos))


def _in_comparison(segs: list[tuple[int, int, bool]], pos: int) -> bool:
    return _segment_of(segs, pos)[2]


def heading_year(
    title: str | None, doc_year: int | None, report: bool = True, period: Period | None = None
) -> int | None:
    """The year a heading sets for the figures under it: 'Perspectives 2020', 'Réalisé 2019', or next year's
    'Perspectives' in a report of the past year. A period holding the document's year ('Budget sur 2019-2021'
    in 2020) gives the document's year: what the text says of each year, it says of the current one."""
    if not title:
        return None
    for m in YEAR_MENTION.finditer(title):
        if m.group("y1") and doc_year is not None:
            y2 = m.group("y2")
            if int(m.group("y1")) <= doc_year <= (int(y2) if len(y2) == 4 else 2000 + int(y2)):
                return doc_year
    mentions = year_mentions(title, None, period)
    if len({m.year for m in mentions}) > 1 and re.search(r"\bde\b.*\bà\b|\bentre\b", title, re.IGNORECASE):
        return mentions[-1].year  # "Évolution de déc. 2009 à déc. 2013": the figures are as of the end
    if mentions:
        return mentions[0].year
    if report and doc_year is not None and re.search(r"\bperspectives?\b|\bprojection\b|\bà\s+venir\b", title, re.I):
        return doc_year + 1
    return None
