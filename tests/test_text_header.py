"""Text exports read as a reader of the monospace text does (issue 18j): header cells matched to the columns in order
however far the export shifted them, columns by rank where each row sits at its own offset, amounts wrapped beside
crowded neighbours, cells the reader is unsure of kept out of `error` findings, and indicator tables read by the
figure-table reader on the character grid."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from test_budget import make_doc, make_table

from calpae.audit import audit_extraction
from calpae.budget import extract_budget
from calpae.extract import stacked_amounts
from calpae.extract.tables.text_grid import LABEL_AMOUNT, _label_amounts, find_grid_tables
from calpae.extract.tables.text_grid_parts import CLASHING_ZEROS, Amount, GridRow, amount_rows, ranked_columns
from calpae.extract.tables.text_header import HEADER_GUESSED, PIECE, Phrase, match_header, unsure_amount
from calpae.extract.text.reader import text_lines
from calpae.models import Extraction, Line
from calpae.pipeline import extract_document

OFFICE = Path(__file__).parent / "fixtures" / "office"


def _lines(*texts: str) -> list[Line]:
    return [Line(text=t, page=1, line_no=n) for n, t in enumerate(texts, start=1)]


def test_header_cells_shifted_a_column_left_are_matched_in_order():
    # pdftotext pushed the header of columns A and B one column left of their amounts (the A header stands over the
    # label column, B's over A's amounts); placed by position each would head its left neighbour
    phrases = [
        Phrase(0, 2, 10, "Intitulé"),
        Phrase(0, 14, 28, "A Crédits État"),
        Phrase(1, 15, 29, "versés en 2022"),
        Phrase(0, 29, 43, "B Crédits État"),
        Phrase(1, 31, 44, "2021 reportés"),
        Phrase(0, 55, 67, "C Crédits CD"),
        Phrase(1, 56, 67, "affectés en"),
    ]
    bands = [(float("-inf"), 28.0), (28.0, 42.0), (42.0, 56.0), (56.0, float("inf"))]
    spans = [(0, 26), (31, 42), (45, 56), (59, 70)]
    matched = match_header(phrases, bands, spans, labels=1)
    assert matched is not None
    assert {k: " ".join(t for _, t in v) for k, v in matched.by_column.items()} == {
        0: "Intitulé",
        1: "A Crédits État versés en 2022",
        2: "B Crédits État 2021 reportés",
        3: "C Crédits CD affectés en",
    }
    assert matched.doubtful == set()


def test_a_phrase_over_two_cells_is_cut_between_them():
    # 'valorisation CD reprogrammés': the export ran two header cells together with one space; the phrases of the
    # lines below stand side by side under it, so it is cut between the two cells
    phrases = [
        Phrase(0, 0, 6, "Action"),
        Phrase(1, 10, 38, "valorisation CD reprogrammés"),
        Phrase(2, 12, 16, "Dont"),
        Phrase(0, 27, 39, "D Crédits CD"),
        Phrase(2, 29, 37, "sur 2022"),
    ]
    bands = [(float("-inf"), 8.0), (8.0, 25.0), (25.0, float("inf"))]
    matched = match_header(phrases, bands, [(0, 6), (14, 25), (30, 40)], labels=1)
    assert matched is not None
    assert {k: " ".join(t for _, t in v) for k, v in matched.by_column.items()} == {
        0: "Action",
        1: "valorisation Dont",
        2: "D Crédits CD CD reprogrammés sur 2022",
    }


def test_cells_run_together_at_a_lettered_cells_edge_are_cut_there():
    # 'Intitulé de l'action versés en 2022' under 'A Crédits État 2021 reportés' under 'B Crédits État': the export
    # ran each lettered cell's lines into its left neighbour's one space apart; the word starting on the character
    # where the lettered cell starts on the next line, white over the words before it, begins a cell
    phrases = [
        Phrase(0, 36, 50, "B Crédits État"),
        Phrase(1, 21, 49, "A Crédits État 2021 reportés"),
        Phrase(2, 0, 35, "Intitulé de l'action versés en 2022"),
        Phrase(2, 39, 47, "sur 2022"),
    ]
    bands = [(float("-inf"), 20.0), (20.0, 35.0), (35.0, float("inf"))]
    matched = match_header(phrases, bands, [(0, 20), (21, 34), (36, 50)], labels=1)
    assert matched is not None
    assert {k: " ".join(t for _, t in v) for k, v in matched.by_column.items()} == {
        0: "Intitulé de l'action",
        1: "A Crédits État versés en 2022",
        2: "B Crédits État 2021 reportés sur 2022",
    }


_SHIFTED = """\
                                 Crédits     Crédits     Crédits     Budget      Montant
 Action                          État        CD          autres      global      réalisé

 1.1 Accueil des              10 000,00 €  5 000,00 €  1 000,00 €  16 000,00 €  15 000,00 €
     jeunes majeurs

 1.2 Hébergement                    20 000,00 €  6 000,00 €  2 000,00 €  28 000,00 €  27 500,00 €
     collectif

 1.3 Formation                      30 000,00 €  7 000,00 €  3 000,00 €  40 000,00 €  39 000,00 €
     des agents

 Total                         60 000,00 €  18 000,00 €  6 000,00 €  84 000,00 €  81 500,00 €
