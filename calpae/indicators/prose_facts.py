"""One sentence's figures made facts (subject, year, kind, scope, part and stage of money, referential id), and the
run-table records built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from calpae.indicators.context import section_at, section_titles
from calpae.indicators.paragraphs import Sentence
from calpae.indicators.prose import Candidate, DataNotes, ProseFigure, figure_year, heading_before
from calpae.indicators.prose_kind import (
    CUE_CACHE,
    actual_cue,
    change_cue,
    reference_cue,
    scope_of,
    target_cue_before,
    target_heading,
    target_verb,
)
from calpae.indicators.prose_labels import borrowed, counted_terms, elliptic, linear_subject, main_subject
from calpae.indicators.prose_money import money_fact
from calpae.indicators.prose_numbers import Figure, window
from calpae.indicators.prose_subject import (
    CONTAINERS,
    anchor_of,
    figures_tokens,
    is_fragment,
    own_noun,
    subject_of,
    tidy_label,
)
from calpae.indicators.prose_time import is_comparison, segments
from calpae.models import Document
from calpae.models.records import Scope
from calpae.referential import Referential

REFERENCE_YEAR = 2018  # the strategy's baseline year: the convention model's "Situation 2018" column
PROSE_INDICATOR_SCORE = 90.0  # a prose subject maps to a referential indicator only above this score
_FORECAST_WORDS = re.compile(r"\bprévision\w*|\bprévue?s?\b|\bobjectifs?\b|\bcibles?\b|\bavenant\b", re.I)
_COLON_LABEL = re.compile(r"([^:;.•]{3,120}?)\s*:\s*(?:[-+]?\s*)?$")
_COLON_TAIL = re.compile(r"\s*[-+]?\s*")
COLON_LABEL_CHARS = 120  # the longest label _COLON_LABEL reads before its colon (characters)
_UNIT_KIN = {"count": {"count", "ratio", "fte"}, "percent": {"percent"}, "days": {"days"}, "hours": {"hours"}}


@dataclass
class FactContext:
    """What every sentence of a document needs: its year, headings, names, the referential."""

    doc: Document
    year: int | None
    headings: list[tuple[int, int, str]]
    own_names: set[str]
    ref: Referential | None
    notes: DataNotes = field(default_factory=DataNotes)
    measures: dict[str | None, str | None] = field(default_factory=dict)
    others: dict[str, bool] = field(default_factory=dict)  # clause → names another département
    heading_keys: list[tuple[int, int]] = field(default_factory=list)  # (page, line) of `headings`, for bisect

    def __post_init__(self) -> None:
        self.heading_keys = [(p, ln) for p, ln, _ in self.headings]

    @classmethod
    def of(cls, doc: Document, heading_index: list[tuple[int, int, str]]) -> FactContext:
        from calpae.indicators.mapping import referential

        names = {n for n in (doc.departement_name or "").split()}
        return cls(doc, prose_year(doc), heading_index, names, referential(), DataNotes.of(doc))

    def measure_of(self, section: str | None) -> str | None:
        if section not in self.measures:
            from calpae.indicators.mapping import map_measure

            found = map_measure(self.ref, None, section_titles(self.doc, section)) if self.ref else None
            self.measures[section] = found[0] if found else None
        return self.measures[section]

    def other_departement(self, text: str) -> bool:
        """A département other than the document's is named (a comparison with another territory)."""
        if self.ref is None:
            return False
        if text not in self.others:  # the figures of one clause ask about the same text
            self.others[text] = any(
                m.code != self.doc.departement_code and m.strength >= 1.0 for m in self.ref.departement_mentions(text)
            )
        return self.others[text]


def prose_year(doc: Document) -> int | None:
    """The year undated prose figures are about: the document's year; for a plan covering 'A-B', the latest year
    before A that the text dates its data with (a plan is written before its period starts), else A."""
    if doc.year is not None:
        return doc.year
    m = re.match(r"(\d{4})", doc.period or "")
    if not m:
        return None
    start = int(m.group(1))
    months = r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    dated = [
        int(y)
        for ln in doc.lines()
        for y in re.findall(rf"\b(?:{months})\s+((?:19|20)\d\d)\b", ln.text, re.IGNORECASE)
        if int(y) < start
    ]
    return max(dated) if dated else start


