"""Borderless tables rebuilt from OCR words: amount columns from right-aligned numbers, the header band above
them, row bands from the amounts, wrapped labels joined, each cell's amount re-assembled from its pieces.

Born-digital readers expect one word per amount and clean baselines; OCR gives neither ("203", "000", "€" with
wandering boxes, digits misread). Here columns come from the x-alignment of amount ends over many lines, so a
cell is whatever lies between two column edges, and its digits are re-joined in the column's own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from calpae.models import BBox, Cell, Line, Table, Word

RIGHT_TOL = 0.9  # amount ends within this many word heights share a column edge
MEMBER_TOL = 0.4  # a word belongs to the column whose edge its right end reaches within this many word heights
MIN_ROWS = 3  # a column edge is the end of amounts on at least this many rows
ROW_TOL = 0.6  # amount words whose centres are within this many word heights lie on one row
HEADER_GAP = 1.6  # header lines are at most this many word heights apart
LABEL_GAP = 1.0  # white wider than this many word heights between label words separates label columns
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
    value: object = None  # Decimal | None
    text: str = ""
    repaired: str | None = None  # value set by the table's sums, not as read: what OCR had read
    bbox: BBox | None = None  # where a cell filled from the sums lies (it has no words)


@dataclass
class OcrRow:
    """One table row: its label words per label column and its amount cells per amount column."""

    top: float
    bottom: float
    labels: list[list[Word]] = field(default_factory=list)
    cells: dict[int, OcrCell] = field(default_factory=dict)

    def label(self, k: int) -> str:
        return " ".join(w.text for w in sorted(self.labels[k], key=lambda w: (round(w.bbox.top), w.bbox.x0)))


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
    return numeric_share(t) >= 0.7


def is_amount_run(run: list[Word]) -> bool:
    """A run of amount words that reads as money, not as a year, a date or a list number ('2019', '3.1')."""
    text = "".join(w.text for w in run)
    core = text.strip(" -–—.,:;()")
    if re.fullmatch(r"(19|20)\d\d", core):
        return False
    if re.fullmatch(r"[-–—]?€", text.strip(" .,:;")):
        return True
    return sum(ch.isdigit() for ch in text.translate(CONFUSABLE)) >= 3


def _height(words: list[Word]) -> float:
    return median(w.bbox.bottom - w.bbox.top for w in words) if words else 8.0


def _amount_runs(line: list[Word], gap: float) -> list[list[Word]]:
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
    """Right edges (x) of the amount columns: run ends aligned over at least MIN_ROWS lines."""
    words = [w for ln in lines for w in ln if is_amount_word(w)]
    if not words:
        return []
    h = _height(words)
    ends: list[tuple[float, int]] = []
    for i, ln in enumerate(lines):
        ends.extend((max(w.bbox.x1 for w in run), i) for run in _amount_runs(ln, 0.6 * h))
    groups: list[list[tuple[float, int]]] = []
    for end in sorted(ends):
        if groups and end[0] - groups[-1][-1][0] <= RIGHT_TOL * h:
            groups[-1].append(end)
        else:
            groups.append([end])
    return [median(x for x, _ in g) for g in groups if len({i for _, i in g}) >= MIN_ROWS]


def _cluster_rows(words: list[Word], h: float) -> list[list[Word]]:
    """Amount words grouped into visual rows by their vertical centres."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bbox.top + w.bbox.bottom) / 2):
        cy = (w.bbox.top + w.bbox.bottom) / 2
        if rows and cy - median((v.bbox.top + v.bbox.bottom) / 2 for v in rows[-1]) <= ROW_TOL * h:
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _column_of(w: Word, edges: list[float], tol: float) -> int | None:
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
        if spans and w.bbox.x0 - spans[-1][1] <= LABEL_GAP * h:
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
    tol = MEMBER_TOL * h
    amount_words = [w for ln in word_lines for run in _amount_runs(ln, 0.6 * h) for w in run]
    placed = [(w, _column_of(w, edges, tol)) for w in amount_words]
    placed = [(w, k) for w, k in placed if k is not None]
    col_of = {id(w): k for w, k in placed}
    bands = [b for b in _cluster_rows([w for w, _ in placed], h) if len({col_of[id(w)] for w in b}) >= 2]
    bands = _body(bands, h)
    if len(bands) < 2:
        return None
    left = min(w.bbox.x0 for b in bands for w in b if col_of.get(id(w)) == 0)
    top, bottom = min(w.bbox.top for w in bands[0]), max(w.bbox.bottom for w in bands[-1])
    rows = [OcrRow(top=min(w.bbox.top for w in b), bottom=max(w.bbox.bottom for w in b)) for b in bands]
    for row, band in zip(rows, bands):
        for w in band:
            row.cells.setdefault(col_of[id(w)], OcrCell(words=[])).words.append(w)
    # labels: words left of the amounts, each line joined to the nearest row band
    label_words: list[Word] = []
    for ln in word_lines:
        for w in ln:
            cy = (w.bbox.top + w.bbox.bottom) / 2
            if w.bbox.x1 <= left + 0.2 * h and top - h <= cy <= bottom + 1.5 * h:
                label_words.append(w)
    label_words = [
        w for w in label_words if (w.bbox.top + w.bbox.bottom) / 2 <= bottom + 0.5 * h or _nearest(rows, w) is rows[-1]
    ]
    label_cols = _label_columns(label_words, h) or [(left - h, left - h)]
    for row in rows:
        row.labels = [[] for _ in label_cols]
    for w in label_words:
        row = _nearest(rows, w)
        k = next((i for i, (a, b) in enumerate(label_cols) if a - 0.5 <= w.bbox.x0 <= b + 0.5), len(label_cols) - 1)
        row.labels[k].append(w)
    first = min([rows[0].top] + [w.bbox.top for col in rows[0].labels for w in col])
    header = _header_words(lines, first, left, h)
    return Layout(edges=edges, left=left, label_cols=label_cols, rows=rows, header=header, height=h)


