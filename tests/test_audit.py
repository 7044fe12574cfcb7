"""The audit: totals by column and row, copies and summaries across tables, prose vs table, malformed numbers,
ambiguities; `calpae audit DIR`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from test_budget import BOTH, EXECUTED, FORECAST, make_doc, make_table

from calpae.audit import audit_extraction
from calpae.budget import extract_budget
from calpae.indicators.prose import prose_amounts
from calpae.models import Extraction

EXPECT = Path(__file__).parent / "expectations"
ACTION_HEAD = ["Postes", "Montants", "Part Etat", "Part Département"]


def audit(tables, lines=()):
    doc = make_doc(tables, list(lines))
    budget, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    return audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=amounts))


def by_check(findings, check):
    return [f for f in findings if f.check == check]


def test_consistent_tables_give_no_finding():
    assert (
        audit([make_table("a", FORECAST), make_table("b", EXECUTED, line0=20), make_table("c", BOTH, line0=40)]) == []
    )


def test_wrong_column_total():
    rows = [r[:] for r in EXECUTED]
    rows[-1][1] = "2.100,00 €"
    [f] = audit([make_table("a", rows, line0=10)])
    assert (f.check, f.severity) == ("total_mismatch", "error")
    assert (f.declared, f.computed, f.difference) == (Decimal("2100.00"), Decimal("2000.00"), Decimal("100.00"))
    assert f.provenance.line == 13 and "TOTAL" in f.message


def test_wrong_total_in_roles_as_rows_table():
    rows = [r[:] for r in FORECAST]
    rows[-1][1] = "21.000 €"
    [f] = audit([make_table("a", rows)])
    assert f.check == "total_mismatch" and f.difference == Decimal("1000")


def test_wrong_row_behind_right_total():
    rows = [
        ACTION_HEAD,
        ["Animation", "12 000 €", "2 000 €", "4 000 €"],
        ["Coordination", "8 000 €", "4 000 €", "4 000 €"],
        ["Total", "14 000 €", "6 000 €", "8 000 €"],
    ]
    found = audit([make_table("a", rows, source="text_layout", line0=5)])
    [part] = by_check(found, "part_sum_mismatch")
    assert (part.declared, part.computed, part.provenance.line) == (Decimal("12000"), Decimal("6000"), 6)
    [total] = by_check(found, "total_mismatch")
    assert (total.declared, total.computed) == (Decimal("14000"), Decimal("20000"))
    assert "Animation" in total.message
    # one wrong cell (Animation's row total) explains both: the row check is the error, the column check points to it
    assert (part.severity, total.severity) == ("error", "warning")
    assert "single wrong cell row 'Animation'" in total.message


def test_wrong_row_behind_sub_total_and_grand_total():
    """One wrong row total breaks its row, its sub-total and the grand total below: one error, two warnings."""
    rows = [
        ACTION_HEAD,
        ["Animation", "12 000 €", "2 000 €", "4 000 €"],
        ["Coordination", "8 000 €", "4 000 €", "4 000 €"],
        ["Sous-total", "14 000 €", "6 000 €", "8 000 €"],
        ["Suivi", "1 000 €", "500 €", "500 €"],
        ["Sous-total", "1 000 €", "500 €", "500 €"],
        ["Sous-total des mesures", "15 000 €", "6 500 €", "8 500 €"],
        ["Total", "15 000 €", "6 500 €", "8 500 €"],
    ]
    found = audit([make_table("a", rows, source="text_layout", line0=5)])
    [part] = by_check(found, "part_sum_mismatch")
    assert (part.severity, part.declared, part.computed) == ("error", Decimal("12000"), Decimal("6000"))
    totals = sorted((f.declared, f.computed, f.severity) for f in by_check(found, "total_mismatch"))
    assert totals == [(Decimal("14000"), Decimal("20000"), "warning"), (Decimal("15000"), Decimal("21000"), "warning")]
    assert all("single wrong cell row 'Animation'" in f.message for f in by_check(found, "total_mismatch"))


def test_wrong_subtotal_cell_is_one_error():
    rows = [
        ACTION_HEAD,
        ["Animation", "6 000 €", "2 000 €", "4 000 €"],
        ["Coordination", "8 000 €", "4 000 €", "4 000 €"],
        ["Total", "14 000 €", "7 000 €", "8 000 €"],
    ]
    found = audit([make_table("a", rows, source="text_layout", line0=5)])
    [total] = by_check(found, "total_mismatch")
    [part] = by_check(found, "part_sum_mismatch")
    assert (total.severity, total.declared, total.computed) == ("error", Decimal("7000"), Decimal("6000"))
    assert part.severity == "warning" and "Part Etat" in part.message


def test_two_unrelated_mistakes_stay_two_errors():
    rows = [
        ACTION_HEAD,
        ["Animation", "7 000 €", "2 000 €", "4 000 €"],
        ["Coordination", "8 000 €", "4 000 €", "4 000 €"],
        ["Accueil", "5 000 €", "2 000 €", "3 000 €"],
        ["Mobilité", "4 000 €", "1 000 €", "3 000 €"],
        ["Total", "24 000 €", "9 000 €", "15 000 €"],
    ]
    found = audit([make_table("a", rows, source="text_layout", line0=5)])
    assert sorted((f.check, f.severity, f.difference) for f in found) == [
        ("part_sum_mismatch", "error", Decimal("1000")),
        ("total_mismatch", "error", Decimal("1000")),
    ]


def test_part_sum_includes_report_and_other_funders():
    rows = [
        ["Poste", "Montant", "Part Etat", "Part CD", "Report 2020", "Autres financeurs"],
        ["Atelier", "100 €", "40 €", "30 €", "20 €", "10 €"],
        ["Bus", "50 €", "20 €", "20 €", "10 €", "5 €"],
        ["Total", "150 €", "60 €", "50 €", "30 €", "15 €"],
    ]
    found = audit([make_table("a", rows)])
    assert {(f.check, f.declared, f.computed) for f in found} == {
        ("part_sum_mismatch", Decimal("50"), Decimal("55")),
        ("part_sum_mismatch", Decimal("150"), Decimal("155")),
    }


SUMMARY = [
    ["Actions", "Total reports 2020 intégrés Part État 2021 Part CD 2021", "", ""],
    ["Épicerie solidaire", "30 000 €", "10 000 €", "15 000 €"],
    ["Bus numérique", "20 000 €", "10 000 €", "10 000 €"],
    ["TOTAL", "50 000 €", "20 000 €", "25 000 €"],
]


def _action(tid, line0, total, etat, dept):
    return make_table(
        tid,
        [ACTION_HEAD, ["Fonctionnement", total, etat, dept], ["Total", total, etat, dept]],
        source="text_layout",
        line0=line0,
    )


def test_summary_excluding_carry_over_is_reconciled_with_action_table():
    found = audit(
        [
            make_table("s", SUMMARY, source="text_layout"),
            _action("a1", 50, "30 000 €", "10 000 €", "20 000 €"),
            _action("a2", 80, "20 000 €", "10 000 €", "10 000 €"),
        ]
    )
    assert found == []


def test_summary_carry_over_split_over_both_parts_is_reconciled():
    found = audit(
        [make_table("s", SUMMARY, source="text_layout"), _action("a1", 50, "30 000 €", "12 000 €", "18 000 €")]
    )
    assert found == []


def test_summary_disagreeing_with_action_table():
    found = audit(
        [
            make_table("s", SUMMARY, source="text_layout"),
            _action("a1", 50, "30 000 €", "10 000 €", "20 000 €"),
            _action("a2", 80, "20 000 €", "5 000 €", "15 000 €"),
        ]
    )
    assert {(f.check, f.severity) for f in found} == {("cross_table_mismatch", "error")}
    etat = next(f for f in found if "etat" in f.message)
    assert (etat.declared, etat.computed) == (Decimal("10000"), Decimal("5000"))


def test_body_and_annex_copies_disagree():
    body = [
        ACTION_HEAD,
        ["Ingénierie", "10 000 €", "", "10 000 €"],
        ["Animation", "6 000 €", "3 000 €", "3 000 €"],
        ["Total", "16 000 €", "3 000 €", "13 000 €"],
    ]
    annex = body[:3] + [["Coordination", "4 000 €", "", "4 000 €"], ["Total", "20 000 €", "3 000 €", "17 000 €"]]
    found = audit([make_table("body", body, line0=10), make_table("annex", annex, line0=400)])
    cross = by_check(found, "cross_table_mismatch")
    assert sorted((f.declared, f.computed) for f in cross) == [
        (Decimal("17000"), Decimal("13000")),
        (Decimal("20000"), Decimal("16000")),
    ]
    assert all("Coordination" in f.message and f.provenance.line == 404 for f in cross)
    assert len(found) == 2


def test_prose_budget_against_the_table_it_introduces():
    table = make_table(
        "t",
        [ACTION_HEAD, ["Ateliers", "8 000 €", "4 000 €", "4 000 €"], ["Total", "8 000 €", "4 000 €", "4 000 €"]],
        line0=12,
    )
    lines = [(10, "Le budget de cette action en 2021 est de 9 500 €.")]
    [f] = audit([table], lines)
    assert (f.check, f.declared, f.computed, f.provenance.line) == (
        "prose_table_mismatch",
        Decimal("9500"),
        Decimal("8000"),
        10,
    )
    agreeing = [(10, "Le budget de cette action en 2021 est de 8 000 €.")]
    assert audit([table], agreeing) == []
    other_year = [(10, "Le budget de cette action en 2019 était de 9 500 €.")]
    table_2021 = make_table(
        "t",
        [["Postes", "Montants 2021", "Part Etat 2021", "Part Département 2021"]]
        + [["Ateliers", "8 000 €", "4 000 €", "4 000 €"], ["Total", "8 000 €", "4 000 €", "4 000 €"]],
        line0=12,
    )
    assert audit([table_2021], other_year) == []


def test_malformed_number_is_a_warning_with_the_value_read():
    rows = [r[:] for r in FORECAST]
    rows[1][1], rows[2][1], rows[3][1] = "10.000,20 €", "10.000,20 €", "20.000.40 €"
    [f] = audit([make_table("a", rows)])
    assert (f.check, f.severity, f.computed) == ("malformed_number", "warning", Decimal("20000.40"))
    assert "20.000.40" in f.message


def test_ambiguous_split_is_an_info_finding():
    rows = [
        ["Actions", "Total reports 2020 intégrés Part État 2021 Part CD 2021", "", ""],
        ["Insertion", "100 000 €", "40 000 €", "40 000 €"],
        ["Plateforme Emploi", "62 120 000 €", "60 000 €", "60 000 €"],
        ["TOTAL", "220 000 €", "100 000 €", "100 000 €"],
    ]
    [f] = audit([make_table("s", rows, source="text_layout")])
    assert (f.check, f.severity) == ("ambiguous_number", "info") and "Plateforme Emploi 62" in f.message


def test_unreadable_table_is_one_warning():
    rows = [
        ACTION_HEAD,
        ["A", "1 000 €", "7 €", "9 €"],
        ["B", "2 000 €", "8 €", "3 €"],
        ["C", "3 000 €", "1 €", "1 €"],
        ["Total", "9 €", "99 €", "77 €"],
    ]
    [f] = audit([make_table("a", rows)])
    assert (f.check, f.severity) == ("table_unreadable", "warning")


def test_total_row_failing_in_every_column_is_the_readings_warning():
    """A total row that is not the sum of the rows above in all three of its columns, each row adding up: the rows
    it adds were grouped wrong (one wrong figure fails one or two checks), so one warning naming the row, no error."""
    rows = [
        ACTION_HEAD,
        ["A", "1 000 €", "600 €", "400 €"],
        ["B", "2 000 €", "1 500 €", "500 €"],
        ["C", "3 000 €", "1 000 €", "2 000 €"],
        ["Total", "5 000 €", "2 500 €", "2 500 €"],
    ]
    [f] = audit([make_table("a", rows)])
    assert (f.check, f.severity) == ("table_unreadable", "warning")
    assert "'Total' is not the sum of the rows above it in 3 of its 3 columns" in f.message
    rows[4] = ["Total", "6 000 €", "3 200 €", "2 900 €"]  # one wrong part total: the document's error
    found = [(f.check, f.severity) for f in audit([make_table("a", rows)])]
    assert found == [("total_mismatch", "error"), ("part_sum_mismatch", "warning")]  # the row check follows from it


def test_row_total_parts_inferred_when_the_roles_named_fail_on_most_rows():
    """Roles name three parts but the total adds up two of them on most rows (a formula lost by OCR): the parts
    are inferred from the sums, and the one row that does not add up still fails."""
    from calpae.budget.arith import Grid, failing, inferred_parts, row_checks

    D = Decimal
    values = [[D(a), D(b), D(c), D(t)] for a, b, c, t in [(60, 40, 7, 100), (150, 100, 9, 250), (10, 20, 5, 30)]]
    values.append([D(50), D(50), D(10), D(110)])  # adds up with the third column only
    g = Grid(
        labels=["A", "B", "C", "D"],
        is_total=[False] * 4,
        col_roles=["etat", "departement", "autre", "total"],
        col_labels=["Part État", "Part Département", "Autres", "Total"],
        values=values,
    )
    assert inferred_parts(g, 3) == [0, 1]
    assert [(c.row, c.declared, c.computed) for c in failing(row_checks(g))] == [(3, D(110), D(100))]


# --- calpae audit DIR --------------------------------------------------------------------------------------


def _run_dir(tmp_path: Path) -> Path:
    from calpae.store import RunStore

    rows = [r[:] for r in EXECUTED]
    rows[-1][1] = "2.100,00 €"
    doc = make_doc([make_table("a", rows, line0=10)])
    budget, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    ext = Extraction(document=doc, budget_lines=budget, amounts=amounts)
    ext.findings = audit_extraction(ext)
    with RunStore(tmp_path) as store:
        store.add(ext)
    return tmp_path


def test_cli_prints_findings_table(tmp_path, capsys):
    from calpae.cli import main

    run = _run_dir(tmp_path)
    assert main(["audit", str(run)]) == 0
    out = capsys.readouterr().out
    assert "total_mismatch" in out and "l. 13" in out and "100 (2 100 vs 2 000)" in out
    assert "1 finding(s): 1 error" in out


def test_cli_reads_duckdb_when_csv_absent(tmp_path, capsys):
    from calpae.cli import main

    run = _run_dir(tmp_path)
    (run / "findings.csv").unlink()
    assert main(["audit", str(run)]) == 0
    assert "total_mismatch" in capsys.readouterr().out


def test_cli_missing_run_is_a_clear_message(tmp_path, capsys):
    from calpae.cli import main

    assert main(["audit", str(tmp_path / "nowhere")]) == 2
    assert "no findings.csv" in capsys.readouterr().err


# --- real documents --------------------------------------------------------------------------------------------


def _audit_seed(path: Path) -> list:
    from budget_seed_docs import read_seed_doc

    doc = read_seed_doc(path)
    budget, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    return audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=amounts))


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_aude_2019_has_no_error(kind, seed, corpus_pdf):
    found = _audit_seed(seed("aude_2019") if kind == "text" else corpus_pdf("aude_2019"))
    assert [f for f in found if f.severity == "error"] == []
    malformed = by_check(found, "malformed_number")
    assert len(malformed) == 2 and {f.computed for f in malformed} == {Decimal("312222.40")}


# Its real faults, each an error, and nothing else (issue 18: 0 false errors): the 'Soutien aux projets' row on
# both copies of its table, the two copies' totals, and the text against the table that follows it.
_LG_ERRORS = [
    ("cross_table_mismatch", Decimal("112356"), Decimal("97356")),
    ("cross_table_mismatch", Decimal("207746"), Decimal("192746")),
    ("part_sum_mismatch", Decimal("23000"), Decimal("10000")),
    ("part_sum_mismatch", Decimal("23000"), Decimal("10000")),
    ("prose_table_mismatch", Decimal("207746"), Decimal("192746")),
]
ERRORS_LOT_ET_GARONNE_2020 = {"text": _LG_ERRORS, "pdf": _LG_ERRORS}


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_lot_et_garonne_2020_defects_reported(kind, seed, corpus_pdf):
    exp = json.loads((EXPECT / "lot_et_garonne_2020_budget.json").read_text(encoding="utf-8"))
    found = _audit_seed(seed("lot_et_garonne_2020") if kind == "text" else corpus_pdf("lot_et_garonne_2020"))
    row = exp["row_error"]
    parts = [
        f
        for f in by_check(found, "part_sum_mismatch")
        if (f.declared, f.computed) == (Decimal(row["declared"]), Decimal(row["computed"]))
    ]
    assert parts, [f.message for f in found]
    copies = exp["copies_disagree"]
    assert any(
        {f.declared, f.computed} == {Decimal(copies["body"]), Decimal(copies["annex"])}
        for f in by_check(found, "cross_table_mismatch")
    )
    assert any(
        {f.declared, f.computed} == {Decimal(copies["body"]), Decimal(copies["annex"])}
        for f in by_check(found, "prose_table_mismatch")
    )
    infos = by_check(found, "ambiguous_number")
    assert any(exp["boundary_row_label_ends"] in f.message for f in infos)
    # the summary's parts exclude the carry-over that the per-action tables include: not an error
    assert not [f for f in by_check(found, "cross_table_mismatch") if "summary row" in f.message]
    # issue 18: no false error: every error is one of the document's three real faults (the row, its two copies,
    # the text against its table)
    errors = sorted((f.check, f.declared, f.computed) for f in found if f.severity == "error")
    assert errors == ERRORS_LOT_ET_GARONNE_2020[kind], errors


@pytest.mark.parametrize("stated, errors", [("5 000 €", 0), ("6 000 €", 1)])
def test_carry_over_stated_below_summary(stated, errors):
    rows = SUMMARY + [
        ["Total hors report 2020", "45 000 €", "", ""],
        ["Report 2020", stated, "", ""],
        ["Total général", "50 000 €", "", ""],
    ]
    found = by_check(audit([make_table("s", rows, source="text_layout")]), "total_mismatch")
    assert len(found) == errors
    if errors:
        assert (found[0].declared, found[0].computed) == (Decimal("6000"), Decimal("5000"))


def test_prose_range_or_other_year_is_not_compared():
    table = make_table("t", [["Postes", "Montants 2019"], ["Ateliers", "8 000 €"], ["Total", "8 000 €"]], line0=12)
    lines = [
        (9, "Les actions se poursuivent en 2019 et 2020."),
        (10, "Budget prévisionnel pour 2021 : 50 000 € à 80 000 €, selon les ateliers retenus en 2019."),
    ]
    assert by_check(audit([table], lines), "prose_table_mismatch") == []
