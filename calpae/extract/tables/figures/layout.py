"""Where the parts of a table of figures stand: its value columns (the figures' x-extents), its lines above and
below the rows of figures, the line between header and body, and the white between two rows."""

from __future__ import annotations

from dataclasses import dataclass

from calpae.extract.numbers.cells import STOP_WORDS
from calpae.extract.settings import FIGURES
from calpae.extract.tables.figures.marks import Mark, Phrase, size_of
from calpae.models import Word

# words that a figure's marker ('Sans Objet', 'Non renseigné') wraps into in a narrow column: never a header
MARKER_PIECE = ("sans", "objet", "non", "renseign", "communiqu", "disponible", "concern")
# a comparative after 'et'/'ou' closes a phrase ('en 1 mois et moins', '60 ans ou plus'): it leads on to nothing
CLOSING_PAIRS = frozenset((a, b) for a in ("et", "ou") for b in ("moins", "plus"))


@dataclass
class Span:
    """An x-interval (points)."""

    x0: float
    x1: float

    def overlaps(self, x0: float, x1: float, tol: float = 0.0) -> bool:
        return x0 < self.x1 + tol and self.x0 - tol < x1


def value_columns(anchors: list[Mark]) -> list[Span]:
    """The x-extents of the figures of the rows, merged where they overlap: one per value column, left to right."""
    spans: list[Span] = []
    for x0, x1 in sorted((p.box.x0, p.box.x1) for m in anchors for p in m.figures):
        if spans and x0 <= spans[-1].x1 + FIGURES.column_tol:
            spans[-1].x1 = max(spans[-1].x1, x1)
        else:
            spans.append(Span(x0, x1))
    return spans


def label_spans(words: list[Word], space: float, edge_spaces: float = FIGURES.edge_spaces) -> list[Span]:
    """x-spans of the label columns: cut where white runs down between every line of the label words, as wide as
    FIGURES.gutter_spaces word spaces, or narrower (FIGURES.edge_spaces) where lines start on one x right after it
    (a left-aligned column's edge). A word space never lines up over a column's lines; the gutter between two
    cells does, however narrow a word processor's cell padding is. edge_spaces: where the header names more label
    columns than that finds, a narrower edge is looked for (a text export sets two columns one space apart)."""
    spans: list[Span] = []
    for x0, x1 in sorted((w.bbox.x0, w.bbox.x1) for w in words):
        if spans and x0 - spans[-1].x1 >= edge_spaces * space:
            gap = x0 - spans[-1].x1
            starts = sum(1 for w in words if abs(w.bbox.x0 - x0) <= FIGURES.column_tol)
            if gap >= FIGURES.gutter_spaces * space or starts >= FIGURES.edge_lines:
                spans.append(Span(x0, x1))
                continue
        if spans:
            spans[-1].x1 = max(spans[-1].x1, x1)
        else:
            spans.append(Span(x0, x1))
    return spans


def named_edges(words: list[Word], heads: list[Span], space: float) -> list[Span] | None:
    """x-spans of the label columns of a text export whose header names them (heads: the header's label phrases,
    left to right), cut where no white runs down: pdftotext places each line's words on its own character grid,
    so a column's lines start up to FIGURES.named_edge_drift characters left of its edge, one space after the cell
    beside them. Between two named heads the edge is the x where the most lines start a word within that drift,
    fewer lines having a word that starts further left run over it; a word ending past the edge is the right
    column's. None when a gap between heads shows no such x."""
    tol = FIGURES.column_tol
    drift = FIGURES.named_edge_drift * space
    cuts: list[float] = []
    for a, b in zip(heads, heads[1:], strict=False):
        best: tuple[int, float] | None = None
        for x in sorted({w.bbox.x0 for w in words if a.x1 <= w.bbox.x0 <= b.x0 + tol}):
            starts = len({w.bbox.top for w in words if x - drift - tol <= w.bbox.x0 <= x + tol})
            over = len({w.bbox.top for w in words if w.bbox.x0 < x - drift - tol and w.bbox.x1 > x + tol})
            if starts >= FIGURES.edge_lines and starts > over and (best is None or starts - over > best[0]):
                best = (starts - over, x)
        if best is None:
            return None
        cuts.append(best[1])
    spans: list[Span] = []
    for k in range(len(cuts) + 1):
        lo = cuts[k - 1] if k else float("-inf")
        hi = cuts[k] if k < len(cuts) else float("inf")
        mine = [w for w in words if lo < w.bbox.x1 - tol <= hi]
        if not mine:
            return None
        x0 = min(w.bbox.x0 for w in mine)
        spans.append(Span(max(x0, spans[-1].x1) if spans else x0, max(w.bbox.x1 for w in mine)))
    return spans


def is_marker_piece(p: Phrase) -> bool:
    return all(w.text.lower().startswith(MARKER_PIECE) for w in p.words)


def over_values(m: Mark, cols: list[Span]) -> int:
    """How many value columns the line's words (not its figures, not pieces of a wrapped marker) stand over."""
    hit = set()
    for p in m.phrases:
        if p.figure or is_marker_piece(p):
            continue
        box = p.box
        hit |= {k for k, c in enumerate(cols) if c.overlaps(box.x0, box.x1, -FIGURES.column_tol)}
    return len(hit)


def fits(m: Mark, cols: list[Span]) -> bool:
    """True when the line's figures stand in the value columns (at least half of them)."""
    figs = m.figures
    inside = sum(1 for p in figs if any(c.overlaps(p.box.x0, p.box.x1) for c in cols))
    return inside * 2 >= len(figs)


