"""What kind of statement a prose figure is (result, target, baseline, change) and whose it is (the département,
one town or structure, the nation, another territory).

The cues are ordinary French: a sign or 'hausse de' for a change; 'objectif', 'prévu', 'cible', a future or
conditional verb, or a heading of objectives for a target; a comparison with the reference year for a baseline.
A cue counts only where it governs the figure: 'atteint 97 % … au-delà de l'objectif de 95 %' makes 95 % the
target and leaves 97 % a result.
"""

from __future__ import annotations

import re
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
    rf"(?:\s+(?:initiale?s?|nationale?s?|de\s+réalisation|assignée?s?|par\s+\w+|du\s+dispositif|"
    rf"d{_A}accompagnement|pour\s+\d{{4}}|en\s+\d{{4}}))*"
    rf"(?:\s*(?:de|d{_A}|à|au|:|pour|est|sont|était|de\s+l{_A}ordre\s+de|d{_A}environ|environ|"
    rf"d{_A}au\s+moins|au\s+moins|soit|à\s+hauteur\s+de|le\s+taux\s+à|ce\s+taux(?:\s+\w+)?\s+à|"
    rf"les\s+délais\s+à|[(*«]))*\s*$",
    re.IGNORECASE,
)
_TARGET_VERBS = re.compile(
    r"\b(?:prévoi[rts]|prévoient|prévu|vise|visent|viser|envisag\w+|souhait\w+|ambitionn\w+|devr\w+|doi[tv]\w*|"
    r"s['’]agira|calibr\w+|programm\w+|sollicit\w+|tendre|maintenir|attendu\w*|pérenniser|projet(?:te|tent)|"
    r"recruter|créer|développer|déployer|mettre\s+en\s+place|renforcer)\b",
    re.IGNORECASE,
)
_TARGET_HEADING = re.compile(
    r"\b(?:objectifs?|perspectives?|projection|prévisions?|prévisionnel|à\s+venir|cibles?|programme\s+d['’]actions?|"
    r"actions?\s+(?:prévues|envisagées|à\s+mener)|durée\s+de\s+l['’]action)\b",
    re.IGNORECASE,
)
_ACTUAL_CUES = re.compile(
    r"\b(?:a|ont|avait|avaient)\s+(?:été\s+)?\w+é(?:e|s|es)?\b|\bréalisée?s?\b|\bconstatée?s?\b|\bbilan\b|"
    r"\batteint\b|\bau\s+\d{1,2}(?:er)?\s*[/.]\s*\d|\bactuel(?:le)?s?\b|\bactuellement\b|\bà\s+ce\s+jour\b|"
    r"\bdéjà\b",
    re.IGNORECASE,
)
_REFERENCE_CUE = re.compile(
    r"\bvaleur\s+(?:de\s+référence|\d{4})\b|\bsituation\s+(?:initiale|de\s+départ|de\s+référence|\d{4})\b|"
    r"\bannée\s+de\s+référence\b|\bréférence\s+\d{4}\b",
    re.IGNORECASE,
)

# --- scope ---------------------------------------------------------------------------------------------------
_NATIONAL = re.compile(
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


def change_cue(text: str, f: Figure) -> bool:
    """A figure stated as an increase or decrease: '+31 places', 'hausse de 12 %', '(20 % d'augmentation)'."""
    if f.sign in ("+", "-") or (f.unit == "percent" and re.search(r"points?|pts?", f.raw, re.I) and f.sign):
        return True
    before, after = text[max(0, f.start - 60) : f.start], text[f.end : f.end + 60]
    if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after):
        return True
    return bool(f.unit == "count" and _CREATED_AFTER.match(text[f.end - 0 : f.end + 60]))


def target_cue_before(text: str, f: Figure, previous_end: int) -> bool:
    """A target word right before the figure, with no other figure in between."""
    before = text[max(previous_end, f.start - 60) : f.start]
    return bool(_TARGET_BEFORE.search(before))


def target_heading(heading: str | None) -> bool:
    return bool(heading and _TARGET_HEADING.search(heading))


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
