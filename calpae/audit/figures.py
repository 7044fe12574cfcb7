"""Every figure of a document accounted for: carried by a record, not data (notdata), or reported unread.

A figure is a number as the page writes it: found in each table cell, and in each line outside the tables, by the
number grammar (calpae.extract.find_numbers); digits the grammar does not take as a number (a date, an identifier,
a section number) are counted as not data. A figure is read when a record on the same page (text exports: the same
line) has its value and its place: the record's box holds the figure, or the figure's table made the record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from calpae.audit import notdata
from calpae.audit.stacked import stacked_figures
from calpae.extract import find_numbers, parse_number
from calpae.models import BBox, BudgetLine, Document, Extraction, FigureCount, Line, Table

TOKEN = re.compile(r"\S*\d\S*")  # a word holding a digit: one figure when the grammar reads no number in it
CODE_GROUP = 2  # digits of a group that continues a code ('0304 50 19 19', a phone number)
BOX_SLACK = 2.0  # points: a figure's centre this far outside a record's box is still inside it
ROW_FIGURES = 3  # data figures side by side, only spaces between them, outside the tables: a row of a table


@dataclass
class Figure:
    """One number on a page, where it is, and what became of it."""

    page: int | None
    line: int | None  # source line (text inputs)
    bbox: BBox | None
    text: str
    value: Decimal | None
    unit: str | None
    table_id: str | None = None
    reason: str | None = None  # why it is not data; None for data
    read: bool = False
    in_row: bool = False  # outside the tables, one of ROW_FIGURES figures side by side: a row of a table not found

    @property
    def is_data(self) -> bool:
        return self.reason is None


# --- figures of a document ---------------------------------------------------------------------------------------


CONTEXT_CHARS = 512  # characters of the line read on each side of a number (its cues are words next to it)


def _before(text: str, start: int) -> str:
    """The text before a number, as far as CONTEXT_CHARS; the whole of it when that much is blank (a number alone at
    the start of a cell padded with spaces is told apart from one after a label far on its left)."""
    window = text[max(0, start - CONTEXT_CHARS) : start]
    return window if window.strip() or start <= CONTEXT_CHARS else text[:start]


def _after(text: str, end: int, following: str) -> str:
    """The text after a number, as far as CONTEXT_CHARS, then the next line's when the line ends within it."""
    window = text[end : end + CONTEXT_CHARS]
    if window.strip() and len(text) - end > CONTEXT_CHARS:
        return window
    return text[end:] + (" " + following if following else "")


def figures_in(
    text: str, *, in_table: bool, following: str = ""
) -> list[tuple[int, int, Decimal | None, str | None, str | None, bool]]:
    """(start, end, value, unit, not-data reason, money) of every figure of a text: numbers, then the digit runs
    the grammar reads as no number (dates, identifiers, section numbers… or a piece of a wrapped amount).
    following: the next line's text, which may end a date or a reference this text breaks ('au 31' / 'décembre')."""
    out = []
    spans: list[tuple[int, int]] = []
    for parsed, a, b in find_numbers(text):
        spans.append((a, b))
        before = _before(text, a)
        after = _after(text, b, following)
        why = notdata.reason(parsed, before, after, in_table=in_table)
        if why is None and in_table and not notdata.is_money(parsed) and notdata.in_words(before, after):
            why = "label"  # a number inside a row label ('à moins de 30 minutes')
        out.append((a, b, parsed.value, parsed.unit, why, notdata.is_money(parsed)))
    code_end: int | None = None  # where the last code ended: its two-digit groups follow it ('04 68 11 22 33')
    next_span = 0  # spans are in text order and apart: one pointer finds the number a token is part of
    for m in TOKEN.finditer(text):
        while next_span < len(spans) and spans[next_span][1] <= m.start():
            next_span += 1
        if next_span < len(spans) and spans[next_span][0] < m.end():
            continue
        token = m.group()
        if code_end is not None and m.start() == code_end + 1 and token.isdigit() and len(token) <= CODE_GROUP:
            start = out[-1][0]
            out[-1] = (
                start,
                m.end(),
                None,
                None,
                notdata.code_kind(text[start : m.end()], text[m.end() : m.end() + CONTEXT_CHARS]),
                False,
            )
            code_end = m.end()
            continue
        kind = notdata.code_kind(token, text[m.end() : m.end() + CONTEXT_CHARS])
        piece = kind == "code" and (notdata.fragment(token) or (in_table and _alone_a_number(token)))
        why = None if piece else kind
        out.append((m.start(), m.end(), None, None, why, piece))
        code_end = None if piece else m.end()
    return sorted(out, key=lambda f: f[0])


