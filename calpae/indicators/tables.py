"""Indicator tables (2019 layout, 4-column variant, 2021/2022 model) → IndicatorValue records."""

from __future__ import annotations

import re
from typing import Any

from calpae.extract.settings import OCR_TABLE
from calpae.indicators.context import section_at
from calpae.indicators.headers import Column, as_value_column, fill_years, find_header, fold, header_rows
from calpae.indicators.stacked import stacked_header
from calpae.indicators.values import clean, read_cell, unit_of
from calpae.models import Cell, Document, IndicatorValue, Table

_SEPARATOR = re.compile(r"[\s\-=|:]*")


def is_indicator_table(table: Table) -> bool:
    """True when the table's header has one indicator column and at least one dated value column."""
    return stacked_header(table) is not None or find_header(table.grid()) is not None


def _header(table: Table, grid: list[list[str]]) -> tuple[int, list[Column]] | None:
    """(first body row, columns): from the header cells with their spans, else from the rows' texts; a column
    whose header lost its year between two dated ones given it (headers.fill_years)."""
    found = stacked_header(table)
    if found is None:
        head = find_header(grid)
        if head is None:
            return None
        found = header_rows(grid, head[0], head[1]), head[1]
    start, cols = found
    return start, fill_years(cols, [_all_values(grid, start, j) for j in range(len(cols))])


def _all_values(grid: list[list[str]], start: int, j: int) -> bool:
    """True when column j's body cells are values (numbers, rates, NR/NC/SO or blank), one at least not blank."""
    cells = [clean(row[j]) for row in grid[start:] if j < len(row) and clean(row[j])]
    return bool(cells) and all(read_cell(c) is not None for c in cells)


def indicator_values_from_table(doc: Document, table: Table) -> list[IndicatorValue]:
    """Every value of an indicator table, one record per (row, value column); empty rows kept once."""
    grid = table.grid()
    found = _header(table, grid)
    if found is None:
        return []
    start, cols = found
    cols = [_values_in_comment_column(grid, start, c) for c in cols]
    mended: dict[tuple[int, int], tuple[str, str]] = {}
    specks: dict[tuple[int, int], str] = {}
    if _from_image(doc, table):
        specks = _drop_specks(grid, start, [c.index for c in cols if c.kind == "value"])
        mended = _mend_lost_decimal_commas(grid, start, [c.index for c in cols if c.kind == "value"])
        _lift_label_heads(grid, start, cols)
    ind = next(c for c in cols if c.kind == "indicator")
    measure_col = next((c for c in cols if c.kind == "measure" and c.index < ind.index), None)
    value_cols = [c for c in cols if c.kind == "value"]
    comment_cols = [c for c in cols if c.kind == "comment"]
    section = table.section or _table_section(doc, table)
    repeated = {fold(clean(grid[r][ind.index])) for r in range(start) if clean(grid[r][ind.index])} | {fold(ind.header)}
    records: list[IndicatorValue] = []
    measure: str | None = None
    previous: list[IndicatorValue] = []
    for r in range(start, len(grid)):
        row = grid[r]
        if all(_SEPARATOR.fullmatch(c or "") for c in row):
            continue
        label = clean(row[ind.index])
        if label and fold(label) in repeated:
            continue  # the header repeated after a page break inside the table
        if previous and _continues_label(row, label, measure_col, value_cols, comment_cols):
            for rec in previous:  # a label wrapped onto a row of its own (often over a page break)
                rec.indicator_label = f"{rec.indicator_label} {label}"
            continue
        if measure_col is not None and clean(row[measure_col.index]):
            measure = clean(row[measure_col.index])
        if not label:
            continue
        comment = " — ".join(t for t in (clean(row[c.index]) for c in comment_cols) if t) or None
        base: dict[str, Any] = dict(label=label, measure=measure, comment=comment, section=section)
        row_records = []
        for col in value_cols:
            value = _record(doc, table, r, col, row[col.index], ind, **base)
            if value is not None and (r, col.index) in specks:
                why = f"OCR read '{specks[(r, col.index)]}': a lone letter before the figure dropped"
                value.provenance = value.provenance.model_copy(update={"unsure": why})
            if value is not None and (r, col.index) in mended:
                seen, how = mended[(r, col.index)]
                why = f"OCR read '{seen}', over 100 % where {how}: its comma put back"
                value.provenance = value.provenance.model_copy(update={"repaired": why})
            if value is not None:
                row_records.append(value)
        if not row_records:
            row_records = [_empty_record(doc, table, r, value_cols, ind, **base)]
        records.extend(row_records)
        previous = row_records
    return records


