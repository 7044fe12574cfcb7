"""Money stated in sentences: whose money (part) and at which stage, when the sentence says so.

'Le financement départemental attribué … est de 67.169 €' is a budget fact (part departement, stage allocated);
'une aide forfaitaire de 450 € par jeune' is a unit price, and 'le financement attribué est de 3.000 €' does not
say whose money: both stay amounts with their sentence. The cues are the vocabulary of French public budgets
(part État / Département, attribué, réalisé, prévisionnel, reporté, non consommé, valorisé).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from calpae.models.records import Level, Part, Stage

_A = "['’]"
STAGES = ("planned", "allocated", "executed", "carried_in", "to_carry_over", "unspent", "valorisation")
PARTS = ("etat", "departement", "other", "total")
LEVELS = ("grand_total", "measure", "action", "detail")

# The part named right beside the amount: "445 209,43 € pour le Département", "Part Etat : 67 900 €".
_PART_AFTER = [
    ("etat", re.compile(rf"^\s*(?:\)|,)?\s*(?:pour\s+l{_A}|de\s+l{_A}|part\s+)?(?:[ÉE]tat|FAPI)\b", re.I)),
    (
        "departement",
        re.compile(
            r"^\s*(?:\)|,)?\s*(?:pour\s+le\s+|du\s+|part\s+)?(?:Département|Conseil\s+départemental|CD\s?\d{2,3})\b",
            re.I,
        ),
    ),
]
_PART_BEFORE = [
    (
        "etat",
        re.compile(
            rf"\b(?:part|participation|financement|crédits?|contribution)\s+(?:de\s+l{_A})?[ÉE]tat\s*:?\s*$", re.I
        ),
    ),
    (
        "departement",
        re.compile(
            r"\b(?:part|participation|financement|crédits?|contribution)\s+(?:du\s+)?d[ée]partement(?:al|ale)?\s*:?\s*$",
            re.I,
        ),
    ),
]
_PART_CLAUSE = [
    ("total", re.compile(r"\b(?:au\s+total|montant\s+total|coût\s+total|total\s+de|global)", re.I)),
    ("joint", re.compile(r"\b(?:cofinanc\w*|commune?s?\b|conjoint\w*|partagée?s?\s+entre)", re.I)),
    ("etat", re.compile(rf"(?:\b[ÉE]tat\b|\bFAPI\b|\bfonds\s+d{_A}appui|\bcrédits?\s+(?:de\s+l{_A})?[ÉE]tat)")),
    (
        "departement",
        re.compile(
            r"\b(?:départementa(?:l|le|les|ux)|Département|Conseil\s+départemental|CD\s?\d{2,3}|la\s+collectivité)\b"
        ),
    ),
    ("other", re.compile(r"\b(?:CAF|MSA|CPAM|ARS|Région|FSE|OPCO|AKTO|Pôle\s+emploi|Fondation|commune\s+de)\b")),
]
_STAGE_CUES = [
    ("valorisation", re.compile(r"\bvaloris\w*", re.I)),
    (
        "to_carry_over",
        re.compile(
            r"\bnon\s+consommée?s?\b.{0,120}\breport|\breport\w*\b.{0,120}\bnon\s+consommée?s?|\bà\s+reporter\b", re.I
        ),
    ),
    ("carried_in", re.compile(r"\bcrédits?\s+report[ée]s?\b|\breport\s+(?:de|des)\s+crédits?\b", re.I)),
    ("unspent", re.compile(r"\bnon\s+(?:consommée?s?|utilisée?s?|dépensée?s?)\b|\breliquats?\b", re.I)),
    (
        "executed",
        re.compile(
            r"\b(?:dépens\w*|réalisée?s?|consommée?s?|payée?s?|versée?s?|mandatée?s?|a\s+financé|ont\s+financé|"
            r"financée?s?\s+en\s+\d{4}|coût\w*|engagement\s+financier|consacr\w+|mobilisée?s?|acquisition|achat|"
            r"exécutée?s?|exécution)\b",
            re.I,
        ),
    ),
    (
        "planned",
        re.compile(
            rf"\b(?:prévisionnel(?:le)?s?|prévue?s?|budget(?:\s+de\s+l{_A}action|\s+prévisionnel|\s+initial)?|"
            rf"sollicitée?s?|envisagée?s?|programmée?s?|inscrite?s?|plafond|limiter|contractualis\w+|"
            rf"complément\s+financier|commandes?|montant\s+de\s+la\s+stratégie|projection)\b",
            re.I,
        ),
    ),
    (
        "allocated",
        re.compile(
            rf"\b(?:attribuée?s?|allouée?s?|accordée?s?|octroyée?s?|notifiée?s?|enveloppe|subventions?|"
            rf"accompagne\b[^.;]{{0,50}}?à\s+hauteur|financement\s+(?:départemental|de\s+l{_A}[ÉE]tat)|"
            rf"participation|dotation|soutien|financée?s?\s+(?:par|à\s+hauteur)|financ\w*\b[^.;]{{0,50}}?à\s+hauteur|"
            rf"(?:création|constitution)\s+d{_A}un\s+fonds|fonds\s+dotés?)\b",
            re.I,
        ),
    ),
]
_PER = (
    r"(?:jeune|personne|bénéficiaire|enfant|mois|jour|heure|famille|ménage|licence|diagnostic|participant|"
    r"stagiaire|place|séance|entretien|accompagnement|dossier|contrat|permis|élève|étudiant|allocataire)s?\b"
)
_UNIT_PRICE = re.compile(
    rf"^\s*(?:/|par\s+{_PER}|(?:le|la|l{_A})\s*{_PER}|mensuel|HT\s+par|TTC\s+par)",
    re.I,
)
_PRICE_BEFORE = re.compile(
    rf"\b(?:forfaitaire|mensuelle?|chaque|unitaire|bourse|prix|tarif|aide\s+d{_A}un\s+montant|"
    rf"entretien\s+diagnostic\s+est\s+financé)\b[^.;]{{0,40}}$",
    re.I,
)
_GRAND_TOTAL = re.compile(
    r"\b(?:montant\s+total|total)\b.{0,60}\b(?:stratégie|convention|contractualisation|avenant|programme)\b|"
    r"\bmontant\s+de\s+la\s+stratégie\b|\bcontractualisation\s+s['’]est\s+élevée",
    re.I,
)
_ACTION = re.compile(rf"\bbudget\s+de\s+l{_A}action\b|\baction\b", re.I)


@dataclass(frozen=True)
class MoneyFact:
    """What a sentence says of an amount: part and stage when it names them, and the level it is at."""

    part: Part | None
    stage: Stage | None
    level: Level
    price: bool = False  # a unit price ('450 € par jeune'): what a thing costs, not money spent or planned

    @property
    def is_budget(self) -> bool:
        return self.part is not None and self.stage is not None


def unit_price(before: str, after: str) -> bool:
    """'450 € par jeune', '600 €/mois', 'une bourse mensuelle de 1.000 €': a price, not a budget."""
    return bool(_UNIT_PRICE.match(after) or _PRICE_BEFORE.search(before))


CLAUSE_CACHE = 256  # clauses whose funders, stage and level cues are remembered: each amount of a sentence asks again


def part_of(before: str, after: str, clause: str) -> str | None:
    """Whose money: named beside the amount first, else in the clause (several funders named → total)."""
    for part, pattern in _PART_AFTER:
        if pattern.match(after):
            return part
    for part, pattern in _PART_BEFORE:
        if pattern.search(before[-50:]):
            return part
    return _clause_part(clause)


@lru_cache(maxsize=CLAUSE_CACHE)
def _clause_part(clause: str) -> str | None:
    """Whose money the clause names (read once for all the amounts of a sentence)."""
    named = [part for part, pattern in _PART_CLAUSE if pattern.search(clause)]
    funders = [p for p in named if p not in ("total", "joint")]
    if "joint" in named or ("total" in named and len(set(funders)) != 1):
        return "total"  # a joint fund, or a total over several funders
    if "etat" in funders and re.search(r"\bbénéfici\w+|\breçu\b|\bperçu\b|\bobtenu\b", clause):
        return "etat"  # the Département received the State's money
    if len(set(funders)) > 1:
        return "total" if "other" in funders or len(set(funders)) > 2 else _first_named(clause, funders)
    return funders[0] if funders else None


def _first_named(clause: str, funders: list[str]) -> str:
    """Of the État and the Département both named, the one that gives: the subject or the 'de' complement."""
    positions = {}
    for part, pattern in _PART_CLAUSE:
        if part in funders and (m := pattern.search(clause)):
            positions[part] = m.start()
    if "departement" in positions and re.search(r"\bpar\s+le\s+Département|\bLe\s+Département\b", clause):
        return "departement"
    return min(positions, key=lambda p: positions[p])


@lru_cache(maxsize=CLAUSE_CACHE)
def stage_of(clause: str) -> str | None:
    """The budget stage a clause names, the most specific first (valorisation, carry-over, unspent, executed…)."""
    for stage, pattern in _STAGE_CUES:
        if pattern.search(clause):
            return stage
    return None


def money_fact(
    before: str,
    after: str,
    clause: str,
    headings: list[str],
    scope: str,
    note: str | None = None,
    intros: list[str] | None = None,
) -> MoneyFact:
    """Part, stage and level of an amount from its clause; the stage may also come from a short note right after
    it ('Action valorisée en contrepartie du financement FAPI.') or the headings above it, nearest first ('Budget
    détaillé sur 2019 – 2021 :'); the part from the intro of the list it is an item of ('L'implication du
    Département est multiple :')."""
    if unit_price(before, after):
        return MoneyFact(None, None, "detail", price=True)
    noted = stage_of(note) if note else None
    stage = noted if noted == "valorisation" else stage_of(clause) or noted
    stage = stage or next((found for h in headings if (found := stage_of(h))), None)
    part = part_of(before, after, clause)
    if part is None and stage is not None:
        part = next((found for h in intros or [] if (found := part_of("", "", h))), None)
    if part is None and stage in ("planned", "executed", "to_carry_over", "unspent", "carried_in"):
        part = "total"  # the whole cost of the action, all funders together
    level: Level
    heading = headings[0] if headings else None
    if _names(_GRAND_TOTAL, clause):
        level = "grand_total"
    elif scope == "local":
        level = "detail"
    elif _names(_ACTION, clause) or (heading and _ACTION.search(heading)):
        level = "action"
    else:
        level = "measure"
    return MoneyFact(cast(Part | None, part), cast(Stage | None, stage), level)


@lru_cache(maxsize=CLAUSE_CACHE)
def _names(pattern: re.Pattern[str], clause: str) -> bool:
    """pattern.search(clause), once per clause for all its amounts."""
    return pattern.search(clause) is not None
