"""Wide tables of a monospace text export (pdftotext -layout of an office document) read by character columns.

A recap of many amount columns, exported as text, keeps each cell at its column's characters while its lines wrap:
labels over several lines centred on their row, amounts wrapped as '148 760,41' / '€' or '167' / '000,00 €', a header
stacked over ten lines. Read line by line, the label columns run together and the amounts lose their column. Here a
page whose lines hold TEXT_GRID.min_amount_columns amounts or more is read by columns: the fullest lines' amounts make
the amount columns (a few characters of drift allowed), the positions where label words start after a wide gap make
the label columns, each row gathers the amounts of a band of lines (one per column), each label column's lines go to
the row they stand beside, and each header phrase to the cell band it starts in. A grid whose fullest row lacks cells
(columns made of the export's drift) is left to the line reader (calpae.extract.tables.text_layout).
"""

from __future__ import annotations

import re

from calpae.extract.numbers.find import find_numbers
from calpae.extract.settings import TEXT_GRID
from calpae.extract.structure.gaps import is_gap
from calpae.extract.tables.cell_text import join_texts
from calpae.extract.tables.text_grid_pages import amount_count, append_page, continues, total_first
from calpae.extract.tables.text_grid_parts import (
    Amount,
    Column,
    GridRow,
    amount_columns,
    amount_rows,
    cell_bands,
    interleaved,
    label_columns,
    label_of,
    place_amounts,
    ranked_columns,
    rows_of_run,
    runs,
)
from calpae.extract.tables.text_header import HEADER_GUESSED, Phrase, match_header, unsure_amount
from calpae.extract.tables.text_stacked import stacked_amounts
from calpae.models import Cell, Line, Table

_DASH_ZERO = re.compile(r"(?<!\S)-\s?€(?!\S)")  # '-€', '- €': a zero in the accounting style
_WORD = re.compile(r"\S+")
_FICHE = re.compile(r"\d{1,2}\.\d{1,2}")  # an action's number ('2.1'), a cell of its own beside the action's title
_PHRASE = re.compile(r"\S+(?: \S+)*")  # words one space apart
_LETTERED = re.compile(r" (?=[A-F] [^\W\d_])")  # a space before a lone capital A–F and a word: a new cell
Span = tuple[int, int]
_NONE: set[str] = set()  # running texts are not gaps here: a header repeated on every page is still a header
_GROUPED = re.compile(r"\d[\s\u00a0\u202f]\d{3}|,\d{2}\b")
_WIDE = re.compile(r"\s{3}")  # a gap of three characters or more: between two cells, not inside a number
# an amount among a row's label words ('Outil partagé de suivi 115.000'): the export crowded it against its label, so
# one of the row's amount cells is empty and the others' sums do not hold
_AMOUNT_WORD = re.compile(r"\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d{1,2})?")  # one label word
LABEL_AMOUNT = "an amount of this row stood among its label words in the text export: its column is a guess"


def _amounts(lines: list[Line], page: int, tail_spans: dict[int, list[tuple[int, int]]]) -> dict[int, list[Amount]]:
    """Amount tokens per line index: money in euros or with decimals or groups, dash zeros, wrapped amounts joined."""
    out: dict[int, list[Amount]] = {}
    index = {ln.line_no: i for i, ln in enumerate(lines)}
    tails: set[tuple[int, int]] = set()
    for s in stacked_amounts(lines, page):
        i, j = index[s.line], index[s.tail_line]
        out.setdefault(i, []).append(Amount(i, s.span, s.text))
        tails.add((j, s.tail_span[0]))
        tail_spans.setdefault(j, []).append(s.tail_span)
    for i, ln in enumerate(lines):
        taken = [a.span for a in out.get(i, [])]
        text = _masked(ln.text, taken)  # a wrapped amount's head is no part of its neighbour's number
        for parsed, a, b in find_numbers(text):
            raw = text[a:b]
            money = parsed.unit == "EUR" or bool(_GROUPED.search(raw))
            if not money or parsed.value is None or parsed.is_year or (i, a) in tails or _WIDE.search(raw):
                continue  # (a dash ending a label and a unit three columns over are no amount: '10 -     €')
            if any(x < b and a < y for x, y in tail_spans.get(i, [])):
                continue  # a piece of a wrapped amount's tail (',67 €' read as '67 €')
            if any(x < b and a < y for x, y in taken):
                continue
            out.setdefault(i, []).append(Amount(i, (a, b), raw))
            taken.append((a, b))
        for m in _DASH_ZERO.finditer(ln.text):
            if not any(x < m.end() and m.start() < y for x, y in taken):
                out.setdefault(i, []).append(Amount(i, m.span(), m.group()))
        if i in out and not out[i]:
            del out[i]
    return out


