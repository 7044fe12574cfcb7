"""What kind of statement a prose figure is: a result, a target, the baseline, a change or a budget fact.

The figure's own words decide first — a cue right before it ('objectif de', 'prévu'), its noun phrase ('les 8
centres', 'les 3 séminaires prévus'), the tense of its clause ('ont été reçus' against 'seront reçus'), a ceiling
('au plus 4 jours'); only when they are silent does the part of the document it sits in decide ('Projection
2020-2021' or a convention: target; 'Réalisé 2019' or a rapport d'exécution: result).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from calpae.indicators.paragraphs import Sentence
from calpae.indicators.prose_clause import (
    Tense,
    aimed,
    clause_tense,
    enclosing_tense,
    nominal_item,
    noun_aimed,
    stock_phrase,
)
from calpae.indicators.prose_kind import (
    CUE_CACHE,
    actual_cue,
    actual_cue_in,
    ceiling_cue,
    change_cue,
    described_aim_in,
    reference_cue,
    target_cue_before,
    target_verb_in,
    to_level,
)
from calpae.indicators.prose_nature import PartNature, title_nature
from calpae.indicators.prose_numbers import Figure
from calpae.indicators.prose_subject import anchor_of
from calpae.indicators.prose_time import is_comparison, segments

if TYPE_CHECKING:
    from calpae.indicators.prose_figures import ProseFigure

REFERENCE_YEAR = 2018  # the strategy's baseline year: the convention model's "Situation 2018" column
_FORECAST_WORDS = re.compile(r"\bprévision\w*|\bprévue?s?\b|\bobjectifs?\b|\bcibles?\b|\bavenant\b", re.I)
_PLAN_ITEM = re.compile(r"^\W*[A-ZÉ][a-zéèêàâîôûç]+(?:er|ir|re)\s", re.UNICODE)
_AIM_SUBJECT = re.compile(
    r"^\W*(?:l['’]|les?\s+|la\s+|nos\s+|notre\s+|ses\s+|son\s+)?(?:objectifs?|ambitions?|cibles?|buts?)\b[^.;:]{0,60}?"
    r"\b(?:est|sont|consiste|consistent|vise|visent)\b",
    re.I,
)
_DECISION = re.compile(r"^(?:[-–•]\s*)?(?:de|d['’])\s*(?:s['’]|se\s+)?\w+(?:er|ir|re)\b", re.I)
_COLON_LABEL = re.compile(r"^\s*([^:;.]{3,60}?)\s*:")
_RESTATES = re.compile(r"^[^.;:!?]{0,50}$")
FROM_LEVEL_CHARS = 80  # how far before a figure 'passer … de' may start
FROM_LEVEL = re.compile(
    r"\b(?:passer|passant|passe|porter|portant|ramener|ramenant|réduire|réduisant|faire\s+passer)\s+"
    r"(?:[\w'’-]+\s+){0,6}?de\s+(?:la\s+|le\s+|l['’])?$",
    re.I,
)


def from_level(text: str, f: Figure) -> bool:
    """The figure is the level a change starts from ('passer de la trentaine de personnes à 120': the 30)."""
    return bool(FROM_LEVEL.search(text[max(0, f.start - FROM_LEVEL_CHARS) : f.start]))


def figure_tense(anchor) -> Tense | None:
    """The tense of the figure's own clause, else of the nearest finite verb above it; None for a nominal item."""
    if anchor is None:
        return None
    return clause_tense(anchor) or enclosing_tense(anchor)


def kind_of(
    ctx: Any,
    sent: Sentence,
    f: Figure,
    seg,
    money,
    fact: ProseFigure,
    toks: list,
    prev_end: int,
    next_start: int | None,
) -> tuple[str, bool]:
    """(kind, decided by the figure's own words). When the words are silent the part of the document decides."""
    anchor = anchor_of(toks) if toks else None
    kind = _by_words(ctx, sent.text, f, seg, money, fact, anchor, toks[0] if toks else None, prev_end, next_start)
    if kind is not None:
        return kind, True
    return _by_part(ctx, sent, f, fact, anchor), False


def _by_words(
    ctx: Any,
    text: str,
    f: Figure,
    seg,
    money,
    fact: ProseFigure,
    anchor,
    first,
    prev_end: int,
    next_start: int | None,
) -> str | None:
    """The kind the figure's own words give: its cues, its noun phrase, the tense of its clause; None if silent."""
    if from_level(text, f):
        # "passer de la trentaine de personnes à 120": the level it starts from, the reference when dated as one
        return "baseline" if baseline(ctx, text, seg, fact) else "actual"
    if change_cue(text, f):
        return "change"  # "soit une augmentation de 12 M€" is a change, even of a budget
    if to_level(text, f):
        return "target"  # "passer de la trentaine de personnes à 120": the level to reach
    if money is not None and money.is_budget and fact.scope in ("departement", "local"):
        return "budget"
    if money is not None and money.price:
        return "actual"  # a unit price is what a thing costs, whatever the tense
    planned = anchor is not None and noun_aimed(anchor, text[f.end : f.end + 80])
    if _cue_target(ctx, text, f, seg, fact, prev_end) or planned:
        return "target"
    if anchor is not None and f.unit == "count" and stock_phrase(anchor, first):
        return "actual"  # "les 8 territoires", "3 postes actuels": a set that exists
    if _targeted(ctx, text, f, seg, fact, anchor):
        return "target"
    if (
        described_aim_in(text, seg[0], f.start)
        and ctx.nature.doc_nature is not None
        and not actual_cue_in(text, 0, f.start)
    ):
        return str(ctx.nature.doc_nature)
    if baseline(ctx, text, seg, fact):
        return "baseline"
    tense = figure_tense(anchor)
    if tense == "future":
        return "target"  # "une mise en œuvre sur trois ans ne sera pas possible"
    if tense == "past" or actual_cue_in(text, seg[0], _own_end(seg, f, next_start)):
        return "actual"
    if ceiling_cue(text, f):
        return "target"  # "dans les 4 jours au plus", "une durée maximum de 3 mois": a norm to keep to
    return None


