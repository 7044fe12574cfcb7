"""Indicator tables made by office software (tests/fixtures/office): tables of figures without inner rules read from
their phrases (calpae.extract.tables.figures), headers stacked over several rows read with their spans
(calpae.indicators.stacked), and every indicator value of three reports equal to the truth."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from _read_cache import read_once

from calpae.extract import parse_number
from calpae.indicators.stacked import stacked_header
from calpae.models import Cell, Table
from calpae.pipeline import analyse_document

OFFICE = Path(__file__).parent / "fixtures" / "office"


def _cells(table: Table, rows: int) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells if c.row < rows)


def test_horizontal_rules_three_line_header_and_two_wrapped_label_columns():
    # 2019 model, rules between rows only: a band over the value columns on two lines, each header cell stacked
    # over up to four lines ('Départe' / 'ment'), the measure cell merged over its two indicators, every label
    # wrapped over three to six lines beside figures centred in their rows
    doc = read_once(OFFICE / "055-2020-rapport_execution.pdf")
    table = next(t for t in doc.tables if t.pages == [2] and t.n_cols == 6)
    assert (table.source, table.n_rows) == ("borderless", 5)
    assert _cells(table, 3) == [
        (0, 2, 1, 4, "Indicateurs de suivi – situation au"),
        (1, 3, 1, 2, "31/12/2020"),
        (2, 0, 1, 1, "Nom de la Mesure"),
        (2, 1, 1, 1, "Indicateurs"),
        (2, 2, 1, 1, "Situation 2018 du Département"),
        (2, 3, 1, 1, "Année 2019 Résultat atteint"),
        (2, 4, 1, 1, "Année 2020 Résultat atteint"),
        (2, 5, 1, 1, "Justification des écarts le cas échéant"),
    ]
    assert table.grid()[3:] == [
        [
            "Prévenir toute « sortie sèche » pour les jeunes sortants de l'aide sociale à l'enfance (ASE)",
            "Nombre de jeunes devenus majeurs dans l'année",
            "1 363",
            "1 399",
            "1 349",
            "Données en cours de consolidation",
        ],
        [
            "",
            "Nombre de jeunes pris en charge dans le cadre du référentiel",
            "425",
            "437",
            "425",
            "Données en cours de consolidation",
        ],
    ]
    measure = next(c for c in table.cells if c.row == 3 and c.col == 0)
    assert measure.row_span == 2


def test_borderless_table_with_sans_objet_row():
    doc = read_once(OFFICE / "082-2020-rapport_execution.pdf")
    table = next(t for t in doc.tables if t.pages == [3] and t.n_cols == 6 and "Sans Objet" in t.grid()[1])
    assert table.grid() == [
        [
            "Nom de la Mesure",
            "Indicateurs",
            "Situation 2018 du Département",
            "Résultat du Département en 2019",
            "Résultat du Département en 2020",
            "Justification des écarts le cas échéant",
        ],
        [
            "Refonder et revaloriser le travail social au service de toutes les familles – Référent de parcours",
            "Nombre d'intervenants sociaux formés ou sensibilisés à la démarche du référent de parcours",
            "Sans Objet",
            "Sans Objet",
            "Sans Objet",
            "",
        ],
        [
            "",
            "Nombre total de personnes accompagnées par un référent de parcours",
            "337",
            "358",
            "337",
            "Activité réduite pendant la crise sanitaire",
        ],
    ]


def _truth_values(name: str) -> list[tuple]:
    truth = json.loads((OFFICE / name.replace(".pdf", ".truth.json")).read_text(encoding="utf-8"))
    out = []
    for v in truth["indicator_values"]:
        value = Decimal(v["value"]) if v.get("value") not in (None, "") else None
        qualifier = None if value is not None else parse_number(v["qualifier"]).qualifier
        out.append((v["page"], v["indicator_id"], v["year"], v["value_kind"], value, qualifier))
    return sorted(out, key=str)


@pytest.mark.parametrize(
    "name",
    [
        "055-2020-rapport_execution.pdf",  # rules between rows, three-line headers, narrow columns
        "082-2020-rapport_execution.pdf",  # no rules at all, one-line headers, merged measure cells
        "082-2021-rapport_execution.pdf",  # full grid, 9 columns, years over their kinds, headers broken mid-word
        # (seed 113) a box only, cells centred: two counts one above the other ('1.691' / '288') once read as one
        # wrapped amount, and the words-based money reader took the page's indicator and budget tables as one
        "010-2019-rapport_execution.pdf",
        # (seed 137) a borderless 2022 report whose indicator table's header rows break over a page: their first
        # lines at the foot of page 3 ('Situation' / '2018 du'), the rest ('départem' / 'ent', 'Résultat atteint')
        # above the rows on page 4
        "084-2022-rapport_execution.pdf",
        # (seed 133) a borderless 2022 report whose rows' figures stand at the foot of tall rows: the first row's
        # measure cell ends above its figures' line, on lines that start left of the indicator column
        "073-2022-rapport_execution.pdf",
    ],
)
def test_office_indicator_values_are_the_truth(name):
    ext = analyse_document(read_once(OFFICE / name))
    got = [
        (v.provenance.page, v.indicator_id, v.year, v.value_kind, v.value, v.qualifier)
        for v in ext.indicator_values
        if v.origin == "table"
    ]
    assert sorted(got, key=str) == _truth_values(name)


def _table(rows: list[list[tuple[str, int, int]]], n_cols: int) -> Table:
    """A Table from rows of (text, row_span, col_span), each placed in the first column free in its row."""
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            cells.append(Cell(row=r, col=c, text=text, row_span=rs, col_span=cs))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            c += cs
    return Table(id="t", source="ruled", n_rows=len(rows), n_cols=n_cols, cells=cells)


def test_stacked_header_a_year_over_its_kinds():
    table = _table(
        [
            [("Nom de la Mesure", 2, 1), ("Indicateurs", 2, 1), ("Année 2021", 1, 2), ("Année 2022", 1, 1)],
            [("Résultat attendu", 1, 1), ("Résultat atteint", 1, 1), ("Résultat attendu (cible)", 1, 1)],
            [("Accès", 1, 1), ("Nombre de colis", 1, 1), ("10", 1, 1), ("12", 1, 1), ("14", 1, 1)],
        ],
        5,
    )
    start, cols = stacked_header(table)
    assert start == 2
    assert [(c.kind, c.year, c.value_kind) for c in cols] == [
        ("measure", None, None),
        ("indicator", None, None),
        ("value", 2021, "target"),
        ("value", 2021, "actual"),
        ("value", 2022, "target"),
    ]


def test_stacked_header_a_band_over_the_values_does_not_name_them():
    # the band's words ('Indicateurs', a date) would make every value column an indicator column or date it 2020
    table = _table(
        [
            [
                ("Nom de la Mesure", 2, 1),
                ("Indicateurs", 2, 1),
                ("Indicateurs de suivi – situation au 31/12/2020", 1, 3),
            ],
            [("Situation 2018", 1, 1), ("Résultat 2019", 1, 1), ("Justification des écarts", 1, 1)],
            [("Accès", 1, 1), ("Nombre de colis", 1, 1), ("NC", 1, 1), ("12", 1, 1), ("", 1, 1)],
            [("", 1, 1), ("Nombre de repas", 1, 1), ("", 1, 1), ("", 1, 1), ("", 1, 1)],
        ],
        5,
    )
    start, cols = stacked_header(table)
    assert start == 2
    assert [(c.kind, c.year, c.value_kind) for c in cols] == [
        ("measure", None, None),
        ("indicator", None, None),
        ("value", 2018, "baseline"),
        ("value", 2019, "actual"),
        ("comment", None, None),
    ]


def test_header_without_label_cells_names_the_label_columns_by_place():
    # a header repeated over a new page without its label cells: the label column beside the values is the
    # indicator; a budget table of the same shape (amounts in euros) is not read so
    rows = [[("", 1, 1), ("", 1, 1), ("Situation 2018", 1, 1), ("Résultat 2019", 1, 1)]]
    figures = _table([*rows, [("Accès", 1, 1), ("Nombre de colis", 1, 1), ("10", 1, 1), ("12", 1, 1)]], 4)
    assert [c.kind for c in stacked_header(figures)[1]] == ["measure", "indicator", "value", "value"]
    money = _table([*rows, [("Accès", 1, 1), ("Ateliers", 1, 1), ("10 000 €", 1, 1), ("12 000 €", 1, 1)]], 4)
    assert stacked_header(money) is None


def _text_export_values_on(*pages: int) -> tuple[list[tuple], list[tuple]]:
    """Table indicator values the seed-113 text export gives on these pages, and its truth's, in one order."""
    ext = analyse_document(read_once(OFFICE / "034-2019-rapport_execution.txt"))
    got = [
        (v.provenance.page, v.indicator_id, v.year, v.value_kind, v.value, v.qualifier)
        for v in ext.indicator_values
        if v.origin == "table" and v.provenance.page in pages
    ]
    truth = json.loads((OFFICE / "034-2019-rapport_execution.text.truth.json").read_text(encoding="utf-8"))
    expected = []
    for v in truth["indicator_values"]:
        if v["page"] not in pages:
            continue
        value = Decimal(v["value"]) if v.get("value") not in (None, "") else None
        qualifier = None if value is not None else parse_number(v["qualifier"]).qualifier
        expected.append((v["page"], v["indicator_id"], v["year"], v["value_kind"], value, qualifier))
    return sorted(got, key=str), sorted(expected, key=str)


