"""What budget headers and row labels mean: role, period kind, year, total — from their words, not their place."""

from __future__ import annotations

import re

from calpae.textnorm import fold

_YEAR = re.compile(r"\b(20[1-3]\d)\b")


def _loose(word: str) -> str:
    """A keyword that may be cut by one stray space, as a wrapped header cell splits it ('reprogr ammés')."""
    return " ?".join(re.escape(ch) for ch in word)


# Outgoing carry: an infinitive after "à" (credits still to be carried, 'à reporter', 'à reprogrammer').
_TO_CARRY = r"\ba (reporter|reprogrammer|reverser)\b"

# Order matters: the first pattern that matches wins.
_ROLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("non_consomme", re.compile(rf"non[ -]?{_loose('consomm')}|{_TO_CARRY}|restes? a realiser|reliquat")),
    ("valorisation", re.compile(rf"{_loose('valoris')}")),
    ("report", re.compile(rf"\breport(s|e|es)?\b(?!.*integr)|{_loose('reprogramm')}|\bcredits? .*reportes?\b")),
    ("total", re.compile(r"\btota(l|ux)\b|budget global|\bmontants?\b|\bcouts?\b|\bbudget\b")),
    ("etat", re.compile(r"\betats?\b|falpae|fapi\b|participation de l'etat")),
    ("departement", re.compile(r"\bdepartement(al)?\b|\bcd\b|\bcd\d|conseil departemental|\bdpt\b")),
    ("autre", re.compile(r"autres? financeurs?|cofinanc|co-financ")),
]

# Stage and part words matched on a header without its spaces, when a wrapped cell cut a word ('Part Départe ment',
# 'Autres fin anceurs'); tried in order, only where the words as written name nothing.
GLUED_STAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("to_carry_over", re.compile(r"reporter|reprogrammer")),  # the infinitive, its 'à' lost or not: still to carry
    ("unspent", re.compile(r"nonconsomm|reliquat")),
    ("valorisation", re.compile(r"valoris")),
    ("carried_in", re.compile(r"report|reprogramm")),
    ("executed", re.compile(r"realise|execute|consomme|depense")),
    ("planned", re.compile(r"previsionnel|prevu|prevision|budget")),
)
GLUED_PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", re.compile(r"autres?financ|cofinanc")),
    ("total", re.compile(r"total|budgetglobal")),
    ("departement", re.compile(r"departement")),
    ("etat", re.compile(r"etat|falpae")),
)
_GLUED_ROLES = {"to_carry_over": "non_consomme", "unspent": "non_consomme", "carried_in": "report"} | {
    "valorisation": "valorisation",
    "other": "autre",
    "total": "total",
    "departement": "departement",
    "etat": "etat",
}


