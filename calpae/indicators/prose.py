"""Indicators stated in prose (placeholder)."""

from calpae.models import Document, IndicatorValue


def prose_indicators(doc: Document) -> list[IndicatorValue]:
    return []
