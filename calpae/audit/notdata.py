"""Numbers on a page that are not data: dates, years, page and section numbers, identifiers, phones, postcodes.

Decided from the number grammar (how the figure is written), the words around it (a French numbering noun
before it, a month after it) and its place (page furniture, a heading, a table's header or label column), never
from one layout: what is left after these rules is a figure the document states, which a record must carry.
"""

from __future__ import annotations

import re

from calpae.extract import ParsedNumber
from calpae.textnorm import fold

# Words after which a number names a part of the document or of a legal text, not a quantity.
NUMBERING_WORDS = frozenset(
    "article articles art annexe annexes axe axes action actions fiche fiches mesure mesures chapitre titre "
    "partie section sections objectif objectifs engagement engagements priorite priorites point points page "
    "pages p tableau tableaux figure graphique etape etapes phase lot lots tranche volet volets item n no "
    "numero num ligne lignes colonne alinea paragraphe livre decret loi arrete deliberation circulaire "
    "instruction convention avenant version v rang niveau groupe cedex bp cs".split()
)
DOCUMENT_REFERENCE = re.compile(r"\b[lrd]\s?\.?\s?$", re.IGNORECASE)  # "article L. 262-1", "R 115"
MONTH_WORDS = (
    "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    "janv|fev|fevr|avr|juil|sept|oct|nov|dec"
)
MONTH_AFTER = re.compile(rf"^\s*(?:1er\s+)?(?:{MONTH_WORDS})\b")
DAY_BEFORE = re.compile(rf"(?:{MONTH_WORDS})\.?\s*$")
PHONE = re.compile(r"(?<!\d)(?:\+33\s?\(?0?\)?\s?[1-9]|0[1-9])(?:[ .\u00a0-]?\d{2}){4}(?!\d)")
TIME_AFTER = re.compile(r"^\s*h\s*\d{0,2}\b", re.IGNORECASE)  # "14 h 30"
NUMBERING_AFTER = re.compile(r"^\s*(?:[.)°]|[-–—:]\s|/\s*\d)")  # "1) ", "1 - ", "2/3"
POSTCODE_AFTER = re.compile(r"^\s+(?:[A-ZÉÈÀÂÎÔ][A-Za-zÀ-ÿ'’-]+|cedex\b)")
POSTCODE_BEFORE = re.compile(r"\b(?:BP|CS|TSA|cedex)\s*\d*\s*$", re.IGNORECASE)
IDENTIFIER_DIGITS = 6  # an ungrouped integer of this many digits or more, with no unit, names something
POSTCODE_DIGITS = 5
NUMBERING_DIGITS = 3  # a list, fiche or article number has at most this many parts ('10', '4.3', '2.1.1')
NUMBERING_PART = 2  # ... each of at most this many digits
MONEY_CENTS = re.compile(r",\d{2}$")  # '500,00': written with cents, an amount whatever stands around it
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


LABEL_WORD = 2  # letters: a row label holding no run this long holds no word ('4 155 00,00 € 124 455,80 «')


def figures_only(label: str | None) -> bool:
    """A row label made of figures and marks, no word: OCR's run of a row's amounts taken for its label, which
    names no row (the line it labels makes no fact, and its figure counts as unread)."""
    text = label or ""
    return any(ch.isdigit() for ch in text) and not any(len(w) >= LABEL_WORD for w in WORD.findall(text))


def _last_word(before: str) -> str:
    m = re.search(r"([^\W\d_]+)\W*$", fold(before))
    return m.group(1) if m else ""


def is_money(parsed: ParsedNumber) -> bool:
    """An amount in euros, or a number written with cents: data wherever it stands."""
    return parsed.unit == "EUR" or bool(MONEY_CENTS.search(parsed.raw.replace("€", "").strip()))


def in_words(before: str, after: str) -> bool:
    """A number with a word right before and right after it in a cell: part of a label ('de 16 à 18 ans')."""
    prev = before.rstrip().rsplit(" ", 1)[-1] if before.strip() else ""
    nxt = after.lstrip().split(" ", 1)[0] if after.strip() else ""
    return bool(WORD.fullmatch(prev.strip("«»()'’,;:")) and WORD.match(nxt.strip("«»()'’,;:")))


def fragment(token: str) -> bool:
    """Digits the grammar read as no number but written like the tail of an amount ('000,00' of a wrapped
    '84 000,00 €'): a piece of a figure, so data."""
    return bool(re.fullmatch(r"[0-9 \u00a0\u202f.]*[0-9],[0-9]{1,2}\s*€?", token))


COUNT_WORDS = frozenset("nombre nombres nb nbre effectif effectifs total".split())


def names_a_number(header: str) -> bool:
    """A column header that names a numbering ('N° fiche', 'Fiche action', 'Axe'), not a count ('Nombre de…')."""
    words = set(re.findall(r"[^\W\d_]+", fold(header)))
    return bool(words & NUMBERING_WORDS) and not words & COUNT_WORDS


def small(raw: str) -> bool:
    """Written like a list, fiche or article number: parts of one or two digits, maybe dotted ('4', '12', '4.3',
    '2.1.1'), never grouped or with decimals ('1 074 177', '12,5') nor a three-digit count ('539')."""
    parts = raw.strip().split(".")
    return all(p.isdigit() and len(p) <= NUMBERING_PART for p in parts) and len(parts) <= NUMBERING_DIGITS


DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")


def code_kind(token: str, after: str) -> str:
    """What digits the number grammar does not read as a number are: a date, a phone number, or another code
    (a section number, an identifier, a range…)."""
    if DATE.fullmatch(token.strip(".,;:()")) or MONTH_AFTER.match(fold(after)):
        return "date"
    if PHONE.fullmatch(token.strip(".,;:()")):
        return "phone"
    return "code"


def reason(parsed: ParsedNumber, before: str, after: str, *, in_table: bool) -> str | None:
    """Why a number found in running text or a cell is not data ('year', 'date', 'numbering'…), or None.

    before / after: the text of the same line (or cell) on each side of it."""
    raw = parsed.raw.strip()
    digits = re.sub(r"\D", "", raw)
    if parsed.is_year and parsed.unit is None:
        return "year"
    if MONTH_AFTER.match(fold(after)) or DAY_BEFORE.search(fold(before)):
        return "date"
    if TIME_AFTER.match(after) and parsed.unit is None:
        return "time"
    if PHONE.search(before[-12:] + raw + after[:12]) and parsed.unit is None and len(digits) <= 2 * 5:
        return "phone"
    counted = parsed.unit_word is not None and parsed.unit_word[:1].islower()  # "objectif 150 jeunes": a count
    is_small = parsed.unit is None and small(raw)
    if is_small and not counted and (_last_word(before) in NUMBERING_WORDS or DOCUMENT_REFERENCE.search(before)):
        return "numbering"
    lead = not before.strip(" \t«(\"'")
    if is_small and lead and NUMBERING_AFTER.match(after):
        return "numbering"  # "1) Prévenir", "2 - Refonder": a list or fiche number opening a line or a cell
    plain = raw.isdigit()
    if plain and parsed.unit is None and len(digits) == POSTCODE_DIGITS:
        if POSTCODE_AFTER.match(after) or POSTCODE_BEFORE.search(before):
            return "postcode"
    if plain and parsed.unit is None and len(digits) >= IDENTIFIER_DIGITS and not in_table:
        return "identifier"  # SIREN, a file or a deliberation number: French amounts are written grouped
    return None
