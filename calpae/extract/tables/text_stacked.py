"""Amounts a monospace text export wraps over two lines of a narrow cell, at the same character columns: the thousands
above the last group ('167' / '000,00 €'), the amount above its unit ('148 760,41' / '€'), the integer above its
decimals ('1.396.000' / ',00 €'), or a digit cut off ('330.617,3' / '9€'). Each half alone is a false figure (167,
0); joined by the number grammar (calpae.extract.tables.cell_text) they are the amount the page states, which a
record holds or an `unread_figure` reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from calpae.extract.numbers.parse import parse_number
from calpae.extract.tables.cell_text import join_texts
from calpae.models import Line

_SP = "[ \u00a0\u202f]"
# the head: an integer grouped by spaces or dots, maybe begun decimals, and no unit ('167', '2 330', '101.500,0'),
# continued by no group of its line (a neighbour cell's '7 500,00' one space after it, crowded by the export, is not
# its continuation, unless the head has begun its decimals; after a neighbour's decimals, '1 803 782,3 1 610 580,4',
# a number starts)
HEAD = re.compile(
    rf"(?:(?<![\d,.]{_SP})|(?<=,{_SP})|(?<=,\d{_SP})|(?<=,\d\d{_SP})|(?<=\d{_SP})(?=\d{{1,2}}[ .\u00a0\u202f]\d{{3}}))"
    rf"(?<!\S)\d{{1,3}}(?:[ .\u00a0\u202f]\d{{3}})*"
    rf"(?:,\d{{0,2}}(?!\S)(?!{_SP}[,€])|(?!\S)(?!{_SP}(?:\d{{3}}(?!\d)|[,€])))"
)
# the tail, by what it completes: the unit alone; the decimals; one or two digits and the unit; the last group
TAIL = re.compile(
    rf"(?<![\d,.]{_SP})(?<!\S)(?:(?P<unit>€)|(?P<dec>,\d{{1,2}}(?: ?€)?)|(?P<digits>\d{{1,2}} ?€)"
    rf"|(?P<group>\d{{3}}(?:,\d{{1,2}})?(?: ?€|(?!{_SP}[\d,]))))(?!\S)"
)
_GROUPED_INT = re.compile(r"\d{1,3}(?:[ .\u00a0\u202f]\d{3})*")  # an integer as the grammar groups it
OPEN_DECIMALS = re.compile(r",\d?$")  # a head cut inside its decimals ('1 803 782,3'): its tail must follow
COLUMN_SLACK = 1  # characters: the two halves of one cell overlap, or touch within this many columns
MAX_LINES_APART = 2  # source lines from a head down to its tail (one line of centred one-line cells between)


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


def stacked_amounts(lines: list[Line], page: int) -> list[Stacked]:
    """The amounts wrapped over two lines of a page: a head with a tail below it in the same columns, on the next
    line or, when the row's one-line cells sit centred between them, MAX_LINES_APART lines down, blank between (or
    not, below a head cut inside its decimals: the export may crowd a neighbour's cell over its columns)."""
    out: list[Stacked] = []
    tails = [_tails(ln.text) for ln in lines]
    used: set[tuple[int, int]] = set()
    for i, above in enumerate(lines):
        if above.line_no is None:
            continue
        for h in HEAD.finditer(above.text):
            for j in range(i + 1, min(len(lines), i + 1 + MAX_LINES_APART)):
                below = lines[j]
                hits = [k for k, m in enumerate(tails[j]) if (j, k) not in used and _overlap(h.span(), m.span())]
                under = [k for k in hits if _under(h.span(), tails[j][k].span())]
                split = _split(h, [tails[j][k] for k in under]) if len(under) > 1 else []
                if split and below.line_no is not None:
                    for k, (span, tail, value) in zip(under, split, strict=True):
                        used.add((j, k))
                        piece = above.text[span[0] : span[1]]
                        out.append(
                            Stacked(page, above.line_no, piece, tail.group(), below.line_no, value, span, tail.span())
                        )
                    break
                hit = hits[0] if hits else None
                if hit is not None:
                    tail = tails[j][hit]
                    value = _join(h.group(), tail)
                    if value is not None and below.line_no is not None:
                        used.add((j, hit))
                        out.append(
                            Stacked(
                                page,
                                above.line_no,
                                h.group(),
                                tail.group(),
                                below.line_no,
                                value,
                                h.span(),
                                tail.span(),
                            )
                        )
                    break
                if not _blank_at(below.text, h.span()) and not OPEN_DECIMALS.search(h.group()):
                    break  # a cell's line between: only an amount cut inside its decimals looks past it
    for i in range(len(lines) - 1):
        out += _in_order(lines, i, tails[i + 1], used, out, page)
    return out


def _in_order(
    lines: list[Line], i: int, tails: list[re.Match[str]], used: set[tuple[int, int]], found: list[Stacked], page: int
) -> list[Stacked]:
    """Heads of line i and tails of the line below that the export set apart by more than COLUMN_SLACK (a crowded
    first line pulls its cells left: 'agents 203 500 22 796,' over '€      25 €'), paired in order. The heads and
    tails already joined on these two lines are anchors; between two anchors, as many heads left as tails left are
    paired left to right (left of the first anchor, the heads nearest it), each pair joined by the grammar within a
    cell's width of each other."""
    above, below = lines[i], lines[i + 1]
    anchors = sorted((s.span, s.tail_span) for s in found if s.line == above.line_no and s.tail_line == below.line_no)
    if not anchors or above.line_no is None or below.line_no is None:
        return []
    taken = [s.span for s in found if s.line == above.line_no]
    heads = [h for h in HEAD.finditer(above.text) if not any(a < h.end() and h.start() < b for a, b in taken)]
    free = [(k, t) for k, t in enumerate(tails) if (i + 1, k) not in used]
    bounds = [((-1, -1), (-1, -1)), *anchors, ((len(above.text) + 1,) * 2, (len(below.text) + 1,) * 2)]
    out = []
    for n, ((h0, t0), (h1, t1)) in enumerate(zip(bounds, bounds[1:], strict=False)):
        hs = [h for h in heads if h0[1] <= h.start() and h.end() <= h1[0]]
        ts = [(k, t) for k, t in free if t0[1] <= t.start() and t.end() <= t1[0]]
        if n == 0 and ts:
            hs = hs[-len(ts) :]  # left of the first anchor, the label side's numbers ('2.2', '19') head no tail
        if not hs or len(hs) != len(ts):
            continue
        pairs = [(h, k, t, _join(h.group(), t)) for h, (k, t) in zip(hs, ts, strict=True)]
        if any(v is None or _misfit(h.span(), t.span()) > len(h.group()) + COLUMN_SLACK for h, _, t, v in pairs):
            continue
        for h, k, t, value in pairs:
            assert value is not None
            used.add((i + 1, k))
            out.append(Stacked(page, above.line_no, h.group(), t.group(), below.line_no, value, h.span(), t.span()))
    return out