def _quantifies(sent: Sentence, f: Figure, tokens: list) -> bool:
    """False for a number heading a line ('4 Garantie d'activité', '1 Maintenir les services'): a count above one
    followed by a singular noun or a verb does not count it."""
    if f.unit != "count" or f.words or sent.text[: f.start].strip(" -•*") or f.value <= 1:
        return True
    nxt = tokens[-1].nbor(1) if tokens[-1].i + 1 < len(tokens[-1].doc) else None
    if nxt is None:
        return False
    if nxt.pos_ == "VERB" and "Inf" in nxt.morph.get("VerbForm"):
        return False
    return not (nxt.pos_ in ("NOUN", "PROPN") and nxt.morph.get("Number") == ["Sing"] and nxt.text[:1].isupper())


_FRAMES = {"count": "nombre", "percent": "part", "EUR": "montant", "days": "durée", "months": "durée", "years": "durée"}


def framed_label(noun: str, unit: str) -> str:
    """A bare counted noun as a noun phrase: 'signatures' → 'nombre de signatures', 'jeunes' → 'part des jeunes'."""
    frame = _FRAMES.get(unit, "nombre")
    if frame == "part":
        return f"part des {noun}"
    return f"{frame} d'{noun}" if noun[:1].lower() in "aeéèêiîoôuhy" else f"{frame} de {noun}"


def _own_noun(tokens: list) -> bool:
    anchor = anchor_of(tokens)
    return anchor is not None and own_noun(anchor, {t.i for t in tokens}) is not None


_CLAUSE_EDGE = {"ccomp", "csubj", "advcl", "acl:relcl", "parataxis", "ROOT"}
_DISCOURSE_VERBS = re.compile(
    r"^(?:constat|not|observ|soulign|rappel|précis|conv|appar|sembl|pouvoir|peut|pourr|faut|faudr)", re.I
)
_PLAN_ITEM = re.compile(r"^\W*[A-ZÉ][a-zéèêàâîôûç]+(?:er|ir|re)\s", re.UNICODE)
_AIM_SUBJECT = re.compile(
    r"^\W*(?:l['’]|les?\s+|la\s+|nos\s+|notre\s+|ses\s+|son\s+)?(?:objectifs?|ambitions?|cibles?|buts?)\b[^.;:]{0,60}?"
    r"\b(?:est|sont|consiste|consistent|vise|visent)\b",
    re.I,
)
_DECISION = re.compile(r"^(?:[-–•]\s*)?(?:de|d['’])\s*(?:s['’]|se\s+)?\w+(?:er|ir|re)\b", re.I)
_AIM_WORDS = re.compile(
    r"^(?:prévu|prévus|prévue|prévues|envisag|programm|calibr|vis[ée]|attendu|estim[ée]|projet|souhait|ambitionn|"
    r"prévoi|sollicit|escompt|devr|doi[tv])",
    re.I,
)


_ARGUMENT = {"nsubj", "nsubj:pass", "obj", "obl", "obl:arg", "obl:mod", "obl:agent", "xcomp", "iobj", "dep"}


