"""Which figures of a sentence state a quantity about the world, and which are dates, years, ages, references,
ranges, thresholds of a definition, or counts of the document's own structure.

Each test reads a bounded window around the figure (`prose_numbers.window`), so the pass stays linear in the
sentence. Cues are general French vocabulary: months, ordinals, the words that introduce a reference or a
threshold, the nouns that name parts of a plan rather than things in the world.
"""

from __future__ import annotations

import re
from decimal import Decimal

from calpae.indicators.prose_numbers import WINDOW, Figure, window

_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_A = "['’]"
# What follows a figure and makes it a date, an ordinal, a time, a code or part of a reference.
_AFTER_NOT_VALUE = re.compile(
    rf"^(?:\s*(?:er|re|ère|e|è|ème|eme|nd|nde|ième)\b"  # ordinals: 1er, 2e, 3ème
    rf"|\s*(?:{_MONTHS})\b"  # 21 octobre
    rf"|\s*(?:et|à|au|-)\s*\d+(?:er)?\s*(?:{_MONTHS})\b"  # les 24 et 25 janvier
    rf"|\s*h\s*\d|h\d"  # 9h30
    rf"|\s*[/°]|\.\d"  # 31/03, n°, 2.1
    rf")",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^\s*\)\s*[A-ZÉ]")  # "1) Texte" at the start of an item
# What comes before a figure and makes it a number of something in the document or the law.
_BEFORE_REFERENCE = re.compile(
    r"(?:\b(?:article|art\.|annexe|mesure|axe|action|fiche|page|pages|p\.|chapitre|titre|n°|n[o°º]\.?|loi|décret|"
    r"instruction|circulaire|point|repère|étape|etape|volet|phase|niveau|lot|tranche|rang|priorité|classe|zone|"
    r"numéro|tome|partie|section|séance|délibération|deliberation|arrêté|version|objectif\s+opérationnel|"
    r"objectif\s+stratégique|orientation|défi|engagement|enjeu|levier|item|question|critère|annexes|tableau|"
    r"graphique|figure|schéma|programme|sous-mesure|alinéa|covid|cycle)\s*$"
    r"|\b[LRD]\.?\s*$|n°\s*\d+\s*(?:et|à)\s*$|[#§]\s*$)",
    re.IGNORECASE,
)
_SMALL_WORDS = r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\b"
_RANGE_AFTER = re.compile(rf"^(?:\s*(?:à|ou)\s*(?:\d|{_SMALL_WORDS})|\s?[-–]\s?\d)", re.I)
_RANGE_BEFORE = re.compile(
    r"(?:(?:\d|\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix))\s*(?:à|ou)\s*|\d\s?[-–]\s?)$", re.I
)
_FROM_BEFORE = re.compile(r"\b(?:de|d['’])\s*$", re.I)
_FROM_TO_BEFORE = re.compile(r"\bde\s+[+-]?\d[\d\s.,]*\s*(?:%|€|M€|k€|euros?)\s*à\s*$", re.I)
# Thresholds and criteria that define a population or a delay rather than measure it.
_DURATION_UNITS = {"days", "weeks", "months", "years", "hours", "minutes"}
# Nouns that count parts of a plan or of the document, not things in the world.
_STRUCTURE_AFTER = re.compile(
    r"^\s*(?:grands?\s+|principa(?:l|ux)\s+|premiers?\s+|nouveaux?\s+|autres\s+)?(?:axes?|volets?|étapes?|etapes?|principes?|"
    r"priorités?|chapitres?|thèmes?|thématiques?|types?|niveaux?|catégories?|temps\b|phases?|parties?|"
    r"objectifs?(?!\s+de)|publics?|modes?\b|filières?|systèmes?|prestations?|profils?|démarches?|constats?|"
    r"fiches?(?:-actions?)?|items?|questions?|enjeux|leviers?|critères?|orientations?\s+stratégiques?|"
    r"ambitions?|engagements?|défis?|points?\s+(?:de|d['’]|clés?)|mesures?\b|chapitres?|sous-mesures?|"
    r"objectifs?\s+(?:opérationnels?|stratégiques?|structurants?))",
    re.IGNORECASE,
)
_REFERENCE_PERCENT = re.compile(
    r"^\s*(?:du|de\s+la|de\s+l['’]|des|d['’])\s*(?:\w+\s+){0,2}?"
    r"(?:revenu|médian|smic|salaire|plafond|seuil|niveau\s+de\s+vie|ressources|prix|loyer|coût|PASS)",
    re.IGNORECASE,
)
_PHONE_OR_CODE = re.compile(r"^(?:\s?\d{2}){4}\b|^\d{3}-\d")
_SCHOOL_YEAR = re.compile(r"^\s*[-–/]\s*20\d\d\b")
_AGE_AFTER_NAME = re.compile(r"[A-ZÉ][\w-]+\s*,\s*$")
_RESTATED_SHARE = re.compile(r"^[^().;:]{0,40}\(\s*\d+(?:[,.]\d+)?\s*%\s*\)")
_YEAR_VALUE = (Decimal(1900), Decimal(2049))
# A bare number right after a capitalised word is part of a name ("Job 47", "Manger Bouger 11", "ADIL 47").
_NAME_BEFORE = re.compile(r"(?:\b[A-ZÉ][\w’'-]*|\b(?:du|le))\s$")
_WINDOW_AFTER = re.compile(
    r"^\s*(?:derni|prochain|premi)\w*\s+(?:mois|années?|ans|jours|semaines|trimestres?)|^\s*(?:avant|après)\b", re.I
)
_TIME_OF_DAY = re.compile(r"^\s*(?:[/–-]|à\s*\d|\d)")
_AIM_VERB = re.compile(
    r"\b(?:tendre|passer|porter|ramener|réduire|atteindre|augmenter|abaisser|diminuer|limiter|fixée?s?|"
    r"objectif|cible|visant|vise)\b[^.;:]*$",
    re.IGNORECASE,
)


