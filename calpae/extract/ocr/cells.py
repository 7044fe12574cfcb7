"""Second OCR pass on amount cells: right-aligned number columns found in the first pass are cut out of the
binarised page, one crop per text band, and re-read as single lines with a digits-only whitelist.

Whole-page OCR of small table text loses digit spacing, glues specks to numbers and sometimes reads a whole row
of amounts as a word; a line read of each cell, limited to the characters amounts are written with, does not.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import numpy as np
from PIL import Image

from calpae.extract.numbers.parse import parse_number
from calpae.extract.ocr.cache import cached_tsv
from calpae.extract.ocr.image import true_runs
from calpae.extract.settings import OCR_CELLS
from calpae.models import BBox, Word

WHITELIST = "0123456789 ,.€-%"
PIECE_CHARS = set("0123456789.,€%-–")
S = OCR_CELLS
INK_BELOW = 128  # grey level under which a pixel of the binarised page is ink


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


def column_crops(binary: np.ndarray, column: BBox, scale: float, index: int = 0) -> list[Crop]:
    """One crop per text band of a column: from its right edge leftwards until a white gap wider than a cell gap."""
    h, w = binary.shape
    x0, x1 = max(0, int(column.x0 * scale)), min(w, int(column.x1 * scale) + 1)
    top, bottom = max(0, int(column.top * scale)), min(h, int(column.bottom * scale) + 1)
    ink = binary[top:bottom] < INK_BELOW
    # (the white joined has always been one pixel more than band_bridge and the cell gap say; kept so)
    bands = [(a, b) for a, b in true_runs(ink[:, x0:x1].sum(axis=1) >= S.min_ink, S.band_bridge + 1)]
    if not bands:
        return []
    tall = median(b - a for a, b in bands)
    crops: list[Crop] = []
    for a, b in bands:
        if b - a < S.min_band * tall:
            continue
        cols = ink[a:b, :x1].sum(axis=0) >= 1
        pieces = true_runs(cols, int(S.cell_gap * (b - a)) + 1)
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


def page_crop(page: PageImage, x0: float, top: float, x1: float, bottom: float) -> Crop:
    """The crop of a box given in points, in the page image's pixels and clipped to it."""
    h, w = page.image.shape[0], page.image.shape[1]
    return Crop(
        max(0, int(x0 * page.scale)),
        max(0, int(top * page.scale)),
        min(w, int(x1 * page.scale) + 1),
        min(h, int(bottom * page.scale) + 1),
    )


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
    pngs = []
    for c in crops:
        img = Image.fromarray(np.pad(image[max(0, c.top) : c.bottom, c.x0 : c.x1], S.pad, constant_values=255))
        if mag > 1:
            img = img.resize((img.width * mag, img.height * mag), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        pngs.append(buf.getvalue())
    cmd = ["tesseract", "-l", page.lang, "--psm", psm, "--dpi", str(page.dpi * mag)]
    cmd += ["-c", f"tessedit_char_whitelist={whitelist}", "tsv"] if whitelist else ["tsv"]
    tsv = cached_tsv(cmd, pngs, lambda: _run_listing(cmd, pngs, page.timeout))
    read: dict[int, list[tuple[str, float, tuple[float, float, float, float]]]] = {id(c): [] for c in crops}
    for c in crops:
        c.words = read[id(c)]
    for raw in tsv.splitlines()[1:]:
        f = raw.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        c = crops[int(f[1]) - 1]
        left, top, wd, ht = (float(v) / mag for v in f[6:10])
        box = (c.x0 + left - S.pad, c.top + top - S.pad, c.x0 + left - S.pad + wd, c.top + top - S.pad + ht)
        read[id(c)].append((f[11].strip(), float(f[10]), box))


def _run_listing(cmd: list[str], pngs: list[bytes], timeout: float) -> str:
    """Tesseract's TSV for a list of images read in one process (cmd without its input and output names)."""
    with tempfile.TemporaryDirectory(prefix="calpae-ocr-") as tmp:
        paths = []
        for i, png in enumerate(pngs):
            path = Path(tmp) / f"{i:05d}.png"
            path.write_bytes(png)
            paths.append(str(path))
        listing = Path(tmp) / "crops.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        full = [cmd[0], str(listing), "stdout", *cmd[1:]]
        out = subprocess.run(full, capture_output=True, timeout=timeout, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode(errors="replace").strip().splitlines()[-1:] or "tesseract failed")
    return out.stdout.decode("utf-8", errors="replace")


def reading(crop: Crop) -> str | None:
    """The crop's text when it reads as one amount (stray punctuation dropped), else None."""
    words = [t for t, _, _ in crop.words or [] if any(ch.isdigit() or ch in "€%" for ch in t)]
    text = " ".join(words)
    parsed = parse_number(text) if text else None
    if parsed is None or parsed.value is None or parsed.malformed or parsed.is_year:
        return None
    return text
