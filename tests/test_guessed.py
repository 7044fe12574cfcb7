"""Amounts calpae read under a meaning no header or label said: `meaning_guessed` names each of them."""

from __future__ import annotations

from decimal import Decimal

from test_budget import make_doc, make_table

from calpae.audit.guessed import guessed_findings
from calpae.budget import extract_budget
from calpae.models import Extraction


def _guessed(rows: list[list[str]]) -> list[tuple[Decimal | None, str | None]]:
    doc = make_doc([make_table("a", rows, line0=5)])
    budget, _ = extract_budget(doc)
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    return [(c.value, c.label) for f in found for c in f.cells]


def test_a_part_no_header_names_beside_columns_of_its_stage_that_do():
    # the header of the État's credits to carry lost its 'Part État' line: the amount defaulted to the total part
    assert _guessed(
        [
            ["Actions", "Crédits État versés", "Crédits CD versés", "Montant à reporter", "Montant à reporter Part CD"],
            ["Ateliers", "5 000 €", "7 000 €", "1 200 €", "800 €"],
            ["Loyers", "8 000 €", "9 000 €", "300 €", "0 €"],
        ]
    ) == [(Decimal("1200"), "Ateliers / Montant à reporter"), (Decimal("300"), "Loyers / Montant à reporter")]


def test_two_columns_read_alike_and_said_by_neither():
    # both headers lost their part: two amounts of one row cannot both be the credits to carry of every part
    assert _guessed(
        [
            ["Actions", "Crédits État versés", "Montant à reporter", "Montant à reporter"],
            ["Ateliers", "5 000 €", "1 200 €", "800 €"],
        ]
    ) == [(Decimal("1200"), "Ateliers / Montant à reporter"), (Decimal("800"), "Ateliers / Montant à reporter")]


def test_columns_named_or_summed_are_not_guessed():
    # every header names stage and part, or the column is the row's total ('Montant'): nothing guessed
    assert (
        _guessed(
            [
                ["Actions", "Montant", "Part État", "Part CD", "Montant à reporter Part État"],
                ["Ateliers", "12 000 €", "5 000 €", "7 000 €", "1 200 €"],
                ["Loyers", "9 000 €", "4 000 €", "6 000 €", "300 €"],
            ]
        )
        == []
    )


