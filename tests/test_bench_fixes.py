"""Fixes found by the accuracy benchmark (benchmarks/accuracy.py), each on a small table built here."""

from __future__ import annotations

from decimal import Decimal

from test_audit import audit, by_check
from test_budget import make_doc, make_table

from calpae.budget import extract_budget
from calpae.budget.arith import formula_parts
from calpae.indicators.prose import prose_amounts

FINANCIAL = [
    [
        "Actions",
        "A Participation État 2021",
        "B Crédits État 2020 reportés sur 2021",
        "C Crédits CD affectés en 2021",
        "D Crédits CD 2020 reprogrammés",
        "E Autres financeurs",
        "F Budget global 2021 (A+B+C+D+E)",
        "Montant à reporter en 2022 - Part État",
    ],
    ["Ateliers", "10 000 €", "2 000 €", "10 000 €", "1 000 €", "0 €", "23 000 €", "500 €"],
    ["Référents", "5 000 €", "0 €", "6 000 €", "0 €", "1 000 €", "12 000 €", "0 €"],
    ["TOTAL", "15 000 €", "2 000 €", "16 000 €", "1 000 €", "1 000 €", "35 000 €", "500 €"],
]


def test_credits_affectes_is_a_part_of_the_global_budget():
    """'Crédits CD affectés' reads like a forecast while no other column names a period: same period, still a part."""
    assert by_check(audit([make_table("f1", FINANCIAL)]), "part_sum_mismatch") == []
    wrong = [row[:] for row in FINANCIAL]
    wrong[1][6] = "24 000 €"
    found = by_check(audit([make_table("f2", wrong)]), "part_sum_mismatch")
    assert [(f.declared, f.computed) for f in found] == [(Decimal("24000"), Decimal("23000"))]


def test_carried_credits_take_the_tables_budget_year():
    lines, _ = extract_budget(make_doc([make_table("f3", FINANCIAL)]))
    years = {(ln.role, ln.column_label[:1]): ln.year for ln in lines if ln.row_label == "Ateliers"}
    assert years[("report", "B")] == years[("report", "D")] == 2021
    assert years[("non_consomme", "M")] == 2021 and years[("etat", "A")] == 2021


def test_a_lone_carry_over_column_keeps_its_own_year():
    rows = [["Actions", "Crédits 2020 reportés"], ["Ateliers", "2 000 €"], ["TOTAL", "2 000 €"]]
    lines, _ = extract_budget(make_doc([make_table("f4", rows)]))
    assert {ln.year for ln in lines} == {2020}


REALISED = [
    row[:6] + [row[6], total]
    for row, total in zip(
        [
            [
                h.replace("Participation État", "Crédits État versés en") if i == 1 else h
                for i, h in enumerate(FINANCIAL[0])
            ]
        ]
        + FINANCIAL[1:],
        ["Montant total réalisé au 31/12/2021", "19 000 €", "11 500 €", "30 500 €"],
        strict=False,
    )
]


def test_realised_total_beside_a_single_paid_column_is_not_a_part_sum():
    """'Crédits État versés' reads as executed like 'Montant total réalisé'; one column is no breakdown of it."""
    assert REALISED[0][1].startswith("A Crédits État versés") and REALISED[0][7].startswith("Montant total réalisé")
    assert by_check(audit([make_table("f5", REALISED)]), "part_sum_mismatch") == []


def test_total_formula_names_its_parts_by_letter():
    wrong = [row[:] for row in REALISED]
    wrong[2][6] = "13 000 €"  # F of 'Référents' should be 5 000 + 0 + 6 000 + 0 + 1 000 = 12 000
    found = by_check(audit([make_table("f6", wrong)]), "part_sum_mismatch")
    assert [(f.declared, f.computed) for f in found] == [(Decimal("13000"), Decimal("12000"))]


def test_year_named_only_by_carried_credits_is_not_the_tables_year():
    rows = [
        ["Mesure", "Financement État", "Département", "Crédits reportés 2021", "TOTAL"],
        ["Ateliers", "10 000 €", "8 000 €", "2 000 €", "20 000 €"],
    ]
    table = make_table("f7", rows, title="Budget 2022 de la mesure")
    lines, _ = extract_budget(make_doc([table]))
    assert {(ln.role, ln.year) for ln in lines} == {
        ("etat", 2022),
        ("departement", 2022),
        ("report", 2022),
        ("total", 2022),
    }


