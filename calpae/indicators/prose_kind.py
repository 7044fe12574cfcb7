"""What kind of statement a prose figure is (result, target, baseline, change) and whose it is (the département,
one town or structure, the nation, another territory).

The cues are ordinary French: a sign or 'hausse de' for a change; 'objectif', 'prévu', 'cible', a future or
conditional verb, or a heading of objectives for a target; a comparison with the reference year for a baseline.
A cue counts only where it governs the figure: 'atteint 97 % … au-delà de l'objectif de 95 %' makes 95 % the
target and leaves 97 % a result.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from calpae.indicators.prose_numbers import Figure
from calpae.models.records import Scope

CUE_CACHE = 1024  # clauses and sentences whose cues are remembered: each figure of a sentence asks again
_A = "['’]"
_CHANGE_BEFORE = re.compile(
    rf"(?:augmentation|hausse|baisse|diminution|progression|croissance|recul|augmenté|diminué|progressé|baissé|"
    rf"reculé|gagné|perdu|accru|réduit|réduction|évolution|extension|augmenten?t?|diminuen?t?|progressen?t?|"
    rf"baissen?t?|reculen?t?|croissen?t?|croît)\s+(?:de\s+|d{_A})\s*"
    rf"(?:plus\s+de\s+|près\s+de\s+|l{_A}ordre\s+de\s+)?[+]?\s*$",
    re.IGNORECASE,
)
_CHANGE_AFTER = re.compile(
    rf"^\s*(?:d{_A}augmentation|de\s+hausse|de\s+baisse|de\s+progression|supplémentaires?\b|de\s+plus\b|"
    rf"de\s+moins\b|en\s+plus\b|par\s+rapport\s+à)",
    re.IGNORECASE,
)
_CREATED_AFTER = re.compile(r"^\s*places?\b[^.;]{0,40}?\b(?:créée?s?|ouvertes?|supprimée?s?)\b", re.IGNORECASE)
# A target cue that governs the figure after it: "objectif de 95 %", "prévisionnel (120)", "Objectif : 300".
_TARGET_BEFORE = re.compile(
    rf"(?:\bobjectifs?|\bcibles?|\bprévisionnel(?:le)?s?|\bprévisions?(?:\s+\d{{4}})?|\bprévue?s?|\bvisée?s?|"
    rf"\bviser|\bvise|\bestimée?s?|\bcalibrée?s?|\benvisagée?s?|\bprogrammée?s?|\bplafonnée?s?|\bfixée?s?|"
    rf"\btendre|\bramener|\bréduire|\bporter|\bpasser|\battendue?s?|\bmaintenir|\bsouhaitée?s?|\bescomptée?s?)"
    rf"(?:\s+(?:initiale?s?|nationale?s?|de\s+réalisation|assignée?s?|par\s+(?:la\s+|le\s+|l{_A})?\w+|"
    rf"du\s+dispositif|d{_A}accompagnement|pour\s+\d{{4}}|en\s+\d{{4}}|(?:de\s+|d{_A})\w+(?:er|ir|re)))*"
    rf"(?:\s*(?:de|d{_A}|à|au|:|pour|est|sont|était|de\s+l{_A}ordre\s+de|d{_A}environ|environ|"
    rf"d{_A}au\s+moins|au\s+moins|soit|à\s+hauteur\s+de|le\s+taux\s+à|ce\s+taux(?:\s+\w+)?\s+à|"
    rf"les\s+délais\s+à|[(*«]))*\s*$",
    re.IGNORECASE,
)
_TARGET_VERBS = re.compile(
    r"\b(?:prévoi[rts]|prévoient|prévu|vise|visent|viser|visai(?:t|ent)|potentiellement|envisag\w+|souhait\w+|ambitionn\w+|devr\w+|doi[tv]\w*|"
    r"s['’]agira|calibr\w+|programm\w+|sollicit\w+|tendre|maintenir|attendu\w*|pérenniser|projet(?:te|tent)|"
    r"recruter|créer|développer|déployer|mettre\s+en\s+place|renforcer)\b",
    re.IGNORECASE,
)
_CEILING_BEFORE = re.compile(
    r"\b(?:maxim(?:um|ale?)|au\s+maximum|au\s+plus|plafonnée?s?)\s+(?:de\s+|d['’]|à\s+)?$", re.I
)
_CEILING_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:au\s+plus|au\s+maximum|maxim(?:um|al))\b", re.I)
# Nouns of a person's status: 'travailleurs déjà bénéficiaires du rSa' says who they are, not that it is done.
STATUS_NOUNS = r"(?:bénéficiaires?|allocataires?|titulaires?|membres?|salariée?s?|locataires?|usagers?|adhérente?s?)\b"
_ACTUAL_DONE = (
    r"\b(?:a|ont|avait|avaient)\s+(?:(?:pas|jamais|plus|bien|ainsi|notamment|également|aussi)\s+)?(?:été\s+)?"
    r"(?:\w+é(?:e|s|es)?|\w*[vn]ue?s?|rendue?s?|perçue?s?|permis|pris|mis|fait|reçue?s?|obtenue?s?|eu|pu|accueillie?s?|suivie?s?|abouti|bénéficié)\b|"
    r"\bs['’]est\s+\w+ée?s?\b|\bse\s+sont\s+\w+é(?:e|s|es)?\b|\bréalisée?s?\b|\bconstatée?s?\b|\bbilan\b|"
    r"\batteint\b|\bau\s+\d{1,2}(?:er)?\s*[/.]\s*\d|\bactuel(?:le)?s?\b|\bactuellement\b|\bà\s+ce\s+jour\b"
)
_ALREADY = rf"\bdéjà\b(?!\s+{STATUS_NOUNS})"
_ACTUAL_CUES = re.compile(f"{_ACTUAL_DONE}|{_ALREADY}", re.IGNORECASE)
_ACTUAL_DONE_CUES = re.compile(_ACTUAL_DONE, re.IGNORECASE)  # the cues but 'déjà': only word boundaries around them
_ALREADY_CUE = re.compile(_ALREADY, re.IGNORECASE)
_REFERENCE_CUE = re.compile(
    r"\bvaleur\s+(?:de\s+référence|\d{4})\b|\bsituation\s+(?:initiale|de\s+départ|de\s+référence|\d{4})\b|"
    r"\bannée\s+de\s+référence\b|\bréférence\s+\d{4}\b",
    re.IGNORECASE,
)

# --- scope ---------------------------------------------------------------------------------------------------
_NATIONAL = re.compile(
    r"(?<!stratégie )(?<!plan )(?<!programme )(?<!pacte )(?<!schéma )(?<!éducation )(?<!agence )(?<!caisse )"
    r"\b(?:national(?:e|es|aux)?|nationaux|France(?:\s+métropolitaine|\s+entière)?|gouvernement|pouvoirs\s+publics|"
    r"au\s+niveau\s+du\s+pays|Cnaf|DREES|INSEE|Acsé|DGEFP|DGCS|dans\s+\w+\s+départements)\b",
)
_OTHER_TERRITORY = re.compile(
    r"\b(?:[Rr]égion\s+(?!départementale)[A-ZÉ][\w-]+|en\s+(?:Aquitaine|Occitanie|Nouvelle-Aquitaine|Île-de-France|Bretagne|Normandie|"
    r"Auvergne|Bourgogne|Grand\s+Est|Hauts-de-France|Centre-Val\s+de\s+Loire|Pays\s+de\s+la\s+Loire|Corse)|"
    r"régiona(?:l|le|les|ux)|moyenne\s+(?:sur\s+l['’]ensemble\s+)?des\s+départements|"
    r"(?:autres|\d+)\s+départements\s+de\s+la\s+région|départements\s+de\s+taille\s+comparable)\b",
)
_TOWN = re.compile(
    r"(?:\b(?:à|A|À|de|d['’]|pour|sur)\s+|\bcommunes?\s+de\s+|\bville\s+de\s+)"
    r"(?P<town>[A-ZÉÈ][a-zéèêëîïôûç]+(?:[- ](?:sur|sous|en|la|le|les|de|d['’]|l['’]|[A-ZÉÈ][a-zéèêëîïôûç]+))*)"
    r"(?=\s*[:,.;)]|\s+(?:\d|\(|[a-zéèàâêîôû]))",
)
_STRUCTURE_AGENT = re.compile(
    r"\b(?:association|structure\s+porteuse|le\s+centre\s+social|la\s+maison\s+d['’]arrêt|l['’]association|"
    r"la\s+mission\s+locale|le\s+club|l['’]école|le\s+collège|agglomération\s+\w+|territoires?\s+(?:agenais|du\s+\w+ais))",
    re.IGNORECASE,
)
_LOCAL_AREA = re.compile(r"\b(?:agglomération|quartiers?\s+prioritaires|centre-ville|commune|canton)\b", re.I)
_NOT_TOWN = {
    "Accompagnement",
    "Action",
    "Insertion",
    "Caisse",
    "Région",
    "Solidarités",
    "Santé",
    "Protection",
    "Aide",
    "Emploi",
    "Formation",
    "Département",
    "Etat",
    "État",
    "France",
    "Pôle",
    "Europe",
    "Conseil",
    "Ministère",
    "Préfecture",
    "Agence",
    "Mission",
    "Maison",
    "Maisons",
    "Centre",
    "Centres",
}


# The level a plan means to reach: "passer de la trentaine de personnes à environ 120", "ramener le taux de 50,6 %
# en dessous de 50 %" (an infinitive: said of the future; "est passé de … à …" is a change that happened).
_TO_LEVEL = re.compile(
    rf"\b(?:passer|porter|ramener|réduire|abaisser|augmenter|élever|faire\s+passer)\s+(?:[\w'’-]+\s+){{0,6}}?"
    rf"(?:de|d{_A})\s+[^.;]{{0,100}}?\s(?:à|en\s+dessous\s+de|au-dessous\s+de|au-dessus\s+de|sous|jusqu{_A}à)"
    rf"\s*(?:environs?\s+|près\s+de\s+|moins\s+de\s+|plus\s+de\s+)?$",
    re.IGNORECASE,
)
_REACH = re.compile(
    r"\b(?:passer|porter|ramener|réduire|abaisser|atteindre|augmenter|diminuer|faire\s+passer)\b|\bd['’]ici\b", re.I
)


def to_level(text: str, f: Figure) -> bool:
    """The figure is the level a plan means to reach ('passer de 30 à 120': the 120)."""
    return bool(_TO_LEVEL.search(text[max(0, f.start - 160) : f.start]))


@lru_cache(maxsize=CUE_CACHE)
def reach_cue(text: str) -> bool:
    """A sentence about reaching a level: its period names the time by which ('2019-2021 : ramener le taux à …')."""
    return bool(_REACH.search(text))


def change_cue(text: str, f: Figure) -> bool:
    """A figure stated as an increase or decrease: '+31 places', 'hausse de 12 %', '(20 % d'augmentation)'."""
    item_plus = f.sign == "+" and f.unit == "count" and not text[: f.start].strip(" -•*\ufffd") and " " in f.raw[:2]
    if not item_plus and (
        f.sign in ("+", "-") or (f.unit == "percent" and re.search(r"points?|pts?", f.raw, re.I) and f.sign)
    ):
        return True  # a "+ 150 travailleurs" opening a list item adds to the list, it is no increase
    before, after = text[max(0, f.start - 60) : f.start], text[f.end : f.end + 60]
    if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after):
        return True
    return bool(f.unit == "count" and _CREATED_AFTER.match(text[f.end - 0 : f.end + 60]))