def test_an_amount_the_grid_joined_is_one_figure():
    # the export wraps '87.000,00' / '€' over two lines; the grid's cell holds it whole: one figure, read
    from calpae.audit.figures import count, document_figures, mark_read

    rows = [["Actions", "Crédits État versés"], ["Ateliers", "87.000,00 €"], ["Loyers", "3.000,00 €"]]
    doc = make_doc(
        [make_table("a", [*rows, ["TOTAL", "90.000,00 €"]], line0=10)],
        lines=[
            (10, "Actions    Crédits État versés"),
            (11, "Ateliers   87.000,00"),
            (12, "           €"),
            (13, "Loyers     3.000,00 €"),
            (14, "TOTAL      90.000,00 €"),
        ],
    )
    for cell in doc.tables[0].cells:  # a text export's pages are split by form feeds; row 2 is a line down
        cell.page = 1
        cell.line_no = (cell.line_no or 0) + (cell.row >= 2)
    doc.tables[0].line_end = 14
    budget, _ = extract_budget(doc)
    figures = document_figures(doc)
    mark_read(figures, Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [(f.text, f.line, f.read) for f in figures if f.is_data] == [
        ("87.000,00 €", 11, True),
        ("3.000,00 €", 13, True),
        ("90.000,00 €", 14, True),
    ]
    assert count(figures).unread == 0


def test_rows_whose_label_was_not_read_or_tore_sous_from_total():
    # a row with no label, and rows whose labels glued 'Sous' to one row and 'total' to the next: their amounts
    # carry no label or another row's; an intact 'Sous total' is said
    assert _guessed(
        [
            ["Actions", "Crédits État versés", "Crédits CD versés"],
            ["", "5 000 €", "7 000 €"],
            ["Référents de parcours Sous", "8 000 €", "9 000 €"],
            ["total Accompagnement", "13 000 €", "16 000 €"],
            ["Sous total", "26 000 €", "32 000 €"],
        ]
    ) == [
        (Decimal("5000"), " / Crédits État versés"),
        (Decimal("7000"), " / Crédits CD versés"),
        (Decimal("8000"), "Référents de parcours Sous / Crédits État versés"),
        (Decimal("9000"), "Référents de parcours Sous / Crédits CD versés"),
    ]


def test_a_row_label_ocr_misread():
    # on a scan, a label with two words no word list knows was misread; one unknown name alone is not enough
    doc = make_doc(
        [
            make_table(
                "a",
                [
                    ["Actions", "Crédits État versés"],
                    ["Patelonie-dorientation rapide des nrnvimit", "5 000 €"],
                    ["Plateforme Mobilix des jeunes", "8 000 €"],
                ],
            )
        ]
    )
    budget, _ = extract_budget(doc)
    for line in budget:
        line.provenance.ocr = True
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [(c.value, c.label) for f in found for c in f.cells] == [
        (Decimal("5000"), "Patelonie-dorientation rapide des nrnvimit / Crédits État versés")
    ]
    assert "no word list knows" in found[0].message


def _ocr_guessed(rows: list[list[str]]) -> tuple[list[tuple[Decimal | None, str | None]], list[str]]:
    doc = make_doc([make_table("a", rows)])
    budget, _ = extract_budget(doc)
    for line in budget:
        line.provenance.ocr = True
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    return [(c.value, c.label) for f in found for c in f.cells], [f.message for f in found]


def test_a_scanned_label_cut_in_two_rows():
    # OCR cut 'Maillage territorial du premier accueil' over two rows: the second begins in lower case, and the
    # amounts of both rows may be either's; 'dont …' rows begin in lower case on purpose
    cells, messages = _ocr_guessed(
        [
            ["Actions", "Crédits État versés", "Crédits CD versés"],
            ["Ateliers collectifs", "5 000 €", "7 000 €"],
            ["Maillage territorial du", "8 000 €", "9 000 €"],
            ["premier accueil", "1 000 €", "2 000 €"],
            ["dont valorisation", "500 €", "700 €"],
        ]
    )
    assert cells == [
        (Decimal("8000"), "Maillage territorial du / Crédits État versés"),
        (Decimal("9000"), "Maillage territorial du / Crédits CD versés"),
        (Decimal("1000"), "premier accueil / Crédits État versés"),
        (Decimal("2000"), "premier accueil / Crédits CD versés"),
    ]
    assert "cut in two" in messages[0]


def test_a_scanned_label_cut_in_two_rows_but_placed_by_a_column_sum():
    # the same cut, but a column total that holds places the amounts of both rows: no guess
    cells, _ = _ocr_guessed(
        [
            ["Actions", "Crédits État versés"],
            ["Maillage territorial du", "8 000 €"],
            ["premier accueil", "1 000 €"],
            ["Total", "9 000 €"],
        ]
    )
    assert cells == []


def test_a_row_label_holding_an_amount():
    # the grid glued a row's first amounts into its label: the amounts left in its cells may be anyone's; a label
    # with a plain number ('2019', a fiche number) is no amount
    assert _guessed(
        [
            ["Actions", "Crédits État versés", "Crédits CD versés"],
            ["Sous 162.500 22.", "8 000 €", "9 000 €"],
            ["Ateliers 2019 fiche 4.1", "5 000 €", "7 000 €"],
        ]
    ) == [
        (Decimal("8000"), "Sous 162.500 22. / Crédits État versés"),
        (Decimal("9000"), "Sous 162.500 22. / Crédits CD versés"),
    ]


def test_two_headers_glued_in_one_and_a_total_torn_from_its_sous():
    # a text export's header holding two columns' headers ('Crédits État' twice), and a label that begins with
    # 'total' in lower case (its 'Sous' went to the row above): both amounts' meanings were guessed
    assert _guessed(
        [
            ["Actions", "B Crédits État A Crédits État 2021 reportés", "C Crédits CD versés"],
            ["Ateliers", "5 000 €", "7 000 €"],
            ["total 4.1", "8 000 €", "9 000 €"],
            ["Total", "13 000 €", "16 000 €"],
        ]
    ) == [
        (Decimal("5000"), "Ateliers / B Crédits État A Crédits État 2021 reportés"),
        (Decimal("8000"), "total 4.1 / B Crédits État A Crédits État 2021 reportés"),
        (Decimal("9000"), "total 4.1 / C Crédits CD versés"),
        (Decimal("13000"), "Total / B Crédits État A Crédits État 2021 reportés"),
    ]


def test_the_benchmark_counts_reports_on_figures_read_right_as_false():
    # benchmarks/_misses.py: a report left after the misses took theirs, naming the page and amount of a truth figure
    # read right, is a false report; one naming a figure the truth does not list is neither
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import _misses

    from calpae.models import CellRef, Finding

    doc = make_doc([])
    report = Finding(
        provenance=doc.provenance(page=2, line=None, bbox=None, raw=""),
        check="meaning_guessed",
        severity="warning",
        cells=[CellRef(part="other", page=2, value=Decimal(v)) for v in ("500", "700", "900")],
    )
    ext = Extraction(document=doc, findings=[report])
    fates = _misses.account([(2, Decimal("500"))], ext, [(2, Decimal("700")), (2, Decimal("800"))])
    assert fates == {"accounted": 1, "reports": 3, "false_reports": 1}


def test_an_amount_off_the_annexe_model_column_is_guessed():
    # the header of column F took 'réalisé' from its neighbour's lines: its words say executed, the model's letter
    # F says the planned budget of the action; the reader followed the words, so the amount's meaning is in doubt
    assert _guessed(
        [
            [
                "Actions",
                "A Crédits État versés en 2019",
                "B Crédits État 2018 reportés sur 2019",
                "C Crédits CD affectés en 2019",
                "F Budget global de l'action réalisé en 2019",
            ],
            ["Ateliers", "5 000 €", "0 €", "7 000 €", "12 000 €"],
        ]
    ) == [(Decimal("12000"), "Ateliers / F Budget global de l'action réalisé en 2019")]


def test_a_one_column_table_whose_caption_names_its_stage_is_not_guessed():
    # 'Montant' alone says no stage, the caption does ('dépenses réalisées'): the amounts are executed totals
    doc = make_doc(
        [
            make_table(
                "a",
                [["Actions", "Montant"], ["Ateliers", "1 250 €"], ["Loyers", "750 €"]],
                title="Annexe : détail des dépenses réalisées par action",
            )
        ]
    )
    budget, _ = extract_budget(doc)
    assert [(ln.amount, ln.stage, ln.part) for ln in budget] == [
        (Decimal("1250"), "executed", "total"),
        (Decimal("750"), "executed", "total"),
    ]
    assert guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[])) == []


