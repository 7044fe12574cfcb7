"""The pieces of a wide text-export table (calpae.extract.tables.text_grid): amount columns from the amounts'
character spans, label columns from the label side's left edges, rows as bands of amount lines, and each label
column's lines given to the row they stand beside."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calpae.extract.settings import TEXT_GRID

WORD = re.compile(r"\S+")


@dataclass
class Amount:
    line: int  # index in the page's lines
    span: tuple[int, int]
    text: str
    col: int = -1
    unsure: str | None = None  # why the reader doubts it (text_grid: an amount found among label words)


@dataclass
class Column:
    lo: int
    hi: int
    amounts: bool


@dataclass
class GridRow:
    first: int
    last: int
    anchor: int  # the line holding most of the row's amounts: its centred label cells stand around it
    cells: dict[int, Amount] = field(default_factory=dict)
    labels: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # column → (line index, text)


def _centre(span: tuple[int, int]) -> float:
    return (span[0] + span[1]) / 2


def amount_columns(amounts: list[Amount]) -> list[Column] | None:
    """Columns of the full lines' amounts: the fullest line's amounts set the first columns, each other amount joins
    the nearest within TEXT_GRID.max_drift characters (the export shifts a row block by a few), else opens one; None
    when two amounts of one line still fall in one column."""
    by_line: dict[int, list[Amount]] = {}
    for a in amounts:
        by_line.setdefault(a.line, []).append(a)
    centres: list[float] = []
    members: list[list[Amount]] = []
    for line in sorted(by_line, key=lambda i: (-len(by_line[i]), i)):
        used: set[int] = set()
        for a in by_line[line]:
            c = _centre(a.span)
            k = min(range(len(centres)), key=lambda k: abs(centres[k] - c), default=None)
            if k is None or k in used or abs(centres[k] - c) > TEXT_GRID.max_drift:
                centres.append(c)
                members.append([])
                k = len(centres) - 1
            used.add(k)
            members[k].append(a)
    groups = _merge_sparse([members[k] for k in sorted(range(len(centres)), key=lambda k: centres[k])])
    cols = []
    for n, group in enumerate(groups):
        for a in group:
            a.col = n
        cols.append(Column(min(a.span[0] for a in group), max(a.span[1] for a in group), True))
    if any(
        b.lo < a.hi and _centre((b.lo, b.hi)) - _centre((a.lo, a.hi)) < 1 for a, b in zip(cols, cols[1:], strict=False)
    ):
        return None
    return cols


_NEAR_LINES = TEXT_GRID.max_lines_apart - 1  # lines apart that one row's amounts may stand (heads over dashes)


def _merge_sparse(groups: list[list[Amount]]) -> list[list[Amount]]:
    """A column opened by a few drifted amounts joins its nearer neighbour when no row holds an amount in both (a row's
    amounts may sit on two neighbouring lines): the fewest first, until every pair of neighbours shares a row."""
    while len(groups) > 1:
        for k in sorted(range(len(groups)), key=lambda k: len(groups[k])):
            lines = {a.line + d for a in groups[k] for d in range(-_NEAR_LINES, _NEAR_LINES + 1)}
            near = sorted(
                (j for j in (k - 1, k + 1) if 0 <= j < len(groups)),
                key=lambda j: abs(_centre((groups[j][0].span[0], groups[j][-1].span[1])) - _centre(groups[k][0].span)),
            )
            j = next((j for j in near if not lines & {a.line for a in groups[j]}), None)
            if j is not None:
                groups[j] = groups[j] + groups[k]
                del groups[k]
                break
        else:
            return groups
    return groups


def place_amounts(amounts: list[Amount], columns: list[Column], dense: set[int]) -> None:
    """The column of each amount off the full lines: the one its span overlaps most, else the nearest (a wrapped or
    crowded cell drifts a few characters)."""
    for a in amounts:
        if a.line in dense:
            continue
        a.col = max(
            range(len(columns)),
            key=lambda k: (
                min(a.span[1], columns[k].hi) - max(a.span[0], columns[k].lo),
                -abs((a.span[0] + a.span[1]) / 2 - (columns[k].lo + columns[k].hi) / 2),
            ),
        )


def label_columns(texts: list[str], right: int, n_lines: int, *, few: bool = False) -> list[Column]:
    """Columns of the label side (left of the amounts), from their left edges: a character position where the words
    of many lines start after a wide gap (a cell's lines are left-aligned on it, whatever their lengths; words one
    space after another are inside a cell), each column running to the next edge. few: the last rows of a table
    continued from the page before, whose label columns that page showed: TEXT_GRID.min_edge_lines lines make an
    edge."""
    starts = [0] * right
    ends: dict[int, int] = {}
    opened: list[set[int]] = []  # each line's cell starts
    for t in texts:
        opened.append(set())
        for m in WORD.finditer(t[:right]):
            if m.start() < 2 or not t[m.start() - 2 : m.start()].strip():
                starts[m.start()] += 1  # a word after a wide gap (or at the margin): a cell may start there
                opened[-1].add(m.start())
    floor = TEXT_GRID.min_edge_lines if few else max(TEXT_GRID.min_edge_lines, TEXT_GRID.edge_share * n_lines)
    edges: list[int] = []
    for x in (x for x in range(right) if starts[x] >= floor):
        if edges and x - edges[-1] <= TEXT_GRID.max_drift and not any({edges[-1], x} <= o for o in opened):
            continue  # a column's edge a few characters over, never beside it on a line: the export set these
            # rows' block at another offset ('Formation des' two characters right of 'Outil partagé de')
        edges.append(x)
    if not edges:  # no edge shared by lines: the label words there are, one column ('TOTAUX FINANCIERS' alone under
        # a page's header, its row's the page's only one); none, no label column
        edges = [min(x for x in range(right) if starts[x])] if any(starts) else []
    if not edges:
        return []
    for t in texts:
        for m in WORD.finditer(t[:right]):
            k = max((k for k, e in enumerate(edges) if e <= m.start()), default=0)
            ends[k] = max(ends.get(k, 0), min(m.end(), right))
    return [Column(e, max(ends.get(k, e + 1), e + 1), False) for k, e in enumerate(edges)]


def label_of(columns: list[Column], start: int) -> int:
    """The label column a word starting at this character belongs to: the last whose left edge is at or before it."""
    return max((k for k, c in enumerate(columns) if c.lo <= start), default=0)


def cell_bands(label_cols: list[Column], amount_cols: list[Column], amounts: list[Amount]) -> list[tuple[float, float]]:
    """The character band of each column's cells, header included. Amounts aligned on their right edge (their ends
    vary less than their starts) fill their cell from the left: a cell runs from the previous column's right edge to
    its own; aligned on the left, from its own left edge to the next one's; otherwise halfway between columns."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    shift = len(label_cols)
    for a in amounts:
        starts.setdefault(a.col - shift, []).append(a.span[0])
        ends.setdefault(a.col - shift, []).append(a.span[1])
    spread_start = sum(max(v) - min(v) for v in starts.values())
    spread_end = sum(max(v) - min(v) for v in ends.values())
    columns = label_cols + amount_cols
    cuts: list[float] = []
    for k in range(1, len(columns)):
        before, after = columns[k - 1], columns[k]
        if k > shift and spread_end < spread_start:
            cuts.append(before.hi)
        elif k > shift and spread_start < spread_end:
            cuts.append(after.lo)
        else:
            cuts.append((before.hi + after.lo) / 2)
    edges = [float("-inf"), *cuts, float("inf")]
    return list(zip(edges, edges[1:], strict=False))


