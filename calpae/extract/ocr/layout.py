"""Borderless tables rebuilt from OCR words, the geometry: amount columns from right-aligned numbers, the header band
above
them, row bands from the amounts, wrapped labels joined, each cell's amount re-assembled from its pieces.

Born-digital readers expect one word per amount and clean baselines; OCR gives neither ("203", "000", "€" with
wandering boxes, digits misread). Here columns come from the x-alignment of amount ends over many lines, so a
cell is whatever lies between two column edges, and its digits are re-joined in the column's own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from calpae.extract.ocr.stray import is_stamp_line
from calpae.extract.settings import OCR_TABLE
from calpae.models import BBox, Line, Word

S = OCR_TABLE
CONFUSABLE = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "S": "5",
        "s": "5",
        "$": "5",
        "l": "1",
        "I": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "B": "8",
        "Z": "2",
        "z": "2",
        "G": "6",
        "g": "9",
        "q": "9",
        "ù": "0",
        "û": "0",
        "%": "6",
        "T": "7",
    }
)
NUMERIC = set("0123456789 .,€-–—")


@dataclass
class OcrCell:
    """One amount cell: its words, the amount read (Decimal or None) and the text given to the table."""

    words: list[Word]
    value: Decimal | None = None
    text: str = ""
    repaired: str | None = None  # value set by the table's sums, not as read: what OCR had read
    bbox: BBox | None = None  # where a cell filled from the sums lies (it has no words)
    guessed: str | None = None  # what of the value OCR did not see but the column's format supplied
    doubt: str | None = None  # a re-read of the cell that disagrees with it (see ocr.confirm)
    rereads: list[Decimal] = field(default_factory=list)  # the value that re-read gave (what a doubt allows)
    confirmed: str | None = None  # re-reads that all read its value surely, though the first pass was unsure

    def unsure(self) -> str | None:
        """Why OCR was unsure of this cell's amount (None when it was read with confidence): nothing read, a word
        read with low confidence (or readings that disagree), or a part the column's format supplied."""
        if self.value is None:
            return "nothing read"
        if self.confirmed:
            return self.doubt
        conf = min((w.confidence for w in self.words if w.confidence is not None), default=None)
        if conf is not None and conf < S.sure_conf:
            return f"OCR confidence {conf:.0f}"
        return self.guessed or self.doubt


@dataclass
class OcrRow:
    """One table row: its label words per label column and its amount cells per amount column."""

    top: float
    bottom: float
    labels: list[list[Word]] = field(default_factory=list)
    cells: dict[int, OcrCell] = field(default_factory=dict)

    def label(self, k: int) -> str:
        return " ".join(w.text for w in reading_order(self.labels[k]))  # line by line, not by each word's top


def numeric_share(text: str) -> float:
    """Share of a word's characters that amounts are written with (digits read through common confusions)."""
    if not text:
        return 0.0
    mapped = text.translate(CONFUSABLE)
    return sum(ch in NUMERIC for ch in mapped) / len(mapped)


def is_amount_word(w: Word) -> bool:
    """A word that is (a piece of) an amount: mostly digits, separators and '€', or a dash standing for zero."""
    t = w.text.strip()
    if not t:
        return False
    if t in {"-", "–", "—", "€", "-€", "—€", "–€"}:
        return True
    if (not any(ch.isdigit() for ch in t) and "€" not in t) or "/" in t:
        return False
    return numeric_share(t) >= S.amount_share


def is_amount_run(run: list[Word]) -> bool:
    """A run of amount words that reads as money, not as a year, a date, a list number or a code ('2019', '3.1',
    '0304 50 19 19 01')."""
    text = "".join(w.text for w in run)
    core = text.strip(" -–—.,:;()")
    if re.fullmatch(r"(19|20)\d\d", core):
        return False
    if re.match(r"0\d", run[0].text.strip(" -–—.,:;()")) and not re.search(r",\d{2}\s*€|€$", text):
        return False  # a leading zero ('0304 50 19 19 01', a Chorus code): amounts are never written so (but the
        # wrapped end of one is, its cents or its euro sign after it: '000,00 €' under '997')
    if re.fullmatch(r"[-–—]?€", text.strip(" .,:;")):
        return True
    groups = re.findall(r"\d+", " ".join(w.text for w in run).split(",")[0])
    if any(len(g) < 3 for g in groups[1:-1]):
        return False  # a group of one or two digits between two others ('3304 50 19 19', a Chorus code whose
        # leading zero OCR misread): an amount's groups after its first are of three (a wrap may cut its last only)
    return sum(ch.isdigit() for ch in text.translate(CONFUSABLE)) >= S.run_digits


def _height(words: list[Word]) -> float:
    return median(w.bbox.bottom - w.bbox.top for w in words) if words else S.default_height