@dataclass
class Edge:
    """Where the label columns end and the first value column's figures start (x, points)."""

    labels: float
    values: float


def crosses(m: Mark, edge: Edge) -> bool:
    """True when one phrase of the line runs from the label columns past the start of the first value column's
    figures (prose, a caption: never a cell of the table, whose labels wrap before the values)."""
    tol = FIGURES.column_tol
    return any(p.box.x0 < edge.labels - tol and p.box.x1 > edge.values + tol for p in m.phrases)


def gap_above(upper: Mark, lower: Mark) -> float:
    return lower.box.top - upper.box.bottom


@dataclass
class Frame:
    """What the table's lines share: its left edge, the edge between labels and values, its value columns, and the
    size of its text (points)."""

    left: float
    edge: Edge
    cols: list[Span]
    size: float
    monospace: bool = False  # a text export's page: a blank line there may be no more than a tall row's white

    def foreign(self, m: Mark) -> bool:
        """A line that is not the table's: prose or a caption running from the labels past the values, another row
        of figures, a line set larger than the table's text (a heading, a caption), a line from the margin running
        into the table's labels (unless it heads value columns: a header repeated over a page whose rows leave the
        first label column empty); phrases ending left of the labels stand in a column beside them (a measure cell
        above its row's figures, set at the foot of a tall row). An
        OCR'd line is sized by its ink, not its font (a lone '(cible)' of a stacked header cell reads a size a
        quarter larger than the body, its brackets reaching below the baseline; a header line of capitals and
        figures a sixth larger): one starting inside the table is no heading for its size."""
        if crosses(m, self.edge) or len(m.figures) >= FIGURES.min_figures:
            return True
        if max(size_of(w) for w in m.words) > self.size * (1 + FIGURES.size_tol) and not _ocr_inside(m, self):
            return True
        edge = self.left - FIGURES.edge_tol
        return any(p.box.x0 < edge < p.box.x1 for p in m.phrases) and not over_values(m, self.cols)


def _ocr_inside(m: Mark, frame: Frame) -> bool:
    """True when the line was read by OCR (its words have a confidence) and starts inside the table."""
    return all(w.confidence is not None for w in m.words) and m.box.x0 >= frame.left - FIGURES.edge_tol


def lines_above(ms: list[Mark], first: int, frame: Frame) -> list[int]:
    """Indices of the lines standing on the table above its first row of figures, nearest first: the header and
    the first row's label lines, up to a wide white band or a line that is not the table's."""
    out: list[int] = []
    below = ms[first]
    k = first - 1
    while k >= 0 and len(out) < FIGURES.max_header_lines:
        m = ms[k]
        gap = FIGURES.header_gap
        first_row = not out or (frame.monospace and not any(over_values(ms[j], frame.cols) for j in out))
        if first_row and over_values(m, frame.cols) >= FIGURES.min_figures:
            # a header line over the value columns, a blank line above the first row (in a text export, above
            # the first row's label lines: pdftotext leaves a line blank in a row taller than its text)
            gap = FIGURES.first_header_gap
        if m.line.page != below.line.page or gap_above(m, below) > gap * size_of(m.words[0]):
            break
        if frame.foreign(m):
            break
        out.append(k)
        below = m
        k -= 1
    return out


def lines_below(ms: list[Mark], last: int, frame: Frame) -> list[int]:
    """Indices of the lines of the last row below its figures (a label or comment wrapped under them)."""
    out: list[int] = []
    above = ms[last]
    k = last + 1
    while k < len(ms) and len(out) < FIGURES.max_row_lines:
        m = ms[k]
        if m.line.page != above.line.page or gap_above(above, m) > FIGURES.cell_gap * size_of(m.words[0]):
            break
        if frame.foreign(m) or m.figures or over_values(m, frame.cols) or m.box.x0 < frame.left - FIGURES.edge_tol:
            break
        out.append(k)
        above = m
        k += 1
    return out


def white_bands(extents: list[tuple[float, float]], low: float, high: float) -> list[tuple[float, float]]:
    """The white bands (top, bottom) between low and high left by the vertical extents given, top to bottom."""
    spans = sorted((max(a, low), min(b, high)) for a, b in extents if b > low and a < high)
    out: list[tuple[float, float]] = []
    edge = low
    for a, b in spans:
        if a > edge:
            out.append((edge, a))
        edge = max(edge, b)
    if high > edge:
        out.append((edge, high))
    return out or [((low + high) / 2, (low + high) / 2)]


def widest_gap(extents: list[tuple[float, float]], low: float, high: float) -> float:
    """The middle of the widest white between low and high left by the vertical extents given."""
    top, bottom = max(white_bands(extents, low, high), key=lambda b: b[1] - b[0])
    return (top + bottom) / 2


def runs_on(upper: str, lower: str) -> bool:
    """True when the lower line of a cell continues the upper one: it starts lower-case (or with closing
    punctuation), or the upper stops on a word that leads on ('de', 'avec'), a hyphen or a comma."""
    words = [w.lower().strip("'’") for w in upper.split()]
    last = words[-1] if words else ""
    first = lower.lstrip()[:1]
    ends = upper.rstrip().endswith(("-", "–", "—", ",", "("))
    closed = len(words) > 1 and (words[-2], last) in CLOSING_PAIRS
    return first.islower() or first in ")]»,;" or (last in STOP_WORDS and not closed) or ends


def opens_cell(text: str, before: str) -> bool:
    """True when a line starts a new cell: a capital or a number first, and the line before does not run on."""
    first = text.lstrip()[:1]
    return (first.isupper() or first.isdigit()) and not runs_on(before, text)
