"""Reading one indicator value cell: number, unit, qualifier (NR/NC/SO) and note ("sur 9 mois")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from calpae.indicators.headers import fold

_TAGS = re.compile(r"<[^>]+>")
_NOTE = re.compile(r"^(?P<num>.*?)\s*\((?P<note>[^()]*)\)\s*$")


@dataclass(frozen=True)
class CellValue:
    """The value read from an indicator cell."""

    value: Decimal | None
    unit: str | None
    qualifier: str | None  # NR, NC, SO, or a note such as "sur 9 mois"
    raw: str


def clean(text: str | None) -> str:
    """Cell text without HTML tags, markdown emphasis or repeated spaces."""
    text = _TAGS.sub("", text or "").replace("**", "").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def _parse(text: str):
    """The project's French number parser (calpae.extract.numbers.parse)."""
    from calpae.extract import parse_number

    return parse_number(text)


def read_cell(text: str) -> CellValue | None:
    """Value of a cell; None when the cell holds no number and no NR/NC/SO marker (free text, empty)."""
    raw = clean(text)
    if not raw:
        return None
    note = None
    m = _NOTE.match(raw)
    if m and m.group("num").strip():
        num_text, note = m.group("num").strip(), m.group("note").strip()
    else:
        num_text = raw
    parsed = _parse(num_text)
    if parsed is None:
        return None
    if parsed.value is None:
        if parsed.qualifier in (None, "empty"):
            return None
        return CellValue(None, None, parsed.qualifier, raw)
    return CellValue(parsed.value, parsed.unit, note or parsed.note, raw)


_PERCENT_WORDS = ("taux", "pourcentage", "part des", "part de", "proportion", "ratio", "%")
_DAY_WORDS = ("delai", "duree")  # only when the label starts with them: "Nombre … dans le délai de" is a count
_MONEY_WORDS = ("montant", "cout", "budget")
_MONEY_SIGNS = ("euros", "€", "k€", "m€")


def unit_of(label: str, cell_unit: str | None) -> str:
    """Unit of a value: the cell's own (%, EUR) first, else what the indicator's wording says."""
    if cell_unit:
        return cell_unit
    folded = fold(label)
    if any(w in folded for w in _PERCENT_WORDS):
        return "%"
    if folded.startswith(_DAY_WORDS):
        return "days"
    if folded.startswith(_MONEY_WORDS) or any(w in folded for w in _MONEY_SIGNS):
        return "EUR"
    return "count"
