"""The subject of a prose figure, read from spaCy's dependency parse: the noun phrase the number quantifies
("12 jeunes ayant signé…", "73 % des jeunes confiés à l'ASE"), or the noun a money amount is the value of
("le financement départemental … est de 67.169 €"), completed by its predicate when the noun alone says too
little ("66 apprentis ont été accueillis" → "apprentis qui ont été accueillis").

A label is a noun phrase of at least two content words; a figure whose sentence yields none borrows the noun of
the figure before it in an enumeration ("17 jeunes en apprentissage, 4 en CDI") or the heading it sits under.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

MAX_TOKENS = 12
DURATION_WORDS = {
    "jour",
    "jours",
    "journée",
    "journées",
    "semaine",
    "semaines",
    "mois",
    "an",
    "ans",
    "année",
    "années",
    "heure",
    "heures",
    "minute",
    "minutes",
}
UNIT_WORDS = {"%", "€", "k€", "m€", "euros", "euro", "eur", "points", "point", "pts", "millions", "million", "mds"}
# Nouns that only frame a number ('le nombre de 141', 'un montant de 10.000 €'): the subject is further up.
CONTAINERS = {
    "nombre",
    "total",
    "montant",
    "somme",
    "hauteur",
    "niveau",
    "ordre",
    "chiffre",
    "effectif",
    "volume",
    "soit",
}
_FUNCTION_TAIL = re.compile(
    r"(?:\s+(?:de|du|des|d['’]|à|au|aux|en|pour|par|sur|dans|avec|et|ou|le|la|les|l['’]|un|une|qui|que|dont|"
    r"ont|a|est|sont|été|ce|cette|ces|son|sa|ses|leur|leurs|soit|y|ne|pas|plus|moins))+$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:de|du|des|d['’]|le|la|les|l['’]|un|une|ces|ce|cette|leurs?|ses|sont|sa|son|soit|dont|et|à|au|aux|"
    r"en|pour|sur|chez|auprès|environ|près|plus|moins|presque|quasiment|ainsi|que|qui|y|ont|a)\s+)+",
    re.IGNORECASE,
)
_STOP = {
    "de",
    "du",
    "des",
    "d'",
    "d’",
    "le",
    "la",
    "les",
    "l'",
    "l’",
    "un",
    "une",
    "et",
    "ou",
    "à",
    "au",
    "aux",
    "en",
    "pour",
    "par",
    "sur",
    "dans",
    "qui",
    "que",
    "ont",
    "a",
    "est",
    "sont",
    "été",
}


LABEL_CACHE = 8192  # labels whose word count, fragment test and tidy form are remembered (labels recur per figure)


_FRAME_TAIL = re.compile(r"\s+(?:d['’]une?|de|du|des|pour)\s+(?:montant|total|somme|hauteur)(?:\s+total)?\s*$", re.I)


@lru_cache(maxsize=LABEL_CACHE)
def content_words(label: str) -> int:
    """Words of three letters or more that are not function words."""
    return sum(1 for w in re.findall(r"[^\W\d_][\w’'-]*", label) if len(w) >= 3 and w.lower() not in _STOP)


@lru_cache(maxsize=LABEL_CACHE)
def is_fragment(label: str | None) -> bool:
    """A label that does not name a thing: fewer than two content words, or ending on a function word."""
    if not label:
        return True
    return content_words(label) < 2 or bool(_FUNCTION_TAIL.search(" " + label.strip()))


@lru_cache(maxsize=LABEL_CACHE)
def tidy_label(text: str) -> str:
    """A label without leading articles/prepositions, trailing function words, markup or dangling brackets."""
    text = re.sub(r"[*_«»\"“”]", "", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-–()")
    text = _FRAME_TAIL.sub("", text)
    text = _LEADING.sub("", text)
    for _ in range(3):
        text = _FUNCTION_TAIL.sub("", text).strip(" ,;:.-–(")
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip(" ,;:-–")
    return text


def figures_tokens(sdoc, spans: list[tuple[int, int]]) -> list[list]:
    """The parse tokens covering each (start, end) span of characters. Tokens follow each other without overlapping,
    so those covering a span are a run found by bisection: a sentence of many figures costs its length once."""
    starts = [t.idx for t in sdoc]
    ends = [t.idx + len(t.text) for t in sdoc]
    out = []
    for start, end in spans:
        lo, hi = bisect_right(ends, start), bisect_left(starts, end)
        out.append([sdoc[i] for i in range(lo, hi)])
    return out


def anchor_of(tokens: list):
    """The token of the figure whose head lies outside it (the figure's link to the sentence)."""
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return tokens[-1] if tokens else None


def _phrase(head, skip: set[int], max_tokens: int = MAX_TOKENS) -> str:
    """The noun phrase of `head`: its adjectives, complements and participles, cut at commas, relative clauses,
    coordinated clauses and other figures."""
    keep = [head]
    for child in head.children:
        if child.i in skip or child.dep_ in ("det", "punct", "cc", "acl:relcl", "appos", "parataxis", "nummod"):
            continue
        if child.pos_ == "PRON":
            continue
        if child.dep_ in ("amod", "nmod", "acl", "flat:name", "fixed", "compound", "obl:arg", "advmod", "conj"):
            if child.dep_ == "conj" and child.pos_ not in ("NOUN", "ADJ", "PROPN"):
                continue
            sub = [t for t in child.subtree if t.i not in skip and not _closes(t)]
            sub = _contiguous(sub, child)
            keep.extend(sub)
    keep = sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)
    keep = _contiguous(keep, head)[: max_tokens + 1]
    return "".join(t.text_with_ws for t in keep).strip()