def _alone_a_number(token: str) -> bool:
    """A word of a cell that is a number once read alone: a piece of a row of amounts the grammar could not cut
    (glued to a code with a leading zero, say), not a date, an identifier or a section number."""
    found = find_numbers(token)
    return len(found) == 1 and found[0][1] == 0 and found[0][2] == len(token) and not found[0][0].is_year


def _number_only(text: str) -> bool:
    p = parse_number(text) if text.strip() else None
    return p is not None and (p.value is not None or p.qualifier not in (None, "empty")) and not p.is_year


def _first_body_row(table: Table) -> int:
    """The first row holding a cell that is a number alone: rows above it are the table's header."""
    return min((c.row for c in table.cells if _number_only(c.text)), default=0)


def _label_columns(table: Table, first_body: int) -> set[int]:
    """Columns where a small number numbers a row: those whose body cells are mostly words (row labels, fiche
    titles: 'Sous total 3'), and those whose header names a number ('N° fiche', 'Action') over small numbers."""
    words: dict[int, int] = defaultdict(int)
    filled: dict[int, int] = defaultdict(int)
    head: dict[int, str] = defaultdict(str)
    for c in table.cells:
        if c.row < first_body:
            head[c.col] += " " + c.text
        elif c.text.strip():
            filled[c.col] += 1
            words[c.col] += bool(notdata.WORD.search(c.text)) and not _number_only(c.text)
    out = {col for col, n in filled.items() if 2 * words[col] > n}
    for col, text in head.items():
        if notdata.names_a_number(text) and all(
            notdata.small(c.text) for c in table.cells if c.col == col and c.row >= first_body and c.text.strip()
        ):
            out.add(col)
    return out


def _table_figures(doc: Document, table: Table) -> list[Figure]:
    first_body = _first_body_row(table)
    label_cols = _label_columns(table, first_body)
    out = []
    for cell in table.cells:
        found = figures_in(cell.text, in_table=True)
        one = sum(f[4] is None for f in found) <= 1  # a header or a label names one thing: many numbers are a row's
        for a, b, value, unit, why, money in found:
            if why is None and cell.row < first_body and not money and one and notdata.small(cell.text[a:b]):
                why = "heading"  # a number of a column header ('Effectif au 1er janvier 2019 (en milliers)')
            elif why is None and cell.col in label_cols and not money and one and notdata.small(cell.text[a:b]):
                why = "numbering"  # 'Sous total 3', a fiche number in the column of the row labels
            out.append(
                Figure(
                    page=cell.page or (table.pages[0] if table.pages else None),
                    line=cell.line_no,
                    bbox=cell.bbox,
                    text=cell.text[a:b],
                    value=value,
                    unit=unit,
                    table_id=table.id,
                    reason=why,
                )
            )
    return out


def _inside(bbox: BBox | None, box: BBox, slack: float = BOX_SLACK) -> bool:
    if bbox is None:
        return False
    cx, cy = (bbox.x0 + bbox.x1) / 2, (bbox.top + bbox.bottom) / 2
    return box.x0 - slack <= cx <= box.x1 + slack and box.top - slack <= cy <= box.bottom + slack


def _word_spans(line: Line) -> list[tuple[int, int, BBox]]:
    """Character span of each word in the line's text (PDF lines: the words joined by single spaces)."""
    out, pos = [], 0
    for w in line.words:
        at = line.text.find(w.text, pos)
        if at < 0:
            return []
        out.append((at, at + len(w.text), w.bbox))
        pos = at + len(w.text)
    return out