def _amount_word_runs(line: list[Word], gap: float, money_only: bool = True) -> list[list[Word]]:
    """Runs of amount words on one line, words closer than `gap` joined (an amount's pieces); with `money_only`
    False also the runs that read as no amount whole (two columns' amounts run together, '144' '72 000,00': a
    group of two between two others), for the caller to cut at the column edges before it judges the pieces."""
    runs: list[list[Word]] = []
    for w in sorted(line, key=lambda w: w.bbox.x0):
        if not is_amount_word(w):
            runs.append([])
            continue
        if runs and runs[-1] and w.bbox.x0 - runs[-1][-1].bbox.x1 <= gap and not _ends_amount(runs[-1][-1], w):
            runs[-1].append(w)
        else:
            runs.append([w])
    return [r for r in runs if r and (is_amount_run(r) or not money_only)]


_CLOSED = re.compile(r"(?:€|,\d{2})$")  # an amount's last piece: its euro sign or its cents
_OPEN_CENTS = re.compile(r",\d?$")  # a decimal comma whose cents are still to come (wrapped below, or one digit)


def _ends_amount(prev: Word, nxt: Word) -> bool:
    """True when by the number grammar `nxt` cannot continue the amount `prev` is the last piece of so far, however
    close: `prev` closed it (its '€', its two cents) and `nxt` starts with digits, or `prev` opened its cents and
    `nxt` starts with three digits, which cents never are ('13 797,' then the next column's '137 000' in a narrow
    table whose columns stand 4 points apart)."""
    a, b = prev.text.strip(), nxt.text.strip()
    if not b[:1].isdigit():
        return False
    if _CLOSED.search(a):
        return True
    if _OPEN_CENTS.search(a):  # only cents may follow: '51.374,' is the next column's amount, not them
        return not _CENTS_AFTER.match(b)
    return bool(_DOT_GROUPED.search(a) and _GROUPED.match(b))


_CENTS_AFTER = re.compile(r"\d{1,2}(?:\s*€)?$")
_DOT_GROUPED = re.compile(r"\d\.\d{3}$")  # an integer part grouped by dots ('302.000'): its groups are never spaced
_GROUPED = re.compile(r"\d{1,3}[.,]\d")  # …so a number with its own separator after it is the next column's


def column_edges(lines: list[list[Word]]) -> list[float]:
    """Right edges (x) of the amount columns: run ends aligned over at least S.min_rows lines."""
    words = [w for ln in lines for w in ln if is_amount_word(w)]
    if not words:
        return []
    h = _height(words)
    ends: list[tuple[float, int]] = []
    for i, ln in enumerate(lines):
        ends.extend((max(w.bbox.x1 for w in run), i) for run in _amount_word_runs(ln, S.run_gap * h))
    groups: list[list[tuple[float, int]]] = []
    for end in sorted(ends):
        if groups and end[0] - groups[-1][-1][0] <= S.right_tol * h:
            groups[-1].append(end)
        else:
            groups.append([end])
    return [median(x for x, _ in g) for g in groups if len({i for _, i in g}) >= S.min_rows]


def _add_short_pieces(rows: list[OcrRow], loose: list[Word], edges: list[float], left: float, h: float) -> None:
    """Amount words too short to make a run of their own ('06 €', '0 €', ',42 €': fewer digits than a run needs)
    put in the cell of their column on their row: inside a row's band, or on the line below its band where they
    end the cell's amount by the number grammar (cents or groups wrapped under a narrow column's head)."""
    tol = S.member_tol * h
    for w in sorted(loose, key=lambda w: (w.bbox.top, w.bbox.x0)):
        if not is_amount_word(w) or w.bbox.x1 <= left or not any(ch.isdigit() or ch in "€" for ch in w.text):
            continue
        k = _edge_column_of(w, edges, tol)
        if k is None:
            continue
        cy = (w.bbox.top + w.bbox.bottom) / 2
        inside = next((r for r in rows if r.top - S.row_tol * h <= cy <= r.bottom + S.row_tol * h), None)
        if inside is not None:
            inside.cells.setdefault(k, OcrCell(words=[])).words.append(w)
            continue
        above = [r for r in rows if r.bottom < cy <= r.bottom + (S.wrap_gap + 1) * h and k in r.cells]
        if above:
            cell = above[-1].cells[k]
            head = " ".join(v.text for v in reading_order(cell.words)).rsplit("€", 1)[-1].strip()
            if head and "€" not in " ".join(v.text for v in cell.words) and _is_wrapped_end(head, w.text.strip()):
                cell.words.append(w)
                above[-1].bottom = max(above[-1].bottom, w.bbox.bottom)


def _split_at_edges(run: list[Word], edges: list[float], tol: float) -> list[list[Word]]:
    """A run of amount words cut where one word ends at a column edge and the next starts past it: two amounts of
    neighbouring columns that stand closer than the gap between an amount's pieces on this line ('12715' '167 100'
    in a narrow recap), told apart by the edges the other lines align on."""
    pieces: list[list[Word]] = [[run[0]]]
    for prev, w in zip(run, run[1:], strict=False):
        if any(abs(prev.bbox.x1 - e) <= tol and w.bbox.x0 > e for e in edges):
            pieces.append([w])
        else:
            pieces[-1].append(w)
    return [p for p in pieces if is_amount_run(p)]


