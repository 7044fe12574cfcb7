"""Indicators stated in prose (origin="prose"): rules find the numbers, spaCy's tags bound their labels.

Only sentences holding a digit go through spaCy (one `nlp.pipe` call per document, model loaded once).
Thresholds, definitions, dates, ages, years, references and footnote markers are not values.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from calpae.indicators.context import section_at
from calpae.indicators.paragraphs import Sentence, sentences
from calpae.models import Document, IndicatorValue

SPACY_MODEL = "fr_core_news_sm"

_SP = r"[ \u00a0\u202f]"
NUMBER = re.compile(
    rf"(?<![\w.,/€%-])(?P<num>\d{{1,3}}(?:(?:{_SP}|\.)\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)"
    rf"(?P<unit>{_SP}?(?i:%|k€|m€|€|millions?{_SP}d[’']euros|euros?\b))?"
    rf"(?![\w/]|[.,]\d)"
)
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DURATION = r"(?:minutes?|min|heures?|h|jours?(?:\s+ouvrés)?|semaines?|mois|ans?|années?|km|kilomètres?|mètres?|m)"
# What follows a number and makes it something other than a value.
_NOT_VALUE_AFTER = re.compile(
    rf"^(?:\s*(?:er|re|ère|e|è|ème|eme|nd|nde)\b"  # ordinals: 1er, 2e
    rf"|\s*(?:{_MONTHS})\b"  # dates: 21 octobre
    rf"|\s*(?:et|à|au|-)\s*\d+(?:er)?\s*(?:{_MONTHS})\b"  # date ranges: les 24 et 25 janvier
    rf"|\s*[-–à]\s*\d"  # ranges: 16-18 ans, 12 à 15
    rf"|\s*ans?\b"  # ages and durations in years
    rf"|\s*h\s*\d"  # time of day 9h30
    rf"|\s*[/°)]"  # 31/03, n°, list markers 1)
    rf"|\.\s*\d|\.(?=\S)"  # section numbers 2.1
    rf")",
    re.IGNORECASE,
)
_NOT_VALUE_BEFORE = re.compile(
    r"(?:\b(?:article|art\.|annexe|mesure|axe|action|fiche|page|p\.|chapitre|titre|n°|no|loi|décret|"
    r"instruction|point|repère|étape|etape|volet|phase|niveau|objectif|lot|tranche|rang|priorité|classe|zone)\s*$"
    r"|\b[LRD]\.?\s*$|[-–]\s*$|\d\s*[-–]\s*$|\bde\s+\d+\s+à\s*$)",
    re.IGNORECASE,
)
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:moins\s+de|au\s+moins|au-delà\s+de|au-dessus\s+de|au-dessous\s+de|jusqu[’']à|inférieure?s?\s+à|"
    r"supérieure?s?\s+à|dans\s+un\s+délai(?:\s+moyen)?\s+de|délai(?:\s+moyen)?\s+de|sous|dans\s+les|"
    r"dans\s+le\s+délai\s+de|de\s+plus\s+de|âgés?\s+de|de\s+moins\s+de|à\s+partir\s+de|dès|après|avant|"
    r"depuis|pendant|durant|en|tous\s+les|toutes\s+les|chaque|par)\s*$",
    re.IGNORECASE,
)
_DURATION_AFTER = re.compile(rf"^\s*{_DURATION}\b", re.IGNORECASE)
_REFERENCE_PERCENT = re.compile(
    r"^\s*(?:du|de\s+la|de\s+l[’']|des|d[’'])\s*(?:\w+\s+){0,2}?"
    r"(?:revenu|médian|smic|salaire|plafond|seuil|montant|ressources|taux|prix|loyer|coût)",
    re.IGNORECASE,
)
_TARGET_WORDS = re.compile(r"\b(?:objectif|cible|viser?|vise|prévu|prévoit|d[’']ici|attendu|doit|devra)\b", re.I)
_APPROX = re.compile(r"\b(?:proche\s+de|environ|près\s+de|plus\s+de|presque|quasiment)\s*$", re.I)
_ENUM_TOTAL = re.compile(r"\bsur\s*$", re.I)
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|19[89]\d)(?!\d)")
_LEFT_CONNECTORS = re.compile(
    r"(?:\s*(?:,|d[’']un|d[’']une|pour|un|une|montant|total|somme|enveloppe|budget|à|hauteur|de|d[’']|"
    r"s[’']élève|s[’']élevant|est|était|a\s+été|représente|atteint|soit|:))+\s*$",
    re.IGNORECASE,
)
MAX_LABEL_TOKENS = 16
# The context rules look this many characters before and after a number (the longest rule reads ~40): each number
# costs the same whatever the length of its sentence, so a sentence of N numbers is scanned in time linear in N.
CONTEXT_CHARS = 160
LABEL_WINDOW_CHARS = 300  # characters left of an amount searched for its clause (16 words fit twice over)
SPACY_BATCH_SIZE = 64  # sentences tagged together
SPACY_BATCH_CHARS = 40_000  # ... at most this much text (a batch's memory grows with its text, ~3 KB a character)
CONNECTOR_TAIL_CHARS = 120  # the end-anchored connector rules only ever strip the clause's last words


@lru_cache(maxsize=1)
def nlp():
    """The French pipeline, loaded once; only the tagger is kept (no parser, NER or lemmatizer needed)."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "senter"])


