"""Borderless tables, the rows: wrapped label lines attached to their amount line, or rows read as bands of label
words when the rows are set apart by more space than the lines of one cell."""

from __future__ import annotations

from dataclasses import replace

from calpae.extract.geometry.lines import group_lines, line_box, make_line
from calpae.extract.numbers.cells import SplitLine, is_amount_row
from calpae.extract.settings import BANDS, BORDERLESS, DEFAULT_FONT_SIZE
from calpae.extract.tables.bands import (
    Band,
    assign_rows,
    band_bbox,
    band_texts,
    blocks,
    label_columns,
    label_words,
)
from calpae.extract.tables.borderless.items import (
    Item,
    Row,
    centred_beside,
    continues_title,
    is_row,
    label_column_text,
    row_split,
    runs_on,
    starts_lower,
)
from calpae.extract.tables.borderless.stream import texts_above
from calpae.models import Line, Word


def _attach_above(pending: list[Line], label_text: str, take_all: bool = False) -> list[Line]:
    """Pending lines that wrap into a row's label: needed when the label is empty or starts lower-case."""
    attach: list[Line] = []
    if take_all and not label_text:
        n = BORDERLESS.attach_lines
        attach, pending[:] = pending[-n:], pending[:-n]
        return attach
    if (
        label_text
        and not starts_lower(label_text)
        and not (pending and (runs_on(pending[-1].text) or _aside(label_text, pending[-1].text)))
    ):
        return attach
    while pending and len(attach) < BORDERLESS.attach_lines:
        attach.insert(0, pending.pop())
        if not starts_lower(attach[0].text) and not (pending and runs_on(pending[-1].text)):
            break
    return attach


def _aside(text: str, before: str) -> bool:
    """A label opening on a parenthesis under a line that ends no sentence ('… de l'aide sociale à l'enfance' /
    '(ASE)'): an aside closing the phrase above, never a label of its own."""
    return text.lstrip().startswith("(") and not before.rstrip().endswith((".", ":", ";"))


def build_rows(items: list[Item], header: list[Line], repeats: int | None = None) -> tuple[list[Row], list[Line]]:
    """Rows with wrapped label lines attached, and the header lines left above the first row.

    repeats: how many of the header lines head the table (the rest wrap into its first row's label); a later line
    repeating one of those is the header repeated after a page break, not a row's label."""
    rows: list[Row] = []
    pending: list[Line] = list(header)
    header_texts = {ln.text.strip() for ln in header[:repeats]}
    head: list[Line] = []
    for it in items:
        if it.fragment or (rows and it.line.text.strip() in header_texts) or (it.split and it.split.is_year_header()):
            continue
        if not (it.split and is_amount_row(it.split)):
            last = rows[-1] if rows else None
            if (
                not pending
                and last is not None
                and last.split is not None
                and (
                    starts_lower(it.line.text)
                    or continues_title(it.line.text)
                    or runs_on(_label_end(last))
                    or centred_beside(it.line, last.split.line)
                )
            ):
                rows[-1].label_lines.append(it.line)
                rows[-1].members.append(it.line)
            else:
                pending.append(it.line)
            continue
        attach = _attach_above(pending, label_column_text(it.split), take_all=bool(rows))
        if not attach and pending and centred_beside(pending[-1], it.line):
            attach = _centred_above(pending, it.line)
        if pending and not rows:
            head = pending
        elif pending:
            rows.append(_note_row(pending))
        pending = []
        rows.append(Row(label_lines=attach, split=it.split, members=attach + [it.line]))
    return rows, head


def _centred_above(pending: list[Line], amount: Line) -> list[Line]:
    """The pending lines of a label cell centred beside an amount line: the line overlapping it and those it
    continues (it starts lower-case, or the line above stops mid-phrase)."""
    attach = [pending.pop()]
    while (
        pending
        and len(attach) < BORDERLESS.attach_lines
        and (starts_lower(attach[0].text) or runs_on(pending[-1].text))
    ):
        attach.insert(0, pending.pop())
    return attach


def _label_end(row: Row) -> str:
    """The last line of a row's label as read so far: the lowest of its label lines and its amount line's label (an
    amount line standing alone between two label lines, centred beside them, says nothing)."""
    texts = [(ln.page or 0, ln.bbox.top if ln.bbox else 0.0, ln.text) for ln in row.label_lines]
    if row.split is not None and row.split.label_text:
        ln = row.split.line
        texts.append((ln.page or 0, ln.bbox.top if ln.bbox else 0.0, row.split.label_text))
    return max(texts)[2] if texts else ""


def _note_row(lines: list[Line]) -> Row:
    """A row without amounts: its first sentence is the label, later sentences stand in the amount columns."""
    label: list[Line] = [lines[0]]
    note: list[Line] = []
    for ln in lines[1:]:
        (note if note or not starts_lower(ln.text) else label).append(ln)
    return Row(label_lines=label, note=note, members=list(lines))


