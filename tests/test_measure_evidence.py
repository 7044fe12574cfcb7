"""A measure from evidence, or none: cut headings, headings contradicted by the table, repeated headers, copies read
apart, and an action numbered differently by a département's documents."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_budget import make_doc, make_table
from test_budget_levels import _sectioned

from calpae.budget import extract_budget
from calpae.budget.measures import MeasureMapper, shared_heads
from calpae.budget.tables import read_budget_table
from calpae.models import BudgetLine, Document, Extraction, Provenance
from calpae.reconcile import reconcile
from calpae.reconcile.facts import Label, link
from calpae.referential import load_referential
from calpae.store import RunStore

FAMILY = "Refonder et revaloriser le travail social au service de toutes les familles –"


def test_a_heading_cut_after_the_words_two_measures_share_names_neither():
    heads = {" ".join(h): sorted(ids) for h, ids in shared_heads(load_referential())}
    assert heads["refonder et revaloriser le travail social au service de toute les famille"] == [
        "socle.premier_accueil",
        "socle.referent_parcours",
    ]
    assert heads["insertion des allocataire du rsa"] == ["socle.garantie_activite", "socle.insertion_orientation"]
    mapper = MeasureMapper(make_doc([]))
    assert mapper.names(FAMILY) is None  # the referential alone would say 'référent de parcours' (88.6)
    assert mapper.names(f"{FAMILY} Premier accueil social inconditionnel de proximité").measure_id == (
        "socle.premier_accueil"
    )
    found = mapper.names("Insertion des allocataires du RSA – Orientation et parcours des")  # wrapped, cut
    assert (found.measure_id, found.score) == ("socle.insertion_orientation", 82.7)
    assert mapper.names("Insertion des allocataires du RSA –") is None


EXECUTED = [["Actions menées", "Réalisé 2021"], ["Premier accueil social", "1.000 €"], ["TOTAL", "1.000 €"]]


def test_rows_naming_another_measure_than_the_heading_in_force_take_only_their_own():
    """The heading in force is the previous measure's (its table's heading came after it): the row naming its
    measure keeps it, and the total, the sum of that row, takes it too, not the heading's."""
    table = make_table("t1", EXECUTED, line0=10)
    table.section = "3.2"
    doc = _sectioned([table], [("3", "Référent de parcours", 1), ("3.2", "Budget exécuté", 5)])
    lines, _ = extract_budget(doc)
    got = [(ln.row_label, ln.level, ln.measure_id, ln.measure_source) for ln in lines]
    assert got == [
        ("Premier accueil social", "action", "socle.premier_accueil", "label"),
        ("TOTAL", "measure", "socle.premier_accueil", "label"),
    ]


def test_a_caption_naming_another_action_than_the_heading_leaves_the_table_unmapped():
    """'Action 2.1' read through the document's headings is measure 2; the section in force names measure 3."""
    table = make_table(
        "t1",
        [
            ["", "Au 31/12/2021"],
            ["Dépenses exécutées sur la part financée par l'État", "500 €"],
            ["Dépenses exécutées sur la part financée par le Département", "300 €"],
            ["Total", "800 €"],
        ],
        line0=20,
        title="Action 2.1 : Maillage territorial",
    )
    table.section = "3.2"
    sections = [("2", "Premier accueil social inconditionnel de proximité", 1), ("3", "Référent de parcours", 10)]
    lines, _ = extract_budget(_sectioned([table], [*sections, ("3.2", "Budget exécuté", 15)]))
    assert {(ln.measure_id, ln.level, ln.action) for ln in lines} == {(None, "action", "2.1 Maillage territorial")}