def _cluster_rows(words: list[Word], h: float) -> list[list[Word]]:
    """Amount words grouped into visual rows by their vertical centres."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bbox.top + w.bbox.bottom) / 2):
        cy = (w.bbox.top + w.bbox.bottom) / 2
        if rows and cy - median((v.bbox.top + v.bbox.bottom) / 2 for v in rows[-1]) <= S.row_tol * h:
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _edge_column_of(w: Word, edges: list[float], tol: float) -> int | None:
    """Index of the amount column a word lies in: the first edge at or right of its right end."""
    for k, e in enumerate(edges):
        if w.bbox.x1 <= e + tol:
            lo = edges[k - 1] + tol if k else float("-inf")
            return k if w.bbox.x1 > lo else None
    return None


def _label_columns(words: list[Word], h: float) -> list[tuple[float, float]]:
    """x-intervals of the label columns: the union of label words' extents, split at wide white gaps."""
    spans: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.bbox.x0):
        if spans and w.bbox.x0 - spans[-1][1] <= S.label_gap * h:
            spans[-1][1] = max(spans[-1][1], w.bbox.x1)
        else:
            spans.append([w.bbox.x0, w.bbox.x1])
    return [(a, b) for a, b in spans]


def _place_labels(
    rows: list[OcrRow], label_cols: list[tuple[float, float]], label_words: list[Word], lead: list[Word]
) -> None:
    """Each label word in the label column it starts in, on the nearest row; `lead` words on the first row."""
    for row in rows:
        row.labels = [[] for _ in label_cols]
    h = _height(label_words) if label_words else S.default_height
    # where every row's label starts on its amounts' line (cells aligned to their top, the first row's label no
    # higher than its amounts), a label's wrapped lines below its amounts are its own, not the next row's
    top_aligned = not lead and all((w.bbox.top + w.bbox.bottom) / 2 >= rows[0].top - h / 2 for w in label_words)
    touching = _touching_rows(rows, label_cols, label_words, h)
    centred = _centred_rows(rows, label_cols, label_words, h)
    for w in label_words + lead:
        cy = (w.bbox.top + w.bbox.bottom) / 2
        if any(w is v for v in lead):
            row = rows[0]
        elif id(w) in centred:
            row = centred[id(w)]
        elif id(w) in touching:
            row = touching[id(w)]
        elif top_aligned:
            row = next((r for r in reversed(rows) if r.top - h / 2 <= cy), rows[0])
        else:
            row = _nearest(rows, w)
        k = next(
            (i for i, (a, b) in enumerate(label_cols) if a - S.label_col_slack <= w.bbox.x0 <= b + S.label_col_slack),
            len(label_cols) - 1,
        )
        row.labels[k].append(w)


def _touching_rows(
    rows: list[OcrRow], label_cols: list[tuple[float, float]], words: list[Word], h: float
) -> dict[int, OcrRow]:
    """The row each label line between two rows belongs to where its column's lines there make one block that
    touches only one of the two rows' lines: cells aligned to their foot put a label's first lines above its
    amounts, cells aligned to their top its last lines below them; the nearest row would split such a label."""
    out: dict[int, OcrRow] = {}
    for upper, lower in zip(rows, rows[1:], strict=False):
        lo, hi = upper.bottom + h / 2, lower.top - h / 2
        for a, b in label_cols:
            inside = sorted(
                (
                    w
                    for w in words
                    if lo < (w.bbox.top + w.bbox.bottom) / 2 < hi
                    and a - S.label_col_slack <= w.bbox.x0 <= b + S.label_col_slack
                ),
                key=lambda w: w.bbox.top,
            )
            if not inside:
                continue
            blocks: list[list[Word]] = [[inside[0]]]
            for w in inside[1:]:
                if w.bbox.top - max(v.bbox.bottom for v in blocks[-1]) > S.block_gap * h:
                    blocks.append([w])
                else:
                    blocks[-1].append(w)
            for block in blocks:
                above = min(w.bbox.top for w in block) - upper.bottom <= S.block_gap * h
                below = lower.top - max(w.bbox.bottom for w in block) <= S.block_gap * h
                if above != below:
                    out.update((id(w), upper if above else lower) for w in block)
    return out


def _column_blocks(words: list[Word], a: float, b: float, h: float) -> list[list[list[Word]]]:
    """The label lines of one label column (words starting in it), as blocks of lines no wider white apart than
    S.block_gap word heights: one cell's lines, or the cells of rows set without white between them."""
    inside = [w for w in words if a - S.label_col_slack <= w.bbox.x0 <= b + S.label_col_slack]
    blocks: list[list[list[Word]]] = []
    for line in reading_lines(inside):
        top = min(w.bbox.top for w in line)
        if blocks and top - max(w.bbox.bottom for w in blocks[-1][-1]) <= S.block_gap * h:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _centre(ws: list[Word]) -> float:
    return (min(w.bbox.top for w in ws) + max(w.bbox.bottom for w in ws)) / 2


