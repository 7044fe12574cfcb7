"""Crowded text exports (pdftotext -layout of office recaps): header runs that drift along the line, units wrapped
under crowded amounts, rows wrapped over three lines. Lines taken from generated office text exports."""

from __future__ import annotations

import re
from decimal import Decimal

from calpae.extract import stacked_amounts
from calpae.extract.tables.text_grid import _ranked_rows
from calpae.extract.tables.text_grid_parts import Amount, GridRow
from calpae.extract.tables.text_header import Phrase, _line_columns
from calpae.models import Line


def _stacked(*texts: str) -> list[tuple[str, Decimal]]:
    lines = [Line(text=t, page=1, line_no=n) for n, t in enumerate(texts, start=1)]
    return [(s.head, s.value) for s in stacked_amounts(lines, 1)]


def test_a_crowded_header_run_drifting_left_keeps_its_last_cells():
    # one header line of eleven amount columns run together, each cell's line further left of its column than the
    # one before: 'en 2020 -' twice are the two 'Montant à reporter en 2020 - Part …' cells, not 'Dont valorisation'
    line = "versés en reportés affectés valorisati mmés financeu A+B+C+ 31/12/201 dépenses en 2020 - en 2020 -"
    words = [Phrase(0, 102 + m.start(), 102 + m.end(), m.group()) for m in re.finditer(r"\S+", line)]
    targets = [106.2, 116.5, 126.5, 136.0, 146.0, 157.0, 168.5, 179.5, 190.5, 201.0, 211.0]
    opens = [True] + [False] * (len(words) - 1)
    columns = _line_columns(words, targets, [10.0] * len(targets), opens)
    assert columns == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 10, 10, 10]


def test_a_unit_wrapped_after_a_crowded_amount_cuts_it():
    # '733 000 187 500' (two amounts one space apart), each unit on the line below right after its last digit
    assert _stacked(
        "          713 500       0 € 733 000 187 500         0 € 52 500 €",
        "                 €                 €       €                   ",
    ) == [("713 500", Decimal("713500")), ("733 000", Decimal("733000")), ("187 500", Decimal("187500"))]


def test_a_unit_under_an_inner_group_of_a_whole_amount_ends_the_amount_before():
    # '1 289 000 256 300 €': the '€' below ends under '000', so '1 289 000' is an amount wrapped, '256 300 €' another
    assert _stacked(
        "           1 045 000       - € 1 289 000 256 300 €      -€  ",
        "                   €                   €                    ",
    ) == [("1 045 000", Decimal("1045000")), ("1 289 000", Decimal("1289000"))]


def _amount(line: int, start: int, text: str, col: int) -> Amount:
    return Amount(line, (start, start + len(text)), text, col)


def test_a_rows_lone_middle_amount_fills_the_column_it_lacks():
    # heads on line 14 set a column left from E on (E's cell, one line, stands centred on line 15): by position the
    # middle amount clashes with F's head; in order along the line the row fills its eleven columns
    heads = ["985 500,00", "185 208,58", "1 030 500,0", "193 500,00", "167 232,46"]
    starts = [73, 84, 95, 107, 118]
    tail = ["2 436 941,0", "2 154 116,4", "193 500,00", "170 358,93", "112 465,63"]
    row = GridRow(14, 16, 14)
    for k, (s, t) in enumerate(zip(starts, heads, strict=True)):
        row.cells[k + 2] = _amount(14, s, t, k + 2)
    for k, (s, t) in enumerate(zip([141, 153, 165, 176, 187], tail, strict=True)):
        row.cells[k + 7] = _amount(14, s, t, k + 7)
    lone = GridRow(15, 15, 15, cells={7: _amount(15, 129, "68 500,00 €", 7)})
    rows = _ranked_rows([row, lone], range(2, 13))
    assert len(rows) == 1
    assert [rows[0].cells[k].text for k in range(2, 13)] == [*heads, "68 500,00 €", *tail]


def test_a_lone_zero_drifted_over_the_edge_of_the_column_its_row_lacks():
    row = GridRow(67, 68, 67)
    heads = [(122, "919.000 €"), (145, "1.190.500€"), (158, "171.700 €"), (176, "0€")]
    for k, (s, t) in zip([4, 6, 7, 8], heads, strict=True):
        row.cells[k] = _amount(67, s, t, k)
    for k in range(9, 15):
        row.cells[k] = _amount(67, 180 + 12 * (k - 9), "1.000 €", k)
    lone = GridRow(69, 69, 69, cells={6: _amount(69, 150, "0€", 6)})
    rows = _ranked_rows([row, lone], range(4, 15))
    assert len(rows) == 1
    assert rows[0].cells[5].text == "0€"
    assert rows[0].cells[6].text == "1.190.500€"