_RATE = re.compile(r"^(\d+)(?:,(\d+))?\s*%$")
_LEADING_LETTER = re.compile(r"^[^\W\d_]\s+(\d[\d\s]*(?:,\d+)?(?:\s*%)?)$")  # 'À 1518': a speck read as a letter


def _drop_specks(grid: list[list[str]], start: int, value_cols: list[int]) -> dict[tuple[int, int], str]:
    """Value cells of a table read from a page image holding a figure after a lone letter ('À 1518': a speck of
    the cell's rule read as a letter): the figure is kept. Returns the cells changed, (row, column) → the text OCR
    read, so each record says so. (A mark after a rate, '100%.', is left: '9%.' stood for '59,9 %'.)"""
    out: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid[start:], start):
        for j in value_cols:
            text = clean(row[j]) if j < len(row) else ""
            m = _LEADING_LETTER.match(text)
            if m and read_cell(text) is None and read_cell(m[1]) is not None:
                out[(r, j)] = row[j]
                row[j] = m[1]
    return out


def _from_image(doc: Document, table: Table) -> bool:
    """True when every page of the table was read by OCR."""
    ocr = {p.number for p in doc.pages if p.ocr}
    return bool(table.pages) and set(table.pages) <= ocr


def _mend_lost_decimal_commas(
    grid: list[list[str]], start: int, value_cols: list[int]
) -> dict[tuple[int, int], tuple[str, str]]:
    """In a row of rates read from a page image, written with decimals ('75,4 %' '86,4 %'), a rate read above
    100 % without a comma ('945 %') lost its comma: a share of a whole is at most 100 %. The comma is put back
    before as many digits as the row's other rates have decimals, when the result is 100 % at most; in a row whose
    rates show no decimals, before the digits that bring it nearest the row's rates of 100 % at most. Returns the
    cells mended, (row, column) → the text OCR read and why, so each record says it is not as read."""
    mended: dict[tuple[int, int], tuple[str, str]] = {}
    for r, row in enumerate(grid[start:], start):
        rates = [(j, m) for j in value_cols if j < len(row) and (m := _RATE.match(clean(row[j])))]
        places = {len(m[2]) for _, m in rates if m[2]}
        if len(places) > 1:
            continue
        k = places.pop() if places else None
        whole = sorted(int(m[1]) for _, m in rates if m[2] is None and int(m[1]) <= 100)
        for j, m in rates:
            digits = m[1]
            if m[2] is not None or int(digits) <= 100:
                continue
            n = k if k is not None else _nearest_places(digits, whole)
            if n is not None and len(digits) > n and int(digits[:-n]) <= 100:
                how = "the row's other rates have decimals" if k is not None else "the row's other rates are nearer"
                mended[(r, j)] = (row[j], how)
                row[j] = f"{digits[:-n]},{digits[-n:]} %"
    return mended