def _line_figures(doc: Document, cell_boxes: dict[int, list[BBox]], table_lines: set[int]) -> list[Figure]:
    """Figures of the lines outside tables: each number's box is the union of its words'."""
    heading_at = {(s.page, s.line_no) for s in doc.sections if s.line_no is not None} | {
        (s.page, round(s.top)) for s in doc.sections if s.top is not None
    }
    out = []
    for page in doc.pages:
        boxes = cell_boxes.get(page.number, [])
        for i, line in enumerate(page.lines):
            following = page.lines[i + 1].text if i + 1 < len(page.lines) else ""
            if line.line_no is not None and line.line_no in table_lines:
                continue
            spans = _word_spans(line)
            heading = (line.line_no is not None and (page.number, line.line_no) in heading_at) or (
                line.bbox is not None and (page.number, round(line.bbox.top)) in heading_at
            )
            found = figures_in(line.text, in_table=False, following=following)
            rows = _rows_of_figures(line.text, found)
            for k, (a, b, value, unit, why, _money) in enumerate(found):
                words = [box for x, y, box in spans if x < b and a < y]
                bbox = BBox.union(words) if words else line.bbox
                if words and all(any(_inside(w, cb, 0.0) for cb in boxes) for w in words):
                    continue  # counted with its table cell
                if line.furniture:
                    why = "furniture"  # page number, running header, prefecture stamp
                elif why is None and heading:
                    why = "heading"
                out.append(
                    Figure(page.number, line.line_no, bbox, line.text[a:b], value, unit, reason=why, in_row=k in rows)
                )
    return out


def _rows_of_figures(text: str, found: list[tuple]) -> set[int]:
    """Indexes of the data figures that stand ROW_FIGURES or more side by side, nothing but spaces between them
    ('1 759 1 648 1 533 1 612'): a sentence puts words between its numbers, a table's row does not."""
    out: set[int] = set()
    run: list[int] = []
    for k, f in enumerate(found):
        if f[4] is None and f[2] is not None and run and not text[found[run[-1]][1] : f[0]].strip():
            run.append(k)
            continue
        if len(run) >= ROW_FIGURES:
            out.update(run)
        run = [k] if f[4] is None and f[2] is not None else []
    if len(run) >= ROW_FIGURES:
        out.update(run)
    return out


def document_figures(doc: Document) -> list[Figure]:
    """Every figure of the document: the tables' cells, then the lines outside them."""
    figures: list[Figure] = []
    cell_boxes: dict[int, list[BBox]] = defaultdict(list)
    table_lines: set[int] = set()
    seen: set[tuple] = set()
    for table in doc.tables:
        for f in _table_figures(doc, table):
            key = _cell_key(f)
            if key is not None and key in seen:
                continue  # two tables read over one region (a page's table read twice) hold one figure, not two
            if key is not None:
                seen.add(key)
            figures.append(f)
        for c in table.cells:
            if c.bbox is not None and c.page is not None:
                cell_boxes[c.page].append(c.bbox)
        if doc.kind != "pdf" and table.line_start is not None:
            table_lines.update(range(table.line_start, (table.line_end or table.line_start) + 1))
    return _join_stacked(doc, figures + _line_figures(doc, cell_boxes, table_lines))


def _cell_key(f: Figure) -> tuple | None:
    """Where a cell's figure is printed: page, box and text (None without a box: a text export's line)."""
    if f.bbox is None or f.page is None:
        return None
    b = f.bbox
    return (f.page, round(b.x0), round(b.top), round(b.x1), round(b.bottom), f.text)