def _rows_in(rows: list[OcrRow], block: list[list[Word]], h: float) -> list[OcrRow]:
    top, bottom = min(w.bbox.top for w in block[0]), max(w.bbox.bottom for w in block[-1])
    return [r for r in rows if top - h / 2 <= (r.top + r.bottom) / 2 <= bottom + h / 2]


def _centred_rows(
    rows: list[OcrRow], label_cols: list[tuple[float, float]], words: list[Word], h: float
) -> dict[int, OcrRow]:
    """Where the table's cells are set centred on their rows (the evidence: of the label blocks of three lines or
    more beside one row alone, more have that row's amounts on a middle line than on their first or last), each
    block's lines cut among the rows beside it so that every piece is centred on its row (the least sum of the
    distances between a piece's centre and its row's): a label wrapped over four lines stands half above its
    amounts, and the nearest row would give its first lines to the row above. Empty otherwise."""
    blocks = [(blk, _rows_in(rows, blk, h)) for a, b in label_cols for blk in _column_blocks(words, a, b, h)]
    middle = ends = 0
    for blk, near in blocks:
        if len(near) != 1 or len(blk) < 3:
            continue
        cy = (near[0].top + near[0].bottom) / 2
        at = [i for i, ln in enumerate(blk) if min(w.bbox.top for w in ln) <= cy <= max(w.bbox.bottom for w in ln)]
        if at and 0 < at[0] < len(blk) - 1:
            middle += 1
        elif at:
            ends += 1
    out: dict[int, OcrRow] = {}
    if middle < S.centred_blocks or middle <= ends:
        return out
    for blk, near in blocks:
        if not near:
            continue
        for row, piece in zip(near, _centred_pieces(blk, near, rows), strict=True):
            out.update((id(w), row) for ln in piece for w in ln)
    return out


def _centred_pieces(block: list[list[Word]], near: list[OcrRow], rows: list[OcrRow]) -> list[list[list[Word]]]:
    """The block's lines cut in order into one piece per row (a piece may be empty: a row without a label in this
    column), with the least sum over the pieces of the distance between a piece's centre and its row's centre; a
    piece's lines stand between the centres of its row's neighbours (a cell merged over several rows is cut among
    them, not given whole to the one row nearest its centre)."""
    n, m = len(block), len(near)
    centres = [(r.top + r.bottom) / 2 for r in near]
    every = [(r.top + r.bottom) / 2 for r in rows]
    spans = []
    for r in near:
        i = next(k for k, v in enumerate(rows) if v is r)
        spans.append((every[i - 1] if i else float("-inf"), every[i + 1] if i + 1 < len(rows) else float("inf")))
    mids = [_centre(ln) for ln in block]
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    cut = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for j in range(1, m + 1):
        for i in range(1, n + 1):
            best[i][j], cut[i][j] = best[i][j - 1], i  # row j takes no line of the block
            for k in range(i):
                if not (spans[j - 1][0] < mids[k] and mids[i - 1] < spans[j - 1][1]):
                    continue
                cost = best[k][j - 1] + abs(_centre([w for ln in block[k:i] for w in ln]) - centres[j - 1])
                if cost < best[i][j]:
                    best[i][j], cut[i][j] = cost, k
    pieces: list[list[list[Word]]] = [[] for _ in range(m)]
    if best[n][m] == inf:  # no cut keeps every piece between its row's neighbours: left to the nearest rows
        return pieces
    i = n
    for j in range(m, 0, -1):
        k = cut[i][j]
        pieces[j - 1] = block[k:i]
        i = k
    return pieces


def _titled_columns(
    cols: list[tuple[float, float]], words: list[Word], header: list[Word], h: float
) -> list[tuple[float, float]]:
    """Label columns split at a narrow white gutter of their words (narrower than S.label_gap: narrow office columns
    stand a few points apart) where the header has a column title on each side and no title word crosses it."""
    out: list[tuple[float, float]] = []
    header_less = not header
    for a, b in cols:
        inside = [w for w in words if a <= w.bbox.x0 and w.bbox.x1 <= b]
        titles = [w for w in header if a - S.label_col_slack <= w.bbox.x0 and w.bbox.x1 <= b + S.label_col_slack]
        spans = _label_columns_at(inside, S.label_fine_gap * h)
        if len(spans) < 2 or not (titles or header_less):
            out.append((a, b))
            continue
        merged = [list(spans[0])]
        for lo, hi in spans[1:]:
            cut = (merged[-1][1] + lo) / 2
            if not titles:  # a page without header (a recap's second page): lines that start at the gutter
                if min(_aligned_starts(inside, lo, h), _aligned_starts(inside, merged[-1][0], h)) >= S.min_rows:
                    merged.append([lo, hi])
                else:
                    merged[-1][1] = max(merged[-1][1], hi)
                continue
            left_t = any(w.bbox.x1 <= cut and w.bbox.x1 > merged[-1][0] for w in titles)
            right_t = any(w.bbox.x0 >= cut and w.bbox.x0 < hi for w in titles)
            crossed = any(w.bbox.x0 < cut < w.bbox.x1 for w in titles)
            if left_t and right_t and not crossed:
                merged.append([lo, hi])
            else:
                merged[-1][1] = max(merged[-1][1], hi)
        out.extend((x, y) for x, y in merged)
    return out


