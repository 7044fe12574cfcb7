"""Borderless and text-layout tables: rows are a label followed by amounts, columns from right edges."""

from __future__ import annotations

import re
from dataclasses import replace

from calpae.extract.geometry.lines import make_line
from calpae.extract.numbers.cells import YEAR_RE, SplitLine, split_line
from calpae.extract.tables.bands import (
    GAP_FACTOR,
    assign_rows,
    band_bbox,
    band_texts,
    blocks,
    label_columns,
    label_words,
)
from calpae.extract.tables.borderless.header import _columnar, _header_lines, _rotated, _table_from  # noqa: F401  (re-exported)
from calpae.extract.tables.borderless.items import (
    MAX_GAP_LINES,
    MAX_HEADER_LINES,
    X1_TOL,
    Item,
    Row,
    is_amount_row,
    is_fragment,
    runs_on,
    starts_lower,
)  # noqa: F401  (re-exported)
from calpae.extract.tables.found import Found, _cluster
from calpae.models import BBox, Document, Line, Table, Word


def _stream(doc: Document, furniture: set[int]) -> list[Item | None]:
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
            out.append(Item(line=ln, split=split, fragment=frag))
    return out


def _bare_years(split: SplitLine) -> bool:
    """True when every 'amount' of a line is a bare year (no unit): header text, not a row."""
    return all(len(c.words) == 1 and YEAR_RE.match(c.words[0].text) for c in split.cells)


def _runs(stream: list[Item | None], min_rows: int = 2) -> list[list[Item]]:
    """Maximal stretches holding >= min_rows amount rows, at most MAX_GAP_LINES other lines between rows."""
    runs: list[list[Item]] = []
    cur: list[Item] = []
    gap = 0
    for it in stream + [None]:
        if it is None or (gap > MAX_GAP_LINES and not (it.split and is_amount_row(it.split))):
            if cur:
                runs.append(cur)
            cur, gap = [], 0
            if it is None:
                continue
        if it.split is not None and is_amount_row(it.split):
            if gap > MAX_GAP_LINES and cur:
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


def _numbers_to_label(items: list[Item]) -> None:
    """A row whose first 'amount' is a bare action number standing left of every other row's amounts (a number
    column centred beside a wrapped label, alone on the amount line) gets it back as its label."""
    rows = [it for it in items if it.split and is_amount_row(it.split)]
    for it in rows:
        cells = it.split.cells
        first = cells[0]
        if len(cells) < 2 or len(first.words) != 1 or not NUMBERING_RE.match(first.text):
            continue
        others = [o.split.cells[0].bbox.x0 for o in rows if o is not it and o.split.label]
        if others and first.bbox.x1 < min(others) - 10.0:
            it.split = replace(it.split, label=it.split.label + first.words, cells=cells[1:])


def _geometric_columns(rows: list[SplitLine]) -> list[float] | None:
    """Right edges of the amount columns when every row's cells line up on them, else None."""
    if any(not r.line.words for r in rows):
        return None
    edges = _cluster([c.bbox.x1 for r in rows for c in r.cells], X1_TOL)
    width = max(len(r.cells) for r in rows)
    if len(edges) != width:
        return None
    for r in rows:
        idx = [min(range(len(edges)), key=lambda i: abs(edges[i] - c.bbox.x1)) for c in r.cells]
        if len(set(idx)) != len(idx) or any(abs(edges[i] - c.bbox.x1) > X1_TOL for i, c in zip(idx, r.cells)):
            return None
    return edges


def _split_by_width(run: list[Item]) -> list[list[Item]]:
    """Text-layout runs: a change in the number of amounts per row starts a new table."""
    parts: list[list[Item]] = []
    cur: list[Item] = []
    width = None
    for it in run:
        if it.split and is_amount_row(it.split):
            n = len(it.split.cells)
            if width is not None and n != width:
                # trailing non-row lines after the last row belong to the next table's first row
                tail_start = max(i for i, x in enumerate(cur) if x.split and is_amount_row(x.split)) + 1
                parts.append(cur[:tail_start])
                cur = cur[tail_start:]
            width = n
        cur.append(it)
    if cur:
        parts.append(cur)
    return [p for p in parts if sum(1 for x in p if x.split and is_amount_row(x.split)) >= 2]