def target_cue_before(text: str, f: Figure, previous_end: int) -> bool:
    """A target word right before the figure, with no other figure in between."""
    before = text[max(previous_end, f.start - 60) : f.start]
    return bool(_TARGET_BEFORE.search(before))


def ceiling_cue(text: str, f: Figure) -> bool:
    """A time limit the figure sets rather than a time it took: 'dans les 4 jours au plus', 'une durée maximum de
    3 mois' (a maximum count, 'au maximum 30 places', is a capacity: what there is)."""
    if f.unit not in ("days", "months", "years", "hours", "weeks"):
        return False
    before, after = text[max(0, f.start - 30) : f.start], text[f.end : f.end + 30]
    return bool(_CEILING_BEFORE.search(before) or _CEILING_AFTER.match(after))


_DESCRIBED_AIM = re.compile(r"\bs['’]agi(?:t|ssait)\s+(?:\w+\s+)?d(?:e\s+|['’])\w+(?:er|ir|re)\b", re.IGNORECASE)


def described_aim(clause: str) -> bool:
    """'il s'agit de former …': what the action is, in the tense of its document (a plan's aim, a report's act)."""
    return bool(_DESCRIBED_AIM.search(clause))


@lru_cache(maxsize=CUE_CACHE)
def actual_cue(clause: str) -> bool:
    """A clause written as something done: a compound past, 'réalisé', 'atteint', 'au 31/12/…'."""
    return bool(_ACTUAL_CUES.search(clause))


