"""Tables stay apart: consecutive tables of different fiches are never joined, and a finding names the other copy
of a table by its page and caption. Done on Lot-et-Garonne 2020 (../shared), whose fiches 4.3, 4.4 and 4.5 have
budget tables with one header on consecutive pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_budget import make_doc, make_table

from calpae.audit import audit_extraction
from calpae.budget import extract_budget
from calpae.budget.stitch import stitch
from calpae.models import Extraction
from calpae.pipeline import extract_document

HEAD = ["Postes", "Montants", "Part Etat", "Part Département"]


def _fiche(tid: str, page: int, section: str, rows: list[list[str]]):
    table = make_table(tid, [HEAD, *rows], page=page)
    table.section = section
    return table


A = [["Ateliers", "20 000 €", "10 000 €", "10 000 €"], ["Total", "20 000 €", "10 000 €", "10 000 €"]]
B = [["Allocation", "15 000 €", "15 000 €", ""], ["Total", "15 000 €", "15 000 €", ""]]


def test_same_header_on_next_page_under_another_heading_is_another_table():
    tables = stitch([_fiche("a", 3, "4.3", A), _fiche("b", 4, "4.4", B)])
    assert [(t.id, t.pages, t.n_rows) for t in tables] == [("a", [3], 3), ("b", [4], 3)]


def test_same_header_on_next_page_under_the_same_heading_continues_the_table():
    [table] = stitch([_fiche("a", 3, "4.3", A[:1]), _fiche("b", 4, "4.3", A[1:])])
    assert (table.id, table.pages, [r[0] for r in table.grid()]) == ("a", [3, 4], ["Postes", "Ateliers", "Total"])


def test_copy_finding_names_the_other_copy_by_page_and_caption():
    rows = [["Ateliers", "20 000 €", "10 000 €", "10 000 €"], ["Loyers", "5 000 €", "5 000 €", ""]]
    body = _fiche("t1", 5, "2", [*rows, ["Total", "25 000 €", "15 000 €", "10 000 €"]])
    body.title = "Budget de l'action pour 2020"
    annex = _fiche("t2", 9, "5", [*rows, ["Total", "26 000 €", "15 000 €", "11 000 €"]])
    doc = make_doc([body, annex], kind="pdf")
    budget, amounts = extract_budget(doc)
    found = audit_extraction(Extraction(document=doc, budget_lines=budget, amounts=amounts))
    copies = [f for f in found if f.check == "cross_table_mismatch"]
    assert [(f.provenance.page, f.declared, f.computed) for f in copies] == [
        (9, Decimal("26000"), Decimal("25000")),
        (9, Decimal("11000"), Decimal("10000")),
    ]
    assert "in the other copy of this table (p. 5, «Budget de l'action pour 2020»)" in copies[0].message


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["pdf", "text"])
def test_lot_et_garonne_2020_errors_are_the_real_ones(kind, corpus_pdf, seed):
    """11 errors before, 6 of them false: the annex copies of fiches 4.4 and 4.5 compared with fiche 4.3's table
    joined to theirs; and, in the text, a 2019 amount compared with the 2020 table below it."""
    ext = extract_document(corpus_pdf("lot_et_garonne_2020") if kind == "pdf" else seed("lot_et_garonne_2020"))
    errors = sorted((f.check, f.provenance.page, f.declared, f.computed) for f in ext.findings if f.severity == "error")
    body, annex, prose = (34, 71, 33) if kind == "pdf" else (None, None, None)
    assert errors == [
        ("cross_table_mismatch", annex, Decimal("112356"), Decimal("97356")),  # annex copy of fiche 4.2, part CD
        ("cross_table_mismatch", annex, Decimal("207746"), Decimal("192746")),  # annex copy of fiche 4.2, total
        ("part_sum_mismatch", body, Decimal("23000"), Decimal("10000")),  # 'Soutien aux projets', body
        ("part_sum_mismatch", annex, Decimal("23000"), Decimal("10000")),  # the same row in the annex
        ("prose_table_mismatch", prose, Decimal("207746"), Decimal("192746")),  # the text above the body table
    ]
    where = "p. 34" if kind == "pdf" else "line 1398"
    copy = next(f for f in ext.findings if f.check == "cross_table_mismatch")
    assert f"in the other copy of this table ({where}, «Pour les nouveaux entrants" in copy.message
    job = [f for f in ext.findings if f.check == "ambiguous_number" and "Job 47" in f.message]
    assert [f.provenance.page for f in job] == [6 if kind == "pdf" else None]


def test_repeated_header_on_next_page_continues_despite_cut_off_words_above_it():
    """A recap's merged label cell cut by the page break leaves its last words ('socle') above the repeated header,
    with the page's stamp: still the table's continuation. A caption naming an action starts another table."""
    from calpae.models import BBox, Line, Page

    first, second = _fiche("a", 1, "4.3", A[:1]), _fiche("b", 2, "4.3", A[1:])
    second = make_table("b", [[HEAD[0], f"07 {HEAD[1]}", *HEAD[2:]], *A[1:]], page=2)  # the cut cell's '07' ran in
    second.section = "4.3"
    doc = make_doc([first, second], kind="pdf")
    doc.pages = [Page(number=1), Page(number=2)]
    above = [("socle", 60), ("Envoyé en préfecture le 28/03/2020 – ID : 005-220500009", 70)]
    doc.pages[1].lines = [Line(text=t, page=2, bbox=BBox(x0=50, top=top, x1=300, bottom=top + 8)) for t, top in above]
    assert [(t.id, t.pages) for t in stitch(doc.tables, doc)] == [("a", [1, 2])]
    doc.pages[1].lines = [Line(text="Action 4.4 : Accueil", page=2, bbox=BBox(x0=50, top=70, x1=300, bottom=80))]
    assert [(t.id, t.pages) for t in stitch(doc.tables, doc)] == [("a", [1]), ("b", [2])]