def is_year(f: Figure) -> bool:
    """A bare four-digit number in the years' range."""
    return (
        f.unit == "count"
        and not f.words
        and f.value == f.value.to_integral_value()
        and _YEAR_VALUE[0] <= f.value <= _YEAR_VALUE[1]
        and f.raw.isdigit()
    )


_NAME_TAIL = re.compile(r"^\s*(?:$|[»)\],.;:]|(?:des|de|du|et|ont|sont|a|est|qui|dans)\b)", re.I)


def departement_number(text: str, f: Figure, code: str | None) -> bool:
    """The document's own département number used as a name ('les élus du 47 ont', 'job 47 des allocataires',
    '« territoire 47 »'): the code's digits right after a word, with no noun after them that they would count."""
    if not code or not code.isdigit() or f.unit != "count" or f.words or f.sign or f.raw.strip() != code:
        return False
    return bool(re.search(r"[^\W\d_]\s$", text[: f.start]) and _NAME_TAIL.match(text[f.end :]))


def reason_not_value(text: str, f: Figure) -> str | None:
    """Why the figure is not a stated quantity (a short reason), or None when it is one."""
    before, after = window(text, f.start, f.end)
    return _code_like(text, f, before, after) or _qualifier_like(f, before, after)


def _code_like(text: str, f: Figure, before: str, after: str) -> str | None:
    """Years, dates, times, codes, names, references, section numbers: numbers that count nothing."""
    if is_year(f):
        return "year"
    if _SCHOOL_YEAR.match(after) and f.unit == "count":
        return "period"
    if f.unit == "count" and not f.words and _AFTER_NOT_VALUE.match(after):
        return "date or code"
    if f.unit == "count" and not before.strip() and _LIST_MARKER.match(after):
        return "list marker"
    if f.unit == "count" and not f.words and not f.sign and _part_of_name(text, f.start):
        return "name"
    if f.unit in ("count", *_DURATION_UNITS) and _WINDOW_AFTER.match(after):
        return "time window"
    if f.unit == "hours" and re.fullmatch(r"\d+\s?h", f.raw) and _TIME_OF_DAY.match(after):
        return "time of day"
    if f.unit == "count" and re.search(r"\bbac\s*(?:\+|plus)\s*$", before, re.I):
        return "level"  # 'de niveau bac plus 2': a school level, not a count
    if f.unit == "count" and _PHONE_OR_CODE.match(after):
        return "phone or code"
    if _BEFORE_REFERENCE.search(before) and f.unit in ("count", "other"):
        return "reference"
    if f.unit == "count" and not f.words and "." in f.raw and "," not in f.raw and not re.search(r"\.\d{3}$", f.raw):
        return "section number"
    return None


