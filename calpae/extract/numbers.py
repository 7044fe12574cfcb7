"""French numbers and amounts as they appear in CALPAE documents (interface; implementation pending)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text: value, unit, and what was odd about it."""

    raw: str
    value: Decimal | None  # None for NR / NC / Sans Objet / empty
    unit: str | None = None  # "EUR", "%", or None for a plain count/quantity
    qualifier: str | None = None  # "NR", "NC", "SO" (sans objet), "empty"
    malformed: bool = False  # e.g. "312.222.40 €": dot for thousands and decimals
    ambiguous: bool = False  # more than one reading was possible
    note: str | None = None  # "sur 9 mois" in "312 (sur 9 mois)"
    message: str | None = None  # what was malformed or ambiguous, in words


def parse_number(text: str) -> ParsedNumber | None:
    """Parse one cell or token; None when the text is not a number nor a NR/NC/SO/empty value."""
    raise NotImplementedError
