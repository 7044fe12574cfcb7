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
    if re.match(r"0\d", run[0].text.strip(" -–—.,:;()")):
        return False  # a leading zero ('0304 50 19 19 01', a Chorus code): amounts are never written so
    if re.fullmatch(r"[-–—]?€", text.strip(" .,:;")):
        return True
    return sum(ch.isdigit() for ch in text.translate(CONFUSABLE)) >= S.run_digits


def _height(words: list[Word]) -> float:
    return median(w.bbox.bottom - w.bbox.top for w in words) if words else S.default_height


def _amount_word_runs(line: list[Word], gap: float) -> list[list[Word]]:
    """Runs of amount words on one line, words closer than `gap` joined (an amount's pieces)."""
    runs: list[list[Word]] = []
    for w in sorted(line, key=lambda w: w.bbox.x0):
        if not is_amount_word(w):
            runs.append([])
            continue
        if runs and runs[-1] and w.bbox.x0 - runs[-1][-1].bbox.x1 <= gap:
            runs[-1].append(w)
        else:
            runs.append([w])
    return [r for r in runs if r and is_amount_run(r)]


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
    runs = [run for ln in word_lines for run in _amount_word_runs(ln, S.run_gap * h)]
    # an amount's pieces go to the column its end reaches ('171' '794,39' '€'), whatever edge a piece ends near
    placed = [(w, k) for run in runs if (k := _edge_column_of(run[-1], edges, tol)) is not None for w in run]
    col_of = {id(w): k for w, k in placed}
    bands = _join_wrapped(_cluster_rows([w for w, _ in placed], h), col_of, h)
    bands = [b for b in bands if len({col_of[id(w)] for w in b}) >= 2]
    bands = _body(bands, h)
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
    # labels: words left of the amounts, each line joined to the nearest row band
    label_words: list[Word] = []
    for ln in word_lines:
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
        if (w.bbox.top + w.bbox.bottom) / 2 <= bottom + S.label_tail * h or _nearest(rows, w) is rows[-1]
    ]
    label_cols = _label_columns(label_words, h) or [(left - h, left - h)]
    for row in rows:
        row.labels = [[] for _ in label_cols]
    for w in label_words:
        row = _nearest(rows, w)
        k = next(
            (i for i, (a, b) in enumerate(label_cols) if a - S.label_col_slack <= w.bbox.x0 <= b + S.label_col_slack),
            len(label_cols) - 1,
        )
        row.labels[k].append(w)
    first = min([rows[0].top] + [w.bbox.top for col in rows[0].labels for w in col])
    header = _header_words(lines, first, left, h)
    return Layout(edges=edges, left=left, label_cols=label_cols, rows=rows, header=header, height=h)


# the end of an amount wrapped onto a line of its own in a narrow column: thousands groups, cents, the euro sign
_CENTS = re.compile(r",\d{2}\b")
_MIDDLE = re.compile(r"^\d{3},\d{2}$")
_WRAPPED_END = re.compile(r"^(?=\S)(?:\d{3}(?:[ .]\d{3})*)?(?:,\d{1,2})?\s*€?$")


def reading_order(words: list[Word]) -> list[Word]:
    """A cell's words line by line (centres within half a word's height share a line), left to right on each."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bbox.top + w.bbox.bottom) / 2):
        cy = (w.bbox.top + w.bbox.bottom) / 2
        last = lines[-1][-1] if lines else None
        if last is not None and cy - (last.bbox.top + last.bbox.bottom) / 2 <= (last.bbox.bottom - last.bbox.top) / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [w for line in lines for w in sorted(line, key=lambda w: w.bbox.x0)]


def _join_wrapped(bands: list[list[Word]], col_of: dict[int, int], h: float) -> list[list[Word]]:
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
    euro = {k for k in digits if 2 * euros[k] >= digits[k] > 0}
    with_cents = {k for k in digits if 2 * cents[k] >= digits[k] > 0}
    out: list[list[Word]] = []
    for b in bands:
        above = _texts(out[-1], col_of) if out else {}
        below = _texts(b, col_of)
        gap = min(w.bbox.top for w in b) - max(w.bbox.bottom for w in out[-1]) if out else 0.0
        ends = {
            k: bool(
                (head := above.get(k, "").rsplit("€", 1)[-1].strip())  # after an amount of a column not found
                and head[-1].isdigit()
                and (k in euro or (k in with_cents and not _CENTS.search(head)))
                and _WRAPPED_END.match(text)
            )
            for k, text in below.items()
        }
        # a middle piece ('476,29') whose head is a piece too short to be placed ('12'): the row's wrap all the same
        if (
            above
            and gap <= S.wrap_gap * h
            and any(ends.values())
            and all(ends[k] or (k not in above and _MIDDLE.match(text)) for k, text in below.items())
        ):
            out[-1] = out[-1] + b
        else:
            out.append(b)
    return out


def _texts(band: list[Word], col_of: dict[int, int]) -> dict[int, str]:
    """Each column's text on one band (its words in reading order)."""
    by: dict[int, list[Word]] = {}
    for w in band:
        by.setdefault(col_of[id(w)], []).append(w)
    return {k: " ".join(w.text for w in reading_order(ws)).strip() for k, ws in by.items()}


def _body(bands: list[list[Word]], h: float) -> list[list[Word]]:
    """The longest run of bands without a gap wider than a few rows between them (the table's body)."""
    best: list[list[Word]] = []
    run: list[list[Word]] = []
    for b in bands:
        if run and min(w.bbox.top for w in b) - max(w.bbox.bottom for w in run[-1]) > S.body_gap * h:
            run = []
        run.append(b)
        if len(run) > len(best):
            best = list(run)
    return best


def _nearest(rows: list[OcrRow], w: Word) -> OcrRow:
    cy = (w.bbox.top + w.bbox.bottom) / 2
    return min(rows, key=lambda r: abs((r.top + r.bottom) / 2 - cy))


def _header_words(lines: list[Line], top: float, left: float, h: float) -> list[Word]:
    """Words of the header band: the lines just above the first row that reach over the amount columns."""
    boxed = [(ln, ln.bbox) for ln in lines if ln.bbox is not None]
    above = sorted(
        ((ln, box) for ln, box in boxed if box.bottom <= top + S.header_reach * h and not ln.furniture),
        key=lambda pair: pair[1].top,
        reverse=True,
    )
    out: list[Word] = []
    edge = top
    for ln, box in above:
        if edge - box.bottom > S.header_gap * h:
            break
        if not any(w.bbox.x1 > left for w in ln.words):
            break
        out.extend(ln.words)
        edge = box.top
    return out


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