@lru_cache(maxsize=CUE_CACHE)
def target_verb(clause: str) -> bool:
    return bool(_TARGET_VERBS.search(clause))


@lru_cache(maxsize=CUE_CACHE)
def reference_cue(text: str) -> bool:
    return bool(_REFERENCE_CUE.search(text))


def scope_of(segment: str, sentence: str, own_names: set[str], other_departements: bool) -> Scope:
    """departement, local (one town, area or structure), national or other_territory, from the figure's clause
    (and the sentence for the national cues that frame a whole quotation)."""
    if _NATIONAL.search(segment) or re.search(r"\bgouvernement\b|«", sentence) and _NATIONAL.search(sentence):
        return "national"
    if _OTHER_TERRITORY.search(segment) or other_departements:
        return "other_territory"
    for m in _TOWN.finditer(segment):
        town = m.group("town").split()[0].split("-")[0]
        if town not in _NOT_TOWN and m.group("town") not in own_names and not m.group("town").isupper():
            return "local"
    if _LOCAL_AREA.search(segment) or _STRUCTURE_AGENT.search(segment):
        return "local"
    return "departement"


# --- cues in the stretch of a sentence before a figure ---------------------------------------------------------
# A segment's figures each ask whether a cue lies between the segment's start and the figure: the segment is
# scanned once, and each question reads at most the words just before its figure.
PREFIX_CACHE = 64  # (pattern, sentence, start) scans remembered
_OUTSIDE_CUES = re.compile(r"[^\w\s'’/.]")  # a character that no match of the patterns below holds