def test_indicator_values_their_indicator_contradicts():
    # a baseline after the indicator's first year, and a rate above 100 %: both named; the rest not
    from calpae.audit.guessed import indicator_guessed_findings
    from calpae.models import IndicatorValue

    doc = make_doc([])

    def value(label: str, year: int, kind: str, v: str, line: int) -> IndicatorValue:
        return IndicatorValue(
            provenance=doc.provenance(page=1, line=line, bbox=None, raw=v),
            departement_code="99",
            indicator_label=label,
            year=year,
            value_kind=kind,
            value=Decimal(v),
            table_id="t",
        )

    values = [
        value("Nombre de nouveaux entrants", 2018, "baseline", "389", 3),
        value("Nombre de nouveaux entrants", 2019, "baseline", "436", 3),
        value("Nombre de nouveaux entrants", 2022, "target", "506", 3),
        value("Taux de couverture de premier accueil", 2018, "baseline", "85.2", 4),
        value("Taux de couverture de premier accueil", 2019, "actual", "799", 4),
        value("Taux de couverture de premier accueil", 2020, "actual", "75", 4),
    ]
    found = indicator_guessed_findings(Extraction(document=doc, indicator_values=values))
    assert [(f.check, [(c.value, c.label) for c in f.cells]) for f in found] == [
        (
            "meaning_guessed",
            [
                (Decimal("436"), "Nombre de nouveaux entrants / 2019 baseline"),
                (Decimal("799"), "Taux de couverture de premier accueil / 2019 actual"),
            ],
        )
    ]