def _qualifier_like(f: Figure, before: str, after: str) -> str | None:
    """Ranges, structure counts, criteria, thresholds, restated shares: figures that qualify, not state."""
    if not f.sign and _range(before, after, f):
        return "range"
    if f.unit == "count" and _STRUCTURE_AFTER.match(after):
        return "structure"
    if f.unit in _DURATION_UNITS and _criterion(before, after, f):
        return "criterion"
    if f.unit in ("count", "percent") and re.search(r"\b(?:de|d['’e])\s+(?:plus|moins)\s+d['’e]\s*$", before):
        return "criterion"
    if f.unit in ("EUR", "count", *_DURATION_UNITS) and re.match(r"^\s*et\s+(?:plus|moins)\b", after):
        return "threshold"  # 'orientés en 1 mois et moins', 'aides d'un montant de 450 € et plus'
    if f.unit == "percent" and _threshold(before, after):
        return "threshold"
    if (
        f.words
        and f.note == "fraction"
        and "tiers" in f.raw.lower()
        and not re.match(r"^\s*(?:des|de|d['’]|du)\b", after)
    ):
        return "not a share"
    if f.words and f.unit == "percent" and _RESTATED_SHARE.match(after):
        return "restated"
    if f.note == "ratio" and _RESTATED_SHARE.match(after):
        return "restated"
    if f.unit == "other" and not re.search(r"ETP|demi-journ|mi-temps", f.raw, re.I):
        return "unit"
    return None


def _threshold(before: str, after: str) -> bool:
    """'60 % du revenu médian', 'à plus de 50 %', 'dépendent à 100 %': a threshold, unless aimed at."""
    if _REFERENCE_PERCENT.match(after) or re.search(r"\bà\s+(?:plus|moins)\s+de\s*$", before):
        return True
    return bool(re.search(r"\bà\s*$", before) and not _AIM_VERB.search(before) and not _FROM_TO_BEFORE.search(before))


def _part_of_name(text: str, start: int) -> bool:
    """A number right after a capitalised word that is not the sentence's first word ('la plateforme Job 47'),
    after an acronym ('ADIL 47'), or after 'du'/'le' with nothing counted after it ('le 115', 'du 47')."""
    before = text[max(0, start - WINDOW) : start]
    m = _NAME_BEFORE.search(before)
    if not m:
        return False
    word = m.group(0).strip()
    if word in ("du", "le"):
        return not re.match(r"^\d+\s+[^\W\d]{3,}", text[start : start + 30]) or bool(
            re.match(r"^\d+\s+(?:de|du|des|et|a|est|pour|avec|ont|sont|qui)\b", text[start : start + 30])
        )
    first_word = not text[: max(0, start - len(m.group(0)))].strip()
    return not first_word or (len(word) >= 2 and word.isupper())


def _range(before: str, after: str, f: Figure) -> bool:
    """'6 à 8 personnes', '16-25 ans', 'deux ou trois': neither bound is the value ('de 14 % à 51 %' is two)."""
    if _RANGE_AFTER.match(after):
        return not (f.unit in ("percent", "EUR") and _FROM_BEFORE.search(before))
    if _RANGE_BEFORE.search(before):
        return not (f.unit in ("percent", "EUR") and _FROM_TO_BEFORE.search(before))
    return False


def _criterion(before: str, after: str, f: Figure) -> bool:
    """A delay, age or duration that defines who or what is counted ('depuis plus de 2 ans', 'jeunes de 16 ans')."""
    if re.match(r"^\s*(?:au\s+plus|au\s+maximum|maximum)\b", after):
        return False  # a limit stated as a commitment: "ramener à 25 jours au plus"
    if f.unit == "years" and (
        _AGE_AFTER_NAME.search(before) or (not before.strip() and after.lstrip().startswith(","))
    ):
        return True  # "Jean Dupont, 19 ans, …" or a line starting "17 ans, en apprentissage"
    if re.search(r"\b(?:de\s+)?(?:plus|moins)\s+d['’e]\s*$|\bau\s+moins\s*$", before):
        return True
    if re.search(r"\bdans\s+(?:un|le)\s+délai\s+(?:maxim(?:al|um)\s+)?d[e']\s*$", before):
        return True  # a rule ('orienté dans un délai de 30 jours'); 'un délai moyen de 30 jours' is a measure
    if re.search(r"\bdans\s+les\s*$|\bleurs?\s*$|\bâgée?s?\s+de\s*$|\bsous\s*$|\bdès\s*$|\bdepuis\s*$", before):
        return True
    if f.unit == "years" and re.search(r"\b(?:eu|ont|avoir|ayant|âge\s+de|des|ses|son)\s*$", before):
        return True  # an age: "ayant eu 18 ans", "l'entretien des 17 ans"
    if re.search(r"\bà\s*$", before) and not _AIM_VERB.search(before):
        return True  # "une évaluation à 3 mois"; "ramener le délai à 25 jours" is an aim
    if re.search(r"\b(?:prochaines?|derniers?|dernières?)\s*$", before) or re.match(
        r"^\s*(?:prochaine?s?|dernière?s?|suivant|à\s+venir)\b", after
    ):
        return True
    return bool(re.search(r"\bdélai\s+maxima[l]?\s+d['’e]\s*$|\brenouvelable\b[^,]*$", before))