def _header_start(lines: list[Line], end: int) -> int:
    """Index of the first header line above index end (exclusive): indented or gapped lines, up to two blanks."""
    start, blanks = end, 0
    for i in range(end - 1, -1, -1):
        ln = lines[i]
        t = ln.text
        if not t.strip():
            blanks += 1
            if blanks >= TEXT_GRID.header_blanks:
                break
            continue
        if is_gap(ln, _NONE):
            break
        if not (t.startswith("  ") or "   " in t.strip()):
            break
        start, blanks = i, 0
    return start


def _extent(
    lines: list[Line], body: tuple[int, int], left: int, amounts: dict[int, list[Amount]], tails: dict[int, list[Span]]
) -> tuple[int, int, int]:
    """(header start, body top, body bottom): the header ends at the last line above the body with words over the
    amount columns; the body runs down through label lines (and the tails of wrapped amounts) up to a blank, a stamp
    or words over the amounts."""
    top, bottom = body
    amounts = {i: am + [Amount(i, span, "") for span in tails.get(i, [])] for i, am in amounts.items()} | {
        i: [Amount(i, span, "") for span in spans] for i, spans in tails.items() if i not in amounts
    }
    while top > 0 and not _words_right_of(lines[top - 1].text, left, amounts.get(top - 1, [])):
        if is_gap(lines[top - 1], _NONE) and lines[top - 1].text.strip():
            break
        top -= 1
    while bottom + 1 < len(lines) and lines[bottom + 1].text.strip() and not is_gap(lines[bottom + 1], _NONE):
        if _words_right_of(lines[bottom + 1].text, left, amounts.get(bottom + 1, [])):
            break
        bottom += 1
    return _header_start(lines, top), top, bottom


def _place_labels(
    texts: dict[int, str], left: int, label_cols: list[Column], rows: list[GridRow], amounts: list[Amount]
) -> None:
    """Each label column's words to the rows they stand beside, run by run. The export sets each row block at its own
    offset: a label line's words are those starting left of the first amount of its own lines (within
    TEXT_GRID.max_lines_apart), whole up to the first amount of its line ('individuelles jeunes', not 'jeu', where
    another row's amounts start further left)."""
    pieces: dict[int, dict[int, list[str]]] = {}  # label column → line index → its words on that line
    starts: dict[int, int] = {}
    for a in amounts:
        starts[a.line] = min(starts.get(a.line, a.span[0]), a.span[0])
    reach = TEXT_GRID.max_lines_apart
    for i, text in texts.items():
        near = [starts[j] for j in range(i - reach, i + reach + 1) if j in starts]
        limit = max(left, min(near, default=left))
        after: tuple[int, int] | None = None  # (column, end) of an action's number opening its cell on this line
        moved: int | None = None  # the column whose words on this line go to the next one
        for m in _WORD.finditer(text[: starts.get(i, len(text))]):
            if m.start() >= limit:
                break
            if m.group() == "€":
                continue  # a wrapped amount's unit on a line of its own, left of the amounts of the lines near
            k = label_of(label_cols, m.start()) if label_cols else 0
            if k == moved or (after is not None and after == (k, m.start() - 1) and k + 1 < len(label_cols)):
                moved, k = k, k + 1  # the title crowded one space after its action's number ('2.1 premier
                # accueil', the title's other lines at its own column's edge): the title's words
            after = (k, m.end()) if _FICHE.fullmatch(m.group()) else None
            pieces.setdefault(k, {}).setdefault(i, []).append(m.group())
    for k, by_line in pieces.items():
        for run in runs(sorted(by_line)):
            for i, r in rows_of_run(run, rows, by_line):
                rows[r].labels.setdefault(k, []).extend((i, w) for w in by_line[i])


