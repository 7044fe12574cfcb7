"""The time of a figure's own clause, read from spaCy's parse: the verb the figure (or the noun it counts) hangs on,
its auxiliaries and tense — done ('ont été accompagnés', 'avait été vue', 's'est traduite', 'accueillait'), to come
('seront animés', 'interviendrait', 'devrait', 'est prévu') or present ('est cofinancée', 'compte').

A figure deep in a noun phrase ('la création de 3 postes … doit être renforcée') is not an argument of the verb, so
the verb says nothing of it; the noun phrase itself may ('les 8 centres actuels', 'les 3 séminaires prévus').
"""

from __future__ import annotations

import re
from typing import Any, Literal

from calpae.indicators.prose_kind import STATUS_NOUNS

Tense = Literal["past", "future", "present"]

ARGUMENT = {"nsubj", "nsubj:pass", "obj", "obl", "obl:arg", "obl:mod", "obl:agent", "xcomp", "iobj", "dep"}
DISCOURSE_VERBS = re.compile(
    r"^(?:constat|not|observ|soulign|rappel|précis|conv|appar|sembl|pouvoir|peut|pourr|faut|faudr)", re.I
)
AIM_WORDS = re.compile(
    r"^(?:prévu|prévus|prévue|prévues|envisag|programm|calibr|vis[ée]|visai|attendu|estim[ée]|projet|souhait|"
    r"ambitionn|prévoi|sollicit|escompt|devr|doi[tv]|devant)",
    re.I,
)
# Conditional forms the small tagger reads as imperfects: regular '-erait', and the stems of frequent verbs.
_CONDITIONAL = re.compile(
    r"(?:erai(?:t|ent)|^(?:ser|aur|pourr|devr|faudr|voudr|ir|fer|saur|viendr|tiendr|prendr|mettr|permettr|"
    r"interviendr|verr|pourr|deviendr|obtiendr|maintiendr|atteindr|recevr)ai(?:t|ent))$",
    re.I,
)
# Past participles conjugated with 'être' in the compound past (not a passive): 'sont venus', 'est devenue'.
_ETRE_PAST = re.compile(
    r"^(?:venu|arrivé|parti|entré|sorti|devenu|resté|tombé|né|mort|retourné|revenu|intervenu|parvenu|survenu|"
    r"allé|passé)e?s?$",
    re.I,
)
_DEFINITE = {"les", "des", "ses", "nos", "leurs", "ces", "aux", "vos"}
_TRANSPARENT = re.compile(r"^(?:agit|agissait)$", re.I)
_PROPOSED = re.compile(r"^(?:propos[ée]e?s?|propose|proposons)$", re.I)
_STOCK_WORDS = re.compile(r"^(?:actuel(?:le)?s?|existante?s?|actuellement|déjà|présente?s?)$", re.I)


def governing_verb(anchor: Any) -> Any:
    """The verb the figure is an argument of: the figure, or the noun it counts, must hang on it directly."""
    tok = anchor
    if tok.dep_ in ("nummod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        tok = tok.head  # the counted noun
    if tok.dep_ == "nmod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.dep_ in ARGUMENT:
        tok = tok.head  # one noun up: "6 cycles de 3 ateliers étaient prévus"
    for _ in range(4):
        if tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head  # "calibré pour 60 entretiens et 20 suivis": the first conjunct's verb
            continue
        break
    if tok.pos_ in ("VERB", "AUX") and tok is not anchor:
        return tok
    if tok.dep_ in ARGUMENT and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
        return tok.head
    if tok.dep_ == "ROOT" and tok.pos_ in ("VERB", "AUX", "ADJ"):
        return tok
    return None


def _looks_ahead(tok: Any) -> bool:
    return "Fut" in tok.morph.get("Tense") or "Cnd" in tok.morph.get("Mood") or bool(_CONDITIONAL.search(tok.text))


def verb_tense(verb: Any) -> Tense:
    """Past, future or present of a verb with its auxiliaries: a compound past with 'avoir' (or 'être' for a
    pronominal verb or a verb of motion), an imperfect or a simple past is past; 'est financé' is a present passive."""
    auxes = [c for c in verb.children if c.dep_.startswith("aux")]
    if any(_looks_ahead(t) for t in [verb, *auxes]):
        return "future"
    if any(t.text.lower() in ("va", "vont", "allons") for t in auxes) or (
        verb.head.text.lower() in ("va", "vont") and "Inf" in verb.morph.get("VerbForm")
    ):
        return "future"  # "un cahier des charges va être rédigé"
    tense_aux = [a for a in auxes if a.dep_ == "aux:tense"]
    pronominal = any(
        c.dep_ in ("expl:comp", "expl:pv", "expl", "obj") and c.text.lower() in ("s'", "se", "s’")
        for c in verb.children
    )
    for a in tense_aux:
        if "Imp" in a.morph.get("Tense") or "Past" in a.morph.get("Tense"):
            return "past"  # plus-que-parfait
        if a.text.lower() in ("a", "ont", "ai", "as", "avons", "avez", "eu"):
            return "past"
        if pronominal or _ETRE_PAST.match(verb.text):
            return "past"  # "s'est traduite", "sont venues"
    if any(a.dep_ == "aux:pass" and a.text.lower() in ("été",) for a in auxes):
        return "past"
    if any(a.dep_ == "aux:pass" and "Imp" in a.morph.get("Tense") for a in auxes):
        return "past"  # "était financé"
    if "Imp" in verb.morph.get("Tense") and "Fin" in verb.morph.get("VerbForm"):
        return "past"
    if "Past" in verb.morph.get("Tense") and "Fin" in verb.morph.get("VerbForm"):
        return "past"  # passé simple
    return "present"


def enclosing_tense(anchor: Any) -> Tense | None:
    """For a figure that is no verb's argument ('L'organisation d'une mise en œuvre sur trois ans ne sera pas
    possible'), the tense of the nearest finite verb above it in the parse; 'future' too below a proposal ('Il est
    proposé d'aller au-delà des six mois')."""
    tok = anchor
    for _ in range(12):
        if tok.head is tok:
            break
        tok = tok.head
        cop = next((c for c in tok.children if c.dep_ == "cop"), None)
        if cop is not None and tok.pos_ not in ("VERB", "AUX"):
            return verb_tense(cop)  # "… ne sera pas possible": the copula carries the time
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        if DISCOURSE_VERBS.match(tok.text) or _TRANSPARENT.match(tok.text):
            return None  # "on notera que 92 % …", "il s'agit de former …": the figure's time is its own clause's
        if _PROPOSED.match(tok.text) and verb_tense(tok) == "present" and _infinitive_below(tok):
            return "future"  # "il est proposé d'aller au-delà de …", not "8 sessions ont été proposées"
        finite = "Fin" in tok.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in tok.children)
        if finite:
            return verb_tense(tok)
    return None