def _governing_verb(anchor):
    """The verb the figure is an argument of: the figure, or the noun it counts, must hang on it directly
    ('la création de 3 postes … doit être renforcée': the figure is inside a noun phrase, 'doit' says
    nothing of it)."""
    tok = anchor
    if tok.dep_ in ("nummod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        tok = tok.head  # the counted noun
    if tok.dep_ == "nmod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.dep_ in _ARGUMENT:
        tok = tok.head  # one noun up: "6 cycles de 3 ateliers étaient prévus"
    for _ in range(4):
        if tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head  # "calibré pour 60 entretiens et 20 suivis": the first conjunct's verb
            continue
        break
    if tok.pos_ in ("VERB", "AUX") and tok is not anchor:
        return tok
    if tok.dep_ in _ARGUMENT and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
        return tok.head
    if tok.dep_ == "ROOT" and tok.pos_ in ("VERB", "AUX", "ADJ"):
        return tok
    return None


def _aimed(anchor) -> bool:
    """The figure's clause looks ahead: a future or conditional verb, or a verb or participle of planning
    ('étaient prévus', 'est estimé à', 'séminaires prévus'); discourse verbs ('on constatera') do not count."""
    verb = _governing_verb(anchor)
    nouns = [anchor.head] if anchor.dep_ == "nummod" else []
    for tok in nouns:
        if any(c.dep_ == "acl" and _AIM_WORDS.match(c.text) for c in tok.children):
            return True
        for c in tok.children:  # "3 séminaires qui seront animés en avril"
            if c.dep_ in ("acl:relcl", "acl") and any(
                "Fut" in t.morph.get("Tense") or "Cnd" in t.morph.get("Mood") for t in [c, *c.children]
            ):
                return True
    if verb is None or _DISCOURSE_VERBS.match(verb.text):
        return False
    if _AIM_WORDS.match(verb.text):
        return True
    for t in [verb, *[c for c in verb.children if c.dep_.startswith("aux")]]:
        if "Fut" in t.morph.get("Tense") or "Cnd" in t.morph.get("Mood"):
            return True
    return False


def colon_label(head: str) -> re.Match[str] | None:
    """_COLON_LABEL.search(head), reading only its end: the match ends on the last colon and the blanks or sign
    after it, its label at most COLON_LABEL_CHARS before the blanks that precede that colon."""
    colon = head.rfind(":")
    if colon < 0 or not _COLON_TAIL.fullmatch(head, colon + 1):
        return None
    k = colon
    while k > 0 and head[k - 1].isspace():
        k -= 1
    return _COLON_LABEL.search(head, max(0, k - COLON_LABEL_CHARS))


def _label(
    sdoc: Any, text: str, f: Figure, toks: list[Any], skip: set[int], prev_noun: Any, out: list, heading: str | None
) -> tuple[str, Any, bool]:
    """(label, counted noun token, label taken from the heading) of one figure: from the parse, else borrowed from
    the figure before it, the label before a colon, a linear reading, a framed noun, the heading."""
    label: str = ""
    noun: Any = None
    if prev_noun is not None and elliptic(toks) and not _own_noun(toks):
        label = borrowed(prev_noun, toks, skip)
    if is_fragment(label):
        label, noun = subject_of(sdoc, toks, f.unit, skip - {t.i for t in toks})
    if is_fragment(label) and prev_noun is not None and noun is None:
        label = borrowed(prev_noun, toks, skip) or label
    if is_fragment(label) and out and out[-1].figure.unit == f.unit and noun is None:
        label = out[-1].label  # an enumeration: "853 760 € (445 209,43 € pour le Département et …)"
    if is_fragment(label) and (m := colon_label(text[: f.start])):
        label = tidy_label(m.group(1))
    if is_fragment(label):
        label = linear_subject(text, f.start, f.end, f.unit) or label
    if is_fragment(label) and noun is not None:
        label = framed_label(noun.text, f.unit)  # "Sur 24 signatures" → "nombre de signatures"
    if is_fragment(label) and noun is None:
        label = main_subject(sdoc, skip) or label
    if is_fragment(label) and heading and not is_fragment(tidy_label(heading)):
        return tidy_label(heading), noun, True
    return label, noun, False


def sentence_facts(ctx: FactContext, cand: Candidate, sdoc) -> tuple[list[ProseFigure], int]:
    """The facts of one parsed sentence, and how many figures were left out for want of a subject."""
    sent, figs, carried = cand.sent, cand.figures, cand.carried
    text = sent.text
    segs = segments(text)
    spans = dict(zip((f.start for f in figs), figures_tokens(sdoc, [(f.start, f.end) for f in figs]), strict=True))
    skip = {t.i for toks in spans.values() for t in toks}
    out: list[ProseFigure] = []
    skipped = 0
    prev_noun, prev_end = None, 0
    scopes: dict[tuple[int, int, bool], Scope] = {}
    for f in figs:
        toks = spans[f.start]
        if not toks or not _quantifies(sent, f, toks):
            continue
        line = sent.line_at(f.start)
        section = section_at(ctx.doc, line.page, line.line_no)
        heading = heading_before(ctx.headings, line.page, line.line_no, ctx.heading_keys)
        label, noun, from_heading = _label(sdoc, text, f, toks, skip, prev_noun, out, heading)
        if is_fragment(label):
            skipped += 1
            continue
        seg = next(s for s in segs if s[0] <= f.start < s[1] or s[1] == len(text))
        segment_text = text[seg[0] : seg[1]]
        if seg not in scopes:  # the figures of one clause share its scope
            scopes[seg] = scope_of(segment_text, text, ctx.own_names, ctx.other_departement(segment_text))
        scope = scopes[seg]
        year, year_source = figure_year(ctx, sent, f, section, heading, carried, change_cue(text, f))
        before, after = window(text, f.start, f.end)
        money = money_fact(before, after, text, heading, scope, cand.after) if f.unit == "EUR" else None
        fact = ProseFigure(sent, f, label, year, "actual", scope, section, heading, noun=noun.text if noun else None)
        fact.terms = counted_terms(noun) if noun is not None else ()
        fact.year_source = year_source
        if money is not None:
            fact.part, fact.stage, fact.level = money.part, money.stage, money.level
        fact.measure_id = ctx.measure_of(section)
        container = noun is None or noun.text.lower() in CONTAINERS or from_heading
        fact.indicator_id = _indicator(ctx, fact, heading if container else None)
        if fact.indicator_id and container and ctx.ref is not None:
            fact.label = ctx.ref.indicators[fact.indicator_id].name  # "Le total accompagné de 152" under its heading
        fact.kind = _kind(ctx, sent, f, seg, money, fact, anchor_of(toks), prev_end)
        if out and fact.kind == "actual" and out[-1].kind == "target" and _restates(sdoc, text, out[-1], f):
            fact.kind = "target"  # "6 cycles de 3 ateliers (soit 18 ateliers) étaient prévus": one statement
        if fact.kind == "change":
            fact.indicator_id = None
        out.append(fact)
        prev_noun = noun if noun is not None else prev_noun
        prev_end = f.end
    return out, skipped


_RESTATES = re.compile(r"^[^.;:!?]{0,45}$")
_FROM_LEVEL = re.compile(
    r"\b(?:passer|passant|passe|porter|portant|faire\s+passer)\s+(?:\w+\s+){0,3}?de\s+(?:la\s+|le\s+|l['’])?$", re.I
)


def _restates(sdoc, text: str, prev: ProseFigure, f: Figure) -> bool:
    """The figure continues the previous one's statement: 'soit N', or joined to it by 'de', 'et' or a comma
    with no verb in between ('60 entretiens et 20 suivis', '6 cycles de 3 ateliers (soit 18 ateliers)')."""
    if prev.kind not in ("actual", "target") or prev.figure.unit == "EUR" and f.unit != "EUR":
        return False
    between = text[prev.figure.end : f.start]
    if not _RESTATES.match(between) or re.search(r"\b(?:contre|au\s+lieu|dont|réalis\w*|atteint)\b", between):
        return False
    verbs = [t for t in sdoc if prev.figure.end <= t.idx < f.start and t.pos_ in ("VERB", "AUX")]
    return not verbs


def _kind(ctx: FactContext, sent: Sentence, f: Figure, seg, money, fact: ProseFigure, anchor, prev_end: int) -> str:
    text = sent.text
    if _FROM_LEVEL.search(text[max(0, f.start - 40) : f.start]):
        return "actual"  # "passer de la trentaine de personnes à 120": the level it starts from
    if change_cue(text, f):
        return "change"  # "soit une augmentation de 12 M€" is a change, even of a budget
    if money is not None and money.is_budget and fact.scope in ("departement", "local"):
        return "budget"
    if _targeted(ctx, text, f, seg, fact, anchor, prev_end):
        return "target"
    if _baseline(ctx, text, seg, fact):
        return "baseline"
    return "actual"


def _targeted(ctx: FactContext, text: str, f: Figure, seg, fact: ProseFigure, anchor, prev_end: int) -> bool:
    """A target: a cue that governs the figure, a forecast it is compared with, a later year, a clause that looks
    ahead, a heading of objectives, a decision or an item of a plan."""
    compared = re.match(r"\s*(?:au\s+lieu\s+d[e']|contre)\b", text[f.end :]) is not None
    if not compared and target_cue_before(text, f, prev_end):
        return True  # "… au prévisionnel (120)"; in "(52 au lieu de 40)" the 40 is the forecast
    if is_comparison(text, seg):
        outside = text[: seg[0]] + text[seg[1] :]
        if fact.year in (ctx.year, None) and _FORECAST_WORDS.search(outside):
            return True
    elif seg[2] and text[seg[0]] == "(" and _FORECAST_WORDS.search(text[max(0, seg[0] - 60) : seg[0]]):
        if not any(is_comparison(text, s) and s[0] == seg[1] for s in segments(text)):
            return True  # "prévisionnel (120)": the parenthesis gives the planned value
    if fact.year is not None and ctx.year is not None and fact.year > ctx.year:
        return True
    if anchor is not None and _aimed(anchor):
        return True
    clause = text[seg[0] : f.end]
    if target_verb(clause) and not actual_cue(clause):
        return True
    colon = re.match(r"^\s*([^:;.]{3,60}?)\s*:", text[: f.start])
    if (target_heading(fact.heading) or colon and target_heading(colon.group(1))) and not actual_cue(text):
        return True
    if _DECISION.match(text) or _AIM_SUBJECT.match(text):
        return True  # a decision ("de s'engager à financer … 50 %") or an aim ("L'objectif est de …")
    first = anchor.doc[0] if anchor is not None else None
    infinitive = first is not None and first.pos_ == "VERB" and "Inf" in first.morph.get("VerbForm")
    return bool(infinitive and _PLAN_ITEM.match(text) and not actual_cue(text))  # "Recruter un ETP …"


_IMPERFECT = re.compile(r"\b(?:étai|avai)(?:en)?t\b")


@lru_cache(maxsize=CUE_CACHE)
def _past_imperfect(text: str) -> bool:
    """'était', 'avaient': the sentence compares with a past state (searched once for all its figures)."""
    return _IMPERFECT.search(text) is not None


def _baseline(ctx: FactContext, text: str, seg, fact: ProseFigure) -> bool:
    """The reference year's value of the département, compared with a later one or named as the reference."""
    if fact.year is None or ctx.year is None or not fact.year <= REFERENCE_YEAR < ctx.year + 1:
        return False
    if fact.year >= ctx.year or fact.scope != "departement":
        return False
    if fact.indicator_id or reference_cue(text):
        return True
    compared = seg[2] or _past_imperfect(text)
    return bool(compared and fact.figure.unit == "percent")  # a rate of the reference year it is compared with


def _indicator(ctx: FactContext, fact: ProseFigure, heading: str | None) -> str | None:
    """The referential indicator a figure is a value of, when its subject (or the heading that names it) is one."""
    ref = ctx.ref
    if ref is None or fact.figure.unit == "EUR":
        return None
    prefix = {"count": "Nombre de ", "percent": "Taux de "}.get(fact.figure.unit, "")
    for label in [fact.label, heading]:
        if not label:
            continue
        found = ref.match_indicator(
            label if label.lower().startswith(("nombre", "taux", "délai")) else prefix + label, fact.measure_id
        )
        if found and found[1] >= PROSE_INDICATOR_SCORE:
            unit = getattr(ref.indicators.get(found[0]), "unit", None)
            if unit in _UNIT_KIN.get(fact.figure.unit, {fact.figure.unit}):
                return found[0]
    return None
