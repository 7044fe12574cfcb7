"""OCR tables, second looks: each column's header and the unreadable amount cells re-read from the page image,
and label cells the sums or the confidences put in doubt re-read at three enlargements and voted on."""

from __future__ import annotations

import re

import numpy as np

from calpae.extract.ocr.amounts import TOTAL_WORD, read_amounts
from calpae.extract.ocr.cells import INK_BELOW, Crop, PageImage, page_crop, read_crops, reading
from calpae.extract.ocr.headwords import repair_headers
from calpae.extract.ocr.layout import Layout, OcrCell, OcrRow, column_bounds, is_amount_run, is_amount_word
from calpae.extract.ocr.totals import sums_rows_above
from calpae.extract.ocr.vote import vote
from calpae.extract.settings import OCR, OCR_IMAGE, OCR_TABLE
from calpae.models import BBox, Word

_HEADER_YEAR = re.compile(r"(?:19|20)\d\d")
Voted = tuple[str, float, tuple]  # a word of a re-read: text, confidence, box in pixels


def header_text(words: list[tuple[str, float, tuple]]) -> str:
    """A header cell's re-read words joined, without rule remnants ('|') and unsure stray letters."""
    kept = []
    for text, conf, _ in words:
        text = text.strip("|¦_[]{}").strip()
        if not any(ch.isalnum() for ch in text) and text not in "()+-–":
            continue
        if (
            len(text) == 1
            and text not in "()+-–"
            and conf < OCR_TABLE.header_mark_conf
            and not (text.isalpha() and text.isupper())
        ):
            continue  # an unsure lone mark: a speck or a rule remnant (capitals may be column letters 'A', 'B')
        kept.append(text)
    return " ".join(t for t in kept if t)


def reread(layout: Layout, page: PageImage, words: list[Word]) -> list[Word]:
    """Re-read from the page image the header of each column (enlarged, a block each) and every amount cell the
    words left empty or unreadable (one line each, digits only); returns the page's words updated."""
    scale = page.scale

    def crop(x0: float, top: float, x1: float, bottom: float) -> Crop:
        return page_crop(page, x0, top, x1, bottom)

    bounds = column_bounds(layout)
    lh = layout.height
    if layout.header:
        htop = min(w.bbox.top for w in layout.header) - OCR_TABLE.head_crop_top * lh
        hbot = layout.rows[0].top - OCR_TABLE.head_crop_bottom * lh
        readings = []
        for mag in OCR_TABLE.head_mags:  # one reading per scale, combined word by word (ocr_vote)
            heads = [crop(x0, htop, x1, hbot) for x0, x1 in bounds]
            read_crops(page, heads, mag=mag, psm="6", whitelist=None)
            readings.append(heads)
        layout.head_text = repair_headers(
            [header_text(vote([r[k].words or [] for r in readings])) for k in range(len(bounds))]
        )
    n_lab = len(layout.label_cols)
    todo: list[tuple[OcrRow, int, Crop]] = []
    for row in layout.rows:
        for k in range(len(layout.edges)):
            cell = row.cells.get(k)
            if cell is None or cell.value is None:
                x0, x1 = bounds[n_lab + k]
                todo.append(
                    (
                        row,
                        k,
                        crop(x0, row.top - OCR_TABLE.cell_crop_pad * lh, x1, row.bottom + OCR_TABLE.cell_crop_pad * lh),
                    )
                )
    read_crops(page, [c for _, _, c in todo])
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
    return reread_labels(layout, page, words)


def label_suspects(layout: Layout) -> list[tuple[int, int]]:
    """(row, label column) of label cells worth a second look: a word OCR was unsure of, or a row the table's
    arithmetic shows to be a sub-total while its label holds no total word."""
    n = len(layout.edges)
    grid = [[row.cells[k].value if k in row.cells else None for k in range(n)] for row in layout.rows]
    out = []
    for i, row in enumerate(layout.rows):
        subtotal = not any(TOTAL_WORD.search(row.label(k)) for k in range(len(row.labels))) and sums_rows_above(grid, i)
        for k, lab in enumerate(row.labels):
            if lab and (subtotal or any((w.confidence or 0.0) < OCR_TABLE.label_unsure for w in lab)):
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