def test_office_text_export_header_words_run_together_over_columns():
    # (seed 113) the pdftotext export sets 'Situation Résultat Justification' and '1 874 Recrutement' one space
    # apart: the baseline column was read as a 2018 result and figures took the comment's first word
    got, expected = _text_export_values_on(4, 5)
    assert len(expected) == 18
    assert got == expected


def test_office_text_export_label_columns_one_space_apart():
    # (seed 113) a crowded pdftotext line sets the indicator text one space after the measure's, left of its
    # column ('Prévenir toute « Nombre de jeunes devenus'): no white ran down between the two label columns, the
    # measure and the indicator were read as one label and the values named no indicator
    got, expected = _text_export_values_on(2, 3)
    assert len(expected) == 16
    assert got == expected


def test_stacked_header_kind_from_a_phrase_over_two_columns():
    # a text export runs 'Situation' and 'Année 2019' together over the two value columns: the first column's
    # own cells give only its year, its kind comes from the wider phrase
    table = _table(
        [
            [("Nom de la Mesure", 2, 1), ("Indicateurs", 2, 1), ("Situation Année 2019", 1, 2)],
            [("2018 du Département", 1, 1), ("Résultat atteint", 1, 1)],
            [("Accès", 1, 1), ("Nombre de colis", 1, 1), ("10", 1, 1), ("12", 1, 1)],
        ],
        4,
    )
    start, cols = stacked_header(table)
    assert start == 2
    assert [(c.kind, c.year, c.value_kind) for c in cols] == [
        ("measure", None, None),
        ("indicator", None, None),
        ("value", 2018, "baseline"),
        ("value", 2019, "actual"),
    ]