def _closes(tok) -> bool:
    return tok.dep_ in ("acl:relcl", "parataxis") or tok.text in (";", ":")


def _contiguous(tokens: list, pivot) -> list:
    """The run of tokens around `pivot` without gaps (a gap means the parse joined remote words)."""
    tokens = sorted(tokens, key=lambda t: t.i)
    ids = [t.i for t in tokens]
    if pivot.i not in ids:
        return tokens
    k = ids.index(pivot.i)
    lo = hi = k
    while lo > 0 and ids[lo - 1] == ids[lo] - 1 and tokens[lo - 1].text not in (",", "(", ")"):
        lo -= 1
    while hi + 1 < len(ids) and ids[hi + 1] == ids[hi] + 1 and tokens[hi + 1].text not in (",", "(", ")", ";"):
        hi += 1
    return tokens[lo : hi + 1]


def _predicate(noun, skip: set[int]) -> str:
    """What the clause says of a subject noun: 'qui ont passé un examen', or a participle 'accueillis'."""
    verb = noun.head
    if noun.dep_ not in ("nsubj", "nsubj:pass") or verb.pos_ not in ("VERB", "AUX", "ADJ", "NOUN"):
        return ""
    words = [t for t in verb.subtree if t.i > noun.i and t.i not in skip and not _closes(t)]
    words = [t for t in words if not any(a.i in skip for a in t.ancestors if a.i > noun.i and a != verb)]
    run: list[Any] = []
    for t in words:
        if run and t.i != run[-1].i + 1:
            break
        if t.text in (",", ";", ":", "(", ")") or t.like_num and t.i != verb.i:
            break
        run.append(t)
        if len(run) >= 9:
            break
    text = "".join(t.text_with_ws for t in run).strip()
    return f"qui {text}" if text else ""


def _container_up(tok):
    """Climb from a framing noun ('montant', 'nombre', 'hauteur') to the noun it frames."""
    seen = 0
    while tok is not None and tok.text.lower() in CONTAINERS and seen < 3:
        if tok.head == tok:
            return None
        tok = tok.head
        seen += 1
    return tok


def _nounish(tok) -> bool:
    """A token that can name what is counted: a noun, or an adjective/participle used as one ('inscrits')."""
    if tok.like_num or tok.text.lower() in UNIT_WORDS | DURATION_WORDS:
        return False
    if tok.pos_ in ("NOUN", "PROPN"):
        return True
    return tok.pos_ in ("ADJ", "VERB") and "Part" in tok.morph.get("VerbForm") and tok.dep_ in ("nsubj", "obj", "ROOT")


