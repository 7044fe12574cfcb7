"""Amounts a text export wraps over two lines of a narrow cell, as figures (calpae.extract's stacked_amounts)."""

from __future__ import annotations

from calpae.extract import Stacked, crowded_amounts, stacked_amounts
from calpae.models import Document


def stacked_figures(doc: Document) -> list[Stacked]:
    """Every amount wrapped over two lines in a text export (PDF pages place their words by geometry: none)."""
    if doc.kind != "text":
        return []
    return [s for page in doc.pages for s in stacked_amounts(page.lines, page.number)]


def crowded_figures(doc: Document) -> list[Stacked]:
    """Every amount a text export crowds one space apart from another, closed by its tail on the line below."""
    if doc.kind != "text":
        return []
    return [s for page in doc.pages for s in crowded_amounts(page.lines, page.number)]
