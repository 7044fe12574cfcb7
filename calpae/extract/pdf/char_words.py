"""Chars into words by pdfplumber's WordExtractor rules (x 1.5 pt, y 2 pt, breaks on font/size/orientation),
written for plain tuples: the same words several times faster than building its dicts."""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import groupby

from calpae.extract.geometry.words import is_bold_font
from calpae.models import Word

X_TOL, Y_TOL = 1.5, 2.0  # points: pdfplumber's word tolerances (its defaults, kept)
FONTS_CACHED = 256  # font names whose boldness is remembered
T, X0, X1, TOP, BOTTOM, FONT, SIZE, UP, ROT = range(9)  # fields of a char tuple (see pdfium_words.page_chars)
ROTATION = {"btt": 90, "ttb": 270}  # reading direction of rotated chars -> Word.rotation (degrees, anticlockwise)


@cache
def _ligatures() -> dict[str, str]:
    """pdfplumber's ligature expansions ('ﬁ' -> 'fi'); pdfplumber (pdfminer under it) is slow to import, so it is
    loaded the first time a page's words are built."""
    from pdfplumber.utils.text import LIGATURES

    return dict(LIGATURES)


@lru_cache(maxsize=FONTS_CACHED)
def _bold(font: str) -> bool:
    return is_bold_font(font)


def _clusters(chars: list[tuple], key: int, tol: float) -> list[list[tuple]]:
    """Lines of chars: sorted key values grouped while they stay within tol of the group's first value; char order
    kept inside.

    pdfplumber's cluster_objects chains values instead (each within tol of the previous one): in a table row whose
    cells centre their text at different heights, the tops of neighbouring cells' lines (121.0, 122.5, 124.1,
    125.6…) chain the lines of one cell into one "line", whose chars, sorted by x, then alternate between lines and
    come out as words of one or two letters ("T h è m e d e la"). Anchoring each group at its first value keeps two
    lines of one cell (a line height apart, more than tol) apart whatever stands between them."""
    index: dict[float, int] = {}
    first, n = None, 0
    for v in sorted({c[key] for c in chars}):
        if first is None:
            first = v
        elif v > first + tol:
            n += 1
            first = v
        index[v] = n
    out: list[list[tuple]] = [[] for _ in range(n + 1)]
    for c in chars:
        out[index[c[key]]].append(c)
    return out


def _new_word(p: tuple, c: tuple, direction: str) -> bool:
    """pdfplumber's char_begins_new_word for the three directions used here."""
    if direction == "ltr":
        return c[X0] < p[X0] or c[X0] > p[X1] + X_TOL or abs(c[TOP] - p[TOP]) > Y_TOL
    if direction == "ttb":
        return c[TOP] < p[TOP] or c[TOP] > p[BOTTOM] + Y_TOL or abs(c[X0] - p[X0]) > X_TOL
    return -c[BOTTOM] < -p[BOTTOM] or -c[BOTTOM] > -p[TOP] + Y_TOL or abs(c[X0] - p[X0]) > X_TOL


def _word(chars: list[tuple]) -> Word | None:
    ligatures = _ligatures()
    text = "".join(ligatures.get(c[T], c[T]) for c in chars)
    if not text.strip():
        return None
    first = chars[0]
    if len(chars) == 1:
        box = {"x0": first[X0], "top": first[TOP], "x1": first[X1], "bottom": first[BOTTOM]}
    else:
        box = {
            "x0": min(c[X0] for c in chars),
            "top": min(c[TOP] for c in chars),
            "x1": max(c[X1] for c in chars),
            "bottom": max(c[BOTTOM] for c in chars),
        }
    # one validation call for the word and its box (faster than model_construct in pydantic 2)
    return Word.model_validate(
        {
            "text": text,
            "bbox": box,
            "font": first[FONT],
            "size": round(float(first[SIZE]), 2),
            "bold": _bold(first[FONT] or ""),
            "upright": bool(first[UP]),
            "rotation": 0 if first[UP] else ROTATION.get(first[ROT], 0),
        }
    )


def _split(line: list[tuple], direction: str, out: list[Word]) -> None:
    cur: list[tuple] = []
    for c in line:
        if c[T].isspace():
            if cur:
                w = _word(cur)
                if w is not None:
                    out.append(w)
            cur = []
        elif cur and _new_word(cur[-1], c, direction):
            w = _word(cur)
            if w is not None:
                out.append(w)
            cur = [c]
        else:
            cur.append(c)
    if cur:
        w = _word(cur)
        if w is not None:
            out.append(w)


def build_words(chars: list[tuple]) -> list[Word]:
    """Words from char tuples: runs of one font/size/orientation, clustered into lines, split at gaps."""
    out: list[Word] = []
    for (up, _font, _size, rot), group in groupby(
        chars, key=lambda c: (c[UP], c[FONT], c[SIZE], None if c[UP] else c[ROT])
    ):
        run = list(group)
        if up:
            for line in _clusters(run, TOP, Y_TOL):
                line.sort(key=lambda c: c[X0])
                _split(line, "ltr", out)
        else:
            for line in _clusters(run, X0, X_TOL):
                if rot == "btt":
                    line.sort(key=lambda c: (-c[BOTTOM], -c[TOP]))
                else:
                    line.sort(key=lambda c: (c[TOP], c[BOTTOM]))
                _split(line, rot or "ttb", out)
    return out
