"""Roles and years in execution reports and avenants: carried credits in or out, headings glued to labels, origin
years."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_budget import make_doc, make_table

from calpae.budget import extract_budget, vocab
from calpae.budget.money import read_money


def _doc(rows, year=None, title=None):
    doc = make_doc([make_table("t1", rows, title=title)])
    doc.year = year
    return doc


# --- carried credits: incoming (past participle, earlier year) vs outgoing (infinitive, later year) -----------------


@pytest.mark.parametrize(
    "text, role",
    [
        ("Crédits à reprogrammer sur 2025 – part CD", "non_consomme"),
        ("Sommes à reporter en 2025", "non_consomme"),
        ("Crédits reprogrammés", "report"),
        ("Crédits 2023 reportés", "report"),
    ],
)
def test_infinitive_after_a_means_credits_still_to_carry(text, role):
    assert vocab.role_of(text) == role


@pytest.mark.parametrize(
    "text, year, role",
    [
        ("Crédits CD 2024 reportés sur 2025", 2024, "non_consomme"),  # goes to a later year: unspent here
        ("Crédits CD 2023 reportés sur 2024", 2024, "report"),  # arrives in this year: carried in
        ("Crédits reprogrammés en 2025", 2024, "non_consomme"),
    ],
)
def test_a_carry_going_to_a_later_year_is_unspent(text, year, role):
    assert vocab.carry_role(text, vocab.role_of(text), year) == role


def test_roles_in_rows_use_tense_and_year():
    rows = [
        ["", "Au 31/12/2024"],
        ["Dépenses payées sur la part de l'État", "8 000 €"],
        ["Crédits à reprogrammer sur 2025 – part Département", "1 500 €"],
        ["Crédits CD 2024 reportés sur 2025", "500 €"],
        ["Dépenses payées sur la part du Département", "6 000 €"],
        ["Total", "16 000 €"],
    ]
    lines, _ = extract_budget(_doc(rows, 2024))
    assert [(ln.role, ln.year) for ln in lines] == [
        ("etat", 2024),
        ("non_consomme", 2024),
        ("non_consomme", 2024),
        ("departement", 2024),
        ("total", 2024),
    ]


def test_columns_to_carry_into_next_year_are_unspent_of_this_year():
    rows = [
        [
            "Action",
            "Crédits État versés en 2024",
            "Crédits CD 2023 reportés sur 2024",
            "Réalisé au 31/12/2024",
            "Crédits CD 2024 reportés sur 2025",
        ],
        ["Ateliers", "1 000 €", "200 €", "900 €", "300 €"],
        ["TOTAL", "1 000 €", "200 €", "900 €", "300 €"],
    ]
    lines, _ = extract_budget(_doc(rows, 2024))
    got = {ln.column_label: (ln.role, ln.year) for ln in lines if ln.row_label == "Ateliers"}
    assert got["Crédits CD 2023 reportés sur 2024"] == ("report", 2024)
    assert got["Crédits CD 2024 reportés sur 2025"] == ("non_consomme", 2024)


# --- a keyword cut by a wrapped cell, a heading glued to a role row -------------------------------------------------


def test_keyword_cut_by_a_stray_space_still_names_its_role():
    assert vocab.role_of("D Crédits CD 2023 reprogr ammés") == "report"
    assert vocab.role_of("Dont valo risation") == "valorisation"


def test_generic_money_noun_yields_to_the_part_it_names():
    """'Budget'/'Montant' name a total only when no part is named ('Montant Part État' is the State's share)."""
    assert vocab.role_of("Montant Part État") == "etat"
    assert (
        vocab.role_of("3.2. Budget réalisé Action 3.1 : Ateliers Au 31/12/2024 Dépenses de la part du Département")
        == "departement"
    )
    assert vocab.role_of("Budget global 2024") == "total"
    assert vocab.role_of("Total État et Département") == "total"


def test_a_section_heading_glued_to_the_first_role_row_keeps_the_rows_role():
    rows = [
        ["", "Prévisionnel 2024"],
        ["Financement État", "1 000 €"],
        ["Département", "2 000 €"],
        ["TOTAL", "3 000 €"],
        ["4.2.2. Budget exécuté Action 4.1 : Ateliers Au 31/12/2024 Dépenses de la part État", "700 €"],
        ["Dépenses de la part du Département", "1 800 €"],
        ["Total", "2 500 €"],
    ]
    lines, _ = extract_budget(_doc(rows, 2024))
    assert [(ln.role, ln.amount) for ln in lines if not ln.is_total] == [
        ("etat", Decimal(1000)),
        ("departement", Decimal(2000)),
        ("etat", Decimal(700)),
        ("departement", Decimal(1800)),
    ]


# --- years: where carried credits came from is not the table's year -------------------------------------------------


def test_origin_year_of_carried_credits_on_a_cut_header_is_not_the_tables_year():
    """A header run cut across columns leaves 'reportés' and its origin year apart: the table is the report's year."""
    rows = [
        ["", "Part État", "Part CD", "Crédits reportés", "TOTAL 2023"],
        ["Mesure A", "1 000 €", "1 000 €", "200 €", "2 200 €"],
    ]
    lines, _ = extract_budget(_doc(rows, 2024))
    assert {ln.year for ln in lines} == {2024}


def test_a_previous_year_table_without_carry_keeps_its_year():
    rows = [["Actions", "Réalisé 2023"], ["Ateliers", "1 000 €"], ["TOTAL", "1 000 €"]]
    lines, _ = extract_budget(_doc(rows, 2024))
    assert {ln.year for ln in lines} == {2023}


# --- money cells ---------------------------------------------------------------------------------------------------


def test_stray_euro_sign_from_the_left_neighbour_is_dropped():
    assert read_money("€2.591.804,55 €").value == Decimal("2591804.55")
    assert read_money("€") is None


# --- indicator headers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, kind, year, value_kind",
    [
        ("Résultat attendu Explication en 2024 (cible)", "value", 2024, "target"),
        ("Résultat du Justification des écarts Département en 2023", "value", 2023, "actual"),
        ("Justification des écarts en 2023", "comment", None, None),
        ("Commentaire sur le résultat 2023", "comment", None, None),
    ],
)
def test_a_comment_word_glued_inside_a_result_header_leaves_it_a_value_column(header, kind, year, value_kind):
    from calpae.indicators.headers import classify_header

    col = classify_header(0, header)
    assert (col.kind, col.year, col.value_kind) == (kind, year, value_kind)


