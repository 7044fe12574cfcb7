"""Amounts a monospace text export wraps over two lines of a narrow cell, at the same character columns: the thousands
above the last group ('167' / '000,00 €'), the amount above its unit ('148 760,41' / '€'), the integer above its
decimals ('1.396.000' / ',00 €'), or a digit cut off ('330.617,3' / '9€'). Each half alone is a false figure (167,
0); joined by the number grammar (calpae.extract.tables.cell_text) they are the amount the page states, which a
record holds or an `unread_figure` reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from calpae.extract.numbers.parse import parse_number
from calpae.extract.tables.cell_text import join_texts
from calpae.models import Line

_SP = "[ \u00a0\u202f]"
# the head: an integer grouped by spaces or dots, maybe begun decimals, and no unit ('167', '2 330', '101.500,0'),
# continued by no group of its line (a neighbour cell's '7 500,00' one space after it, crowded by the export, is not
# its continuation, unless the head has begun its decimals; after a neighbour's decimals, '1 803 782,3 1 610 580,4',
# a number starts)
HEAD = re.compile(
    rf"(?:(?<![\d,.]{_SP})|(?<=,\d{_SP})|(?<=,\d\d{_SP}))(?<!\S)\d{{1,3}}(?:[ .\u00a0\u202f]\d{{3}})*"
    rf"(?:,\d{{0,2}}(?!\S)(?!{_SP}[,€])|(?!\S)(?!{_SP}(?:\d{{3}}(?!\d)|[,€])))"
)
# the tail, by what it completes: the unit alone; the decimals; one or two digits and the unit; the last group
TAIL = re.compile(
    rf"(?<![\d,.]{_SP})(?<!\S)(?:(?P<unit>€)|(?P<dec>,\d{{1,2}}(?: ?€)?)|(?P<digits>\d{{1,2}} ?€)"
    rf"|(?P<group>\d{{3}}(?:,\d{{1,2}})?(?: ?€|(?!{_SP}[\d,]))))(?!\S)"
)
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
                hit = next(
                    (k for k, m in enumerate(tails[j]) if (j, k) not in used and _overlap(h.span(), m.span())),
                    None,
                )
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
    return out


# --- amounts crowded one space apart ------------------------------------------------------------------------------

# a word of a crowded run: a whole dotted amount ('290.000', '279.490,'), or one group of a spaced one ('494', '916')
_DOTTED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{0,2})?")
_GROUP = re.compile(r"\d{1,3}(?:,\d{0,2})?")
_WORD = re.compile(r"\S+")
TAIL_REACH = 4  # characters: a tail below ends at most this far right of the end of the amount it closes


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of number words one space apart ('181 000 42 416, 271 500'), each word a dotted amount or a group."""
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for m in _WORD.finditer(text):
        if not (_DOTTED.fullmatch(m.group()) or _GROUP.fullmatch(m.group())):
            if run:
                runs.append(run)
            run = []
            continue
        if run and m.start() != run[-1].end() + 1:
            runs.append(run)
            run = []
        run.append(m)
    if run:
        runs.append(run)
    return runs


def _closing(run: list[re.Match[str]], tails: list[re.Match[str]]) -> dict[int, re.Match[str]]:
    """Which word of a run each tail below closes: a word cut inside its decimals takes the tail that starts where
    it ends ('416,' / '67 €'); any other tail closes the word it ends under, right-aligned within TAIL_REACH."""
    out: dict[int, re.Match[str]] = {}
    left = list(tails)
    for k, m in enumerate(run):
        if OPEN_DECIMALS.search(m.group()):
            t = next((t for t in left if abs(t.start() - m.end()) <= COLUMN_SLACK), None)
            if t is not None:
                out[k] = t
                left.remove(t)
    for t in left:
        near = [k for k, m in enumerate(run) if k not in out and 0 <= t.end() - m.end() <= TAIL_REACH]
        if near:
            out[max(near, key=lambda k: run[k].end())] = t
    return out


def _amounts(run: list[re.Match[str]], ends: set[int]) -> list[list[int]]:
    """The amounts of a run, as word indexes: a dotted word is one, a group of fewer than three digits begins one,
    decimals end one, and so does a word a tail below closes (the export lost the space that told them apart)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for k, m in enumerate(run):
        word = m.group()
        if cur and ("." in word or len(word.split(",")[0]) < 3):
            out.append(cur)
            cur = []
        cur.append(k)
        if "," in word or "." in word or k in ends:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def crowded_amounts(lines: list[Line], page: int) -> list[Stacked]:
    """Amounts a text export crowds one space apart on one line, their units or decimals on the line below
    ('494 916 446 890' over ',67 €   ,55 €'; '290.000 279.490,' over '€     16 €'): the tails below say where each
    amount ends. Only runs of two amounts or more, each amount kept when a tail closes it (one amount alone is
    stacked_amounts')."""
    out: list[Stacked] = []
    for i, above in enumerate(lines[:-1]):
        below = lines[i + 1]
        if above.line_no is None or below.line_no is None:
            continue
        tails = _tails(below.text)
        for run in _runs(above.text):
            closing = _closing(run, tails) if len(run) > 1 else {}
            amounts = _amounts(run, set(closing))
            if len(amounts) < 2:
                continue
            for words in amounts:
                tail = closing.get(words[-1])
                if tail is None or (
                    len(words) == 1 and _GROUP.fullmatch(run[words[0]].group()) and "," not in run[words[0]].group()
                ):
                    continue  # a lone group closed by a unit ('22 €') is as likely a piece as an amount
                span = (run[words[0]].start(), run[words[-1]].end())
                head = above.text[span[0] : span[1]]
                value = _join(head, tail)
                if value is not None:
                    out.append(
                        Stacked(page, above.line_no, head, tail.group(), below.line_no, value, span, tail.span())
                    )
    return out
