"""OCR words cut as a PDF's text layer cuts them, so that the readers built on born-digital words read them alike.

Tesseract glues a unit to its amount when the space before it is narrow ('-€', '17309,86€'), where a word
processor's text layer holds two words ('-' and '€'); the words-based table readers find amount cells by their
words ('-' is a zero, '€' ends a cell), so a glued unit hides the cell. The cut falls where the unit's share of the
word's characters puts it (Tesseract gives one box per word)."""

from __future__ import annotations

import re

from calpae.models import BBox, Word

# an amount or a lone dash (a zero) with its unit glued on: '-€', '–€', '17309,86€', '1 228€'
GLUED_UNIT = re.compile(r"([-–—]|[0-9][0-9.,\u00a0\u202f]*[0-9])([€%])")


# a figure with a speck read as a mark glued on ('2209:', ':1678', '.1243' in a scanned indicator table): no
# French figure opens with a dot or a colon, nor ends with a colon
GLUED_MARK = re.compile(r"[:;.'‘’]+(\d{3,})|(\d{3,})[:;]+")


def split_units(words: list[Word]) -> list[Word]:
    """Words with a unit glued to an amount or a dash cut in two: the amount (or dash) and the unit; a figure's
    glued speck mark dropped."""
    out: list[Word] = []
    for w in words:
        mark = GLUED_MARK.fullmatch(w.text)
        if mark is not None:
            w = w.model_copy(update={"text": mark.group(1) or mark.group(2)})
        m = GLUED_UNIT.fullmatch(w.text)
        if m is None:
            out.append(w)
            continue
        head, unit = m.group(1), m.group(2)
        cut = w.bbox.x0 + (w.bbox.x1 - w.bbox.x0) * len(head) / len(w.text)
        out.append(w.model_copy(update={"text": head, "bbox": _box(w.bbox, w.bbox.x0, cut)}))
        out.append(w.model_copy(update={"text": unit, "bbox": _box(w.bbox, cut, w.bbox.x1)}))
    return out


def _box(box: BBox, x0: float, x1: float) -> BBox:
    return BBox(x0=x0, top=box.top, x1=x1, bottom=box.bottom)
