"""The header of a wide text-export table (calpae.extract.tables.text_grid) read as a reader of the monospace text
does: each header cell is the stack of phrases that lie over one another on its lines, and the cells, left to right,
head the table's columns left to right.

pdftotext lays a stacked header out block by block: a crowded line pushes the blocks right of it, so a header cell
may stand a whole column left or right of the amounts it heads, and placing each phrase by its own characters files
it under a neighbour. The order of the header cells survives: here the phrases are gathered into cells (phrases of
different lines whose characters overlap), a phrase over two cells of another line (two cells the export ran
together: 'valorisation CD reprogrammés') is cut between them, and the cells are matched to the columns in order,
every column given a cell where there are as many (the fewest columns left without one, or given two, otherwise),
the nearest match among those orders. The match says whether it had to leave a column without its own cell.

Where pdftotext crowded the header (narrow stacked cells of neighbouring columns run together one space apart on a
line, a run over several columns), cells gathered by overlap mix neighbours; there the words over the amount columns
are given their columns line by line instead (_line_columns), knowing how pdftotext packs a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calpae.extract.settings import TEXT_GRID

_WORD = re.compile(r"\S+")
# a text-export grid cell that is only a piece of an amount: one or two digits and the unit (the tail of
# '1 610 580,4' / '7€'; a lone '0 €' is a zero), or an amount cut inside its decimals ('13.404,' or '8.011,6 €')
_PIECE = re.compile(r"^(?:(?!0 ?€)\d{1,2} ?€|[\d .\u00a0\u202f]*\d,\d? ?€?)$")
_LETTERED_CELL = re.compile(r"[A-F] [^\W\d_]")  # a lettered column's header cell ('A Crédits État versés')
HEADER_GUESSED = "the text export's header gives this column no cell of its own: its meaning is a guess"
PIECE = "the text export shows only a piece of an amount here (its other line not found)"


def unsure_amount(text: str) -> str | None:
    """Why a grid amount read from a text export is unsure, by the number grammar: a piece of a wrapped amount."""
    return PIECE if _PIECE.match(text.strip()) else None


@dataclass
class Phrase:
    line: int  # index in the page's lines
    lo: int
    hi: int
    text: str

    @property
    def centre(self) -> float:
        return (self.lo + self.hi) / 2


@dataclass
class HeaderMatch:
    """Header phrases per column, and the amount columns that hold no header cell of their own (none, or one shared
    with another): what their amounts are is a guess."""

    by_column: dict[int, list[tuple[int, str]]]
    doubtful: set[int]


def _overlap(a: Phrase, b: Phrase) -> int:
    return min(a.hi, b.hi) - max(a.lo, b.lo)


def _stacked(a: Phrase, b: Phrase) -> bool:
    """Two phrases of different lines in one cell: they overlap by half the shorter one at least."""
    return a.line != b.line and _overlap(a, b) * 2 >= min(a.hi - a.lo, b.hi - b.lo)


def _cut_at_edges(phrases: list[Phrase]) -> list[Phrase]:
    """Phrases cut where the export ran two left-aligned cells together one space apart ('Intitulé de l'action versés
    en 2022' under 'A Crédits État'): at a word that starts on the very character where a lettered cell's first phrase
    starts on the line above or below (the recap's columns A to F: a cell's left edge for sure), the words before it
    standing under white on that line (no cell of theirs)."""
    by_line: dict[int, list[Phrase]] = {}
    for p in phrases:
        by_line.setdefault(p.line, []).append(p)
    out = []
    for p in phrases:
        near = [q for d in (-1, 1) for q in by_line.get(p.line + d, [])]
        words = [(p.lo + m.start(), p.lo + m.end()) for m in _WORD.finditer(p.text)]
        cuts = [0]
        for n, (lo, _) in enumerate(words[1:], start=1):
            for q in near:
                white = not any(r.line == q.line and r.lo < lo - 1 and words[cuts[-1]][0] < r.hi for r in near)
                if q.lo == lo and white and _LETTERED_CELL.match(q.text):
                    cuts.append(n)
                    break
        cuts.append(len(words))
        for a, b in zip(cuts, cuts[1:], strict=False):
            lo, hi = words[a][0], words[b - 1][1]
            out.append(Phrase(p.line, lo, hi, p.text[lo - p.lo : hi - p.lo]))
    return out


def _spanning(p: Phrase, phrases: list[Phrase]) -> bool:
    """A phrase over two cells: two phrases of other lines lie half under it each, side by side (not over one
    another: the lines of two neighbouring cells may alternate)."""
    under = [q for q in phrases if q.line != p.line and _overlap(p, q) * 2 >= q.hi - q.lo]
    return any(_overlap(a, b) <= 0 for a in under for b in under)


def _cells(phrases: list[Phrase]) -> list[list[Phrase]]:
    """Phrases stacked over one another joined into cells, the most overlapping first; two phrases of one line never
    in one cell."""
    cell_of = list(range(len(phrases)))
    members = {k: [p] for k, p in enumerate(phrases)}
    pairs = [
        (_overlap(p, q), a, b) for a, p in enumerate(phrases) for b, q in enumerate(phrases) if a < b and _stacked(p, q)
    ]
    for _, a, b in sorted(pairs, key=lambda t: -t[0]):
        ka, kb = cell_of[a], cell_of[b]
        if ka == kb or {p.line for p in members[ka]} & {p.line for p in members[kb]}:
            continue
        for p in members[kb]:
            cell_of[phrases.index(p)] = ka
        members[ka] += members.pop(kb)
    return sorted(members.values(), key=lambda ps: min(p.lo for p in ps))


def _cut(p: Phrase, cells: list[list[Phrase]]) -> list[tuple[int, Phrase]]:
    """A spanning phrase cut between the cells it lies over, at the word boundary nearest the middle of the white
    between two cells; each piece with the cell it overlaps most."""
    spans = [(min(q.lo for q in c), max(q.hi for q in c)) for c in cells]
    over = [k for k, (lo, hi) in enumerate(spans) if min(hi, p.hi) > max(lo, p.lo)]
    words = [(p.lo + m.start(), p.lo + m.end(), m.group()) for m in _WORD.finditer(p.text)]
    bounds = [(a[1] + b[0]) / 2 for a, b in zip(words, words[1:], strict=False)]
    cuts = {
        min(range(len(bounds)), key=lambda n: abs(bounds[n] - (spans[a][1] + spans[b][0]) / 2))
        for a, b in zip(over, over[1:], strict=False)
        if bounds
    }
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for n, w in enumerate(words):
        pieces[-1].append(w)
        if n in cuts:
            pieces.append([])
    pieces = [piece for piece in pieces if piece]
    out = []
    for n, piece in enumerate(pieces):
        q = Phrase(p.line, piece[0][0], piece[-1][1], " ".join(w for _, _, w in piece))
        if len(pieces) == len(over):
            k = over[n]  # one piece per cell, in order
        else:
            k = max(range(len(spans)), key=lambda k: (min(spans[k][1], q.hi) - max(spans[k][0], q.lo), -k))
        out.append((k, q))
    return out


def _order_match(
    centres: list[float], targets: list[float], labels: int, penalty: float, label_penalty: float
) -> list[int]:
    """Each cell (in order) its column (in order, never back), at the least cost: how far each cell stands from its
    column, how much that offset changes from the cell before (the export's drift grows or shrinks along a line, it
    does not jump), and penalty for each amount column (those after the first labels ones) left without a cell or
    given a second one, label_penalty for a label column (the body's label columns are only seen where their lines
    start: two header cells over one of them is likelier). Dynamic programming over (cell, column); returns each
    cell's column."""
    n, m = len(centres), len(targets)
    inf = float("inf")

    def bare(lo: int, hi: int) -> float:  # the columns strictly between lo and hi left without a cell
        return sum(penalty if k >= labels else label_penalty for k in range(lo + 1, hi))

    best = [[inf] * m for _ in range(n)]  # cost with cell i on column j
    back = [[-1] * m for _ in range(n)]
    for j in range(m):
        best[0][j] = abs(centres[0] - targets[j]) + bare(-1, j)
    for i in range(1, n):
        for j in range(m):
            offset = centres[i] - targets[j]
            for k in range(j + 1):
                shared = 0.0 if k < j else penalty if j >= labels else label_penalty
                drift = abs(offset - (centres[i - 1] - targets[k]))
                cand = best[i - 1][k] + abs(offset) + drift + shared + bare(k, j)
                if cand < best[i][j]:
                    best[i][j], back[i][j] = cand, k
    j = min(range(m), key=lambda j: best[n - 1][j] + bare(j, m))
    out = [j]
    for i in range(n - 1, 0, -1):
        j = back[i][j]
        out.append(j)
    out.reverse()
    return out


def match_header(
    phrases: list[Phrase], bands: list[tuple[float, float]], spans: list[tuple[int, int]], labels: int
) -> HeaderMatch | None:
    """Header phrases given to the columns: cells in order matched to columns in order. bands: each column's cell
    band (characters, the outer ones open); spans: each column's own characters. None when there is no phrase."""
    if not phrases or not bands:
        return None
    phrases = _cut_at_edges(phrases)
    plain = [p for p in phrases if not _spanning(p, phrases)]
    cells = _cells(plain)
    for p in phrases:
        if p in plain:
            continue
        if not cells:
            cells.append([p])
            continue
        for k, piece in _cut(p, cells):
            cells[k].append(piece)
    centres = [sum(p.centre for p in c) / len(c) for c in cells]
    targets = [
        ((lo if lo > float("-inf") else span[0]) + (hi if hi < float("inf") else span[1])) / 2
        for (lo, hi), span in zip(bands, spans, strict=True)
    ]
    if len(cells) > len(bands) * TEXT_GRID.max_header_cells_per_column:
        return None  # the header's phrases form no cells (prose above the table): leave it to placement by position
    pitches = sorted(b - a for a, b in zip(targets[labels:], targets[labels + 1 :], strict=False))
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    columns = _one_to_one(cells, centres, targets, labels, bands) or _order_match(
        centres, targets, labels, pitch * TEXT_GRID.header_skip_pitches, pitch * TEXT_GRID.header_label_skip_pitches
    )
    placed: dict[int, list[Phrase]] = {}
    for k, cell in zip(columns, cells, strict=True):
        placed.setdefault(k, []).extend(cell)
    shared = {k for k in placed if columns.count(k) > 1}
    _spread(placed, bands)
    doubtful = {k for k in range(labels, len(bands)) if k not in placed or k in shared}
    if labels < len(bands):
        by_words = _amount_words(phrases, placed, bands, targets, labels)
        if by_words is not None:
            placed = by_words
            doubtful = {k for k in range(labels, len(bands)) if k not in placed}
    by_column = {k: [(p.line, p.text) for p in sorted(ps, key=lambda p: (p.line, p.lo))] for k, ps in placed.items()}
    return HeaderMatch(by_column, doubtful)


def _amount_words(
    phrases: list[Phrase],
    placed: dict[int, list[Phrase]],
    bands: list[tuple[float, float]],
    targets: list[float],
    labels: int,
) -> dict[int, list[Phrase]] | None:
    """The header words over the amount columns given to those columns line by line (_line_columns), the label
    columns keeping their cells' words left of the first amount column's band. None when no word stands over the
    amount columns."""
    start = bands[labels][0]
    words = [
        Phrase(p.line, p.lo + m.start(), p.lo + m.end(), m.group()) for p in phrases for m in _WORD.finditer(p.text)
    ]
    over = [w for w in words if w.centre >= start]
    if not over or not _crowded(over, targets[labels:]):
        return None
    out: dict[int, list[Phrase]] = {}
    for k, cell in placed.items():
        if k < labels:
            kept = [w for p in cell for m in _WORD.finditer(p.text) if (w := _word(p, m)).centre < start]
            if kept:
                out[k] = kept
    by_line: dict[int, list[Phrase]] = {}
    for w in over:
        by_line.setdefault(w.line, []).append(w)
    widths = [(hi if hi < float("inf") else targets[k] + (targets[k] - lo)) - lo for k, (lo, hi) in enumerate(bands)][
        labels:
    ]
    opens = {(p.line, p.lo) for p in phrases}  # a phrase's first word opens a cell ('B Crédits' after 'A Crédits')
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.lo)
        cells = [(w.line, w.lo) in opens for w in line_words]
        for w, k in zip(line_words, _line_columns(line_words, targets[labels:], widths, cells), strict=True):
            out.setdefault(k + labels, []).append(w)
    return out


