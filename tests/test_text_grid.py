"""Text exports (pdftotext -layout) of wide office tables: amounts wrapped over two lines joined by the number grammar,
the 16-column recap read by character columns, and what calpae read without knowing what it is said
(`meaning_guessed`), or did not read at all (`unread_figure` for a wrapped amount)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from test_budget import make_doc, make_table

from calpae.audit import audit_extraction
from calpae.budget import extract_budget
from calpae.extract import read_document, stacked_amounts
from calpae.models import CellRef, Extraction, Finding, Line
from calpae.pipeline import extract_document

OFFICE = Path(__file__).parent / "fixtures" / "office"


def _lines(*texts: str) -> list[Line]:
    return [Line(text=t, page=1, line_no=n) for n, t in enumerate(texts, start=1)]


@pytest.mark.parametrize(
    ("above", "below", "value"),
    [
        ("   167      ", "  000,00 €  ", Decimal("167000.00")),  # the thousands over the last group
        ("  101.500,0 ", "     0€     ", Decimal("101500.00")),  # a decimal digit cut off
        ("  330.617,3 ", "     9€     ", Decimal("330617.39")),
        ("  1.396.000 ", "    ,00 €   ", Decimal("1396000.00")),  # the integer over its decimals
        (" 148 760,41 ", "       €    ", Decimal("148760.41")),  # the amount over its unit
        ("  441 696,9 ", "     2 €    ", Decimal("441696.92")),
    ],
)
def test_an_amount_wrapped_over_two_lines_is_one_amount(above, below, value):
    [s] = stacked_amounts(_lines(above, below), 1)
    assert (s.value, s.line, s.tail_line) == (value, 1, 2)


def test_a_centred_line_between_the_halves_and_what_is_not_a_wrapped_amount():
    # the head, a row of one-line cells centred between, then the tail two lines down, blank under the head
    [s] = stacked_amounts(_lines("   40      ", "        -€ ", "  566,25 € "), 1)
    assert (s.value, s.tail_line) == (Decimal("40566.25"), 3)
    assert stacked_amounts(_lines("  1 056  ", "  1 362  "), 1) == []  # two counts, one over the other
    assert stacked_amounts(_lines(" 183 500 € ", " 228 000 € "), 1) == []  # two whole amounts
    assert stacked_amounts(_lines(" 97.000,00 ", " 26.300,00 "), 1) == []  # an amount with decimals over another
    assert stacked_amounts(_lines("   6 093,73 € ", "   563,67 €   "), 1) == []  # a head in a longer number


def test_amounts_crowded_one_space_apart_are_cut_by_their_tails():
    # pdftotext sets two wrapped cells one space apart: '494 916 446 890' reads as one grouped number, but each of
    # the two tails under it completes one amount; an amount after a head's open decimals ('14 061,') starts anew
    found = stacked_amounts(
        _lines(
            "  0 € 494 916 446 890     123 500 14 061, 148 000 ",
            "         ,67 €   ,55 €          €     23 €       € ",
        ),
        1,
    )
    assert [(s.head, s.value) for s in found] == [
        ("494 916", Decimal("494916.67")),
        ("446 890", Decimal("446890.55")),
        ("123 500", Decimal("123500")),
        ("14 061,", Decimal("14061.23")),
        ("148 000", Decimal("148000")),
    ]
    # after a whole amount, a number whose first group has one or two digits starts anew ('181 000 42 416,')
    [first, second] = stacked_amounts(_lines(" 181 000 42 416, ", "    €      67 €  "), 1)
    assert (first.value, second.value) == (Decimal("181000"), Decimal("42416.67"))


def test_heads_and_tails_the_export_set_apart_are_paired_in_order():
    # a crowded first line pulls its cells left of their tails; the joined '470 296,25 €' anchors the order
    above = "2.2 Formation des agents 203 500 22 796, 244 000         470 296 "
    below = "    d'accueil des               €       25 €         €  ,25 €  "
    found = stacked_amounts(_lines(above, below), 1)
    assert sorted((s.span[0], s.value) for s in found) == [
        (25, Decimal("203500")),
        (33, Decimal("22796.25")),
        (41, Decimal("244000")),
        (57, Decimal("470296.25")),
    ]


def test_a_line_of_tails_drifting_left_cell_by_cell_is_paired_in_order():
    # (seed 105) the tails of a total row drift a character or two more at each cell: by the last one, 15 characters
    above = "   133         159      42      12     30     334     296     42         7       30 "
    below = "000,00     500,00 200,00 060,13 000,00 560,13 557,31 200,00 150,84 851,98          "
    found = stacked_amounts(_lines(above, below), 1)
    assert [s.value for s in found] == [
        Decimal(v)
        for v in ("133000.00", "159500.00", "42200.00", "12060.13", "30000.00")
        + ("334560.13", "296557.31", "42200.00", "7150.84", "30851.98")
    ]


def test_dot_grouped_amounts_crowded_and_cut_inside_a_group():
    # dot-grouped cells one space apart are two amounts ('154.075 125.496'), and a dot-grouped amount may wrap inside
    # a group ('1.057.5' / '00,00 €'): the tail's digits complete the group
    found = stacked_amounts(
        _lines(
            "  33.000, 154.075 125.496 1.057.5 202.100 ",
            "     00 €   ,61 €   ,96 € 00,00 €   ,00 € ",
        ),
        1,
    )
    assert [s.value for s in found] == [
        Decimal("33000.00"),
        Decimal("154075.61"),
        Decimal("125496.96"),
        Decimal("1057500.00"),
        Decimal("202100.00"),
    ]
    # cut inside its last group, the amount's tail is its last digits and unit ('1.104.00' / '0€')
    [cut, whole] = stacked_amounts(_lines(" 1.104.00 403.700 ", "       0€       € "), 1)
    assert (cut.value, whole.value) == (Decimal("1104000"), Decimal("403700"))
    # cut inside its second group ('155.00' / '0,00 €'), which no number of the grammar ends: 155.000,00 €
    found = stacked_amounts(_lines(" 155.00 16.254, 232.50 ", " 0,00 €    12 € 0,00 € "), 1)
    assert [s.value for s in found] == [Decimal("155000.00"), Decimal("16254.12"), Decimal("232500.00")]


def test_space_grouped_amounts_crowded_and_cut_inside_a_group():
    # (seed 129) a recap's total rows: amounts one space apart, some cut inside their last group ('1 334 5' over
    # '00 €', '2 555 0' over '81,58 €'), tails drifting from their heads; read as grouped numbers they made
    # nonsense ('6 286 200 197,35'). Each run of groups is cut by the tails below it
    above = "  975 000 155 805 1 334 5 234 800 89 775,           0 € 2 555 0 2 118 2 234 800 176 979 259 836 "
    below = "        €     ,65 €     00 €        €    93 €          81,58 € 65,85 €         €     ,69 €     ,04 € "
    assert [s.value for s in stacked_amounts(_lines(above, below), 1)] == [
        Decimal(v)
        for v in ("975000", "155805.65", "1334500", "234800", "89775.93")
        + ("2555081.58", "2118265.85", "234800", "176979.69", "259836.04")
    ]
    # a tail taken by the run on its left is not the next run's ('0€' completes '5 170,6', not '165 500 31')
    above = "  110 500 5 170,6 165 500 31 100 5 662,9   "
    below = "        €       0€         €        €      7€ "
    assert [s.value for s in stacked_amounts(_lines(above, below), 1)] == [
        Decimal(v) for v in ("110500", "5170.60", "165500", "31100", "5662.97")
    ]


def test_a_neighbours_tail_touching_a_crowded_head_is_not_its_own():
    # the export lost the spaces between two amounts of neighbour cells; each amount's unit or decimals below
    # (right-aligned under it) says where it ends, and a tail that only touches a crowded head's edge is a neighbour's
    found = stacked_amounts(
        _lines(
            "  75 000 12 318, 333 104 218 950     ",
            "       €      45 €   ,10 €   ,05 €   ",
            "  410.000 388.120,                   ",
            "        €       52 €                 ",
        ),
        1,
    )
    assert [(s.line, s.value) for s in found] == [
        (1, Decimal("75000")),
        (1, Decimal("12318.45")),
        (1, Decimal("333104.10")),
        (1, Decimal("218950.05")),
        (3, Decimal("410000")),
        (3, Decimal("388120.52")),
    ]
    # the neighbour's tail touches the crowded head's first character ('12 318,' / '45 €'): without it, the two tails
    # under the head cut it in two; a lone group over a unit is an amount of its own
    assert [s.value for s in stacked_amounts(_lines("  12 318, 22 ", "     45 €  € "), 1)] == [
        Decimal("12318.45"),
        Decimal("22"),
    ]


def test_a_tail_under_the_line_between_is_its_head_there_not_a_header_digits():
    # a 2019 recap exported as text (seed 157): the header's last line ends '31/12/201' with a lone '9', the first
    # row's '266' (over '566,93 €', drifted ten characters left) stands on the line between; the '9' took that tail
    # first (9 566,93 € read, 266 alone: 171 of the recap's 287 cells read under another label). A head's tail two
    # lines down is now sought once the line between has paired its own heads
    found = stacked_amounts(
        _lines(
            " sur 2019       rs        D+E         9       du CD Part État Part CD",
            "                             302        266                      35 433,07",
            "    -€        -€        - € 000,00 € 566,93 €           -€      ",
        ),
        1,
    )
    assert [(s.line, s.value) for s in found] == [(2, Decimal("302000.00")), (2, Decimal("266566.93"))]


def test_a_grand_total_of_eleven_amounts_crowded_in_one_run_is_cut():
    # the same recap family (seed 159): a grand total row of 11 wrapped amounts, one space apart, reads as one run of
    # 23 digit groups over its 11 tails; runs of more than 16 groups were left uncut (their cuts tried as
    # combinations), and the row read as 1 028 186 500 and the like (3 false errors)
    found = stacked_amounts(
        _lines(
            "        1 028 186 53 1 176 296 20 142 20 26 500 2 560 2 2 071 296 20 279 91 208 89",
            "        500 € 5,79 € 500 €       0 € 0,69 €      € 36,48 € 426,43    0 € 2,72 € 7,33 €",
            "                                                                 €",
        ),
        1,
    )
    assert [s.value for s in found] == [
        Decimal(v)
        for v in (
            "1028500", "186535.79", "1176500", "296200", "142200.69", "26500",
            "2560236.48", "2071426.43", "296200", "279912.72", "208897.33",
        )
    ]  # fmt: skip


def test_a_row_of_three_lines_pairs_its_drifting_units_two_lines_down_in_order():
    # a 2019 recap exported as text (seed 161): each row's wrapped amounts on one line, its dash zeros centred on the
    # next, the units a line further down, drifting right cell by cell; paired by overlap, '177 000' found no unit
    # and '141 062' took its neighbour's ('141 062' read for 141 062,98); a crowded run over such units was one
    # amount ('521 500 439'), its last unit standing under the next amount's first characters
    found = stacked_amounts(
        _lines(
            " 21 700            14 000 177 000 141 062 21 700          19 438, 16 498,",
            "               -€",
            "       €                  €        €      ,98 €        €     46 €     56 €",
        ),
        1,
    )
    assert [s.value for s in found] == [
        Decimal(v) for v in ("21700", "14000", "177000", "141062.98", "21700", "19438.46", "16498.56")
    ]
    found = stacked_amounts(
        _lines(
            "                  521 500 439 569 134 800 38 560, 43 369,",
            "     -€        -€",
            "                         €      ,45 €        €     85 €     70 €",
        ),
        1,
    )
    assert [s.value for s in found] == [Decimal(v) for v in ("521500", "439569.45", "134800", "38560.85", "43369.70")]


def test_a_recap_whose_rows_hold_their_amounts_on_two_lines_has_all_its_columns():
    # the recap page of that report (fixture, seed 161): no line holds a row's 11 amounts, its dash zeros stand on the
    # line below the others; ranked by the fullest line (9 amounts), the grid had 9 amount columns, each row split in
    # two (50 of its 100 cells lost). A line and the next whose amounts stand apart now count as one row's
    doc = read_document(OFFICE / "064-2019-recap_page.txt")
    [table] = [t for t in doc.tables if t.n_rows > 5]
    grid = table.grid()
    assert len(grid[0]) == 14  # 3 label columns (the theme's rows at two offsets, 10 and 12, are one), 11 amounts
    assert grid[2][-11:] == [
        "74 000 €", "-€", "89 000 €", "21 700 €", "-€", "14 000 €",
        "177 000 €", "141 062,98 €", "21 700 €", "19 438,46 €", "16 498,56 €",
    ]  # fmt: skip


def test_a_recap_page_under_its_running_head_continues_the_table():
    # a Word recap exported as text (fixture, seed 159): page 2 holds its last rows and the grand total under the
    # document's running head alone (a title and a stamp, four blank lines above the rows). That line was taken for
    # a header, so the page was no continuation, and with one full line its columns were not ranked: page 2 read by
    # the line reader (154 of 187 budget cells). Page 2 now continues the grid
    ext = extract_document(OFFICE / "002-2022-tableau_financier.txt")
    truth = json.loads((OFFICE / "002-2022-tableau_financier.text.truth.json").read_text(encoding="utf-8"))
    on_page_2 = sorted((b.row_label, b.stage, b.part, b.amount) for b in ext.budget_lines if b.provenance.page == 2)
    expected = sorted(
        (c["row_label"], c["stage"], c["part"], Decimal(c["amount"])) for c in truth["budget_cells"] if c["page"] == 2
    )
    assert len(expected) == 33
    assert [(r, st, p, a) for r, st, p, a in on_page_2 if r == "TOTAUX FINANCIERS"][:2] == [
        ("TOTAUX FINANCIERS", "allocated", "departement", Decimal("1610000.00")),
        ("TOTAUX FINANCIERS", "allocated", "etat", Decimal("1437000.00")),
    ]
    assert sorted((st, p, a) for r, st, p, a in on_page_2 if r in ("TOTAUX FINANCIERS", "Sous total")) == sorted(
        (st, p, a) for r, st, p, a in expected if r in ("TOTAUX FINANCIERS", "Sous total")
    )


RECAP = """\
Annexe – Tableau financier récapitulatif 2021
                                        A Crédits  B Crédits    C Crédits    F Budget      Montant      Montant à
                                        État       État 2020    CD affectés  global        total        reporter -
                Intitulé de l'action    versés     reportés     en 2021      prévu         réalisé      Part État
                Accueil des jeunes                                                          148 760,41
          1.1   majeurs et suivi        95 000 €           -€     95 000 €    190 000 €                      4 000 €
                de leur parcours                                                                     €
                Hébergements                 167
          1.2   collectifs                                 -€    133 000 €    300 000 €   207 756,97 €            -€
                                        000,00 €
          Sous
                                       262 000 €           -€    228 000 €    490 000 €   356 517,38 €       4 000 €
          total
