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
from collections import OrderedDict
from functools import lru_cache

from calpae import parser_process
from calpae.classify.national import is_national
from calpae.indicators.paragraphs import headings
from calpae.indicators.prose_carry import Candidate, candidates
from calpae.indicators.prose_facts import FactContext, sentence_facts
from calpae.indicators.prose_figures import ProseAnalysis
from calpae.indicators.prose_numbers import Figure
from calpae.indicators.prose_records import to_records
from calpae.indicators.prose_years import restated_years
from calpae.models import Amount, Document, IndicatorValue

SPACY_MODEL = "fr_core_news_sm"


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


def start_parser_process() -> bool:
    """Where this process does not hold the parser yet, load it in a sibling process while the document is read
    (calpae.parser_process); True when one runs."""
    if nlp.cache_info().currsize:
        return False
    return parser_process.start(load_parser, parse_candidates)


def load_parser() -> None:
    """Load the French pipeline with its parser in this process (a sibling parser process does it first thing)."""
    nlp(parser=True)


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


def _analyse(doc: Document) -> ProseAnalysis:
    ctx = FactContext.of(doc, headings(doc))
    found = candidates(ctx)
    if not found:
        return ProseAnalysis()
    # a sibling holding the parser, if one runs, parses them (with a copy of the document: calpae.parser_process)
    remote = parser_process.call((_without_words(doc), found)) if parser_process.running() else None
    if remote is not None:
        ok, value = remote
        if not ok:
            raise value
        result: ProseAnalysis = value
        return result
    return _facts(ctx, found)


def parse_candidates(payload: tuple[Document, list[Candidate]]) -> ProseAnalysis:
    """The analysis of a document's candidate sentences, in a sibling parser process (the same steps on its copy)."""
    doc, found = payload
    return _facts(FactContext.of(doc, headings(doc)), found)


def _facts(ctx: FactContext, found: list[Candidate]) -> ProseAnalysis:
    """Steps 3-4: the candidate sentences parsed in one `pipe` call, then each figure's fact, then the records."""
    analysis = ProseAnalysis()
    parsed = nlp(parser=True).pipe((parse_text(c.sent.text, c.figures) for c in found), batch_size=64)
    for cand, sdoc in zip(found, parsed, strict=True):
        analysis.malformed += [(cand.sent, f) for f in cand.figures if f.malformed]
        facts, skipped = sentence_facts(ctx, cand, sdoc)
        analysis.figures.extend(facts)
        analysis.skipped += skipped
    restated_years(analysis.figures)
    to_records(ctx.doc, analysis)
    return analysis


def _without_words(doc: Document) -> Document:
    """A copy of the document for the parser process: its lines without their words' boxes, which the prose analysis
    does not read (they are most of the document's size: sending them cost seconds on a 100-page document)."""
    pages = [
        pg.model_copy(update={"lines": [ln.model_copy(update={"words": []}) for ln in pg.lines]}) for pg in doc.pages
    ]
    return doc.model_copy(update={"pages": pages})


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
