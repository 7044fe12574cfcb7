"""Facts stated in prose: every figure of the running text gets a subject, a year, a kind and a scope.

Pipeline for one document (`analyse_prose`, once per document, cached on it):
1. sentences of the prose (tables, furniture and stamps left out) that hold a figure (`prose_numbers`);
2. figures that are not quantities dropped: dates, years, ages, references, ranges, criteria (`prose_filters`);
3. only those sentences go through spaCy's parser (`nlp(parser=True)`, one `pipe` call);
4. per figure: subject from the parse (`prose_subject`), year from clause/sentence/heading/document
   (`prose_time`), kind and scope from cues that govern it (`prose_kind`), part and stage of money
   (`calpae.budget.prose`), then the referential indicator when the subject is one (`prose_facts`).
Money with a part and a stage becomes a budget fact; every amount stays in `amounts` with its sentence; other
figures are indicator values with origin 'prose', mapped to an indicator id only when the referential is sure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from calpae.indicators.context import section_at, section_titles
from calpae.indicators.paragraphs import Sentence, headings, sentences
from calpae.indicators.prose_filters import reason_not_value
from calpae.indicators.prose_numbers import Figure, find_figures, has_figure_hint
from calpae.indicators.prose_time import heading_year, segments, sentence_year
from calpae.models import Amount, BudgetLine, Document, IndicatorValue

SPACY_MODEL = "fr_core_news_sm"
NATIONAL_DOC_TYPES = {"instruction"}  # documents of the State: no département facts in them
_WORDS = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=2)
def nlp(parser: bool = False):
    """The French pipeline, loaded once per variant. parser=False keeps the tagger only (fast); parser=True adds
    the dependency parser, which prose facts need to find the noun a figure quantifies."""
    import spacy

    exclude = ["ner", "lemmatizer", "senter"] if parser else ["parser", "ner", "lemmatizer", "attribute_ruler", "senter"]
    return spacy.load(SPACY_MODEL, exclude=exclude)


@dataclass
class ProseFigure:
    """One figure of the prose with what the sentence says about it."""

    sentence: Sentence
    figure: Figure
    label: str
    year: int | None
    kind: str  # actual, target, baseline, change, budget
    scope: str  # departement, local, national, other_territory
    section: str | None
    heading: str | None = None
    part: str | None = None
    stage: str | None = None
    level: str | None = None
    noun: str | None = None  # the counted noun as written (for the prose checks)
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


def is_national(doc: Document) -> bool:
    """A document of the State (instruction, circular): its figures are examples or national, not a département's."""
    return doc.doc_type in NATIONAL_DOC_TYPES


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


def _candidates(doc: Document) -> list[tuple[Sentence, list[Figure]]]:
    out = []
    for sent in sentences(doc):
        if not has_figure_hint(sent.text) or len(_WORDS.findall(sent.text)) < 2:
            continue
        figs = [f for f in find_figures(sent.text) if reason_not_value(sent.text, f) is None]
        if figs:
            out.append((sent, figs))
    return out


def _analyse(doc: Document) -> ProseAnalysis:
    from calpae.indicators.prose_facts import FactContext, sentence_facts, to_records

    found = _candidates(doc)
    analysis = ProseAnalysis()
    if not found:
        return analysis
    ctx = FactContext.of(doc, headings(doc))
    parsed = nlp(parser=True).pipe((parse_text(s.text, figs) for s, figs in found), batch_size=64)
    for (sent, figs), sdoc in zip(found, parsed):
        facts, skipped = sentence_facts(ctx, sent, figs, sdoc)
        analysis.figures.extend(facts)
        analysis.skipped += skipped
    to_records(doc, analysis)
    return analysis


_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}\b)")


def parse_text(text: str, figs: list[Figure]) -> str:
    """The sentence as the parser reads it, same length: '853 760 €' → '853.760 €' (one number token, not a
    determiner and a number), curly apostrophes straightened ('s’est' → "s'est")."""
    chars = list(text.replace("’", "'"))
    for f in figs:
        for m in _GROUP_SPACE.finditer(text, f.start, f.end):
            chars[m.start()] = "."
    return "".join(chars)


def heading_before(index: list[tuple[int, int, str]], page: int | None, line: int | None) -> str | None:
    """The nearest heading-like line above a position."""
    keys = [(p, ln) for p, ln, _ in index]
    k = bisect_right(keys, (page or 0, (line or 0) - 1)) - 1
    return index[k][2] if k >= 0 else None


def figure_year(ctx, sent: Sentence, f: Figure, section: str | None, heading: str | None) -> tuple[int | None, str]:
    """Year of a figure: its clause or sentence, else the paragraph's, the heading's, the section's, the document's."""
    year, source = sentence_year(sent.text, f.start, f.end, ctx.year)
    if year is not None:
        return year, source
    if source != "comparison" and (carried := ctx.paragraph_years.get(sent.para)) is not None:
        return carried, "paragraph"
    for title in [heading, *section_titles(ctx.doc, section)]:
        if (y := heading_year(title, ctx.year)) is not None:
            return y, "heading"
    return ctx.year, "document"


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
