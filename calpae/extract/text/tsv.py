"""Tab-separated tables in text exports: runs of tab rows, continued across blanks and page furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from calpae.extract.settings import TEXT_LAYOUT
from calpae.extract.structure.gaps import is_gap, repeated_texts
from calpae.models import Cell, Line, Table

_NUMERIC = re.compile(
    r"^[-+]?\s*\d[\d\s.,\u00a0\u202f]*\s*(€|%|k€|m€|millions?|euros?)?$|^-\s*€$|^(nr|nc|sans objet|so)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(19|20)\d{2}$")


def is_numeric_cell(text: str) -> bool:
    """A cell holding a number, an amount or a NR/NC/Sans Objet value (a bare year does not count)."""
    t = text.strip()
    return bool(t) and not _YEAR.match(t) and bool(_NUMERIC.match(t))


def split_cells(text: str) -> list[str]:
    """The cells of one tab row, trailing empties kept (they are real empty cells)."""
    return [c.strip() for c in text.split("\t")]


@dataclass
class _Run:
    """Consecutive tab rows being assembled into one table."""

    rows: list[list[str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def has_numbers(self) -> bool:
        return any(is_numeric_cell(c) for r in self.rows[1:] for c in r)


def _is_header(row: list[str], previous: _Run) -> bool:
    """A new run's first row opens a new table when it has no numbers while the table so far has some."""
    if any(is_numeric_cell(c) for c in row):
        return False
    if previous.rows and row == previous.rows[0]:
        return False  # the header repeated after a page break: same table
    return previous.has_numbers()


def _run_title(lines: list[Line], index: int, repeated: set[str]) -> str | None:
    """Nearest non-empty, non-table, non-furniture line above lines[index]."""
    for ln in reversed(lines[max(0, index - TEXT_LAYOUT.tsv_title_reach) : index]):
        if ln.in_table or "\t" in ln.text:
            return None
        if not is_gap(ln, repeated):
            return ln.text.strip()
    return None


def _to_table(run: _Run, title: str | None) -> Table:
    cells: list[Cell] = []
    pages: list[int] = []
    row_index = 0
    header = run.rows[0]
    for i, (row, line) in enumerate(zip(run.rows, run.lines, strict=True)):
        if i > 0 and row == header and not any(is_numeric_cell(c) for c in row):
            continue  # repeated header after a page break
        for col, text in enumerate(row):
            cells.append(Cell(row=row_index, col=col, text=text, page=line.page, line_no=line.line_no))
        row_index += 1
        if line.page is not None and line.page not in pages:
            pages.append(line.page)
    return Table(
        id="",
        source="tsv",
        pages=pages,
        line_start=run.lines[0].line_no,
        line_end=run.lines[-1].line_no,
        n_rows=row_index,
        n_cols=run.n_cols,
        cells=cells,
        title=title,
    )


def find_tsv_tables(lines: list[Line]) -> list[Table]:
    """Tables made of tab-separated rows; marks their lines in_table. Ids are left for the caller."""
    repeated = repeated_texts(lines)
    tables: list[Table] = []
    run: _Run | None = None
    run_start = 0
    pending_gap: list[Line] = []
    for i, line in enumerate(lines):
        if "\t" in line.text and not line.in_table:
            row = split_cells(line.text)
            if run is not None and pending_gap and (len(row) != run.n_cols or _is_header(row, run)):
                tables.append(_to_table(run, _run_title(lines, run_start, repeated)))
                run = None
            if run is None:
                run, run_start = _Run(), i
            run.rows.append(row)
            run.lines.append(line)
            for gap in pending_gap:
                gap.in_table = gap.in_table or not gap.text.strip()  # blanks inside a table belong to it
            pending_gap = []
            line.in_table = True
        elif run is not None and is_gap(line, repeated):
            pending_gap.append(line)
        elif run is not None:
            tables.append(_to_table(run, _run_title(lines, run_start, repeated)))
            run, pending_gap = None, []
    if run is not None:
        tables.append(_to_table(run, _run_title(lines, run_start, repeated)))
    return tables
