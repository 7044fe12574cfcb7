"""Facts stated in prose: every figure of the running text gets a subject, a year, a kind and a scope.

Pipeline for one document (`analyse_prose`, once per document, cached on it):
1. sentences of the prose (tables, furniture and stamps left out) that hold a figure (`prose_numbers`);
2. figures that are not quantities dropped: dates, years, ages, references, ranges, criteria (`prose_filters`);
3. only those sentences go through spaCy's parser (`nlp(parser=True)`, one `pipe` call);
4. per figure: subject from the parse (`prose_subject`), year from clause/sentence/heading/document
   (`prose_time`), kind and scope from cues that govern it (`prose_kind`), part and stage of money
   (`prose_money`), then the referential indicator when the subject is one (`prose_facts`).
Money with a part and a stage becomes a budget fact; every amount stays in `amounts` with its sentence; other
figures are indicator values with origin 'prose', mapped to an indicator id only when the referential is sure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from calpae.classify.national import is_national
from calpae.indicators.context import section_at, section_titles
from calpae.indicators.paragraphs import Sentence, headings, sentences
from calpae.indicators.prose_filters import reason_not_value
from calpae.indicators.prose_numbers import Figure, find_figures, has_figure_hint
from calpae.indicators.prose_time import heading_year, segments, sentence_year, year_mentions
from calpae.models import Amount, BudgetLine, Document, IndicatorValue
from calpae.models.records import Level, Part, Scope, Stage

SPACY_MODEL = "fr_core_news_sm"
REPORT_TYPES = {"rapport_execution", "bilan"}  # reports on a past year: their 'perspectives' are the next year
_WORDS = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=2)
def nlp(parser: bool = False):
    """The French pipeline, loaded once per variant (in a fraction of a second: calpae.nlp). parser=False keeps
    the tagger only (fast); parser=True adds the dependency parser, which prose facts need to find the noun a
    figure quantifies."""
    from calpae.nlp import load_pipeline

    exclude = (
        ["ner", "lemmatizer", "senter"] if parser else ["parser", "ner", "lemmatizer", "attribute_ruler", "senter"]
    )
    return load_pipeline(SPACY_MODEL, exclude=exclude)


@dataclass
class ProseFigure:
    """One figure of the prose with what the sentence says about it."""

    sentence: Sentence
    figure: Figure
    label: str
    year: int | None
    kind: str  # actual, target, baseline, change, budget
    scope: Scope
    section: str | None
    heading: str | None = None
    part: Part | None = None
    stage: Stage | None = None
    level: Level | None = None
    noun: str | None = None  # the counted noun as written (for the prose checks)
    terms: tuple[str, ...] = ()  # the counted noun and the nouns naming it ('accompagnants psychologues')
    year_source: str = ""  # clause, sentence, carried, heading, note, document
    indicator_id: str | None = None
    measure_id: str | None = None

    @property
    def line(self):
        return self.sentence.line_at(self.figure.start)

    @property
    def unit(self) -> str:
        return {"percent": "%"}.get(self.figure.unit, self.figure.unit)


@dataclass
class ProseAnalysis:
    """What the prose of one document states: the figures, and the records built from them."""

    figures: list[ProseFigure] = field(default_factory=list)
    indicator_values: list[IndicatorValue] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    skipped: int = 0  # figures left out because no subject could be read
    malformed: list[tuple[Sentence, Figure]] = field(default_factory=list)  # broken numbers, with or without a subject


_RECENT: OrderedDict[int, tuple[Document, ProseAnalysis]] = OrderedDict()
RECENT_DOCUMENTS = 4  # analyses kept: the stages of one document run one after the other in one process


def analyse_prose(doc: Document) -> ProseAnalysis:
    """The prose facts of a document, computed once (the budget, indicator and audit stages all use them)."""
    hit = _RECENT.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    analysis = ProseAnalysis() if is_national(doc) else _analyse(doc)
    _RECENT[id(doc)] = (doc, analysis)
    while len(_RECENT) > RECENT_DOCUMENTS:
        _RECENT.popitem(last=False)
    return analysis


def prose_indicators(doc: Document) -> list[IndicatorValue]:
    """Indicator values stated in the document's prose, each with the sentence as raw provenance."""
    return analyse_prose(doc).indicator_values


def prose_amounts(doc: Document) -> list[Amount]:
    """Every money amount stated in the document's prose, with its sentence."""
    return analyse_prose(doc).amounts