def _label_amounts(rows: list[GridRow], first: int, lines: list[Line]) -> None:
    """An amount the export crowded against its row's label ('Outil partagé de suivi 115.000', its unit '€' under the
    column's edge): the last label word of its line, its row's first amount column empty. It is that column's
    amount, read unsure (where it stands is the label's, not the column's)."""
    for row in rows:
        if first in row.cells:
            continue
        last: dict[int, tuple[int, int]] = {}  # line index → (label column, position in its words) of its last word
        for k in sorted(row.labels):
            for n, (i, _) in enumerate(row.labels[k]):
                last[i] = (k, n)
        found = [(i, k, n) for i, (k, n) in last.items() if _AMOUNT_WORD.fullmatch(row.labels[k][n][1])]
        if len(found) != 1:
            continue
        i, k, n = found[0]
        word = row.labels[k].pop(n)[1]
        at = lines[i].text.find(" " + word) + 1
        row.cells[first] = Amount(i, (at, at + len(word)), word, first, LABEL_AMOUNT)


def _header(
    lines: list[Line], span: tuple[int, int], bands: list[tuple[float, float]], columns: list[Column]
) -> tuple[dict[int, list[tuple[int, str]]], set[int]]:
    """Header phrases by column, and the amount columns whose header is a guess: cells of stacked phrases matched to
    the columns in order (text_header), else each phrase by the column band it starts in (every amount column's
    header then a guess)."""
    phrases = [
        Phrase(i, start, start + len(text), text)
        for i in range(*span)
        if not is_gap(lines[i], _NONE)
        for start, text in _phrases(lines[i].text)
    ]
    labels = sum(1 for c in columns if not c.amounts)
    matched = match_header(phrases, bands, [(c.lo, c.hi) for c in columns], labels)
    if matched is not None:
        return matched.by_column, matched.doubtful
    header: dict[int, list[tuple[int, str]]] = {}
    for p in phrases:
        k = next((k for k, (lo, hi) in enumerate(bands) if lo <= p.lo < hi), len(bands) - 1)
        header.setdefault(k, []).append((p.line, p.text))
    return header, set(range(labels, len(columns))) if phrases else set()


def _grid_on_page(lines: list[Line], page: int, before: Table | None) -> Table | None:
    """The page's wide table read by columns; also one under no header of its own where it continues the table
    before (begun on the page before, which the export continues without repeating its header)."""
    tail_spans: dict[int, list[tuple[int, int]]] = {}  # the second lines of wrapped amounts: no label words
    amounts = _amounts(lines, page, tail_spans)
    dense = [i for i, am in amounts.items() if TEXT_GRID.min_amount_columns <= len(am) <= TEXT_GRID.max_columns]
    if not dense:
        return None
    first, last = min(dense), max(dense)
    body_first = min(i for i in amounts if i >= first - TEXT_GRID.max_lines_apart)
    body_last = max(i for i in amounts if i <= last + TEXT_GRID.max_lines_apart)
    flat = [a for i, am in amounts.items() if body_first <= i <= body_last for a in am]
    amount_cols = amount_columns([a for i in dense for a in amounts[i]])
    if amount_cols is not None:
        place_amounts(flat, amount_cols, set(dense))
    fullest = _fullest(flat) if amount_cols is not None else 0
    known = amount_count(before) if before is not None else None
    if amount_cols is None or fullest < len(amount_cols) or (known is not None and len(amount_cols) < known):
        clustered = [a.col for a in flat]
        clustered_full = _full_rows(flat, fullest)
        lacking = amount_cols is None or _lacking(flat, amount_cols)
        body_amounts = {i: am for i, am in amounts.items() if body_first <= i <= body_last}
        paired = interleaved(body_amounts)
        if _fuller(paired, body_amounts):
            body_amounts = paired  # each row's amounts on two lines, none full alone
        wide = [i for i, am in body_amounts.items() if TEXT_GRID.min_amount_columns <= len(am) <= TEXT_GRID.max_columns]
        ranked = ranked_columns(body_amounts, wide, known)
        if amount_cols is None or lacking:
            if ranked is None:
                return None
            amount_cols = ranked
        elif ranked is not None and (
            (len({len(amounts[i]) for i in dense}) == 1 and _fullest(flat) == len(ranked))
            or _drift_by_rank(ranked, flat, fullest, clustered_full)
        ):
            amount_cols = ranked  # every full line holds one amount per ranked column, none fills the clustered
            # ones: those are the export's drift (a row's amounts set a few characters apart from the next row's);
            # or a column more than any row fills, the rows as full by rank: the extra column is made of crowded
            # rows' amounts the export set a column left of their own (a recap sub-total's wrapped cells)
        elif ranked is not None and len(ranked) == known and len(amount_cols) < known:
            amount_cols = ranked  # fewer columns than the table this page continues: no line holds a row's zeros
            # ('-€' on the wrapped amounts' second line) with its other amounts, the lines together do
        else:
            for a, col in zip(flat, clustered, strict=True):
                a.col = col
    left = amount_cols[0].lo
    header_start, top, bottom = _extent(lines, (body_first, body_last), left, amounts, tail_spans)
    header_start = _below_title(lines, header_start, top, left)
    headless = header_start == top or _names_no_column(lines[header_start:top], left)
    if headless and before is None:
        return None
    body = [i for i in range(top, bottom + 1) if not is_gap(lines[i], _NONE)]
    texts = {i: _masked(lines[i].text, tail_spans.get(i, [])) for i in body}
    n_text = len([i for i in body if lines[i].text.strip()])
    label_cols = label_columns(list(texts.values()), left, n_text, few=headless)
    for a in flat:
        a.col += len(label_cols)
    rows = amount_rows(flat)
    if max(len(r.cells) for r in rows) < len(amount_cols) - TEXT_GRID.missing_cells:
        return None  # no row fills every column: the columns are the export's drift, not the table's
    _place_labels(texts, left, label_cols, rows, flat)
    _label_amounts(rows, len(label_cols), lines)
    bands = cell_bands(label_cols, amount_cols, flat)
    header, doubtful = _header(lines, (header_start, top), bands, label_cols + amount_cols)
    table = _table(lines, label_cols + amount_cols, rows, (header, doubtful), (header_start, bottom))
    if headless and not (before is not None and continues(before, table)):
        return None
    for i in range(header_start, bottom + 1):
        lines[i].in_table = True
    return table


