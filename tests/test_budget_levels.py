"""Budget lines: stage and part apart, the level and parent of every line, the measure from the strongest evidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_budget import make_doc, make_table

from calpae.budget import extract_budget
from calpae.budget.meaning import combine_stages, part_words, stage_words
from calpae.budget.numbering import split_number, titled_action
from calpae.models import Section


@pytest.mark.parametrize(
    "text, stage, part",
    [
        ("Dépenses exécutées sur la part financée par l'État", "executed", "etat"),
        ("Crédits à reporter sur 2022 – part État", "to_carry_over", "etat"),
        ("Crédits à reprogrammer sur 2022 – part Département", "to_carry_over", "departement"),
        ("Crédits reportés 2020", "carried_in", None),
        ("D Crédits CD 2020 reprogrammés sur 2021", "carried_in", "departement"),
        ("Dont valorisation de dépenses du CD", "valorisation", "departement"),
        ("Montant total réalisé au 31/12/2021", "executed", "total"),
        ("F Budget global de l'action prévu en 2021 (A+B+C+D+E)", "planned", "total"),
        ("A Crédits Etats versés en 2021", "allocated", "etat"),
        ("Crédits non consommés", "unspent", None),
        ("Participation d'autres financeurs", None, "other"),
        ("Total État et Département", None, "total"),
        ("Au 31/12/2021", None, None),
    ],
)
def test_stage_and_part_are_read_apart(text, stage, part):
    assert (stage_words(text, 2021), part_words(text)) == (stage, part)


def test_a_header_cut_by_wrapping_still_names_its_part():
    assert part_words("Part Départe ment 2020", header=True) == "departement"
    assert part_words("Autres fin anceurs", header=True) == "other"
    assert part_words("Part Départe ment 2020") is None  # a row label is read as written


def test_credits_sent_to_a_later_year_are_still_to_carry():
    assert stage_words("Crédits État 2021 reportés sur 2022", 2021) == "to_carry_over"
    assert stage_words("Crédits État 2020 reportés sur 2021", 2021) == "carried_in"


def test_an_infinitive_whose_a_ocr_lost_is_still_to_carry():
    # 'Montant à reporter' OCR'd without its 'à': the infinitive still names credits to carry, not carried in
    assert stage_words("Montant reporter en 2020 - Part CD", 2019, header=True) == "to_carry_over"
    assert stage_words("Crédits CD 2018 reportés sur 2019", 2019, header=True) == "carried_in"


def test_a_sum_of_stages_means_what_it_adds_up_to():
    assert combine_stages(["planned", "planned", "carried_in"]) == "planned"
    assert combine_stages(["executed", "to_carry_over", "executed", "to_carry_over"]) == "allocated"
    assert combine_stages(["executed", "planned"]) is None


def test_numbers_of_rows_and_captions():
    one = split_number("1.2 Hébergements collectifs")
    assert (one.number, one.text, one.head) == ("1.2", "Hébergements collectifs", "1")
    assert split_number("Sous total 3").number == "3"
    assert split_number("Fiche action N°4-2 Ateliers").number == "4.2"
    assert split_number("1er accueil social").number is None
    assert split_number("30 mesures soit").number is None
    titled = titled_action("Action 2.1 : Les ateliers")
    assert titled is not None and (titled.number, titled.text) == ("2.1", "Les ateliers")
    assert titled_action("1.2.1. Budget prévisionnel") is None
    # the row's number cell, centred on a wrapped label, read between its lines
    inside = split_number("Déploiement de la démarche – Communication et 3.1 animation")
    assert (inside.number, inside.text) == ("3.1", "Déploiement de la démarche – Communication et animation")
    assert split_number("Taux de 12,5 % atteint").number is None
    assert split_number("Frais 3.1 et 3.2 réunis").number is None  # two numbers: none is the row's


MEASURE = "Prévenir toute « sortie sèche » pour les jeunes sortants de l'ASE"


def _sectioned(tables, sections):
    doc = make_doc(tables)
    doc.sections = [
        Section(
            number=n, title=t, level=n.count(".") + 1, line_no=line, parent=n.rsplit(".", 1)[0] if "." in n else None
        )
        for n, t, line in sections
    ]
    return doc


def test_executed_actions_under_a_measure_heading_are_actions_and_their_total_the_measure():
    table = make_table(
        "t1",
        [["Actions menées", "Réalisé 2021"], ["Ateliers", "1.000 €"], ["Salle", "500 €"], ["TOTAL", "1.500 €"]],
        line0=10,
    )
    table.section = "1.2"
    doc = _sectioned([table], [("1", MEASURE, 1), ("1.2", "Budget exécuté", 5)])
    lines, _ = extract_budget(doc)
    got = [(ln.row_label, ln.level, ln.stage, ln.part, ln.measure_id, ln.measure_source, ln.action) for ln in lines]
    assert got == [
        ("Ateliers", "action", "executed", "total", "socle.ase_sorties", "heading", "Ateliers"),
        ("Salle", "action", "executed", "total", "socle.ase_sorties", "heading", "Salle"),
        ("TOTAL", "measure", "executed", "total", "socle.ase_sorties", "heading", ""),
    ]
    assert [ln.parent for ln in lines] == ["t1/r2c0", "t1/r2c0", None]
    assert lines[2].line_id == "t1/r2c0"


def test_a_local_sub_measure_is_an_action_and_its_rows_details():
    table = make_table(
        "t1", [["", "Prévisionnel 2019"], ["Financement Etat", "100 €"], ["Département", "100 €"], ["TOTAL", "200 €"]]
    )
    table.section = "2.1.1"
    doc = _sectioned(
        [table],
        [
            ("2", "Mesures à l'initiative du Département", 1),
            ("2.1", "Lutter contre l'isolement", 2),
            ("2.1.1", "Budget", 3),
        ],
    )
    lines, _ = extract_budget(doc)
    assert {(ln.level, ln.measure_id, ln.action) for ln in lines} == {
        ("action", "initiative.locales", "2.1 Lutter contre l'isolement")
    }
    assert [(ln.stage, ln.part) for ln in lines] == [
        ("planned", "etat"),
        ("planned", "departement"),
        ("planned", "total"),
    ]


ANNEXE = [
    ["Fiche action N°", "Intitulé de l'action", "A Crédits Etats versés en 2021",
     "B Crédits Etat 2020 reportés sur 2021", "C Crédits CD affectés en 2021", "Montant total réalisé au 31/12/2021"],
    ["1.1", "Ateliers", "100 €", "10 €", "100 €", "150 €"],
    ["1.2", "Salle", "50 €", "0 €", "50 €", "90 €"],
    ["", "Sous total 1", "150 €", "10 €", "150 €", "240 €"],
    ["4.1", "Diagnostics", "30 €", "0 €", "30 €", "60 €"],
    ["", "Sous total 4", "30 €", "0 €", "30 €", "60 €"],
    ["", "TOTAUX FINANCIERS", "180 €", "10 €", "180 €", "300 €"],
]  # fmt: skip


def test_annexe_10_rows_take_the_national_numbering_and_columns_the_model():
    lines, _ = extract_budget(make_doc([make_table("t1", ANNEXE)]))
    rows = {(ln.row_label, ln.level, ln.measure_id) for ln in lines}
    assert rows == {
        ("1.1 Ateliers", "action", "socle.ase_sorties"),
        ("1.2 Salle", "action", "socle.ase_sorties"),
        ("Sous total 1", "measure", "socle.ase_sorties"),
        ("4.1 Diagnostics", "action", "socle.insertion_orientation"),
        ("Sous total 4", "measure", "socle.insertion_orientation"),
        ("TOTAUX FINANCIERS", "grand_total", None),
    }
    first = [(ln.stage, ln.part) for ln in lines if ln.row_label == "1.1 Ateliers"]
    assert first == [("allocated", "etat"), ("carried_in", "etat"), ("allocated", "departement"), ("executed", "total")]
    parent = {ln.row_label: ln.parent for ln in lines if ln.col == 0}
    assert parent["1.1 Ateliers"] == "t1/r2c0" and parent["Sous total 1"] == "t1/r5c0"


def test_rows_that_name_no_measure_stay_unmapped():
    lines, _ = extract_budget(
        make_doc([make_table("t1", [["Postes", "Réalisé 2021"], ["Ateliers", "10 €"], ["Salle", "5 €"]])])
    )
    assert {ln.measure_id for ln in lines} == {None}
    assert {ln.level for ln in lines} == {"action"}


def test_detail_lines_take_the_measure_of_the_action_they_name():
    detail = make_table(
        "t2",
        [["Fiche", "Action et poste de dépense", "Réalisé 2021"], ["9.1", "Ateliers – Frais de personnel", "600 €"],
         ["9.1", "Ateliers – Communication", "400 €"], ["", "TOTAL GÉNÉRAL", "1.000 €"]],
        line0=20,
    )  # fmt: skip
    actions = make_table(
        "t1", [["Actions menées", "Réalisé 2021"], ["Ateliers", "1.000 €"], ["TOTAL", "1.000 €"]], line0=10
    )
    actions.section = "1.2"
    doc = _sectioned([actions, detail], [("1", MEASURE, 1), ("1.2", "Budget exécuté", 5)])
    lines, _ = extract_budget(doc)
    details = [ln for ln in lines if ln.table_id == "t2" and not ln.is_total]
    assert [(ln.level, ln.measure_id, ln.measure_source, ln.parent) for ln in details] == [
        ("detail", "socle.ase_sorties", "action", "t1/r0c0"),
        ("detail", "socle.ase_sorties", "action", "t1/r0c0"),
    ]
    assert sum(ln.amount for ln in details) == Decimal(1000)


ROLE_ROWS = ["Dépenses exécutées sur la part financée par l'État", "Crédits à reporter sur 2022 – part État"]


def test_an_action_heading_run_into_the_table_starts_that_actions_figures():
    rows = [["", "Au 31/12/2021"]]
    rows += [[label, "100 €"] for label in ROLE_ROWS] + [["Total", "200 €"]]
    rows += [[f"Action 1.2 : Salle {ROLE_ROWS[0]}", "50 €"], [ROLE_ROWS[1], "10 €"], ["Total", "60 €"]]
    table = make_table("t1", rows, title="Action 1.1 : Ateliers")
    table.section = "1.2"
    lines, _ = extract_budget(_sectioned([table], [("1", MEASURE, 1), ("1.2", "Budget exécuté", 5)]))
    got = [(ln.action, ln.stage, ln.part, ln.amount) for ln in lines]
    assert got == [
        ("1.1 Ateliers", "executed", "etat", Decimal(100)),
        ("1.1 Ateliers", "to_carry_over", "etat", Decimal(100)),
        ("1.1 Ateliers", "allocated", "total", Decimal(200)),
        ("1.2 Salle", "executed", "etat", Decimal(50)),
        ("1.2 Salle", "to_carry_over", "etat", Decimal(10)),
        ("1.2 Salle", "allocated", "total", Decimal(60)),
    ]


@pytest.mark.parametrize("label", ["“Sous total 1 :", "jours Sous total 1"])
def test_a_sub_total_behind_a_stray_mark_or_a_wrapped_tail_is_still_a_sub_total(label):
    rows = [r[:] for r in ANNEXE]
    rows[3][1] = label  # an OCR mark; the end of the label above, read onto the sub-total's line
    lines, _ = extract_budget(make_doc([make_table("t1", rows)]))
    assert {(ln.level, ln.measure_id) for ln in lines if ln.row_label == label} == {("measure", "socle.ase_sorties")}
    assert {ln.measure_id for ln in lines if ln.row_label == "1.2 Salle"} == {"socle.ase_sorties"}


def test_a_table_with_its_own_caption_on_the_next_page_is_not_a_continuation():
    from calpae.budget.stitch import stitch
    from calpae.models import BBox, Line, Page

    first = make_table("t1", [["Actions menées", "Réalisé 2021"], ["Ateliers", "1.000 €"], ["Salle", "500 €"]], page=1)
    second = make_table("t2", [["Accueil", "300 €"], ["TOTAL", "1.800 €"]], page=2)
    doc = make_doc([first, second], kind="pdf")
    doc.pages = [Page(number=1), Page(number=2)]
    assert [(t.id, t.n_rows) for t in stitch(doc.tables, doc)] == [("t1", 5)]  # t2 continues t1
    caption = Line(text="Action 1.2 : Accueil", page=2, bbox=BBox(x0=50, top=70, x1=300, bottom=80))
    doc.pages[1].lines = [caption]
    assert [(t.id, t.n_rows) for t in stitch(doc.tables, doc)] == [("t1", 3), ("t2", 2)]


def test_annexe_letters_behind_ocr_marks_and_carried_credits_in_the_tables_year():
    from calpae.budget.meaning import column_letters

    assert column_letters(["A Crédits", "B Crédits", "os E Autres financeurs", "Total"]) == ["A", "B", "E", None]
    assert column_letters(["Part État", "Total"]) == [None, None]
    rows = [r[:] for r in ANNEXE]
    rows[0][3] = "B Crédits CD 2020 reprogr aminés"  # OCR: no carry word left; its letter says carried in
    lines, _ = extract_budget(make_doc([make_table("t1", rows)]))
    assert {(ln.stage, ln.year) for ln in lines if ln.col == 1} == {("carried_in", 2021)}


def test_a_chorus_code_two_measures_share_maps_only_with_a_number():
    """'0304 50 19 19 07' pays for garantie d'activité and for insertion/orientation: alone it names neither (an
    unmapped row beats a wrong measure); the row's number decides between them."""
    from calpae.budget.measures import MeasureMapper
    from calpae.referential import load_referential

    ref = load_referential()
    shared = "0304 50 19 19 07 - Garantie d'activité et insertion des BRSA"
    assert ref.measure_by_chorus(shared) is None
    assert ref.measure_by_chorus("0304 50 19 19 01 - Accompagnement des jeunes sortant de l'ASE") == "socle.ase_sorties"
    mapper = MeasureMapper(make_doc([]), ref)
    assert mapper.chorus_or_number(shared, None, True) is None
    found = mapper.chorus_or_number(shared, "4.1", True)
    assert found is not None and (found.measure_id, found.source) == ("socle.insertion_orientation", "national")
    found = mapper.chorus_or_number(shared, "5.2", True)
    assert found is not None and found.measure_id == "socle.garantie_activite"


def test_detail_lines_whose_number_sits_inside_the_wrapped_label_are_details():
    rows = [["Poste", "Réalisé 2021"]]
    rows += [
        [f"Maillage du premier accueil – {p} 2.1 {q}", "10 €"]
        for p, q in (("Frais de", "personnel"), ("Prestations de", "service"))
    ]
    lines, _ = extract_budget(make_doc([make_table("t1", rows)]))
    assert sorted((ln.level, ln.action) for ln in lines) == [
        ("detail", "2.1 Maillage du premier accueil – Frais de personnel"),
        ("detail", "2.1 Maillage du premier accueil – Prestations de service"),
    ]
