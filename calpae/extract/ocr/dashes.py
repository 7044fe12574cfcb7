"""Dash zeros of ruled grids read from their ink: a body cell whose only marks are a short stroke at mid-height and,
right of it, one glyph of text height holds '- €' (the office style of a zero), however OCR read it.

Small scanned tables (a 16-column recap at 150 dpi) lose the dash or read the pair as '-«', '4', '*4', '. -4'. A
dash is too small and too plain for Tesseract, but its shape on the page is unambiguous: a mark wider than tall,
under half the height of the glyph beside it, centred on that glyph's middle, with no other ink in the cell than
specks. The cell's words are replaced by '-' and '€' on those marks (boxes from the ink, both of the glyph's
height: one line)."""

from __future__ import annotations

import numpy as np

from calpae.extract.ocr.image import true_runs
from calpae.extract.ocr.reread import grid_cells
from calpae.extract.settings import OCR_DASH, OcrDashSettings
from calpae.models import BBox, Word

Box = tuple[float, float, float, float]
Mark = tuple[int, int, int, int, int]  # x0, x1, top, bottom (pixels of the crop), ink pixels
INK_BELOW = 128  # grey level under which a pixel of the binarised page is ink


def cell_marks(binary: np.ndarray, box: Box, scale: float, settings: OcrDashSettings = OCR_DASH) -> list[Mark]:
    """The marks of a cell (box in points, inset from its rules): runs of ink columns, each with its ink's top and
    bottom and its pixel count; coordinates in pixels of the crop."""
    inset = settings.inset_pt * scale
    x0, top = max(0, int(box[0] * scale + inset)), max(0, int(box[1] * scale + inset))
    x1, bottom = min(binary.shape[1], int(box[2] * scale - inset)), min(binary.shape[0], int(box[3] * scale - inset))
    if x1 <= x0 or bottom <= top:
        return []
    ink = binary[top:bottom, x0:x1] < INK_BELOW
    out: list[Mark] = []
    for a, b in true_runs(ink.sum(axis=0) >= 1, settings.join_px):
        ys = np.flatnonzero(ink[:, a:b].any(axis=1))
        out.append((a, b, int(ys[0]), int(ys[-1]) + 1, int(ink[:, a:b].sum())))
    return out


def dash_and_unit(marks: list[Mark], settings: OcrDashSettings = OCR_DASH) -> tuple[Mark, Mark] | None:
    """(dash, unit) when the cell's marks are a dash and, right of it, one glyph; every other mark a speck."""
    if not marks:
        return None
    unit = max(marks, key=lambda m: m[4])  # the glyph: the mark with the most ink
    high = unit[3] - unit[2]
    if high <= 0 or unit is not max(marks, key=lambda m: m[1]):
        return None  # the unit stands last
    left = [m for m in marks if m is not unit and m[1] <= unit[0]]
    if not left:
        return None
    dash = left[-1]  # the mark nearest the glyph
    d_wide, d_high = dash[1] - dash[0], dash[3] - dash[2]
    middle = (unit[2] + unit[3]) / 2
    if not (
        d_wide >= d_high
        and d_high <= settings.max_height * high
        and abs((dash[2] + dash[3]) / 2 - middle) <= settings.centre_tol * high
        and unit[0] - dash[1] <= settings.max_gap * high
    ):
        return None
    if any(m[4] > settings.speck_share * unit[4] for m in marks if m is not unit and m is not dash):
        return None  # more ink than specks: the cell holds something else
    return dash, unit


def read_dash_cells(
    grids: list[list[Box]],
    binary: np.ndarray,
    scale: float,
    words: list[Word],
    settings: OcrDashSettings = OCR_DASH,
) -> list[Word]:
    """Body cells of ruled grids (at or below the first row holding an amount) whose ink is a dash and a unit, their
    words replaced by '-' and '€'; returns the page's words updated."""
    gone: set[int] = set()
    added: list[Word] = []
    for grid in grids:
        cells, body = grid_cells(grid, words)
        if body is None:
            continue
        for box, inside in cells:
            if box[1] < body or any(sum(ch.isalpha() for ch in w.text) >= settings.word_letters for w in inside):
                continue  # a header cell, or a label (a word read there; a re-read may make letters of the marks)
            found = dash_and_unit(cell_marks(binary, box, scale, settings), settings)
            if found is None:
                continue
            ox, oy = box[0] + settings.inset_pt, box[1] + settings.inset_pt
            top, bottom = oy + found[1][2] / scale, oy + found[1][3] / scale
            size = next((w.size for w in inside if w.size), None)
            new = [
                Word(
                    text=text,
                    bbox=BBox(x0=ox + m[0] / scale, top=top, x1=ox + m[1] / scale, bottom=bottom),
                    size=size,
                    confidence=settings.conf,
                )
                for text, m in zip(("-", "€"), found, strict=True)
            ]
            gone.update(id(w) for w in inside)
            added.extend(new)
    return [w for w in words if id(w) not in gone] + added
