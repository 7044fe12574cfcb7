"""Issue 13, fifth round: what put wrong facts into the national dataset of office corpora. A stamp's digit OCR
misread, a scan whose same-kind original had a figureless namesake, a recap header repeated with its last line cut,
a fiche number run into a stray number or centred after a hyphen, an interleaved 'Sous … total', and an action whose
table sat under a stale heading."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from calpae.budget.actions import link_actions
from calpae.budget.numbering import split_number
from calpae.budget.stitch import _same_header
from calpae.budget.tables import (
    Row,
    _half_subtotal,
    _interleaved_subtotal,
    _mend_lost_dots,
    _mend_run_on_numbers,
    _sums_rows_above,
)
from calpae.classify.issuer import _named_apart
from calpae.models import BudgetLine, Document, Extraction, Page, Provenance
from calpae.reconcile import reconcile
from calpae.store import RunStore


def test_an_ocr_stamp_the_cover_contradicts_yields_to_the_names():
    # the cover names Gers (32) clearly and never Tarn-et-Garonne (82), the stamp OCR'd as '082-…'
    assert _named_apart({"32": 3.0}, "82") is True
    assert _named_apart({"32": 3.0, "82": 1.0}, "82") is False  # the stamp's département is named too
    assert _named_apart({"32": 1.2, "31": 1.0}, "82") is False  # no clear winner on the cover
    assert _named_apart({}, "82") is False


def _line(doc_id: str, k: int, amount: Decimal, measure: str | None) -> BudgetLine:
    return BudgetLine(
        provenance=Provenance(document_id=doc_id, source=f"{doc_id}.pdf", page=1, raw=str(amount)),
        departement_code="17",
        measure_id=measure,
        table_id=f"{doc_id}-t1",
        table_kind="summary",
        row_label=f"{k}.1 Action {k}",
        column_label="Total 2019",
        year=2019,
        stage="planned",
        part="total",
        level="action",
        action=f"{k}.1 Action {k}",
        amount=amount,
        line_id=f"{doc_id}-t1/r{k}c1",
    )


def _one_page(doc_id: str, doc_type: str, amounts: list[Decimal], ocr: bool, measure: str | None) -> Extraction:
    doc = Document(
        id=doc_id,
        source=f"{doc_id}.pdf",
        sha256=doc_id * 4,
        kind="pdf",
        doc_type=doc_type,
        departement_code="17",
        year=2019,
        period="2019",
        page_count=1,
        pages=[Page(number=1, ocr=ocr)],
    )
    return Extraction(document=doc, budget_lines=[_line(doc_id, k, a, measure) for k, a in enumerate(amounts, 1)])


def test_a_scan_is_the_copy_of_the_one_recap_that_shares_its_amounts(tmp_path: Path) -> None:
    recap = [Decimal(1000 * k + 17) for k in range(1, 13)]
    # OCR read 5 of the recap's 12 amounts right and 15 others wrong: a share of 25 %, below COPY_SHARE
    scan = recap[:5] + [Decimal(70000 + k) for k in range(15)]
    store = RunStore(tmp_path, write_json=False)
    store.add(_one_page("a" * 16, "tableau_financier", recap, False, "socle.ase_sorties"))
    store.add(_one_page("b" * 16, "tableau_financier", scan, True, None))
    store.add(_one_page("c" * 16, "deliberation", [], False, None))  # one page of the year, no figures
    reconcile(store.con)
    copies = store.con.execute("SELECT document_id, copy_of, shared_amounts FROM copies").fetchall()
    assert copies == [("b" * 16, "a" * 16, 5)]
    sources = store.con.execute(
        "SELECT DISTINCT source_documents FROM dataset_long WHERE fact_type = 'budget'"
    ).fetchall()
    assert sources == [("a" * 16 + ".pdf",)]  # the scan's misread figures make no facts
    store.close()


def test_a_header_repeated_with_its_last_line_cut_is_the_same_header():
    first = [["", "Fiche action N°", "A Crédits État versés en 2021", "Montant total réalisé au 31/12/2021"]]
    cut = [["Engage", "Fiche action", "A Crédits État", "Montant total réalisé au"]]
    assert _same_header(cut, first, [2, 3]) is True
    other = [["", "", "A Crédits CD", "Montant total réalisé au"]]
    assert _same_header(other, first, [2, 3]) is False  # not the opening words of the first header's
    assert _same_header([["", "", "", "Montant total réalisé au"]], first, [2, 3]) is False  # a column empty


def test_a_fiche_number_run_into_a_stray_number_reads_as_the_expected_one():
    grid = [["Fiche", "Intitulé"], ["5.2", "Accompagnement"], ["8.1", "Lutte"], ["8.210", "Accès aux soins"]]
    assert _mend_run_on_numbers(grid, 1, [0, 1])[3] == ["8.2", "Accès aux soins"]
    assert grid[3][0] == "8.210"  # the table's own grid is left as read
    lone = [["Fiche", "Intitulé"], ["8.1", "Lutte"], ["8.210", "Accès aux soins"]]
    assert _mend_run_on_numbers(lone, 1, [0, 1]) == lone  # one fiche number is no column of them


def test_fiche_numbers_whose_dots_ocr_lost_read_as_the_column_numbers_them():
    """181's 033-2019 scan: '22', '31', '32', '41', '42', '51' for 2.2 … 5.1 (177's 089-2019: '42.', '3.1.”')."""
    col = ["22", "Sous total", "31", "32", "Sous total", "41", "42", "", "51"]
    grid = [["Fiche", "Intitulé"]] + [[t, "x"] for t in col]
    assert [r[0] for r in _mend_lost_dots(grid, 1, [0])[1:]] == [
        "2.2", "Sous total", "3.1", "3.2", "Sous total", "4.1", "4.2", "", "5.1"
    ]  # fmt: skip
    mixed = [["Fiche", "Intitulé"]] + [[t, "x"] for t in ["11 :", "21", "22", "3.1.”", "32", "4.1", "42.", "81"]]
    assert [r[0] for r in _mend_lost_dots(mixed, 1, [0])[1:]] == [
        "1.1",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "4.1",
        "4.2",
        "8.1",
    ]
    flat = [["Fiche", "Intitulé"]] + [[t, "x"] for t in ["11", "12", "13"]]
    assert _mend_lost_dots(flat, 1, [0]) == flat  # whole numbers running on by one: as written
    odd = [["Fiche", "Intitulé"]] + [[t, "x"] for t in ["22", "13", "31"]]
    assert _mend_lost_dots(odd, 1, [0]) == odd  # 2.2 then 1.3: no column of two-level numbers


def test_a_fiche_number_centred_after_a_hyphenated_wrap_is_the_rows():
    found = split_number("Plateforme d'orientation rapide des premiers rendez- 4.2 vous d'accompagnement – Frais")
    assert found.number == "4.2"
    assert found.text == "Plateforme d'orientation rapide des premiers rendez-vous d'accompagnement – Frais"
    # a dash between a Chorus code and the number is no hyphenated word
    assert split_number("Engage 8 - Engagements à 0304 50 19 19 10 - 8.1 locales Lu").number is None


def test_a_fiche_number_centred_after_a_wrap_that_ended_on_a_dash_is_the_rows():
    # office seed 43, 052-2022 report's detail annex: 'Adaptation … du RSA –' wraps, the fiche number '4.1' centred
    # beside the cell's two lines is read between them
    found = split_number("Adaptation du logiciel de gestion des bénéficiaires du RSA – 4.1 Prestations de service")
    assert found.number == "4.1"
    assert found.text == "Adaptation du logiciel de gestion des bénéficiaires du RSA – Prestations de service"
    assert split_number("Frais de structure – 2 000 Prestations").number is None  # no fiche number


def test_an_interleaved_sous_total_that_sums_the_rows_above_is_a_total():
    assert _interleaved_subtotal(["l'initiative du département", "Initiatives Sous locales total"]) is True
    assert _interleaved_subtotal(["Sous total"]) is False  # read as a total already
    assert _interleaved_subtotal(["Prestations de sous-traitance au total"]) is False

    def row(label: str, *texts: str, total: bool = False) -> Row:
        return Row(label=label, texts=list(texts), cells=[None] * len(texts), label_cell=None, is_total=total)

    above = [row("Sous total", "10,00 €", "5,00 €", total=True), row("8.1 Épicerie", "152.000,00 €", "- €")]
    assert _sums_rows_above(above, ["152.000,00 €", ""]) is True
    assert _sums_rows_above(above, ["152.000,00 €", "1,00 €"]) is False
    assert _sums_rows_above(above[:1], ["10,00 €", ""]) is False  # no item row since the last total


def test_half_a_sous_total_that_sums_the_nearest_rows_above_is_a_total():
    # office seed 137, 005-2020-avenant.scan: the fiche column's 'Sous total' read 'Sous' alone beside a merged theme
    # cell's lines, and the sub-total above it read as an item (its label lost): it sums the last two rows only
    assert _half_subtotal(["social inconditionnel de proximité", "Sous"]) is True
    assert _half_subtotal(["Sous-traitance des prestations"]) is False

    def row(label: str, *texts: str) -> Row:
        return Row(label=label, texts=list(texts), cells=[None] * len(texts), label_cell=None)

    above = [
        row("1.1 Hébergements", "21 000 €", "4 030,47 €"),
        row("Es bb puus", "31 000 €", "4 030,47 €"),
        row("2.1 Formation", "86 500 €", "8 279,37 €"),
        row("2.2 Maillage", "200 000 €", "60 934,42 €"),
    ]
    assert _sums_rows_above(above, ["286 500 €", "69 213,79 €"]) is False
    assert _sums_rows_above(above, ["286 500 €", "69 213,79 €"], nearest=True) is True
    assert _sums_rows_above(above, ["286 500 €", "69 213,78 €"], nearest=True) is False


def _action(table: str, label: str, amount: str, measure: str, source: str) -> BudgetLine:
    return BudgetLine(
        provenance=Provenance(document_id="d" * 16, source="r.pdf", page=5, raw=amount),
        departement_code="10",
        measure_id=measure,
        measure_source=source,
        table_id=table,
        table_kind="execution",
        row_label=label,
        column_label="Montant réalisé",
        year=2019,
        stage="executed",
        part="total",
        level="action",
        action=label,
        amount=Decimal(amount),
        line_id=f"{table}/r0c1",
    )


def test_an_actions_chorus_coded_row_outweighs_a_stale_heading():
    stale = _action("t9", "Lutte contre la précarité énergétique", "87388.58", "socle.insertion_orientation", "heading")
    coded = _action("t10", "8.1 Lutte contre la précarité énergétique", "107000", "initiative.locales", "chorus")
    other = _action("t11", "2.1 Description", "5", "socle.premier_accueil", "heading")
    coded_other = _action("t12", "1.1 Description", "6", "socle.ase_sorties", "chorus")
    link_actions([stale, coded, other, coded_other])
    assert (stale.measure_id, stale.measure_source) == ("initiative.locales", "action")
    assert (other.measure_id, other.measure_source) == ("socle.premier_accueil", "heading")  # numbered apart


def test_a_sub_total_whose_number_and_rows_disagree_takes_the_rows_measure():
    from test_budget import make_doc, make_table
    from test_budget_levels import ANNEXE

    from calpae.budget import extract_budget

    misread = [row if row[1] != "Sous total 1" else ["", "Sous total 4", *row[2:]] for row in ANNEXE]  # OCR: 1 → 4
    lines, _ = extract_budget(make_doc([make_table("t1", misread)]))
    rows = {(ln.row_label, ln.level, ln.measure_id) for ln in lines}
    assert rows == {
        ("1.1 Ateliers", "action", "socle.ase_sorties"),
        ("1.2 Salle", "action", "socle.ase_sorties"),
        ("Sous total 4", "measure", "socle.ase_sorties"),  # its number says 4, its rows 1: the rows' sum it is
        ("4.1 Diagnostics", "action", "socle.insertion_orientation"),
        ("Sous total 4", "measure", "socle.insertion_orientation"),
        ("TOTAUX FINANCIERS", "grand_total", None),
    }
    first = next(ln for ln in lines if ln.row_label == "Sous total 4" and ln.measure_id == "socle.ase_sorties")
    assert first.measure_source == "group"  # not its number's: filled from the lines it sums
