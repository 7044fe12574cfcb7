"""Second OCR pass on amount cells: right-aligned number columns found in the first pass are cut out of the
binarised page, one crop per text band, and re-read as single lines with a digits-only whitelist.

Whole-page OCR of small table text loses digit spacing, glues specks to numbers and sometimes reads a whole row
of amounts as a word; a line read of each cell, limited to the characters amounts are written with, does not.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import numpy as np
from PIL import Image

from calpae.extract.numbers.parse import parse_number
from calpae.extract.settings import OCR_CELLS
from calpae.models import BBox, Word

WHITELIST = "0123456789 ,.€-%"
PIECE_CHARS = set("0123456789.,€%-–")
S = OCR_CELLS
MIN_WIDTH = 1e-6  # points: a word's width never divides by less (a zero-width glyph)
INK_BELOW = 128  # grey level under which a pixel of the binarised page is ink
BOX_DESCENTS = 1.5  # a row's box reaches half a descent above the digits' ink and a full descent below


@dataclass(frozen=True)
class PageImage:
    """A cleaned greyscale page and how to read crops of it with Tesseract."""

    image: np.ndarray
    scale: float  # pixels per point
    dpi: int  # resolution the image was rendered at
    lang: str  # Tesseract language
    timeout: float  # seconds for one Tesseract call


@dataclass
class Crop:
    """One candidate amount cell: its box in pixels and, once read, the second pass's words (pixels)."""

    x0: int
    top: int
    x1: int
    bottom: int
    words: list[tuple[str, float, tuple[float, float, float, float]]] | None = None
    column: int = 0  # which amount column of the page the crop was cut from

    @property
    def text(self) -> str:
        return " ".join(t for t, _, _ in self.words or [])


def is_piece(text: str) -> bool:
    """True for a word made of digits, separators and units only (a piece of an amount)."""
    return bool(text) and set(text) <= PIECE_CHARS


def amount_spans(lines: list[list[Word]]) -> list[BBox]:
    """Boxes of runs of number-like words on each line (a first-pass guess at amount cells)."""
    spans: list[BBox] = []
    for words in lines:
        words = sorted(words, key=lambda w: w.bbox.x0)
        run: list[Word] = []
        for w in words + [None]:
            if (
                w is not None
                and is_piece(w.text)
                and (not run or w.bbox.x0 - run[-1].bbox.x1 <= S.span_gap * (w.bbox.bottom - w.bbox.top))
            ):
                run.append(w)
                continue
            text = "".join(r.text for r in run)
            box = BBox.union([r.bbox for r in run])
            if box is not None and (
                sum(ch.isdigit() for ch in text) >= S.amount_digits
                or (any(ch.isdigit() for ch in text) and text[-1] in "€%")
            ):
                spans.append(box)  # not list numbering ('1.', '2.1')
            run = [w] if w is not None and is_piece(w.text) else []
    return spans


def amount_columns(spans: list[BBox]) -> list[BBox]:
    """Regions (points) holding a column of right-aligned amounts: >= S.min_members spans sharing a right edge."""
    if not spans:
        return []
    height = median(s.bottom - s.top for s in spans)
    groups: list[list[BBox]] = []
    for s in sorted(spans, key=lambda s: s.x1):
        if groups and s.x1 - groups[-1][-1].x1 <= S.right_tol * height:
            groups[-1].append(s)
        else:
            groups.append([s])
    out: list[BBox] = []
    for group in groups:
        run: list[BBox] = []
        ordered: list[BBox | None] = [*sorted(group, key=lambda s: s.top), None]
        for span in ordered:
            if span is not None and (not run or span.top - run[-1].bottom <= S.column_break * height):
                run.append(span)
                continue
            if len(run) >= S.min_members:
                out.append(
                    BBox(
                        x0=min(r.x0 for r in run),
                        top=min(r.top for r in run) - S.column_pad * height,
                        x1=max(r.x1 for r in run) + S.column_pad * height,
                        bottom=max(r.bottom for r in run) + S.column_pad * height,
                    )
                )
            run = [span] if span is not None else []
    return out