def own_noun(anchor, inside: set[int]):
    """The noun the figure itself quantifies: '12 jeunes', 'deux formations', '73 % des jeunes', and a duration
    that names what it counts ('deux jours de formation')."""
    if (
        anchor.pos_ in ("NOUN", "PROPN")
        and not anchor.like_num
        and anchor.text.lower() not in UNIT_WORDS | DURATION_WORDS
    ):
        return anchor
    if (
        anchor.text.lower() in DURATION_WORDS
        and anchor.dep_ in ("nsubj", "nsubj:pass", "obj")
        and any(c.dep_ == "nmod" and c.pos_ == "NOUN" for c in anchor.children)
    ):
        return anchor
    if (
        anchor.dep_ == "nummod"
        and anchor.head.i not in inside
        and anchor.head.i > anchor.i
        and (anchor.head.pos_ in ("NOUN", "PROPN", "ADJ") or _nounish(anchor.head))
    ):
        head = anchor.head
        between = [c for c in head.children if c.dep_ == "case" and anchor.i < c.i < head.i]
        if head.text.lower() not in UNIT_WORDS | DURATION_WORDS and not between:
            return head  # "4 sans solution": a preposition in between, the figure stands for a noun said before
    for child in anchor.children:
        if (
            child.dep_ in ("nmod", "obl:arg", "obl")
            and child.i not in inside
            and child.pos_ in ("NOUN", "PROPN", "ADJ")
        ):
            if any(c.dep_ == "case" and c.text.lower() in ("de", "des", "d'", "d’", "du") for c in child.children):
                return child
    return None


def _climb(anchor, inside: set[int]):
    """From the figure up to the first noun that is not a frame, unit or duration, or to the clause's verb."""
    tok = anchor
    for _ in range(6):
        if tok.head is tok:
            return tok
        tok = tok.head
        if tok.i in inside:
            continue
        low = tok.text.lower()
        if tok.pos_ in ("NOUN", "PROPN") and low not in CONTAINERS | UNIT_WORDS | DURATION_WORDS:
            return tok
        if tok.pos_ == "ADJ" and tok.dep_ in ("amod", "acl") and tok.head.pos_ == "NOUN":
            continue  # "un taux de réussite … proche de 100 %": the adjective's noun
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            return tok
    return tok


def _clause_subject(verb, inside: set[int]):
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass") and child.i not in inside and child.pos_ in ("NOUN", "PROPN"):
            if child.text.lower() in CONTAINERS and not _clause_subject_phrase(child):
                return _container_up(child)
            return child
    return None


def _verb_phrase(verb, inside: set[int]) -> str:
    """The predicate of a clause without its auxiliaries: 'accompagnés dans la poursuite de leur projet'."""
    words = [t for t in verb.subtree if t.i >= verb.i and t.i not in inside and not _closes(t)]
    run: list[Any] = []
    for t in words:
        if run and t.i != run[-1].i + 1:
            break
        if t.text in (",", ";", ":", "(", ")") or (t.like_num and t.i != verb.i):
            break
        run.append(t)
        if len(run) >= 10:
            break
    return "".join(t.text_with_ws for t in run).strip()


