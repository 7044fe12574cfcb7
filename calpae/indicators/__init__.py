"""Indicator tables and prose → indicator_values, each mapped to the referential when the match is sure."""

from __future__ import annotations

from calpae.models import Document, IndicatorValue


def extract_indicators(doc: Document) -> list[IndicatorValue]:
    """Indicator values of a document: from its indicator tables (then mapped), then from its prose."""
    from calpae.classify.national import is_national
    from calpae.indicators.mapping import map_values
    from calpae.indicators.prose import prose_indicators
    from calpae.indicators.tables import indicator_values_from_table

    if is_national(doc):
        return []  # the indicator guide of an instruction defines indicators, it reports no département's values
    values: list[IndicatorValue] = []
    for table in doc.tables:
        values.extend(indicator_values_from_table(doc, table))
    map_values(doc, values)
    return values + prose_indicators(doc)  # prose values carry their own subject and referential id