def test_indicator_table_with_a_glued_comment_header_reads_the_target_column():
    from calpae.indicators.tables import indicator_values_from_table

    rows = [
        ["Mesure", "Indicateurs", "Situation 2018", "Résultat atteint en 2023", "Résultat attendu Explication en 2024"],
        ["Accueil", "Nombre de personnes reçues", "10", "12", "15"],
    ]
    doc = _doc(rows, 2023)
    values = indicator_values_from_table(doc, doc.tables[0])
    assert [(v.year, v.value_kind, v.value) for v in values] == [
        (2018, "baseline", Decimal(10)),
        (2023, "actual", Decimal(12)),
        (2024, "target", Decimal(15)),
    ]


# --- a budget table cut into pieces ----------------------------------------------------------------------------------


def _paged(tid, rows, page, title=None):
    return make_table(tid, rows, source="borderless", page=page, title=title)


def test_headerless_pieces_and_a_repeated_header_join_the_table_they_continue():
    head = ["Action et poste", "Réalisé 2024"]
    first = _paged("a", [head, ["1.1 Ateliers – personnel", "1 000 €"]], 3)
    second = _paged(
        "b",
        [["1.2 Ateliers – location", "300 €"], ["2.1 Accueil – personnel", "700 €"]],
        3,
        title="1.1 Ateliers – matériel 500 €",
    )
    third = _paged("c", [head, ["2.2 Accueil – matériel", "200 €"], ["TOTAL GÉNÉRAL", "2 700 €"]], 4)
    doc = make_doc([first, second, third], kind="pdf")
    doc.year = 2024
    lines, _ = extract_budget(doc)
    assert [(ln.row_label, ln.amount) for ln in lines] == [
        ("1.1 Ateliers – personnel", Decimal(1000)),
        ("1.1 Ateliers – matériel", Decimal(500)),
        ("1.2 Ateliers – location", Decimal(300)),
        ("2.1 Accueil – personnel", Decimal(700)),
        ("2.2 Accueil – matériel", Decimal(200)),
        ("TOTAL GÉNÉRAL", Decimal(2700)),
    ]
    assert {ln.table_id for ln in lines} == {"a"} and {ln.year for ln in lines} == {2024}
    assert [ln.provenance.page for ln in lines][-1] == 4


def test_a_table_with_another_header_or_far_away_is_not_a_continuation():
    first = _paged("a", [["Action", "Réalisé 2024"], ["Ateliers", "1 000 €"], ["Accueil", "500 €"]], 3)
    other = _paged("b", [["Action", "Prévu 2025"], ["Ateliers", "2 000 €"], ["Accueil", "600 €"]], 4)
    far = _paged("c", [["Mobilité", "900 €"], ["Logement", "100 €"]], 7)
    doc = make_doc([first, other, far], kind="pdf")
    lines, _ = extract_budget(doc)
    assert {ln.table_id for ln in lines} == {"a", "b"}
