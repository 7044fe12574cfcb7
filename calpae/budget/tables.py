"""Recognise budget tables in any reader's Table and give each amount column a role, period and year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calpae.budget import vocab
from calpae.budget.money import Money, read_money
from calpae.models import Cell, Table


@dataclass
class Row:
    """One budget row: its label (wrapped lines joined), and for each amount column the cell text."""

    label: str
    texts: list[str]  # per amount column, "" where empty
    cells: list[Cell | None]  # source cell per amount column (provenance)
    label_cell: Cell | None
    is_total: bool = False
    note: str | None = None  # how an ambiguity in this row was resolved
    own: str = ""  # the row's own words where its label spans columns (fiche number and title), else ""
    beside: str = ""  # a total row's other label cells ('Sous total' beside a merged Chorus cell centred on it)

    @property
    def own_label(self) -> str:
        """The label of the item the row is about, without the cells of the groups it sits in (theme, Chorus)."""
        return self.own or self.label

    def money(self, c: int) -> Money | None:
        return read_money(self.texts[c])


# a cell opening with an item's number: '1.1', '4.2 Diagnostics', '2 - Refonder' (not a Chorus code '0304 50 19')
_ITEM_NUMBER = re.compile(r"^\d{1,2}(?:\s?[.\-]\s?\d{1,2}){0,2}\.?(?:$|\s*[-–:)]?\s+\D)")


@dataclass
class Column:
    label: str
    role: str | None
    kind: str | None  # forecast | executed | None
    year: int | None


@dataclass
class BudgetTable:
    """A table recognised as a budget, in reader-independent form."""

    table: Table
    kind: str  # forecast, executed, forecast_executed, summary, action, financial_model
    columns: list[Column]
    rows: list[Row]
    roles_as_rows: bool = False
    header: str = ""
    notes: list[str] = field(default_factory=list)


def _amount_columns(grid: list[list[str]], first: int) -> list[int]:
    """Columns whose filled cells (below the header) are mostly money."""
    cols: list[int] = []
    for c in range(len(grid[0]) if grid else 0):
        filled = [r[c] for r in grid[first:] if r[c].strip()]
        money = [t for t in filled if _moneyish(t)]
        if money and len(money) * 2 >= len(filled):
            cols.append(c)
    return cols


def _header_rows(grid: list[list[str]]) -> int:
    """Number of leading rows before the first row that holds money."""
    for i, row in enumerate(grid):
        if any(_moneyish(t) and not _is_year(t) and not _is_lost_date(t) for t in row):
            return i
    return len(grid)


def _trim_header(grid: list[list[str]], n_header: int, amount_cols: list[int]) -> int:
    """Below a real header, rows with text only in label columns are a wrapped label of the first row."""

    def has_heads(r: int) -> bool:
        return any(grid[r][c].strip() for c in amount_cols)

    n = n_header
    while n > 0 and not has_heads(n - 1) and any(has_heads(r) for r in range(n - 1)):
        n -= 1
    return n


def _moneyish(text: str) -> bool:
    """Money, not a small reference number ('1.1' as an action number): € shown or three digits at least."""
    m = read_money(text)
    return m is not None and (m.euro or len(re.sub(r"\D", "", text)) >= 3)


def _is_year(text: str) -> bool:
    """A bare year in a header ('2019') is not money."""
    return bool(re.fullmatch(r"\s*(19|20)\d\d\s*", text))


# a date whose slashes OCR lost or read as '1' or '7' ('31122022', '311272022', '3.171.220,22' for 'Au 31/12/2022')
_LOST_DATE = re.compile(r"(0[1-9]|[12]\d|3[01])[17]?(0[1-9]|1[0-2])[17]?20\d\d")


def _is_lost_date(text: str) -> bool:
    """A header cell's date read as digits ('Au 31/12/2022' as '31122022'): day, month and a year of this century
    in its digits, with no word and no euro sign; not money."""
    if re.search(r"[^\d\s.,:;]", text):
        return False
    return bool(_LOST_DATE.fullmatch(re.sub(r"\D", "", text)))


def _is_fragment(text: str) -> bool:
    """Rotated cell text split into letters ('SO', 'C', 'LE'): no word of four letters."""
    return not re.search(r"[^\W\d_]{4,}", text)


def _own_words(texts: list[str]) -> str:
    """Where a row's label spans several label columns (group, theme, Chorus code, fiche number, title), the words
    from the last cell that opens with an item number: the item itself; the cells before it name its groups, and a
    merged group cell's wrapped lines fall on whichever rows sit beside them. "" when no such cell splits the label."""
    filled = [t for t in texts if t]
    starts = [i for i, t in enumerate(filled) if _ITEM_NUMBER.match(t)]
    if len(filled) < 2 or not starts or starts[-1] == 0:
        return ""
    return re.sub(r"\s+", " ", " ".join(filled[starts[-1] :]))