def _aligned_starts(words: list[Word], x: float, h: float) -> int:
    """Lines on which a word starts at x (left-aligned cells of one column)."""
    return len({round(w.bbox.top / h) for w in words if abs(w.bbox.x0 - x) <= S.start_tol * h})


def _label_columns_at(words: list[Word], gap: float) -> list[tuple[float, float]]:
    spans: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.bbox.x0):
        if spans and w.bbox.x0 - spans[-1][1] <= gap:
            spans[-1][1] = max(spans[-1][1], w.bbox.x1)
        else:
            spans.append([w.bbox.x0, w.bbox.x1])
    return [(a, b) for a, b in spans]


@dataclass
class Layout:
    """The geometry of one OCR table: amount column edges, label columns, body rows, header words."""

    edges: list[float]
    left: float  # x where the amount columns begin
    label_cols: list[tuple[float, float]]
    rows: list[OcrRow]
    header: list[Word]
    height: float
    head_text: list[str] | None = None  # header text per column when re-read from the image


def find_layout(lines: list[Line]) -> Layout | None:
    """The table on a page of OCR lines, or None when fewer than two amount columns align."""
    word_lines = [ln.words for ln in lines if not ln.furniture]
    edges = column_edges(word_lines)
    if len(edges) < 2:
        return None
    h = _height([w for ln in word_lines for w in ln if is_amount_word(w)])
    tol = S.member_tol * h
    runs = [
        piece
        for ln in word_lines
        for run in _amount_word_runs(ln, S.run_gap * h, money_only=False)
        for piece in _split_at_edges(run, edges, tol)
    ]
    # an amount's pieces go to the column its end reaches ('171' '794,39' '€'), whatever edge a piece ends near
    placed = [(w, k) for run in runs if (k := _edge_column_of(run[-1], edges, tol)) is not None for w in run]
    col_of = {id(w): k for w, k in placed}
    euro_lines: dict[int, int] = {}  # lines on which a column shows a euro sign, placed or not ('06 €' is no run)
    for ln in word_lines:
        for k in {_edge_column_of(w, edges, tol) for w in ln if "€" in w.text}:
            if k is not None:
                euro_lines[k] = euro_lines.get(k, 0) + 1
    bands = _join_wrapped(_cluster_rows([w for w, _ in placed], h), col_of, h, euro_lines)
    bands = [b for b in bands if len({col_of[id(w)] for w in b}) >= 2]
    start = min((w.bbox.x0 for b in bands for w in b), default=0.0)
    # label lines: wholly left of the amounts (a line of prose or a title running across the page is none)
    fill = [w for ln in word_lines if all(w.bbox.x1 < start for w in ln) for w in ln if not _speck(w, h)]
    bands = _body(bands, h, fill)
    if len(bands) < 2:
        return None
    first_col = min(col_of[id(w)] for b in bands for w in b)
    if first_col:  # the first edges are those of amounts above or below the body, none of its columns
        edges = edges[first_col:]
        col_of = {k: c - first_col for k, c in col_of.items()}
    left = min(w.bbox.x0 for b in bands for w in b if col_of[id(w)] == 0)
    top, bottom = min(w.bbox.top for w in bands[0]), max(w.bbox.bottom for w in bands[-1])
    rows = [OcrRow(top=min(w.bbox.top for w in b), bottom=max(w.bbox.bottom for w in b)) for b in bands]
    for row, band in zip(rows, bands, strict=True):
        for w in band:
            row.cells.setdefault(col_of[id(w)], OcrCell(words=[])).words.append(w)
    _add_short_pieces(rows, [w for ln in word_lines for w in ln if id(w) not in col_of], edges, left, h)
    # labels: words left of the amounts, each line joined to the nearest row band
    label_words: list[Word] = []
    for ln in word_lines:
        if _header_line(ln, top, left, col_of):
            continue
        for w in ln:
            cy = (w.bbox.top + w.bbox.bottom) / 2
            if (
                w.bbox.x1 <= left + S.label_reach_left * h
                and top - S.label_reach_above * h <= cy <= bottom + S.label_reach_below * h
            ):
                label_words.append(w)
    label_words = [
        w
        for w in label_words
        if ((w.bbox.top + w.bbox.bottom) / 2 <= bottom + S.label_tail * h or _nearest(rows, w) is rows[-1])
        and not _speck(w, h)
    ]
    label_cols = _label_columns(label_words, h) or [(left - h, left - h)]
    _place_labels(rows, label_cols, label_words, [])
    first = min([rows[0].top] + [w.bbox.top for col in rows[0].labels for w in col])
    header, lead = _header_words(lines, first, left, h, min(a for a, _ in label_cols))
    taken = {id(w) for w in label_words}
    lead = [w for w in lead if id(w) not in taken]
    label_cols = _titled_columns(label_cols, label_words + lead, header, h)
    _place_labels(rows, label_cols, label_words, lead)
    return Layout(edges=edges, left=left, label_cols=label_cols, rows=rows, header=header, height=h)