def wrap_above(stream: list[Item | None], start: int, first: SplitLine | None) -> list[Line]:
    """Lines above the first row that its label wraps from (fragments skipped)."""
    above: list[Line] = []
    i = start - 1
    while i >= 0 and len(above) < BORDERLESS.wrap_lines:
        it = stream[i]
        if it is None:
            break
        if not it.fragment:
            if it.split is not None:
                break
            above.insert(0, it.line)
        i -= 1
    if first is None:
        return []
    attach = _attach_above(above, label_column_text(first))
    if not attach and above and centred_beside(above[-1], first.line):
        attach = _centred_above(above, first.line)
    return attach


def _label_only(it: Item | None, page: int | None, amount_left: float) -> bool:
    """A stream line that may extend a band: same page, upright, all of it left of the amount columns."""
    if it is None or it.line.page != page or (it.split and is_amount_row(it.split)):
        return False
    upright = [w for w in it.line.words if w.upright]
    return bool(upright) and len(label_words(it.line, amount_left)) == len(upright)


def _extend(
    stream: list[Item | None], i: int, step: int, *, page: int | None, amount_left: float, edge: float, gap: float
) -> list[Line]:
    """Label-only lines next to the table (above: step -1, below: +1) that touch its first/last band, walking away
    from it."""
    out: list[Line] = []
    while 0 <= i < len(stream):
        it = stream[i]
        if it is None or not _label_only(it, page, amount_left):
            break
        box = it.line.bbox
        if box is None or (box.top - edge > gap if step > 0 else edge - box.bottom > gap):
            break
        out.append(it.line)
        edge = box.bottom if step > 0 else box.top
        i += step
    return out


def _repeated_heads(stream: list[Item | None], start: int, part: list[Item]) -> set[int]:
    """ids of the lines that repeat, at the top of a later page, a line standing just above the table's start
    (its header repeated after a page break): they are neither labels nor rows."""
    above = texts_above(stream, start)
    first_page = part[0].line.page
    out: set[int] = set()
    seen_row: set[int | None] = {first_page}
    for it in part:
        if is_row(it):
            seen_row.add(it.line.page)
        elif it.line.page not in seen_row and it.line.text.strip() in above:
            out.add(id(it.line))
    return out


def _runs_on_merged(bands: list[Band]) -> list[Band]:
    """A label-only band joined to the band above it when that one's text stops mid-phrase ('… financée par le' /
    'Département'): a label wrapped under its amount line in a table whose rows are no further apart than lines."""
    out: list[Band] = []
    for b in bands:
        prev = out[-1] if out else None
        if prev is not None and b.row is None and prev.page == b.page and b.words:
            lines = group_lines(prev.words, prev.page)
            if lines and runs_on(lines[-1].text):
                prev.words.extend(b.words)
                prev.bottom = max(prev.bottom, b.bottom)
                continue
        out.append(b)
    return out


def band_rows(
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
    sizes = sorted(w.size or DEFAULT_FONT_SIZE for w in all_words)
    gap = BANDS.gap_factor * (sizes[len(sizes) // 2] if sizes else DEFAULT_FONT_SIZE)
    first_top = min((w.bbox.top for w in label_words(part[0].line, amount_left)), default=line_box(part[0].line).top)
    up = _extend(stream, start - 1, -1, page=part[0].line.page, amount_left=amount_left, edge=first_top, gap=gap)
    last_bottom = max(
        (w.bbox.bottom for w in label_words(part[-1].line, amount_left)), default=line_box(part[-1].line).bottom
    )
    down = _extend(stream, end + 1, 1, page=part[-1].line.page, amount_left=amount_left, edge=last_bottom, gap=gap)
    lines = list(reversed(up)) + lines + down
    by_page: dict[int, list[Word]] = {}
    for ln in lines:
        by_page.setdefault(ln.page or 0, []).extend(label_words(ln, amount_left))
    bands = [b for page, words in sorted(by_page.items()) for b in blocks(words, page)]
    centres = []
    for it in amount_items:
        cells = row_split(it).cells
        top, bottom = min(c.bbox.top for c in cells), max(c.bbox.bottom for c in cells)
        centres.append((it.line.page or 0, (top + bottom) / 2))
    assigned = assign_rows(bands, centres)
    if assigned is None:
        return None
    bands = _runs_on_merged(assigned)
    spans = label_columns([w for b in bands for w in b.words])
    if not spans:
        return None
    rows: list[Row] = []
    for b in bands:
        texts = band_texts(b, spans)
        if b.row is None and " ".join(texts)[:1].islower():
            return None  # a lower-case block is a wrapped label cut off its row: bands do not hold here
        split = None if b.row is None else replace(row_split(amount_items[b.row]), label=[])
        member = amount_items[b.row].line if b.row is not None else make_line(b.words, b.page)
        rows.append(Row(split=split, members=[member], parts=texts, box=band_bbox(b)))
    return rows, spans, lines, (start - len(up))
