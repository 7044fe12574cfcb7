"""Split one line into a text label and the amount cells that end it (right to left)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from calpae.extract.numbers.parse import parse_number
from calpae.extract.settings import AMOUNTS, DEFAULT_FONT_SIZE
from calpae.models import BBox, Line, Word

UNITS = {"€", "%", "k€", "K€", "M€", "EUR", "euros"}
QUALIFIERS = {"NR", "NC", "SO", "N/A"}
NUM_RE = re.compile(r"^[-+−]?\d[\d.,]*$")
NUM_UNIT_RE = re.compile(r"^[-+−]?\d[\d.,]*(€|%|k€|K€|M€)$")
GROUP3_RE = re.compile(r"^\d{3}([.,]\d+)?$")
LEAD_RE = re.compile(r"^[-+−]?\d{1,3}$")
YEAR_RE = re.compile(r"^(19[89]\d|20[0-4]\d)$")
# A label ending with one of these words continues into the number: prose, not a table row.
STOP_WORDS = {
    "de",
    "du",
    "des",
    "à",
    "a",
    "au",
    "aux",
    "soit",
    "est",
    "sont",
    "pour",
    "et",
    "le",
    "la",
    "les",
    "par",
    "en",
    "sur",
    "un",
    "une",
    "plus",
    "moins",
    "environ",
    "dont",
    "avec",
    "contre",
    "entre",
    "n°",
}


@dataclass
class AmountCell:
    """One amount cell: its words (left to right), and an alternative reading without its leading group."""

    words: list[Word]
    alt_drop_lead: bool = False  # the first group may belong to the label ("Job 47 136 000 €")

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        box = BBox.union([w.bbox for w in self.words])
        assert box is not None, "an amount cell has at least one word"
        return box


@dataclass
class SplitLine:
    """A line read as label + amount cells; gap_before is the space between label and first amount."""

    line: Line
    label: list[Word]
    cells: list[AmountCell] = field(default_factory=list)
    gap_before: float = 0.0

    @property
    def label_text(self) -> str:
        return " ".join(w.text for w in self.label)

    def is_year_header(self) -> bool:
        """True for a line of years only ('2019 2020 2021'): a header, not a row."""
        return (
            not self.label
            and len(self.cells) >= 2
            and all(len(c.words) == 1 and YEAR_RE.match(c.words[0].text) for c in self.cells)
        )


def token_kind(text: str) -> str | None:
    """'unit', 'num', 'num_unit', 'dash', 'qual' or None for a word that cannot be part of an amount."""
    if text in UNITS:
        return "unit"
    if text in QUALIFIERS or text.lower() == "sans objet":
        return "qual"
    if text in {"-", "–", "—"}:
        return "dash"
    if NUM_UNIT_RE.match(text):
        return "num_unit"
    if NUM_RE.match(text):
        return "num"
    return None


def _joins(tok: Word, cell: list[Word], gap: float, size: float) -> bool:
    """Whether tok (just left of cell) continues the same amount."""
    if gap > AMOUNTS.col_gap * size:
        return False
    kind, first = token_kind(tok.text), cell[0]
    first_kind = token_kind(first.text)
    if kind == "unit" or kind == "qual" or first_kind == "qual":
        return False
    if first_kind == "unit" and len(cell) == 1:
        return kind in {"num", "dash"}
    if kind == "num" and LEAD_RE.match(tok.text.lstrip("-+−")) and GROUP3_RE.match(first.text.rstrip("€%")):
        return first_kind in {"num", "num_unit"}
    return False


def _gap(left: Word, right: Word) -> float:
    return max(0.0, right.bbox.x0 - left.bbox.x1)


def _joined_qualifiers(words: list[Word]) -> list[Word]:
    """'Sans' 'Objet' set side by side is one qualifier word ('Sans Objet' = SO), so a row of them is a row."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.text.lower() == "sans"
            and w.text.lower() == "objet"
            and _gap(prev, w) <= AMOUNTS.col_gap * (w.size or DEFAULT_FONT_SIZE)
        ):
            out[-1] = prev.model_copy(update={"text": f"{prev.text} {w.text}", "bbox": BBox.union([prev.bbox, w.bbox])})
        else:
            out.append(w)
    return out


def words_of(line: Line) -> list[Word]:
    """Upright words of a line (text-only lines get pseudo-words with no real geometry)."""
    if line.words:
        return _joined_qualifiers([w for w in line.words if w.upright])
    out, x = [], 0.0
    for tok in line.text.split():
        width = AMOUNTS.text_char_width * len(tok)
        box = BBox(x0=x, top=0.0, x1=x + width, bottom=DEFAULT_FONT_SIZE)
        out.append(Word(text=tok, bbox=box, size=DEFAULT_FONT_SIZE))
        x += width + AMOUNTS.text_space_width
    return out


def _has_unit(cell: list[Word]) -> bool:
    return any(token_kind(w.text) in {"unit", "num_unit", "qual"} for w in cell)