CARRY_LINES = 3  # a sentence this close after a dated one, with no year of its own, shares its year
_BULLET = re.compile(r"^\s*(?:[-–•✓✔✚↳➢►▪◦*]|o\s)")


@dataclass
class _YearCarry:
    """The year the text has just been talking about, handed to the next sentences without one: the rest of the
    paragraph, the items of a list introduced by a dated line ('Durant l'année 2018 :'), a sentence right after."""

    year: int | None = None
    para: int = -1
    line: int = -1
    intro_year: int | None = None

    def carried(self, sent: Sentence) -> Carried | None:
        """The year handed to this sentence, and whether the hand-over is strong (same paragraph, list item)."""
        bullet = bool(_BULLET.match(sent.lines[0].text)) if sent.lines else False
        if self.intro_year is not None and bullet:
            return Carried(self.intro_year, True)
        first = sent.lines[0].line_no or 0 if sent.lines else 0
        if self.year is not None and sent.para == self.para:
            return Carried(self.year, True)
        if self.year is not None and not bullet and 0 <= first - self.line <= CARRY_LINES:
            return Carried(self.year, False)
        return None

    def update(self, sent: Sentence, doc_year: int | None, carried: Carried | None = None) -> None:
        bullet = bool(_BULLET.match(sent.lines[0].text)) if sent.lines else False
        year = main_segment_year(sent, doc_year) if any(ch.isdigit() for ch in sent.text) else None
        if year is not None and doc_year is not None and year > doc_year:
            year = None  # a statement about the future does not set the time of the sentences after it
        if year is None and carried is not None and carried.strong and not sent.text.rstrip().endswith(":"):
            year = carried.year  # the time a paragraph is about runs on through its sentences
        if year is not None:
            self.year, self.para = year, sent.para
        if sent.lines and (year is not None or sent.para == self.para):
            self.line = sent.lines[-1].line_no or 0
        if sent.text.rstrip().endswith(":"):
            self.intro_year = year if year is not None else (self.intro_year if bullet else None)
        elif not bullet:
            self.intro_year = None


NOTE_MAX_CHARS = 120  # a sentence this short right after one stating money may say what the money is


@dataclass(frozen=True)
class Carried:
    """A year handed over from the text before; strong within a paragraph or a list, weak across paragraphs."""

    year: int
    strong: bool


@dataclass
class Candidate:
    """A sentence holding figures, the year the text before it sets, and the short sentence after it."""

    sent: Sentence
    figures: list[Figure]
    carried: Carried | None
    after: str | None = None


def _candidates(doc: Document, doc_year: int | None) -> list[Candidate]:
    out: list[Candidate] = []
    carry = _YearCarry()
    last: Candidate | None = None
    for sent in sentences(doc):
        if last is not None and len(sent.text) <= NOTE_MAX_CHARS and sent.lines and last.sent.lines:
            if 0 < (sent.lines[0].line_no or 0) - (last.sent.lines[-1].line_no or 0) <= CARRY_LINES:
                last.after = sent.text
        last = None
        carried = carry.carried(sent)
        carry.update(sent, doc_year, carried)
        if not has_figure_hint(sent.text) or len(_WORDS.findall(sent.text)) < 2:
            continue
        figs = [f for f in find_figures(sent.text) if reason_not_value(sent.text, f) is None]
        if figs:
            last = Candidate(sent, figs, carried)
            out.append(last)
    return out


def _analyse(doc: Document) -> ProseAnalysis:
    from calpae.indicators.prose_facts import FactContext, sentence_facts
    from calpae.indicators.prose_records import to_records

    ctx = FactContext.of(doc, headings(doc))
    found = _candidates(doc, ctx.year)
    analysis = ProseAnalysis()
    if not found:
        return analysis
    parsed = nlp(parser=True).pipe((parse_text(c.sent.text, c.figures) for c in found), batch_size=64)
    for cand, sdoc in zip(found, parsed, strict=True):
        analysis.malformed += [(cand.sent, f) for f in cand.figures if f.malformed]
        facts, skipped = sentence_facts(ctx, cand, sdoc)
        analysis.figures.extend(facts)
        analysis.skipped += skipped
    to_records(doc, analysis)
    return analysis


_SCALED_EURO = re.compile(r"[kKM]€")
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}\b)")