def _body(bands: list[list[Word]], h: float) -> list[list[Word]]:
    """The longest run of bands without a gap wider than a few rows between them (the table's body)."""
    best: list[list[Word]] = []
    run: list[list[Word]] = []
    for b in bands:
        if run and min(w.bbox.top for w in b) - max(w.bbox.bottom for w in run[-1]) > 4 * h:
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
    above = sorted(
        (ln for ln in lines if ln.bbox is not None and ln.bbox.bottom <= top + 0.3 * h and not ln.furniture),
        key=lambda ln: ln.bbox.top,
        reverse=True,
    )
    out: list[Word] = []
    edge = top
    for ln in above:
        if edge - ln.bbox.bottom > HEADER_GAP * h:
            break
        if not any(w.bbox.x1 > left for w in ln.words):
            break
        out.extend(ln.words)
        edge = ln.bbox.top
    return out


CENTS = re.compile(r"[.,]\s?(\d{1,2})$")


def cell_digits(words: list[Word]) -> tuple[str, str | None, bool]:
    """(integer digits, cents digits or None, zero dash) read from a cell's words through common confusions."""
    text = " ".join(w.text for w in sorted(words, key=lambda w: w.bbox.x0))
    core = text.replace("€", " ").strip(" :;'\"")
    if not core.strip():
        return "", None, False  # a lone '€': the digits or the dash before it were lost
    mapped = "".join(ch if ch in NUMERIC else ch.translate(CONFUSABLE) for ch in core)
    mapped = re.sub(r"[^0-9 .,]", "", mapped).strip(" .,")
    if not any(ch.isdigit() for ch in mapped):
        return "", None, any(ch in "-–—" for ch in core)
    m = CENTS.search(mapped)
    if m:
        return re.sub(r"\D", "", mapped[: m.start()]), m.group(1), False
    return re.sub(r"\D", "", mapped), None, False


def _grouped(words: list[Word]) -> bool:
    """True when the digits end in a separate group of three (thousands visibly split: an integer amount)."""
    text = " ".join(w.text for w in sorted(words, key=lambda w: w.bbox.x0)).replace("€", " ")
    groups = re.findall(r"[0-9OoSlI]+", text)
    return len(groups) >= 2 and len(groups[-1]) == 3


def format_amount(value) -> str:
    """A Decimal written the French way ('1 450 968,55 €', '- €' for zero), as born-digital cells are."""
    if value is None:
        return ""
    if value == 0:
        return "- €"
    whole = int(value)
    cents = int(round((value - whole) * 100))
    text = f"{whole:,}".replace(",", " ")
    return f"{text},{cents:02d} €" if cents else f"{text} €"


def column_has_cents(cells: list[OcrCell]) -> bool:
    """True when most of a column's non-zero amounts are written with two decimals."""
    read = [cell_digits(c.words) for c in cells]
    nonzero = [r for r in read if r[0]]
    with_cents = sum(1 for r in nonzero if r[1] is not None and len(r[1]) == 2)
    return bool(nonzero) and with_cents * 2 >= len(nonzero)


