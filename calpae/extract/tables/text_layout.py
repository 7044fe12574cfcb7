"""Tables that exist only as text layout (pdftotext-like): rows are a label followed by amounts.

Labels wrap over several lines (the amounts sit on the last one, or alone on a line below), header cells
are split over lines, and rotated cell text arrives as letter fragments on their own lines, which are dropped.
Amounts are left-packed in their row: without geometry the column of a short row is not known here (the
budget stage places them by checking totals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from calpae.extract.numbers.find import find_numbers
from calpae.extract.settings import TEXT_LAYOUT
from calpae.extract.structure.gaps import is_gap, repeated_texts
from calpae.extract.tables.text_columns import PHRASE, column_header
from calpae.extract.tables.text_rows import tail_of_previous, totals_below
from calpae.models import Cell, Line, Table
from calpae.textnorm import fold

_CURRENCY_TAIL = re.compile(r"\s*(€|euros?|eur)?\s*", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d{2}$")
_GROUPED = re.compile(r"\d[\s.\u00a0\u202f]\d{3}")
_SENTENCE_END = re.compile(r"[.;!?:]$")
_TOTAL = re.compile(r"^(sous[ -]?)?tota(l|ux)\b", re.IGNORECASE)
# Words that name budget-table columns (generic French finance vocabulary, no document's labels).
_HEADER_WORDS = {
    "etat",
    "departement",
    "cd",
    "part",
    "parts",
    "montant",
    "montants",
    "total",
    "totaux",
    "participation",
    "budget",
    "credits",
    "report",
    "reports",
    "previsionnel",
    "realise",
    "financement",
    "financements",
    "postes",
    "poste",
    "intitule",
    "libelle",
    "annee",
    "cout",
    "couts",
    "depenses",
    "recettes",
    "titre",
    "volets",
    "valorisation",
    "cofinancement",
    "financeurs",
}


@dataclass
class AmountLine:
    """A line ending with amounts: the label text before them and each amount's raw text."""

    label: str
    amounts: list[str]


# How every line that ends with an amount ends: a digit, a unit ('€', '%', 'EUR', 'euros', 'millions'…) or a
# currency after the amount. A line ending otherwise holds no trailing amount: its numbers are not read.
_AMOUNT_END = re.compile(r"(?:[0-9€%]|eur|euros?|illions?|illiards?|illiers?)$", re.IGNORECASE)
AMOUNT_END_CHARS = 12  # characters at the end of a line that _AMOUNT_END looks at


def trailing_amounts(text: str) -> AmountLine | None:
    """The amounts a line ends with (at least one in € or grouped in thousands), or None."""
    stripped = text.rstrip()
    if not _AMOUNT_END.search(stripped[-AMOUNT_END_CHARS:]):
        return None
    pos = len(stripped)
    run: list[tuple[object, int, int, bool]] = []
    for pn, start, end in reversed(find_numbers(stripped)):
        between = stripped[end:pos]
        tail = _CURRENCY_TAIL.fullmatch(between)
        unit = getattr(pn, "unit", None)
        if tail is None or unit not in (None, "EUR") or getattr(pn, "value", None) is None:
            break
        euro = unit == "EUR" or bool(tail.group(1))
        run.append((pn, start, end if not tail.group(1) else end + len(between.rstrip()), euro))
        pos = start
    run.reverse()
    while run and not run[0][3] and _YEAR.match(stripped[run[0][1] : run[0][2]].strip()):
        run.pop(0)
    if not run:
        return None
    if not any(r[3] for r in run):
        raws = [stripped[s:e] for _, s, e, _ in run]
        if not all(_GROUPED.search(r) for r in raws):
            return None
    label = stripped[: run[0][1]].strip()
    return AmountLine(label=label, amounts=[stripped[s:e].strip() for _, s, e, _ in run])


def column_gutter(line: Line, am: AmountLine) -> bool:
    """True when a column gutter, far wider than a word space, parts a line's label from its amounts: a table row
    whose label runs as long as prose (a justified prose line spaces its words evenly). PDF lines are measured on
    their words' boxes, text lines on the spaces before the amounts."""
    amounts = "".join(a.replace(" ", "") for a in am.amounts)
    words = [w for w in line.words if w.upright]
    if words:
        tail = ""
        for k in range(len(words) - 1, 0, -1):
            tail = words[k].text + tail
            if len(tail) >= len(amounts):
                left, first = words[k - 1], words[k]
                em = max(left.bbox.bottom - left.bbox.top, 1.0)
                return tail == amounts and first.bbox.x0 - left.bbox.x1 >= TEXT_LAYOUT.gutter_em * em
        return False
    text = line.text.rstrip()
    end = len(text)
    for raw in reversed(am.amounts):
        end = text.rfind(raw, 0, end)
        if end < 0:
            return False
    head = text[:end]
    return len(head) - len(head.rstrip(" ")) >= TEXT_LAYOUT.gutter_spaces


