"""Data notes under charts and figures ('Champ : foyers allocataires en décembre 2014', 'Source : INSEE RP 2011',
footnotes '¹ …'): they date the figures they annotate when the sentence itself does not.

A note annotates the chart right above it (its caption, its value labels) and the paragraph, or the list of items,
that presents that chart — not every figure of the section: the sentences before that paragraph are dated by their
own words, their heading or their document. In a list of items, the note dates the item right above the chart and
the items that speak of what its captions name (a shared word); under several charts with notes of different years,
a sentence takes the note whose captions share most words with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from calpae.indicators.paragraphs import Sentence, paragraphs
from calpae.indicators.prose_time import year_mentions
from calpae.models import Document

_NOTE = re.compile(r"^\W{0,3}(?:\*\*)?(?:sources?|champ|lecture|note)\s*(?:\*\*)?\s*:", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹])")
_BULLET = re.compile(r"^\s*(?:[-–•✓✔✚↳➢►▪◦●*\ufffd]|\d+[.)]\s)")
CHART_LABEL_CHARS = 60  # a one-line list item this short without a full stop is a chart's value label
CAPTION_CHARS = 120  # a one-line paragraph this short without a full stop is a chart's caption
Span = tuple[tuple[int, int], tuple[int, int]]  # first and last (page, line) of the text a note dates
_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = {"les", "des", "dans", "pour", "sur", "par", "avec", "que", "qui", "est", "sont", "ont", "une", "aux", "dont"}
_STOP |= {"part", "taux", "nombre", "évolution", "evolution", "répartition", "entre", "plus", "moins", "tous", "types"}


SENTENCE_CACHE = 256  # sentences whose words and footnote marks are remembered: each of their figures asks again


@lru_cache(maxsize=SENTENCE_CACHE)
def _stems(text: str) -> frozenset[str]:
    """Content words, lower case, without a plural 's'/'x' ('ménages agricoles' ~ 'ménage agricole')."""
    words = (w.lower() for w in _WORD.findall(text))
    return frozenset(w[:-1] if w[-1] in "sx" else w for w in words if w not in _STOP)


@dataclass(frozen=True)
class _Annotated:
    """The text one note dates, its year, the words of its chart's captions, where the paragraph right above the
    chart starts, and whether the span holds several paragraphs (a list of items)."""

    span: Span
    year: int
    captions: frozenset[str]
    last: tuple[int, int]
    listed: bool


def _note_year(text: str) -> int | None:
    years = [m.year for m in year_mentions(text)] + [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)[-1:]]
    return max(years) if years else None


@dataclass
class _Para:
    start: tuple[int, int]
    end: tuple[int, int]
    text: str
    raw_first: str
    lines: int

    @property
    def note(self) -> bool:
        return bool(_NOTE.match(self.raw_first.strip()) or _FOOTNOTE.match(self.raw_first))

    @property
    def chart_part(self) -> bool:
        """A caption or a value label of a chart: one short line that is no sentence."""
        limit = CHART_LABEL_CHARS if self.item else CAPTION_CHARS  # '- Lot-et-Garonne : +18%' is a value label
        return self.lines == 1 and len(self.text) <= limit and not self.text.rstrip().endswith(".")

    @property
    def item(self) -> bool:
        return bool(_BULLET.match(self.raw_first))


@dataclass
class DataNotes:
    """The notes of a document: the spans of text each dates, and the footnotes by their mark."""

    notes: list[_Annotated] = field(default_factory=list)  # in reading order
    footnotes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document) -> DataNotes:
        out = cls()
        paras = [
            _Para(
                (para[0][1].page or 0, para[0][1].line_no or 0),
                (para[-1][1].page or 0, para[-1][1].line_no or 0),
                " ".join(t for t, _ in para),
                para[0][1].text,
                len(para),
            )
            for para in paragraphs(doc)
        ]
        for k, para in enumerate(paras):
            if not para.note or (year := _note_year(para.raw_first)) is None:
                continue
            if foot := _FOOTNOTE.match(para.raw_first):
                out.footnotes.setdefault(foot.group(1), year)
            if _NOTE.match(para.raw_first.strip()) and (span := _annotated(paras, k)) is not None:
                inside = [p for p in paras if span[0] <= p.start <= span[1]]
                out.notes.append(_Annotated(span, year, _captions(paras, k), inside[-1].start, len(inside) > 1))
        return out

    def year_for(self, sent: Sentence, section: str | None = None) -> int | None:
        """The year a note gives this sentence: its footnote mark's, else the note under the chart it presents."""
        for mark in _marks(sent.text):
            if mark in self.footnotes:
                return self.footnotes[mark]
        if not sent.lines:
            return None
        first = (sent.lines[0].page or 0, sent.lines[0].line_no or 0)
        words = _stems(sent.text)
        scored = [
            (len(words & n.captions), -k, n.year)
            for k, n in enumerate(self.notes)
            if n.span[0] <= first <= n.span[1]
            and (not n.listed or first >= n.last or words & n.captions)  # an item about the chart
        ]
        return max(scored)[2] if scored else None  # the most words shared, else the nearest note under the chart


def _captions(paras: list[_Para], k: int) -> frozenset[str]:
    """The words of the captions (not the value labels) of the chart a note at paras[k] sits under: past the notes
    right above it, up to another note or the presenting paragraph."""
    j = k - 1
    while j >= 0 and paras[j].note:
        j -= 1
    words: set[str] = set()
    while j >= 0 and paras[j].chart_part and not paras[j].note:
        if not paras[j].item:
            words |= _stems(paras[j].text)
        j -= 1
    return frozenset(words)


def _annotated(paras: list[_Para], k: int) -> Span | None:
    """The text a note at paras[k] dates: up past the chart (other notes, captions, value labels) to the paragraph
    that presents it, with the items of its list when it is one of them."""
    j = k - 1
    while j >= 0 and (paras[j].note or paras[j].chart_part):
        j -= 1
    if j < 0:
        return None
    end, first = paras[j].end, j
    while paras[first].item and first > 0 and paras[first - 1].item and not paras[first - 1].chart_part:
        first -= 1
    return paras[first].start, end


@lru_cache(maxsize=SENTENCE_CACHE)
def _marks(text: str) -> tuple[str, ...]:
    """The footnote marks of a sentence, in order (read once for all its figures)."""
    return tuple(re.findall(r"[¹²³⁴⁵⁶⁷⁸⁹]", text))