def read_value(words: list[Word], cents: bool):
    """The cell's amount as a Decimal: cents split off by the column's format when OCR lost the separator."""
    from decimal import Decimal

    whole, dec, zero = cell_digits(words)
    if zero:
        return Decimal(0) if words else None
    if dec is None and cents and len(whole) > 2 and not _grouped(words):
        whole, dec = whole[:-2], whole[-2:]
    if dec is not None and not cents and len(dec) == 2 and dec == "00":
        dec = None
    if dec is not None and len(dec) == 2:
        return Decimal(f"{int(whole or 0)}.{dec}")
    if dec is not None:  # one decimal digit: the second was lost
        return Decimal(f"{int(whole or 0)}.{dec}0")
    return Decimal(int(whole)) if whole else None


def _header_text(layout: Layout) -> list[str]:
    """Header text of every column (label columns first), from the header band's words."""
    n_lab = len(layout.label_cols)
    parts: list[list[Word]] = [[] for _ in range(n_lab + len(layout.edges))]
    tol = MEMBER_TOL * layout.height
    for w in layout.header:
        cx = (w.bbox.x0 + w.bbox.x1) / 2
        if cx < layout.label_cols[-1][1] + 0.5 * layout.height:
            k = min(
                range(n_lab),
                key=lambda i: (
                    0
                    if layout.label_cols[i][0] <= cx <= layout.label_cols[i][1]
                    else min(abs(cx - layout.label_cols[i][0]), abs(cx - layout.label_cols[i][1]))
                ),
            )
            parts[k].append(w)
            continue
        k = next((i for i, e in enumerate(layout.edges) if cx <= e + tol), None)
        if k is not None:
            parts[n_lab + k].append(w)
    return [
        " ".join(w.text for w in sorted(p, key=lambda w: (round(w.bbox.top / layout.height), w.bbox.x0))) for p in parts
    ]


def read_amounts(layout: Layout) -> None:
    """Fill each cell's value and text, reading digits in the format of the cell's column."""
    for k in range(len(layout.edges)):
        cells = [r.cells[k] for r in layout.rows if k in r.cells]
        cents = column_has_cents(cells)
        for c in cells:
            c.value = read_value(c.words, cents)
            c.text = format_amount(c.value)


def to_table(layout: Layout, page_no: int):
    """The layout as a Found table (source 'ocr'): a header row, then one row per band, cells with boxes."""
    from calpae.extract.tables.found import Found

    n_lab = len(layout.label_cols)
    n_cols = n_lab + len(layout.edges)
    cells: list[Cell] = []
    heads = layout.head_text or _header_text(layout)
    hb = BBox.union([w.bbox for w in layout.header])
    for k, text in enumerate(heads):
        if text:
            cells.append(Cell(row=0, col=k, text=text, bbox=hb, page=page_no))
    for r, row in enumerate(layout.rows, start=1):
        for k in range(n_lab):
            if row.labels[k]:
                cells.append(
                    Cell(
                        row=r, col=k, text=row.label(k), page=page_no, bbox=BBox.union([w.bbox for w in row.labels[k]])
                    )
                )
        for k, c in row.cells.items():
            if c.text:
                cells.append(
                    Cell(
                        row=r,
                        col=n_lab + k,
                        text=c.text,
                        page=page_no,
                        repaired=c.repaired,
                        bbox=BBox.union([w.bbox for w in c.words]) or c.bbox,
                    )
                )
    table = Table(id="", source="ocr", pages=[page_no], n_rows=len(layout.rows) + 1, n_cols=n_cols, cells=cells)
    bbox = BBox.union([c.bbox for c in cells if c.bbox is not None])
    return Found(table=table, page=page_no, last_page=page_no, bbox=bbox, last_bbox=bbox, cols=[])


def ocr_table(lines: list[Line], page_no: int):
    """The borderless amount table of an OCR page as a Found, or None when the page holds none."""
    layout = find_layout(lines)
    if layout is None:
        return None
    read_amounts(layout)
    check_totals(layout)
    return to_table(layout, page_no)


TOTAL_WORD = re.compile(r"\btota[lu]", re.IGNORECASE)


