"""Tables of figures (indicator tables: counts, rates, NC / SO) of a monospace text export, read by the PDF reader of
such tables (calpae.extract.tables.figures) on the page's characters taken as a geometry.

A text export keeps each cell at its column's characters: a character is a fixed width, a line a fixed height. The
lines are given words with boxes on that grid (a shadow of the page, the document untouched), the figure-table
reader finds its columns, stacked header and rows of wrapped labels there, and each table found comes back as a text
table: its cells placed by source line, its lines marked as read.
"""

from __future__ import annotations

import re

from calpae.extract.structure.furniture import repeated_furniture
from calpae.extract.structure.gaps import is_gap
from calpae.extract.tables.figures.tables import figure_tables
from calpae.models import BBox, Document, Line, Page, Table, Word

CHAR_WIDTH = 5.0  # points given to one character of the export (the figure reader measures gaps in word spaces)
LINE_HEIGHT = 13.0  # points from one source line to the next: a blank line between is white of 1.6 font sizes
FONT_SIZE = 10.0  # points: the size the shadow's words are set in
_WORD = re.compile(r"\S+")


def _shadow_line(ln: Line, row: int) -> Line:
    top = row * LINE_HEIGHT
    words = [
        Word(
            text=m.group(),
            bbox=BBox(x0=m.start() * CHAR_WIDTH, top=top, x1=m.end() * CHAR_WIDTH, bottom=top + FONT_SIZE),
            size=FONT_SIZE,
        )
        for m in _WORD.finditer(ln.text)
    ]
    box = BBox.union([w.bbox for w in words])
    return Line(text=ln.text, page=ln.page, line_no=ln.line_no, bbox=box, words=words, in_table=ln.in_table)


def _shadow(doc: Document, lines: list[Line]) -> tuple[Document, dict[tuple[int, int], Line]]:
    """A copy of the document whose lines carry words on the character grid; (page, row) → the source line."""
    pages: dict[int, list[tuple[int, Line]]] = {}
    for ln in lines:
        if ln.page is not None and not ln.furniture:
            pages.setdefault(ln.page, []).append((len(pages.get(ln.page, [])), ln))
    shadow_pages = []
    where: dict[tuple[int, int], Line] = {}
    for number in sorted(pages):
        shadow = []
        for row, ln in pages[number]:
            where[(number, row)] = ln
            if ln.text.strip():
                shadow.append(_shadow_line(ln, row))
        width = max((len(ln.text) for _, ln in pages[number]), default=0) * CHAR_WIDTH
        shadow_pages.append(Page(number=number, width=width, height=len(pages[number]) * LINE_HEIGHT, lines=shadow))
    return doc.model_copy(update={"pages": shadow_pages, "tables": [], "sections": []}), where


def _row_of(box: BBox | None) -> int | None:
    return None if box is None else int(round(box.top / LINE_HEIGHT))


def _back(table: Table, where: dict[tuple[int, int], Line]) -> Table:
    """A table read on the shadow as a text table: cells by source line, no boxes."""
    cells = []
    for c in table.cells:
        row = _row_of(c.bbox)
        ln = where.get((c.page, row)) if c.page is not None and row is not None else None
        cells.append(c.model_copy(update={"bbox": None, "line_no": ln.line_no if ln else None}))
    numbers = [c.line_no for c in cells if c.line_no is not None]
    return table.model_copy(
        update={
            "source": "text_layout",
            "cells": cells,
            "line_start": min(numbers, default=None),
            "line_end": max(numbers, default=None),
        }
    )


def find_figure_tables(doc: Document, lines: list[Line]) -> list[Table]:
    """Tables of figures on a text export's pages; their source lines marked in_table."""
    if any(ln.words for ln in lines):
        return []  # PDF pages: their own readers
    shadow, where = _shadow(doc, lines)
    # furniture as a PDF's pages give it before tables (not flagged yet on a text export): lines repeated at one
    # place of the pages' top or bottom, stamps and page numbers; a table cut by a page break is joined over them
    pages = shadow.pages
    furniture = repeated_furniture([p.lines for p in pages], [p.height or 0.0 for p in pages])
    furniture |= {id(ln) for p in pages for ln in p.lines if is_gap(ln, set())}
    found = figure_tables(shadow, furniture, monospace=True)
    tables = [_back(f.table, where) for f in found]
    for page in shadow.pages:
        for ln in page.lines:
            source = where.get((page.number, _row_of(ln.bbox) or 0))
            if ln.in_table and source is not None:
                source.in_table = True
    return tables