def _below_title(lines: list[Line], start: int, top: int, left: int) -> int:
    """The header's first line, below a title line: a lone phrase over the edge between the label columns and the
    amount columns (a table's title is centred on the whole table; a header cell, or a group cell such as
    'Financement 2022', stands over label columns or over amount columns), when header lines follow it."""
    while start < top:
        phrases = _phrases(lines[start].text)
        if not phrases:
            start += 1
            continue
        if len(phrases) != 1 or not (phrases[0][0] < left < phrases[0][0] + len(phrases[0][1])):
            return start
        rest = [i for i in range(start + 1, top) if lines[i].text.strip()]
        if not rest:
            return start
        start += 1
    return start


def _names_no_column(header: list[Line], left: int) -> bool:
    """Lines above the body with one phrase at most over the amount columns: the page's running head or a title and
    a stamp, no header (a header names the amount columns, one phrase each at least)."""
    return sum(1 for ln in header for start, _ in _phrases(ln.text) if start >= left) < 2


def _lacking(amounts: list[Amount], columns: list[Column]) -> bool:
    """Columns made of the export's drift: no row of the amounts fills every column but TEXT_GRID.missing_cells."""
    return _fullest(amounts) < len(columns) - TEXT_GRID.missing_cells


def _drift_by_rank(ranked: list[Column], flat: list[Amount], fullest: int, clustered_full: int) -> bool:
    """A recap's columns by rank as many as its fullest row's cells, leaving as many rows full as the clustered
    columns do (the extra clustered column only crowded rows fill). Money only: an indicator table's counts stand
    in columns of their own width, where the clusters hold."""
    return len(ranked) == fullest and _full_rows(flat, fullest) >= clustered_full and _money(flat)


_MONEY = re.compile(r"€|,\d\d(?!\d)")


def _money(amounts: list[Amount]) -> bool:
    """Most amounts written as money (a euro sign, or cents): a recap's, not an indicator table's counts and rates."""
    return 2 * sum(1 for a in amounts if _MONEY.search(a.text)) >= len(amounts)


def _full_rows(amounts: list[Amount], n: int) -> int:
    """Rows of the amounts, as their columns are set, that hold n cells."""
    return sum(1 for r in amount_rows(amounts) if len(r.cells) == n)