# the end of an amount wrapped onto a line of its own in a narrow column: thousands groups, cents, the euro sign
_CENTS = re.compile(r",\d{2}\b")
_MIDDLE = re.compile(r"^\d{3},\d{2}$")
_WRAPPED_END = re.compile(r"^(?=\S)(?:\d{3}(?:[ .]\d{3})*)?(?:,\d{1,2})?\s*€?$")


_SHORT_END = re.compile(r"^,?\d{1,3}(?:,\d{1,2})?\s*€$")  # '00 €', ',42 €', '80,72 €': a group cut mid-way
_CENTS_END = re.compile(r"^\d{1,2}\s*€?$")  # the cents after a head ending with its decimal comma ('13 797,' '06 €')
# a whole amount in a column the line above left empty: a cell aligned to the row's foot ('9 500 €', '- €' beside '€')
_WHOLE = re.compile(r"^(?:[-–—]?\d{1,3}(?:[ .]\d{3})*(?:,\d{2})?|[-–—])\s*€$")
_NOT_AMOUNT = re.compile(r"[^\d\s.,€\-–—]")


def _header_line(line: list[Word], top: float, left: float, col_of: dict[int, int]) -> bool:
    """True when a line standing wholly above the first row's amounts holds words over the amount columns that are
    no amount of the body ('2020', 'sur', '+D+E)'): the header's last line, whose words over the label columns
    ('longue)', 'N°', 'Intitulé de l'action') are titles, not the first row's label set above its amounts."""
    return max(w.bbox.bottom for w in line) <= top and any(
        w.bbox.x0 >= left and id(w) not in col_of and not _speck(w, _height(line)) for w in line
    )


def _is_wrapped_end(head: str, tail: str) -> bool:
    """True when `tail`, on the line below `head` in one cell, reads as the rest of head's amount by the number
    grammar: after a decimal comma its cents; after digits the rest of the groups, cents and '€' (a group may be cut
    anywhere, '1 135 0' over '00 €', then the piece ends with its euro sign). A speck read as a dot after the
    head's last digits ('140 000.' over '€') hides nothing: its digits are the head's end."""
    if re.search(r"\d\.$", head):
        head = head[:-1]
    if head.endswith(","):
        return bool(_CENTS_END.match(tail))
    if not head[-1].isdigit():
        return False
    return bool(_WRAPPED_END.match(tail) or _SHORT_END.match(tail))


def reading_order(words: list[Word]) -> list[Word]:
    """A cell's words line by line (centres within half a word's height share a line), left to right on each."""
    return [w for line in reading_lines(words) for w in line]