def _nearest_places(digits: str, whole: list[int]) -> int | None:
    """In a row of rates written without decimals, how many of a rate's digits above 100 % follow its lost comma:
    the reading nearest the row's rates of 100 % at most ('581 %' beside '54 %' and '60 %': 58,1, not 5,81) and
    no less than OCR_TABLE.rate_scale_share of the smallest of them (a true '120 %' beside '90 %' is no '12,0 %');
    None without such rates (nothing tells the scale)."""
    if not whole:
        return None
    mid = whole[len(whole) // 2]
    low = OCR_TABLE.rate_scale_share * whole[0]
    readings = [n for n in range(1, len(digits)) if low <= int(digits) / 10**n <= 100]
    return min(readings, key=lambda n: abs(int(digits) / 10**n - mid), default=None)


_NAME_WORD = {"indicator": ("indicateur",), "measure": ("mesure", "action", "engagement", "axe")}


def _lift_label_heads(grid: list[list[str]], start: int, cols: list[Column]) -> None:
    """On a page read by OCR, the first line of the first row's label, set high in a tall row whose cells are
    centred, is read as part of the header's line: 'Indicateurs Taux de couverture de premier accueil social' over
    'inconditionnel par département accessible …'. Where a label column's header cell runs on past the word naming
    the column with a capitalised word, and the first body row's label opens lower-case (it continues a line above
    it), the words after the name go back to the head of that label."""
    if start >= len(grid):
        return
    for col in cols:
        names = _NAME_WORD.get(col.kind)
        label = clean(grid[start][col.index]) if names and col.index < len(grid[start]) else ""
        if not names or not label[:1].islower():
            continue
        for r in range(start - 1, -1, -1):
            words = clean(grid[r][col.index]).split()
            named = [k for k, w in enumerate(words) if fold(w).startswith(names)]
            if not named:
                continue
            head, tail = words[: named[-1] + 1], words[named[-1] + 1 :]
            if tail and tail[0][:1].isupper():
                grid[r][col.index] = " ".join(head)
                grid[start][col.index] = " ".join([*tail, label])
            break


def _values_in_comment_column(grid: list[list[str]], start: int, col: Column) -> Column:
    """A comment column whose header also names a dated result and whose cells are all values (numbers,
    NR/NC/SO, blanks; one number at least) is that value column: explanations are text."""
    alt = as_value_column(col)
    if alt is None:
        return col
    cells = [clean(row[col.index]) for row in grid[start:] if col.index < len(row)]
    cells = [c for c in cells if c]
    read = [read_cell(c) for c in cells]
    if cells and all(v is not None for v in read) and any(v is not None and v.value is not None for v in read):
        return alt
    return col


def _continues_label(row, label, measure_col, value_cols, comment_cols) -> bool:
    """A row holding only a lower-case label fragment continues the label of the row above."""
    if not label or not label[0].islower():
        return False
    if measure_col is not None and clean(row[measure_col.index]):
        return False
    return not any(clean(row[c.index]) for c in value_cols + comment_cols)


def _table_section(doc: Document, table: Table) -> str | None:
    page = table.pages[0] if table.pages else None
    return section_at(doc, page, table.line_start)


def _provenance(doc: Document, table: Table, cell: Cell | None, fallback: Cell | None, raw: str):
    anchor = cell if cell is not None and (cell.bbox or cell.line_no) else fallback
    page = (anchor.page if anchor else None) or (table.pages[0] if table.pages else None)
    line = anchor.line_no if anchor else table.line_start
    return doc.provenance(page=page, line=line, bbox=anchor.bbox if anchor else None, raw=raw)


def _record(
    doc: Document,
    table: Table,
    r: int,
    col: Column,
    text: str,
    ind: Column,
    *,
    label: str,
    measure: str | None,
    comment: str | None,
    section: str | None,
) -> IndicatorValue | None:
    read = read_cell(text)
    if read is None:
        return None
    return _build(
        doc,
        table,
        r,
        col,
        ind,
        clean(text),
        read.value,
        unit_of(label, read.unit),
        read.qualifier,
        label=label,
        measure=measure,
        comment=comment,
        section=section,
    )


def _empty_record(
    doc: Document,
    table: Table,
    r: int,
    value_cols: list[Column],
    ind: Column,
    *,
    label: str,
    measure: str | None,
    comment: str | None,
    section: str | None,
) -> IndicatorValue:
    """A row whose value cells are all blank: recorded once, on its first result column, as 'empty'."""
    col = next((c for c in value_cols if c.value_kind == "actual"), value_cols[0])
    return _build(
        doc,
        table,
        r,
        col,
        ind,
        "",
        None,
        unit_of(label, None),
        "empty",
        label=label,
        measure=measure,
        comment=comment,
        section=section,
    )


def _build(
    doc: Document,
    table: Table,
    r: int,
    col: Column,
    ind: Column,
    raw: str,
    value,
    unit: str | None,
    qualifier: str | None,
    *,
    label: str,
    measure: str | None,
    comment: str | None,
    section: str | None,
) -> IndicatorValue:
    """The IndicatorValue of one cell of a value column, with its provenance."""
    provenance = _provenance(doc, table, table.cell(r, col.index), table.cell(r, ind.index), raw)
    if col.inferred:
        provenance = provenance.model_copy(update={"inferred": col.inferred})
    return IndicatorValue(
        provenance=provenance,
        departement_code=doc.departement_code,
        section=section,
        measure_label=measure,
        indicator_label=label,
        year=col.year,
        value_kind=col.value_kind or "actual",
        value=value,
        unit=unit,
        qualifier=qualifier,
        comment=comment,
        origin="table",
        table_id=table.id,
    )
