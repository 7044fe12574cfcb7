"""Page geometry: words (pypdfium2 or pdfplumber) into Word records, visual lines, and repeated page furniture."""

from __future__ import annotations

import re
from collections import defaultdict

from calpae.models import BBox, Line, Word

BOLD_RE = re.compile(r"bold|black|heavy|semibold|demibold|,b\b|-b$", re.IGNORECASE)
WORD_ATTRS = ["fontname", "size", "upright"]


def is_bold_font(font: str | None) -> bool:
    """True for bold variants: Bold/Black/Heavy/Semibold in the font name (subset prefix ignored)."""
    if not font:
        return False
    return bool(BOLD_RE.search(font.split("+", 1)[-1]))


def to_word(w: dict) -> Word:
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


def page_words(page) -> list[Word]:
    """Every word of a page (a PdfiumPage, or a pdfplumber page), with font, size and orientation."""
    from calpae.extract.pdf.pdfium_words import PdfiumPage

    if isinstance(page, PdfiumPage):
        return split_glued_units(page.words())
    raw = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, extra_attrs=WORD_ATTRS)
    return split_glued_units([to_word(w) for w in raw if w["text"].strip()])


GLUED_UNIT_RE = re.compile(r"^([€%])(\d[\d.,]*)$")  # '€2': one cell's unit touching the next cell's first group


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


SAME_LINE_OVERLAP = 0.6  # share of the smaller height two boxes must overlap to sit on one line


def _same_line(word: Word, line_words: list[Word]) -> bool:
    """A word joins a line when its baseline is within a fraction of the font size of the line's, or when the
    boxes mostly overlap (a cell's text centred at another size than its neighbours' shifts its baseline)."""
    ref = line_words[0]
    tol = max(1.5, 0.3 * (ref.size or 10.0))
    if abs(word.bbox.bottom - ref.bbox.bottom) <= tol or (
        word.bbox.top >= ref.bbox.top - 0.5 and word.bbox.bottom <= ref.bbox.bottom + 0.5
    ):
        return True
    overlap = min(word.bbox.bottom, ref.bbox.bottom) - max(word.bbox.top, ref.bbox.top)
    smaller = min(word.bbox.bottom - word.bbox.top, ref.bbox.bottom - ref.bbox.top)
    return smaller > 0 and overlap >= SAME_LINE_OVERLAP * smaller


def make_line(words: list[Word], page: int) -> Line:
    """A Line from words already sorted left to right."""
    bold_chars = sum(len(w.text) for w in words if w.bold)
    total = sum(len(w.text) for w in words) or 1
    return Line(
        text=" ".join(w.text for w in words),
        page=page,
        bbox=BBox.union([w.bbox for w in words]),
        words=words,
        bold=bold_chars * 2 > total,
    )


def group_lines(words: list[Word], page: int) -> list[Line]:
    """Upright words grouped into visual lines (top to bottom); each rotated word is a line of its own."""
    upright = sorted((w for w in words if w.upright), key=lambda w: (round(w.bbox.bottom, 1), w.bbox.x0))
    groups: list[list[Word]] = []
    for w in upright:
        for g in reversed(groups[-3:]):
            if _same_line(w, g):
                g.append(w)
                break
        else:
            groups.append([w])
    lines = [make_line(sorted(g, key=lambda w: w.bbox.x0), page) for g in groups]
    lines += [make_line([w], page) for w in words if not w.upright]
    lines.sort(key=lambda ln: (ln.bbox.top if ln.bbox else 0.0, ln.bbox.x0 if ln.bbox else 0.0))
    return lines


def _furniture_key(line: Line) -> tuple[str, int]:
    """Text with digits blurred and position rounded, so 'Page 3' and 'Page 4' match."""
    text = re.sub(r"\d+", "#", line.text.strip().lower())
    return text, int(round((line.bbox.top if line.bbox else 0.0) / 6.0))


def repeated_furniture(pages_lines: list[list[Line]], heights: list[float], min_pages: int = 3) -> set[int]:
    """ids of lines in the top/bottom band repeated at the same place on >= min_pages pages."""
    from calpae.extract.structure.furniture import heads_table

    seen: dict[tuple[str, int], list[Line]] = defaultdict(list)
    for lines, height in zip(pages_lines, heights):
        band = 0.14 * height
        for i, ln in enumerate(lines):
            if ln.bbox is None or not ln.text.strip():
                continue
            # a table header repeated where each page starts a table of one model is not furniture
            if (ln.bbox.top <= band or ln.bbox.bottom >= height - band) and not heads_table(lines, i):
                seen[_furniture_key(ln)].append(ln)
    n_pages = len(pages_lines)
    need = min(min_pages, n_pages) if n_pages >= 2 else min_pages
    return {id(ln) for group in seen.values() if len({ln.page for ln in group}) >= need for ln in group}
