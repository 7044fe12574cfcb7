"""The marks a table of figures is found by: per visual line, its phrases (words closer than a column gap) and,
among them, its figures (a phrase the number grammar reads as one number, a rate or an NC/NR/SO marker)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from calpae.extract.numbers.core import QUALIFIER_CODES
from calpae.extract.numbers.parse import parse_number
from calpae.extract.settings import DEFAULT_FONT_SIZE, FIGURES
from calpae.models import BBox, Line, Word

DATE = re.compile(r"\d{1,2}/\d{1,2}(/\d{2,4})?")
# a word that may belong to a figure: digits with separators, a unit, a dash, or a word of a marker (NC, Sans Objet)
FIGURE_WORD = re.compile(r"[-+−–]?[0-9.,\u202f]*[0-9][0-9.,]*[€%]?|[€%—–-]")
MARKER_WORDS = frozenset(w for marker in QUALIFIER_CODES for w in marker.split())


def size_of(w: Word) -> float:
    return w.size or DEFAULT_FONT_SIZE


def box_of(words: list[Word]) -> BBox:
    box = BBox.union([w.bbox for w in words])
    assert box is not None, "a phrase has words"
    return box


@dataclass
class Phrase:
    """Words of one line standing closer than a column gap, and whether they read as one figure."""

    words: list[Word]
    figure: bool = False
    money: bool = False

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> BBox:
        return box_of(self.words)


@dataclass
class Mark:
    """One visual line of the page cut into phrases."""

    line: Line
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def box(self) -> BBox:
        return box_of([w for p in self.phrases for w in p.words])

    @property
    def figures(self) -> list[Phrase]:
        return [p for p in self.phrases if p.figure]

    @property
    def words(self) -> list[Word]:
        return [w for p in self.phrases for w in p.words]


def word_space(lines: list[Line]) -> float:
    """The white between two words of a phrase on this page: the median gap between neighbours on a line that
    are closer than a font size (points)."""
    gaps = sorted(
        b.bbox.x0 - a.bbox.x1
        for ln in lines
        for a, b in pairwise(w for w in ln.words if w.upright)
        if 0 <= b.bbox.x0 - a.bbox.x1 <= size_of(a)
    )
    return gaps[len(gaps) // 2] if gaps else 0.0


def read_figure(text: str) -> tuple[bool, bool]:
    """(is a figure, is money): one number (not a year, not a date), a rate, or a marker such as NC or SO."""
    if DATE.fullmatch(text.replace(" ", "")):
        return False, False
    parsed = parse_number(text)
    if parsed is None or parsed.is_year:
        return False, False
    if parsed.value is None and parsed.qualifier is None:
        return False, False
    return True, parsed.unit == "EUR"


def marks(lines: list[Line], space: float) -> list[Mark]:
    """Each line's phrases, cut where the white between two words exceeds FIGURES.space_factor word spaces."""
    out = []
    for ln in lines:
        words = _visible(sorted((w for w in ln.words if w.upright), key=lambda w: w.bbox.x0))
        if not words:
            continue
        phrases: list[list[Word]] = [[words[0]]]
        for a, b in pairwise(words):
            gap = max(FIGURES.space_factor * space, FIGURES.min_space * size_of(b))
            if b.bbox.x0 - a.bbox.x1 > gap:
                phrases.append([])
            phrases[-1].append(b)
        mark = Mark(line=ln)
        for k, ws in enumerate(phrases):
            is_figure, money = read_figure(" ".join(w.text for w in ws))
            packed = None if is_figure or len(ws) < 2 else _packed(ws)
            if packed is None and k > 0 and len(ws) > 1:
                packed = _figure_then_cell(ws)
            if packed:
                mark.phrases += packed
            else:
                mark.phrases.append(Phrase(ws, is_figure, money))
        out.append(mark)
    _wrapped_markers(out)
    return out


def _visible(words: list[Word]) -> list[Word]:
    """The line's words without text set over a figure: a word that is no figure whose box covers half its width
    of a figure word's on the line (a header cell's last letters run below its clipped row, 'nt' of 'Départeme'
    over '1 574': the text layer keeps what the page does not show, and two inks cannot both be read there)."""

    def hidden(w: Word) -> bool:
        if FIGURE_WORD.fullmatch(w.text):
            return False
        width = w.bbox.x1 - w.bbox.x0
        return any(
            FIGURE_WORD.fullmatch(o.text) and min(w.bbox.x1, o.bbox.x1) - max(w.bbox.x0, o.bbox.x0) > width / 2
            for o in words
            if o is not w
        )

    return [w for w in words if not hidden(w)]


