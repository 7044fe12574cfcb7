"""Tables over page breaks: a table ending a page joined with the same-columned one opening the next; the lines
inside a table flagged; a table's caption."""

from __future__ import annotations

from rapidfuzz.fuzz import ratio

from calpae.extract.numbers.cells import STOP_WORDS
from calpae.extract.settings import DEFAULT_FONT_SIZE, FURNITURE, TABLES
from calpae.extract.structure.furniture import edge_place
from calpae.extract.structure.stamps import stamp_kind
from calpae.extract.tables.found import Found
from calpae.extract.tables.pick import is_money
from calpae.models import BBox, Document, Line, Page, Table


def _same_columns(a: Found, b: Found) -> bool:
    """Two parts of one table: same column count and the same column positions (within a few points)."""
    if a.table.n_cols != b.table.n_cols:
        return False
    if a.cols and b.cols:
        return len(a.cols) == len(b.cols) and all(
            abs(x - y) <= TABLES.same_columns_tol for x, y in zip(a.cols, b.cols, strict=True)
        )
    return True


def _merged_columns(a: Found, b: Found) -> list[int] | None:
    """For b opening the next page with fewer ruled columns than a, the index of a's column each of b's column
    edges stands on; None unless b's edges are a's but for some (a merged cell the page break cut, whose inner
    rules the continuation no longer draws), the two tables as wide, and b's first row holds amounts (no header of
    a new table)."""
    if not a.cols or not b.cols or len(b.cols) >= len(a.cols):
        return None
    at: list[int] = []
    for x in b.cols:
        k = min(range(len(a.cols)), key=lambda i: abs(a.cols[i] - x))
        if abs(a.cols[k] - x) > TABLES.same_columns_tol or (at and k <= at[-1]):
            return None
        at.append(k)
    if at[0] != 0 or at[-1] != len(a.cols) - 1:
        return None
    if not any(is_money(t) for t in _row_texts(b.table, 0)):
        return None
    return at


def _widen(b: Found, at: list[int], a: Found) -> None:
    """b's cells set on a's columns (a merged cell spanning the columns its missing rules divided)."""
    b.table.cells = [
        c.model_copy(update={"col": at[c.col], "col_span": at[c.col + c.col_span] - at[c.col]}) for c in b.table.cells
    ]
    b.table.n_cols, b.cols = a.table.n_cols, list(a.cols)


def _row_texts(table: Table, row: int) -> list[str]:
    return [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == row]


def continues_cell(text: str, before: str) -> bool:
    """True when text carries on a cell cut by the page break: it starts lower-case, or before stops mid-phrase."""
    s = text.lstrip()
    if not s:
        return False
    words = before.split()
    return s[0].islower() or s[0] in ")]»,;" or bool(words and words[-1].lower().strip("'’") in STOP_WORDS)


def _join_split_row(a: Found, b: Found, row: int) -> bool:
    """Append b's row to a's last row when it is that row's end, cut by the page break; True when joined."""
    last = a.table.n_rows - 1
    mine = {c.col: c for c in a.table.cells if c.row <= last < c.row + c.row_span}
    theirs = [c for c in b.table.cells if c.row == row and c.text.strip()]
    if not theirs or b.table.n_rows <= row + 1:
        return False
    if not all(
        c.col in mine
        and mine[c.col].text.strip()
        and continues_cell(c.text, mine[c.col].text)
        and not (is_money(mine[c.col].text) and any(ch.isalpha() for ch in c.text))
        for c in theirs
    ):
        return False  # words never carry on an amount ('149 500 €' + a title line the next page repeats)
    for c in theirs:
        mine[c.col].text = f"{mine[c.col].text.rstrip()} {c.text.strip()}"
    return True


def merge_found(a: Found, b: Found) -> None:
    """Append b's rows to a, dropping b's first rows where they repeat a's header, joining a row cut by the break."""
    skip = _header_rows_repeated(a.table, b.table)
    if _join_split_row(a, b, skip):
        skip += 1
    offset = a.table.n_rows - skip
    for c in b.table.cells:
        if c.row < skip:
            continue
        a.table.cells.append(c.model_copy(update={"row": c.row + offset}))
    a.table.n_rows += b.table.n_rows - skip
    a.table.pages += [p for p in b.table.pages if p not in a.table.pages]
    a.last_page, a.last_bbox = b.last_page, b.last_bbox


def _header_rows_repeated(a: Table, b: Table) -> int:
    """How many of b's first rows repeat a's header (the header repeated at the top of the next page): its first
    row word for word, or the rows _repeated_head finds."""
    same_first = b.n_rows > 1 and _row_texts(b, 0) == _row_texts(a, 0)
    return max(int(same_first), _repeated_head(a, b))


def _last_label(table: Table) -> str:
    """The text of the first non-empty cell of the table's last row (its label, cut by the page break or not)."""
    last = table.n_rows - 1
    cells = sorted(
        (c for c in table.cells if c.row <= last < c.row + c.row_span and c.text.strip()), key=lambda c: c.col
    )
    return cells[0].text if cells else ""


def _repeated_head(a: Table, b: Table) -> int:
    """How many of b's first rows repeat a's first rows: the same text wherever both have one (a merged label cell
    cut by the page break may add its rest to a repeated header row), in two columns at least, and no amount."""
    ga, gb = a.grid(), b.grid()
    n = 0
    while n < min(len(ga), len(gb) - 1):
        pairs = [(x.strip(), y.strip()) for x, y in zip(ga[n], gb[n], strict=False) if x.strip() and y.strip()]
        if len(pairs) < 2 or any(x != y or is_money(x) for x, y in pairs):
            break
        n += 1
    return n