def test_a_region_read_as_two_tables_holds_each_figure_once():
    # OCR's layout gave one page region as two tables: the same cells, the same boxes; one figure each, read once
    from calpae.audit.figures import count, document_figures, mark_read

    rows = [["Actions", "Crédits État versés"], ["Ateliers", "87 000 €"], ["Loyers", "3 000 €"]]
    doc = make_doc([make_table("a", rows, page=1), make_table("b", rows, page=1)], kind="pdf")
    budget, _ = extract_budget(doc)
    figures = document_figures(doc)
    mark_read(figures, Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [(f.text, f.table_id, f.read) for f in figures if f.is_data] == [
        ("87 000 €", "a", True),
        ("3 000 €", "a", True),
    ]
    assert count(figures).unread == 0


def test_a_letter_after_a_merged_word_and_a_meaning_taken_twice():
    # 'Financement C Dont CD': the merged 'Financement' cell's word before the letter C (the CD's allocated
    # credits, read here as planned); 'Monta total au es 2019' read as the planned total column F already is
    rows = [
        [
            "Actions",
            "A Crédits État versés en 2019",
            "B Crédits État 2018 reportés sur 2019",
            "Financement C Dont CD prévus",
            "F Budget global de l'action prévu en 2019",
            "Monta total prévu au es 2019",
            "Montant total réalisé au 31/12/2019",
        ],
        ["Ateliers", "5 000 €", "0 €", "7 000 €", "12 000 €", "9 000 €", "8 000 €"],
    ]
    doc = make_doc([make_table("a", rows, line0=5)])
    budget, _ = extract_budget(doc)
    assert [(ln.amount, ln.stage, ln.part) for ln in budget] == [
        (Decimal("5000"), "allocated", "etat"),
        (Decimal("0"), "carried_in", "etat"),
        (Decimal("7000"), "planned", "departement"),
        (Decimal("12000"), "planned", "total"),
        (Decimal("9000"), "planned", "total"),
        (Decimal("8000"), "executed", "total"),
    ]
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [c.value for f in found for c in f.cells] == [Decimal("7000"), Decimal("9000")]


def test_a_column_read_with_a_meaning_the_model_has_not():
    # an execution table's 'd'autres financeurs' lost its letter E and its stage: read as other funders' executed
    # money, a column the model of an execution table does not have
    rows = [
        [
            "Actions",
            "A Crédits État versés en 2019",
            "B Crédits État 2018 reportés sur 2019",
            "C Crédits CD affectés en 2019",
            "d'autres financeurs réalisé",
            "Montant total réalisé au 31/12/2019",
        ],
        ["Ateliers", "5 000 €", "0 €", "7 000 €", "1 000 €", "8 000 €"],
    ]
    doc = make_doc([make_table("a", rows, line0=5)])
    budget, _ = extract_budget(doc)
    assert [(ln.amount, ln.stage, ln.part) for ln in budget][3] == (Decimal("1000"), "executed", "other")
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [c.value for f in found for c in f.cells] == [Decimal("1000")]


def test_a_sub_total_torn_from_its_sous_that_sums_its_rows_is_said():
    # OCR tore 'Sous' from each sub-total ('total', lower case, a label cut in two); the first sums the rows above
    # it, the sub-total it says, and places them; the second does not (8 000 + 1 000 is not 9 500): its amount and
    # the rows it should sum may be anyone's
    cells, _ = _ocr_guessed(
        [
            ["Actions", "Crédits État versés"],
            ["Ateliers collectifs", "5 000 €"],
            ["total", "5 000 €"],
            ["Maillage territorial du premier accueil", "8 000 €"],
            ["Loyers des locaux", "1 000 €"],
            ["total", "9 500 €"],
            ["TOTAUX", "14 500 €"],
        ]
    )
    assert cells == [
        (Decimal("1000"), "Loyers des locaux / Crédits État versés"),
        (Decimal("9500"), "total / Crédits État versés"),
    ]


def test_a_year_other_than_the_documents_that_nothing_names():
    # an execution report of 2019: an amount read as 2020's under a header naming no year was given a neighbour's
    # year; one under 'Montant à reporter en 2020' is said
    doc = make_doc(
        [
            make_table(
                "a",
                [
                    ["Actions", "Crédits État versés", "Montant à reporter en 2020"],
                    ["Ateliers collectifs", "5 000 €", "1 000 €"],
                    ["Loyers des locaux", "8 000 €", "2 000 €"],
                ],
            )
        ]
    )
    doc.period, doc.year = "2019", 2019
    budget, _ = extract_budget(doc)
    for line in budget:
        line.year = 2020 if line.amount in (Decimal("8000"), Decimal("1000")) else 2019
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [(c.value, c.label) for f in found for c in f.cells] == [
        (Decimal("8000"), "Loyers des locaux / Crédits État versés")
    ]
    assert "year other than their document's" in found[0].message


def test_a_word_ocr_cut_in_two_is_no_misreading():
    from calpae.audit.guessed import _misread

    # 'en gagements', 's ocle': pieces that make known words glued to a neighbour; 'nrnvimit' makes none
    assert not _misread("Sous-total en gagements de mesures s ocle")
    assert _misread("Patelonie-dorientation rapide des nrnvimit")


def test_a_dont_share_read_as_of_a_year_no_amount_of_its_table_is():
    # a 2019 execution recap whose 'Dont valorisation de dépenses du CD' header took 'en 2020' from the header of
    # 'Montant à reporter en 2020' beside it: a share of 2019's spending read as 2020's; the credits to carry to
    # 2020 are money of the 2019 table, not a year of their own
    doc = make_doc(
        [
            make_table(
                "a",
                [
                    [
                        "Actions",
                        "Montant total réalisé 2019",
                        "Dont valorisation de dépenses du CD en 2020",
                        "Montant à reporter en 2020",
                    ],
                    ["Ateliers collectifs", "5 000 €", "1 000 €", "300 €"],
                    ["Loyers des locaux", "8 000 €", "0 €", "200 €"],
                ],
            )
        ]
    )
    budget, _ = extract_budget(doc)
    assert [(ln.stage, ln.year) for ln in budget if ln.row == 1] == [
        ("executed", 2019),
        ("valorisation", 2020),
        ("to_carry_over", 2019),
    ]
    found = guessed_findings(Extraction(document=doc, budget_lines=budget, amounts=[]))
    assert [(c.value, c.label) for f in found for c in f.cells] == [
        (Decimal("1000"), "Ateliers collectifs / Dont valorisation de dépenses du CD en 2020"),
        (Decimal("0"), "Loyers des locaux / Dont valorisation de dépenses du CD en 2020"),
    ]
    assert "share of a year none of the table's amounts is of" in found[0].message


def test_columns_from_a_header_holding_two_model_letters_on_are_guessed():
    # a text export glued the headers of D and E ('D Crédits E CD 2021 Participatio…'): from that column on, each
    # column may carry its right-hand neighbour's header (E's zeros read as F's planned total); against the same
    # table with D's and E's headers apart, exactly the amounts from the glued header on are added
    head = [
        "Actions",
        "A Crédits État versés en 2022",
        "B Crédits État 2021 reportés sur 2022",
        "C Crédits CD affectés en 2022",
    ]
    row = ["Ateliers collectifs", "5 000 €", "1 000 €", "5 000 €", "500 €", "0 €"]
    glued = _guessed(
        [
            [
                *head,
                "D Crédits E CD 2021 Participatio reprogramm n d'autres financeurs",
                "F Budget global de l'action prévu en 2022 A+B+C+D+E",
            ],
            row,
        ]
    )
    apart = _guessed([[*head, "D Crédits CD 2021 reprogrammés", "F Budget global de l'action prévu en 2022"], row])
    assert [value for value, _ in glued if (value, _) not in apart] == [Decimal("500"), Decimal("0")]
    assert len(glued) == len(apart) + 2


def test_two_rows_each_with_its_own_fiche_number_are_no_cut_label():
    # the merged theme cell's second line ('toutes les familles – …') begins the second row's label: each row holds
    # its own fiche number (the second's dot lost by OCR), so neither is half of a cut label; a row without one is
    cells, _ = _ocr_guessed(
        [
            ["Actions", "Crédits État versés", "Crédits CD versés"],
            ["2 Refonder et revaloriser le travail 2.1 Formation des agents", "8 000 €", "9 000 €"],
            ["toutes les familles – Premier accueil 22 Maillage territorial", "1 000 €", "2 000 €"],
            ["du premier accueil", "3 000 €", "4 000 €"],
        ]
    )
    assert cells == [
        (Decimal("1000"), "toutes les familles – Premier accueil 22 Maillage territorial / Crédits État versés"),
        (Decimal("2000"), "toutes les familles – Premier accueil 22 Maillage territorial / Crédits CD versés"),
        (Decimal("3000"), "du premier accueil / Crédits État versés"),
        (Decimal("4000"), "du premier accueil / Crédits CD versés"),
    ]
