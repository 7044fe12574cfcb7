"""OCR of one page image: deskewed, denoised, ruling lines found and whitened, Tesseract's words, amount cells
re-read, ruled grids from the image, and a borderless table rebuilt from the words where there is no grid."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from calpae.extract.geometry.lines import group_lines
from calpae.extract.ocr.amounts import check_totals, read_amounts
from calpae.extract.ocr.arbiter import replace_words
from calpae.extract.ocr.cells import PageImage, amount_columns, amount_spans, column_crops, read_crops
from calpae.extract.ocr.confirm import confirm_failing
from calpae.extract.ocr.dashes import read_dash_cells
from calpae.extract.ocr.engine import parse_tsv, run_tesseract
from calpae.extract.ocr.heads import header_boxes, label_boxes
from calpae.extract.ocr.image import (
    binarize,
    clean_for_ocr,
    denoise,
    deskew,
    estimate_skew,
    grid_boxes,
    rule_masks,
    rules_to_clean,
    segments,
    unread_ink,
)
from calpae.extract.ocr.layout import Layout, find_layout
from calpae.extract.ocr.reread import reread, reread_bare_units, reread_grid_text
from calpae.extract.ocr.tokens import split_units
from calpae.extract.settings import OCR, OCR_IMAGE, POINTS_PER_INCH, OcrSettings
from calpae.models import Word

log = logging.getLogger(__name__)


@dataclass
class PageOcr:
    """What OCR found on one page: words (points), ruled grids (cell boxes in points), the skew corrected."""

    words: list[Word]
    grids: list[list[tuple[float, float, float, float]]] = field(default_factory=list)
    skew: float = 0.0
    layouts: list[Layout] = field(default_factory=list)  # borderless amount tables found in the words
    ink: list[tuple[float, float, float, float]] = field(default_factory=list)  # marks no word covers (points)


def ocr_image(gray: np.ndarray, settings: OcrSettings = OCR) -> PageOcr:
    """Deskew, denoise, find and remove ruling lines, run Tesseract, re-read amount cells; returned in points."""
    angle = estimate_skew(gray)
    gray = denoise(deskew(gray, angle))
    dpi = settings.dpi
    scale = dpi / POINTS_PER_INCH
    h_mask, v_mask = rule_masks(gray, dpi)
    thick = max(OCR_IMAGE.min_rule_px, int(OCR_IMAGE.max_rule_pt * scale))
    horiz, vert = segments(h_mask, 0, thick), segments(v_mask, 1, thick)
    clean = clean_for_ocr(gray, rules_to_clean(horiz, vert, dpi * settings.grid_tol_in, dpi), vert)
    buf = io.BytesIO()
    Image.fromarray(clean).save(buf, "PNG")
    words = parse_tsv(run_tesseract(buf.getvalue(), settings), scale, settings)
    page = PageImage(image=clean, scale=scale, dpi=dpi, lang=settings.lang, timeout=settings.page_timeout)
    if words:
        binary = binarize(clean)
        lines = [ln.words for ln in group_lines(words, 0)]
        crops = [
            c for i, col in enumerate(amount_columns(amount_spans(lines))) for c in column_crops(binary, col, scale, i)
        ]
        read_crops(page, crops)
        words = replace_words(words, crops, scale)
    grids = [
        [(x0 / scale, top / scale, x1 / scale, bottom / scale) for x0, top, x1, bottom in grid]
        for grid in grid_boxes(horiz, vert, dpi * settings.grid_tol_in)
    ]
    if words and grids:
        binary = binarize(clean)
        words = reread_grid_text(grids, page, words, inked=binary)
        words = reread_bare_units(grids, page, words)
        words = read_dash_cells(grids, binary, scale, words)
    layouts = []
    if words and not grids:
        heads = header_boxes(split_units(words))
        if heads:  # the header, then the labels of the words-based reading, cell by cell
            words = reread_grid_text([heads], page, words, loose=True)
            labels = label_boxes(split_units(words))
            words = reread_grid_text([labels], page, words, loose=True) if labels else words
        layout = find_layout(group_lines(words, 0))
        if layout is not None:
            read_amounts(layout)
            words = reread(layout, page, words)
            for r, k, why in confirm_failing(layout, page):
                log.info("OCR amount in row %d, column %d in doubt: %s", r + 1, k + 1, why)
            for r, k, old, new in check_totals(layout):
                log.info(
                    "OCR amount in row %d, column %d read %s, set to %s by the table's sums", r + 1, k + 1, old, new
                )
            layouts.append(layout)
    words = split_units(_drop_repeats(words))
    read = [
        (int(w.bbox.x0 * scale), int(w.bbox.top * scale), int(w.bbox.x1 * scale) + 1, int(w.bbox.bottom * scale) + 1)
        for w in words
    ]
    ink = unread_ink(binarize(clean), read, scale)
    return PageOcr(words=words, grids=grids, skew=angle, layouts=layouts, ink=ink)


def _drop_repeats(words: list[Word], share: float = OCR.repeat_overlap) -> list[Word]:
    """Without a word read twice: the same text over (nearly) the same x-span, the boxes meeting, the first pass's
    and a cell re-read's both kept ('374' '374' in one ruled cell of a scanned indicator table, read as 374374)."""
    kept: list[Word] = []
    by_text: dict[str, list[Word]] = {}
    for w in words:
        same = by_text.setdefault(w.text, [])
        if not any(_same_place(k, w, share) for k in same):
            same.append(w)
            kept.append(w)
    return kept


def _same_place(a: Word, b: Word, share: float) -> bool:
    """True when the boxes share at least `share` of the narrower one's width and OCR.repeat_height of the lower
    one's height (a line's box reaches a descent below its baseline: the same word on two rows of a column, such
    boxes overlap by that much at most; a re-read's box and the first pass's of one word, 2.8 of 6.6 points)."""
    dx = min(a.bbox.x1, b.bbox.x1) - max(a.bbox.x0, b.bbox.x0)
    dy = min(a.bbox.bottom, b.bbox.bottom) - max(a.bbox.top, b.bbox.top)
    narrow = min(a.bbox.x1 - a.bbox.x0, b.bbox.x1 - b.bbox.x0)
    low = min(a.bbox.bottom - a.bbox.top, b.bbox.bottom - b.bbox.top)
    return narrow > 0 and dx >= share * narrow and dy >= OCR.repeat_height * low
