"""Indicator tables and prose → indicator_values."""

from calpae.models import Document, IndicatorValue


def extract_indicators(doc: Document) -> list[IndicatorValue]:
    return []