def _beside(a: Amount, row: GridRow) -> bool:
    """An amount whose column the row already fills, on a line whose other amounts join the row: the export drifted
    it a column over ('-€' of an empty cell two characters right of its edge, on the line of its neighbours' wrapped
    tails); it goes to the neighbouring column on the side it stands of the other, when the row leaves that one
    empty. Whether it did."""
    other = row.cells[a.col]
    side = -1 if a.span[1] <= other.span[1] else 1
    if a.col + side < 0 or a.col + side in row.cells:
        return False
    a.col += side
    return True


_ZERO = re.compile(r"-|-? ?€|0(?:,0{1,2})? ?€?")  # '-€', '0,00 €', '0 €'
CLASHING_ZEROS = "zeros on the line under a row, in columns the row fills: the text export's columns are misread here"


def _add(rows: list[GridRow], line_amounts: list[Amount]) -> None:
    """One line's amounts (each in its own column) to the last row, or to a new one (amount_rows)."""
    line = line_amounts[0].line
    row = rows[-1] if rows else None
    clash = [a for a in line_amounts if row is not None and a.col in row.cells]
    if row is not None and clash and (len(clash) > 1 or len(line_amounts) == 1 or not _beside(clash[0], row)):
        if line == row.last + 1 and all(_ZERO.fullmatch(a.text.strip()) for a in line_amounts):
            for a in line_amounts:  # the one-line zeros of the row above, in columns it fills: misread columns
                a.unsure = CLASHING_ZEROS
        row = None
    if row is None or line - row.last > TEXT_GRID.max_lines_apart:
        row = GridRow(line, line, line)
        rows.append(row)
    for a in line_amounts:
        row.cells[a.col] = a
    row.last = line


