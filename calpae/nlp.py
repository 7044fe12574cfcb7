"""spaCy's French pipeline, ready in a fraction of a second instead of ~5 s.

A cold `spacy.load("fr_core_news_sm")` spends ~4 s of CPU compiling the French tokenizer's regular expressions
(one pattern of 1.4 M characters) and ~0.25 s filling the vocabulary's string table (148 k strings). Here:
- the tokenizer's compiled patterns come from a cache file (calpae.regex_cache), written by the first load
  under `$CALPAE_CACHE_DIR`, else `$XDG_CACHE_HOME/calpae`, else `~/.cache/calpae`, and keyed by the
  interpreter, spaCy and model versions (another version writes its own file; a damaged one is rewritten);
- the string table is not read: it only maps hashes back to text, and every string a document needs is
  added as the document is built (tokens, morphological features, dependency labels, lemmas).
The cache concerns the tokenizer and the vocabulary, never a list of components, so any selection (tagger
only, or with the parser) loads the same way. `CALPAE_NO_CACHE=1` loads the stock way and writes nothing.

spaCy's own `import spacy` also imports its command-line package (`spacy.cli`: weasel, httpx, rich, typer…,
~0.3 s and ~400 modules) only to offer `spacy.info`; calpae never runs spaCy's commands, so the first import
here goes without it (`spacy.info` then imports it when called; `import spacy.cli` works as usual).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import types
from collections.abc import Iterable
from pathlib import Path

from calpae import regex_cache

log = logging.getLogger(__name__)

SPACY_MODEL = "fr_core_news_sm"
CACHE_DIR_ENV = "CALPAE_CACHE_DIR"
NO_CACHE_ENV = "CALPAE_NO_CACHE"
# Patterns shorter than this compile in well under 10 ms each: not worth a cache entry (characters).
MIN_CACHED_PATTERN_CHARS = 2000
# Serialization fields of a pipeline that are not read (see the module docstring).
SKIPPED_FIELDS = ("strings",)


def cache_dir() -> Path:
    """calpae's cache folder: $CALPAE_CACHE_DIR, else $XDG_CACHE_HOME/calpae, else ~/.cache/calpae."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "calpae"


def cache_enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def _safe(part: str) -> str:
    return re.sub(r"[^\w.+-]", "_", part)


def tokenizer_cache_path(model: str, model_version: str, spacy_version: str) -> Path:
    """The cache file of one model version under one spaCy version and interpreter."""
    tag = regex_cache.interpreter_key()["implementation"]
    name = f"spacy-tokenizer-{_safe(model)}-{_safe(model_version)}-spacy{_safe(spacy_version)}-{_safe(tag)}.json"
    return cache_dir() / name


def import_spacy() -> types.ModuleType:
    """`import spacy` without its command-line package (see the module docstring)."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return importlib.import_module("spacy")
    stub = types.ModuleType("spacy.cli")
    stub.__path__ = []  # a package: `spacy.cli.info` is looked up in sys.modules below
    info_stub = types.ModuleType("spacy.cli.info")
    info_stub.info = _spacy_info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": stub, "spacy.cli.info": info_stub})
    try:
        import spacy
    finally:
        for name in ("spacy.cli.info", "spacy.cli"):
            if sys.modules.get(name) in (stub, info_stub):
                del sys.modules[name]
    if getattr(spacy, "cli", None) is stub:
        delattr(spacy, "cli")  # `spacy.cli` is imported for real the first time it is asked for
    return spacy


def _spacy_info(*args: object, **kwargs: object) -> object:
    """spacy.info, importing spaCy's command-line package when it is called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)  # type: ignore[arg-type]


def load_pipeline(model: str = SPACY_MODEL, exclude: Iterable[str] = (), use_cache: bool | None = None):
    """spacy.load(model, exclude=...), fast: same pipeline, same annotations, only the start-up time differs.

    use_cache=None follows $CALPAE_NO_CACHE; False is the stock load (every pattern compiled, strings read)."""
    spacy = import_spacy()  # heavy (~0.5 s of imports): only when a pipeline is wanted

    exclude = list(exclude)
    if use_cache is None:
        use_cache = cache_enabled()
    if not use_cache:
        return spacy.load(model, exclude=exclude)
    exclude += [f for f in SKIPPED_FIELDS if f not in exclude]
    if not regex_cache.SUPPORTED:
        return spacy.load(model, exclude=exclude)
    model_version = str(getattr(importlib.import_module(model), "__version__", "unknown"))
    key = {**regex_cache.interpreter_key(), "spacy": spacy.__version__, "model": model, "model_version": model_version}
    try:
        path = tokenizer_cache_path(model, model_version, spacy.__version__)
    except (RuntimeError, KeyError) as exc:  # no home directory to find a cache folder in
        log.info("calpae: no cache folder (%s); set %s", exc, CACHE_DIR_ENV)
        return spacy.load(model, exclude=exclude)
    patterns = regex_cache.load(path, key)
    if patterns:
        try:
            regex_cache.seed(patterns)
            return spacy.load(model, exclude=exclude)
        except (TypeError, ValueError, RuntimeError) as exc:  # opcodes the engine refuses: compile normally
            log.warning("calpae: ignoring the tokenizer cache %s (%s); rebuilding it", path, exc)
    with regex_cache.record(MIN_CACHED_PATTERN_CHARS) as recorded:
        nlp = spacy.load(model, exclude=exclude)
    if recorded:  # nothing is recorded when the patterns were already compiled in this process
        try:
            regex_cache.save(path, key, recorded)
        except OSError as exc:  # a read-only home: every process compiles, nothing else changes
            log.info("calpae: cannot write the tokenizer cache %s (%s)", path, exc)
    return nlp
