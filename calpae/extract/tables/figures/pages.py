"""Tables of figures over page breaks: the part opening a page joined to the table ending the page before when
their value columns stand on the same x. The part below the break may lack the columns whose cells are empty on
it (a measure cell merged over rows of the page before) and repeat the header or not; its columns are matched to
the table's by place."""

from __future__ import annotations

from dataclasses import dataclass, field

from calpae.extract.settings import FIGURES
from calpae.extract.tables.figures.layout import Frame, Span
from calpae.extract.tables.figures.marks import Mark
from calpae.extract.tables.found import Found
from calpae.models import Document


@dataclass
class Piece:
    """A table of figures found on one page, with its columns' x-spans and kinds (label, value, comment)."""

    found: Found
    spans: list[Span]
    kinds: list[str]
    head_rows: int
    frame: Frame
    stray: bool = False  # one row of figures without a header: kept only as a table's continuation
    monospace: bool = False  # a text export's page: its columns stand where the page's widest line puts them
    head: list[Mark] = field(default_factory=list)  # the header's lines, as read on this page


def _body_lines(doc: Document, page: int, furniture: set[int]) -> list:
    pg = next((p for p in doc.pages if p.number == page), None)
    if pg is None:
        return []
    return [ln for ln in pg.lines if ln.bbox and ln.text.strip() and id(ln) not in furniture and not ln.in_table]


def _alone_at_break(doc: Document, before: Piece, after: Piece, furniture: set[int]) -> bool:
    """True when nothing but furniture stands below the first part on its page and above the second on its."""
    tol = FIGURES.column_tol
    a, b = before.found, after.found
    below = [ln for ln in _body_lines(doc, a.last_page, furniture) if ln.bbox.top >= a.last_bbox.bottom - tol]
    above = [ln for ln in _body_lines(doc, b.page, furniture) if ln.bbox.bottom <= b.bbox.top + tol]
    return not below and not above


def _overlap(a: Span, b: Span) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _matched(before: Piece, after: Piece) -> list[int] | None:
    """For each column of the second part, the column of the first it continues; None when their value columns
    do not stand on the same x."""
    values_a = [k for k, kind in enumerate(before.kinds) if kind == "value"]
    values_b = [k for k, kind in enumerate(after.kinds) if kind == "value"]
    if len(values_a) != len(values_b):
        return None
    shift = 0.0
    if after.monospace:  # pdftotext sets each page's text from its own left edge: the columns move as one
        shift = sum(before.spans[a].x0 - after.spans[b].x0 for a, b in zip(values_a, values_b, strict=True))
        shift /= len(values_a)
    out = []
    for at, kind in zip(after.spans, after.kinds, strict=True):
        span = Span(at.x0 + shift, at.x1 + shift)
        same = [k for k, other in enumerate(before.kinds) if (other == "value") == (kind == "value")]
        best = max(same, key=lambda k: _overlap(before.spans[k], span), default=None)
        if best is None or (kind == "value" and _overlap(before.spans[best], span) < -FIGURES.column_tol):
            return None
        out.append(best)
    return out if len(set(out)) == len(out) else None


def _append(before: Piece, after: Piece, columns: list[int]) -> None:
    """The second part's body rows (not its repeated header) added below the first's."""
    a, b = before.found, after.found
    offset = a.table.n_rows - after.head_rows
    for c in b.table.cells:
        if c.row >= after.head_rows:
            a.table.cells.append(c.model_copy(update={"row": c.row + offset, "col": columns[c.col]}))
    a.table.n_rows += b.table.n_rows - after.head_rows
    a.table.pages += [p for p in b.table.pages if p not in a.table.pages]
    a.last_page, a.last_bbox = b.last_page, b.last_bbox


def join_pages(doc: Document, pieces: list[Piece], furniture: set[int]) -> list[Found]:
    """The tables of figures, each part opening a page joined to the table it continues; a stray row that
    continues nothing dropped."""
    out: list[Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.found.page, p.found.bbox.top)):
        prev = out[-1] if out else None
        columns = None
        if prev is not None and piece.found.page == prev.found.last_page + 1:
            if _alone_at_break(doc, prev, piece, furniture):
                columns = _matched(prev, piece)
        if columns is not None and prev is not None:
            _append(prev, piece, columns)
        elif not piece.stray:
            out.append(piece)
    return [p.found for p in out]