def _report_with_summary(summary_etat: str, summary_total: str):
    """A 2019-model report: a summary by measure, then one forecast table per measure (État / Département / TOTAL
    rows under one column), each under its measure's section."""
    from calpae.models import Section

    measures = [
        "Prévenir toute sortie sèche pour les jeunes sortants de l'aide sociale à l'enfance",
        "Insertion des allocataires du RSA – Orientation et parcours des allocataires",
    ]
    summary = [
        ["Mesure", "Part État 2019", "Part Département 2019", "Total"],
        [f"1. {measures[0]}", summary_etat, "30 000 €", summary_total],
        [f"2. {measures[1]}", "15 000 €", "15 000 €", "30 000 €"],
        ["TOTAL", "", "45 000 €", ""],
    ]
    tables = [make_table("s", summary, line0=1, title="Synthèse des crédits 2019")]
    sections = []
    for i, (etat, dept, total) in enumerate(
        [("20 000 €", "30 000 €", "50 000 €"), ("15 000 €", "15 000 €", "30 000 €")]
    ):
        line0 = 20 + 20 * i
        sections.append(Section(number=str(i + 1), title=measures[i], level=1, line_no=line0 - 2))
        rows = [["", "Prévisionnel 2019"], ["Financement État", etat], ["Département", dept], ["TOTAL", total]]
        tables.append(make_table(f"m{i}", rows, line0=line0, title=f"Prévisionnel 2019 – {measures[i]}"))
    doc = make_doc(tables)
    doc.sections = sections
    return doc


def _cross(doc):
    from calpae.audit import audit_extraction
    from calpae.models import Extraction

    budget, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    found = audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=amounts))
    return [f for f in found if f.check == "cross_table_mismatch"], budget


def test_summary_by_measure_is_a_summary_and_checked_against_measure_tables():
    found, budget = _cross(_report_with_summary("20 000 €", "50 000 €"))
    assert {ln.table_kind for ln in budget if ln.table_id == "s"} == {"summary"}
    assert found == []
    found, _ = _cross(_report_with_summary("25 000 €", "55 000 €"))
    assert {(f.declared, f.computed) for f in found} >= {(Decimal("25000"), Decimal("20000"))}
    assert all(f.severity == "error" for f in found)


def test_a_table_by_measure_is_a_summary_only_with_several_measures():
    from calpae.budget import read_budget_tables

    head = ["Mesure", "Financement État", "Département", "TOTAL"]
    one = [head, ["Insertion des allocataires du RSA", "10 000 €", "5 000 €", "15 000 €"]]
    two = one + [["Prévention spécialisée", "4 000 €", "4 000 €", "8 000 €"]]
    kinds = [
        read_budget_tables(make_doc([make_table(t, rows, title="Prévisionnel 2022")]))[0].kind
        for t, rows in (("one", one), ("two", two))
    ]
    assert kinds == ["forecast", "summary"]


def test_a_formula_cut_by_a_wrapped_header_names_no_parts():
    """'… A+B+C+D+' whose 'E' wrapped onto a line the header lost: four letters are not the total's parts."""
    heads = [h.replace("(A+B+C+D+E)", "A+B+C+D+") for h in FINANCIAL[0]]
    assert formula_parts(FINANCIAL[0], 6) == [1, 2, 3, 4, 5]
    assert formula_parts(heads, 6) == []
    cut = [heads] + [row[:] for row in FINANCIAL[1:]]
    assert by_check(audit([make_table("f8", cut)]), "part_sum_mismatch") == []  # E's 1 000 is no error
    cut[2][6] = "13 000 €"  # the parts are still found from the sums: 5 000 + 0 + 6 000 + 0 + 1 000 = 12 000
    found = by_check(audit([make_table("f9", cut)]), "part_sum_mismatch")
    assert [(f.declared, f.computed) for f in found] == [(Decimal("13000"), Decimal("12000"))]


def test_a_formula_garbled_by_ocr_names_no_parts():
    """OCR read '+' as '4' in 'A+B+C+D+E' ('A+B+C4+D4E', generated seed 145's scan): 'A+B+C' is no formula, so
    E's 1 000 is not reported as a sum that fails, and a real error is still found from the sums."""
    heads = [h.replace("(A+B+C+D+E)", "A+B+C4+D4E") for h in FINANCIAL[0]]
    assert formula_parts(heads, 6) == []
    garbled = [heads] + [row[:] for row in FINANCIAL[1:]]
    assert by_check(audit([make_table("g1", garbled)]), "part_sum_mismatch") == []
    garbled[2][6] = "13 000 €"
    found = by_check(audit([make_table("g2", garbled)]), "part_sum_mismatch")
    assert [(f.declared, f.computed) for f in found] == [(Decimal("13000"), Decimal("12000"))]
