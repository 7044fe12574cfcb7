"""Borderless tables, the stream: body lines in reading order, the runs of amount rows in it, and the parts of a run
whose amounts line up in columns (cut where a second table's header stands)."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import replace
from itertools import pairwise

from calpae.extract.geometry.lines import make_line
from calpae.extract.numbers.cells import YEAR_RE, SplitLine, is_amount_row, split_line
from calpae.extract.settings import BORDERLESS
from calpae.extract.tables.bands import label_words
from calpae.extract.tables.borderless.header import is_columnar
from calpae.extract.tables.borderless.items import (
    Item,
    centred_beside,
    is_fragment,
    is_rotated,
    is_row,
    row_split,
)
from calpae.extract.tables.found import cluster_edges
from calpae.models import Document


def body_stream(doc: Document, furniture: set[int]) -> list[Item | None]:
    """Body lines in reading order; None where a ruled table interrupts the flow."""
    out: list[Item | None] = []
    for page in doc.pages:
        for ln in page.lines:
            if id(ln) in furniture or not ln.text.strip():
                continue
            if ln.in_table:
                if out and out[-1] is not None:
                    out.append(None)
                continue
            frag = is_fragment(ln)
            split = None if frag else split_line(ln)
            if split is not None and not (is_amount_row(split) or split.is_year_header()):
                split = None
            if split is not None and not split.is_year_header() and _bare_years(split):
                split = None  # 'Crédits reportés' over '(FALPAE) 2019': a header line ending with a year
            item = Item(line=ln, split=split, fragment=frag)
            prev = out[-1] if out else None
            joined = _centred_row(prev, item) if prev is not None else None
            if joined is not None:
                out[-1] = joined
            else:
                out.append(item)
    return out


def _centred_row(a: Item, b: Item) -> Item | None:
    """Two amount lines half a line apart whose words sit side by side, joined into one row: cells centred
    vertically in a row where one cell wraps (a label or total over two lines) come out as lines of their own."""
    if not (is_row(a) and is_row(b)) or (row_split(a).label and row_split(b).label):
        return None
    if a.line.page != b.line.page or not centred_beside(a.line, b.line):
        return None
    if any(x.bbox.x0 < y.bbox.x1 and y.bbox.x0 < x.bbox.x1 for x in a.line.words for y in b.line.words):
        return None
    words = sorted(a.line.words + b.line.words, key=lambda w: w.bbox.x0)
    line = make_line(words, a.line.page or 0)
    split = split_line(line)
    if split is None or not is_amount_row(split):
        return None
    return Item(line=line, split=split, joined=(*(a.joined or (a.line,)), b.line))


def _bare_years(split: SplitLine) -> bool:
    """True when every 'amount' of a line is a bare year (no unit): header text, not a row."""
    return all(len(c.words) == 1 and YEAR_RE.match(c.words[0].text) for c in split.cells)


def amount_runs(stream: list[Item | None], min_rows: int = 2) -> list[list[Item]]:
    """Maximal stretches holding >= min_rows amount rows, at most BORDERLESS.max_gap_lines other lines between rows."""
    runs: list[list[Item]] = []
    cur: list[Item] = []
    gap = 0
    for it in stream + [None]:
        if it is None or (gap > BORDERLESS.max_gap_lines and not (it.split and is_amount_row(it.split))):
            if cur:
                runs.append(cur)
            cur, gap = [], 0
            if it is None:
                continue
        if it.split is not None and is_amount_row(it.split):
            if gap > BORDERLESS.max_gap_lines and cur:
                runs.append(cur)
                cur = []
            cur.append(it)
            gap = 0
        elif cur:
            cur.append(it)
            if not it.fragment:
                gap += 1
    out = []
    for run in runs:
        while run and not (run[-1].split and is_amount_row(run[-1].split)):
            run.pop()
        if sum(1 for it in run if it.split and is_amount_row(it.split)) >= min_rows:
            out.append(run)
    return out


NUMBERING_RE = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?$")  # '2.1', '3.', '4': an action or section number


def numbers_to_label(items: list[Item]) -> None:
    """A row whose first 'amount' is a bare action number standing left of every other row's amounts (a number
    column centred beside a wrapped label, alone on the amount line) gets it back as its label."""
    rows = [it for it in items if it.split and is_amount_row(it.split)]
    for it in rows:
        cells = row_split(it).cells
        first = cells[0]
        if len(cells) < 2 or len(first.words) != 1 or not NUMBERING_RE.match(first.text):
            continue
        others = [row_split(o).cells[0].bbox.x0 for o in rows if o is not it and row_split(o).label]
        if others and first.bbox.x1 < min(others) - BORDERLESS.number_column_gap:
            split = row_split(it)
            it.split = replace(split, label=split.label + first.words, cells=cells[1:])


def geometric_columns(rows: list[SplitLine]) -> list[float] | None:
    """Right edges of the amount columns when every row's cells line up on them, else None."""
    if any(not r.line.words for r in rows):
        return None
    edges = cluster_edges([c.bbox.x1 for r in rows for c in r.cells], BORDERLESS.x1_tol)
    width = max(len(r.cells) for r in rows)
    if len(edges) != width:
        return None
    for r in rows:
        idx = [min(range(len(edges)), key=lambda i: abs(edges[i] - c.bbox.x1)) for c in r.cells]
        if len(set(idx)) != len(idx) or any(
            abs(edges[i] - c.bbox.x1) > BORDERLESS.x1_tol for i, c in zip(idx, r.cells, strict=True)
        ):
            return None
    return edges