def test_a_header_repeated_inside_one_table_is_no_label():
    header = ["Thème", "Fiche action N°", "Intitulé de l'action", "A Crédits État versés en 2021"]
    rows = [
        header,
        ["1 - Prévenir", "1.1", "Hébergements", "1.000 €"],
        ["", "Sous total", "", "1.000 €"],
        ["Thème", "Fiche action N°", "Intitulé de l'action", "Tableau financier A Crédits État versés en 2021"],
        ["4 - Insertion", "4.1", "Plateforme d'orientation", "2.000 €"],
        ["", "Sous total", "", "2.000 €"],
    ]
    bt = read_budget_table(make_table("t1", rows), 2021)
    assert [r.label for r in bt.rows] == [
        "1 - Prévenir 1.1 Hébergements",
        "Sous total",
        "4 - Insertion 4.1 Plateforme d'orientation",
        "Sous total",
    ]


def _extraction(doc_id: str, kind: str, lines: list[tuple[str, str, str | None]], doc_type: str) -> Extraction:
    """A document of département 11, 2021, two pages: one budget line per (row label, amount, measure), table t1."""
    source = f"{doc_id}.{'txt' if kind == 'text' else 'pdf'}"
    doc = Document(
        id=doc_id,
        source=source,
        sha256=doc_id * 4,
        kind=kind,
        doc_type=doc_type,
        departement_code="11",
        year=2021,
        period="2021",
        page_count=2,
    )
    budget = [
        BudgetLine(
            provenance=Provenance(document_id=doc_id, source=source, page=1, raw=amount),
            departement_code="11",
            measure_id=measure,
            table_id=f"{doc_id}-t1",
            table_kind="summary",
            row_label=label,
            column_label="Total 2021",
            year=2021,
            stage="planned",
            part="total",
            level="action",
            action=label,
            amount=Decimal(amount),
            line_id=f"{doc_id}-t1/r{k}c1",
        )
        for k, (label, amount, measure) in enumerate(lines)
    ]
    return Extraction(document=doc, budget_lines=budget)


PDF_LINES = [(f"{k}.1 Action {k}", f"{1000 * k + 13}", "socle.ase_sorties") for k in range(1, 11)]


def test_a_text_export_that_cut_its_amounts_apart_is_still_its_pdfs_copy(tmp_path: Path):
    """Five of its fifteen amounts are the PDF's (the rest fragments of cut numbers): the same kind of document for
    the same year, of as many pages, is its copy, and the fragments of a table the PDF read make no facts."""
    store = RunStore(tmp_path, write_json=False)
    store.add(_extraction("a" * 16, "pdf", PDF_LINES, "tableau_financier"))
    cut = PDF_LINES[:5] + [(f"Action {k} 1", str(k), "socle.ase_sorties") for k in range(1, 11)]
    store.add(_extraction("b" * 16, "text", cut, "tableau_financier"))
    reconcile(store.con)
    con = store.con
    copies = con.execute("SELECT copy_of, shared_amounts, share, lines_matched, lines_kept FROM copies").fetchall()
    assert copies == [("a" * 16, 5, 0.333, 5, 0)]
    sources = con.execute("SELECT DISTINCT source_documents FROM dataset_long WHERE fact_type = 'budget'").fetchall()
    assert sources == [("a" * 16 + ".pdf",)]
    assert con.execute("SELECT count(*) FROM dataset_long WHERE fact_type = 'budget'").fetchone()[0] == 10
    store.close()


def test_a_scan_whose_ocr_misled_its_kind_is_still_its_pdfs_copy(tmp_path: Path):
    """A scan classified from its OCR'd words as another kind of document, sharing five of its fifteen amounts:
    the only stronger document of its year and pages, so its copy."""
    from calpae.models import Page

    store = RunStore(tmp_path, write_json=False)
    store.add(_extraction("a" * 16, "pdf", PDF_LINES, "avenant"))
    scan = _extraction(
        "b" * 16, "pdf", PDF_LINES[:5] + [(f"Action {k} 1", str(k), None) for k in range(1, 11)], "tableau_financier"
    )
    scan.document.pages = [Page(number=1, ocr=True), Page(number=2, ocr=True)]
    store.add(scan)
    reconcile(store.con)
    assert store.con.execute("SELECT copy_of, shared_amounts, share FROM copies").fetchall() == [("a" * 16, 5, 0.333)]
    store.close()