def test_stacked_header_blank_indicator_cell_beside_the_measure():
    # a header repeated on a new page whose upper lines were cut off: 'Mesure' over the first column, the
    # indicator column's cell blank
    table = _table(
        [
            [("Mesure", 1, 1), ("", 1, 1), ("Situation 2018", 1, 1), ("Année 2019 Résultat atteint", 1, 1)],
            [("Accès", 1, 1), ("Nombre de colis", 1, 1), ("10", 1, 1), ("12", 1, 1)],
        ],
        4,
    )
    start, cols = stacked_header(table)
    assert start == 1
    assert [(c.kind, c.year, c.value_kind) for c in cols] == [
        ("measure", None, None),
        ("indicator", None, None),
        ("value", 2018, "baseline"),
        ("value", 2019, "actual"),
    ]


def _values_of(name: str) -> list[tuple[str, str, int | None, Decimal | None, str | None]]:
    from calpae.pipeline import extract_document

    ext = extract_document(OFFICE / name)
    return [(v.indicator_label, v.value_kind, v.year, v.value, v.qualifier) for v in ext.indicator_values]


def test_office_text_export_stacked_header_crowded_on_every_line():
    # (seed 167) every line of the stacked header runs its cells together: 'Situation Résultat du Justification',
    # '2018 du Départeme des écarts le', 'Départeme nt en 2019'. 'du' past 'Résultat' stood over no column and left
    # the first line whole; the third, left whole over two columns, gave both its 2019: the 2018 figures were read
    # as 2019 results and the 2019 ones lost
    got = [
        (label[:24], kind, year, value, q) for label, kind, year, value, q in _values_of("095-2019-indicator_page.txt")
    ]
    assert got[2:6] == [
        ("Nombre de jeunes pris en", "baseline", 2018, Decimal("552"), None),
        ("Nombre de jeunes pris en", "actual", 2019, Decimal("534"), None),
        ("Nombre de jeunes ayant p", "baseline", 2018, Decimal("1501"), None),
        ("Nombre de jeunes ayant p", "actual", 2019, Decimal("1663"), None),
    ]
    assert len(got) == 10


def test_office_text_export_header_chain_under_a_cut_cell():
    # (seed 139) 'Situatio Année' is cut over two columns; 'n 2018' / 'du' / 'ment' below the first piece, one
    # character right of the figures' column, were a column only the header showed: the baseline lost its year
    got = [(label[:24], kind, year, value) for label, kind, year, value, _ in _values_of("022-2019-report_pages.txt")]
    assert got[:4] == [
        ("Taux de couverture de pr", "baseline", 2018, Decimal("79.1")),
        ("Taux de couverture de pr", "actual", 2019, Decimal("76.4")),
        ("Nombre de structures du ", "baseline", 2018, Decimal("1339")),
        ("Nombre de structures du ", "actual", 2019, Decimal("1321")),
    ]