def _crowded(words: list[Phrase], targets: list[float]) -> bool:
    """A header that pdftotext crowded: on some line, beside other words, a run of words one space apart stands over
    TEXT_GRID.crowded_run_columns column centres or more (cells of neighbouring columns run together). A lone run on
    its line is a title or a group cell ('Financement 2022') over several columns, not crowding."""
    by_line: dict[int, list[Phrase]] = {}
    for w in sorted(words, key=lambda w: w.lo):
        by_line.setdefault(w.line, []).append(w)
    for line_words in by_line.values():
        runs: list[list[Phrase]] = []
        for w in line_words:
            if runs and w.lo - runs[-1][-1].hi <= 1:
                runs[-1].append(w)
            else:
                runs.append([w])
        if len(runs) < 2:
            continue
        for run in runs:
            lo, hi = run[0].lo, run[-1].hi
            if sum(1 for t in targets if lo <= t <= hi) >= TEXT_GRID.crowded_run_columns:
                return True
    return False


def _word(p: Phrase, m: re.Match[str]) -> Phrase:
    return Phrase(p.line, p.lo + m.start(), p.lo + m.end(), m.group())


def _line_columns(words: list[Phrase], targets: list[float], widths: list[float], opens: list[bool]) -> list[int]:
    """Each word of one header line its amount column, in order, at the least cost. pdftotext sets the words of a run
    that stand close on the page (a crowded header line: 'Crédits 2018 Crédits Dont reprogr d'autre') one space apart
    from the run's start: a run's first group of words (one cell's line) stands over its column, the later groups keep
    only their order, packed left of where the page has them, not right. Groups are cut from the runs: a group wider
    than its column's band costs for each word it joins, a column passed over inside a run costs, two runs in one
    column cost (TEXT_GRID.header_run_*); a word that opens a phrase (opens: a lettered cell) opens a group.
    Dynamic programming over (words placed, last group's column)."""
    g = TEXT_GRID
    n, m = len(words), len(targets)
    inf = float("inf")
    in_run = [k > 0 and words[k].lo - words[k - 1].hi <= 1 for k in range(n)]

    def group_cost(a: int, b: int, j: int) -> float:
        if in_run[a]:  # packed: each word where the run put it, left of its place on the page
            offs = [w.centre - targets[j] for w in words[a:b]]
            cost = sum(
                g.header_run_inner_weight * abs(off)
                + g.header_run_right_weight * max(0.0, off - g.header_run_right_slack)
                for off in offs
            )
        else:  # the run's first cell line, centred over its column
            cost = g.header_run_start_weight * abs((words[a].lo + words[b - 1].hi) / 2 - targets[j])
        if words[b - 1].hi - words[a].lo > widths[j] + 1:
            cost += g.header_run_join_cost * (b - a - 1)
        if in_run[a] and words[a].text in ("-", "–"):
            cost += g.header_run_cut_cost
        return cost

    best = [[inf] * m for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * m for _ in range(n + 1)]
    for b in range(1, n + 1):
        for a in range(b):
            if any(not in_run[x] or opens[x] for x in range(a + 1, b)):
                continue  # a group lies inside one run and one phrase
            for j in range(m):
                here = group_cost(a, b, j)
                if a == 0:
                    if here < best[b][j]:
                        best[b][j], back[b][j] = here, (0, -1)
                    continue
                for k in range(j + 1):
                    step = _step_cost(k, j, in_run[a])
                    cand = best[a][k] + step + here
                    if cand < best[b][j]:
                        best[b][j], back[b][j] = cand, (a, k)
    j = min(range(m), key=lambda j: best[n][j])
    out = [0] * n
    b = n
    while b > 0:
        a, k = back[b][j]
        for x in range(a, b):
            out[x] = j
        b, j = a, k
    return out