def amount_rows(amounts: list[Amount]) -> list[GridRow]:
    """Rows of amounts: a band of lines holding at most one amount per column, lines close together; a line's amounts
    all in one row (a line whose amounts the row cannot take, but for one drifted a column over, opens the next)."""
    rows: list[GridRow] = []
    by_line: dict[int, list[Amount]] = {}
    for a in sorted(amounts, key=lambda a: (a.line, a.span)):
        by_line.setdefault(a.line, []).append(a)
    for line_amounts in by_line.values():
        if len({a.col for a in line_amounts}) < len(line_amounts):  # two in one column: rows open amount by amount
            for a in line_amounts:
                _add(rows, [a])
            continue
        _add(rows, line_amounts)
    for row in rows:
        per_line: dict[int, int] = {}
        for a in row.cells.values():
            per_line[a.line] = per_line.get(a.line, 0) + 1
        row.anchor = max(per_line, key=lambda i: (per_line[i], -i))
    return rows


def runs(indices: list[int]) -> list[list[int]]:
    """Line indices close together: a label cell's lines follow one another (the export may set one blank line
    between two of them), two blank lines in its column end it."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i <= runs[-1][-1] + 2:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def rows_of_run(run: list[int], rows: list[GridRow], by_line: dict[int, list[str]]) -> list[tuple[int, int]]:
    """(line, row) for each line of a run of one label column: a run beside one row's anchor is that row's cell; a run
    beside several is cut between each two anchors where a line opens a cell (a capital or a number after a line
    that does not run on), else halfway; a run beside none goes to the row whose anchor is nearest its middle."""
    inside = [k for k, r in enumerate(rows) if run[0] <= r.anchor <= run[-1]]
    if inside and inside[0] > 0 and rows[inside[0] - 1].anchor < run[0] <= rows[inside[0] - 1].last:
        head = _band_head(run, rows[inside[0] - 1], rows[inside[0]], by_line)
        if head is not None:  # the run opens in the band of the row before its first anchor ('Sous' / 'total' beside
            # a sub-total's wrapped amounts, the next row's chorus code below): its lines up to the next opening there
            rest = rows_of_run([i for i in run if i >= head], rows, by_line)
            return [(i, inside[0] - 1) for i in run if i < head] + rest
    last = inside[-1] if inside else None
    if last is not None and last + 1 < len(rows):
        tail = _total_tail(run, rows[last], rows[last + 1], by_line)
        if tail is not None:  # a total's label opening below the last anchor, nearer the next row's ('4.2' /
            # 'Sous' over the sub-total's 'total' line): that row's
            above = rows_of_run([i for i in run if i < tail], rows, by_line)
            return above + [(i, last + 1) for i in run if i >= tail]
    if not inside:
        middle = (run[0] + run[-1]) / 2
        r = min(range(len(rows)), key=lambda k: (abs(middle - rows[k].anchor), k))
        return [(i, r) for i in run]
    cuts: list[int] = []  # the first line of each row after the first
    for a, b in zip(inside, inside[1:], strict=False):
        below = 0 if rows[b].anchor in by_line else 1  # a label one line below its row's bare anchor line ('TOTAUX
        # FINANCIERS' beside the wrapped amounts' units) opens there: the lines before continue row a
        between = [i for i in run if rows[a].anchor < i <= rows[b].anchor + below]
        opening = [i for i in between if _opens(by_line[i], by_line.get(i - 1))]
        cuts.append(opening[0] if opening else rows[a].anchor + (rows[b].anchor - rows[a].anchor + 1) // 2)
    out = []
    for i in run:
        n = sum(1 for c in cuts if i >= c)
        out.append((i, inside[n]))
    return out


_TOTAL_WORD = re.compile(r"(?i)sous|sous-total|total|totaux")  # a total's label opening its cell


def _total_tail(run: list[int], row: GridRow, after: GridRow, by_line: dict[int, list[str]]) -> int | None:
    """The first line of the run below the row's anchor that opens a total's label ('Sous', 'Total') and stands
    nearer the next row's anchor than the row's own: where the next row's cell starts. None where there is none."""
    return next(
        (
            i
            for i in run
            if row.anchor < i
            and abs(i - after.anchor) < i - row.anchor
            and _TOTAL_WORD.fullmatch(by_line[i][0])
            and _opens(by_line[i], by_line.get(i - 1))
        ),
        None,
    )


