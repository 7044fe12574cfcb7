"""Text exports (pdftotext -layout): records carry the page (form feeds) as well as the source line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from calpae.pipeline import extract_document

OFFICE = Path(__file__).parent / "fixtures" / "office"


def _table_values(tmp_path: Path, text: str) -> list[tuple[str | None, int | None, str | None, Decimal]]:
    """The indicator values a text export's tables give: label, year, kind, value."""
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    values = [v for v in extract_document(path).indicator_values if v.origin == "table"]
    return [(v.indicator_label, v.year, v.value_kind, v.value) for v in values]


def test_office_text_export_budget_lines_carry_page_and_line():
    ext = extract_document(OFFICE / "082-2019-rapport_execution.txt")
    executed = [ln for ln in ext.budget_lines if ln.amount in (Decimal("421331.73"), Decimal("223415.42"))]
    # the executed table of measure 1 runs over the first page break (form feed after source line 63); the annexe
    # recap on page 7 states both amounts again, each wrapped over two lines ('421' / '331,73 €')
    assert [(ln.provenance.page, ln.provenance.line, ln.amount) for ln in executed] == [
        (1, 62, Decimal("421331.73")),
        (2, 79, Decimal("223415.42")),
        (7, 453, Decimal("421331.73")),
        (7, 457, Decimal("223415.42")),
    ]
    truth = json.loads((OFFICE / "082-2019-rapport_execution.text.truth.json").read_text(encoding="utf-8"))
    pages = [(c["page"], Decimal(c["amount"])) for c in truth["budget_cells"] if c["kind"] == "executed"]
    assert (1, Decimal("421331.73")) in pages and (2, Decimal("223415.42")) in pages


