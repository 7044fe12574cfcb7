"""Visual lines: words grouped by baseline (or by overlapping boxes), top to bottom, left to right."""

from __future__ import annotations

from calpae.extract.settings import DEFAULT_FONT_SIZE, LINES
from calpae.models import BBox, Line, Word


def _same_line(word: Word, line_words: list[Word]) -> bool:
    """A word joins a line when its baseline is within a fraction of the font size of the line's, or when the
    boxes mostly overlap (a cell's text centred at another size than its neighbours' shifts its baseline)."""
    ref = line_words[0]
    tol = max(LINES.baseline_tol_min, LINES.baseline_tol * (ref.size or DEFAULT_FONT_SIZE))
    if abs(word.bbox.bottom - ref.bbox.bottom) <= tol or (
        word.bbox.top >= ref.bbox.top - LINES.box_slack and word.bbox.bottom <= ref.bbox.bottom + LINES.box_slack
    ):
        return True
    overlap = min(word.bbox.bottom, ref.bbox.bottom) - max(word.bbox.top, ref.bbox.top)
    smaller = min(word.bbox.bottom - word.bbox.top, ref.bbox.bottom - ref.bbox.top)
    return smaller > 0 and overlap >= LINES.overlap_share * smaller


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
        for g in reversed(groups[-LINES.lookback :]):
            if _same_line(w, g):
                g.append(w)
                break
        else:
            groups.append([w])
    lines = [make_line(sorted(g, key=lambda w: w.bbox.x0), page) for g in groups]
    lines += [make_line([w], page) for w in words if not w.upright]
    lines.sort(key=lambda ln: (ln.bbox.top if ln.bbox else 0.0, ln.bbox.x0 if ln.bbox else 0.0))
    return lines


def line_box(line: Line) -> BBox:
    """The box of a line read from a PDF (lines of text exports have none)."""
    assert line.bbox is not None, "a PDF line has a box"
    return line.bbox