"""


def test_a_header_over_rows_the_export_shifted_heads_each_column():
    # rows shifted by half a column from one another, the header's two last cells crowded: each column keeps its own
    # header (placed by where each phrase starts, 'Budget' and 'Montant' went to one column, the last had none)
    lines = text_lines(_SHIFTED)[0].lines
    [table] = find_grid_tables(lines)
    grid = table.grid()
    assert [row[-5:] for row in grid[1:]] == [
        ["10 000,00 €", "5 000,00 €", "1 000,00 €", "16 000,00 €", "15 000,00 €"],
        ["20 000,00 €", "6 000,00 €", "2 000,00 €", "28 000,00 €", "27 500,00 €"],
        ["30 000,00 €", "7 000,00 €", "3 000,00 €", "40 000,00 €", "39 000,00 €"],
        ["60 000,00 €", "18 000,00 €", "6 000,00 €", "84 000,00 €", "81 500,00 €"],
    ]
    assert grid[0][-5:] == ["Crédits État", "Crédits CD", "Crédits autres", "Budget global", "Montant réalisé"]


def test_rows_each_at_its_own_offset_are_read_by_rank():
    # three full rows set 0, 7 and 14 characters apart (no character column holds one column's amounts) and a
    # sub-total wrapped over two lines (two amounts on one, three on the next): by rank, each full line's k-th amount
    # is in column k; the wrapped row's lines, packed together, take the columns nearest them on the nearest full line
    def row(line: int, at: int, n: int = 5, step: int = 12) -> list[Amount]:
        return [Amount(line, (at + k * step, at + k * step + 9), f"{k + 1} 000 €") for k in range(n)]

    by_line = {2: row(2, 40), 6: row(6, 47), 10: row(10, 54)}
    by_line[13] = [Amount(13, (40, 49), "6 000 €"), Amount(13, (64, 73), "9 000 €")]
    by_line[14] = [Amount(14, (52, 61), "7 000 €"), Amount(14, (76, 85), "8 000 €"), Amount(14, (88, 97), "30 000 €")]
    columns = ranked_columns(by_line, [2, 6, 10, 14])
    assert columns is not None and len(columns) == 5
    assert [[a.col for a in by_line[i]] for i in (2, 6, 10)] == [[0, 1, 2, 3, 4]] * 3
    assert sorted((a.text, a.col) for i in (13, 14) for a in by_line[i]) == [
        ("30 000 €", 4),
        ("6 000 €", 0),
        ("7 000 €", 1),
        ("8 000 €", 3),
        ("9 000 €", 2),
    ]


def test_a_head_cut_in_its_decimals_beside_a_crowded_neighbour_finds_its_tail():
    # '1 803 782,3 1 610 580,4' / '9€  7€': the second head follows a neighbour's decimals and is followed by a
    # group; each stood alone as a false figure (1 610 580,4 and an amount of 7)
    found = stacked_amounts(
        _lines(
            "     1 803 782,3 1 610 580,4 274 100,00",
            "                                        ",
            "              9€          7€           €",
        ),
        1,
    )
    assert sorted((s.head, s.tail, s.value) for s in found) == [
        ("1 610 580,4", "7€", Decimal("1610580.47")),
        ("1 803 782,3", "9€", Decimal("1803782.39")),
        ("274 100,00", "€", Decimal("274100.00")),
    ]


def test_the_number_grammar_tells_a_piece_of_an_amount():
    assert [unsure_amount(t) for t in ("58 €", "13.404,", "8.011,6 €", "1 610 580,4")] == [PIECE] * 4
    assert [unsure_amount(t) for t in ("0 €", "0€", "-€", "72.810,72 €", "107.500 €", "30 187,48 €")] == [None] * 6


def _audit(rows: list[list[str]], unsure: dict[tuple[int, int], str]):
    table = make_table("a", rows, source="text_layout", line0=5)
    for cell in table.cells:
        cell.unsure = unsure.get((cell.row, cell.col))
    doc = make_doc([table])
    budget, _ = extract_budget(doc)
    return audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=[]))


_ROWS = [
    ["Actions", "Part État", "Part CD", "Total"],
    ["Accueil", "10 000 €", "5 000 €", "15 000 €"],
    ["Formation", "20 000 €", "58 €", "25 000 €"],
    ["Total", "30 000 €", "10 000 €", "40 000 €"],
]


_SUMS = ("total_mismatch", "part_sum_mismatch", "reading_suspect")


def test_a_failing_sum_over_a_cell_the_reader_is_unsure_of_is_no_error():
    # '58 €' is a piece of a wrapped amount (its other line not found): its column's total and its row's parts fail
    # because of it, so calpae says the reading may be wrong instead of saying the document is
    findings = _audit(_ROWS, {(2, 2): PIECE})
    checks = sorted((f.check, f.severity) for f in findings if f.check in _SUMS)
    assert checks == [("reading_suspect", "warning"), ("reading_suspect", "warning")]
    assert all("'58 €'" in f.message for f in findings if f.check == "reading_suspect")


def test_the_same_failing_sums_read_with_confidence_stay_errors():
    findings = _audit(_ROWS, {(1, 1): HEADER_GUESSED})  # an unsure cell elsewhere, whose own sums hold
    checks = sorted((f.check, f.severity) for f in findings if f.check in _SUMS)
    assert checks == [("part_sum_mismatch", "error"), ("total_mismatch", "error")]


def test_office_text_export_indicator_tables_are_read():
    # the Tarn-et-Garonne report's text export (fixture, seed 3): its 5-column indicator tables (measure and
    # indicator labels wrapped, a justification column) gave no value before; read on the character grid by the
    # figure-table reader
    ext = extract_document(OFFICE / "082-2019-rapport_execution.txt")
    read = {
        (v.provenance.page, v.indicator_label, v.year, v.value)
        for v in ext.indicator_values
        if v.indicator_label in ("Nombre de jeunes avec un logement stable", "Nombre de nouveaux entrants")
    }
    assert read == {
        (2, "Nombre de jeunes avec un logement stable", 2018, Decimal("750")),
        (2, "Nombre de jeunes avec un logement stable", 2019, Decimal("717")),
        (4, "Nombre de nouveaux entrants", 2018, Decimal("899")),
        (4, "Nombre de nouveaux entrants", 2019, Decimal("831")),
    }
    truth = json.loads((OFFICE / "082-2019-rapport_execution.text.truth.json").read_text(encoding="utf-8"))
    expected = {
        (v["page"], v["indicator"], v["year"], Decimal(v["value"]))
        for v in truth["indicator_values"]
        if v["indicator"] in ("Nombre de jeunes avec un logement stable", "Nombre de nouveaux entrants")
    }
    assert read == expected
    assert len(ext.indicator_values) == 30


def test_a_crowded_header_is_read_word_by_word():
    # the 2019 recap of a generated office report (seed 147) as pdftotext -layout sets it: the header's narrow stacked
    # cells crowded, their lines run together one space apart ('Crédits 2018 Crédits Dont reprogr d'autre prévu
    # réalisé' holds eight columns' lines, packed left of where the page has them)
    text = (OFFICE / "crowded-recap-header.txt").read_text(encoding="utf-8")
    tables = find_grid_tables(_lines(*text.splitlines()))
    assert len(tables) == 1
    header = tables[0].grid()[0]
    assert header[5:] == [
        "A Crédits État versés 2019",
        "B Crédits État 2018 reportés sur 2019 en",
        "C Crédits CD affectés 2019",
        "Financement Dont valorisation CD",
        "2019 D Crédits CD 2018 reprogrammés sur 2019",
        "E Participation d'autres financeurs",
        "F Budget global de l'action prévu en 2019 A+B+C+D+E",
        "Montant total réalisé au 31/12/2019",
        "Exécution Dont valorisation de dépenses du CD",
        "au Montant à reporter en 2020 - Part État",
        "31/12/2019 Montant à reporter en 2020 - Part CD",
    ]


def test_a_wrapped_amount_crowded_before_a_whole_one_is_cut_from_it():
    # a recap's total row (generated office report, seed 149): '1 348 981' wraps its decimals under itself (',14 €')
    # while '166 100 €' beside it, one space apart, holds its unit; read as one amount with its unit they made
    # 1 348 981 166 100 €
    lines = _lines(
        "  66 500 € 1 613 000 1 348 981 166 100 € 153 578,6 110 440,1",
        "                   €      ,14 €                9€         7€",
    )
    found = [(s.head, s.tail, s.value) for s in stacked_amounts(lines, 1)]
    assert found == [
        ("1 613 000", "€", Decimal("1613000")),
        ("1 348 981", ",14 €", Decimal("1348981.14")),
        ("153 578,6", "9€", Decimal("153578.69")),
        ("110 440,1", "7€", Decimal("110440.17")),
    ]


def test_an_amount_crowded_into_its_row_label_fills_the_first_amount_column():
    # 'Outil partagé de suivi 115.000' (a generated office recap, seed 139): the export set column A's amount one
    # space after the label, its unit '€' under the column's edge; the row's A cell is empty, so its sums fail
    lines = _lines(
        "  3 - Refonder   Outil partagé de suivi 115.000   138.000", "  revaloriser    des parcours   €    €"
    )
    row = GridRow(first=0, last=1, anchor=0, cells={3: Amount(0, (50, 57), "138.000", 3)})
    row.labels = {
        0: [(0, "3"), (0, "-"), (0, "Refonder"), (1, "revaloriser")],
        1: [(0, "Outil"), (0, "partagé"), (0, "de"), (0, "suivi"), (0, "115.000"), (1, "des"), (1, "parcours")],
    }
    _label_amounts([row], 2, lines)
    a = row.cells[2]
    assert (a.line, a.span, a.text, a.unsure) == (0, (40, 47), "115.000", LABEL_AMOUNT)
    assert [w for _, w in row.labels[1]] == ["Outil", "partagé", "de", "suivi", "des", "parcours"]


def test_a_dash_drifted_into_the_next_column_stays_in_its_row():
    # a 2019 recap row (generated office report, seed 147): the empty 'Dont valorisation' cell's '-€' stands two
    # characters right of its column, under the start of the next column's wrapped '8.244,2' / '4€', on the line of
    # the row's other dashes; it had opened a row of its own in that next column
    amounts = [
        Amount(0, (154, 161), "49.166,69 €", 7),
        Amount(0, (172, 179), "8.244,24€", 9),
        Amount(1, (126, 128), "-€", 3),
        Amount(1, (168, 170), "-€", 9),
    ]
    rows = amount_rows(amounts)
    assert len(rows) == 1
    assert {k: a.text for k, a in rows[0].cells.items()} == {7: "49.166,69 €", 9: "8.244,24€", 3: "-€", 8: "-€"}


def test_a_line_whose_amounts_clash_with_the_row_above_opens_a_row_whole():
    # a recap (generated office report, seed 139): the row above lacks its A amount (crowded into its label); the
    # next row's line starts with its A amount, then B and C, which the row above holds
    amounts = [
        Amount(0, (110, 112), "0€", 1),
        Amount(0, (116, 123), "96.000 €", 2),
        Amount(2, (98, 105), "179.000", 0),
        Amount(2, (110, 113), "0 €", 1),
        Amount(2, (114, 121), "234.000", 2),
    ]
    rows = amount_rows(amounts)
    assert [sorted((k, a.text) for k, a in r.cells.items()) for r in rows] == [
        [(1, "0€"), (2, "96.000 €")],
        [(0, "179.000"), (1, "0 €"), (2, "234.000")],
    ]


def test_zeros_clashing_right_under_a_row_are_read_unsure():
    # the last page of a recap (generated office report, seed 141) whose columns were misread: the one-line '0,00 €'
    # cells of a 'Sous total' row, on the line under its amounts, fall in columns the row already fills
    amounts = [
        Amount(0, (79, 88), "125.500,00€", 0),
        Amount(0, (99, 108), "125.500,00€", 1),
        Amount(1, (88, 94), "0,00 €", 0),
        Amount(1, (116, 122), "0,00 €", 1),
    ]
    rows = amount_rows(amounts)
    assert [[a.unsure for a in r.cells.values()] for r in rows] == [[None, None], [CLASHING_ZEROS, CLASHING_ZEROS]]