REPEATED_HEADER_SHARE = 0.6  # share of a text-only row's filled cells that repeat the header's cell of their column


def _repeats_header(grid: list[list[str]], start: int, r: int) -> bool:
    """A text-only row inside the table that is its header again (repeated at the top of a page the reader kept in
    one table): most of its filled cells (two at least) say what the header says in the same column."""
    filled = [(c, t.strip()) for c, t in enumerate(grid[r]) if t.strip()]
    if len(filled) < 2:
        return False

    def said(c: int, text: str) -> bool:
        heads = [grid[h][c].strip() for h in range(start) if c < len(grid[h]) and grid[h][c].strip()]
        return any(text == h or (min(len(text), len(h)) >= 8 and (text in h or h in text)) for h in heads)

    return sum(said(c, t) for c, t in filled) >= REPEATED_HEADER_SHARE * len(filled)


def _title_over_repeat(grid: list[list[str]], start: int, r: int) -> bool:
    """A text-only line right above a repeated header whose words all stand in the header above the first rows (the
    table's title, repeated with its header at the top of the next page): no row label either."""
    words = grid[r] and " ".join(grid[r]).lower().split()
    if not words or r + 1 >= len(grid) or not _repeats_header(grid, start, r + 1):
        return False
    head = {w for h in range(start) for t in grid[h] for w in t.lower().split()}
    return all(w in head for w in words)


_PURE_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,2}")
_RUN_ON_NUMBER = re.compile(r"\d{1,2}\.\d{2,}(?:\.\d+)?")


def _successors(number: str) -> set[str]:
    """The item numbers that may follow one in a column of fiche numbers ('8.1' → '8.2', '9.1')."""
    parts = [int(x) for x in number.split(".")]
    return {".".join(map(str, [*parts[:-1], parts[-1] + 1])), f"{parts[0] + 1}.1"}


def _mend_run_on_numbers(grid: list[list[str]], start: int, label_cols: list[int]) -> list[list[str]]:
    """A column of fiche numbers ('8.1', '8.2') where one cell reads '8.210': the number ran into a short number of
    the merged cell beside it (a wrapped Chorus code's last group). Where a prefix of it is the number the column's
    previous one leads to, that prefix is the cell; any other reading is left as read."""
    out = grid
    for c in label_cols:
        seen = [grid[r][c].strip() for r in range(start, len(grid))]
        if sum(bool(_PURE_NUMBER.fullmatch(t)) for t in seen) < 2:
            continue
        previous = None
        for r in range(start, len(grid)):
            text = grid[r][c].strip()
            if _PURE_NUMBER.fullmatch(text):
                previous = text
            elif previous and _RUN_ON_NUMBER.fullmatch(text):
                ahead = _successors(previous)
                fits = [text[:k] for k in range(len(text) - 2, len(text)) if text[:k] in ahead]
                if len(fits) == 1:
                    out = [list(row) for row in out] if out is grid else out
                    out[r][c] = previous = fits[0]
    return out


_DOTLESS = re.compile(r"[1-9]{2}")  # '31' where the column numbers its fiches '3.1': the dot lost (a scan's OCR)
_NUMBER_TAIL = re.compile(r"[\s.,:;'’”\"]+$")  # '42.', '3.1.”', '11 :': marks OCR read after a fiche number


def _follows(previous: str, number: str) -> bool:
    """True when `number` may come next after `previous` in a column of two-level fiche numbers: the next of the
    same group ('3.1' → '3.2'), or the first of a later one ('3.2' → '4.1', '5.1' → '8.1')."""
    (a, b), (c, d) = (map(int, previous.split(".")), map(int, number.split(".")))
    return (c == a and d == b + 1) or (c > a and d == 1)