def test_a_text_export_of_another_kind_with_few_shared_amounts_is_no_copy(tmp_path: Path):
    store = RunStore(tmp_path, write_json=False)
    store.add(_extraction("a" * 16, "pdf", PDF_LINES, "tableau_financier"))
    cut = PDF_LINES[:5] + [(f"Action {k} 1", str(k), "socle.ase_sorties") for k in range(1, 11)]
    store.add(_extraction("b" * 16, "text", cut, "avenant"))
    reconcile(store.con)
    assert store.con.execute("SELECT count(*) FROM copies").fetchone()[0] == 0
    store.close()


def test_equal_zero_lines_of_a_copy_pair_by_the_rows_in_step(tmp_path: Path):
    """Three zero sub-totals of three measures; the copy's own rows name no measure, and its labels differ from the
    PDF's ('total' for 'Sous total'): each pairs with the PDF's line at the row its sure neighbours agree on."""
    measures = ["socle.ase_sorties", "socle.premier_accueil", "socle.referent_parcours"]
    pdf = [
        line
        for k, m in enumerate(measures, 1)
        for line in (
            (f"{k}.1 Action", f"{1000 * k + 7}", m),
            (f"{k}.2 Action", f"{1000 * k + 9}", m),
            ("Sous total", "0", m),
        )
    ]
    text = [("total" if label == "Sous total" else label, amount, None) for label, amount, _ in pdf]
    store = RunStore(tmp_path, write_json=False)
    store.add(_extraction("a" * 16, "pdf", pdf, "avenant"))
    store.add(_extraction("b" * 16, "text", text, "avenant"))
    reconcile(store.con)
    got = store.con.execute(
        f"SELECT line_id, measure_id FROM series WHERE document_id = '{'b' * 16}' AND value = 0 ORDER BY 1"
    ).fetchall()
    assert got == [(f"{'b' * 16}-t1/r{3 * k + 2}c1", m) for k, m in enumerate(measures)]
    store.close()


def test_an_action_numbered_differently_takes_the_number_most_documents_give():
    """A report's own chapter (6.1) and three recaps' fiche number (8.1), for a measure without a national number."""
    labels = [Label("11", "initiative.locales", "Épicerie sociale itinérante", "r1")]
    labels += [Label("11", "initiative.locales", "6.1 Épicerie sociale itinérante", "r2")]
    labels += [Label("11", "initiative.locales", "8.1 Épicerie sociale itinérante", d) for d in ("c1", "c2", "c3")]
    assert {lk.canonical for lk in link(labels).values()} == {"8.1 Épicerie sociale itinérante"}
    tie = labels[:2] + labels[2:3]
    assert {lk.canonical for lk in link(tie).values()} == {"Épicerie sociale itinérante"}


def test_a_headerless_piece_under_the_running_header_and_a_cut_merged_cell_continues_its_table():
    """Page 2 of a recap: above its rows only the page's running header (page 1 has it too) and 'Engage', the
    cut-off top of the merged cell 'Engagements à l'initiative': no caption of its own, so a continuation; a line
    of its own ('Action 8.1 : …') still starts another table."""
    from calpae.budget.stitch import stitch
    from calpae.models import BBox, Line, Page

    first = make_table("t1", [["Thème", "Actions", "Réalisé 2021"], ["Socle", "1.1 Ateliers", "1.000 €"]], page=1)
    second = make_table(
        "t2", [["Engagements à l'initiative", "8.1 Accueil", "300 €"], ["", "TOTAL", "1.300 €"]], page=2
    )
    doc = make_doc([first, second], kind="pdf")

    def line(text: str, page: int, top: float) -> Line:
        return Line(text=text, page=page, bbox=BBox(x0=50, top=top, x1=300, bottom=top + 10))

    running = "Département Aude – tableau financier récapitulatif 2021"
    doc.pages = [Page(number=1, lines=[line(running, 1, 20)]), Page(number=2, lines=[line(running, 2, 20)])]
    doc.pages[1].lines.append(line("Engage", 2, 70))
    assert [(t.id, t.n_rows) for t in stitch(doc.tables, doc)] == [("t1", 4)]
    doc.pages[1].lines.append(line("Action 8.1 : Accueil", 2, 85))
    assert [(t.id, t.n_rows) for t in stitch(doc.tables, doc)] == [("t1", 2), ("t2", 2)]