def _attach_above(pending: list[Line], label_text: str, take_all: bool = False) -> list[Line]:
    """Pending lines that wrap into a row's label: needed when the label is empty or starts lower-case."""
    attach: list[Line] = []
    if take_all and not label_text:
        attach, pending[:] = pending[-5:], pending[:-5]
        return attach
    if label_text and not starts_lower(label_text) and not (pending and runs_on(pending[-1].text)):
        return attach
    while pending and len(attach) < 5:
        attach.insert(0, pending.pop())
        if not starts_lower(attach[0].text) and not (pending and runs_on(pending[-1].text)):
            break
    return attach


def _build_rows(items: list[Item], header: list[Line]) -> tuple[list[Row], list[Line]]:
    """Rows with wrapped label lines attached, and the header lines left above the first row."""
    rows: list[Row] = []
    pending: list[Line] = list(header)
    header_texts = {ln.text.strip() for ln in header}
    head: list[Line] = []
    for it in items:
        if it.fragment or (rows and it.line.text.strip() in header_texts) or (it.split and it.split.is_year_header()):
            continue
        if not (it.split and is_amount_row(it.split)):
            if not pending and rows and starts_lower(it.line.text) and rows[-1].split is not None:
                rows[-1].label_lines.append(it.line)
                rows[-1].members.append(it.line)
            else:
                pending.append(it.line)
            continue
        attach = _attach_above(pending, it.split.label_text, take_all=bool(rows))
        if pending and not rows:
            head = pending
        elif pending:
            rows.append(_note_row(pending))
        pending = []
        rows.append(Row(label_lines=attach, split=it.split, members=attach + [it.line]))
    return rows, head


def _note_row(lines: list[Line]) -> Row:
    """A row without amounts: its first sentence is the label, later sentences stand in the amount columns."""
    label, note = [lines[0]], []
    for ln in lines[1:]:
        (note if note or not starts_lower(ln.text) else label).append(ln)
    return Row(label_lines=label, note=note, members=list(lines))


def _wrap_above(stream: list[Item | None], start: int, first: SplitLine | None) -> list[Line]:
    """Lines above the first row that its label wraps from (fragments skipped)."""
    above: list[Line] = []
    i = start - 1
    while i >= 0 and stream[i] is not None and len(above) < 4:
        if not stream[i].fragment:
            if stream[i].split is not None:
                break
            above.insert(0, stream[i].line)
        i -= 1
    if first is None:
        return []
    return _attach_above(above, first.label_text)


def _label_only(it: Item | None, page: int | None, amount_left: float) -> bool:
    """A stream line that may extend a band: same page, upright, all of it left of the amount columns."""
    if it is None or it.line.page != page or (it.split and is_amount_row(it.split)):
        return False
    upright = [w for w in it.line.words if w.upright]
    return bool(upright) and len(label_words(it.line, amount_left)) == len(upright)


def _extend(
    stream: list[Item | None], i: int, step: int, page: int | None, amount_left: float, edge: float, gap: float
) -> list[int]:
    """Indices of label-only lines next to the table (above: step -1, below: +1) that touch its first/last band."""
    out: list[int] = []
    while 0 <= i < len(stream) and _label_only(stream[i], page, amount_left):
        box = stream[i].line.bbox
        if box is None or (box.top - edge > gap if step > 0 else edge - box.bottom > gap):
            break
        out.append(i)
        edge = box.bottom if step > 0 else box.top
        i += step
    return out


def _texts_above(stream: list[Item | None], start: int) -> set[str]:
    """Texts of the upright lines just above a table's first row (up to the previous row): its header, title."""
    above = set()
    i = start - 1
    while i >= 0 and stream[i] is not None and len(above) < MAX_HEADER_LINES and not _is_row(stream[i]):
        if not _rotated(stream[i]):
            above.add(stream[i].line.text.strip())
        i -= 1
    return above


def _repeated_heads(stream: list[Item | None], start: int, part: list[Item]) -> set[int]:
    """ids of the lines that repeat, at the top of a later page, a line standing just above the table's start
    (its header repeated after a page break): they are neither labels nor rows."""
    above = _texts_above(stream, start)
    first_page = part[0].line.page
    out: set[int] = set()
    seen_row: set[int | None] = {first_page}
    for it in part:
        if _is_row(it):
            seen_row.add(it.line.page)
        elif it.line.page not in seen_row and it.line.text.strip() in above:
            out.add(id(it.line))
    return out