def _fullest(amounts: list[Amount]) -> int:
    """The cells of the fullest row of the amounts, as their columns are set."""
    return max(len(r.cells) for r in amount_rows(amounts))


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The line with the second halves of wrapped amounts blanked: they are amounts, not label words."""
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _phrases(text: str) -> list[tuple[int, str]]:
    """A header line's cell texts and where each starts. Words one space apart are one cell's, except where a line
    crowded by the export runs cells together: a lone capital letter before a word opens a lettered column's cell
    ('Intitulé de l'action A Crédits État B Crédits' is three). Words drift right in a crowded line, their starts
    after a wide gap do not: a cell is placed by its start."""
    out: list[tuple[int, str]] = []
    for m in _PHRASE.finditer(text):
        pieces = _LETTERED.split(m.group())
        at = m.start()
        for piece in pieces:
            if piece.strip():
                out.append((at, piece.strip()))
            at += len(piece)
    return out


def _words_right_of(text: str, left: int, amounts: list[Amount]) -> bool:
    """A line with words starting over the amount columns that are no amount (a header's, not a wrapped amount's '€'; a
    label's last word may run a character or two past the amounts' left edge)."""
    covered = [a.span for a in amounts]
    for m in _WORD.finditer(text):
        if m.start() < left or m.group() in ("€", "-€", "-"):
            continue
        if not any(x <= m.start() and m.end() <= y for x, y in covered):
            return True
    return False


def _joined(words: list[tuple[int, str]]) -> str:
    """Words gathered from several lines: one text line per source line, wrapped lines joined as a cell's."""
    by_line: dict[int, list[str]] = {}
    for i, w in words:
        by_line.setdefault(i, []).append(w)
    return join_texts([" ".join(ws) for _, ws in sorted(by_line.items())])


def _table(
    lines: list[Line],
    columns: list[Column],
    rows: list[GridRow],
    head: tuple[dict[int, list[tuple[int, str]]], set[int]],
    extent: tuple[int, int],
) -> Table:
    start, end = extent
    header, doubtful = head
    cells = [
        Cell(row=0, col=k, text=_joined(header.get(k, [])), page=lines[start].page, line_no=lines[start].line_no)
        for k in range(len(columns))
    ]
    for r, row in enumerate(rows, start=1):
        anchor = lines[row.first]
        texts = total_first({k: _joined(ws) for k, ws in row.labels.items()})
        for k in range(len(columns)):
            if k in row.cells:
                a = row.cells[k]
                ln = lines[a.line]
                why = unsure_amount(a.text) or (HEADER_GUESSED if k in doubtful else None) or a.unsure
                cells.append(Cell(row=r, col=k, text=a.text, page=ln.page, line_no=ln.line_no, unsure=why))
            else:
                words = row.labels.get(k, [])
                at = lines[words[0][0]] if words else anchor
                cells.append(Cell(row=r, col=k, text=texts.get(k, ""), page=at.page, line_no=at.line_no))
    return Table(
        id="",
        source="text_layout",
        pages=sorted({p for i in range(start, end + 1) if (p := lines[i].page) is not None}),
        line_start=lines[start].line_no,
        line_end=lines[end].line_no,
        n_rows=len(rows) + 1,
        n_cols=len(columns),
        cells=cells,
        title=_title(lines, start),
    )


def _title(lines: list[Line], start: int) -> str | None:
    for ln in reversed(lines[max(0, start - TEXT_GRID.title_reach) : start]):
        if ln.text.strip() and not ln.furniture:
            return ln.text.strip()
    return None


def find_grid_tables(lines: list[Line]) -> list[Table]:
    """Wide amount tables of a text export's pages read by character columns; marks their lines in_table."""
    if any(ln.words for ln in lines):
        return []  # PDF pages place words by geometry: their own readers
    by_page: dict[int | None, list[Line]] = {}
    for ln in lines:
        if not ln.in_table:
            by_page.setdefault(ln.page, []).append(ln)
    tables: list[Table] = []
    for page, page_lines in by_page.items():
        if page is None:
            continue
        table = _grid_on_page(page_lines, page, tables[-1] if tables else None)
        if table is None:
            continue
        if tables and continues(tables[-1], table):
            append_page(tables[-1], table)
        else:
            tables.append(table)
    return tables


def _fuller(paired: dict[int, list[Amount]], single: dict[int, list[Amount]]) -> bool:
    """True when lines taken two by two hold more amounts than any line alone, on as many rows at least as the
    fullest single lines: every row's amounts on two lines. A few rows wrapped so (sub-totals whose cents fall to
    the next line) beside rows full on one line say nothing: pairing them would count more columns than there are."""
    most = max(len(am) for am in paired.values())
    alone = max(len(am) for am in single.values())
    if most <= alone:
        return False
    return sum(1 for am in paired.values() if len(am) == most) >= sum(1 for am in single.values() if len(am) == alone)
