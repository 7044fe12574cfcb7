"""Words: pdfplumber word dicts as Word records, bold fonts, units glued to the next amount cut apart."""

from __future__ import annotations

import re
from typing import Any

from calpae.models import BBox, Word

BOLD_RE = re.compile(r"bold|black|heavy|semibold|demibold|,b\b|-b$", re.IGNORECASE)
GLUED_UNIT_RE = re.compile(r"^([€%])(\d[\d.,]*)$")  # '€2': one cell's unit touching the next cell's first group


def is_bold_font(font: str | None) -> bool:
    """True for bold variants: Bold/Black/Heavy/Semibold in the font name (subset prefix ignored)."""
    if not font:
        return False
    return bool(BOLD_RE.search(font.split("+", 1)[-1]))


def to_word(w: dict[str, Any]) -> Word:
    """One pdfplumber word dict as a Word (top-left coordinates, font, size, bold, upright)."""
    font = w.get("fontname")
    return Word(
        text=w["text"],
        bbox=BBox(x0=float(w["x0"]), top=float(w["top"]), x1=float(w["x1"]), bottom=float(w["bottom"])),
        font=font,
        size=round(float(w["size"]), 2) if w.get("size") is not None else None,
        bold=is_bold_font(font),
        upright=bool(w.get("upright", True)),
    )


def split_glued_units(words: list[Word]) -> list[Word]:
    """Words like '€2' cut in two: in a narrow column the unit ending one amount may touch the next amount's
    leading digit ('2 010 663,31 €' after '0 €'), and a unit never comes before the digits of one amount.

    The box is shared in proportion to the characters (digits and '€' have about the same advance)."""
    out: list[Word] = []
    for w in words:
        m = GLUED_UNIT_RE.match(w.text) if w.upright else None
        if m is None:
            out.append(w)
            continue
        cut = w.bbox.x0 + (w.bbox.x1 - w.bbox.x0) * len(m.group(1)) / len(w.text)
        out.append(w.model_copy(update={"text": m.group(1), "bbox": w.bbox.model_copy(update={"x1": cut})}))
        out.append(w.model_copy(update={"text": m.group(2), "bbox": w.bbox.model_copy(update={"x0": cut})}))
    return out