def _band_head(run: list[int], before: GridRow, row: GridRow, by_line: dict[int, list[str]]) -> int | None:
    """The first line after the run's first that opens a cell (_opens) up to the row's anchor line (or the one below
    a bare anchor): where the row's own cell starts, the lines above being the cell of the row before; None where no
    line opens one (a long label centred on its row may start beside the row before)."""
    below = 0 if row.anchor in by_line else 1
    return next(
        (i for i in run[1:] if i <= row.anchor + below and _opens(by_line[i], by_line.get(i - 1))),
        None,
    )


# French function words no label line ends on: the cell's next line continues it
_RUNS_ON = re.compile(r"(?i)de|du|des|à|au|aux|en|pour|par|sur|dans|avec|et|ou|le|la|les|un|une")


def _opens(words: list[str], above: list[str] | None) -> bool:
    """A line that starts a new cell: a capital or a number first, the line above not left open ('–', ',', 'de')."""
    first = words[0][:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if above is not None and _RUNS_ON.fullmatch(above[-1]):
        return False  # 'gestion des bénéficiaires du' / 'RSA': a line ending on a function word runs on
    return above is None or not re.search(r"[-–,:'(]$", above[-1]) and above[-1][:1] != "«"


def ranked_columns(by_line: dict[int, list[Amount]], dense: list[int], known: int | None = None) -> list[Column] | None:
    """Columns by rank, for a table whose rows the export set each at its own offset (a row's amounts shifted by up
    to a column from the next one's, so no character column holds one column's amounts): the k-th amount of each
    full line (as many amounts as the fullest) is in column k; a line with fewer amounts takes, in order, the columns
    nearest them on the nearest full line. Spans are the full lines' median ones, the first reaching its leftmost
    amount. None without two full lines, or one where the table of the page before has as many amount columns
    (known): a page continuing it with a row or two (its last rows and the grand total, wrapped)."""
    n = max(len(by_line[i]) for i in dense)
    full = sorted(i for i in dense if len(by_line[i]) == n)
    if len(full) < (1 if n == known else 2):
        return None
    for amounts in _row_bands(by_line, set(full), n):
        amounts.sort(key=lambda a: a.span)
        if len(amounts) == n:
            for k, a in enumerate(amounts):
                a.col = k
            continue
        i = amounts[0].line
        ref = [_centre(a.span) for a in sorted(by_line[min(full, key=lambda f: (abs(f - i), f))], key=lambda a: a.span)]
        for a, k in zip(amounts, _monotone([_centre(a.span) for a in amounts], ref), strict=True):
            a.col = k
    ordered = {i: sorted(by_line[i], key=lambda a: a.span) for i in full}  # the k-th amount of a line, left to right
    starts = [sorted(ordered[i][k].span[0] for i in full) for k in range(n)]
    ends = [sorted(ordered[i][k].span[1] for i in full) for k in range(n)]
    cols = [Column(s[len(s) // 2], e[len(e) // 2], True) for s, e in zip(starts, ends, strict=True)]
    cols[0].lo = min(a.span[0] for amounts in by_line.values() for a in amounts if a.col == 0)
    return cols


def interleaved(by_line: dict[int, list[Amount]]) -> dict[int, list[Amount]]:
    """Amounts by line, a line's and the next line's together where none of the next stands over one of its own: a row
    whose wrapped amounts leave the line between to its one-line cells ('137 500' / '-€' / '€': the dash zeros centred
    between the halves), so that no line holds all the row's amounts."""
    out: dict[int, list[Amount]] = {}
    merged: set[int] = set()
    for i in sorted(by_line):
        if i in merged:
            continue
        out[i] = list(by_line[i])
        j = i + 1 if i + 1 in by_line else i + TEXT_GRID.max_lines_apart  # or past a line of label words only
        below = by_line.get(j, [])
        if below and not any(a.span[0] < b.span[1] and b.span[0] < a.span[1] for a in out[i] for b in below):
            out[i] += below
            merged.add(j)
    return out


def _row_bands(by_line: dict[int, list[Amount]], full: set[int], n: int) -> list[list[Amount]]:
    """The amounts of each full line, and of shorter lines close together packed in order while they hold n amounts
    at most (a row whose cells wrap over two lines: 'Sous total' amounts cut as '157 500,00' / '€' beside one-line
    ones)."""
    out: list[list[Amount]] = []
    band: list[int] = []
    for i in [*sorted(by_line), None]:
        if i is not None and i not in full and (not band or i - band[-1] <= TEXT_GRID.max_lines_apart):
            band.append(i)
            continue
        packed: list[list[Amount]] = []
        for j in band:  # lines packed in order while they hold n amounts at most
            if packed and len(packed[-1]) + len(by_line[j]) <= n:
                packed[-1].extend(by_line[j])
            else:
                packed.append(list(by_line[j]))
        out.extend(packed)
        band = [i] if i is not None and i not in full else []
        if i in full:
            out.append(list(by_line[i]))
    return out


def _monotone(xs: list[float], ref: list[float]) -> list[int]:
    """Distinct columns in order for positions xs (in order), each as near its column's reference as can be."""
    n, m = len(xs), len(ref)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]  # best[i][j]: first i positions in the first j columns
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            best[i][j] = min(best[i][j - 1], best[i - 1][j - 1] + abs(xs[i - 1] - ref[j - 1]))
    out: list[int] = []
    i, j = n, m
    while i > 0:
        if best[i][j] == best[i][j - 1] and j > i:
            j -= 1
        else:
            out.append(j - 1)
            i, j = i - 1, j - 1
    return out[::-1]