def _band_rows(
    stream: list[Item | None], part: list[Item], amount_left: float
) -> tuple[list[Row], list[tuple[float, float]], list[Line], int] | None:
    """Rows read as bands of label words (see calpae.extract.tables.bands); None when the rows are not set apart.

    Returns the rows, the label columns' x-spans, the lines used and the stream index of the topmost one."""
    amount_items = [it for it in part if it.split and is_amount_row(it.split)]
    start = next(i for i, it in enumerate(stream) if it is part[0])
    repeated = _repeated_heads(stream, start, part)
    lines = [it.line for it in part if any(w.upright for w in it.line.words) and id(it.line) not in repeated]
    end = next(i for i, it in enumerate(stream) if it is part[-1])
    all_words = [w for ln in lines for w in label_words(ln, amount_left)]
    gap = GAP_FACTOR * (sorted(w.size or 10.0 for w in all_words)[len(all_words) // 2] if all_words else 10.0)
    first_top = min((w.bbox.top for w in label_words(part[0].line, amount_left)), default=part[0].line.bbox.top)
    up = _extend(stream, start - 1, -1, part[0].line.page, amount_left, first_top, gap)
    last_bottom = max(
        (w.bbox.bottom for w in label_words(part[-1].line, amount_left)), default=part[-1].line.bbox.bottom
    )
    down = _extend(stream, end + 1, 1, part[-1].line.page, amount_left, last_bottom, gap)
    lines = [stream[i].line for i in reversed(up)] + lines + [stream[i].line for i in down]
    by_page: dict[int, list[Word]] = {}
    for ln in lines:
        by_page.setdefault(ln.page or 0, []).extend(label_words(ln, amount_left))
    bands = [b for page, words in sorted(by_page.items()) for b in blocks(words, page)]
    centres = []
    for it in amount_items:
        box = BBox.union([c.bbox for c in it.split.cells])
        centres.append((it.line.page or 0, (box.top + box.bottom) / 2))
    bands = assign_rows(bands, centres)
    if bands is None:
        return None
    spans = label_columns([w for b in bands for w in b.words])
    if not spans:
        return None
    rows: list[Row] = []
    for b in bands:
        texts = band_texts(b, spans)
        if b.row is None and " ".join(texts)[:1].islower():
            return None  # a lower-case block is a wrapped label cut off its row: bands do not hold here
        split = None if b.row is None else replace(amount_items[b.row].split, label=[])
        member = amount_items[b.row].line if b.row is not None else make_line(b.words, b.page)
        rows.append(Row(split=split, members=[member], parts=texts, box=band_bbox(b)))
    return rows, spans, lines, (start - len(up))


def _body_width(doc: Document) -> float:
    xs = [(ln.bbox.x0, ln.bbox.x1) for p in doc.pages[:20] for ln in p.lines if ln.bbox]
    return (max(x[1] for x in xs) - min(x[0] for x in xs)) if xs else 0.0


def _is_row(it: Item) -> bool:
    return bool(it.split and is_amount_row(it.split))


def _geometric_parts(run: list[Item]) -> list[tuple[list[Item], list[float]]]:
    """Stretches of a run whose amounts line up in columns, with their right edges; each starts at an amount row.

    A run that lines up as a whole is one part. Otherwise consecutive rows are grouped while they still share
    columns, so a one-row forecast table standing just above a two-column executed table is read apart from it;
    the lines between two parts are left to the header walk of the part below."""
    rows = [i for i, it in enumerate(run) if _is_row(it)]
    whole = _geometric_columns([run[i].split for i in rows])
    if whole is not None:
        return [(run, whole)]
    parts: list[tuple[list[Item], list[float]]] = []
    k = 0
    while k < len(rows):
        j, edges = k + 1, _geometric_columns([run[rows[k]].split])
        while j < len(rows):
            grown = _geometric_columns([run[i].split for i in rows[k : j + 1]])
            if grown is None:
                break
            j, edges = j + 1, grown
        if edges is not None:
            parts.append((run[rows[k] : rows[j - 1] + 1], edges))
        k = j
    return parts


def _header_breaks(run: list[Item], above: set[str] = frozenset()) -> list[list[Item]]:
    """A run cut before each columnar header line standing between two of its rows (a second table's header).

    Two tables one above the other may share column positions; what tells them apart is the second one's header:
    a line with words right of every label, set apart by a wide gap. Each piece starts at an amount row.
    above: texts of the lines above the run's first row; one of them met again after a page break is the header
    repeated on a continuation page, not a new table."""
    rows = [i for i, it in enumerate(run) if _is_row(it)]
    amount_left = min(c.bbox.x0 for i in rows for c in run[i].split.cells)
    label_only = [
        k
        for k, it in enumerate(run)
        if it.line.words
        and not it.fragment
        and len(label_words(it.line, amount_left)) == sum(1 for w in it.line.words if w.upright)
    ]
    pieces: list[list[Item]] = []
    start = 0
    for a, b in zip(rows, rows[1:]):
        between = run[a + 1 : b]
        # label lines of the rest of the run: the second table's title, just above its header, may run on far right
        label_right = max(
            [w.bbox.x1 for k in label_only if not a < k < b for w in label_words(run[k].line, amount_left)]
            + [w.bbox.x1 for i in rows for w in run[i].split.label],
            default=None,
        )
        new_page = run[b].line.page != run[a].line.page
        if any(
            not it.fragment
            and it.split is None
            and not (new_page and it.line.text.strip() in above)
            and _columnar(it.line, amount_left, label_right)
            for it in between
        ):
            pieces.append(run[start : a + 1])
            start = b
    pieces.append(run[start:])
    return pieces


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
    stream = _stream(doc, furniture)
    body_width = _body_width(doc)
    found: list[Found] = []
    for run in _runs(stream, min_rows=1):
        _numbers_to_label(run)
        for part, edges in _geometric_parts(run):
            start = next(i for i, it in enumerate(stream) if it is part[0])
            pieces = _header_breaks(part, _texts_above(stream, start))
            tables = _accepted(stream, pieces, body_width, need_head=len(pieces) > 1 or part is not run)
            if tables is None and len(pieces) > 1:
                tables = _accepted(stream, [part], body_width, need_head=part is not run, edges=edges)
            for f, used in tables or []:
                for ln in used:
                    ln.in_table = True
                found.append(f)
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
        cols = edges if edges is not None else _geometric_columns([it.split for it in piece if _is_row(it)])
        if cols is None:
            return None
        built = _found_from(stream, piece, cols, body_width)
        if built is None:
            return None
        f, used, n_body, n_label = built
        n_rows = sum(1 for it in piece if _is_row(it))
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
    banded = _band_rows(stream, part, amount_left)
    if banded is not None:
        rows, spans, used, head_start = banded
        header_all = _header_lines(stream, head_start, body_width, amount_left, spans[-1][1])
        table = _table_from(rows, header_all, edges, "borderless", spans)
        used = header_all + used
        n_label = len(spans)
    else:
        wrap = _wrap_above(stream, start, part[0].split)
        head_start = next(i for i, it in enumerate(stream) if it is not None and it.line is wrap[0]) if wrap else start
        label_right = max((w.bbox.x1 for it in part if it.split for w in it.split.label), default=None)
        header_all = _header_lines(stream, head_start, body_width, amount_left, label_right) + wrap
        rows, header = _build_rows(part, header_all)
        table = _table_from(rows, header, edges, "borderless")
        used = header_all + [it.line for it in part]
        n_label = 1
    if not used:
        return None
    first, last = used[0], used[-1]
    prev = next(i for i, it in enumerate(stream) if it is not None and it.line is first) - 1
    while prev >= 0 and stream[prev] is not None and stream[prev].fragment:
        prev -= 1
    if prev >= 0 and stream[prev] is not None:
        table.title = stream[prev].line.text.strip()
    found = Found(
        table=table,
        page=first.page or 0,
        last_page=last.page or 0,
        bbox=first.bbox or BBox(x0=0, top=0, x1=0, bottom=0),
        last_bbox=last.bbox or BBox(x0=0, top=0, x1=0, bottom=0),
    )
    return found, used, len(rows), n_label
