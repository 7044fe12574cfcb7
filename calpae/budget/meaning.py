"""What a budget amount is: its stage (planned, executed, carried over…) and its part (État, Département…).

Words decide first (a header, or a row label where rows are the parts); annexe-10 tables are read through the
referential's column model (letters A–F and the columns' names); a total made of amounts of several stages takes
the stage their sum means (spent + still to carry = what was available: allocated).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from calpae.budget.vocab import GLUED_PARTS, GLUED_STAGES, carry_role, glued_words
from calpae.models import Part, Stage
from calpae.referential import FinancialColumn, load_referential
from calpae.textnorm import fold


def _loose(word: str) -> str:
    """A keyword that may be cut by one stray space, as a wrapped header cell splits it ('reprogr ammés')."""
    return " ?".join(re.escape(ch) for ch in word)


# Order matters: the first stage whose words appear wins ('Dont valorisation de dépenses' is a valorisation,
# 'Crédits à reporter' money still to carry, not carried).
_STAGE_RULES: tuple[tuple[Stage, re.Pattern[str]], ...] = (
    ("to_carry_over", re.compile(r"\ba (reporter|reprogrammer|reverser|reaffecter)\b|restes? a realiser")),
    ("unspent", re.compile(rf"non[ -]?{_loose('consomm')}|reliquat|non[ -]?utilis|non[ -]?depens")),
    ("valorisation", re.compile(_loose("valoris"))),
    (
        "carried_in",
        re.compile(rf"\breport(s|e|es)?\b(?!.*(integr|inclu|compris))|{_loose('reprogramm')}|\bcredits? .*reportes?\b"),
    ),
    ("executed", re.compile(r"realis|execut|\bconsomm|\bdepense|mandat|\bpaye|liquid")),
    ("allocated", re.compile(r"\bverse|attribu|\balloue|\balloca")),
    ("planned", re.compile(r"previsionnel|\bprevu|prevision|\bbudget|conventionn|\bprogramm|notifi|\binscrit")),
)
# 'Crédits CD affectés en 2021': allocated in a table that also reports execution, planned in a forecast.
_ALLOCATION = re.compile(r"\baffect")

_OTHER = re.compile(r"autres? (financeurs?|financements?|partenaires?)|\bco-?financ|\bcofinanceurs?")
_TOTAL = re.compile(r"\btota(l|ux)\b|budget global|toutes parts")
_ETAT = re.compile(r"\betats?\b|falpae|\bfapi\b")
_DEPARTEMENT = re.compile(r"\bdepartement(al)?\b|\bcd\b|\bcd\d|conseil departemental|\bdpt\b|\bcg\b")

# 'A Crédits…', also behind a stray mark or two OCR left before the letter ('os E Autres financeurs')
_LETTER = re.compile(r"^\s*(?:\S{1,2}\s+)?([A-F])\s+[^\W\d_]{2}")
MIN_LETTERED_COLUMNS = 3  # headers lettered A, B, C… at least this often: the annexe-10 model's columns


def stage_words(text: str, year: int | None = None, header: bool = False) -> Stage | None:
    """The stage a header or a label names, or None. Credits 'reportés sur 2022' in a 2021 table are still to carry.
    A header's words are also looked for across the stray spaces of a wrapped cell."""
    t = fold(text)
    for stage, pattern in _STAGE_RULES:
        if pattern.search(t):
            if stage == "carried_in" and carry_role(text, "report", year) == "non_consomme":
                return "to_carry_over"
            return stage
    return cast(Stage | None, glued_words(text, GLUED_STAGES)) if header else None


def names_allocation(text: str) -> bool:
    """'affecté(s)': credits assigned to the year, whose stage depends on the table."""
    return bool(_ALLOCATION.search(fold(text)))


def part_words(text: str, header: bool = False) -> Part | None:
    """The part a header or a role row names: État, Département, other funders, or the total of them (a header's
    words also across the stray spaces of a wrapped cell)."""
    t = fold(text)
    if _OTHER.search(t):
        return "other"
    etat, dept = bool(_ETAT.search(t)), bool(_DEPARTEMENT.search(t))
    if _TOTAL.search(t) and etat == dept:
        return "total"
    if etat and not dept:
        return "etat"
    if dept and not etat:
        return "departement"
    if _TOTAL.search(t):
        return "total"
    return cast(Part | None, glued_words(text, GLUED_PARTS)) if header else None


def combine_stages(stages: Iterable[Stage | None]) -> Stage | None:
    """The stage of a sum of amounts of these stages: one stage is itself; planned (or allocated) credits plus those
    carried in are still the year's budget; spent plus still to carry (or unspent) is what was available."""
    found = {s for s in stages if s is not None and s != "valorisation"}
    if len(found) == 1:
        return found.pop()
    if "planned" in found and found <= {"planned", "carried_in"}:
        return "planned"
    if "allocated" in found and found <= {"allocated", "carried_in"}:
        return "allocated"
    if "executed" in found and found <= {"executed", "to_carry_over", "unspent"}:
        return "allocated"
    return None


def _first_word(text: str) -> str:
    words = fold(text).split()
    return words[0] if words else ""


def column_letters(headers: list[str]) -> list[str | None]:
    """The annexe-10 model's letter of each header (A…F), when the headers are lettered at least three times."""
    letters = [m.group(1) if (m := _LETTER.match(h or "")) else None for h in headers]
    return letters if len({x for x in letters if x}) >= MIN_LETTERED_COLUMNS else [None] * len(headers)


def annexe_columns(headers: list[str], executes: bool) -> list[tuple[Stage | None, Part | None]]:
    """Stage and part of each header read against the annexe-10 column model of the referential (execution or
    forecast table): by the model's letters when the headers carry them, else by the columns' names."""
    ref = load_referential()
    table = "execution" if executes else "previsionnel"
    columns = [c for c in ref.financial_columns.values() if table in c.tables and c.stage]
    letters = column_letters(headers)
    by_letter = {c.letter: c for c in columns if c.letter}
    by_first: dict[str, list[FinancialColumn]] = {}
    for c in columns:
        by_first.setdefault(_first_word(c.name), []).append(c)
    out: list[tuple[Stage | None, Part | None]] = []
    for header, letter in zip(headers, letters, strict=True):
        col = by_letter.get(letter) if letter else None
        if col is None and header:
            found = ref.match_financial_column(header, table)
            col = ref.financial_columns[found[0]] if found else None
        if col is None and header and len(by_first.get(_first_word(header), [])) == 1:
            col = by_first[_first_word(header)][0]  # a column the model alone begins so ('Dont …'), the rest unread
        if col is None or not col.stage:
            out.append((None, None))
        else:
            out.append((cast(Stage, col.stage), cast(Part | None, col.part)))
    return out
