"""Tie indicator values to the referential's measure and indicator ids; unsure matches stay unmapped."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from calpae.indicators.context import section_titles
from calpae.models import Document, IndicatorValue

log = logging.getLogger(__name__)

MIN_INDICATOR_SCORE = 80.0  # below this an indicator stays unmapped (None), never forced
MIN_MEASURE_SCORE = 70.0

_NUMBERING = re.compile(r"^\s*(?:\d+[.)]?)+(?:\s*[-–:])?\s*")


@lru_cache(maxsize=1)
def referential():
    """The loaded referential, or None while it is not available (values then stay unmapped)."""
    try:
        from calpae.referential import load_referential
    except ImportError:
        return None
    try:
        return load_referential()
    except Exception as exc:  # a broken data file must not stop extraction
        log.warning("referential could not be loaded: %s", exc)
        return None


def _unpack(match) -> tuple[str, float] | None:
    """(id, score) from whatever the referential returns: a tuple, an object, or None."""
    if match is None:
        return None
    if isinstance(match, tuple):
        ident, score = match[0], match[1]
    else:
        ident = getattr(match, "id", None) or getattr(match, "indicator_id", None) or getattr(match, "measure_id", None)
        score = getattr(match, "score", 0.0)
    if ident is None:
        return None
    return str(getattr(ident, "id", ident)), float(score)


def strip_numbering(label: str | None) -> str:
    """A measure label without its section number ("2.1.1. Maillage…" → "Maillage…")."""
    return _NUMBERING.sub("", label or "").strip()


def map_measure(ref, measure_label: str | None, titles: list[str]) -> tuple[str, float] | None:
    """Measure of a value: from the "Mesure" cell first, else from the enclosing sections' titles."""
    context = " ".join(titles) or None
    candidates = [strip_numbering(measure_label)] if measure_label else []
    candidates += [strip_numbering(t) for t in titles]
    for label in candidates:
        if not label:
            continue
        found = _unpack(ref.match_measure(label, context=context))
        if found and found[1] >= MIN_MEASURE_SCORE:
            return found
    return None


def _measure_of_indicator(ref, indicator_id: str) -> str | None:
    """The measure an indicator belongs to in the referential (None if the referential does not say)."""
    ind = getattr(ref, "indicators", {}).get(indicator_id)
    return getattr(ind, "measure_id", None)


def map_values(doc: Document, values: list[IndicatorValue]) -> None:
    """Fill measure_id, indicator_id and indicator_score in place where the referential is sure."""
    ref = referential()
    if ref is None or not values:
        return
    measures: dict[tuple[str | None, str | None], tuple[str, float] | None] = {}
    indicators: dict[tuple[str, str | None], tuple[str, float] | None] = {}
    for v in values:
        key = (v.measure_label, v.section)
        if key not in measures:
            measures[key] = map_measure(ref, v.measure_label, section_titles(doc, v.section))
        measure = measures[key]
        v.measure_id = measure[0] if measure else None
        ikey = (v.indicator_label, v.measure_id)
        if ikey not in indicators:
            indicators[ikey] = _unpack(ref.match_indicator(v.indicator_label, measure_id=v.measure_id))
        found = indicators[ikey]
        if found and found[1] >= MIN_INDICATOR_SCORE:
            v.indicator_id, v.indicator_score = found
            if v.measure_id is None:
                v.measure_id = _measure_of_indicator(ref, v.indicator_id)
        else:
            v.indicator_id, v.indicator_score = None, (found[1] if found else None)