def _mend_lost_dots(grid: list[list[str]], start: int, label_cols: list[int]) -> list[list[str]]:
    """A column of fiche numbers read from a scan where OCR lost the dots of some ('22', '31', '32', '41' for
    '2.2', '3.1', '3.2', '4.1'): where every number of the column reads as a two-level number with a dot put
    between the two digits of the dotless ones, each following the one above it as such numbers do, while the
    dotless ones read as whole numbers do not run on by one, the dots are put back. A column numbered 11, 12, 13
    is left as written."""
    out = grid
    for c in label_cols:
        found = [(r, _NUMBER_TAIL.sub("", grid[r][c].strip())) for r in range(start, len(grid)) if grid[r][c].strip()]
        found = [(r, t) for r, t in found if _PURE_NUMBER.fullmatch(t) or _DOTLESS.fullmatch(t)]
        dotless = [t for _, t in found if _DOTLESS.fullmatch(t)]
        if len(dotless) < 2 or any(t.count(".") > 1 for _, t in found):
            continue
        if all(int(b) == int(a) + 1 for a, b in zip(dotless, dotless[1:], strict=False)):
            continue  # whole numbers running on: the column numbers its items so
        dotted = [(r, t if "." in t else f"{t[0]}.{t[1]}") for r, t in found]
        if not all(_follows(a, b) for (_, a), (_, b) in zip(dotted, dotted[1:], strict=False)):
            continue
        out = [list(row) for row in out] if out is grid else out
        for r, t in dotted:
            out[r][c] = t
    return out


def _interleaved_subtotal(cells: list[str]) -> bool:
    """A label cell whose lines interleave 'Sous … total' with a merged cell's wrapped words beside it ('Initiatives
    Sous locales total': two cells of a page-split row read as one)."""
    for cell in cells:
        words = [w.lower() for w in cell.split()]
        if "sous" in words and "total" in words[words.index("sous") + 2 :]:
            return True
    return False


_HALF_SUBTOTAL = re.compile(r"^(sous|tota(l|ux))$")


def _half_subtotal(cells: list[str]) -> bool:
    """A label cell holding one half of a 'Sous total' wrapped over two lines, the other half lost or read onto
    a neighbouring row (an OCR reading of a scan: 'Sous' alone in the fiche column). Only with the row's sums as
    evidence (see _sums_rows_above): 'sous' alone also opens phrases ('sous quinze jours')."""
    return any(_HALF_SUBTOTAL.match(w.strip(".,:;-–").lower()) for cell in cells for w in cell.split())


def _sums_rows_above(rows: list[Row], texts: list[str], *, nearest: bool = False) -> bool:
    """Every amount of the row is the sum of its column over the item rows since the last total (one at least); with
    nearest, over the last few of them (a sub-total above whose label OCR lost was not seen as one)."""
    since = []
    for row in reversed(rows):
        if row.is_total:
            break
        since.append(row)
    if nearest:
        return any(_sums_rows_above(since[:n][::-1], texts) for n in range(1, len(since) + 1))
    if not since or not any(t.strip() for t in texts):
        return False
    for c, text in enumerate(texts):
        if not text.strip():
            continue
        mine = read_money(text)
        parts = [m.value for row in since if (m := row.money(c)) is not None]
        if mine is None or not parts or sum(parts) != mine.value:
            return False
    return True