def header_hits(text: str) -> int:
    """How many column-header words or years a line holds."""
    words = re.findall(r"[\w']+", fold(text))
    return sum(1 for w in words if w.split("'")[-1] in _HEADER_WORDS or _YEAR.match(w))


def _is_strong_header(text: str) -> bool:
    t = text.strip()
    return bool(t) and t[0].isupper() and header_hits(t) >= 2


def _is_header_continuation(text: str) -> bool:
    t = text.strip()
    return bool(t) and (t[0].islower() or t[0].isdigit() or header_hits(t) >= 1)


def _is_short_fragment(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= TEXT_LAYOUT.fragment_chars and not any(ch.isdigit() for ch in t) and not t.endswith(":")


def split_header(texts: list[str], n_groups: int) -> list[str]:
    """Header lines → n_groups cell texts: continuation lines join, crowded lines split at capitals."""
    groups: list[str] = []
    for t in (x.strip() for x in texts):
        if not t:
            continue
        if groups and (t[0].islower() or t[0].isdigit() or t[0] in "(-–/&"):
            groups[-1] += " " + t
        else:
            groups.append(t)
    if len(groups) == 1 and n_groups > 1:
        groups = _split_at_capitals(groups[0])
    while len(groups) > n_groups and len(groups) > 1:
        k = min(range(len(groups)), key=lambda i: len(groups[i]))
        if k == 0:
            j = 1
        elif k == len(groups) - 1:
            j = k - 1
        else:
            j = k - 1 if len(groups[k - 1]) <= len(groups[k + 1]) else k + 1
        a, b = sorted((k, j))
        groups[a : b + 1] = [groups[a] + " " + groups[b]]
    return [""] * (n_groups - len(groups)) + groups


def _split_at_capitals(text: str) -> list[str]:
    """'Postes Montants Part Etat Part CD' → ['Postes', 'Montants', 'Part Etat', 'Part CD'] (repeated heads bind)."""
    words = text.split()
    cuts = [k for k in range(1, len(words)) if words[k][:1].isupper()]
    starts = [words[0]] + [words[k] for k in cuts]
    heads = {w for w in starts if starts.count(w) >= 2}
    cuts = [k for k in cuts if words[k - 1] not in heads]
    bounds = [0] + cuts + [len(words)]
    return [" ".join(words[a:b]) for a, b in pairwise(bounds) if a < b]


@dataclass
class _Row:
    label: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    label_line: int | None = None
    amount_line: int | None = None
    page: int | None = None
    amount_only: bool = False


def _classify(lines: list[Line], long_len: int, repeated: set[str]) -> list[str]:
    """One kind per line: blank, gap, table, stop, amount, text (fragments are decided later)."""
    kinds: list[str] = []
    for ln in lines:
        t = ln.text.strip()
        if ln.in_table:
            kinds.append("table")
        elif not t:
            kinds.append("blank")
        elif is_gap(ln, repeated):
            kinds.append("gap")
        else:
            am = trailing_amounts(t)
            if am is not None:
                title_like = am.label.endswith(":") and len(am.amounts) == 1
                prose_like = len(am.label) >= long_len and not column_gutter(ln, am)
                kinds.append("stop" if title_like or prose_like else "amount")
            elif len(t) >= long_len or _SENTENCE_END.search(t):
                kinds.append("stop")
            else:
                kinds.append("text")
    return kinds


def _regions(kinds: list[str]) -> list[list[int]]:
    """Runs of line indices between hard breaks (prose, other tables, long blank runs)."""
    regions: list[list[int]] = []
    current: list[int] = []
    blanks: list[int] = []
    for i, k in enumerate(kinds):
        if k in ("stop", "table"):
            regions.append(current)
            current, blanks = [], []
        elif k in ("blank", "gap"):
            blanks.append(i)
        else:
            if len(blanks) >= TEXT_LAYOUT.max_blanks and all(kinds[b] == "blank" for b in blanks):
                regions.append(current)
                current = []
            blanks = []
            current.append(i)
    regions.append(current)
    return [r for r in regions if r]


def _drop_fragments(region: list[int], lines: list[Line]) -> list[int]:
    """Remove rotated-text fragments: runs of two or more very short lines, or a lone letter."""
    short = [_is_short_fragment(lines[i].text) for i in region]
    keep: list[int] = []
    for k, i in enumerate(region):
        if short[k]:
            neighbour = (k > 0 and short[k - 1]) or (k + 1 < len(region) and short[k + 1])
            if neighbour or len(lines[i].text.strip()) == 1:
                continue
        keep.append(i)
    return keep


def _amount_rows(rest: list[int], lines: list[Line], amounts: dict[int, AmountLine]) -> list[tuple[str, int]]:
    """(label, number of amounts) of the amount lines up to the next header."""
    end = next((k for k, i in enumerate(rest) if i not in amounts and _is_strong_header(lines[i].text)), len(rest))
    return [(amounts[i].label, len(amounts[i].amounts)) for i in rest[:end] if i in amounts]


def _pieces(region: list[int], lines: list[Line], amounts: dict[int, AmountLine]) -> list[list[int]]:
    """Split a region at a new header and where the amount count changes after a total row."""
    pieces: list[list[int]] = [[]]
    total_count: int | None = None
    for k, i in enumerate(region):
        cur = pieces[-1]
        has_amounts = any(j in amounts for j in cur)
        if i not in amounts and _is_strong_header(lines[i].text) and has_amounts:
            pieces.append([])
            total_count = None
        elif i in amounts and total_count is not None and len(amounts[i].amounts) != total_count:
            if not totals_below(_amount_rows(region[k:], lines, amounts)):
                pieces.append([])
            total_count = None
        pieces[-1].append(i)
        if i in amounts and _TOTAL.match(amounts[i].label):
            total_count = len(amounts[i].amounts)
    return [p for p in pieces if p]


def _header_span(piece: list[int], lines: list[Line], amounts: dict[int, AmountLine]) -> tuple[list[int], int]:
    """Header line indices and the position in piece where the body starts.

    The header runs from the top of the lines above the first amount line down to the last line with
    column-header evidence (a header word or a year) and its lower-case continuations; what follows is
    the first row's label.
    """
    first_amount = next(k for k, i in enumerate(piece) if i in amounts)
    lead = piece[:first_amount]
    hits = [header_hits(lines[i].text) for i in lead]
    evidence = [k for k, h in enumerate(hits) if h >= 1]
    if not evidence or (sum(hits) < 2 and not any(_is_strong_header(lines[lead[k]].text) for k in evidence)):
        return [], max(0, first_amount - TEXT_LAYOUT.max_lead_label)
    start = 0  # the region began after a hard break: what precedes the evidence is header too ("Actions")
    end = evidence[-1] + 1
    while end < len(lead) and lines[lead[end]].text.strip()[:1].islower():
        end += 1
    header = lead[start:end]
    crowded = len(_split_at_capitals(lines[header[-1]].text)) >= TEXT_LAYOUT.crowded_header_cells
    if len(header) > 1 and crowded:
        header = header[_stacked_above(header, lines) :]  # a full header line under a caption: no header
    return header, end


def _stacked_above(header: list[int], lines: list[Line]) -> int:
    """Where a crowded header starts (index in header): its last line, and, in a text export, the lines right above
    it that stand over its amount columns only (a cell stacked over three lines, 'Prévisionnel 2019' / 'Part
    Département' / '2019', its last line beside the others' cells); a caption above starts over the label column."""
    k = len(header) - 1
    if any(lines[i].words for i in header):
        return k  # a PDF's lines place words by geometry, not by characters
    cells = [m.start() for m in PHRASE.finditer(lines[header[-1]].text)]
    if len(cells) < 2:
        return k
    while k > 0 and (m := PHRASE.search(lines[header[k - 1]].text)) is not None and m.start() >= cells[1]:
        k -= 1
    return k


def _rows(body: list[int], lines: list[Line], amounts: dict[int, AmountLine], n: int) -> list[_Row]:
    rows: list[_Row] = []
    pending: list[int] = []
    for i in body:
        ln = lines[i]
        am = amounts.get(i)
        if am is None:
            pending.append(i)
            continue
        if pending and rows and rows[-1].amounts:
            k = tail_of_previous(rows[-1].label, [lines[j].text.strip() for j in pending], am.label)
            rows[-1].label += [lines[j].text.strip() for j in pending[:k]]
            pending = pending[k:]
        if am.label and _TOTAL.match(am.label) and pending:
            rows.append(
                _Row(
                    label=[lines[j].text.strip() for j in pending],
                    label_line=lines[pending[0]].line_no,
                    page=lines[pending[0]].page,
                )
            )
            pending = []
        if (
            not am.label
            and not pending
            and rows
            and rows[-1].amount_only
            and len(rows[-1].amounts) + len(am.amounts) <= n
        ):
            rows[-1].amounts += am.amounts
            continue
        label = [lines[j].text.strip() for j in pending] + ([am.label] if am.label else [])
        first = lines[pending[0]] if pending else ln
        rows.append(
            _Row(
                label=label,
                amounts=list(am.amounts),
                label_line=first.line_no,
                amount_line=ln.line_no,
                page=ln.page,
                amount_only=not am.label,
            )
        )
        pending = []
    return rows


def _layout_title(lines: list[Line], index: int, repeated: set[str]) -> str | None:
    for ln in reversed(lines[max(0, index - TEXT_LAYOUT.title_reach) : index]):
        if ln.in_table:
            return None
        if ln.text.strip() and not is_gap(ln, repeated):
            return ln.text.strip()
    return None


def _table(piece: list[int], lines: list[Line], amounts: dict[int, AmountLine], repeated: set[str]) -> Table | None:
    header, body_start = _header_span(piece, lines, amounts)
    body = piece[body_start:]
    last = max(k for k, i in enumerate(body) if i in amounts)
    body = body[: last + 1]
    rows = _rows(body, lines, amounts, max(len(amounts[i].amounts) for i in body if i in amounts))
    amount_rows = [r for r in rows if r.amounts]
    if len(amount_rows) < 2 and not (header and amount_rows):
        return None
    n = max(len(r.amounts) for r in amount_rows)
    cells: list[Cell] = []
    r0 = 0
    if header:
        texts = None
        if not any(lines[i].words for i in piece):  # a text export: its columns stand on character positions
            full = [(lines[i].text, amounts[i].amounts) for i in body if i in amounts]
            texts = column_header([lines[i].text for i in header], full, n)
        texts = texts or split_header([lines[i].text for i in header], n + 1)
        hl = lines[header[0]]
        cells += [Cell(row=0, col=c, text=t, line_no=hl.line_no, page=hl.page) for c, t in enumerate(texts)]
        r0 = 1
    for r, row in enumerate(rows, start=r0):
        cells.append(Cell(row=r, col=0, text=" ".join(row.label), line_no=row.label_line, page=row.page))
        cells += [
            Cell(row=r, col=c, text=t, line_no=row.amount_line, page=row.page)
            for c, t in enumerate(row.amounts, start=1)
        ]
    start_i = header[0] if header else body[0]
    for i in range(start_i, body[-1] + 1):
        lines[i].in_table = True
    return Table(
        id="",
        source="text_layout",
        pages=sorted({p for i in range(start_i, body[-1] + 1) if (p := lines[i].page) is not None}),
        line_start=lines[start_i].line_no,
        line_end=lines[body[-1]].line_no,
        n_rows=r0 + len(rows),
        n_cols=n + 1,
        cells=cells,
        title=_layout_title(lines, start_i, repeated),
    )


def prose_length(lines: list[Line]) -> int:
    """Length from which a line is prose running the full width (90th percentile of line lengths)."""
    lengths = sorted(len(ln.text.rstrip()) for ln in lines if ln.text.strip() and not ln.in_table)
    if not lengths:
        return TEXT_LAYOUT.default_prose_chars
    at = int(TEXT_LAYOUT.prose_quantile * (len(lengths) - 1))
    return max(TEXT_LAYOUT.min_prose_chars, int(TEXT_LAYOUT.prose_share * lengths[at]))


def find_layout_tables(lines: list[Line], long_len: int | None = None) -> list[Table]:
    """Text-layout tables among lines not already in a table; marks their lines in_table. long_len: the prose length
    measured before other readers took their tables' lines (else measured here)."""
    long_len = prose_length(lines) if long_len is None else long_len
    pages: dict[str, set[int | None]] = {}
    for ln in lines:
        pages.setdefault(ln.text.strip(), set()).add(ln.page)
    paged = len({ln.page for ln in lines}) > 1
    repeated = {
        t
        for t in repeated_texts(lines)
        if (len(t) >= long_len or not _is_strong_header(t)) and (not paged or len(pages[t]) > 1)
    }  # a running text recurs from page to page; a label repeated on one page only is a table's (an action's
    # title over each of its expense lines)
    kinds = _classify(lines, long_len, repeated)
    amounts = {i: am for i, k in enumerate(kinds) if k == "amount" and (am := trailing_amounts(lines[i].text))}
    tables: list[Table] = []
    for region in _regions(kinds):
        region = _drop_fragments(region, lines)
        for piece in _pieces(region, lines, amounts):
            if any(i in amounts for i in piece):
                table = _table(piece, lines, amounts, repeated)
                if table is not None:
                    tables.append(table)
    return tables
