"""Amounts a monospace text export wraps over two lines of a narrow cell, at the same character columns: the thousands
above the last group ('167' / '000,00 €'), the amount above its unit ('148 760,41' / '€'), the integer above its
decimals ('1.396.000' / ',00 €'), or a digit cut off ('330.617,3' / '9€'). Each half alone is a false figure (167,
0); joined by the number grammar (calpae.extract.tables.cell_text) they are the amount the page states, which a
record holds or an `unread_figure` reports."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from calpae.extract.numbers.parse import parse_number
from calpae.extract.tables.cell_text import join_texts
from calpae.models import Line

_SP = "[ \u00a0\u202f]"
# the head: an integer grouped by spaces or by dots (one of them), maybe begun decimals, and no unit ('167', '2 330',
# '101.500,0'), continued by no group of its line (a neighbour cell's '7 500,00' one space after it, crowded by the
# export, is not its continuation, unless the head has begun its decimals; after a neighbour's decimals,
# '1 803 782,3 1 610 580,4', or a dot-grouped neighbour, '154.075 125.496', a number starts); a dot-grouped head may
# end inside a group ('1.057.5'), its second one too ('155.00' over '0,00 €': 155.000,00; no number of the grammar
# ends so)
HEAD = re.compile(
    rf"(?:(?<![\d,.]{_SP})|(?<=,{_SP})|(?<=,\d{_SP})|(?<=,\d\d{_SP})|(?<=\.\d{_SP})|(?<=\.\d\d{_SP})|(?<=\.\d\d\d{_SP})"
    rf"|(?<=\d{_SP})(?=\d{{1,2}}[ .\u00a0\u202f]\d{{3}}))"
    rf"(?<!\S)\d{{1,3}}(?:(?P<sep>[ .\u00a0\u202f])\d{{3}}(?:(?P=sep)\d{{3}})*(?P<partial>(?<=\.\d{{3}})\.\d{{1,2}})?"
    rf"|\.\d{{1,2}}(?![\d,]))?"
    rf"(?:,\d{{0,2}}(?!\S)(?!{_SP}[,€])|(?!\S)(?!{_SP}(?:\d{{3}}(?![\d.])|[,€])))"
)
# the tail, by what it completes: the unit alone; the decimals; the rest of a group and the decimals; one or two
# digits and the unit; the last group (with its decimals it ends the number, whatever follows it one space apart:
# '500,00 877,97', two cells crowded; a tail with digits starts after a number's decimals, a unit there is that
# number's)
TAIL = re.compile(
    rf"(?<![\d,.]{_SP})(?<!\S)(?P<unit>€)(?!\S)|"
    rf"(?:(?<![\d,.]{_SP})|(?<=,\d\d{_SP}))(?<!\S)(?:(?P<dec>,\d{{1,2}}(?: ?€)?)|(?P<rest>\d{{1,2}},\d{{1,2}}(?: ?€)?)"
    rf"|(?P<digits>\d{{1,2}} ?€)"
    rf"|(?P<group>\d{{3}}(?:,\d{{1,2}}(?: ?€)?|(?: ?€|(?!{_SP}[\d,])))))(?!\S)"
)
_GROUPED_INT = re.compile(r"\d{1,3}(?:[ .\u00a0\u202f]\d{3})*")  # an integer as the grammar groups it
# a run of digit groups one space apart with a short group inside ('975 000 155 805 1 334 5 234 800 89 775,'): amounts
# crowded one space apart, one of them cut inside its last group ('1 334 5' over '00 €'), which no grouping reads
_RUN = re.compile(r"(?<![\d,.€])(?<!\S)\d{1,3}(?: \d{1,3})+(?:,\d{0,2})?(?!\S)")
_WHOLE = re.compile(r"(?<!\S)\d{1,3}(?: \d{3})*(?:,\d{1,2})? ?€(?!\S)")  # an amount and its unit on one line
_CUT_GROUP = re.compile(r"(?<=\d) (\d{1,2})$")  # a space-grouped head's last group cut short ('1 334 5')
MAX_RUN_GROUPS = 40  # digit groups of a run cut by its tails (a grand total row of 11 amounts and more)
OPEN_DECIMALS = re.compile(r",\d?$")  # a head cut inside its decimals ('1 803 782,3'): its tail must follow
COLUMN_SLACK = 1  # characters: the two halves of one cell overlap, or touch within this many columns
MAX_LINES_APART = 2  # source lines from a head down to its tail (one line of centred one-line cells between)
MAX_DRIFT_CELLS = 3  # cell widths a crowded line's tail may drift from its head (15 characters over 7-character cells)


@dataclass(frozen=True)
class Stacked:
    """One amount wrapped over two source lines: where its halves are and what they make."""

    page: int
    line: int  # the head's source line
    head: str
    tail: str
    tail_line: int
    value: Decimal
    span: tuple[int, int]  # the head's character columns on its line
    tail_span: tuple[int, int]

    @property
    def text(self) -> str:
        """The amount as the cell states it, its two lines joined by the number grammar."""
        return join_texts([self.head, self.tail])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] + COLUMN_SLACK and b[0] <= a[1] + COLUMN_SLACK


def _join(head: str, tail: re.Match[str]) -> Decimal | None:
    """The value of a head and its tail as one amount, when the tail is what the head lacks (None otherwise)."""
    decimals = "," in head
    partial = re.search(r"\.(\d{1,2})$", head) or _CUT_GROUP.search(head)
    if partial:
        # a dot-grouped amount cut inside a group ('1.057.5' / '00,00 €', '1.104.00' / '0€'): the tail's digits
        # complete the group
        rest = tail.group("rest") or tail.group("digits")
        if not rest or len(partial.group(1)) + len(rest) - len(rest.lstrip("0123456789")) != 3:
            return None
        parsed = parse_number(head + tail.group())
        return None if parsed is None or parsed.value is None else parsed.value
    if tail.group("rest"):
        return None  # the rest of a group under a head that ends no group: two amounts
    if tail.group("dec") or tail.group("group"):
        if decimals:
            return None  # decimals or a last group below an amount that has its decimals: two amounts
        if tail.group("group") and not ("," in tail.group("group") or "€" in tail.group("group")):
            return None  # a lone group of three below a count is another count
    if tail.group("digits") and not re.search(r",\d?$", head):
        return None  # digits cut off end the decimals a head began
    parsed = parse_number(join_texts([head, tail.group()]))
    if parsed is None or parsed.value is None or parsed.is_year:
        return None
    return parsed.value


def _join_once(
    head: str, tail: re.Match[str], joined: dict[tuple[str, str, str | None], Decimal | None]
) -> Decimal | None:
    """_join, once for each head and tail text (a recap repeats its amounts' pieces)."""
    key = (head, tail.group(), tail.lastgroup)
    if key not in joined:
        joined[key] = _join(head, tail)
    return joined[key]


def _blank_at(text: str, span: tuple[int, int]) -> bool:
    return not text[max(0, span[0] - COLUMN_SLACK) : span[1] + COLUMN_SLACK].strip()


def _tails(text: str) -> list[re.Match[str]]:
    return [m for m in TAIL.finditer(text) if m.group()]


def _pieces(head: str, at: int, count: int) -> list[list[tuple[int, int]]]:
    """The ways to cut a head read as one space-grouped number into count amounts of their own, each grouped as the
    grammar says (a first group of 1-3 digits, then groups of 3): (start, end) spans on the line, left to right."""
    spaces = [k for k, ch in enumerate(head) if ch in " \u00a0\u202f"]
    out = []
    for cuts in combinations(spaces, count - 1):
        bounds = [0, *[c + 1 for c in cuts], len(head) + 1]
        spans = [(at + bounds[k], at + bounds[k + 1] - 1) for k in range(count)]
        if all(_GROUPED_INT.fullmatch(head[a - at : b - at]) for a, b in spans[:-1]):
            out.append(spans)
    return out


def _under(head: tuple[int, int], tail: tuple[int, int]) -> bool:
    """A tail that stands under the head itself, not only within COLUMN_SLACK of it (where a neighbour's may)."""
    return head[0] < tail[1] and tail[0] < head[1]


def _shared(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two spans share."""
    return min(a[1], b[1]) - max(a[0], b[0])


def _misfit(span: tuple[int, int], tail: tuple[int, int]) -> int:
    """Characters between a piece and the tail below it, by whichever edge or centre the cell aligns them on."""
    return min(abs(span[0] - tail[0]), abs(span[1] - tail[1]), abs(span[0] + span[1] - tail[0] - tail[1]) // 2)


def _split(head: re.Match[str], tails: list[re.Match[str]]) -> list[tuple[tuple[int, int], re.Match[str], Decimal]]:
    """Amounts crowded one space apart that the grammar reads as one grouped number ('494 916 446 890' over ',67 €'
    and ',55 €'): each tail below the head completes one of them. Of the cuts that make every piece an amount joined
    with its tail, the one whose longest piece is shortest (amounts of one table share an order of magnitude:
    '494 916' and '446 890', not '494 916 446' and '890'), then whose pieces stand closest over their tails; [] when
    no cut makes every piece an amount."""
    best: tuple[tuple[int, int], list[tuple[tuple[int, int], re.Match[str], Decimal]]] | None = None
    for spans in _pieces(head.group(), head.start(), len(tails)):
        joined = []
        for (a, b), tail in zip(spans, tails, strict=True):
            value = _join(head.string[a:b], tail)
            if value is None or not _overlap((a, b), tail.span()):
                break
            joined.append(((a, b), tail, value))
        else:
            longest = max(b - a for (a, b), _, _ in joined)
            cost = (longest, sum(_misfit(span, tail.span()) for span, tail, _ in joined))
            if best is None or cost < best[0]:
                best = (cost, joined)
    return [] if best is None else best[1]


def _is_used_tail(head: re.Match[str], tails: list[re.Match[str]], i: int, used: set[tuple[int, int]]) -> bool:
    """A head that is the tail of an amount joined above ('500,00' under '61'): no amount of its own."""
    return any((i, k) in used and _under(head.span(), t.span()) for k, t in enumerate(tails))


def _third_line(
    head: re.Match[str], lines: list[Line], tails: list[list[re.Match[str]]], i: int, used: set[tuple[int, int]]
) -> None:
    """An amount wrapped over three lines ('61' / '500,00' / '€'): the unit under its second line is part of it."""
    if i + 1 >= len(lines) or "€" in head.group():
        return
    for k, t in enumerate(tails[i + 1]):
        if (i + 1, k) not in used and t.group("unit") and _overlap(head.span(), t.span()):
            used.add((i + 1, k))
            return


def stacked_amounts(lines: list[Line], page: int) -> list[Stacked]:
    """The amounts wrapped over two lines of a page: a head with a tail below it, on the next line (heads and tails of
    two lines paired in order, _aligned: the export may set a crowded line's cells apart from their tails) or, when
    the row's one-line cells sit centred between them, MAX_LINES_APART lines down, blank between (or not, below a
    head cut inside its decimals: the export may crowd a neighbour's cell over its columns)."""
    out: list[Stacked] = []
    tails = [_tails(ln.text) for ln in lines]
    used: set[tuple[int, int]] = set()
    pending: list[tuple[int, re.Match[str]]] = []  # heads of the line before left for a tail further down
    for i, above in enumerate(lines):
        if above.line_no is None or i + 1 >= len(lines):
            _far_tails(pending, lines, tails, used, out, page)
            pending = []
            continue
        text, heads = _cut_runs(lines, i, tails, used)
        for h in HEAD.finditer(text):
            if _is_used_tail(h, tails[i], i, used):
                _third_line(h, lines, tails, i, used)
            elif not _cut_over_tails(h, lines, i, tails, used, out, page):
                heads.append(h)
        heads.sort(key=lambda h: h.start())
        free = [(k, t) for k, t in enumerate(tails[i + 1]) if (i + 1, k) not in used]
        paired = _aligned(heads, [t for _, t in free], lines[i + 1].text)
        below = lines[i + 1]
        for a, b, value in paired:
            h, (k, t) = heads[a], free[b]
            used.add((i + 1, k))
            if below.line_no is not None:
                out.append(Stacked(page, above.line_no, h.group(), t.group(), below.line_no, value, h.span(), t.span()))
        done = {a for a, _, _ in paired}
        _far_tails(pending, lines, tails, used, out, page)  # after this line's own pairs: a tail under the line
        # between is first its head's there, drifted as it may be ('266' over '566,93 €', under a header's lone '9')
        pending = [(i, h) for a, h in enumerate(heads) if a not in done]
    _far_tails(pending, lines, tails, used, out, page)
    return sorted(out, key=lambda s: (s.line, s.span))  # in reading order: the grid's columns take them so


def _far_tails(
    heads: list[tuple[int, re.Match[str]]],
    lines: list[Line],
    tails: list[list[re.Match[str]]],
    used: set[tuple[int, int]],
    out: list[Stacked],
    page: int,
) -> None:
    """Heads of line i with no tail on the next line joined with one further down (MAX_LINES_APART): those blank
    below first paired in order with the free tails two lines down (_aligned: the tails of a row whose one-line cells
    stand centred between drift as those of the next line do), the others each with the tail under it."""
    heads = [(i, h) for i, h in heads if _blank_at(lines[i + 1].text, h.span()) or OPEN_DECIMALS.search(h.group())]
    # (a cell's line between: only an amount cut inside its decimals looks past it)
    by_line: dict[int, list[re.Match[str]]] = {}
    for i, h in heads:
        by_line.setdefault(i, []).append(h)
    done: set[tuple[int, int]] = set()
    for i, mine in by_line.items():
        j = i + 2
        if j >= len(lines):
            continue
        head_no, tail_no = lines[i].line_no, lines[j].line_no
        if head_no is None or tail_no is None:
            continue
        for h in mine:  # a head over two tails or more cut into as many amounts first (as on the next line)
            under = [
                k
                for k, t in enumerate(tails[j])
                if (j, k) not in used and _under(h.span(), t.span()) and not _drifted_from_left(t, h, mine)
            ]
            if len(under) > 1 and _tail_below(h, lines, i, j, tails, used, out, page):
                done.add((i, h.start()))
        mine = [h for h in mine if (i, h.start()) not in done]
        free = [(k, t) for k, t in enumerate(tails[j]) if (j, k) not in used]
        for a, b, value in _aligned(mine, [t for _, t in free], lines[j].text):
            h, (k, t) = mine[a], free[b]
            used.add((j, k))
            done.add((i, h.start()))
            out.append(Stacked(page, head_no, h.group(), t.group(), tail_no, value, h.span(), t.span()))
    for i, h in heads:
        if (i, h.start()) in done:
            continue
        for j in range(i + 2, min(len(lines), i + 1 + MAX_LINES_APART)):
            if _tail_below(h, lines, i, j, tails, used, out, page):
                break
            if not _blank_at(lines[j].text, h.span()) and not OPEN_DECIMALS.search(h.group()):
                break


def _drifted_from_left(tail: re.Match[str], head: re.Match[str], heads: list[re.Match[str]]) -> bool:
    """A tail starting at the head's first character or left of it, right after another head's end: the unit of
    that left neighbour drifted right (units drift cell by cell), not the tail of the head's first piece."""
    return tail.start() <= head.start() and any(
        g is not head and g.end() <= head.start() and 0 <= tail.start() - g.end() <= COLUMN_SLACK for g in heads
    )


def _cut_runs(
    lines: list[Line], i: int, tails: list[list[re.Match[str]]], used: set[tuple[int, int]]
) -> tuple[str, list[re.Match[str]]]:
    """Runs of digit groups with a short group inside (_RUN) cut by the tails of the next line under them (or up to
    the line's next word; or of the line after, MAX_LINES_APART, where the next has no tail under the run): each
    piece an amount its tail completes (a short last group completed to three digits: '1 334 5' / '00 €'; a run of
    one amount cut short, '172 00' / '0€', is one piece), the cut that makes every piece an amount and whose longest
    piece is shortest, then whose pieces stand closest over their tails (as _split); of the two sets of tails, the
    cut with more amounts. Returns line i with the runs so cut blanked, and their pieces as heads (paired with their
    tails in order, as the others)."""
    above = lines[i]
    text = above.text
    pieces: list[re.Match[str]] = []
    claimed: set[tuple[int, int]] = set()
    mine: list[tuple[int, int]] = []
    whole = _WHOLE.sub(lambda m: _blank_whole(m, tails[i + 1]), above.text)  # amounts with their unit end a run
    for run in _RUN.finditer(whole):
        groups = [
            (m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+(?:,\d{0,2})?", run.group())
        ]
        if len(groups) > MAX_RUN_GROUPS:
            continue
        grouped = all(len(run.string[a:b].split(",")[0]) == 3 for a, b in groups[1:])  # one number as groups go
        after = re.compile(r"\S").search(above.text, run.end())
        best: list[tuple[int, int]] | None = None
        for j in range(i + 1, min(len(lines), i + 1 + MAX_LINES_APART)):
            if j == i + 1 and grouped:
                continue  # a grouped number over the next line's tails: cut, if need be, by the tails under it
            if j > i + 1 and (best is not None or any(_overlap(run.span(), t.span()) for t in tails[i + 1])):
                break  # the tails two lines down, a row's one-line cells centred between ('-€'), no tail under the run
            reach = after.start() if after else len(lines[j].text)  # up to the line's next word: a drifted tail
            if j > i + 1 and after:  # two lines down, past the next word's start: tails drift further over two lines
                reach = re.compile(r"\s|$").search(above.text, after.start()).start()  # type: ignore[union-attr]
            free = [(j, k) for k in range(len(tails[j])) if (j, k) not in used and (j, k) not in claimed]
            for ks in (
                [(j, k) for j, k in free if _overlap(run.span(), tails[j][k].span())],
                [(j, k) for j, k in free if run.start() - COLUMN_SLACK <= tails[j][k].start() < reach],
            ):
                cut = _run_cut(above.text, groups, [tails[j][k] for j, k in ks]) if ks else None
                if cut is not None and (best is None or len(cut) > len(best)):
                    best, mine = cut, ks
        if best is None:
            continue
        claimed.update(mine)  # a run's tails are no later run's
        pieces += [re.compile(re.escape(above.text[a:b])).match(above.text, a) for a, b in best]  # type: ignore[misc]
        text = text[: run.start()] + " " * (run.end() - run.start()) + text[run.end() :]
    return text, pieces


def _blank_whole(m: re.Match[str], below: list[re.Match[str]]) -> str:
    """An amount and its unit blanked, from after the last tail of the next line that ends under one of its inner
    groups ('1 348 981 166 100 €' over ',14 €' under '981': two amounts crowded, the first wrapped; the groups before
    are left to a run)."""
    start = m.start()
    groups = [(m.start() + g.start(), m.start() + g.end()) for g in re.finditer(r"\d+", m.group())]
    for t in below:
        for (_, end), (after, _) in zip(groups, groups[1:], strict=False):
            if t.group("unit") is None and abs(t.end() - end) <= COLUMN_SLACK:
                start = max(start, after)
    return m.group()[: start - m.start()] + " " * (m.end() - start)


def _run_cut(text: str, groups: list[tuple[int, int]], tails: list[re.Match[str]]) -> list[tuple[int, int]] | None:
    """The best cut of a run's groups into one amount per tail (_cut_runs): the pieces' spans, or None. The cut whose
    longest piece is shortest, then whose pieces stand closest over their tails, found over (groups, tails) prefixes:
    first the shortest longest piece any cut reaches, then the closest cut within it."""
    n_groups, n_tails = len(groups), len(tails)
    fits: dict[tuple[int, int, int], tuple[int, int]] = {}  # (first group, end group, tail) → (length, misfit)
    for n, tail in enumerate(tails):
        for a in range(n, n_groups - (n_tails - n) + 1):
            for b in range(a + 1, n_groups - (n_tails - n - 1) + 1):
                if any(groups[g][1] - groups[g][0] != 3 for g in range(a + 1, b - 1)):
                    break  # an inner group of a piece is a whole group of three digits
                if text[groups[a][0]] == "0" and groups[a][1] - groups[a][0] > 1:
                    break  # no amount starts with a zero ('077')
                span = (groups[a][0], groups[b - 1][1])
                if _join(text[span[0] : span[1]], tail) is not None:
                    fits[(a, b, n)] = (span[1] - span[0], _misfit(span, tail.span()))
    longest = _best_cut(fits, n_groups, n_tails, lambda prev, fit: max(prev, fit[0]))
    if longest is None:
        return None
    within = {key: fit for key, fit in fits.items() if fit[0] <= longest[0]}
    closest = _best_cut(within, n_groups, n_tails, lambda prev, fit: prev + fit[1])
    return None if closest is None else [(groups[a][0], groups[b - 1][1]) for a, b in closest[1]]


def _best_cut(
    fits: dict[tuple[int, int, int], tuple[int, int]],
    n_groups: int,
    n_tails: int,
    step: Callable[[int, tuple[int, int]], int],
) -> tuple[int, list[tuple[int, int]]] | None:
    """The cut of all groups into one piece per tail with the least cost, the cost grown piece by piece by step:
    (cost, pieces as (first group, end group)), or None."""
    best: dict[tuple[int, int], tuple[int, list[tuple[int, int]]]] = {(0, 0): (0, [])}
    for n in range(n_tails):
        for (a, b, k), fit in sorted(fits.items()):
            if k != n or (a, n) not in best:
                continue
            cost, pieces = best[(a, n)]
            cand = (step(cost, fit), [*pieces, (a, b)])
            if (b, n + 1) not in best or cand[0] < best[(b, n + 1)][0]:
                best[(b, n + 1)] = cand
    return best.get((n_groups, n_tails))


def _cut_over_tails(
    h: re.Match[str],
    lines: list[Line],
    i: int,
    tails: list[list[re.Match[str]]],
    used: set[tuple[int, int]],
    out: list[Stacked],
    page: int,
) -> bool:
    """A head over two tails or more of the next line cut into as many amounts (_split); whether it was."""
    above, below = lines[i], lines[i + 1]
    under = [
        k for k, m in enumerate(tails[i + 1]) if m.start() < h.end() and h.start() < m.end() and (i + 1, k) not in used
    ]
    split = _split(h, [tails[i + 1][k] for k in under]) if len(under) > 1 else []
    if not split:  # a neighbour's tail touching the head's edge ('12 318,' / '45 €' beside it) is not one of its own
        under = [k for k in under if _shared(h.span(), tails[i + 1][k].span()) > COLUMN_SLACK]
        split = _split(h, [tails[i + 1][k] for k in under]) if len(under) > 1 else []
    if not split or above.line_no is None or below.line_no is None:
        return False
    for k, (span, tail, value) in zip(under, split, strict=True):
        used.add((i + 1, k))
        piece = above.text[span[0] : span[1]]
        out.append(Stacked(page, above.line_no, piece, tail.group(), below.line_no, value, span, tail.span()))
    return True


def _aligned(heads: list[re.Match[str]], tails: list[re.Match[str]], below: str) -> list[tuple[int, int, Decimal]]:
    """Heads of a line and tails of the line below paired in order (the order of a row's cells survives where the
    export shifts a crowded line's cells: 'agents 203 500 22 796,' over '€      25 €', a line of tails drifting a
    character more at each cell): the most pairs, then the least drift, each pair joined by the grammar. A pair
    stands within a cell's width of its head, or its offset (tail from head) differs from the pair before by a cell's
    width at most (the drift grows along a line, it does not jump). A unit alone is a head's only
    in its columns, or where the head's columns below are not blank (a '€' a cell away from a head with white under
    it is a one-line neighbour's, its own unit stands further down). (head index, tail index, value)."""
    fits: list[tuple[int, int, int, Decimal]] = []  # (head, tail, twice the offset, value)
    joined: dict[tuple[str, str, str | None], Decimal | None] = {}
    centres = [t.start() + t.end() for t in tails]  # twice each tail's centre, left to right
    longest = max((t.end() - t.start() for t in tails), default=0)
    for a, h in enumerate(heads):
        reach = 2 * MAX_DRIFT_CELLS * (max(h.end() - h.start(), longest) + COLUMN_SLACK)
        first = bisect_left(centres, h.start() + h.end() - reach)
        for b in range(first, bisect_right(centres, h.start() + h.end() + reach)):
            t = tails[b]
            offset = centres[b] - h.start() - h.end()
            if abs(offset) > 2 * MAX_DRIFT_CELLS * _width(h, t):
                continue  # further than any drift: another cell's (and the pairs to weigh stay few)
            near = _overlap(h.span(), t.span()) or not (t.group("unit") and _blank_at(below, h.span()))
            value = _join_once(h.group(), t, joined) if near else None
            if value is not None:
                fits.append((a, b, offset, value))
    if not fits:
        return []
    return _chain(fits, len(heads), len(tails), [_width(heads[a], tails[b]) for a, b, _, _ in fits])


def _chain(
    fits: list[tuple[int, int, int, Decimal]], n: int, m: int, widths: list[int]
) -> list[tuple[int, int, Decimal]]:
    """The chain of _aligned over (head, tail, twice the offset, value) fits, in O(heads × tails): a fit within a
    cell's width of its head follows the best chain of the heads and tails before it; one further off follows a pair
    of the MAX_DRIFT_CELLS heads before it whose offset is within a cell's width of its own."""
    at = {(a, b): k for k, (a, b, _, _) in enumerate(fits)}
    score: dict[int, tuple[int, int]] = {}
    back: dict[int, int | None] = {}
    none: tuple[tuple[int, int], int | None] = ((0, 0), None)
    prefix = [[none] * (m + 1) for _ in range(n + 1)]  # best chain over heads < a and tails < b
    by_head: dict[int, list[int]] = {}
    for k, (a, _, _, _) in enumerate(fits):
        by_head.setdefault(a, []).append(k)
    for a in range(n):
        for k in by_head.get(a, []):
            b = fits[k][1]
            offset, width = fits[k][2], 2 * widths[k]
            best: tuple[tuple[int, int], int | None] = ((0, 0), None)
            if abs(offset) <= width:
                (pairs, drift), prev = prefix[a][b]
                best = ((pairs + 1, drift - abs(offset)), prev)
            for pa in range(max(0, a - MAX_DRIFT_CELLS), a):
                for pb in range(max(0, b - MAX_DRIFT_CELLS - 1), b):
                    q = at.get((pa, pb))
                    if q is not None and q in score and abs(offset - fits[q][2]) <= width:
                        cand = (score[q][0] + 1, score[q][1] - abs(offset - fits[q][2]))
                        if cand > best[0]:
                            best = (cand, q)
            if best[0][0]:
                score[k], back[k] = best
        above, row = prefix[a], prefix[a + 1]
        for b in range(m):
            here = at.get((a, b))
            best_here = above[b + 1] if above[b + 1][0] >= row[b][0] else row[b]
            if here is not None and here in score and score[here] > best_here[0]:
                best_here = (score[here], here)
            row[b + 1] = best_here
    out = []
    last = prefix[n][m][1]
    while last is not None:
        a, b, _, value = fits[last]
        out.append((a, b, value))
        last = back[last]
    return out[::-1]


def _tail_below(
    h: re.Match[str],
    lines: list[Line],
    i: int,
    j: int,
    tails: list[list[re.Match[str]]],
    used: set[tuple[int, int]],
    out: list[Stacked],
    page: int,
) -> bool:
    """Joins head h of line i with its tail (or, cut, its tails) on line j; whether a tail stood there (joined or
    not: a tail that does not complete the head ends the search)."""
    above, below = lines[i], lines[j]
    if above.line_no is None or below.line_no is None:
        return True
    hits = [k for k, m in enumerate(tails[j]) if (j, k) not in used and _overlap(h.span(), m.span())]
    under = [k for k in hits if _under(h.span(), tails[j][k].span())]
    split = _split(h, [tails[j][k] for k in under]) if len(under) > 1 else []
    if split:
        for k, (span, part, amount) in zip(under, split, strict=True):
            used.add((j, k))
            piece = above.text[span[0] : span[1]]
            out.append(Stacked(page, above.line_no, piece, part.group(), below.line_no, amount, span, part.span()))
        return True
    if not hits:
        return False
    tail = tails[j][hits[0]]
    value = _join(h.group(), tail)
    if value is not None:
        used.add((j, hits[0]))
        out.append(Stacked(page, above.line_no, h.group(), tail.group(), below.line_no, value, h.span(), tail.span()))
    return True


def _width(head: re.Match[str], tail: re.Match[str]) -> int:
    """A cell's width as its two lines show it: the longer of the two, and COLUMN_SLACK."""
    return max(len(head.group()), len(tail.group())) + COLUMN_SLACK