def reread_labels(layout: Layout, page: PageImage, words: list[Word]) -> list[Word]:
    """Re-read the suspect label cells (see label_suspects) on the row's band at three enlargements, voted word by
    word (ocr_vote); the vote replaces the first pass's words on that band when it is the better reading. Words on
    the label's other lines (a wrapped label) are kept; nothing is written that OCR did not read."""
    todo = label_suspects(layout)
    if not todo:
        return words
    scale = page.scale
    bounds = column_bounds(layout)
    pad = OCR_TABLE.label_crop_pad * layout.height
    readings = []
    for mag in OCR_TABLE.head_mags:
        crops = [
            page_crop(page, bounds[k][0], layout.rows[i].top - pad, bounds[k][1], layout.rows[i].bottom + pad)
            for i, k in todo
        ]
        read_crops(page, crops, mag=mag, psm="6", whitelist=None)
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
                bbox=BBox(x0=b[0] / scale, top=y0, x1=b[2] / scale, bottom=y1),
                size=size,
                confidence=c,
            )
            for t, c, b in _on_lines(voted)
            for y0, y1 in [_line_in_band(b[1] / scale, b[3] / scale, top, bottom)]
        ]
        gone.update(id(w) for w in band)
        row.labels[k] = [w for w in row.labels[k] if id(w) not in gone] + new
        added.extend(new)
    return [w for w in words if id(w) not in gone] + added


