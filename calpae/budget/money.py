"""Reading money in budget cells: the project's number parser, plus the split-reading alternatives tables need."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from calpae.extract import ParsedNumber, parse_number

_SPACES = "\u00a0\u202f\u2009\u2007"
_EURO_TAIL = re.compile(r"\s*(€|euros?|EUR)\s*$", re.I)
_TOTAL = re.compile(r"\s*(sous[ -]?)?tota", re.I)
_STRAY_EURO = re.compile(r"^€\s*(?=\d)")
_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+(?:,\d{1,2})?$")


@dataclass(frozen=True)
class Money:
    """A cell read as money: value (None for '- €' style blanks counted as zero is Decimal(0))."""

    raw: str
    value: Decimal
    euro: bool  # the cell itself says € (or M€, k€)
    malformed: bool = False
    message: str | None = None


def parse(text: str) -> ParsedNumber | None:
    """The project's number reading of a cell or a phrase (French styles, €, k€, M€)."""
    return parse_number(text)


def read_money(text: str) -> Money | None:
    """A money cell: a number (with or without €), '- €' as zero; None for words, %, NR/NC."""
    t = (text or "").strip()
    if not t or not re.search(r"\d|-\s*€|–\s*€", t):
        return None
    p = parse(t)
    if p is None and _STRAY_EURO.match(t):  # '€2.591.804,55 €': the left neighbour's € overflowed into the cell
        p = parse(_STRAY_EURO.sub("", t))
    if p is None or p.value is None or p.unit not in (None, "EUR"):
        return None
    return Money(raw=t, value=p.value, euro=p.unit == "EUR", malformed=p.malformed, message=p.message)


def split_readings(label: str, amount_text: str) -> list[tuple[str, str]]:
    """Other ways to cut 'label | amount' where a short number sits on the boundary ('Job 47 | 136 000 €')."""
    out: list[tuple[str, str]] = []
    label = label.rstrip()
    amt = amount_text.strip()
    core = _EURO_TAIL.sub("", amt)
    for ch in _SPACES:
        core = core.replace(ch, " ")
    tail = amt[len(_EURO_TAIL.sub("", amt)) :]
    m = re.search(r"(?:^|\s)(\d{1,3})$", label)
    if m and _GROUPED.match(core):
        out.append((label[: m.start(1)].rstrip(), f"{m.group(1)} {core}{tail}"))
    parts = core.split(" ")
    if (
        len(parts) >= 3
        and _GROUPED.match(core)
        and len(parts[0]) >= 2
        and not re.search(r"\d\W*$", label)
        and not _TOTAL.match(label)
    ):
        out.append((f"{label} {parts[0]}".strip(), " ".join(parts[1:]) + tail))
    return out