def geometric_parts(run: list[Item]) -> list[tuple[list[Item], list[float]]]:
    """Stretches of a run whose amounts line up in columns, with their right edges; each starts at an amount row.

    A run that lines up as a whole is one part. Otherwise consecutive rows are grouped while they still share
    columns, so a one-row forecast table standing just above a two-column executed table is read apart from it;
    the lines between two parts are left to the header walk of the part below."""
    rows = [i for i, it in enumerate(run) if is_row(it)]
    whole = geometric_columns([row_split(run[i]) for i in rows])
    if whole is not None:
        return [(run, whole)]
    parts: list[tuple[list[Item], list[float]]] = []
    k = 0
    while k < len(rows):
        j, edges = k + 1, geometric_columns([row_split(run[rows[k]])])
        while j < len(rows):
            grown = geometric_columns([row_split(run[i]) for i in rows[k : j + 1]])
            if grown is None:
                break
            j, edges = j + 1, grown
        if edges is not None:
            parts.append((run[rows[k] : rows[j - 1] + 1], edges))
        k = j
    return parts


def header_breaks(run: list[Item], above: AbstractSet[str] = frozenset()) -> list[list[Item]]:
    """A run cut before each columnar header line standing between two of its rows (a second table's header).

    Two tables one above the other may share column positions; what tells them apart is the second one's header:
    a line with words right of every label, set apart by a wide gap. Each piece starts at an amount row.
    above: texts of the lines above the run's first row; one of them met again after a page break is the header
    repeated on a continuation page, not a new table."""
    rows = [i for i, it in enumerate(run) if is_row(it)]
    amount_left = min(c.bbox.x0 for i in rows for c in row_split(run[i]).cells)
    label_only = [
        k
        for k, it in enumerate(run)
        if it.line.words
        and not it.fragment
        and len(label_words(it.line, amount_left)) == sum(1 for w in it.line.words if w.upright)
    ]
    pieces: list[list[Item]] = []
    start = 0
    for a, b in pairwise(rows):
        between = run[a + 1 : b]
        # label lines of the rest of the run: the second table's title, just above its header, may run on far right
        label_right = max(
            [w.bbox.x1 for k in label_only if not a < k < b for w in label_words(run[k].line, amount_left)]
            + [w.bbox.x1 for i in rows for w in row_split(run[i]).label],
            default=None,
        )
        new_page = run[b].line.page != run[a].line.page
        if any(
            not it.fragment
            and it.split is None
            and not (new_page and it.line.text.strip() in above)
            and is_columnar(it.line, amount_left, label_right)
            for it in between
        ):
            pieces.append(run[start : a + 1])
            start = b
    pieces.append(run[start:])
    return pieces


def texts_above(stream: list[Item | None], start: int) -> set[str]:
    """Texts of the upright lines just above a table's first row (up to the previous row): its header, title."""
    above: set[str] = set()
    i = start - 1
    while i >= 0 and len(above) < BORDERLESS.max_header_lines:
        it = stream[i]
        if it is None or is_row(it):
            break
        if not is_rotated(it):
            above.add(it.line.text.strip())
        i -= 1
    return above


def page_body_width(doc: Document) -> float:
    xs = [(ln.bbox.x0, ln.bbox.x1) for p in doc.pages[: BORDERLESS.body_width_pages] for ln in p.lines if ln.bbox]
    return (max(x[1] for x in xs) - min(x[0] for x in xs)) if xs else 0.0