def parse_text(text: str, figs: list[Figure]) -> str:
    """The sentence as the parser reads it, same length: '853 760 €' → '853.760 €' (one number token, not a
    determiner and a number), curly apostrophes straightened ('s’est' → "s'est")."""
    chars = list(text.replace("’", "'"))
    for f in figs:
        for m in _GROUP_SPACE.finditer(text, f.start, f.end):
            chars[m.start()] = "."
        for m in _SCALED_EURO.finditer(text, f.start, f.end):
            chars[m.start()], chars[m.start() + 1] = "€", " "  # "2493 k€." → "2493 € ." (a known unit token)
        if f.words and f.start == 0:
            chars[0] = chars[0].lower()  # "Douze sessions …": a number, not a proper noun
    return "".join(chars)


def heading_before(
    index: list[tuple[int, int, str]], page: int | None, line: int | None, keys: list[tuple[int, int]] | None = None
) -> str | None:
    """The nearest heading-like line above a position (keys: the index's (page, line) pairs, made once per
    document by a caller that asks for every figure)."""
    keys = keys if keys is not None else [(p, ln) for p, ln, _ in index]
    k = bisect_right(keys, (page or 0, (line or 0) - 1)) - 1
    return index[k][2] if k >= 0 else None


def figure_year(
    ctx,
    sent: Sentence,
    f: Figure,
    section: str | None,
    heading: str | None,
    carried: Carried | None,
    change: bool = False,
) -> tuple[int | None, str]:
    """Year of a figure: its clause or sentence, else its paragraph's or list's, the heading's or section's,
    a sentence just before, a data note under it, the document's."""
    year, source = sentence_year(sent.text, f.start, f.end, ctx.year, change)
    if year is not None:
        return year, source
    if source != "comparison" and carried is not None and carried.strong:
        return carried.year, "carried"
    for title in [heading, *section_titles(ctx.doc, section)]:
        if (y := heading_year(title, ctx.year, ctx.doc.doc_type in REPORT_TYPES)) is not None:
            return y, "heading"
    if source != "comparison" and carried is not None:
        return carried.year, "carried"
    if (y := ctx.notes.year_for(sent, section)) is not None:
        return y, "note"
    return ctx.year, "document"


NOTE_LINES = 60  # a data note ('Source : …', 'Champ : …') dates the undated figures this many lines above it
_NOTE = re.compile(r"^\W{0,3}(?:\*\*)?(?:sources?|champ|lecture|note)\s*(?:\*\*)?\s*:", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹])")


@dataclass
class DataNotes:
    """Notes under figures and charts ('Champ : … décembre 2014', 'Source : INSEE RP 2011', footnotes '¹ …'):
    they date the figures they annotate when the sentence itself does not."""

    notes: list[tuple[int, int, str | None]] = field(default_factory=list)  # (line, year, section)
    footnotes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document) -> DataNotes:
        out = cls()
        for ln in doc.lines():
            text = ln.text.strip()
            foot = _FOOTNOTE.match(text)
            if not (_NOTE.match(text) or foot):
                continue
            years = [m.year for m in year_mentions(text)] + [
                int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)[-1:]
            ]
            if not years:
                continue
            year = max(years)
            if foot:
                out.footnotes.setdefault(foot.group(1), year)
            if _NOTE.match(text):
                out.notes.append((ln.line_no or 0, year, section_at(doc, ln.page, ln.line_no)))
        return out

    def year_for(self, sent: Sentence, section: str | None) -> int | None:
        for mark in re.findall(r"[¹²³⁴⁵⁶⁷⁸⁹]", sent.text):
            if mark in self.footnotes:
                return self.footnotes[mark]
        last = sent.lines[-1].line_no or 0 if sent.lines else 0
        for line, year, note_section in self.notes:
            if 0 < line - last <= NOTE_LINES and note_section == section:
                return year
        return None


def main_segment_year(sent: Sentence, doc_year: int | None) -> int | None:
    """The year a sentence's main statement is about (what the next sentence of its paragraph inherits)."""
    segs = [s for s in segments(sent.text) if not s[2]]
    if not segs:
        return None
    year, source = sentence_year(sent.text, segs[0][0], segs[0][0], doc_year)
    return year if source in ("clause", "sentence") else None


def section_of_line(doc: Document, sent: Sentence, f: Figure) -> str | None:
    line = sent.line_at(f.start)
    return section_at(doc, line.page, line.line_no)
