"""Amounts a monospace text export wraps over two lines of a narrow cell ('167' above '000,00 €'): the thousands on
one line and the last group, its decimals and its unit on the next, at the same character columns. Each half alone
is a false figure (167, 0); joined by the number grammar they are the amount the page states, which a record holds
or an `unread_figure` reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from calpae.extract.numbers.parse import parse_number
from calpae.models import Line

# the head: one to three digits, then whole groups of three ('167', '2 330'), continued by no group of its line (a
# neighbour cell's '7 500,00' one space after it, where the export crowded them, is not its continuation)
HEAD = re.compile(
    r"(?<![\d,.][ \u00a0\u202f])(?<!\S)\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?!\S)(?![ \u00a0\u202f](?:\d{3}(?!\d)|[,€]))"
)
# the tail: one group of three, decimals, the unit ('000,00 €', '566,25 €', '500 €')
TAIL = re.compile(r"(?<![\d,.][ \u00a0\u202f])(?<!\S)\d{3}(?:,\d{1,2})?(?: ?€|(?![ \u00a0\u202f][\d,]))(?!\S)")
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
        return f"{self.head} {self.tail}"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] + COLUMN_SLACK and b[0] <= a[1] + COLUMN_SLACK


def _join(head: str, tail: str) -> Decimal | None:
    parsed = parse_number(f"{head} {tail}")
    if parsed is None or parsed.value is None or parsed.is_year:
        return None
    return parsed.value


def _blank_at(text: str, span: tuple[int, int]) -> bool:
    return not text[max(0, span[0] - COLUMN_SLACK) : span[1] + COLUMN_SLACK].strip()


def _tails(text: str) -> list[tuple[tuple[int, int], str]]:
    """The tails of a line: in euros or with decimals (a lone group of three below a count is not taken)."""
    return [(m.span(), m.group()) for m in TAIL.finditer(text) if "," in m.group() or "€" in m.group()]


def stacked_amounts(lines: list[Line], page: int) -> list[Stacked]:
    """The amounts wrapped over two lines of a page: a head with a tail below it in the same columns, on the next
    line or, when the row's one-line cells sit centred between them, MAX_LINES_APART lines down, blank between."""
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
                    (k for k, (span, _) in enumerate(tails[j]) if (j, k) not in used and _overlap(h.span(), span)),
                    None,
                )
                if hit is not None:
                    value = _join(h.group(), tails[j][hit][1])
                    if value is not None and below.line_no is not None:
                        used.add((j, hit))
                        out.append(
                            Stacked(
                                page,
                                above.line_no,
                                h.group(),
                                tails[j][hit][1],
                                below.line_no,
                                value,
                                h.span(),
                                tails[j][hit][0],
                            )
                        )
                    break
                if not _blank_at(below.text, h.span()):
                    break
    return out