def test_text_without_form_feed_gives_lines_only(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Budget\nPostes  Montants\nAteliers  1 000 €\nLoyers  2 000 €\nTotal  3 000 €\n", encoding="utf-8")
    lines = extract_document(path).budget_lines
    assert [(ln.provenance.page, ln.provenance.line) for ln in lines] == [(None, 3), (None, 4), (None, 5)]


SUMMARY = """Le présent bilan rend compte de la mise en œuvre des actions contractualisées avec l'État et de leur
financement au cours de l'année écoulée. Il porte sur la période du 1er janvier au 31 décembre de l'année, et
reprend pour chaque mesure son budget prévisionnel, les dépenses exécutées et les crédits reportés.

Synthèse financière
                                                           Prévisionnel 2021
Mesure                                                     Part Département
                                          Part État 2021                        Total
                                                                 2021
1. Prévenir toute « sortie sèche » pour les jeunes sortants de l'aide
                                               10 000 €         12 000 €      22 000 €
sociale à l'enfance (ASE)
2. Refonder et revaloriser le travail social au service de toutes les familles –
                                               20 000 €         25 000 €      45 000 €
Premier accueil social inconditionnel
3. Insertion des allocataires du RSA           30 000 €         30 000 €      60 000 €
TOTAL                                          60 000 €         67 000 €     127 000 €
"""


def test_text_export_labels_wrapped_around_their_amounts_and_a_stacked_header(tmp_path):
    # pdftotext -layout sets a row's amounts between the lines of its label (they are centred beside it), and a
    # header cell stacked over two lines beside a group header: the last lines of a label used to open the next
    # row ('sociale à l'enfance (ASE) 2. Refonder…') and the part columns' headers to run together
    path = tmp_path / "report.txt"
    path.write_text(SUMMARY + "\f", encoding="utf-8")
    lines = extract_document(path).budget_lines
    assert [(ln.row_label, ln.role, ln.amount) for ln in lines if ln.col == 0] == [
        (
            "1. Prévenir toute « sortie sèche » pour les jeunes sortants de l'aide sociale à l'enfance (ASE)",
            "etat",
            Decimal("10000"),
        ),
        (
            "2. Refonder et revaloriser le travail social au service de toutes les familles – Premier accueil "
            "social inconditionnel",
            "etat",
            Decimal("20000"),
        ),
        ("3. Insertion des allocataires du RSA", "etat", Decimal("30000")),
        ("TOTAL", "etat", Decimal("60000")),
    ]
    assert [ln.role for ln in lines if ln.row == 0] == ["etat", "departement", "total"]
    assert {ln.provenance.page for ln in lines} == {1}


PROSE = (  # lines running the full width: the table's lines are shorter, so not prose
    "Le présent rapport rend compte de l'exécution de la convention au cours de l'année 2020, mesure par mesure,"
    " et des\ncrédits de l'État et du Département engagés pour chacune des actions qui y ont été inscrites, avec"
    " leurs indicateurs\nde suivi arrêtés au 31 décembre de l'année, tels que le comité de pilotage les a examinés"
    " lors de sa dernière séance.\n"
)
CELL_STACKED_OVER_THREE_LINES = """
Synthèse financière
                                                              Prévisionnel 2020
                                                              Part Département
Mesure                                          Part État 2020        2020          Total
1. Prévenir les sorties sèches de l'aide sociale     12 000 €       15 000 €       27 000 €
2. Premier accueil social inconditionnel             20 000 €       22 500 €       42 500 €
TOTAL                                                32 000 €       37 500 €       69 500 €
"""


def test_text_export_header_cell_stacked_over_three_lines(tmp_path):
    # (seed 129's 2019 reports) a summary's middle header cell wraps over three lines, its last ('2020') beside the
    # other cells: the lines above it stand over the amount columns only, so they are its header, not a caption
    # (the column read '2020' alone: its amounts had no part, 7 budget cells per report)
    path = tmp_path / "report.txt"
    path.write_text(PROSE + CELL_STACKED_OVER_THREE_LINES + "\f", encoding="utf-8")
    lines = extract_document(path).budget_lines
    assert [(ln.stage, ln.part, ln.amount) for ln in lines if ln.row_label == "TOTAL"] == [
        ("planned", "etat", Decimal("32000")),
        ("planned", "departement", Decimal("37500")),
        ("planned", "total", Decimal("69500")),
    ]


INDICATORS_BLANK_UNDER_HEADER = """4.3. Indicateurs
Les indicateurs sont arrêtés au 31 décembre 2019.

                                                            Situation    Année 2019
                                                             2018 du                    Justification
                                                            Départeme    Résultat       des écarts le
      Nom de la Mesure             Indicateurs                 nt         atteint       cas échéant

                                  Nombre de colis remis        141          138
      Aide alimentaire            Nombre de repas
      d'urgence                   servis en un mois           1 074        1 258
                                                                                        Activité réduite
                                  Nombre de familles                                    pendant la crise
                                  accueillies                  101          106         sanitaire
"""


def test_text_export_indicator_header_a_blank_line_above_the_first_row(tmp_path):
    # pdftotext leaves a blank line under a bottom-aligned header: the header line right above the first row stood
    # too far from it and the table was read without header (no value kind, no year)
    assert _table_values(tmp_path, INDICATORS_BLANK_UNDER_HEADER + "\f") == [
        ("Nombre de colis remis", 2018, "baseline", Decimal("141")),
        ("Nombre de colis remis", 2019, "actual", Decimal("138")),
        ("Nombre de repas servis en un mois", 2018, "baseline", Decimal("1074")),
        ("Nombre de repas servis en un mois", 2019, "actual", Decimal("1258")),
        ("Nombre de familles accueillies", 2018, "baseline", Decimal("101")),
        ("Nombre de familles accueillies", 2019, "actual", Decimal("106")),
    ]


SPLIT_PAGE_1 = """\
                                                                              Envoyé en préfecture le 02/03/2020
                                                                                Reçu en préfecture le 02/03/2020
                                                                                                       Affiché le
                                                                          ID : 099-229900001-20200302-CP2002_11-DE
Rapport annuel du fonds d'appui
2.3. Indicateurs

                                                                     Situation     Résultat du      Justification des
     Nom de la Mesure                  Indicateurs                    2018 du      Département         écarts le cas
                                                                   Département      en 2019             échéant
 Soutien aux aidants    Nombre d'aidants reçus en entretien             412             455        Montée en charge
 familiaux              individuel                                                                 progressive
Rapport annuel du fonds d'appui – page 1
"""

SPLIT_PAGE_2 = """\
                                                                   Envoyé en préfecture le 02/03/2020
                                                                     Reçu en préfecture le 02/03/2020
                                                                                            Affiché le
                                                               ID : 099-229900001-20200302-CP2002_11-DE
Rapport annuel du fonds d'appui

                         Nombre de séances collectives organisées    37              41        Données en cours
                                                                                               de consolidation
                         Nombre de guides distribués               2 150           2 384
Rapport annuel du fonds d'appui – page 2
"""


def test_text_export_indicator_table_over_a_page_break(tmp_path):
    # the rows left on the next page (no header, the measure cell empty) stood apart from the table: the stamp and
    # running lines between its parts were no furniture yet, and pdftotext set that page 11 characters further left
    path = tmp_path / "report.txt"
    page_1, footer_1 = SPLIT_PAGE_1.rstrip("\n").rsplit("\n", 1)
    page_2, footer_2 = SPLIT_PAGE_2.rstrip("\n").rsplit("\n", 1)
    blank = "\n" * 40  # a page's white below its text: pdftotext keeps the footer at the page's foot
    path.write_text(page_1 + blank + footer_1 + "\n\f" + page_2 + blank + footer_2 + "\n\f", encoding="utf-8")
    values = [v for v in extract_document(path).indicator_values if v.origin == "table"]
    assert [(v.provenance.page, v.indicator_label, v.year, v.value_kind, v.value) for v in values] == [
        (1, "Nombre d'aidants reçus en entretien individuel", 2018, "baseline", Decimal("412")),
        (1, "Nombre d'aidants reçus en entretien individuel", 2019, "actual", Decimal("455")),
        (2, "Nombre de séances collectives organisées", 2018, "baseline", Decimal("37")),
        (2, "Nombre de séances collectives organisées", 2019, "actual", Decimal("41")),
        (2, "Nombre de guides distribués", 2018, "baseline", Decimal("2150")),
        (2, "Nombre de guides distribués", 2019, "actual", Decimal("2384")),
    ]


INDICATORS_BLANK_ABOVE_LABEL = """3.3. Indicateurs

                                                                     Situation     Résultat du      Justification des
     Nom de la Mesure                  Indicateurs                    2018 du      Département         écarts le cas
                                                                   Département      en 2019             échéant

 Accès aux droits       Part des demandes traitées en moins de                                     Activité réduite
                                                                    71,5 %          80,2 %
 des usagers            quinze jours                                                               pendant la crise
                        Nombre de permanences tenues                  64              70
"""


def test_text_export_indicator_header_a_blank_line_above_the_first_label(tmp_path):
    # a row taller than its text leaves a blank line between the header and the first row's label line, whose
    # figures stand on the line below: the header was too far from the rows and the table was read without it
    assert _table_values(tmp_path, INDICATORS_BLANK_ABOVE_LABEL + "\f") == [
        ("Part des demandes traitées en moins de quinze jours", 2018, "baseline", Decimal("71.5")),
        ("Part des demandes traitées en moins de quinze jours", 2019, "actual", Decimal("80.2")),
        ("Nombre de permanences tenues", 2018, "baseline", Decimal("64")),
        ("Nombre de permanences tenues", 2019, "actual", Decimal("70")),
    ]


HEADER_ONE_CHARACTER_APART = """2.3. Indicateurs

                                Nom de la            Indicateurs          Situation Année Justification
                                 Mesure                                    2018 du   2019    des écarts le
                                                                          Départem Résultat cas échéant
                                                                             ent    atteint
                             Accès aux droits   Nombre de dossiers          1.204    1.317 Données en
                             des usagers        instruits                                  cours de
                                                                                           consolidation
                                                Nombre de visites à          388      402
                                                domicile
"""


def test_text_export_header_of_a_value_column_one_character_from_the_next(tmp_path):
    # 'Justification' starts one character left of the end of 'atteint' (pdftotext's drift): the comment column's
    # header was chained onto the second value column's, which was left without kind or year and its values lost
    assert _table_values(tmp_path, HEADER_ONE_CHARACTER_APART + "\f") == [
        ("Nombre de dossiers instruits", 2018, "baseline", Decimal("1204")),
        ("Nombre de dossiers instruits", 2019, "actual", Decimal("1317")),
        ("Nombre de visites à domicile", 2018, "baseline", Decimal("388")),
        ("Nombre de visites à domicile", 2019, "actual", Decimal("402")),
    ]
