"""The national referential of the poverty strategy: measures, indicators, départements, Chorus codes, finance
columns."""

from calpae.referential.loader import Referential, load_referential
from calpae.referential.model import (
    ChorusCode,
    DefinitionChange,
    Departement,
    FinancialColumn,
    Indicator,
    Measure,
    Target,
)


def find_departement(text: str) -> tuple[str, str] | None:
    """(code, name) of the most specific département named in the text."""
    return load_referential().find_departement(text)


def match_measure(label: str, context: str | None = None) -> tuple[str, float] | None:
    """(measure_id, score) of a label, or None below the threshold."""
    return load_referential().match_measure(label, context)


def match_indicator(label: str, measure_id: str | None = None) -> tuple[str, float] | None:
    """(indicator_id, score) of a label, or None below the threshold."""
    return load_referential().match_indicator(label, measure_id)


__all__ = [
    "ChorusCode",
    "DefinitionChange",
    "Departement",
    "FinancialColumn",
    "Indicator",
    "Measure",
    "Referential",
    "Target",
    "find_departement",
    "load_referential",
    "match_indicator",
    "match_measure",
]