def _rows(table: Table, grid: list[list[str]], start: int, amount_cols: list[int]) -> list[Row]:
    """Data rows, label-only lines joined to the amount row they introduce (a repeated header left out)."""
    label_cols = [c for c in range(len(grid[0])) if c not in amount_cols]
    grid = _mend_lost_dots(_mend_run_on_numbers(grid, start, label_cols), start, label_cols)
    rows: list[Row] = []
    pending: list[str] = []
    pending_cols: dict[int, list[str]] = {}
    pending_cell: Cell | None = None
    for r in range(start, len(grid)):
        label = " ".join(grid[r][c].strip() for c in label_cols if grid[r][c].strip())
        texts = [grid[r][c].strip() for c in amount_cols]
        has_money = any(read_money(t) is not None for t in texts)
        if not has_money and start and (_repeats_header(grid, start, r) or _title_over_repeat(grid, start, r)):
            continue
        if not has_money:
            if label and not _is_fragment(label):
                pending.append(label)
                for c in label_cols:
                    if grid[r][c].strip():
                        pending_cols.setdefault(c, []).append(grid[r][c].strip())
                pending_cell = pending_cell or next((table.cell(r, c) for c in label_cols if grid[r][c].strip()), None)
            continue
        total = vocab.is_total_label(label)
        if not total:  # a merged cell beside it ('Engagements des mesures socle') does not hide a 'Sous total' cell
            said = next((t for c in label_cols if vocab.is_total_label(t := grid[r][c].strip())), None)
            if said is None and (
                (
                    _interleaved_subtotal(said_cells := [grid[r][c] for c in label_cols])
                    and _sums_rows_above(rows, texts)
                )
                or (
                    _half_subtotal(said_cells)
                    and sum(1 for t in texts if read_money(t) is not None) >= 2
                    and _sums_rows_above(rows, texts, nearest=True)
                )
            ):
                said = "Sous total"
            if said is not None:
                total, label = True, said
        own = beside = ""
        if total:
            beside = " ".join(t for c in label_cols if (t := grid[r][c].strip()) and not vocab.is_total_label(t))
        if not total:
            own = _own_words([" ".join([*pending_cols.get(c, []), grid[r][c].strip()]).strip() for c in label_cols])
        if pending and not total:
            label = " ".join(pending + [label]).strip()
        label_cell = pending_cell if pending and not total else None
        label_cell = label_cell or next((table.cell(r, c) for c in label_cols if grid[r][c].strip()), None)
        pending, pending_cols, pending_cell = [], {}, None
        cells = [table.cell(r, c) for c in amount_cols]
        rows.append(
            Row(
                label=re.sub(r"\s+", " ", label),
                texts=texts,
                cells=cells,
                label_cell=label_cell,
                is_total=total,
                own=own,
                beside=beside,
            )
        )
    _mend_wrapped(rows)
    return rows


# a label left open ('4. Insertion des allocataires du RSA –'): its next line was read into the row below
_OPEN_END = re.compile(r"[-–—:,]$")
# words, then the row's own numbered label ('Orientation et parcours 5. Insertion …'): the words are the line above's
_STRAY_HEAD = re.compile(r"^(?P<tail>\D+?)\s+(?P<rest>\d{1,2}(?:\.\d{1,2}){0,2}\.?\s+[^\W\d].*)$")


def _mend_wrapped(rows: list[Row]) -> None:
    """A wrapped label whose end the reader put on the next row (the cell's lines centred across the row's height):
    the words before the next row's own number go back to the row whose label is left open."""
    for above, below in zip(rows, rows[1:], strict=False):
        if above.is_total or below.is_total or not _OPEN_END.search(above.label) or below.own:
            continue
        m = _STRAY_HEAD.match(below.label)
        if m:
            above.label = f"{above.label} {m.group('tail')}"
            below.label = m.group("rest")


def _columns(
    table: Table, grid: list[list[str]], n_header: int, amount_cols: list[int], doc_year: int | None
) -> tuple[list[Column], str]:
    heads = [" ".join(grid[r][c].strip() for r in range(n_header) if grid[r][c].strip()) for c in amount_cols]
    header = " ".join(" ".join(t for t in grid[r] if t.strip()) for r in range(n_header))
    title = table.title or ""
    roles = [vocab.header_role(h) for h in heads]
    if len(amount_cols) > 1 and sum(1 for h in heads if h) < len(amount_cols):
        run = " ".join(h for h in heads if h) or header or title
        pieces = vocab.split_by_roles(run)
        if len(pieces) == len(amount_cols):
            roles = [r for r, _ in pieces]
            heads = [text for _, text in pieces]
    kinds = [vocab.period_kind(h) or vocab.period_kind(title) for h in heads]
    own = [vocab.year_of_column(h, r) for h, r in zip(heads, roles, strict=True)]
    budget_years = [y for y, r in zip(own, roles, strict=True) if y and r not in vocab.CARRY_ROLES]
    common = max(set(budget_years), key=own.count, default=None)
    if common is None and any(y for y in own):  # only carried credits name a year: it is not the table's
        common = vocab.year_of(title) or doc_year
    if common is not None:  # carried in from / over to another year: the money of this table's budget year
        own = [common if r in vocab.CARRY_ROLES else y for y, r in zip(own, roles, strict=True)]
    else:
        common = max(set(y for y in own if y), key=own.count, default=None)
    years = [y or common or vocab.year_of(title) or vocab.year_of_column(header, None) or doc_year for y in own]
    years = _carried_in_year(years, roles, heads, doc_year)
    roles = [vocab.carry_role(h, r, y) for h, r, y in zip(heads, roles, years, strict=True)]
    cols = [Column(label=h, role=ro, kind=k, year=y) for h, ro, k, y in zip(heads, roles, kinds, years, strict=True)]
    return cols, header