"""


def test_a_wide_recap_is_read_by_character_columns(tmp_path):
    # every amount keeps its column (the short rows were left-packed before), the label lines centred on a row join
    # it, an amount wrapped over two lines is one cell, and the stacked header names each column
    path = tmp_path / "recap.txt"
    path.write_text(RECAP + "\f", encoding="utf-8")
    [table] = read_document(path).tables
    grid: dict[int, dict[int, str]] = {}
    for c in table.cells:
        grid.setdefault(c.row, {})[c.col] = c.text
    rows = [[grid[r].get(k, "") for k in range(table.n_cols)] for r in sorted(grid)]
    assert rows == [
        [
            "",
            "Intitulé de l'action",
            "A Crédits État versés",
            "B Crédits État 2020 reportés",
            "C Crédits CD affectés en 2021",
            "F Budget global prévu",
            "Montant total réalisé",
            "Montant à reporter - Part État",
        ],
        ["1.1", "Accueil des jeunes majeurs et suivi de leur parcours", "95 000 €", "-€", "95 000 €", "190 000 €"]
        + ["148 760,41 €", "4 000 €"],
        ["1.2", "Hébergements collectifs", "167 000,00 €", "-€", "133 000 €", "300 000 €", "207 756,97 €", "-€"],
        ["Sous total", "", "262 000 €", "-€", "228 000 €", "490 000 €", "356 517,38 €", "4 000 €"],
    ]


def test_office_recap_text_export_rows_keep_their_columns():
    # the Tarn-et-Garonne recap (fixture, seed 3): its amounts wrap as '421' / '331,73 €'; read line by line they
    # were left-packed under no header (54 of 241 budget cells of the document); by character columns, with the
    # header's stacked cells matched to the columns in order, the row's 11 cells are right (the E column's header
    # wraps as 'Particip' / 'ation' / "d'autres" / 'financeu' / 'rs', run into D's lines by the export)
    ext = extract_document(OFFICE / "082-2019-rapport_execution.txt")
    row = [
        (b.stage, b.part, b.amount)
        for b in ext.budget_lines
        if b.provenance.page == 7 and b.row_label.endswith("1.1 Allocations individuelles jeunes majeurs")
    ]
    truth = json.loads((OFFICE / "082-2019-rapport_execution.text.truth.json").read_text(encoding="utf-8"))
    expected = [
        (c["stage"], c["part"], Decimal(c["amount"]))
        for c in truth["budget_cells"]
        if c["page"] == 7 and c["row_label"] == "Allocations individuelles jeunes majeurs"
    ]
    assert len(expected) == 11
    assert row == [
        ("allocated", "etat", Decimal("186000")),
        ("carried_in", "etat", Decimal("0")),
        ("allocated", "departement", Decimal("279000")),
        ("valorisation", "departement", Decimal("0")),
        ("carried_in", "departement", Decimal("0")),
        ("allocated", "other", Decimal("0")),
        ("planned", "total", Decimal("465000")),
        ("executed", "total", Decimal("421331.73")),
        ("valorisation", "departement", Decimal("0")),
        ("to_carry_over", "etat", Decimal("0")),
        ("to_carry_over", "departement", Decimal("43668.27")),
    ]
    assert sorted(row) == sorted(expected)


def test_a_recap_continued_under_no_header_and_its_rows_drifting_apart():
    # a Word recap exported as text (fixture, seed 141): its header on page 1 only, pages 2 and 3 continue it under
    # none; each row's amounts set a few characters apart from the next row's (11 per line, clustered into 12
    # columns), dot-grouped amounts cut inside their second group ('155.00' / '0,00 €'). Page 2's and 3's rows were
    # read by no table (1 of 165 budget cells): the headless pages now continue the grid, its columns ranked
    ext = extract_document(OFFICE / "073-2022-tableau_financier.txt")
    assert sorted({b.provenance.page for b in ext.budget_lines}) == [1, 2, 3]
    totals = [(b.stage, b.part, b.amount) for b in ext.budget_lines if b.row_label == "TOTAUX FINANCIERS"]
    assert totals == [
        ("allocated", "etat", Decimal("772500.00")),
        ("carried_in", "etat", Decimal("137024.95")),
        ("allocated", "departement", Decimal("921500.00")),
        ("valorisation", "departement", Decimal("230300.00")),
        ("carried_in", "departement", Decimal("126734.52")),
        ("allocated", "other", Decimal("13000.00")),
        ("planned", "total", Decimal("1970759.47")),
        ("executed", "total", Decimal("1728838.18")),
        ("valorisation", "departement", Decimal("230300.00")),
        ("to_carry_over", "etat", Decimal("157140.73")),
        ("to_carry_over", "departement", Decimal("84780.56")),
    ]
    truth = json.loads((OFFICE / "073-2022-tableau_financier.text.truth.json").read_text(encoding="utf-8"))
    expected = [
        (c["stage"], c["part"], Decimal(c["amount"]))
        for c in truth["budget_cells"]
        if c["row_label"] == "TOTAUX FINANCIERS"
    ]
    assert sorted(totals) == sorted(expected)


def test_header_cells_as_many_as_the_amount_columns_head_them_in_order():
    # a Calc recap exported as text (fixture, seed 141): the body's amounts stand up to three columns' width right of
    # their header cells and the label columns show fewer edges than their four header cells; matched by distance,
    # cells D and E shared one column and the last went without one (every amount after D under its neighbour's
    # header: 79 of 187 budget cells). The 11 cells over the amount columns now head the 11 columns in order.
    ext = extract_document(OFFICE / "001-2022-tableau_financier.txt")
    first = [(b.stage, b.part, b.amount) for b in ext.budget_lines[:11]]
    truth = json.loads((OFFICE / "001-2022-tableau_financier.text.truth.json").read_text(encoding="utf-8"))
    assert first == [(c["stage"], c["part"], Decimal(c["amount"])) for c in truth["budget_cells"][:11]]
    assert first[5:9] == [
        ("allocated", "other", Decimal("0.00")),
        ("planned", "total", Decimal("132646.35")),
        ("executed", "total", Decimal("122646.35")),
        ("valorisation", "departement", Decimal("20700.00")),
    ]


def test_label_words_past_another_rows_first_amount_are_whole():
    # the same recap: each row block stands at its own offset, so a label's last words run past where another row's
    # first amount starts ('Allocations individuelles jeunes' over the column where a later row's 'A' amounts
    # start); cut there, the action labels lost words ('jeu') and matched no truth label
    ext = extract_document(OFFICE / "001-2022-tableau_financier.txt")
    labels = list(dict.fromkeys(b.row_label for b in ext.budget_lines))
    assert labels[0].endswith(" Allocations individuelles jeunes majeurs")
    assert labels[2].endswith(" Maillage territorial du premier accueil")
    assert labels[6].endswith(" Outil partagé de suivi des parcours")


def _audit(rows: list[list[str]]):
    doc = make_doc([make_table("a", rows, source="text_layout", line0=5)])
    budget, _ = extract_budget(doc)
    return budget, audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=[]))


def test_amounts_under_no_header_are_said_to_be_guessed():
    # the column with no header gets the default stage and the total part: calpae says it guessed, naming each cell;
    # a 'Montants' column beside 'Part Etat' and 'Part CD' is their total (the table says it), not a guess
    budget, findings = _audit(
        [
            ["Postes", "Part Etat", ""],
            ["Ateliers", "5 000 €", "12 000 €"],
            ["Loyers", "8 000 €", "18 000 €"],
        ]
    )
    [found] = [f for f in findings if f.check == "meaning_guessed"]
    assert found.severity == "warning"
    assert [(c.value, c.line, c.label) for c in found.cells] == [
        (Decimal("12000"), 6, "Ateliers / (no header)"),
        (Decimal("18000"), 7, "Loyers / (no header)"),
    ]
    assert [(b.amount, b.part) for b in budget if b.column_label == ""] == [
        (Decimal("12000"), "total"),
        (Decimal("18000"), "total"),
    ]
    _, said = _audit(
        [
            ["Postes", "Montants", "Part Etat", "Part CD"],
            ["Ateliers", "12 000 €", "5 000 €", "7 000 €"],
            ["Total", "12 000 €", "5 000 €", "7 000 €"],
        ]
    )
    assert [f for f in said if f.check == "meaning_guessed"] == []


WRAPPED_UNREAD = """\
Le détail des crédits figure ci-dessous pour mémoire ; il n'est pas repris dans les tableaux de la convention.

                      Crédits
                        167
                      000,00 €
