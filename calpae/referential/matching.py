"""Fuzzy matching of free labels onto referential names and aliases (rapidfuzz), never forced below a threshold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from calpae.referential.normalize import normalize_label, strip_numbering, strip_parentheses

_SEGMENT_SPLIT = re.compile(r"\s+[–—-]\s+|\s*:\s+|\s*\(\s*|\)\s*")
SCORE_CACHE = 20_000  # labels memoised per index (least recently used dropped first: a long batch stays bounded)


@dataclass(frozen=True)
class Candidate:
    key: str
    text: str
    norm: str


def pair_score(label: str, cand: str) -> float:
    """0-100 similarity of two normalised labels: whole-label ratios, or containment weighted by coverage."""
    if not label or not cand:
        return 0.0
    if label == cand:
        return 100.0
    score = max(fuzz.token_sort_ratio(label, cand), fuzz.ratio(label, cand))
    short, long_ = sorted((label, cand), key=len)
    if len(short) >= 6:
        coverage = len(short) / len(long_)
        if f" {short} " in f" {long_} ":
            score = max(score, 100.0 * coverage**0.5)
        elif len(short) >= 12:
            partial = fuzz.partial_ratio(short, long_)
            if partial >= 90:
                score = max(score, partial * coverage**0.5)
    return float(score)


def label_variants(label: str, *, segments: bool) -> list[tuple[str, float]]:
    """Normalised forms of a label with their penalty: as is, unnumbered, without asides, and its segments."""
    base = strip_numbering(label)
    out = [(normalize_label(label), 0.0), (normalize_label(base), 0.0), (normalize_label(strip_parentheses(base)), 2.0)]
    if segments:
        for part in _SEGMENT_SPLIT.split(base):
            if len(part.strip()) >= 4:
                out.append((normalize_label(part), 3.0))
    seen: dict[str, float] = {}
    for norm, pen in out:
        if norm and (norm not in seen or pen < seen[norm]):
            seen[norm] = pen
    return list(seen.items())


class FuzzyIndex:
    """Names and aliases of referential entries, matched against free labels."""

    def __init__(self, entries: list[tuple[str, str]]):
        self.candidates = [Candidate(key, text, normalize_label(text)) for key, text in entries if text.strip()]
        self._exact: dict[str, set[str]] = {}
        self._cached_score = lru_cache(maxsize=SCORE_CACHE)(self._score)
        for c in self.candidates:
            self._exact.setdefault(c.norm, set()).add(c.key)

    def exact_keys(self, text: str) -> set[str]:
        """Keys whose name or alias normalises to exactly this text."""
        return set(self._exact.get(normalize_label(text), set()))

    def scores(self, label: str, *, segments: bool = False) -> dict[str, float]:
        """Best score per key for this label (memoised: the same labels recur across tables and documents)."""
        return dict(self._cached_score(label, segments))

    def _score(self, label: str, segments: bool) -> dict[str, float]:
        best: dict[str, float] = {}
        for norm, penalty in label_variants(label, segments=segments):
            for c in self.candidates:
                s = pair_score(norm, c.norm) - penalty
                if s > best.get(c.key, 0.0):
                    best[c.key] = s
        return best


def pick(scores: dict[str, float], threshold: float, margin: float = 3.0) -> tuple[str, float] | None:
    """The best key if it clears the threshold and is not tied with a different key (unless near-exact)."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    key, top = ranked[0]
    if top < threshold:
        return None
    if len(ranked) > 1 and top < 95 and top - ranked[1][1] < margin:
        return None
    return key, round(min(top, 100.0), 1)
