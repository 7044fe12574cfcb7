"""The fast French pipeline (calpae.nlp): a damaged cache is rebuilt, a good one spares the tokenizer's compile,
and annotations and extracted records are the same as with spaCy's stock load, tagger only or with the parser."""

from __future__ import annotations

import importlib
import re

import pytest
import spacy
from _read_cache import read_once

from calpae import nlp as fast_nlp
from calpae import regex_cache
from calpae.indicators import prose
from calpae.pipeline import analyse_document

pytestmark = [
    pytest.mark.skipif(not regex_cache.SUPPORTED, reason="the compiled-pattern cache needs CPython ≥ 3.11"),
    pytest.mark.slow,  # the fixture compiles the French tokenizer once (~4 s) and loads four pipelines
]

TAGGER_ONLY = ["parser", "ner", "lemmatizer", "attribute_ruler", "senter"]  # prose.nlp()
WITH_PARSER = ["ner", "lemmatizer", "senter"]  # prose.nlp(parser=True): what prose facts use
TOKENIZER_PATTERNS = ("token_match", "prefix_search", "suffix_search", "infix_finditer")


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    """A damaged cache file, then: a load that rebuilds it, a load served by it, and the stock load."""
    mp = pytest.MonkeyPatch()
    mp.setenv(fast_nlp.CACHE_DIR_ENV, str(tmp_path_factory.mktemp("calpae-cache")))
    mp.delenv(fast_nlp.NO_CACHE_ENV, raising=False)
    model = fast_nlp.SPACY_MODEL
    version = importlib.import_module(model).__version__
    path = fast_nlp.tokenizer_cache_path(model, version, spacy.__version__)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"format": 1, "key": {}}\nnot a cache')
    try:
        re.purge()  # as in a new process: the tokenizer's patterns are compiled anew
        built = fast_nlp.load_pipeline(exclude=TAGGER_ONLY)
        key = {
            **regex_cache.interpreter_key(),
            "spacy": spacy.__version__,
            "model": model,
            "model_version": version,
        }
        rebuilt = regex_cache.load(path, key)
        re.purge()
        with regex_cache.record(fast_nlp.MIN_CACHED_PATTERN_CHARS) as compiled:
            fast = fast_nlp.load_pipeline(exclude=TAGGER_ONLY)
        stock = fast_nlp.load_pipeline(exclude=TAGGER_ONLY, use_cache=False)
        fast_parser = fast_nlp.load_pipeline(exclude=WITH_PARSER)
        stock_parser = fast_nlp.load_pipeline(exclude=WITH_PARSER, use_cache=False)
        yield {
            "built": built,
            "rebuilt": rebuilt,
            "compiled": compiled,
            "fast": fast,
            "stock": stock,
            "fast_parser": fast_parser,
            "stock_parser": stock_parser,
        }
    finally:
        mp.undo()


def test_damaged_cache_is_rebuilt_then_serves_the_tokenizer(loads):
    assert loads["rebuilt"] is not None
    texts = {p.text for p in loads["rebuilt"]}
    for name in TOKENIZER_PATTERNS:
        assert getattr(loads["built"].tokenizer, name).__self__.pattern in texts
    assert max(len(t) for t in texts) > 1_000_000  # the French token_match, the one that took seconds
    assert loads["compiled"] == []  # the second load compiled no large pattern: they came from the file


def test_cached_patterns_are_the_compiled_ones(loads):
    for name in TOKENIZER_PATTERNS:
        fresh = getattr(loads["built"].tokenizer, name).__self__
        cached = getattr(loads["fast"].tokenizer, name).__self__
        assert cached is not fresh
        assert cached == fresh  # same pattern, flags and opcodes


def _digit_sentences(seed) -> list[str]:
    from conftest import SEED_FILES

    out = []
    for name in SEED_FILES:
        text = seed(name).read_text(encoding="utf-8")
        out += [s.strip() for s in re.split(r"(?<=[.;:!?])\s+|\n\s*\n", text) if any(c.isdigit() for c in s)]
    return [s for s in out if s]


def _annotations(nlp, texts: list[str], parser: bool) -> list[tuple]:
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        for t in doc:
            row = (t.idx, t.text, t.pos_, t.tag_, str(t.morph), t.is_punct, t.norm_, t.shape_, t.is_stop)
            out.append(row + ((t.dep_, t.head.i) if parser else ()))
    return out


def test_annotations_equal_the_stock_load(loads, seed):
    texts = _digit_sentences(seed)
    assert len(texts) > 800
    texts = texts[::2]  # every other one: the records test below covers the rest through the prose reader
    fast, stock = _annotations(loads["fast"], texts, False), _annotations(loads["stock"], texts, False)
    assert len(fast) > 10_000
    assert fast == stock
    assert len(loads["fast"].vocab.strings) < len(loads["stock"].vocab.strings)  # the string table was skipped


def test_annotations_with_the_parser_equal_the_stock_load(loads, seed):
    texts = _digit_sentences(seed)[1::4]
    fast, stock = loads["fast_parser"], loads["stock_parser"]
    assert "parser" in fast.pipe_names and fast.pipe_names == stock.pipe_names
    assert _annotations(fast, texts, True) == _annotations(stock, texts, True)


def _records(doc, tagger_nlp, parser_nlp, monkeypatch) -> dict:
    monkeypatch.setattr(prose, "nlp", lambda parser=False: parser_nlp if parser else tagger_nlp)
    ext = analyse_document(doc.model_copy(deep=True))
    return ext.model_dump(mode="json", exclude={"document"})


@pytest.mark.parametrize("kind", ["seeds", "corpus"])
def test_records_of_the_seed_documents_equal_the_stock_load(loads, seed, corpus_pdf, monkeypatch, kind):
    from conftest import CORPUS_FILES, SEED_FILES

    paths = [seed(n) for n in SEED_FILES] if kind == "seeds" else [corpus_pdf(n) for n in CORPUS_FILES]
    prose_values = 0
    for path in paths:
        doc = read_once(path)
        fast = _records(doc, loads["fast"], loads["fast_parser"], monkeypatch)
        stock = _records(doc, loads["stock"], loads["stock_parser"], monkeypatch)
        assert fast == stock, path.name
        prose_values += sum(v["origin"] == "prose" for v in fast["indicator_values"])
    assert prose_values > 20
