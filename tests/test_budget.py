"""Budget tables → budget lines (roles, periods, years, totals, ambiguities) and prose amounts → amounts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from calpae.budget import extract_budget, read_budget_tables
from calpae.budget.tables import read_budget_table
from calpae.indicators.prose import prose_amounts
from calpae.models import BBox, Cell, Document, Line, Page, Table

EXPECT = Path(__file__).parent / "expectations"


def make_table(
    tid: str,
    rows: list[list[str]],
    source: str = "tsv",
    line0: int = 1,
    title: str | None = None,
    page: int | None = None,
) -> Table:
    """A Table as any reader would hand it over: cells with row, column and place."""
    width = max(len(r) for r in rows)
    cells = [
        Cell(
            row=i,
            col=j,
            text=r[j] if j < len(r) else "",
            line_no=None if page else line0 + i,
            page=page,
            bbox=BBox(x0=50 + 100 * j, top=100 + 12 * i, x1=140 + 100 * j, bottom=110 + 12 * i) if page else None,
        )
        for i, r in enumerate(rows)
        for j in range(width)
    ]
    return Table(
        id=tid,
        source=source,
        n_rows=len(rows),
        n_cols=width,
        cells=cells,
        line_start=line0,
        line_end=line0 + len(rows) - 1,
        title=title,
        pages=[page] if page else [],
    )


def make_doc(tables: list[Table], lines: list[tuple[int, str]] = (), kind: str = "text") -> Document:
    doc = Document(id="0123456789abcdef", source="made.txt", sha256="0" * 64, kind=kind, departement_code="99")
    doc.pages = [Page(number=1, lines=[Line(text=t, page=1, line_no=n) for n, t in lines])]
    doc.tables = tables
    return doc


FORECAST = [
    ["", "Prévu 2021"],
    ["Crédits de l'État", "12.500 €"],
    ["Crédits du Département", "7.500 €"],
    ["TOTAL", "20.000 €"],
]
EXECUTED = [
    ["Opérations", "Réalisé 2021"],
    ["Ateliers collectifs", "1.250,50 €"],
    ["Location de salle", "749,50 €"],
    ["TOTAL", "2.000,00 €"],
]
BOTH = [
    ["", "Prévisionnel 2020", "Réalisé 2020"],
    ["Part Etat", "10 000 €", "8 000 €"],
    ["Part Département", "10 000 €", "- €"],
    ["Total", "20 000 €", "8 000 €"],
]


def test_roles_as_rows_forecast_table():
    bt = read_budget_table(make_table("t1", FORECAST))
    assert bt is not None and bt.kind == "forecast" and bt.roles_as_rows
    assert [(c.kind, c.year) for c in bt.columns] == [("forecast", 2021)]
    lines, _ = extract_budget(make_doc([make_table("t1", FORECAST)]))
    got = [(ln.role, ln.amount, ln.is_total, ln.year, ln.table_kind) for ln in lines]
    assert got == [
        ("etat", Decimal("12500"), False, 2021, "forecast"),
        ("departement", Decimal("7500"), False, 2021, "forecast"),
        ("total", Decimal("20000"), True, 2021, "forecast"),
    ]


def test_executed_table_rows_are_actions():
    lines, _ = extract_budget(make_doc([make_table("t2", EXECUTED, line0=40)]))
    assert [ln.row_label for ln in lines] == ["Ateliers collectifs", "Location de salle", "TOTAL"]
    assert [ln.amount for ln in lines] == [Decimal("1250.50"), Decimal("749.50"), Decimal("2000.00")]
    assert {ln.table_kind for ln in lines} == {"executed"}
    assert {ln.column_label for ln in lines} == {"Réalisé 2021"}
    assert [ln.provenance.line for ln in lines] == [41, 42, 43]
    assert all(isinstance(ln.amount, Decimal) for ln in lines)


def test_forecast_and_executed_side_by_side():
    bt = read_budget_table(make_table("t3", BOTH))
    assert bt.kind == "forecast_executed"
    lines, _ = extract_budget(make_doc([make_table("t3", BOTH)]))
    executed = {ln.role: ln.amount for ln in lines if ln.column_label == "Réalisé 2020"}
    assert executed == {"etat": Decimal("8000"), "departement": Decimal("0"), "total": Decimal("8000")}


def test_pdf_cells_carry_page_and_bbox():
    doc = make_doc([make_table("t4", FORECAST, page=3)], kind="pdf")
    lines, _ = extract_budget(doc)
    assert {ln.provenance.page for ln in lines} == {3} and all(ln.provenance.line is None for ln in lines)
    assert all(ln.provenance.bbox is not None for ln in lines)


def test_columns_get_roles_from_headers():
    rows = [
        ["Poste", "Montant", "Part Etat", "Part CD", "Report 2020", "Autres financeurs"],
        ["Coordination", "100 €", "40 €", "30 €", "20 €", "10 €"],
        ["Total", "100 €", "40 €", "30 €", "20 €", "10 €"],
    ]
    bt = read_budget_table(make_table("t5", rows))
    assert [c.role for c in bt.columns] == ["total", "etat", "departement", "report", "autre"]


def test_financial_model_columns():
    rows = [
        [
            "Thème",
            "Imputation chorus",
            "Fiche action N°",
            "Intitulé",
            "A Crédits Etat versés en 2021",
            "B Crédits Etat 2020 reportés sur 2021",
            "C Crédits CD affectés en 2021",
            "Dont valorisation CD",
            "F Budget global prévu en 2021",
            "Montant à reporter en 2022 - Part Etat",
        ],
        ["Mobilité", "0304 50 19 19 07", "1.1", "Garage solidaire", "10 €", "2 €", "12 €", "3 €", "24 €", "1 €"],
        ["", "", "", "Sous total", "10 €", "2 €", "12 €", "3 €", "24 €", "1 €"],
    ]
    bt = read_budget_table(make_table("t6", rows))
    assert bt.kind == "financial_model"
    assert [c.role for c in bt.columns] == ["etat", "report", "departement", "valorisation", "total", "non_consomme"]
    assert [c.year for c in bt.columns][:3] == [2021, 2021, 2021]
    assert bt.rows[-1].is_total and "Garage solidaire" in bt.rows[0].label


def test_summary_header_in_one_cell_is_cut_by_roles():
    rows = [
        ["Actions", "Coût des actions reports 2020 intégrés Part État 2021 Part CD 2021", "", ""],
        ["Épicerie solidaire", "30 000 €", "10 000 €", "15 000 €"],
        ["Bus numérique", "20 000 €", "10 000 €", "10 000 €"],
        ["TOTAL", "50 000 €", "20 000 €", "25 000 €"],
    ]
    bt = read_budget_table(make_table("t7", rows, source="text_layout"))
    assert bt.kind == "summary"
    assert [(c.role, c.year) for c in bt.columns] == [("total", 2021), ("etat", 2021), ("departement", 2021)]
    assert bt.columns[1].label == "Part État 2021"


def test_wrapped_labels_are_joined_and_rotated_fragments_dropped():
    rows = [
        ["Postes", "Montants", "Part Etat", "Part Département"],
        ["Accompagnement renforcé des", "", "", ""],
        ["SO", "", "", ""],
        ["C", "", "", ""],
        ["familles monoparentales", "9 000 €", "4 500 €", "4 500 €"],
        ["Total", "9 000 €", "4 500 €", "4 500 €"],
    ]
    bt = read_budget_table(make_table("t8", rows, source="text_layout"))
    assert [r.label for r in bt.rows] == ["Accompagnement renforcé des familles monoparentales", "Total"]


@pytest.mark.parametrize(
    "rows",
    [
        [["Prestation", "Coût unitaire"], ["Nuitée", "45 €"], ["Repas", "12 €"]],
        [["Résultats", ""], ["Énergie économisée", "20.697 kWh"], ["Gains", "6.450 €"], ["Ampoules posées", "818"]],
        [["Opérations", "Partenaires et cofinanceurs principaux"], ["Chantier", "Région, 5 000 €"]],
        [["Indicateurs", "2019", "2020"], ["Nombre de jeunes", "103", "111"], ["Taux", "73%", "75%"]],
    ],
)
def test_tables_that_are_not_budgets(rows):
    assert read_budget_table(make_table("tx", rows)) is None


SUMMARY = [
    ["Actions", "Total reports 2020 intégrés Part État 2021 Part CD 2021", "", ""],
    ["Insertion", "100 000 €", "40 000 €", "40 000 €"],
    ["Plateforme Emploi", "62 120 000 €", "60 000 €", "60 000 €"],
    ["TOTAL", "220 000 €", "100 000 €", "100 000 €"],
]


@pytest.mark.parametrize(
    "label, amount", [("Plateforme Emploi", "62 120 000 €"), ("Plateforme Emploi 62", "120 000 €")]
)
def test_number_at_label_boundary_read_the_way_totals_hold(label, amount):
    rows = [r[:] for r in SUMMARY]
    rows[2][0], rows[2][1] = label, amount
    bt = read_budget_tables(make_doc([make_table("t9", rows, source="text_layout")]))[0]
    row = bt.rows[1]
    assert row.label == "Plateforme Emploi 62" and row.money(0).value == Decimal("120000")
    assert row.note and "62 120 000" in row.note and "totals hold" in row.note
    assert bt.rows[0].note is None and bt.rows[2].note is None


def test_boundary_number_kept_when_totals_need_it():
    rows = [r[:] for r in SUMMARY]
    rows[3][1] = "62 220 000 €"
    rows[3][0] = "TOTAL"
    bt = read_budget_tables(make_doc([make_table("t10", rows, source="text_layout")]))[0]
    assert bt.rows[1].money(0).value == Decimal("62120000")


def test_missing_cells_placed_where_column_totals_hold():
    rows = [
        ["Postes", "Montants", "Part Etat", "Part Département"],
        ["Coordination", "30 000 €", "30 000 €"],
        ["Ateliers", "10 000 €", "4 000 €", "6 000 €"],
        ["Renfort", "5 000 €", "5 000 €"],
        ["Total", "45 000 €", "9 000 €", "36 000 €"],
    ]
    bt = read_budget_tables(make_doc([make_table("t11", rows, source="text_layout")]))[0]
    assert bt.rows[0].texts == ["30 000 €", "", "30 000 €"]
    assert bt.rows[2].texts == ["5 000 €", "5 000 €", ""]


def test_prose_amounts_with_sentence_and_line():
    lines = [
        (1, "1. Financement"),
        (2, ""),
        (3, "Le Département a consacré **12.345 €** à cette action en 2020."),
        (4, "Une enveloppe de 1 M€ est prévue, puis 2,5 millions d'euros"),
        (5, "sur trois ans."),
        (6, "Crédits\t5.000 €"),
        (7, "Aucun montant ici, seulement 2020 et 45 %."),
    ]
    doc = make_doc([make_table("t12", [["Crédits", "5.000 €"]], line0=6)], lines)
    _, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    got = [(a.amount, a.provenance.line) for a in amounts]
    assert got == [(Decimal("12345"), 3), (Decimal("1000000"), 4), (Decimal("2500000"), 4)]
    assert amounts[0].text == "Le Département a consacré 12.345 € à cette action en 2020."
    assert amounts[2].text.endswith("sur trois ans.") and all(a.unit == "EUR" for a in amounts)


def test_a_table_between_two_lines_of_text_ends_the_sentence():
    """No blank line around a table (as in PDFs): the line above and the prose below are two sentences."""
    lines = [
        (1, "Le budget de l'action se répartit ainsi"),
        (2, "Postes Montants"),
        (3, "Total 170 000 €"),
        (4, "dont 15 000 € pour la formation."),
    ]
    doc = make_doc([make_table("t13", [["Postes", "Montants"], ["Total", "170 000 €"]], line0=2)], lines)
    _, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    assert [(a.amount, a.text) for a in amounts] == [(Decimal("15000"), "dont 15 000 € pour la formation.")]


# --- real documents, through the real readers -------------------------------------------------------------


def _read(path: Path) -> Document:
    from budget_seed_docs import read_seed_doc

    return read_seed_doc(path)


def _expected_cells(tables: list[dict]) -> list[tuple]:
    return [
        (t["kind"], col[0], role, total, Decimal(v))
        for t in tables
        for role, total, values in t["rows"]
        for col, v in zip(t["columns"], values, strict=False)
        if v is not None
    ]


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_aude_2019_budget_tables(kind, seed, corpus_pdf):
    expected = json.loads((EXPECT / "aude_2019_budget.json").read_text(encoding="utf-8"))["tables"]
    doc = _read(seed("aude_2019") if kind == "text" else corpus_pdf("aude_2019"))
    bts = read_budget_tables(doc)
    assert len(bts) == len(expected) == 20
    assert sum(len(b.rows) for b in bts) == 68
    lines, _ = extract_budget(doc)
    got = [
        (
            ln.table_kind,
            next(c.kind for b in bts if b.table.id == ln.table_id for c in [b.columns[ln.col]]),
            ln.role,
            ln.is_total,
            ln.amount,
        )
        for ln in lines
    ]
    assert got == _expected_cells(expected)
    # the measure comes from the nearest section title naming one (socle measures 1.x, local initiatives 2.x)
    by_chapter = {(ln.section or "")[:3]: ln.measure_id for ln in lines}
    assert all(ln.measure_id for ln in lines)
    assert by_chapter["1.1"] == "socle.ase_sorties" and by_chapter["1.3"] == "socle.referent_parcours"
    assert by_chapter["1.5"] == "socle.garantie_activite" and by_chapter["2.4"] == "initiative.locales"


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_lot_et_garonne_2020_summary(kind, seed, corpus_pdf):
    exp = json.loads((EXPECT / "lot_et_garonne_2020_budget.json").read_text(encoding="utf-8"))
    doc = _read(seed("lot_et_garonne_2020") if kind == "text" else corpus_pdf("lot_et_garonne_2020"))
    bts = read_budget_tables(doc)
    summary = [b for b in bts if b.kind == "summary"]
    assert summary, [b.kind for b in bts]
    s = summary[0]
    detail = [r for r in s.rows if not r.is_total and r.money(1) is not None]
    amounts = [[str(r.money(c).value) if r.money(c) else None for c in range(len(s.columns))] for r in detail]
    assert amounts == exp["summary_rows"]
    total = next(r for r in s.rows if r.is_total)
    assert [str(total.money(c).value) for c in range(3)] == exp["summary_total"]
    carried = sum(r.money(0).value - r.money(1).value - r.money(2).value for r in detail)
    assert carried == Decimal(exp["carry_over"])
    job = [r for r in detail if r.money(0).value == Decimal(exp["boundary_row_amount"])]
    assert job and job[0].label.rstrip(" :").endswith(exp["boundary_row_label_ends"]) and job[0].note
    action_totals = sorted(str(r.money(0).value) for b in bts if b.kind == "action" for r in b.rows if r.is_total)
    for value in exp["action_totals_present"]:
        assert value in action_totals


# --- generated PDF, through the real PDF reader ------------------------------------------------------------


def _budget_pdf(path: Path, total: str) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    styles = getSampleStyleSheet()
    data = [
        ["Postes", "Montants", "Part Etat", "Part Département"],
        ["Ateliers numériques", "12 000 €", "6 000 €", "6 000 €"],
        ["Coordination du réseau", "8 000 €", "3 000 €", "5 000 €"],
        ["Total", total, "9 000 €", "11 000 €"],
    ]
    table = RLTable(data, colWidths=[200, 90, 90, 110])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [
        Paragraph("1. Budget de l'action", styles["Heading2"]),
        Paragraph("Pour 2021, le Département engage 20 000 € sur cette action avec l'État.", styles["Normal"]),
        Spacer(1, 12),
        table,
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


@pytest.mark.parametrize("total, errors", [("20 000 €", 0), ("21 000 €", 1)])
def test_generated_pdf_budget_table(tmp_path, total, errors):
    from calpae.audit import audit_extraction
    from calpae.extract import read_document
    from calpae.models import Extraction

    doc = read_document(_budget_pdf(tmp_path / "budget.pdf", total))
    lines, _ = extract_budget(doc)
    amounts = prose_amounts(doc)  # money in sentences: the prose facts
    got = {(ln.row_label, ln.role): ln.amount for ln in lines}
    assert got[("Coordination du réseau", "departement")] == Decimal("5000")
    assert got[("Total", "total")] == Decimal(total.replace(" €", "").replace(" ", ""))
    assert {ln.provenance.page for ln in lines} == {1} and {ln.table_kind for ln in lines} == {"action"}
    assert [a.amount for a in amounts] == [Decimal("20000")] and amounts[0].provenance.page == 1
    findings = audit_extraction(Extraction(document=doc, budget_lines=lines, amounts=amounts))
    assert len([f for f in findings if f.severity == "error"]) == errors