def _carried_in_year(
    years: list[int | None], roles: list[str | None], heads: list[str], doc_year: int | None
) -> list[int | None]:
    """Credits carried in from the year before the document's: that earlier year is their origin, not the table's.

    A header run cut across columns can leave the origin year ('reportés 2019') on another column's label; when
    every dated column names only the document's previous year and an incoming carry column names no year of its
    own, the table is the document's year."""
    if doc_year is None or "report" not in roles:
        return years
    named = {y for y in years if y}
    carry_named = any(vocab.year_of(h) for h, r in zip(heads, roles, strict=True) if r == "report")
    if named == {doc_year - 1} and not carry_named:
        return [doc_year if y == doc_year - 1 else y for y in years]
    return years


def _roles_as_rows(rows: list[Row], columns: list[Column]) -> bool:
    if any(c.role in ("etat", "departement") for c in columns):
        return False
    named = [r for r in rows if not r.is_total and vocab.role_of(r.label) in ("etat", "departement")]
    return len(named) >= 2


def _kind(header: str, title: str, columns: list[Column], label_head: str, n_rows: int) -> str:
    """summary (several actions or measures, or so titled), action, financial_model, or the columns' period."""
    h = vocab.fold(header + " " + title)
    if re.search(r"imputation chorus|fiche action|budget global|a\+b", h):
        return "financial_model"
    role_cols = sum(1 for c in columns if c.role in ("etat", "departement", "total", "report"))
    if re.search(r"total des actions|actions contractualis|recapitulatif|\bsynthese\b", h) or (
        re.match(r"(actions?|mesures?)\b", vocab.fold(label_head)) and role_cols >= 2 and n_rows > 1
    ):
        return "summary"
    if re.search(r"\bpostes?\b|budget de l'action", h):
        return "action"
    kinds = {c.kind for c in columns if c.kind}
    if kinds == {"forecast", "executed"}:
        return "forecast_executed"
    if kinds:
        return kinds.pop()
    return "action"


def _is_budget(rows: list[Row], columns: list[Column], header: str, title: str, roles_as_rows: bool) -> bool:
    if not rows or not columns:
        return False
    if vocab.looks_not_budget(header):
        return False
    monies = [m for r in rows for c in range(len(columns)) if (m := r.money(c)) is not None]
    euro = any(m.euro for m in monies) or re.search(r"€|euro|montant|budget|credit", vocab.fold(header + title))
    named = roles_as_rows or any(c.role for c in columns) or any(c.kind for c in columns)
    return bool(len(monies) >= 2 and euro and named)


def read_budget_table(table: Table, doc_year: int | None = None) -> BudgetTable | None:
    """The budget reading of a Table, or None when it is not a budget table."""
    grid = table.grid()
    if not grid or not grid[0]:
        return None
    n_header = _header_rows(grid)
    if n_header >= len(grid):
        return None
    amount_cols = _amount_columns(grid, n_header)
    if not amount_cols:
        return None
    n_header = _trim_header(grid, n_header, amount_cols)
    columns, header = _columns(table, grid, n_header, amount_cols, doc_year)
    rows = _rows(table, grid, n_header, amount_cols)
    as_rows = _roles_as_rows(rows, columns)
    if not _is_budget(rows, columns, header, table.title or "", as_rows):
        return None
    label_head = " ".join(grid[r][c] for r in range(n_header) for c in range(len(grid[0])) if c not in amount_cols)
    kind = _kind(header, table.title or "", columns, label_head, sum(1 for r in rows if not r.is_total))
    return BudgetTable(table=table, kind=kind, columns=columns, rows=rows, roles_as_rows=as_rows, header=header)