@dataclass
class Candidate:
    """One number of a sentence that reads as an indicator value."""

    start: int
    end: int
    value: Decimal
    unit: str
    text: str
    note: str | None = None


def _to_decimal(num: str) -> Decimal:
    digits = re.sub(rf"{_SP}", "", num)
    if "," in digits:
        whole, frac = digits.split(",", 1)
        return Decimal(whole.replace(".", "") + "." + frac)
    return Decimal(digits.replace(".", ""))


def _unit(raw_unit: str | None) -> tuple[str, Decimal]:
    u = (raw_unit or "").strip().lower()
    if not u:
        return "count", Decimal(1)
    if u == "%":
        return "%", Decimal(1)
    if u.startswith("k€"):
        return "EUR", Decimal(1000)
    if u.startswith("m€") or u.startswith("million"):
        return "EUR", Decimal(1_000_000)
    return "EUR", Decimal(1)


def candidates(text: str) -> list[Candidate]:
    """The numbers of a sentence that may be values: years, dates, ages, thresholds, references dropped."""
    found = []
    for m in NUMBER.finditer(text):
        before, after = text[max(0, m.start() - CONTEXT_CHARS) : m.start()], text[m.end() : m.end() + CONTEXT_CHARS]
        num, raw_unit = m.group("num"), m.group("unit")
        unit, scale = _unit(raw_unit)
        if _NOT_VALUE_BEFORE.search(before) or (not raw_unit and _NOT_VALUE_AFTER.match(after)):
            continue
        if unit == "count" and _YEAR.fullmatch(num):
            continue  # a year
        if unit == "count" and _DURATION_AFTER.match(after):
            continue  # durations and distances define indicators, they are not values
        if unit in ("count", "%") and _THRESHOLD_BEFORE.search(before):
            continue
        if unit == "%" and _REFERENCE_PERCENT.match(after):
            continue  # "60 % du revenu médian": a threshold
        approx = _APPROX.search(before)
        found.append(
            Candidate(
                m.start(),
                m.end(),
                _to_decimal(num) * scale,
                unit,
                m.group(0).strip(),
                approx.group(0).strip() if approx else None,
            )
        )
    return found


def _token_at(doc, starts: list[int], offset: int) -> int:
    """Index of the first token of `doc` starting at or after `offset` (len(doc) when none)."""
    return bisect_left(starts, offset) if starts is not None else next((t.i for t in doc if t.idx >= offset), len(doc))


def _label_after(doc, end: int, stops: set[int], starts: list[int] | None = None) -> tuple[str, object | None, list]:
    """Words after a number up to punctuation or the next value (years stay in); its head word; its tokens."""
    words, head = [], None
    for k in range(_token_at(doc, starts, end), len(doc)):
        tok = doc[k]
        if (
            tok.is_punct
            and tok.text not in ("'", "’", "-")
            or tok.idx in stops
            or tok.text == "et"
            and _num_follows(tok)
        ):
            break
        if len(words) >= MAX_LABEL_TOKENS or words and _starts_sentence(tok):
            break
        words.append(tok)
        if head is None and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
            head = tok
    return _join(words), head, words


def _starts_sentence(tok) -> bool:
    """A capitalised function word mid-text ("… sans emploi Des parcours …") begins a new sentence."""
    return tok.text[:1].isupper() and tok.pos_ in ("DET", "PRON", "ADP", "AUX", "VERB", "CCONJ", "SCONJ")


def _digit(tok) -> bool:
    return any(ch.isdigit() for ch in tok.text)


def _num_follows(tok) -> bool:
    return tok.i + 1 < len(tok.doc) and _digit(tok.nbor(1))