def _is_figure_word(w: Word) -> bool:
    return FIGURE_WORD.fullmatch(w.text) is not None or w.text.lower() in MARKER_WORDS


def _packed(words: list[Word]) -> list[Phrase] | None:
    """Figures of neighbouring narrow columns set closer than a column gap ('Sans Objet Sans Objet', '41 41 45'),
    maybe with the text of a comment cell as close after or before them ('Sans Objet Sans Objet Montée en'): each
    run of figure words cut into the fewest runs that each read as one figure, the text between them kept as
    phrases; None when no run holds two figures at least."""
    runs: list[list[Word]] = []
    for w in words:
        if runs and _is_figure_word(w) == _is_figure_word(runs[-1][-1]):
            runs[-1].append(w)
        else:
            runs.append([w])
    if len(runs) == 1:
        return _packed_run(words) if _is_figure_word(words[0]) else None
    out: list[Phrase] = []
    packed = False
    for run in runs:
        cut = _packed_run(run) if _is_figure_word(run[0]) else None
        if cut and not all(_digits_only(q.words) or q.words[0].text.lower() in MARKER_WORDS for q in cut):
            cut = None  # a numbered label ('1 - Prévenir toute …'): its number and dash are no figures
        if cut:
            out += cut
            packed = True
        elif out and not out[-1].figure:
            out[-1].words += run
        else:
            out.append(Phrase(run))
    return out if packed else None


def _digits_only(words: list[Word]) -> bool:
    """Every word holds a digit, but a unit after them ('1 874', '12,5 %'; not '-', not '1 -')."""
    core = words[:-1] if len(words) > 1 and words[-1].text in ("%", "€") else words
    return all(any(c.isdigit() for c in w.text) for w in core)


def _figure_then_cell(words: list[Word]) -> list[Phrase] | None:
    """A figure with the first word of the next cell set one space after it ('1 874 Recrutement', a text export's
    value and comment columns; 'Sans Objet Données', a marker in a narrow column): the figure and the cell's words
    apart, when the words after the figure open a cell (a capital first) and the figure has digits or is a marker;
    None otherwise."""
    n = 0
    while n < len(words) and _is_figure_word(words[n]) and words[n].text.lower() not in MARKER_WORDS:
        n += 1
    marker = n == 0
    if marker:  # a marker's words ('Sans Objet', 'NC')
        while n < len(words) and words[n].text.lower() in MARKER_WORDS:
            n += 1
    if n == 0 or n == len(words) or not words[n].text[:1].isupper():
        return None
    if not marker and not _digits_only(words[:n]):
        return None  # a dash before a header's words ('- Part État', '1 - Prévenir …'): no figure
    is_figure, money = read_figure(" ".join(w.text for w in words[:n]))
    if not is_figure:
        return None
    return [Phrase(words[:n], True, money), Phrase(words[n:])]


def _packed_run(words: list[Word]) -> list[Phrase] | None:
    """A run of figure words cut into the fewest runs that each read as one figure; None when it cannot be, or
    when it reads as one figure only."""
    n = len(words)
    best: list[list[int] | None] = [[]] + [None] * n
    for end in range(1, n + 1):
        for start in range(end):
            base = best[start]
            if base is None or not read_figure(" ".join(w.text for w in words[start:end]))[0]:
                continue
            if best[end] is None or len(base) + 1 < len(best[end] or []):
                best[end] = [*base, end]
    cuts = best[n]
    if cuts is None or len(cuts) < 2:
        return None
    bounds = [0, *cuts]
    return [
        Phrase(words[a:b], True, read_figure(" ".join(w.text for w in words[a:b]))[1])
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def _wrapped_markers(ms: list[Mark]) -> None:
    """A marker a narrow column broke over two lines ('Sans' over 'Objet'): its first line counts as the figure
    (the cell's words are read together later)."""
    for k, m in enumerate(ms):
        for p in m.phrases:
            if p.figure or len(p.words) != 1:
                continue
            box = p.box
            for below in ms[k + 1 :]:
                gap = below.box.top - box.bottom
                if gap > FIGURES.cell_gap * size_of(p.words[0]):
                    break
                q = next((q for q in below.phrases if q.box.x0 < box.x1 and box.x0 < q.box.x1), None)
                if q is None or gap < -FIGURES.column_tol:
                    continue
                parsed = parse_number(f"{p.text} {q.text}")
                if parsed is not None and parsed.value is None and parsed.qualifier not in (None, "empty"):
                    p.figure = True
                break