def _infinitive_below(verb: Any) -> bool:
    return any("Inf" in c.morph.get("VerbForm") for c in verb.children if c.dep_ in ("xcomp", "ccomp", "csubj"))


def clause_tense(anchor: Any) -> Tense | None:
    """The tense of the clause the figure is an argument of; None when it hangs on no finite verb (a nominal
    phrase, an infinitive: 'Renfort d'un ETP', 'pour les remettre en 4 semaines')."""
    verb = governing_verb(anchor)
    if verb is None or verb.pos_ == "ADJ":
        return None
    tense = verb_tense(verb)
    finite = "Fin" in verb.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in verb.children)
    return tense if finite or tense != "present" else None


_PLANNED_AFTER = re.compile(r"^[^.;:]{0,60}?\bqui\s+(?:seront|sera|vont|va|devr\w+|pourr\w+)\b", re.I)


def noun_aimed(anchor: Any, after: str = "") -> bool:
    """The noun the figure counts is qualified as planned: 'les 3 séminaires prévus', '3 séminaires (toujours en
    cours) qui seront animés en avril' (read from the text when the parse loses the relative clause)."""
    if _PLANNED_AFTER.match(after):
        return True
    if anchor.dep_ != "nummod":
        return False
    noun = anchor.head
    if any(c.dep_ == "acl" and AIM_WORDS.match(c.text) for c in noun.children):
        return True
    return any(c.dep_ in ("acl:relcl", "acl") and any(_looks_ahead(t) for t in [c, *c.children]) for c in noun.children)


def aimed(anchor: Any) -> bool:
    """The figure's clause looks ahead: a future or conditional verb, or a verb or participle of planning
    ('étaient prévus', 'est estimé à', 'vise à accompagner'); discourse verbs ('on constatera') do not count."""
    if noun_aimed(anchor):
        return True
    verb = governing_verb(anchor)
    if verb is None or DISCOURSE_VERBS.match(verb.text):
        return False
    if AIM_WORDS.match(verb.text) or (verb.dep_ == "xcomp" and AIM_WORDS.match(verb.head.text)):
        return True
    return verb_tense(verb) == "future"


def stock_phrase(anchor: Any, first: Any = None) -> bool:
    """The figure counts a set that exists: a definite determiner right before it ('les 8 territoires', 'des 10
    maisons', 'ses 3 postes': 'des' before a number is 'de les') or a word saying so in its noun phrase ('3 postes
    actuels', 'les internats déjà conventionnés')."""
    doc, first = anchor.doc, first if first is not None else anchor
    before = doc[first.i - 1] if first.i > 0 else None
    after = doc[first.i + 1].text if first.i + 1 < len(doc) else ""
    if before is not None and before.text.lower() in _DEFINITE and not after.startswith(("%", "€")):
        return True
    noun = anchor.head if anchor.dep_ == "nummod" else None
    if noun is None or noun.pos_ not in ("NOUN", "PROPN", "X"):
        return False
    return any(_stock_word(c) for c in noun.children) or any(
        _stock_word(t) for t in noun.subtree if t.i > anchor.i and t.head.i in (noun.i, anchor.i)
    )


def _stock_word(tok: Any) -> bool:
    """'actuels', 'existants', 'déjà conventionnés'; not 'déjà bénéficiaires du rSa' (who they are)."""
    if not _STOCK_WORDS.match(tok.text):
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return not (tok.lower_ == "déjà" and nxt is not None and re.match(STATUS_NOUNS, nxt.text, re.I))


def nominal_item(sdoc: Any) -> bool:
    """A sentence without a finite verb that opens on a noun: an item of a plan ('Renfort d'un ETP (soit 2
    mi-temps)', 'Mise en place d'une plateforme sur 3 territoires', 'Durée de l'action : 3 ans')."""
    words = [t for t in sdoc if t.is_alpha]
    if not words or words[0].pos_ not in ("NOUN", "PROPN"):
        return False
    return not any("Fin" in t.morph.get("VerbForm") for t in sdoc)