def _label_tail(f: Found, lines: list[Line], furniture: set[int], below: bool = True) -> set[int]:
    """ids of the lines beyond a table's edge at a page break that are the rest of its label cells (a merged theme
    cell cut by the break, its text set lower or higher than the rows' amounts): under its last row on its last page
    (below), or over its first row on its first page; each left of every amount of the table there, within its
    width, a line's white at most from the one before."""
    page, box0 = (f.last_page, f.last_bbox) if below else (f.page, f.bbox)
    money = [c.bbox.x0 for c in f.table.cells if c.page in (page, None) and c.bbox is not None and is_money(c.text)]
    if not money:
        return set()
    left, edge = min(money), box0.bottom if below else box0.top
    out: set[int] = set()
    near = [ln for ln in lines if ln.bbox is not None and id(ln) not in furniture and ln.text.strip()]
    for ln in sorted(near, key=_top, reverse=not below):
        box = ln.bbox
        if box is None:
            continue
        if box.top < box0.bottom - TABLES.body_slack if below else box.bottom > box0.top + TABLES.body_slack:
            continue
        size = max((w.size or DEFAULT_FONT_SIZE for w in ln.words), default=DEFAULT_FONT_SIZE)
        white = box.top - edge if below else edge - box.bottom
        if white > TABLES.tail_gap * size or box.x1 > left or box.x0 < box0.x0 - TABLES.body_slack:
            break
        out.add(id(ln))
        edge = box.bottom if below else box.top
    return out


def _top(ln: Line) -> float:
    return ln.bbox.top if ln.bbox is not None else 0.0


def _repeated_on(ln: Line, page: Page, other: Page) -> bool:
    """A line the other page prints at the same place, nearly word for word: a running header or footer the
    furniture pass could not see repeated (two pages only, and on one of them a merged cell's text overflowing the
    table ran into it: 'Convention nt d'appui …')."""
    if ln.bbox is None or not page.height or not other.height:
        return False
    text, edge, distance = edge_place(ln, page.height)
    return any(
        o_edge == edge
        and abs(o_distance - distance) <= FURNITURE.same_place_step
        and ratio(text, o_text) >= FURNITURE.misread_ratio
        for o_text, o_edge, o_distance in (edge_place(o, other.height) for o in other.lines if o.bbox is not None)
    )


def _body_between(doc: Document, a: Found, b: Found, furniture: set[int]) -> bool:
    """True when a body line (not furniture, not in a table, not the rest of a's label cells) sits after a on its
    page or before b on its. A prefecture stamp line is no body line even where it is not repeated word for word
    (OCR reads each page's stamp a little differently: 'ID : 039-…' on one, 'ID 039-…' on the next)."""
    for page in doc.pages:
        if page.number not in (a.last_page, b.page):
            continue
        tail = _label_tail(a, page.lines, furniture) if page.number == a.last_page else set()
        if page.number == b.page:
            above = _label_tail(b, page.lines, furniture, below=False)
            if _header_rows_repeated(a.table, b.table):
                # a cut cell goes on under the repeated header: above it stands only what carries on a's last label
                last = _last_label(a.table)
                above = {id(ln) for ln in page.lines if id(ln) in above and continues_cell(ln.text, last)}
            tail |= above
        facing = b.page if page.number == a.last_page else a.last_page
        other = next((p for p in doc.pages if p.number == facing), None)
        for ln in page.lines:
            if id(ln) in furniture or id(ln) in tail or ln.bbox is None or not ln.text.strip() or stamp_kind(ln.text):
                continue
            if other is not None and other is not page and _repeated_on(ln, page, other):
                continue
            if page.number == a.last_page and ln.bbox.top >= a.last_bbox.bottom - TABLES.body_slack:
                return True
            if page.number == b.page and ln.bbox.bottom <= b.bbox.top + TABLES.body_slack:
                return True
    return False


def merge_continuations(doc: Document, found: list[Found], furniture: set[int]) -> list[Found]:
    """Join a table ending a page with the same-columned table opening the next page."""
    found = sorted(found, key=lambda f: (f.page, f.bbox.top))
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        follows = prev is not None and f.page == prev.last_page + 1 and f.table.source == prev.table.source
        at = _merged_columns(prev, f) if prev is not None and follows else None
        if (
            prev is not None
            and follows
            and (at is not None or _same_columns(prev, f))
            and not _body_between(doc, prev, f, furniture)
        ):
            if at is not None:
                _widen(f, at, prev)
            merge_found(prev, f)
        else:
            out.append(f)
    return out


def mark_lines_in(doc: Document, f: Found) -> None:
    """Flag the lines lying inside a table's area on each of its pages."""
    for page in doc.pages:
        if page.number not in f.table.pages:
            continue
        boxes = [c.bbox for c in f.table.cells if c.page == page.number and c.bbox is not None]
        area = BBox.union(boxes)
        if area is None:
            continue
        for ln in page.lines:
            if ln.bbox is None:
                continue
            cy = (ln.bbox.top + ln.bbox.bottom) / 2
            dy, dx = TABLES.inside_slack_y, TABLES.inside_slack_x
            if area.top - dy <= cy <= area.bottom + dy and ln.bbox.x0 >= area.x0 - dx and ln.bbox.x1 <= area.x1 + dx:
                ln.in_table = True


def title_above(doc: Document, f: Found, furniture: set[int]) -> str | None:
    """The nearest body line above the table on its first page (its caption, usually)."""
    page = next((p for p in doc.pages if p.number == f.page), None)
    if page is None:
        return None
    above = [
        ln
        for ln in page.lines
        if ln.bbox is not None
        and ln.bbox.bottom <= f.bbox.top + TABLES.body_slack
        and id(ln) not in furniture
        and not ln.in_table
    ]
    return above[-1].text if above else None