def _step_cost(k: int, j: int, same_run: bool) -> float:
    """The cost of a group on column j after one on column k: two groups of one run never share a column, two runs
    may at a cost; the columns passed over are left bare (TEXT_GRID.header_run_*)."""
    g = TEXT_GRID
    if k == j:
        return float("inf") if same_run else g.header_run_shared_cost
    return (g.header_run_skip_cost if same_run else g.header_bare_cost) * (j - k - 1)


def _one_to_one(
    cells: list[list[Phrase]],
    centres: list[float],
    targets: list[float],
    labels: int,
    bands: list[tuple[float, float]],
) -> list[int] | None:
    """Each column's cell where the cells starting over the amount columns are as many as those columns: matched one
    to one in order (the export may set the body's amounts a few columns' width right of their header cells, the
    order of the cells survives), the cells left of them to the label columns as _order_match does. None otherwise."""
    amounts = len(bands) - labels
    right = [k for k, c in enumerate(cells) if min(p.lo for p in c) >= bands[labels][0]] if amounts else []
    left = len(cells) - len(right)
    if not amounts or len(right) != amounts or right != list(range(left, len(cells))) or (left and not labels):
        return None
    head = _order_match(centres[:left], targets[:labels], labels, 0.0, 0.0) if left else []
    return head + list(range(labels, len(bands)))


def _spread(placed: dict[int, list[Phrase]], bands: list[tuple[float, float]]) -> None:
    """A cell lying over the bands of neighbouring columns left without a cell (cells the export ran together on
    every line: 'Dont valorisation Montant à reporter Montant à reporter') shared out word by word, each word to the
    band its middle stands in."""
    for k in sorted(placed):
        cell = placed[k]
        lo, hi = min(p.lo for p in cell), max(p.hi for p in cell)
        empty = [j for j in range(len(bands)) if j not in placed and min(hi, bands[j][1]) - max(lo, bands[j][0]) > 0]
        near = [j for j in empty if all(i in empty or i == k for i in range(min(j, k), max(j, k) + 1))]
        if not near:
            continue
        keep = sorted([k, *near])
        words = [
            Phrase(p.line, p.lo + m.start(), p.lo + m.end(), m.group()) for p in cell for m in _WORD.finditer(p.text)
        ]
        out: dict[int, list[Phrase]] = {}
        for w in words:
            j = next((j for j in keep if bands[j][0] <= w.centre < bands[j][1]), None)
            if j is None:
                j = keep[0] if w.centre < bands[keep[0]][0] else keep[-1]
            out.setdefault(j, []).append(w)
        placed.update(out)