def subject_of(sdoc, tokens: list, unit: str, skip: set[int]) -> tuple[str, object | None]:
    """(label, counted noun token) of the figure made of `tokens`, from the parse; ('', None) when none is found."""
    anchor = anchor_of(tokens)
    if anchor is None:
        return "", None
    inside = {t.i for t in tokens}
    skip_all = skip | inside
    noun = own_noun(anchor, inside)
    own = noun is not None
    if noun is None and unit != "EUR" and (found := _read_on(sdoc, tokens, unit, skip_all)) is not None:
        return found  # the parse lost the link: '12 sessions de formation' read as words
    if noun is None:
        host = _climb(anchor, inside)
        if host.pos_ in ("NOUN", "PROPN") and host.text.lower() not in CONTAINERS:
            noun = host
        else:
            noun = _clause_subject(host, inside)
            framed = anchor.head.text.lower() in CONTAINERS or any(
                a.text.lower() in CONTAINERS and not _clause_subject_phrase(a) for a in anchor.ancestors
            )
            if noun is None and host.pos_ in ("VERB", "AUX", "ADJ") and not framed:
                label = tidy_label(_verb_phrase(host, skip_all))
                return (label, None) if content_words(label) >= 2 else ("", None)
    if noun is None:
        return "", None
    label = tidy_label(_phrase(noun, skip_all))
    if (shared := _share_of_predicate(noun, label, unit)) is not None:
        return shared, None
    if content_words(label) < 2 and own:
        label = tidy_label(_linear_phrase(tokens[-1], skip_all)) or label
    if content_words(label) < 2:
        if noun.dep_ in ("nsubj", "nsubj:pass"):
            label = tidy_label(f"{label} {_predicate(noun, skip_all)}")
        elif noun.head.pos_ in ("VERB", "AUX") and noun.head.i not in skip_all:
            label = tidy_label(f"{label} {_verb_phrase(noun.head, skip_all | {noun.i})}")
        elif noun.head.i in inside:
            host = _climb(anchor, inside)
            if host.pos_ in ("VERB", "AUX"):
                label = f"{label} — {tidy_label(_clause_text(host, skip_all | {noun.i}))}".strip(" —")
    return label, (noun if own else None)


def _read_on(sdoc, tokens: list, unit: str, skip_all: set[int]) -> tuple[str, object] | None:
    """The noun phrase right after the figure, read as words, with its first noun."""
    nxt = tokens[-1].nbor(1) if tokens[-1].i + 1 < len(sdoc) else None
    plural_ok = nxt is not None and ("Sing" not in nxt.morph.get("Number") or unit != "count")
    if nxt is not None and nxt.pos_ in ("NOUN", "ADJ", "PROPN") and nxt.i not in skip_all and plural_ok:
        linear = tidy_label(_linear_phrase(tokens[-1], skip_all))
        if content_words(linear) >= 2:
            return linear, nxt
    return None


def _share_of_predicate(noun, label: str, unit: str) -> str | None:
    """'21,5 % sont des femmes': the share of what the predicate names ('part des femmes')."""
    if content_words(label) < 2 and unit == "percent" and any(c.dep_ == "cop" for c in noun.children):
        return f"part des {label}"
    return None


_NP_POS = {"NOUN", "ADJ", "PROPN", "ADP", "DET"}


def _linear_phrase(last, skip: set[int], max_tokens: int = 8) -> str:
    """The words right after a figure that read as a noun phrase ('6.511 foyers bénéficiaires relèvent…' →
    'foyers bénéficiaires'), whatever the parse made of them: nouns, adjectives, prepositions, articles."""
    run: list[Any] = []
    for t in last.doc[last.i + 1 :]:
        if t.i in skip or t.pos_ not in _NP_POS or t.is_punct or len(run) >= max_tokens:
            break
        run.append(t)
    while run and run[-1].pos_ in ("ADP", "DET"):
        run.pop()
    return "".join(t.text_with_ws for t in run).strip()


def _clause_subject_phrase(child):
    """A framing subject with a complement ('le nombre prévisionnel d'allocataires') is itself the label."""
    return any(
        c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN") and not c.like_num or c.dep_ == "amod" and c.pos_ == "ADJ"
        for c in child.children
    )


def _clause_text(verb, skip: set[int]) -> str:
    """A clause without the figure's branch: 'la prise en charge se poursuit au-delà de leur majorité'."""
    words = sorted((t for t in verb.subtree if t.i not in skip), key=lambda t: t.i)
    words = [t for t in words if not any(a.i in skip for a in t.ancestors if a.i != verb.i and verb in a.ancestors)]
    run: list[Any] = []
    for t in words:
        if t.text in (";", ":", "(", ")") or (t.text == "," and run and run[-1].i >= verb.i):
            if run and run[-1].i >= verb.i:
                break
            run = []
            continue
        if t.text == ",":
            run = []
            continue
        run.append(t)
    return "".join(t.text_with_ws for t in run[:14]).strip()
