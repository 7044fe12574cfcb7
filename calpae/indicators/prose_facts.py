"""One sentence's figures made facts (subject, year, kind, scope, part and stage of money, referential id), and the
run-table records built from them."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from calpae.indicators.context import section_at, section_titles
from calpae.indicators.paragraphs import Sentence
from calpae.indicators.prose_carry import Candidate
from calpae.indicators.prose_figures import ProseFigure
from calpae.indicators.prose_kind import change_cue, reach_cue, scope_of
from calpae.indicators.prose_labels import borrowed, counted_terms, elliptic, linear_subject, main_subject
from calpae.indicators.prose_money import money_fact
from calpae.indicators.prose_nature import PARTNER_HEADINGS, NatureIndex, action_is_partner
from calpae.indicators.prose_notes import DataNotes
from calpae.indicators.prose_numbers import Figure, window
from calpae.indicators.prose_statement import figure_tense, from_level, kind_of, restates
from calpae.indicators.prose_subject import (
    CONTAINERS,
    anchor_of,
    figures_tokens,
    is_fragment,
    own_noun,
    subject_of,
    tidy_label,
)
from calpae.indicators.prose_time import Period, period_end, period_in, segments, year_mentions
from calpae.indicators.prose_years import Heading, figure_year, heading_before
from calpae.models import Document
from calpae.models.records import Scope
from calpae.referential import Referential

PERIOD_HEADINGS = 12  # headings looked back through for the period a text is in
MONEY_HEADINGS = 3  # headings above an amount that may say whose money it is and at which stage
PROSE_INDICATOR_SCORE = 90.0  # a prose subject maps to a referential indicator only above this score
_COLON_LABEL = re.compile(r"([^:;.•]{3,120}?)\s*:\s*(?:[-+]?\s*)?$")
_COLON_TAIL = re.compile(r"\s*[-+]?\s*")
COLON_LABEL_CHARS = 120  # the longest label _COLON_LABEL reads before its colon (characters)
_UNIT_KIN = {"count": {"count", "ratio", "fte"}, "percent": {"percent"}, "days": {"days"}, "hours": {"hours"}}


SHARE_GAP_CHARS = 30  # a bare percentage this close after a count is the share of what was counted
PARTICIPLE_DEPTH = 3  # dependency steps from a year up to the participle that may carry it ('aidés en 2019')


@dataclass
class FactContext:
    """What every sentence of a document needs: its year, headings, names, the referential."""

    doc: Document
    year: int | None
    headings: list[tuple[int, int, str]]
    own_names: set[str]
    ref: Referential | None
    notes: DataNotes = field(default_factory=DataNotes)
    nature: NatureIndex = field(default_factory=NatureIndex)
    measures: dict[str | None, str | None] = field(default_factory=dict)
    others: dict[str, bool] = field(default_factory=dict)  # clause → names another département

    @classmethod
    def of(cls, doc: Document, heading_index: list[tuple[int, int, str]]) -> FactContext:
        from calpae.indicators.mapping import referential

        names = {n for n in (doc.departement_name or "").split()}
        year = prose_year(doc)
        notes, nature = DataNotes.of(doc), NatureIndex.of(doc, heading_index, year)
        return cls(doc, year, heading_index, names, referential(), notes=notes, nature=nature)

    def headings_above(self, page: int | None, line: int | None, limit: int = PERIOD_HEADINGS) -> list[Heading]:
        """The headings above a position in its section, nearest first."""
        section = section_at(self.doc, page, line)
        k = bisect_right(self.headings, (page or 0, (line or 0) - 1, "\uffff")) - 1
        out = []
        for hp, hl, title in reversed(self.headings[max(0, k - limit + 1) : k + 1]):
            if section_at(self.doc, hp, hl) != section:
                break
            out.append((hp, hl, title))
        return out

    def partner_at(self, page: int | None, line: int | None) -> bool:
        """The figure sits under the title of an action a partner structure runs (prose_nature.partner_title)."""
        raw = self.nature.raw_lines
        titles = [raw.get(h[:2], h[2]) for h in self.headings_above(page, line, PARTNER_HEADINGS)]
        return action_is_partner(titles, lambda title: scope_of(title, title, self.own_names, False) == "local")

    def period_at(self, page: int | None, line: int | None) -> Period | None:
        """The period the text at a position is in: named by a heading above it in its section ('Budget détaillé
        sur 2019 – 2021'), else the document's own ('PDI 2016-2020')."""
        for _, _, title in self.headings_above(page, line):
            if (found := period_in(title)) is not None:
                return found
        return period_in(self.doc.period or "")

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
    sdoc: Any,
    text: str,
    f: Figure,
    toks: list[Any],
    skip: set[int],
    prev_noun: Any,
    out: list,
    heading: str | None,
    to_toks: list[Any] | None = None,
) -> tuple[str, Any, bool]:
    """(label, counted noun token, label taken from the heading) of one figure: from the parse, else borrowed from
    the figure before it, or from the level it changes to ('passer le taux de 41 % à 55 %': 41 is a rate too), the
    label before a colon, a linear reading, a framed noun, the heading."""
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
    if is_fragment(label) and to_toks and from_level(text, f):
        label, noun = subject_of(sdoc, to_toks, f.unit, skip - {t.i for t in to_toks})
    if is_fragment(label) and (m := colon_label(text[: f.start])):
        label = tidy_label(m.group(1))
    if is_fragment(label):
        label = linear_subject(text, f.start, f.end, f.unit) or label
    if is_fragment(label) and noun is not None:
        label = framed_label(noun.text, f.unit)  # "Sur 24 signatures" → "nombre de signatures"
    if is_fragment(label) and noun is None:
        label = main_subject(sdoc, skip) or label
    if is_fragment(label) and f.unit == "percent" and out and out[-1].figure.unit == "count":
        gap = text[out[-1].figure.end : f.start]
        counted = out[-1].noun or next(iter(re.findall(r"[^\W\d_]{3,}", gap)), None)
        if counted and len(gap) <= SHARE_GAP_CHARS:
            label = f"part des {counted.lower()}"  # '45 jeunes (12 %)': the share those counted are
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
    following = _following(figs)
    tokens_at: dict[int, Any] = {}  # the parse's tokens by character offset, made once for the sentence if asked
    for f in figs:
        toks = spans[f.start]
        if not toks or not _quantifies(sent, f, toks):
            continue
        line = sent.line_at(f.start)
        at = (line.page, line.line_no)
        section = section_at(ctx.doc, line.page, line.line_no)
        heading = heading_before(ctx.headings, line.page, line.line_no)
        nxt_fig = following(f.start)
        to_toks = spans[nxt_fig.start] if nxt_fig is not None and nxt_fig.unit == f.unit else None
        label, noun, from_heading = _label(sdoc, text, f, toks, skip, prev_noun, out, heading, to_toks)
        if is_fragment(label):
            skipped += 1
            continue
        seg = next(s for s in segs if s[0] <= f.start < s[1] or s[1] == len(text))
        segment_text = text[seg[0] : seg[1]]
        if seg not in scopes:  # the figures of one clause share its scope
            scopes[seg] = scope_of(segment_text, text, ctx.own_names, ctx.other_departement(segment_text))
        scope = scopes[seg]
        if scope == "departement" and ctx.partner_at(*at) and (f.unit == "EUR" or not _own_actor(sdoc)):
            scope = "local"  # a partner structure's own activity (or grant), under the title of its action
        present = figure_tense(anchor_of(toks)) == "present"
        year, year_source = figure_year(ctx, sent, f, section, carried, change_cue(text, f), present)
        if (
            year_source in ("clause", "sentence")
            and year is not None
            and _years_qualify_nouns(sdoc, text, year, tokens_at)
        ):
            # 'Pour 2020 : … 20 % des ménages aidés en 2019': the year says who is counted; the time is the context's
            masked = replace(sent, text=re.sub(r"\b(?:19|20)\d\d\b", "0000", text))
            alt, alt_source = figure_year(ctx, masked, f, section, carried, change_cue(text, f), present)
            if alt_source in ("carried", "heading") and alt is not None:
                year, year_source = alt, alt_source
        before, after = window(text, f.start, f.end)
        money = None
        if f.unit == "EUR":
            above = ctx.headings_above(line.page, line.line_no, MONEY_HEADINGS)
            intros = [h[2] for h in above if h[:2] in ctx.nature.intro_ends and ctx.nature.holds(h[:2], *at)]
            money = money_fact(before, after, text, [h[2] for h in above], scope, cand.after, intros)
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
        nxt = nxt_fig.start if nxt_fig is not None else None
        fact.kind, own = kind_of(ctx, sent, f, seg, money, fact, toks, prev_end, nxt)
        _time_of_plan(ctx, fact, cand.aim_year)
        if out and fact.kind in ("actual", "target") and fact.kind != out[-1].kind and restates(sdoc, text, out[-1], f):
            if not own or out[-1].kind == "target":
                fact.kind = out[-1].kind  # "6 cycles de 3 ateliers (soit 18 ateliers) étaient prévus": one statement
        if fact.kind == "change":
            fact.indicator_id = None
        out.append(fact)
        prev_noun = noun if noun is not None else prev_noun
        prev_end = f.end
    return out, skipped


def _following(figs: list[Figure]) -> Callable[[int], Figure | None]:
    """The first figure of the list that starts after a position (what `next(g for g in figs if g.start > pos)`
    gives), by bisection when the figures are in text order, as a sentence's are."""
    starts = [g.start for g in figs]
    if starts != sorted(starts):
        return lambda pos: next((g for g in figs if g.start > pos), None)

    def first_after(pos: int) -> Figure | None:
        k = bisect_right(starts, pos)
        return figs[k] if k < len(figs) else None

    return first_after


def _years_qualify_nouns(sdoc: Any, text: str, year: int, by_idx: dict[int, Any]) -> bool:
    """Every mention of the year is inside a participle modifying a noun ('20 % des ménages aidés
    en 2019'): it says which people are counted, not when; the time comes from the paragraph or the list intro.
    by_idx: the parse's tokens by character offset, filled here on the sentence's first call."""
    mentions = year_mentions(text)
    if not mentions or any(m.year != year for m in mentions):
        return False
    if not by_idx:
        by_idx.update((t.idx, t) for t in sdoc)
    return all(m.start in by_idx and _in_participle(by_idx[m.start]) for m in mentions)


def _in_participle(tok: Any) -> bool:
    for _ in range(PARTICIPLE_DEPTH):
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN") and "Part" in tok.morph.get("VerbForm"):
            return True
        if tok.head is tok:
            return False
        tok = tok.head
    return False


def _own_actor(sdoc: Any) -> bool:
    """The Département is the subject of the sentence ('le Département a reçu 380 personnes'): its own activity,
    even under a partner's action title ('soutenue par le Département' is not)."""
    return any(t.text == "Département" and t.dep_ == "nsubj" for t in sdoc)


def _time_of_plan(ctx: FactContext, fact: ProseFigure, aim_year: int | None) -> None:
    """Years that the kind settles: a level a plan starts from is today's ('passer de 30 … à 120 à fin 2021': 30 is
    now); a level to reach within a period is due at its end ('2019-2021 : ramener le taux à 48 %' → 2021); an
    undated target shares the later year its paragraph aims at."""
    text, f = fact.sentence.text, fact.figure
    if fact.kind == "target" and aim_year is not None and fact.year_source not in ("clause", "sentence", "from-to"):
        fact.year, fact.year_source = aim_year, "carried"
        return
    if from_level(text, f) and fact.year is not None and ctx.year is not None and fact.year > ctx.year:
        fact.year, fact.year_source = ctx.year, "document"
    elif fact.kind in ("target", "change") and fact.year_source in ("clause", "sentence") and reach_cue(text):
        end = period_end(text)
        if end is not None and fact.year is not None and end > fact.year:
            fact.year, fact.year_source = end, "period"


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
