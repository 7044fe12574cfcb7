"""Borderless tables whose amounts line up in columns: each part of a run read with its header into a Table."""

from __future__ import annotations

from calpae.extract.numbers.cells import is_amount_row
from calpae.extract.tables.borderless.header import header_lines, table_from
from calpae.extract.tables.borderless.items import Item, is_row, row_split
from calpae.extract.tables.borderless.rows import band_rows, build_rows, wrap_above
from calpae.extract.tables.borderless.stream import (
    amount_runs,
    body_stream,
    geometric_columns,
    geometric_parts,
    header_breaks,
    numbers_to_label,
    page_body_width,
    texts_above,
)
from calpae.extract.tables.found import Found
from calpae.models import BBox, Document, Line, Table


def _heads_every_column(table: Table, n_body: int, n_label: int) -> bool:
    """True when the table has a header row naming every amount column (and, for a one-row table, the label
    column too: one amount line under a single heading may be prose)."""
    if table.n_rows != n_body + 1:
        return False
    head = {c.col: c.text.strip() for c in table.cells if c.row == 0}
    named = all(head.get(j) for j in range(n_label, table.n_cols))
    return named and (n_body > 1 or any(head.get(j) for j in range(n_label)))


def borderless_tables(doc: Document, furniture: set[int], geometric_only: bool = True) -> list[Found]:
    """Tables without borders whose amounts line up in columns, found from lines ending with amounts.

    Rows that do not line up are left (lines not flagged) for the text-layout reader, which reads packed rows
    better than geometry can. A stretch cut out of a longer run, and a table of a single row, is kept only when a
    header above it names every column: that is what tells a table from stray amount lines."""
    stream = body_stream(doc, furniture)
    body_width = page_body_width(doc)
    found: list[Found] = []
    for run in amount_runs(stream, min_rows=1):
        numbers_to_label(run)
        for part, edges in geometric_parts(run):
            start = next(i for i, it in enumerate(stream) if it is part[0])
            pieces = header_breaks(part, texts_above(stream, start))
            tables = _accepted(stream, pieces, body_width, need_head=len(pieces) > 1 or part is not run)
            if tables is None and len(pieces) > 1:
                tables = _accepted(stream, [part], body_width, need_head=part is not run, edges=edges)
            for f, used in tables or []:
                for ln in used:
                    ln.in_table = True
                found.append(f)
    for it in stream:
        if it is not None and it.line.in_table:
            for ln in it.joined:
                ln.in_table = True
    return found


def _accepted(
    stream: list[Item | None],
    pieces: list[list[Item]],
    body_width: float,
    need_head: bool,
    edges: list[float] | None = None,
) -> list[tuple[Found, list[Line]]] | None:
    """Each piece read as a geometric table, or None when one cannot be: its rows do not line up, or it holds a
    single row (or was cut out of a longer run) and no header above it names every column."""
    out = []
    for piece in pieces:
        cols = edges if edges is not None else geometric_columns([row_split(it) for it in piece if is_row(it)])
        if cols is None:
            return None
        built = _found_from(stream, piece, cols, body_width)
        if built is None:
            return None
        f, used, n_body, n_label = built
        n_rows = sum(1 for it in piece if is_row(it))
        if (need_head or n_rows < 2) and not _heads_every_column(f.table, n_body, n_label):
            return None
        out.append((f, used))
    return out


def _found_from(
    stream: list[Item | None], part: list[Item], edges: list[float], body_width: float
) -> tuple[Found, list[Line], int, int] | None:
    """One Found table from a run of stream items, with its header; also the lines it uses (for the caller to
    flag in_table), its number of body rows and of label columns."""
    start = next(i for i, it in enumerate(stream) if it is part[0])
    amount_left = min(c.bbox.x0 for it in part if it.split and is_amount_row(it.split) for c in it.split.cells)
    banded = band_rows(stream, part, amount_left)
    if banded is not None:
        rows, spans, used, head_start = banded
        header_all = header_lines(stream, head_start, body_width, amount_left, spans[-1][1])
        table = table_from(rows, header_all, edges, "borderless", spans)
        used = header_all + used
        n_label = len(spans)
    else:
        wrap = wrap_above(stream, start, part[0].split)
        head_start = next(i for i, it in enumerate(stream) if it is not None and it.line is wrap[0]) if wrap else start
        label_right = max((w.bbox.x1 for it in part if it.split for w in it.split.label), default=None)
        header_all = header_lines(stream, head_start, body_width, amount_left, label_right) + wrap
        rows, header = build_rows(part, header_all, repeats=len(header_all) - len(wrap))
        table = table_from(rows, header, edges, "borderless")
        used = header_all + [it.line for it in part]
        n_label = 1
    if not used:
        return None
    first, last = used[0], used[-1]
    prev = next(i for i, it in enumerate(stream) if it is not None and it.line is first) - 1
    while prev >= 0 and (item := stream[prev]) is not None and item.fragment:
        prev -= 1
    if prev >= 0 and (item := stream[prev]) is not None:
        table.title = item.line.text.strip()
    found = Found(
        table=table,
        page=first.page or 0,
        last_page=last.page or 0,
        bbox=first.bbox or BBox(x0=0, top=0, x1=0, bottom=0),
        last_bbox=last.bbox or BBox(x0=0, top=0, x1=0, bottom=0),
    )
    return found, used, len(rows), n_label