"""


def test_an_amount_wrapped_in_no_record_is_one_unread_figure(tmp_path):
    # the halves '167' and '000,00 €' were two false figures (167 and 0); the amount itself is what was not read
    path = tmp_path / "memo.txt"
    path.write_text(WRAPPED_UNREAD, encoding="utf-8")
    ext = extract_document(path)
    unread = [(c.value, c.line) for f in ext.findings if f.check == "unread_figure" for c in f.cells]
    assert unread == [(Decimal("167000.00"), 4)]


def test_one_report_accounts_for_one_miss():
    # the benchmark's unread accounting (benchmarks/_misses.py): a page of a recap holds many zero cells; one unread
    # '-€' accounts for one missed zero, not for all of them, and a record of the same amount makes one "read otherwise"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import _misses

    doc = make_doc([])
    unread = Finding(
        provenance=doc.provenance(page=3, line=None, bbox=None, raw="-€"),
        check="unread_figure",
        severity="info",
        cells=[CellRef(part="other", page=3, value=Decimal("0"))],
    )
    ext = Extraction(document=doc, findings=[unread])
    missed = [(3, Decimal("0")), (3, Decimal("0")), (3, Decimal("12000")), (4, None)]
    assert _misses.account(missed, ext) == {"accounted": 1, "silent": 2, "no_figure": 1}


def test_sub_totals_wrapped_on_two_lines_beside_full_rows_do_not_add_columns():
    # a recap exported as text (office seed 171's 972-2022, a fresh seed of the ninth round): action rows hold their
    # 3 amounts on one line; a sub-total's cents fall to the next line beside them ('66 394,26 €'), so the sub-total
    # taken with its next line counts 4. Rows full on one line outnumber such pairs: the columns are ranked on single
    # lines. Where every row holds its amounts on two lines, lines are paired.
    from calpae.extract.tables.text_grid import _fuller
    from calpae.extract.tables.text_grid_parts import Amount, interleaved

    def line(i: int, *spans: tuple[int, int]) -> list[Amount]:
        return [Amount(i, s, "1 000,00 €") for s in spans]

    single = {
        0: line(0, (10, 20), (30, 40), (50, 60)),
        2: line(2, (10, 20), (30, 40), (50, 60)),
        4: line(4, (10, 20), (50, 60)),
        5: line(5, (30, 40), (62, 70)),
    }
    assert not _fuller(interleaved(single), single)
    two_lines = {
        0: line(0, (10, 20), (50, 60)),
        1: line(1, (30, 40)),
        3: line(3, (10, 20), (50, 60)),
        4: line(4, (30, 40)),
    }
    assert _fuller(interleaved(two_lines), two_lines)


def test_a_unit_drifted_right_of_its_amount_is_not_the_next_amounts_head():
    # a recap exported as text (office seed 171's 972-2022, a fresh seed of the ninth round; from column 90): a
    # sub-total row's amounts over their units two lines down; '210 572,05''s unit drifted one character right, under
    # the '1' of '1 243 000,0' whose own tail is '0€': the '1' was cut off as an amount of 1 € and 210 572,05 lost
    found = stacked_amounts(
        _lines(
            "        1 008 500,0 210 572,05 1 243 000,0 409 200,00 148 439,21                  2 648 511,2"
            " 2 296 921,3 409 200,00 152 408,90 199 181,02",
            "                                                                     38 000,00 €",
            "                 0€            €         0€            €           €                       6€"
            "           4€            €            €           €",
        ),
        1,
    )
    assert [s.value for s in found][:4] == [Decimal(v) for v in ("1008500.00", "210572.05", "1243000.00", "409200.00")]


def _budget(name: str, page: int, label: str) -> list[tuple[str, str, int | None, Decimal]]:
    ext = extract_document(OFFICE / name)
    return [
        (b.stage, b.part, b.year, b.amount)
        for b in ext.budget_lines
        if b.provenance.page == page and b.amount is not None and label in b.row_label
    ]


def test_a_continued_recap_page_whose_rows_wrap_over_three_lines_keeps_its_columns():
    # pages 7-8 of a 2019 report exported as text (fixture, seed 137): on page 8 no line holds a row's 11 amounts,
    # its heads ('122') stand two lines above their tails ('000,00', with the row's '-€' zeros) past a label line;
    # clustered by the heads alone, the page had 9 amount columns and each row was split in two (202 of 287)
    rows = _budget("005-2019-recap_pages.txt", 2, "Diagnostics partagés d'orientation")
    assert [a for _, _, _, a in rows] == [
        Decimal(x)
        for x in ("122000.00", "0", "122000.00", "33700.00", "0", "0", "244000.00", "222871.78", "33700.00",
                  "11728.76", "9399.46")
    ]  # fmt: skip
    assert rows[1][:2] == ("carried_in", "etat") and rows[6][:2] == ("planned", "total")


def test_a_sub_total_wrapped_beside_its_amounts_keeps_its_label():
    # page 7 of the same report: 'Sous' / 'total' stand on the lines of the sub-total's wrapped amounts, the next
    # row's Chorus code right below them in one run of that column: the run went to the next row ('Sous total 0304
    # 50 19 19 04 - Référents de parcours 3.1'), the sub-total kept its theme's words as label
    ext = extract_document(OFFICE / "005-2019-recap_pages.txt")
    totals = [b for b in ext.budget_lines if b.provenance.page == 1 and b.row_label == "Sous total"]
    assert [b.amount for b in totals if b.stage == "planned"] == [Decimal("613500.00"), Decimal("434500.00")]
    referents = {b.row_label for b in ext.budget_lines if b.provenance.page == 1 and "3.1" in b.row_label}
    assert referents == {"3 - Refonder et revaloriser le travail 0304 50 19 19 04 - Référents de parcours 3.1 "
                         "Déploiement de la démarche de référent de parcours"}  # fmt: skip


def test_an_action_title_crowded_after_its_number_is_the_title_s():
    # page 7 of a 2019 report (fixture, seed 139): '2.1 premier accueil' on one line, the title's first line
    # ('Maillage territorial du') at its own column's edge above: the number's column had taken 'premier accueil'
    labels = {b.row_label for b in extract_document(OFFICE / "022-2019-report_pages.txt").budget_lines}
    assert "2 - Refonder et revaloriser le travail social au 2.1 Maillage territorial du premier accueil" in labels


def test_a_sub_total_whose_total_word_the_export_crowded_left_is_a_sub_total():
    # a 2022 recap (fixture, seed 167): 'Garantie d'activité et Sous' / 'insertion des BRSA total', the 'total'
    # one space after the Chorus cell's words: the row read 'total 0304 50 19 19 07 - …' (154 of 176)
    ext = extract_document(OFFICE / "083-2022-recap.txt")
    totals = [b for b in ext.budget_lines if b.row_label == "Sous total"]
    assert len(totals) == 66  # 6 sub-totals, 11 cells each
    assert sorted(b.amount for b in totals if b.stage == "planned") == [
        Decimal(x) for x in ("64714.00", "302967.09", "430049.38", "444126.81", "528668.44", "1004495.45")
    ]  # as its truth (seed 167's 083-2022-tableau_financier.text.truth.json) has them


def test_a_label_column_set_two_characters_over_by_a_row_block_is_one():
    # a 2022 recap (fixture, seed 141): the title column's rows start at characters 70 and 72, never both on a
    # line; two label columns split 'Outil partagé de' / 'suivi des parcours' into 'Outil suivi' and 'partagé de des'
    labels = {b.row_label for b in extract_document(OFFICE / "073-2022-recap.txt").budget_lines}
    assert any(label.endswith("3.1 Outil partagé de suivi des parcours") for label in labels)
    assert any(label.endswith("5.1 Accompagnement global avec Pôle emploi") for label in labels)


def test_a_crowded_sub_totals_amounts_set_a_column_left_open_no_column_of_their_own():
    # a Calc recap exported as text (fixture, seed 177): its sub-total rows' wrapped cells stand a column left of
    # their own, which made a twelfth amount column no row fills, so every header from there on headed its
    # neighbour's amounts (39 of 198 cells). The columns by rank are as many as the fullest row's cells: taken.
    ext = extract_document(OFFICE / "089-2022-tableau_financier.txt")
    truth = json.loads((OFFICE / "089-2022-tableau_financier.text.truth.json").read_text(encoding="utf-8"))
    expected = Counter((c["stage"], c["part"], Decimal(c["amount"])) for c in truth["budget_cells"])
    read = Counter((b.stage, b.part, b.amount) for b in ext.budget_lines if b.amount is not None)
    assert (sum((expected & read).values()), sum(read.values()), sum(expected.values())) == (198, 198, 198)