def _join_stacked(doc: Document, figures: list[Figure]) -> list[Figure]:
    """Amounts a text export wraps over two lines become one figure; their halves are pieces, not data. An amount
    a table's cell already holds whole (the reader joined its lines) is that cell's figure, not a second one."""
    stacked = stacked_figures(doc)
    if not stacked:
        return figures
    by_place: dict[tuple[int | None, int | None], list[Figure]] = defaultdict(list)
    for f in figures:
        by_place[(f.page, f.line)].append(f)
    joined = []
    whole_taken: set[int] = set()
    for s in stacked:
        whole = next(
            (
                f
                for f in by_place[(s.page, s.line)]
                if id(f) not in whole_taken and f.table_id is not None and f.value == s.value and f.is_data
            ),
            None,
        )
        if whole is not None:  # a table cell already holds the amount whole (the reader joined its two lines)
            whole_taken.add(id(whole))
            continue
        for line, half in ((s.line, s.head), (s.tail_line, s.tail)):
            piece = next(
                (f for f in by_place[(s.page, line)] if f.reason != "piece" and _digits(f.text) == _digits(half)), None
            )
            if piece is not None:
                piece.reason = "piece"
        joined.append(Figure(s.page, s.line, None, s.text, s.value, "EUR"))
    return figures + joined


# --- figures matched with records --------------------------------------------------------------------------------


@dataclass
class _Held:
    """A figure a record carries: its value and where the record says it is."""

    page: int | None
    line: int | None
    bbox: BBox | None
    value: Decimal
    table_id: str | None
    prose: bool = False  # read from a sentence
    used: bool = False


def wordless(line: BudgetLine) -> bool:
    """A table line of an action or a detail whose label (its action's, else its row's) holds figures, no word."""
    label = line.row_label if line.action is None else line.action
    return line.origin != "prose" and line.level in ("action", "detail") and notdata.figures_only(label)


def _held(ext: Extraction) -> list[_Held]:
    out = []
    for rec, value, prose in (
        # a line whose label is a run of figures (OCR took a row's amounts for its label) names no row: its
        # figure is not read
        *((b, b.amount, b.origin == "prose") for b in ext.budget_lines if not wordless(b)),
        *((v, v.value, v.origin == "prose") for v in ext.indicator_values),
        *((a, a.amount, True) for a in ext.amounts),
    ):
        if value is not None:
            p = rec.provenance
            out.append(_Held(p.page, p.line, p.bbox, value, getattr(rec, "table_id", None), prose))
    return out


def _same_value(a: Decimal | None, b: Decimal) -> bool:
    return a is not None and abs(a) == abs(b)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _tail_of(f: Figure, value: Decimal) -> bool:
    """The record took the end of the figure's digits, its first group read as the end of a label
    ('Plateforme Emploi 62 120 000 €': 62, then 120 000 €)."""
    tail, whole = _digits(format(abs(value), "f")).rstrip("0"), _digits(f.text).rstrip("0")
    return bool(tail) and whole != tail and whole.endswith(tail)


def mark_read(figures: list[Figure], ext: Extraction) -> None:
    """Set `read` on each figure a record carries (one record, one figure): first where the record's box holds
    the figure, then, for data figures, by the figure's table (a record placed on its row label)."""
    text_input = ext.document.kind != "pdf"
    by_place: dict[int | None, list[_Held]] = defaultdict(list)
    for h in _held(ext):
        by_place[h.line if text_input else h.page].append(h)
    for f in figures:  # a figure a record carries is read, even one the grammar took for a label's number
        for h in by_place.get(f.line if text_input else f.page, []):
            if h.used or not (_same_value(f.value, h.value) or _tail_of(f, h.value)):
                continue
            if h.prose and f.in_row:
                continue  # a row of a table read as a sentence: what each figure is was not read
            if text_input or (h.bbox and _inside(f.bbox, h.bbox)):
                h.used = f.read = True
                f.reason = None
                break
    data = [f for f in figures if f.is_data]
    held = [h for hs in by_place.values() for h in hs]
    for f in data:
        if f.read or f.table_id is None:
            continue
        for h in held:
            if not h.used and h.table_id == f.table_id and _same_value(f.value, h.value):
                h.used = f.read = True
                break


def count(figures: list[Figure]) -> FigureCount:
    return FigureCount(
        read=sum(f.read for f in figures),
        not_data=sum(not f.is_data for f in figures),
        unread=sum(f.is_data and not f.read for f in figures),
    )