def _runs(mask: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """(start, end) of True runs, runs separated by at most `bridge` False merged."""
    idx = np.nonzero(mask)[0]
    out: list[tuple[int, int]] = []
    for i in idx:
        if out and i - out[-1][1] <= bridge + 1:
            out[-1] = (out[-1][0], int(i) + 1)
        else:
            out.append((int(i), int(i) + 1))
    return out


def column_crops(binary: np.ndarray, column: BBox, scale: float, index: int = 0) -> list[Crop]:
    """One crop per text band of a column: from its right edge leftwards until a white gap wider than a cell gap."""
    h, w = binary.shape
    x0, x1 = max(0, int(column.x0 * scale)), min(w, int(column.x1 * scale) + 1)
    top, bottom = max(0, int(column.top * scale)), min(h, int(column.bottom * scale) + 1)
    ink = binary[top:bottom] < INK_BELOW
    bands = [(a, b) for a, b in _runs(ink[:, x0:x1].sum(axis=1) >= S.min_ink, S.band_bridge)]
    if not bands:
        return []
    tall = median(b - a for a, b in bands)
    crops: list[Crop] = []
    for a, b in bands:
        if b - a < S.min_band * tall:
            continue
        cols = ink[a:b, :x1].sum(axis=0) >= 1
        pieces = _runs(cols, int(S.cell_gap * (b - a)))
        if not pieces:
            continue
        left, right = pieces[-1]
        if right < x0:
            continue
        crops.append(
            Crop(
                max(0, left - S.margin), top + a - S.margin, min(w, right + S.margin), top + b + S.margin, column=index
            )
        )
    return crops


def read_crops(
    page: PageImage,
    crops: list[Crop],
    *,
    mag: int = S.mag,
    psm: str = "7",
    whitelist: str | None = WHITELIST,
) -> None:
    """Fill each crop's words: one Tesseract process reads them all as single lines (--psm 7), digits only.

    `page.image` is the cleaned greyscale page (anti-aliased edges help Tesseract more than a hard binarisation)."""
    if not crops:
        return
    image = page.image
    with tempfile.TemporaryDirectory(prefix="calpae-ocr-") as tmp:
        paths = []
        for i, c in enumerate(crops):
            img = Image.fromarray(np.pad(image[max(0, c.top) : c.bottom, c.x0 : c.x1], S.pad, constant_values=255))
            if mag > 1:
                img = img.resize((img.width * mag, img.height * mag), Image.Resampling.LANCZOS)
            path = Path(tmp) / f"{i:05d}.png"
            img.save(path)
            paths.append(str(path))
        listing = Path(tmp) / "crops.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        cmd = ["tesseract", str(listing), "stdout", "-l", page.lang, "--psm", psm, "--dpi", str(page.dpi * mag)]
        cmd += ["-c", f"tessedit_char_whitelist={whitelist}", "tsv"] if whitelist else ["tsv"]
        out = subprocess.run(cmd, capture_output=True, timeout=page.timeout, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode(errors="replace").strip().splitlines()[-1:] or "tesseract failed")
    read: dict[int, list[tuple[str, float, tuple[float, float, float, float]]]] = {id(c): [] for c in crops}
    for c in crops:
        c.words = read[id(c)]
    for raw in out.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        f = raw.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        c = crops[int(f[1]) - 1]
        left, top, wd, ht = (float(v) / mag for v in f[6:10])
        box = (c.x0 + left - S.pad, c.top + top - S.pad, c.x0 + left - S.pad + wd, c.top + top - S.pad + ht)
        read[id(c)].append((f[11].strip(), float(f[10]), box))


def reading(crop: Crop) -> str | None:
    """The crop's text when it reads as one amount (stray punctuation dropped), else None."""
    words = [t for t, _, _ in crop.words or [] if any(ch.isdigit() or ch in "€%" for ch in t)]
    text = " ".join(words)
    parsed = parse_number(text) if text else None
    if parsed is None or parsed.value is None or parsed.malformed or parsed.is_year:
        return None
    return text


def _inside(w: Word, box: BBox) -> float:
    """Share of the word's width inside box, when it shares a third of the height of the shorter of the two.

    Not its centre line: a first-pass word's box runs from its line's top to below the baseline (often half a
    digit lower than the ink), so its centre can fall under a crop cut tight around the digits, and the old
    reading would stay beside the new one. Rows of a table are far more than a third of a height apart."""
    shared = min(w.bbox.bottom, box.bottom) - max(w.bbox.top, box.top)
    if shared < S.overlap_v * min(w.bbox.bottom - w.bbox.top, box.bottom - box.top):
        return 0.0
    overlap = min(w.bbox.x1, box.x1) - max(w.bbox.x0, box.x0)
    return max(0.0, overlap) / max(w.bbox.x1 - w.bbox.x0, MIN_WIDTH)


def _is_text(w: Word) -> bool:
    return sum(ch.isalpha() for ch in w.text) >= S.text_letters and (w.confidence or 0.0) >= S.confident


def _value(text: str):
    parsed = parse_number(text) if text else None
    return None if parsed is None or parsed.malformed or parsed.is_year else parsed.value


def _is_sum(values: list, k: int) -> bool:
    """True when values[k] equals the sum of a run of at least two values just before it."""
    if values[k] is None:
        return False
    total = 0
    for j in range(k - 1, -1, -1):
        if values[j] is None:
            return False
        total += values[j]
        if j <= k - 2 and total == values[k]:
            return True
    return False


def _agreement(lines: list[list[Crop]], pick: dict[int, int], options: dict[int, list]) -> int:
    """How many cells equal the sum of the cells before them in their row or column, under the chosen readings."""
    score = 0
    for line in lines:
        values = [options[id(c)][pick[id(c)]] for c in line]
        score += sum(_is_sum(values, k) for k in range(2, len(values)))
    return score


def arbitrate(accepted: list[tuple[Crop, list[Word]]], rows: dict[int, tuple[float, float]]) -> dict[int, int]:
    """For cells whose first pass and re-read disagree, the reading (0: re-read, 1: first pass) that makes the
    most row and column totals hold; ties keep the re-read unless one of its words is unsure and the first
    pass's are all surer. General: any cell equal to a run above or left of it."""
    options = {id(c): [_value(reading(c) or ""), _value(" ".join(w.text for w in cov))] for c, cov in accepted}
    pick = {k: 0 for k in options}
    surer = {id(c): _first_surer(c, cov) for c, cov in accepted}
    unsure = [k for k, (a, b) in options.items() if b is not None and a != b]
    if not unsure:
        return pick
    crops = [c for c, _ in accepted]
    columns: dict[int, list[Crop]] = {}
    by_row: dict[tuple[float, float], list[Crop]] = {}
    for c in sorted(crops, key=lambda c: c.top):
        columns.setdefault(c.column, []).append(c)
    for c in sorted(crops, key=lambda c: c.x0):
        by_row.setdefault(rows[id(c)], []).append(c)
    lines = list(columns.values()) + list(by_row.values())
    for k in unsure:
        scores = []
        for choice in (0, 1):
            pick[k] = choice
            scores.append(_agreement(lines, pick, options))
        pick[k] = 1 if scores[1] > scores[0] or (scores[1] == scores[0] and surer[k]) else 0
    return pick


def _least_sure(confs: list[float]) -> float:
    return min(confs) if confs else 0.0


def _first_surer(crop: Crop, covered: list[Word]) -> bool:
    """True when the re-read has a word Tesseract barely saw ('4' of '34') and the first pass read all its own
    words with more confidence: on a tie of the sums, that reading is kept."""
    again = _least_sure([conf for _, conf, _ in crop.words or []])
    first = _least_sure([w.confidence or 0.0 for w in covered])
    return again < S.unsure and first > again


def _row_boxes(crops: list[Crop]) -> dict[int, tuple[float, float]]:
    """(top, bottom) in pixels shared by the accepted crops of one visual row, shaped like a font box.

    Cells of one row must share a baseline for line grouping, as born-digital words do; digits have no
    descenders, so the bottom is pushed down by a descender's depth and the top up by the accent room."""
    ink = {
        id(c): (float(c.top + S.margin), float(c.bottom - S.margin)) for c in crops
    }  # the band's ink (Tesseract's boxes wander)
    rows: list[list[Crop]] = []
    for c in sorted(crops, key=lambda c: ink[id(c)][1]):
        top, bottom = ink[id(c)]
        if rows and abs(bottom - ink[id(rows[-1][0])][1]) <= S.same_row * (bottom - top):
            rows[-1].append(c)
        else:
            rows.append([c])
    out: dict[int, tuple[float, float]] = {}
    for row in rows:
        height = median(ink[id(c)][1] - ink[id(c)][0] for c in row)
        top = min(ink[id(c)][0] for c in row) - S.descent * height / 2
        bottom = max(ink[id(c)][1] for c in row) + S.descent * height
        out.update({id(c): (top, bottom) for c in row})
    return out


def replace_words(words: list[Word], crops: list[Crop], scale: float) -> list[Word]:
    """First-pass words with each amount crop's content swapped for its second reading where that reads as an amount."""
    accepted: list[tuple[Crop, list[Word]]] = []
    for c in crops:
        if reading(c) is None:
            continue
        box = BBox(x0=c.x0 / scale, top=c.top / scale, x1=c.x1 / scale, bottom=c.bottom / scale)
        covered = [w for w in words if _inside(w, box) >= S.covered]
        if not any(_is_text(w) for w in covered):
            c.words = [(t, conf, b) for t, conf, b in c.words or [] if any(ch.isdigit() or ch in "€%" for ch in t)]
            accepted.append((c, covered))
    rows = _row_boxes([c for c, _ in accepted])
    pick = arbitrate(accepted, rows)
    gone: set[int] = set()
    new: list[Word] = []
    for c, covered in accepted:
        top, bottom = (v / scale for v in rows[id(c)])
        size = next(
            (w.size for w in covered if w.size),
            round((bottom - top) * S.em_per_ink / (1 + BOX_DESCENTS * S.descent), 1),
        )
        gone.update(id(w) for w in covered)
        if pick[id(c)] == 1:  # the first pass's reading makes the totals hold: its words, on the cell's baseline
            new.extend(
                w.model_copy(update={"bbox": BBox(x0=w.bbox.x0, top=top, x1=w.bbox.x1, bottom=bottom)}) for w in covered
            )
            continue
        new.extend(
            Word(
                text=t, bbox=BBox(x0=b[0] / scale, top=top, x1=b[2] / scale, bottom=bottom), size=size, confidence=conf
            )
            for t, conf, b in c.words or []
        )
    return [w for w in words if id(w) not in gone] + new