def _by_part(ctx: Any, sent: Sentence, f: Figure, fact: ProseFigure, anchor) -> str:
    """The kind the part of the document gives a figure its words say nothing of: a colon label ('Résultat :'),
    the nature heading above it, the document's nature under a heading that describes the action."""
    colon = _COLON_LABEL.match(sent.text, 0, f.start)  # as on sent.text[: f.start], without copying it
    label = title_nature(colon.group(1)) if colon else None
    if label in ("actual", "target"):
        return str(label)  # "Résultat : 10 personnes convoquées", "Objectif : 300 personnes"
    line = sent.line_at(f.start)
    part = (
        PartNature(ctx.nature.doc_nature, weak=True) if label == "described" else ctx.nature.at(line.page, line.line_no)
    )
    dated_earlier = (
        not part.weak and fact.year_source in ("clause", "sentence") and part.year and (fact.year or 0) < part.year
    )
    weak_ok = not part.weak or (anchor is not None and nominal_item(anchor.doc))
    if part.nature == "target" and weak_ok and not dated_earlier:
        return "target"  # what a part about the future says in the present or without a verb
    return "actual"


def _own_end(seg, f: Figure, next_start: int | None) -> int:
    """Where the words of the figure's segment stop, at the next figure: an actual cue about the next item of a list
    ('…, dont 56 seront accompagnés, 150 travailleurs déjà bénéficiaires') is not about this one."""
    return seg[1] if next_start is None or next_start < f.end else min(seg[1], next_start)


def _cue_target(ctx: Any, text: str, f: Figure, seg, fact: ProseFigure, prev_end: int) -> bool:
    """A target word that governs the figure: right before it, or a forecast it is compared with."""
    compared = re.match(r"\s*(?:au\s+lieu\s+d[e']|contre)\b", text[f.end :]) is not None
    if not compared and target_cue_before(text, f, prev_end):
        return True  # "… au prévisionnel (120)"; in "(52 au lieu de 40)" the 40 is the forecast
    if is_comparison(text, seg):
        outside = text[: seg[0]] + text[seg[1] :]
        return fact.year in (ctx.year, None) and bool(_FORECAST_WORDS.search(outside))
    if seg[2] and text[seg[0]] == "(" and _FORECAST_WORDS.search(text[max(0, seg[0] - 60) : seg[0]]):
        return not any(is_comparison(text, s) and s[0] == seg[1] for s in segments(text))  # "prévisionnel (120)"
    return False


def _targeted(ctx: Any, text: str, f: Figure, seg, fact: ProseFigure, anchor) -> bool:
    """A target by its clause: a later year, a verb that looks ahead, a decision or an item of a plan."""
    if fact.year is not None and ctx.year is not None and fact.year > ctx.year:
        return True
    if anchor is not None and aimed(anchor):
        return True
    if target_verb_in(text, seg[0], f.end) and not actual_cue_in(text, seg[0], f.end):
        return True
    if _DECISION.match(text) or _AIM_SUBJECT.match(text):
        return True  # a decision ("de s'engager à financer … 50 %") or an aim ("L'objectif est de …")
    first = anchor.doc[0] if anchor is not None else None
    infinitive = first is not None and first.pos_ == "VERB" and "Inf" in first.morph.get("VerbForm")
    return bool(infinitive and _PLAN_ITEM.match(text) and not actual_cue(text))  # "Recruter un ETP …"


def baseline(ctx: Any, text: str, seg, fact: ProseFigure) -> bool:
    """The reference year's value of the département, compared with a later one or named as the reference."""
    if fact.year is None or ctx.year is None or not fact.year <= REFERENCE_YEAR < ctx.year + 1:
        return False
    if fact.year >= ctx.year or fact.scope != "departement":
        return False
    if fact.indicator_id or reference_cue(text):
        return True
    compared = seg[2] or _past_imperfect(text)
    return bool(compared and fact.figure.unit == "percent")  # a rate of the reference year it is compared with


_IMPERFECT = re.compile(r"\b(?:étai|avai)(?:en)?t\b")


@lru_cache(maxsize=CUE_CACHE)
def _past_imperfect(text: str) -> bool:
    """'était', 'avaient': the sentence compares with a past state (searched once for all its figures)."""
    return _IMPERFECT.search(text) is not None


def restates(sdoc, text: str, prev: ProseFigure, f: Figure) -> bool:
    """The figure continues the previous one's statement: 'soit N', or joined to it by 'de', 'et' or a comma
    with no verb in between ('60 entretiens et 20 suivis', '6 cycles de 3 ateliers (soit 18 ateliers)')."""
    if prev.kind not in ("actual", "target") or prev.figure.unit == "EUR" and f.unit != "EUR":
        return False
    between = text[prev.figure.end : f.start]
    if not _RESTATES.match(between) or re.search(r"\b(?:contre|au\s+lieu|dont|réalis\w*|atteint)\b", between):
        return False
    # the tokens starting between the two figures: a run of the parse (tokens are in text order), found by bisection
    lo = bisect_left(sdoc, prev.figure.end, key=_token_start)
    hi = bisect_left(sdoc, f.start, lo=lo, key=_token_start)
    return not any(sdoc[i].pos_ in ("VERB", "AUX") for i in range(lo, hi))


def _token_start(tok: Any) -> int:
    return int(tok.idx)