def test_a_headerless_piece_under_the_rest_of_a_label_cell_cut_by_the_page_continues_its_table():
    """Page 2 of a recap whose theme and Chorus cells span the page break: above the piece, the rest of those cells
    ('5 - Insertion des', '0304 50 19 19 07'), every word of which begins a word of page 1's label cells: no caption
    of its own, so a continuation; a line with a word of its own still starts another table."""
    from calpae.budget.stitch import stitch
    from calpae.models import BBox, Line, Page

    head = ["Thème", "Imputation chorus", "Actions", "Réalisé 2021"]
    first = make_table(
        "t1",
        [head, ["5 - Insertion des allocataires", "0304 50 19 19 07 - Garantie", "5.1 Plateforme", "900 €"]],
        page=1,
    )
    second = make_table("t2", [["", "", "Sous total", "900 €"], ["", "", "TOTAL", "1.300 €"]], page=2)
    doc = make_doc([first, second], kind="pdf")

    def line(text: str, page: int, top: float) -> Line:
        return Line(text=text, page=page, bbox=BBox(x0=50, top=top, x1=300, bottom=top + 10))

    doc.pages = [Page(number=1, lines=[]), Page(number=2, lines=[line("0304 50 19 19 07", 2, 60)])]
    doc.pages[1].lines.append(line("5 - Insertion des - Garantie", 2, 70))
    assert [(t.id, t.n_rows) for t in stitch(doc.tables, doc)] == [("t1", 4)]
    doc.pages[1].lines.append(line("5 - Insertion des jeunes", 2, 80))
    assert [(t.id, t.n_rows) for t in stitch(doc.tables, doc)] == [("t1", 2), ("t2", 2)]


def test_a_grand_total_alone_on_the_next_page_joins_a_recap_numbered_with_dots():
    """A recap whose amounts group thousands with dots ('1.006.500 €') and whose fiche column holds '1.1', '2.1':
    the grand total alone on the next page, its label merged over the label columns, is mapped onto the recap's
    columns by place. The fiche numbers read as money, so the fiche column counted as an amount column the piece
    had no column for, and the total stood apart."""
    from calpae.budget.stitch import stitch
    from calpae.models import BBox, Cell, Table

    head = ["Fiche", "Action", "A État", "F Total"]
    rows = [["1.1", "Ateliers", "1.000 €", "2.000 €"], ["2.1", "Accueil", "2.500 €", "3.000 €"]]
    first = make_table("t1", [head, *rows], page=1)

    def cell(col: int, text: str, x0: float, x1: float) -> Cell:
        return Cell(row=0, col=col, text=text, page=2, bbox=BBox(x0=x0, top=100, x1=x1, bottom=110))

    cells = [cell(0, "TOTAUX FINANCIERS", 100, 240), cell(1, "3.500 €", 250, 340), cell(2, "5.000 €", 350, 440)]
    total = Table(id="t2", source="ruled", n_rows=1, n_cols=3, cells=cells, pages=[2], line_start=1, line_end=1)
    doc = make_doc([first, total], kind="pdf")
    assert [t.grid()[-1] for t in stitch(doc.tables, doc)] == [["", "TOTAUX FINANCIERS", "3.500 €", "5.000 €"]]


DOTLESS = [
    ["Fiche action N°", "Intitulé de l'action", "A Crédits Etats versés en 2021",
     "B Crédits Etat 2020 reportés sur 2021", "C Crédits CD affectés en 2021", "Montant total réalisé au 31/12/2021"],
    ["2.1", "Formation des agents", "100 €", "10 €", "100 €", "150 €"],
    ["32", "Outil partagé de suivi", "50 €", "0 €", "50 €", "90 €"],
    ["", "Sous total", "150 €", "10 €", "150 €", "240 €"],
    ["4.1", "Diagnostics", "30 €", "0 €", "30 €", "60 €"],
    ["", "Sous total", "30 €", "0 €", "30 €", "60 €"],
    ["", "TOTAUX FINANCIERS", "180 €", "10 €", "180 €", "300 €"],
]  # fmt: skip