def _join(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip(" ,;:")


def _clause_words(prefix: str) -> tuple[list[str], bool]:
    """Words of the last clause of `prefix` without its connectors; and whether a clause boundary was seen."""
    parts = re.split(r"[.;:!?•]\s", prefix)
    cut = max(0, len(parts[-1]) - CONNECTOR_TAIL_CHARS)
    head, tail = parts[-1][:cut], parts[-1][cut:]
    left = (head + _LEFT_CONNECTORS.sub("", _APPROX.sub("", tail))).strip(" ,;:-–")
    return left.split(), len(parts) > 1


def _label_before(text: str, start: int, floor: int = 0) -> str:
    """The clause before a number (for amounts and trailing percentages): "fonds … d'un montant de" → "fonds …".

    It never reaches back past `floor` (the end of the previous value: a label does not hold another value, as
    the label after a number stops at the next). Read in a window left of the number, wider only when the
    window holds too few words to tell."""
    window = max(floor, start - LABEL_WINDOW_CHARS)
    words, bounded = _clause_words(text[window:start])
    if window > floor and not bounded and len(words) <= MAX_LABEL_TOKENS:  # long words: the clause may start before
        words, _ = _clause_words(text[max(floor, start - MAX_LABEL_TOKENS * LABEL_WINDOW_CHARS) : start])
    return " ".join(words[-MAX_LABEL_TOKENS:])


def label_for(
    doc,
    text: str,
    cand: Candidate,
    enum_head: str | None,
    stops: set[int],
    starts: list[int] | None = None,
    floor: int = 0,
) -> tuple[str | None, str | None]:
    """Indicator label of a value and the head noun an elliptic next item may borrow ("4 en CDI").

    `starts`: the character offsets of doc's tokens, so finding a number's next token is a bisection;
    `floor`: where the previous value of the sentence ends (a label read leftwards stops there)."""
    after, head, tokens = _label_after(doc, cand.end, stops, starts)
    after = re.sub(r"^(?:des|de\s+la|de\s+l[’']|du|de|d[’'])\s*", "", after, flags=re.I).strip()
    k = _token_at(doc, starts, cand.end)
    first = doc[k] if k < len(doc) else None
    if cand.unit == "EUR" or (cand.unit == "%" and not _wordy(after)):
        if _in_parentheses(text, cand):
            return None, enum_head  # "(58%)": an aside restating a figure, not a statement
        left = _label_before(text, cand.start, floor)
        return (left if _wordy(left) else None), enum_head
    if not _wordy(after):
        return None, enum_head
    if cand.unit == "count":
        after = _clip_count_label(after, tokens)
    if first is not None and first.pos_ == "ADP" and enum_head and cand.unit == "count":
        return f"{enum_head} {after}", enum_head  # elliptic enumeration item: "4 en CDI" → "jeunes en CDI"
    if cand.unit == "count" and (first is None or first.pos_ not in ("NOUN", "PROPN", "ADJ")):
        return None, enum_head  # a bare number ("le total de 152 est …") names nothing
    return after, (head.text if head is not None else enum_head)


def _wordy(label: str | None) -> bool:
    """A label names something only if it holds a real word."""
    return bool(label) and re.search(r"[^\W\d_]{3,}", label) is not None


def _in_parentheses(text: str, cand: Candidate) -> bool:
    return text[: cand.start].rstrip().endswith("(") or text[cand.end :].lstrip().startswith(")")


def _clip_count_label(label: str, tokens: list) -> str:
    """A count's label stops at its first finite verb: "12 jeunes ayant signé …" keeps the participle."""
    for n, tok in enumerate(tokens):
        if tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm"):
            clipped = "".join(t.text_with_ws for t in tokens[:n]).strip(" ,;:")
            clipped = re.sub(r"^(?:des|de\s+la|de\s+l[’']|du|de|d[’'])\s*", "", clipped, flags=re.I)
            return clipped if _wordy(clipped) else label
    return label


def prose_indicators(doc: Document, min_digits_only: bool = True) -> list[IndicatorValue]:
    """Indicator values stated in the document's prose, each with the sentence as raw provenance."""
    sents = [s for s in sentences(doc) if any(ch.isdigit() for ch in s.text)]
    sents = [(s, c) for s in sents if (c := candidates(s.text))]
    if not sents:
        return []
    records: list[IndicatorValue] = []
    docs = _tagged([s.text for s, _ in sents])
    for (sent, cands), sdoc in zip(sents, docs, strict=True):
        records.extend(_sentence_values(doc, sent, cands, sdoc))
    return records


def _tagged(texts: list[str]):
    """spaCy docs of the texts, tagged in batches of at most SPACY_BATCH_CHARS characters (64 sentences of a
    usual length; fewer long ones): a batch's memory grows with its text, so it is bounded, not the count."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (size + len(text) > SPACY_BATCH_CHARS or len(batch) >= SPACY_BATCH_SIZE):
            yield from nlp().pipe(batch, batch_size=len(batch))
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield from nlp().pipe(batch, batch_size=len(batch))


def _sentence_values(doc: Document, sent: Sentence, cands: list[Candidate], sdoc) -> list[IndicatorValue]:
    out = []
    enum_head: str | None = None
    years = [int(y) for y in _YEAR.findall(sent.text)]
    year = years[0] if len(set(years)) == 1 else doc.year
    kind = "target" if _TARGET_WORDS.search(sent.text) else "actual"
    stops = {c.start for c in cands}
    starts = [t.idx for t in sdoc]
    floor = 0
    for cand in cands:
        label, enum_head = label_for(sdoc, sent.text, cand, enum_head, stops, starts, floor)
        floor = cand.end
        if not label:
            continue
        line = sent.line_at(cand.start)
        out.append(
            IndicatorValue(
                provenance=doc.provenance(page=line.page, line=line.line_no, bbox=line.bbox, raw=sent.text[:400]),
                departement_code=doc.departement_code,
                section=section_at(doc, line.page, line.line_no),
                indicator_label=label,
                year=year,
                value_kind=kind,
                value=cand.value,
                unit=cand.unit,
                qualifier=cand.note,
                origin="prose",
            )
        )
    return out
