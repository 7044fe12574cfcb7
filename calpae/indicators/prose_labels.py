"""Labels for figures the dependency parse does not link to a noun: the subject before a copula ('Le financement
… est de 2493 k€'), the participle before the figure ('a dépensé 1.094.100 €' → 'montant dépensé …'), the main
clause's subject; and the terms a count counts, for the prose checks."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from calpae.indicators.prose_subject import _phrase, anchor_of, tidy_label

_VERB_BEFORE = re.compile(
    r"\b(?:a|ont|avait|avaient)\s+((?:\w+\s+){0,2}?\w+(?:é|i|u|t|s)e?s?)\s+(?:\w+\s+){0,3}?$", re.I
)


_COPULA = re.compile(
    r"\s(?:est|sont|était|étaient|a\s+été|ont\s+été|s['’]élève(?:nt)?|s['’]est\s+élevée?|se\s+monte|atteint|"
    r"atteignent|représente(?:nt)?|s['’]établit|est\s+fixée?|proche|voisine?|égale?|de\s+l['’]ordre)"
    r"(?:\s+(?:estimée?s?|évaluée?s?|fixée?s?|portée?s?))?\s+"
    r"(?:de|à|d['’])?\s*(?:environ\s+|près\s+de\s+)?$",
    re.IGNORECASE,
)


_CLAUSE_SEP = re.compile(r"([.;:!?])\s|,\s(?=[A-ZÉ])")
COPULA_WORDS = 8  # blank-separated words a _COPULA match can span (at most 6), with a margin
SEPARATOR_CACHE = 64  # sentences whose clause separators are remembered


@lru_cache(maxsize=SEPARATOR_CACHE)
def _separators(text: str) -> tuple[list[int], list[bool]]:
    """Ends of the clause separators of a sentence, and whether each is a comma (its capital read after it)."""
    found = list(_CLAUSE_SEP.finditer(text))
    return [m.end() for m in found], [m.group(1) is None for m in found]


def _clause_start(text: str, start: int) -> int:
    """Where the clause before `start` begins: the end of the last separator of text[:start] (what
    re.split(_CLAUSE_SEP, text[:start])[-1] starts after), found by bisection. Separators never overlap, so the
    sentence's are those of every prefix, but a comma's needs its capital inside the prefix."""
    ends, commas = _separators(text)
    k = bisect_right(ends, start) - 1
    if k >= 0 and commas[k] and ends[k] >= start:
        k -= 1
    return ends[k] if k >= 0 else 0


def _last_words_start(text: str, n: int) -> int:
    """Start of the n-th last blank-separated word of text (0 when it has fewer)."""
    i = len(text)
    for _ in range(n):
        while i > 0 and text[i - 1].isspace():
            i -= 1
        while i > 0 and not text[i - 1].isspace():
            i -= 1
        if i == 0:
            return 0
    return i


def linear_subject(text: str, start: int, end: int, unit: str) -> str:
    """A label read without the parse, for sentences it gets wrong: the noun phrase before 'est de', 's'élève à'
    ('Le financement départemental attribué … est de 2493 k€'), or 'montant'/'nombre' and the participle before
    the figure ('Le Département a dépensé 1.094.100 € …' → 'montant dépensé')."""
    head = text[:start]
    clause = head[_clause_start(text, start) :]
    w = _last_words_start(clause, COPULA_WORDS)
    m = _COPULA.search(" " + clause[w:])
    if m:
        return tidy_label(re.sub(r"\s(?:19|20)\d\d$", "", clause[: w + m.start()].rstrip()))
    v = _VERB_BEFORE.search(head[-60:])
    if v:
        after = re.split(r"[.;,(]", text[end:], maxsplit=1)[0]
        noun = "montant" if unit == "EUR" else "nombre"
        return tidy_label(f"{noun} {v.group(1)} {after}")
    return ""


def main_subject(sdoc, skip: set[int]) -> str:
    """The subject of the sentence's main clause ('Le nombre de jeunes aidés dépasse les prévisions (52 au lieu
    de 40)' → 'nombre de jeunes aidés'): what an aside restating its value is about."""
    root = next((t for t in sdoc if t.dep_ == "ROOT"), None)
    if root is None:
        return ""
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass") and c.pos_ in ("NOUN", "PROPN")), None)
    if subj is None and root.pos_ == "NOUN":
        subj = root  # the parse made the subject the root
    return tidy_label(_phrase(subj, skip)) if subj is not None else ""


def counted_terms(noun) -> tuple[str, ...]:
    """What a count counts, as bare words: its noun and the nouns or adjectives that name it, one level down
    ('4 accompagnants psychologues' → accompagnant, psychologue; '3 postes de psychologues' → poste, psychologue)."""
    words = [noun]
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "appos", "flat:name", "nmod") and child.pos_ in ("NOUN", "ADJ", "PROPN"):
            if child.dep_ != "nmod" or any(
                c.dep_ == "case" and c.text.lower() in ("de", "d'", "des", "du") for c in child.children
            ):
                words.append(child)
    return tuple(sorted({w.text.lower().rstrip("s") for w in words if len(w.text) >= 4}))


def borrowed(head_noun, tokens: list, skip: set[int]) -> str:
    """Label of an elliptic figure ('4 en CDI', '14 ont obtenu leur diplôme') with the noun of the figure before it."""
    anchor = anchor_of(tokens)
    if anchor is None or head_noun is None:
        return ""
    rest: list[Any] = []
    for t in anchor.doc[anchor.i + 1 :]:
        if t.i in skip or t.text in (",", ";", ":", "(", ")", ".") or t.like_num or t.text.lower() == "et" and rest:
            break
        rest.append(t)
        if len(rest) >= 8:
            break
    if not rest or all(t.is_stop or t.is_punct for t in rest):
        return ""
    tail = "".join(t.text_with_ws for t in rest).strip()
    if rest[0].pos_ in ("AUX", "VERB"):
        tail = f"qui {tail}"
    return tidy_label(f"{head_noun.text} {tail}")


def elliptic(tokens: list) -> bool:
    """A figure standing for a noun said before it: '4 en CDI', 'dont 1229 qui ont déposé', '14 ont obtenu'."""
    last = tokens[-1]
    nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
    if nxt is None:
        return False
    return nxt.pos_ in ("ADP", "AUX") or nxt.text.lower() in ("qui", "sont", "ont", "a", "est", "sans")