def glued_words(text: str, rules: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    """The first of these stage or part words found in the text once its spaces are taken out."""
    glued = fold(text).replace(" ", "")
    return next((name for name, pattern in rules if pattern.search(glued)), None)


# Generic money nouns ('budget', 'montant', 'coût') name a total only when no part (État, Département…) is named.
_STRONG_TOTAL = re.compile(r"\btota(l|ux)\b|budget global")
_PARTS = ("etat", "departement", "autre")

# Columns of credits carried from an earlier year or over to a later one: their year is the table's budget year.
CARRY_ROLES = ("report", "non_consomme")

_FORECAST = re.compile(r"previsionnel|prevu|prevision|budget (de l'action|previ)|affect|notifi")
_EXECUTED = re.compile(r"realise|execut|consomm|depense|verse")
_LEADING_MARKS = re.compile(r"^[^\w]+")
# one or two words before 'Sous total N': the end of a wrapped label above, read onto the sub-total's line
STRAY_BEFORE_SUBTOTAL = r"^(?:[^\W\d_]+\s+){1,2}(?=sous[ -]?tota(?:l|ux)\b\s*(?:\d|$))"
_STRAY_BEFORE_SUBTOTAL = re.compile(STRAY_BEFORE_SUBTOTAL)
_SUBTOTAL_LABEL = re.compile(r"sous[ -]?tota")
_TOTAL_LABEL = re.compile(r"^(sous[ -]?)?tota(l|ux)\b|^total\b|^totaux\b|\btotal general\b")


def role_of(text: str) -> str | None:
    """Role named by a header or row label ('Part État 2020' → etat), or None."""
    t = fold(text)
    if not t:
        return None
    for role, pat in _ROLE_RULES:
        if pat.search(t):
            if role == "total" and not _STRONG_TOTAL.search(t):
                part = next((r for r, p in _ROLE_RULES if r in _PARTS and p.search(t)), None)
                return part or role
            return role
    return None


def header_role(text: str) -> str | None:
    """A column header's role: its words, else the same words in a header a wrapped cell cut ('Part Départe ment')."""
    if (role := role_of(text)) is not None:
        return role
    for name in (glued_words(text, GLUED_STAGES), glued_words(text, GLUED_PARTS)):
        if name in _GLUED_ROLES:
            return _GLUED_ROLES[name]
    return None


_CARRY_TARGET = re.compile(r"\b(sur|en|vers|pour|a)\s+(?:l'annee\s+|l'exercice\s+|exercice\s+)?(20[1-3]\d)\b")


def carry_role(text: str, role: str | None, table_year: int | None) -> str | None:
    """A carried-credit role set by the year it goes to: 'reportés sur N+1' in a year-N table is still unspent."""
    if role not in CARRY_ROLES or table_year is None:
        return role
    targets = [int(m.group(2)) for m in _CARRY_TARGET.finditer(fold(text))]
    return "non_consomme" if any(y > table_year for y in targets) else role


def period_kind(text: str) -> str | None:
    """'forecast' or 'executed' when the header says so."""
    t = fold(text)
    if _EXECUTED.search(t) and not re.search(r"\bnon[ -]?consomm", t):
        return "executed"
    if _FORECAST.search(t):
        return "forecast"
    return None


def year_of(text: str) -> int | None:
    """The last year a header names ('Crédits CD 2020 reportés sur 2021' → 2021)."""
    years = _YEAR.findall(text or "")
    return int(years[-1]) if years else None


def label_words(text: str) -> str:
    """A row label folded, without the stray marks OCR or bullets leave before its first word ('“Sous total 1 :')
    nor the tail of the label above that a reader carried onto a sub-total ('jours Sous total 4')."""
    return _STRAY_BEFORE_SUBTOTAL.sub("", _LEADING_MARKS.sub("", fold(text)))


def is_total_label(text: str) -> bool:
    """A TOTAL / Sous-total / Totaux row."""
    return bool(_TOTAL_LABEL.search(label_words(text)))


def is_subtotal_label(text: str) -> bool:
    """A Sous-total row: the total of a group of the rows above it, not of the whole table."""
    return bool(_SUBTOTAL_LABEL.match(label_words(text)))


def includes_report(text: str) -> bool:
    """A total header that says carried-over credits are included ('reports 2019 intégrés')."""
    t = fold(text)
    return bool(re.search(r"report", t) and re.search(r"integr|inclu|compris", t))


NOT_BUDGET = re.compile(
    r"cout (unitaire|par|moyen)|prix de journee|kwh|\bm3\b|partenaires|cofinanceurs principaux|"
    r"co-financeurs principaux|indicateur|nb de|nombre de|\bratio\b|%"
)


def looks_not_budget(header: str) -> bool:
    """Headers of €-holding tables that are not budgets (unit costs, kWh results, partner lists, indicators)."""
    return bool(NOT_BUDGET.search(fold(header)))


_LEADS = {"part", "participation", "credits", "financement", "montant", "montants"}


def split_by_roles(header: str) -> list[tuple[str, str]]:
    """A header run cut where each role starts ('Total … Part État 2020 Part CD 2020' → three pieces)."""
    folded = fold(header)
    original = re.sub(r"\s+", " ", header).strip()
    if len(folded) != len(original):
        return [(r, r) for r in roles_in_order(header)]
    starts: list[tuple[int, str]] = []
    for pos, role in _role_positions(folded):
        before = folded[:pos].split()
        if before and before[-1] in _LEADS:
            pos = folded.rfind(before[-1], 0, pos)
        starts.append((pos, role))
    bounds = [p for p, _ in starts] + [len(original)]
    return [(role, original[bounds[i] : bounds[i + 1]].strip()) for i, (_, role) in enumerate(starts)]


def year_of_column(text: str, role: str | None) -> int | None:
    """The year a column is about: 'reports 2019 intégrés' names where money came from, not the column's year."""
    if role != "report":
        text = re.sub(r"reports?\s+(de\s+)?(20[1-3]\d)", " ", fold(text))
    return year_of(text)


def roles_in_order(header: str) -> list[str]:
    """Roles named along a run of header words, in reading order (for headers not split into columns)."""
    return [role for _, role in _role_positions(fold(header))]


def _role_positions(t: str) -> list[tuple[int, str]]:
    """Where each role is named along a folded header, overlapping matches dropped."""
    found: list[tuple[int, str]] = []
    for role, pat in _ROLE_RULES:
        for m in pat.finditer(t):
            found.append((m.start(), role))
    found.sort()
    out: list[tuple[int, str]] = []
    last_end = -1
    for pos, role in found:
        if pos > last_end:
            out.append((pos, role))
            last_end = pos + 3
    return out