def test_a_sub_total_over_a_row_whose_dotless_fiche_number_names_another_measure_lends_none():
    """OCR cut the 'Sous total' of measure 2 out and lost the dot of '3.2': the next sub-total adds the rows of
    measures 2 and 3. '2.1' names measure 2, '32' (3.2) measure 3: the sub-total's rows agree on no measure, so it
    lends none to '32 Outil…' and takes none itself; the sub-total of measure 4 still takes its row's."""
    lines, _ = extract_budget(make_doc([make_table("t1", DOTLESS)]))
    rows = {(ln.row_label, ln.level, ln.measure_id) for ln in lines}
    assert rows == {
        ("2.1 Formation des agents", "action", "socle.premier_accueil"),
        ("32 Outil partagé de suivi", "action", None),
        ("Sous total", "measure", None),
        ("4.1 Diagnostics", "action", "socle.insertion_orientation"),
        ("Sous total", "measure", "socle.insertion_orientation"),
        ("TOTAUX FINANCIERS", "grand_total", None),
    }


def test_a_recap_of_other_measures_under_a_stale_action_heading_keeps_its_levels():
    """An annexe recap under '6.1 Description' (the last heading of measure 6 before the annexe): its rows name
    measures 1 and 4, so the heading lends neither its measure nor its action; rows are actions, sub-totals the
    measures' figures (not details under action 6.1)."""
    first = [
        ["1.1", "Ateliers", "100 €", "10 €", "100 €", "150 €"],
        ["", "Sous total 1", "100 €", "10 €", "100 €", "150 €"],
    ]
    table = make_table("t1", DOTLESS[:1] + first + DOTLESS[4:])
    table.section = "6.1"
    doc = _sectioned([table], [("6", "Initiatives locales", 1), ("6.1", "Description", 5)])
    lines, _ = extract_budget(doc)
    rows = {(ln.row_label, ln.level, ln.measure_id, ln.action) for ln in lines}
    assert rows == {
        ("1.1 Ateliers", "action", "socle.ase_sorties", "1.1 Ateliers"),
        ("Sous total 1", "measure", "socle.ase_sorties", ""),
        ("4.1 Diagnostics", "action", "socle.insertion_orientation", "4.1 Diagnostics"),
        ("Sous total", "measure", "socle.insertion_orientation", ""),
        ("TOTAUX FINANCIERS", "grand_total", None, ""),
    }


def test_a_total_over_rows_of_another_measure_than_its_sub_totals_takes_none():
    """OCR tore 'Sous' from the 'total' of measure 5: read as a total of everything since the last total, it adds
    the sub-total of measure 4 and the rows of measure 5 under no sub-total; it is neither measure's."""
    rows = [
        DOTLESS[0],
        ["4.1", "Diagnostics", "30 €", "0 €", "30 €", "60 €"],
        ["", "Sous total", "30 €", "0 €", "30 €", "60 €"],
        ["5.1", "Accompagnement global", "20 €", "0 €", "20 €", "40 €"],
        ["5.2", "Garantie d'activité", "10 €", "0 €", "10 €", "20 €"],
        ["", "total", "30 €", "0 €", "30 €", "60 €"],
    ]
    lines, _ = extract_budget(make_doc([make_table("t1", rows)]))
    got = {(ln.row_label, ln.measure_id) for ln in lines}
    assert got == {
        ("4.1 Diagnostics", "socle.insertion_orientation"),
        ("Sous total", "socle.insertion_orientation"),
        ("5.1 Accompagnement global", "socle.garantie_activite"),
        ("5.2 Garantie d'activité", "socle.garantie_activite"),
        ("total", None),
    }