def reading_lines(words: list[Word]) -> list[list[Word]]:
    """A cell's words as lines (centres within half a word's height share a line), each left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bbox.top + w.bbox.bottom) / 2):
        cy = (w.bbox.top + w.bbox.bottom) / 2
        last = lines[-1][-1] if lines else None
        if last is not None and cy - (last.bbox.top + last.bbox.bottom) / 2 <= (last.bbox.bottom - last.bbox.top) / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.bbox.x0) for line in lines]


def _join_wrapped(
    bands: list[list[Word]], col_of: dict[int, int], h: float, euro_lines: dict[int, int] | None = None
) -> list[list[Word]]:
    """Bands joined to the band above when they hold nothing but the ends of its amounts, wrapped in narrow columns
    ('163' over '934,52', '99 000' over '€'): in a column whose amounts are written with '€' (or with cents), a cell
    without it is open, and the line below it ends it when it reads as an amount's end (number grammar: thousands
    groups, cents, '€') in every column it fills."""
    euros: dict[int, int] = {}
    cents: dict[int, int] = {}
    digits: dict[int, int] = {}
    for b in bands:
        for k, text in _texts(b, col_of).items():
            euros[k] = euros.get(k, 0) + ("€" in text)
            cents[k] = cents.get(k, 0) + bool(_CENTS.search(text))
            digits[k] = digits.get(k, 0) + any(ch.isdigit() for ch in text)
    # its '€' (or its cents) on the amount's line or wrapped below it
    # (or on many lines of the column: a wrapped end too short to be placed, '06 €', bears it in every row)
    euro = {k for k in digits if 2 * euros[k] >= digits[k] > 0 or (euro_lines or {}).get(k, 0) >= S.min_rows}
    with_cents = {k for k in digits if 2 * cents[k] >= digits[k] > 0}
    out: list[list[Word]] = []
    for b in bands:
        above = _texts(out[-1], col_of) if out else {}
        whole = b
        b = [w for w in b if not (out and _ghost(w, out[-1], col_of))] or b
        below = _texts(b, col_of)
        gap = min(w.bbox.top for w in b) - max(w.bbox.bottom for w in out[-1]) if out else 0.0
        ends = {
            k: bool(
                (head := above.get(k, "").rsplit("€", 1)[-1].strip())  # after an amount of a column not found
                and (k in euro or (k in with_cents and not _CENTS.search(head)))
                and _is_wrapped_end(head, _wrapped_tail(text))
            )
            for k, text in below.items()
        }
        # a middle piece ('476,29') whose head is a piece too short to be placed ('12'): the row's wrap all the same;
        # a piece no amount is written with (':', '%': an unplaced neighbour's '0 €' run into it) says nothing either
        # way, so long as more columns end their amounts than hold such noise
        noise = [k for k, text in below.items() if not ends[k] and _NOT_AMOUNT.search(text)]
        if (
            above
            and gap <= S.wrap_gap * h
            and sum(ends.values()) > len(noise)
            and all(
                ends[k] or k in noise or (k not in above and (_MIDDLE.match(text) or _WHOLE.match(text) or text == "€"))
                for k, text in below.items()
            )
        ):
            out[-1] = out[-1] + _mend_tails(b, col_of, {k for k, text in below.items() if ends[k]})
        else:
            out.append(whole)
    return out


def _ghost(w: Word, head: list[Word], col_of: dict[int, int]) -> bool:
    """True when `w`, on the line below a band, repeats a bare group of the band's word over it in its column
    ('164' under '164' where '164' '300,00 €' wrap: a column re-read placed the head's digits again a line lower)."""
    t = w.text.strip()
    if not t.isdigit():
        return False
    return any(
        v.text.strip() == t
        and col_of[id(v)] == col_of[id(w)]
        and min(v.bbox.x1, w.bbox.x1) - max(v.bbox.x0, w.bbox.x0)
        >= S.ghost_share * min(v.bbox.x1 - v.bbox.x0, w.bbox.x1 - w.bbox.x0)
        for v in head
    )


_PAREN_ZERO = re.compile(r"^\((?=\d{2}[,.]\d)")  # '(00,00 €' under '144': a zero's left half read as '('
_SPECK_DASH = re.compile(r"^[-–—]\s+(?=\d)")  # '- 700,00 €' under '153': a speck before the wrapped piece


def _wrapped_tail(text: str) -> str:
    """A line's piece below an amount's head as the number grammar reads it: a wrapped piece starts with a group of
    three digits, cents or '€', never with '(' or a dash, so a '(' before two digits is the group's first zero and a
    dash standing apart before the digits a speck."""
    return _SPECK_DASH.sub("", _PAREN_ZERO.sub("0", text))


def _mend_tails(band: list[Word], col_of: dict[int, int], ended: set[int]) -> list[Word]:
    """The band's words once joined as the wrapped ends of the columns in `ended`: each column's first word mended
    as _wrapped_tail reads it (the '(' made '0'; a dash standing apart dropped)."""
    first: dict[int, Word] = {}
    for w in reading_order(band):
        first.setdefault(col_of[id(w)], w)
    drop: set[int] = set()
    for k, w in first.items():
        if k not in ended:
            continue
        if _PAREN_ZERO.match(w.text):
            w.text = _PAREN_ZERO.sub("0", w.text)
        elif w.text.strip() in {"-", "–", "—"}:
            drop.add(id(w))
    return [w for w in band if id(w) not in drop]


def _texts(band: list[Word], col_of: dict[int, int]) -> dict[int, str]:
    """Each column's text on one band (its words in reading order)."""
    by: dict[int, list[Word]] = {}
    for w in band:
        by.setdefault(col_of[id(w)], []).append(w)
    return {k: " ".join(w.text for w in reading_order(ws)).strip() for k, ws in by.items()}


def _body(bands: list[list[Word]], h: float, labels: list[Word] | None = None) -> list[list[Word]]:
    """The longest run of bands without a gap wider than a few rows between them (the table's body); a row is as
    tall as its median band (amounts wrapped over two lines make rows of two lines, and a label wrapped over five
    leaves a gap of five lines between them). White is measured below `labels` too: label lines that run on below
    a row line by line are a tall cell's (a label wrapped over seven lines in a narrow column), no end of the body."""
    if not bands:
        return []
    pitch = max(h, median(max(w.bbox.bottom for w in b) - min(w.bbox.top for w in b) for b in bands))
    best: list[list[Word]] = []
    run: list[list[Word]] = []
    for b in bands:
        if (
            run
            and _white(max(w.bbox.bottom for w in run[-1]), min(w.bbox.top for w in b), labels, h) > S.body_gap * pitch
        ):
            run = []
        run.append(b)
        if len(run) > len(best):
            best = list(run)
    return best


def _white(top: float, bottom: float, words: list[Word] | None, h: float = 0.0) -> float:
    """The white between top and bottom below the lines of `words` that run on from top (a label wrapped below
    its row's amounts, no line further than S.fill_gap word heights below the last): the gap they leave."""
    at = top
    for a, b in sorted((w.bbox.top, w.bbox.bottom) for w in words or [] if w.bbox.bottom > top and w.bbox.top < bottom):
        if a - at > S.fill_gap * h:
            break
        at = max(at, b)
    return bottom - at


def _nearest(rows: list[OcrRow], w: Word) -> OcrRow:
    cy = (w.bbox.top + w.bbox.bottom) / 2
    return min(rows, key=lambda r: abs((r.top + r.bottom) / 2 - cy))


def _header_words(
    lines: list[Line], top: float, left: float, h: float, label_left: float | None = None
) -> tuple[list[Word], list[Word]]:
    """Words of the header band: the lines just above the first row that reach over the amount columns; and the
    words of label lines between it and the first row (a tall first label cell whose amounts stand at its foot).
    Once the band has begun, a line over the label columns alone (from `label_left` on, in the body's type) is the
    label columns' titles, taller or shorter than the amount columns' stacked ones: it goes on with the band when a
    line over the amounts stands right above it, or when it is the band's top (its first line over the amounts
    lost by OCR); a title or prose starting left of the table, or in another type, ends it."""
    boxed = [(ln, ln.bbox) for ln in lines if ln.bbox is not None]
    above = sorted(
        (
            (ln, box)
            for ln, box in boxed
            if box.bottom <= top + S.header_reach * h and not ln.furniture and not is_stamp_line(ln.words)
        ),
        key=lambda pair: pair[1].top,
        reverse=True,
    )
    above = [(ln, box) for ln, box in above if not all(_speck(w, h) for w in ln.words)]
    # (noise of the scan beside the header, a rule's remnant read 'L', '+', is no line of it; nor is a prefecture
    # stamp over the amounts of a table at the page's top)
    out: list[Word] = []
    lead: list[Word] = []
    edge = top
    for i, (ln, box) in enumerate(above):
        if edge - box.bottom > S.header_gap * h:
            break
        if not any(w.bbox.x1 > left for w in ln.words):
            if not out:
                lead.extend(ln.words)  # the first row's label, set at the cell's top over amounts set at its foot
            elif _label_titles(ln, above[i + 1 :], box, left, h, label_left):
                out.extend(ln.words)
            else:
                break
        else:
            out.extend(ln.words)
        edge = box.top
    return out, (lead if out else [])


def _label_titles(
    ln: Line, higher: list[tuple[Line, BBox]], box: BBox, left: float, h: float, label_left: float | None
) -> bool:
    """True when a line wholly left of the amounts, inside a header band already begun, is label column titles:
    its words start at or right of the label columns and are of the body's height, and the next line above
    reaches over the amounts within the header's gap (the band goes on) or there is none within it (its top)."""
    if label_left is None or min(w.bbox.x0 for w in ln.words) < label_left - S.start_tol * h:
        return False
    if median(w.bbox.bottom - w.bbox.top for w in ln.words) > S.title_height * h:
        return False
    nxt = next(((n, b) for n, b in higher if b.bottom <= box.top + S.header_reach * h), None)
    if nxt is None or box.top - nxt[1].bottom > S.header_gap * h:
        return True
    n, b = nxt
    if any(w.bbox.x1 > left for w in n.words):
        return True
    # the band's top line: the next line above is not the header's (a title, prose starting left of the table)
    return (
        min(w.bbox.x0 for w in n.words) < label_left - S.start_tol * h
        or median(w.bbox.bottom - w.bbox.top for w in n.words) > S.title_height * h
    )


def continue_layout(prev: Layout, lay: Layout) -> bool:
    """Give a header-less layout the label columns of the previous page's when its amount columns stand where
    those did (a recap's second page repeats no header: without titles its narrow label columns run together, and
    a table of another column count is never joined to the first page's). True when done."""
    if lay.header or not prev.header or len(lay.edges) != len(prev.edges):
        return False
    tol = S.member_tol * max(lay.height, prev.height)
    if any(abs(a - b) > tol for a, b in zip(lay.edges, prev.edges, strict=True)):
        return False
    words = [w for row in lay.rows for col in row.labels for w in col]
    lay.label_cols = list(prev.label_cols)
    _place_labels(lay.rows, lay.label_cols, words, [])
    return True


def _speck(w: Word, h: float) -> bool:
    """A word too narrow for the letters it shows: a speck or a rule's remnant read as text."""
    return w.bbox.x1 - w.bbox.x0 < S.speck_width * h * len(w.text.strip() or " ")


def column_bounds(layout: Layout) -> list[tuple[float, float]]:
    """x-range (points) of every column, label columns first: amount columns run from the previous edge."""
    tol = S.member_tol * layout.height
    pad = S.label_bound_pad * layout.height
    bounds = [(a - pad, b + pad) for a, b in layout.label_cols]
    start = layout.label_cols[-1][1] + S.amount_bound_start * layout.height
    for e in layout.edges:
        bounds.append((start, e + tol))
        start = e + tol
    return bounds