@lru_cache(maxsize=PREFIX_CACHE)
def _scan(pattern: re.Pattern[str], text: str, start: int) -> tuple[str, int | None, tuple[int, ...]]:
    """text[start:], where its first match of pattern ends, and where it holds characters no match can hold."""
    tail = text[start:]
    m = pattern.search(tail)
    return tail, (m.end() if m else None), tuple(x.start() for x in _OUTSIDE_CUES.finditer(tail))


def found_in(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """pattern.search(text[start:end]) is not None, for a pattern whose only assertions are word boundaries and
    whose matches hold no character of _OUTSIDE_CUES. A match of the slice that ends before its end is one of
    text[start:] too (the same characters and boundaries): so if text[start:] has none, only a match cut short at
    `end` may exist, and it starts after the last character no match holds."""
    tail, first_end, outside = _scan(pattern, text, start)
    n = end - start
    if first_end is not None and first_end < n:
        return True  # the first match of text[start:] and the boundary after it lie inside the slice
    if first_end is not None:
        return pattern.search(tail, 0, n) is not None  # endpos: as on the slice
    k = bisect_left(outside, n) - 1
    return pattern.search(tail, outside[k] + 1 if k >= 0 else 0, n) is not None


def target_verb_in(text: str, start: int, end: int) -> bool:
    """target_verb(text[start:end])."""
    return found_in(_TARGET_VERBS, text, start, end)


def described_aim_in(text: str, start: int, end: int) -> bool:
    """described_aim(text[start:end])."""
    return found_in(_DESCRIBED_AIM, text, start, end)


def actual_cue_in(text: str, start: int, end: int) -> bool:
    """actual_cue(text[start:end]): 'déjà' (whose check reads past it) searched in the slice itself, and only in a
    sentence that holds it."""
    if found_in(_ACTUAL_DONE_CUES, text, start, end):
        return True
    return _holds_already(text) and _ALREADY_CUE.search(text[start:end]) is not None


@lru_cache(maxsize=CUE_CACHE)
def _holds_already(text: str) -> bool:
    return re.search("déjà", text, re.IGNORECASE) is not None