def check_totals(layout: Layout) -> list[tuple[int, int, object, object]]:
    """Correct misread or missing amounts with the table's sums (sub-totals, totals, sum columns); returns the
    changes as (row, column, old, new) so the caller can report them."""
    from calpae.extract.ocr.totals import repair

    n = len(layout.edges)
    grid = [[row.cells[k].value if k in row.cells else None for k in range(n)] for row in layout.rows]
    totals = [
        i for i, row in enumerate(layout.rows) if any(TOTAL_WORD.search(row.label(k)) for k in range(len(row.labels)))
    ]
    changes = repair(grid, totals)
    bounds = column_bounds(layout)[len(layout.label_cols) :]
    for r, k, _old, new in changes:
        row = layout.rows[r]
        cell = row.cells.setdefault(k, OcrCell(words=[]))
        seen = " ".join(w.text for w in cell.words) or cell.text
        read = f"OCR read '{seen}'" if seen else "OCR read nothing"
        cell.value, cell.text, cell.repaired = new, format_amount(new), read
        if not cell.words:
            cell.bbox = BBox(x0=bounds[k][0], top=row.top, x1=bounds[k][1], bottom=row.bottom)
    return changes


def header_text(words: list[tuple[str, float, tuple]]) -> str:
    """A header cell's re-read words joined, without rule remnants ('|') and unsure stray letters."""
    kept = []
    for text, conf, _ in words:
        text = text.strip("|¦_[]{}").strip()
        if not any(ch.isalnum() for ch in text) and text not in "()+-–":
            continue
        if len(text) == 1 and text not in "()+-–" and conf < 80 and not (text.isalpha() and text.isupper()):
            continue  # an unsure lone mark: a speck or a rule remnant (capitals may be column letters 'A', 'B')
        kept.append(text)
    return " ".join(t for t in kept if t)


def column_bounds(layout: Layout) -> list[tuple[float, float]]:
    """x-range (points) of every column, label columns first: amount columns run from the previous edge."""
    tol = MEMBER_TOL * layout.height
    bounds = [(a - 0.3 * layout.height, b + 0.3 * layout.height) for a, b in layout.label_cols]
    start = layout.label_cols[-1][1] + 0.5 * layout.height
    for e in layout.edges:
        bounds.append((start, e + tol))
        start = e + tol
    return bounds


HEAD_MAGS = (1, 2, 3)  # header crops are read at these enlargements and the readings voted on


def reread(layout: Layout, image, scale: float, dpi: int, lang: str, timeout: float, words: list[Word]) -> list[Word]:
    """Re-read from the page image the header of each column (enlarged, a block each) and every amount cell the
    words left empty or unreadable (one line each, digits only); returns the page's words updated."""
    from calpae.extract.ocr.cells import Crop, read_crops
    from calpae.extract.ocr.vote import vote

    h, w_img = image.shape[0], image.shape[1]

    def crop(x0: float, top: float, x1: float, bottom: float) -> Crop:
        return Crop(
            max(0, int(x0 * scale)),
            max(0, int(top * scale)),
            min(w_img, int(x1 * scale) + 1),
            min(h, int(bottom * scale) + 1),
        )

    bounds = column_bounds(layout)
    lh = layout.height
    if layout.header:
        htop, hbot = min(w.bbox.top for w in layout.header) - 0.3 * lh, layout.rows[0].top - 0.1 * lh
        readings = []
        for mag in HEAD_MAGS:  # one reading per scale, combined word by word (ocr_vote)
            heads = [crop(x0, htop, x1, hbot) for x0, x1 in bounds]
            read_crops(image, heads, dpi, lang, timeout, mag=mag, psm="6", whitelist=None)
            readings.append(heads)
        layout.head_text = [header_text(vote([r[k].words or [] for r in readings])) for k in range(len(bounds))]
    n_lab = len(layout.label_cols)
    todo: list[tuple[OcrRow, int, Crop]] = []
    for row in layout.rows:
        for k in range(len(layout.edges)):
            cell = row.cells.get(k)
            if cell is None or cell.value is None:
                x0, x1 = bounds[n_lab + k]
                todo.append((row, k, crop(x0, row.top - 0.2 * lh, x1, row.bottom + 0.2 * lh)))
    read_crops(image, [c for _, _, c in todo], dpi, lang, timeout)
    gone: set[int] = set()
    added: list[Word] = []
    for row, k, c in todo:
        new = [
            Word(
                text=t,
                bbox=BBox(x0=b[0] / scale, top=row.top, x1=b[2] / scale, bottom=row.bottom),
                size=None,
                confidence=conf,
            )
            for t, conf, b in c.words or []
            if any(ch.isdigit() or ch in "€-–" for ch in t)
        ]
        old = row.cells.get(k)
        if not new:
            if old is not None and old.value is None:  # a lone '€' nothing better replaces: a lost dash
                old.words = old.words + [Word(text="-", bbox=old.words[0].bbox, confidence=0.0)]
            continue
        if old is not None:
            gone.update(id(w) for w in old.words)
        row.cells[k] = OcrCell(words=new)
        added.extend(new)
    read_amounts(layout)
    words = [w for w in words if id(w) not in gone] + added
    return reread_labels(layout, image, scale, dpi, lang, timeout, words)