def _years_to_label(cells: list[list[Word]], label: list[Word]) -> list[list[Word]]:
    """'Report 2019 542 943 €': a bare number run on from the label, before amounts with units, is label."""
    if not label or not any(_has_unit(c) for c in cells):
        return cells
    while len(cells) > 1 and not _has_unit(cells[0]):
        size = cells[0][0].size or DEFAULT_FONT_SIZE
        if _gap(label[-1], cells[0][0]) > AMOUNTS.col_gap * size:
            break
        label = label + cells.pop(0)
    return cells


def _run_on_to_label(cells: list[list[Word]], label: list[Word]) -> list[list[Word]]:
    """'… rendez-vous à 2   643   730': a bare number one space after a label word that runs on ('à', 'de'),
    with a column gap after it, ends the label ('à 2 semaines' wrapped); the amounts start after the gap."""
    if not label or len(cells) < 2 or _has_unit(cells[0]) or label[-1].text.lower().strip("'’") not in STOP_WORDS:
        return cells
    size = cells[0][0].size or DEFAULT_FONT_SIZE
    if (
        _gap(label[-1], cells[0][0]) <= AMOUNTS.col_gap * size
        and _gap(cells[0][-1], cells[1][0]) > AMOUNTS.wide_gap * AMOUNTS.col_gap * size
    ):
        return cells[1:]
    return cells


def split_line(line: Line) -> SplitLine:
    """Label words and the amount cells found walking from the right end of the line."""
    words = words_of(line)
    cells: list[list[Word]] = []
    i = len(words) - 1
    while i >= 0:
        tok = words[i]
        if token_kind(tok.text) is None:
            break
        size = tok.size or DEFAULT_FONT_SIZE
        if cells and _joins(tok, cells[-1], _gap(tok, cells[-1][0]), size):
            cells[-1].insert(0, tok)
        else:
            cells.append([tok])
        i -= 1
    cells.reverse()
    # a lone unit or dash is not an amount: give it back to the label
    while cells and all(token_kind(w.text) in {"unit", "dash"} for w in cells[0]) and cells[0][0].text != "-":
        i += len(cells.pop(0))
    while cells and not parses(cells[0]):
        cells.pop(0)
    cells = _years_to_label(cells, words[: len(words) - sum(len(c) for c in cells)])
    cells = _run_on_to_label(cells, words[: len(words) - sum(len(c) for c in cells)])
    i = len(words) - sum(len(c) for c in cells) - 1
    label = words[: i + 1]
    out = [AmountCell(words=c) for c in cells]
    if out and label:
        lead = out[0].words
        nums = [w for w in lead if token_kind(w.text) == "num"]
        if (
            len(nums) >= AMOUNTS.ambiguous_groups
            and LEAD_RE.match(nums[0].text)
            and label
            and label[-1].text[:1].isalpha()
        ):
            out[0].alt_drop_lead = True
    gap = _gap(label[-1], out[0].words[0]) if (label and out) else 0.0
    return SplitLine(line=line, label=label, cells=out, gap_before=gap)


def label_then_amounts(s: SplitLine) -> bool:
    """Amounts set apart after a label that does not run on into them (prose runs on: 'est de 5 000 €')."""
    if not s.cells or s.is_year_header():
        return False
    size = s.cells[0].words[0].size or DEFAULT_FONT_SIZE
    separated = s.gap_before > AMOUNTS.col_gap * size or not s.label
    if s.label:
        last = s.label[-1].text.lower().strip("'’")
        # prose runs on into its number ('est de 5 000 €'); a wide gap is a column break, whatever the word
        if (
            last in STOP_WORDS or last.endswith((",", "("))
        ) and s.gap_before <= AMOUNTS.wide_gap * AMOUNTS.col_gap * size:
            return False
    if not s.label and len(s.cells) == 1 and not _has_unit(s.cells[0].words):
        return False  # a lone number: page number, year, stray figure
    has_unit = all(_has_unit(c.words) for c in s.cells)
    return separated or has_unit or len(s.cells) >= 2


def is_amount_row(s: SplitLine) -> bool:
    """A table row: amounts after a label that does not run on into them, or many amounts side by side.

    A wrapped label may break on 'pour', 'des'… just where the amounts of a wide table stand centred beside it;
    prose does not set three amounts or more in columns, so such a line is a row all the same (NR/NC/Sans Objet
    cells count: an indicator row of them is one)."""
    if label_then_amounts(s):
        return True
    return (
        len(s.cells) >= AMOUNTS.many_amounts
        and all(any(token_kind(w.text) in {"unit", "num_unit", "qual"} for w in c.words) for c in s.cells)
        and not s.is_year_header()
    )


def cell_value(text: str) -> Decimal | None:
    """The numeric value of an amount cell, through the project's French number parser."""
    parsed = parse_number(text)
    return parsed.value if parsed is not None else None


def parses(cell: list[Word]) -> bool:
    """True when the number parser reads the cell as a number or a NR/NC/SO value."""
    parsed = parse_number(" ".join(w.text for w in cell))
    return parsed is not None and (parsed.value is not None or parsed.qualifier is not None)