def reread_grid_text(
    grids: list[list[tuple[float, float, float, float]]],
    page: PageImage,
    words: list[Word],
    *,
    loose: bool = False,
    inked: np.ndarray | None = None,
) -> list[Word]:
    """Re-read every text cell of ruled grids (headers, row labels; boxes in points) at three enlargements voted
    word by word, as the header and labels of a borderless table are: the first pass misses or misreads small
    header text ('Part' for 'Part État 2022', 'dits acpuiics' for 'Crédits reportés') and garbles labels ('So o'
    for 'Sous total'), and the budget stage needs both. A label the first pass read with confidence may still have
    lost a line or a word (office seed 113, Aube recap: 'des jeunes majeurs' for 'Hébergements collectifs des
    jeunes majeurs'; seed 5, Jura avenant: 'Soo' for a bold 'Sous total'), so labels are re-read whatever the
    first pass's confidence; the vote replaces them only when it is the better reading (better_label). Amount cells
    are left to their own re-read.

    loose: the cells are cut from a table without rules (ocr.heads), each re-read: a re-read word whose centre lies
    outside its cell is a neighbouring line the crop grazed, one touching the left or right side of a header cell a
    phrase running over the next column ('Financement 2019' over six) that the crop cut; a label cell's words are
    put on lines (one top and bottom each); all are sized from their own ink (the first pass's size comes from a
    Tesseract line that may have run over several header lines).

    inked: the binarised page; when given, an empty body cell left of the grid's amounts that holds ink is re-read
    too (a label cell the first pass lost whole)."""
    todo: list[tuple[tuple[float, float, float, float], list[Word]]] = []
    body_of: dict[int, float] = {}
    for grid in grids:
        cells, top = grid_cells(grid, words)
        body = 0.0 if top is None else top
        amounts_x = _amounts_start(cells)
        for box, inside in cells:
            if not inside and box[1] >= body and inked is not None and box[2] <= amounts_x:
                if _inked(inked, box, page.scale):  # a label cell the first pass lost whole (office seed 171's
                    todo.append((box, inside))  # 'Allocations individuelles jeunes majeurs' and its '1.1')
                    body_of[id(inside)] = body
                continue
            if (not inside and not box[1] < body) or (
                inside and all(is_amount_word(w) for w in inside) and not box[1] < body
            ):
                continue  # an empty header cell is re-read: the first pass may miss it whole (a ruled one too), and
                # one holding a figure alone may have lost its words ('2021' of 'Crédits reportés 2021', '5' read
                # for 'Indicateurs')
            todo.append((box, inside))
            body_of[id(inside)] = body  # every header and label cell (a sure first pass may still lose words)
    if not todo:
        return words
    scale = page.scale
    h_img, w_img = page.image.shape[0], page.image.shape[1]
    inset = OCR_TABLE.grid_crop_inset * scale
    readings = []
    for mag in OCR_TABLE.head_mags:
        crops = [
            Crop(
                max(0, int(x0 * scale + inset)),
                max(0, int(top * scale + inset)),
                min(w_img, int(x1 * scale - inset) + 1),
                min(h_img, int(bottom * scale - inset) + 1),
            )
            for (x0, top, x1, bottom), _ in todo
        ]
        read_crops(page, [c for c in crops if c.x1 > c.x0 and c.bottom > c.top], mag=mag, psm="6", whitelist=None)
        readings.append(crops)
    votes = []
    for n in range(len(todo)):
        voted = [(t.strip("|¦_[]{}").strip(), c, b) for t, c, b in vote([r[n].words or [] for r in readings])]
        votes.append([v for v in voted if v[0] and not v[0].isspace()])
    # a re-read that saw more words is kept (the vote dropped unsure ones)
    taken = [
        better_label(inside, votes[n])
        or len(votes[n]) > len(inside)
        or (box[1] < body_of[id(inside)] and _letters(votes[n]) > _letters(inside))
        for n, (box, inside) in enumerate(todo)
    ]  # a header cell's re-read that saw more letters ('indicateurs' where the page read '5') too
    chosen = [
        votes[n] if taken[n] else [(w.text, w.confidence or 0.0, _pixels(w.bbox, scale)) for w in inside]
        for n, (_, inside) in enumerate(todo)
    ]
    chosen = _repaired_heads(chosen, [box[1] < body_of[id(inside)] for box, inside in todo])
    gone: set[int] = set()
    added: list[Word] = []
    for n, (_box, inside) in enumerate(todo):
        if not taken[n] and [t for t, _, _ in chosen[n]] == [w.text for w in inside]:
            continue  # the first pass's words, as they were
        size = next((w.size for w in inside if w.size), None)
        kept = chosen[n]
        if loose:
            top, bottom = _box[1] * scale, _box[3] * scale
            kept = [(t, c, b) for t, c, b in kept if top <= (b[1] + b[3]) / 2 <= bottom]
            if _box[1] < body_of[id(inside)]:  # a header cell
                kept = _uncut(kept, _box[0] * scale + inset, _box[2] * scale - inset)
            else:  # a label cell
                kept = _on_lines(kept)
            heights = sorted(b[3] - b[1] for _, _, b in kept)
            size = round(heights[len(heights) // 2] / scale * OCR.em_per_height, 1) if heights else size
        new = [
            Word(
                text=t,
                bbox=BBox(x0=b[0] / scale, top=b[1] / scale, x1=b[2] / scale, bottom=b[3] / scale),
                size=size,
                confidence=c,
            )
            for t, c, b in kept
        ]
        gone.update(id(w) for w in inside)
        added.extend(new)
    return [w for w in words if id(w) not in gone] + added


def reread_bare_units(
    grids: list[list[tuple[float, float, float, float]]], page: PageImage, words: list[Word]
) -> list[Word]:
    """Re-read, as one line of digits, each body cell of a ruled grid that holds a unit and no digit ('€' alone):
    the first pass and the column re-read (ocr.cells, which finds cells by their digits) lost its figure, or the
    dash of a dash zero. The reading replaces the cell's words only when it parses as an amount (cells.reading)."""
    todo: list[tuple[tuple[float, float, float, float], list[Word]]] = []
    for grid in grids:
        cells, body = grid_cells(grid, words)
        if body is None:
            continue
        for box, inside in cells:
            texts = "".join(w.text for w in inside)
            if box[1] >= body and inside and "€" in texts and not any(ch.isdigit() or ch.isalpha() for ch in texts):
                todo.append((box, inside))
    if not todo:
        return words
    scale = page.scale
    inset = OCR_TABLE.grid_crop_inset * scale
    crops = [
        Crop(int(x0 * scale + inset), int(top * scale + inset), int(x1 * scale - inset) + 1, int(b * scale - inset) + 1)
        for (x0, top, x1, b), _ in todo
    ]
    read_crops(page, crops)
    gone: set[int] = set()
    added: list[Word] = []
    for (_box, inside), c in zip(todo, crops, strict=True):
        if reading(c) is None:
            continue
        size = next((w.size for w in inside if w.size), None)
        gone.update(id(w) for w in inside)
        added.extend(
            Word(
                text=t,
                bbox=BBox(x0=b[0] / scale, top=b[1] / scale, x1=b[2] / scale, bottom=b[3] / scale),
                size=size,
                confidence=conf,
            )
            for t, conf, b in c.words or []
        )
    return [w for w in words if id(w) not in gone] + added


def _line_in_band(top: float, bottom: float, band_top: float, band_bottom: float) -> tuple[float, float]:
    """A re-read line's own top and bottom when its centre lies in the row's band, else the band's: a label cell
    wrapped over the two lines of a row ('Formation des agents' over 'd'accueil des maisons') keeps its lines apart,
    as the first pass read them, and no line leaves its row."""
    if band_top <= (top + bottom) / 2 <= band_bottom:
        return top, bottom
    return band_top, band_bottom


def _on_lines(words: list[Voted]) -> list[Voted]:
    """Re-read words given one top and bottom per visual line (words whose centre lies within a line's height join
    it), as parse_tsv gives a Tesseract line's words: readers order a cell's words by line, then left to right."""
    lines: list[list[Voted]] = []
    for word in sorted(words, key=lambda w: (w[2][1] + w[2][3]) / 2):
        centre = (word[2][1] + word[2][3]) / 2
        if lines and min(b[1] for _, _, b in lines[-1]) <= centre <= max(b[3] for _, _, b in lines[-1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    out: list[Voted] = []
    for line in lines:
        top, bottom = min(b[1] for _, _, b in line), max(b[3] for _, _, b in line)
        out += [(t, c, (b[0], top, b[2], bottom)) for t, c, b in sorted(line, key=lambda w: w[2][0])]
    return out


def _uncut(words: list[Voted], x0: float, x1: float) -> list[Voted]:
    """A header cell's re-read words without those of a phrase running over several columns that the crop (x0, x1
    in pixels) cut: words touching a side of the crop on or above the first line of words clear of both sides (the
    column's own header lies below such a phrase; its longest words may fill the column's width)."""
    side = OCR_TABLE.cut_word_px

    def touches(b: tuple) -> bool:
        return b[0] <= x0 + side or b[2] >= x1 - side

    clear = min((b[3] for _, _, b in words if not touches(b)), default=float("inf"))
    return [(t, c, b) for t, c, b in words if not (touches(b) and (b[1] + b[3]) / 2 <= clear)]


def _pixels(box: BBox, scale: float) -> tuple[float, float, float, float]:
    return (box.x0 * scale, box.top * scale, box.x1 * scale, box.bottom * scale)


def _repaired_heads(votes: list[list[Voted]], heads: list[bool]) -> list[list[Voted]]:
    """The voted words of each re-read cell, those of header cells (heads) repaired together (ocr.headwords: a
    year from the other headers' years, a misread word of a model column name), one word for one word."""
    at = [n for n, head in enumerate(heads) if head]
    fixed = repair_headers([" ".join(t for t, _, _ in votes[n]) for n in at], phrase=False)
    out = list(votes)
    for n, text in zip(at, fixed, strict=True):
        words = votes[n]
        tokens = text.split()
        if len(tokens) == len(words) + 1:  # a glued column letter split off the first word ('BCrédits')
            t, c, b = words[0]
            cut = b[0] + (b[2] - b[0]) / len(t)
            words = [(tokens[0], c, (b[0], b[1], cut, b[3])), (tokens[1], c, (cut, b[1], b[2], b[3])), *words[1:]]
        out[n] = [(t, c, b) for t, (_, c, b) in zip(tokens, words, strict=True)]
    return out


def grid_cells(
    grid: list[tuple[float, float, float, float]], words: list[Word]
) -> tuple[list[tuple[tuple[float, float, float, float], list[Word]]], float | None]:
    """A ruled grid's cells, each with the words centred in it, and the top of its body: its first cell holding an
    amount (None: no cell holds one)."""
    cells = [(box, [w for w in words if _centre_in(w, box)]) for box in grid]
    return cells, min((box[1] for box, inside in cells if _holds_amount(inside)), default=None)


def _holds_amount(words: list[Word]) -> bool:
    """A cell with an amount in it (not a header's years: 'CD 2019 reportés sur 2020' holds none, though its two
    years side by side would read as eight digits)."""
    run = [w for w in words if is_amount_word(w) and not _HEADER_YEAR.fullmatch(w.text.strip(" .,:;()"))]
    return bool(run) and is_amount_run(run)


def _letters(words: list) -> int:
    """Letters in a cell's words (Word or a re-read's (text, confidence, box))."""
    return sum(ch.isalpha() for w in words for ch in (w.text if isinstance(w, Word) else w[0]))


_MONEY_MARK = re.compile(r"€|\d,\d\d\b")


def _amounts_start(cells: list[tuple[tuple[float, float, float, float], list[Word]]]) -> float:
    """The left edge of a grid's leftmost column of money (cells showing '€' or cents on OCR_TABLE.min_rows rows at
    least; a Chorus code column's '0304 50 19 19 01' shows neither); 0 when there is none."""
    count: dict[int, int] = {}
    for box, inside in cells:
        if _MONEY_MARK.search(" ".join(w.text for w in inside)):
            count[round(box[0])] = count.get(round(box[0]), 0) + 1
    return float(min((x for x, n in count.items() if n >= OCR_TABLE.min_rows), default=0))


def _inked(binary: np.ndarray, box: tuple[float, float, float, float], scale: float) -> bool:
    """True when a cell (points) holds ink inside its rules: at least OCR_IMAGE.ink_min_pixels dark pixels in one mark
    of at least OCR_IMAGE.ink_min_height_pt (specks and rule remnants are not)."""
    inset = OCR_TABLE.grid_crop_inset * scale
    x0, top = max(0, int(box[0] * scale + inset)), max(0, int(box[1] * scale + inset))
    x1, bottom = min(binary.shape[1], int(box[2] * scale - inset)), min(binary.shape[0], int(box[3] * scale - inset))
    if x1 <= x0 or bottom <= top:
        return False
    ink = binary[top:bottom, x0:x1] < INK_BELOW
    rows = np.flatnonzero(ink.any(axis=1))
    high = (rows[-1] - rows[0] + 1) / scale if rows.size else 0.0
    return int(ink.sum()) >= OCR_IMAGE.ink_min_pixels and high >= OCR_IMAGE.ink_min_height_pt


def _centre_in(w: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.top + w.bbox.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]