LABEL_UNSURE = 60.0  # a label word read with less confidence than this gets its row's label re-read


def label_suspects(layout: Layout) -> list[tuple[int, int]]:
    """(row, label column) of label cells worth a second look: a word OCR was unsure of, or a row the table's
    arithmetic shows to be a sub-total while its label holds no total word."""
    from calpae.extract.ocr.totals import sums_rows_above

    n = len(layout.edges)
    grid = [[row.cells[k].value if k in row.cells else None for k in range(n)] for row in layout.rows]
    out = []
    for i, row in enumerate(layout.rows):
        subtotal = not any(TOTAL_WORD.search(row.label(k)) for k in range(len(row.labels))) and sums_rows_above(grid, i)
        for k, lab in enumerate(row.labels):
            if lab and (subtotal or any((w.confidence or 0.0) < LABEL_UNSURE for w in lab)):
                out.append((i, k))
    return out


def _mean_conf(confs: list[float]) -> float:
    return sum(confs) / len(confs) if confs else 0.0


def better_label(old: list[Word], new: list[tuple[str, float, tuple]]) -> bool:
    """True when the re-read is the better reading of the label's band: surer on average than the first pass's
    words there, and not fewer words (a re-read that lost a word is not trusted over one that saw it)."""
    new = [r for r in new if any(ch.isalnum() for ch in r[0])]
    if not new or not old:
        return bool(new) and not old
    return _mean_conf([c for _, c, _ in new]) > _mean_conf([w.confidence or 0.0 for w in old]) and len(new) >= len(old)


def reread_labels(
    layout: Layout, image, scale: float, dpi: int, lang: str, timeout: float, words: list[Word]
) -> list[Word]:
    """Re-read the suspect label cells (see label_suspects) on the row's band at three enlargements, voted word by
    word (ocr_vote); the vote replaces the first pass's words on that band when it is the better reading. Words on
    the label's other lines (a wrapped label) are kept; nothing is written that OCR did not read."""
    from calpae.extract.ocr.cells import Crop, read_crops
    from calpae.extract.ocr.vote import vote

    todo = label_suspects(layout)
    if not todo:
        return words
    h_img, w_img = image.shape[0], image.shape[1]
    bounds = column_bounds(layout)
    lh = layout.height
    readings = []
    for mag in HEAD_MAGS:
        crops = []
        for i, k in todo:
            row = layout.rows[i]
            x0, x1 = bounds[k]
            crops.append(
                Crop(
                    max(0, int(x0 * scale)),
                    max(0, int((row.top - 0.1 * lh) * scale)),
                    min(w_img, int(x1 * scale) + 1),
                    min(h_img, int((row.bottom + 0.1 * lh) * scale) + 1),
                )
            )
        read_crops(image, crops, dpi, lang, timeout, mag=mag, psm="6", whitelist=None)
        readings.append(crops)
    gone: set[int] = set()
    added: list[Word] = []
    for n, (i, k) in enumerate(todo):
        row = layout.rows[i]
        voted = vote([r[n].words or [] for r in readings])
        voted = [(t, c, b) for t, c, b in voted if t.strip("|¦_[]{}").strip()]
        band = [w for w in row.labels[k] if row.top <= (w.bbox.top + w.bbox.bottom) / 2 <= row.bottom]
        if not better_label(band, voted):
            continue
        top = min([w.bbox.top for w in band] or [row.top])
        bottom = max([w.bbox.bottom for w in band] or [row.bottom])
        size = next((w.size for w in band if w.size), None)
        new = [
            Word(
                text=t.strip("|¦_[]{}").strip(),
                bbox=BBox(x0=b[0] / scale, top=top, x1=b[2] / scale, bottom=bottom),
                size=size,
                confidence=c,
            )
            for t, c, b in voted
        ]
        gone.update(id(w) for w in band)
        row.labels[k] = [w for w in row.labels[k] if id(w) not in gone] + new
        added.extend(new)
    return [w for w in words if id(w) not in gone] + added
