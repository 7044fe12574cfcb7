"""PDF reader: geometry, errors and tables, on PDFs generated here and on the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pdfgen
import pytest

from calpae.errors import InputError
from calpae.extract.pdf import reader as pdf_reader
from calpae.extract.pdf.pages import page_text_fast
from calpae.extract.pdf.reader import read_pdf
from calpae.models import Document


def read(path: Path) -> Document:
    doc = Document(id="testdoc", source=str(path), sha256="0" * 64)
    read_pdf(path, doc)
    return doc


def amount_rows(table) -> list[list[str]]:
    return [r for r in table.grid() if any("€" in c for c in r[1:])]


@pytest.fixture
def ruled(tmp_path):
    return read(pdfgen.ruled_with_spans(tmp_path / "ruled.pdf"))


def test_pages_words_and_lines_carry_geometry_and_fonts(ruled):
    page = ruled.pages[0]
    assert (round(page.width), round(page.height), page.rotation) == (595, 842, 0)
    assert page.has_text_layer
    title = next(ln for ln in page.lines if ln.text.startswith("Tableau 1"))
    assert title.bold and title.page == 1 and title.bbox.top < 90
    word = next(w for ln in page.lines for w in ln.words if w.text == "Formation")
    assert word.font == "Helvetica" and word.size == 9 and not word.bold and word.upright
    assert word.bbox.x0 == pytest.approx(104, abs=0.5)
    rotated = [w for ln in page.lines for w in ln.words if not w.upright]
    assert rotated and all(w.text in "SOCLE" for w in rotated)


def test_ruled_table_keeps_spans_and_drops_rotated_text_from_labels(ruled):
    assert len(ruled.tables) == 1
    t = ruled.tables[0]
    assert (t.source, t.pages, t.n_rows, t.n_cols) == ("ruled", [1], 5, 4)
    assert t.title == "Tableau 1 : financement par action"
    assert t.grid()[0] == ["Action", "", "Montants 2020", ""]
    assert t.grid()[1][2:] == ["Part État", "Part Département"]
    assert [r[1:] for r in t.grid()[2:]] == [
        ["Accueil social", "10 000 €", "12 500 €"],
        ["Référent de parcours", "4 000 €", "4 000 €"],
        ["Formation", "1 500 €", "2 500 €"],
    ]
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in t.cells}
    assert spans[(0, 0)] == (2, 2) and spans[(0, 2)] == (1, 2)
    group = t.cell(2, 0)
    assert group.text == "SOCLE" and (group.row_span, group.col_span) == (3, 1)
    assert all("SOCLE" not in r[1] for r in t.grid())
    assert all(c.page == 1 and c.bbox is not None for c in t.cells)
    in_table = [ln.text for ln in ruled.pages[0].lines if ln.in_table]
    assert any("Formation" in x for x in in_table) and not any(x.startswith("Tableau 1") for x in in_table)


def test_borderless_table_columns_from_right_edges_and_wrapped_labels(tmp_path):
    doc = read(pdfgen.borderless(tmp_path / "b.pdf"))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.source == "borderless" and t.n_cols == 3
    assert t.grid() == [
        ["Action", "Prévu 2021", "Réalisé 2021"],
        ["Maraudes mixtes", "25 000 €", "23 410,50 €"],
        ["Accompagnement des jeunes sortant de l'aide sociale à l'enfance", "80 000 €", "79 000 €"],
        ["Aide à la mobilité des allocataires en insertion", "12 000 €", "9 500 €"],
        ["Total", "117 000 €", "111 910,50 €"],
    ]
    prose = [ln for ln in doc.pages[0].lines if ln.text.startswith(("Le tableau", "Les montants"))]
    assert len(prose) == 2 and not any(ln.in_table for ln in prose)


def test_table_split_over_two_pages_is_one_table_despite_furniture(tmp_path):
    doc = read(pdfgen.split_over_pages(tmp_path / "split.pdf"))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.pages == [1, 2] and t.n_rows == 9
    grid = t.grid()
    assert grid[0] == ["Mesure", "Prévisionnel", "Réalisé"]
    assert [r[0] for r in grid[1:]] == [f"Mesure numéro {i}" for i in range(1, 9)]
    assert grid[8] == ["Mesure numéro 8", "8 000 €", "8 500 €"]
    assert {c.page for c in t.cells if c.row == 8} == {2}


def test_text_layout_table_drops_letter_fragments_and_keeps_names_with_numbers(tmp_path):
    doc = read(pdfgen.text_layout_with_fragments(tmp_path / "t.pdf"))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.source == "text_layout"
    assert t.grid() == [
        ["Actions", "Coût total", "Part État", "Part CD"],
        ["Dispositif d'accompagnement renforcé des jeunes majeurs", "40 000 €", "20 000 €", "20 000 €"],
        ["Premier accueil", "10 000 €", "5 000 €", "5 000 €"],
        ["Plateforme Job 47", "136 000 €", "68 000 €", "68 000 €"],
        ["TOTAL", "186 000 €", "93 000 €", "93 000 €"],
    ]


def test_encrypted_pdf_is_a_clear_input_error(tmp_path):
    path = pdfgen.encrypted(tmp_path / "locked.pdf")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.reason == "encrypted PDF (password required)"
    assert str(path) in str(err.value)


def test_truncated_pdf_is_a_clear_input_error(tmp_path):
    path = pdfgen.truncated(tmp_path / "cut.pdf")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.reason.startswith("corrupt PDF")


def test_page_without_text_layer_is_flagged(tmp_path):
    doc = read(pdfgen.blank_page(tmp_path / "blank.pdf"))
    assert doc.page_count == 1 and not doc.pages[0].has_text_layer and doc.status == "ok"


def test_a_page_that_crashes_the_parser_is_recorded_and_the_others_kept(tmp_path, monkeypatch):
    path = pdfgen.split_over_pages(tmp_path / "split.pdf")
    from calpae.extract.pdf import reader as layout

    real = layout.page_words

    def flaky(page):
        if page.page_number == 2:
            raise ValueError("broken content stream")
        return real(page)

    monkeypatch.setattr(layout, "page_words", flaky)
    doc = read(path)
    assert doc.status == "partial" and doc.page_count == 3
    assert len(doc.errors) == 1 and "page 2" in doc.errors[0] and "broken content stream" in doc.errors[0]
    assert doc.pages[0].lines and not doc.pages[1].lines and doc.pages[2].lines


def test_every_page_crashing_is_an_input_error(tmp_path, monkeypatch):
    path = pdfgen.borderless(tmp_path / "b.pdf")
    from calpae.extract.pdf import reader as layout

    monkeypatch.setattr(layout, "page_words", lambda page: 1 / 0)
    with pytest.raises(InputError, match="no page could be read"):
        read(path)


def test_fast_text_pass_returns_one_text_per_page(tmp_path):
    texts = page_text_fast(pdfgen.split_over_pages(tmp_path / "split.pdf"))
    assert len(texts) == 3 and "Mesure numéro 7" in texts[1] and "Dernière page" in texts[2]


def test_table_finder_runs_only_on_pages_with_ruling_lines(tmp_path, monkeypatch):
    calls = []
    from calpae.extract.pdf import reader as pdf_tables

    orig = pdf_tables.ruled_tables
    monkeypatch.setattr(pdf_tables, "ruled_tables", lambda page, words, n: calls.append(n) or orig(page, words, n))
    pdf_reader.read_pdf(pdfgen.split_over_pages(tmp_path / "split.pdf"), Document(id="d", source="s", sha256="0"))
    assert calls == [1, 2]


# --- the shared corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def aude(corpus_pdf):
    return read(corpus_pdf("aude_2019"))


@pytest.fixture(scope="module")
def lot_2020(corpus_pdf):
    return read(corpus_pdf("lot_et_garonne_2020"))


def test_aude_report_budget_and_indicator_tables(aude):
    assert aude.page_count == 75 and aude.status == "ok"
    budget = [t for t in aude.tables if any(k in " ".join(t.grid()[0]) for k in ("Prévisionnel", "Réalisé"))]
    indicators = [t for t in aude.tables if "Indicateurs" in " ".join(t.grid()[0])]
    assert len(budget) == 20
    assert len(indicators) == 10
    assert [t.pages for t in budget if len(t.pages) > 1] == [[13, 14], [18, 19], [28, 29], [69, 70]]
    first = budget[0].grid()
    assert first == [
        ["", "Prévisionnel 2019"],
        ["Financement Etat (FALPAE)", "59.000 €"],
        ["Département", "59.000 €"],
        ["TOTAL", "118.000 €"],
    ]
    side_by_side = [t for t in budget if t.n_cols == 3]
    assert len(side_by_side) == 1 and side_by_side[0].pages == [69, 70] and side_by_side[0].n_rows == 4
    stamp = [ln for ln in aude.pages[13].lines if ln.text.startswith("ID : 011-")]
    assert stamp and not stamp[0].in_table


def test_lot_et_garonne_summary_table_is_one_table_with_13_actions(lot_2020):
    summary = [t for t in lot_2020.tables if "Part CD" in " ".join(t.grid()[0])]
    assert len(summary) == 1
    t = summary[0]
    assert t.source == "text_layout" and t.pages == [4, 5, 6] and t.n_cols == 4
    rows = amount_rows(t)
    at = next(k for k, r in enumerate(rows) if r[0] == "TOTAL")
    assert rows[at] == ["TOTAL", "1 936 652 €", "650 732 €", "742 977 €"]
    # below its total the summary accounts for it, the 542 943 carried over from 2019 included
    assert [r[:2] for r in rows[at + 1 :]] == [
        ["Participation État et Département 2020", "1 393 709 €"],
        ["Total hors report 2019", "1 393 709 €"],
        ["Report 2019", "542 943 €"],
        ["Total général", "1 936 652 €"],
    ]
    actions = rows[:at]
    assert len(actions) == 13
    assert any(r[0] == "Optimisation de la plateforme Job 47" and r[1] == "136 000 €" for r in actions)
    assert all(len(r[0]) > 10 and not r[0][:3].isupper() for r in actions)
    assert not any(frag in r[0].split() for r in t.grid() for frag in ("SO", "LE", "IL", "(C"))


# --- pypdfium2 geometry against pdfplumber's, text-layout PDFs, rows cut by a page break -------------------------


@pytest.mark.parametrize(
    "make", [pdfgen.ruled_with_spans, pdfgen.borderless, pdfgen.split_over_pages, pdfgen.shifted_media_box]
)
def test_pdfium_words_and_table_cells_match_pdfplumber(tmp_path, make):
    import pdfplumber
    import pypdfium2 as pdfium

    from calpae.extract.pdf.pages import page_words
    from calpae.extract.pdf.pdfium_words import PdfiumPage
    from calpae.extract.settings import TABLES

    path = make(tmp_path / "p.pdf")
    with pdfplumber.open(path) as plumb:
        pdf = pdfium.PdfDocument(str(path))
        assert len(plumb.pages) == len(pdf) >= 1
        for i, slow in enumerate(plumb.pages):
            fast = PdfiumPage(pdf[i], i + 1)
            a = sorted((w.text, w.font, w.size, w.bold, w.upright) for w in page_words(slow) if w.upright)
            b = sorted((w.text, w.font, w.size, w.bold, w.upright) for w in page_words(fast) if w.upright)
            assert a == b
            order = lambda ws: sorted((w for w in ws if w.upright), key=lambda w: (w.text, w.bbox.top, w.bbox.x0))  # noqa: E731
            for x, y in zip(order(page_words(slow)), order(page_words(fast)), strict=True):
                assert x.text == y.text
                # pdfminer gives '€' no width in the standard fonts (not in their width table); pdfium measures it
                keys = ("x0", "top", "bottom") if x.text.endswith("€") else ("x0", "x1", "top", "bottom")
                assert all(abs(getattr(x.bbox, k) - getattr(y.bbox, k)) < 0.6 for k in keys)
            cells = lambda ts: sorted(tuple(round(v, 1) for v in c) for t in ts for c in t.cells)  # noqa: E731
            assert cells(fast.find_tables(TABLES.ruled_finder)) == cells(slow.find_tables(TABLES.ruled_finder))
            fast.close()
        pdf.close()


def test_rotated_text_reads_in_its_own_direction(ruled):
    rotated = [w.text for ln in ruled.pages[0].lines for w in ln.words if not w.upright]
    assert rotated == ["SOCLE"]


def test_text_layout_action_table_is_one_table_with_its_columns(tmp_path):
    doc = read(pdfgen.text_layout_action_table(tmp_path / "a.pdf"))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.source == "text_layout" and t.pages == [1]
    assert t.grid() == [
        ["Postes", "Montants", "Part Etat", "Part Département"],
        ["Coordination du réseau", "20 000 €", "20 000 €", ""],
        ["Ateliers collectifs", "14 000 €", "4 000 €", "10 000 €"],
        ["Prestations d'accompagnement vers l'emploi des allocataires", "30 000 €", "30 000 €", ""],
        ["Total", "64 000 €", "54 000 €", "10 000 €"],
    ]
    assert all(c.page == 1 and c.line_no is None for c in t.cells)
    label = t.cell(3, 0)
    assert label.bbox is not None and label.bbox.bottom - label.bbox.top > 25  # the two wrapped lines
    assert t.cell(4, 3).bbox.x0 > t.cell(4, 2).bbox.x1
    prose = [ln for ln in doc.pages[0].lines if ln.text.startswith(("Budget prévu", "• Les ateliers"))]
    assert len(prose) == 2 and not any(ln.in_table for ln in prose)


def test_row_cut_by_page_break_is_one_row(tmp_path):
    doc = read(pdfgen.row_cut_by_page_break(tmp_path / "cut.pdf"))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.pages == [1, 2]
    assert t.grid() == [
        ["Mesure", "Indicateur", "Résultat"],
        ["Accueil", "Nombre de personnes reçues par", "120"],
        ["Orientation", "Délai moyen entre la demande et le premier rendez-vous", "35 jours"],
        ["Formation", "Agents formés", "14"],
    ]


@pytest.mark.parametrize(
    ("above", "tables"),
    [
        ("Action 6.2 : Épicerie sociale itinérante", [([1], 4, "Total"), ([2], 4, "Total")]),
        ("précarité énergétique", [([1, 2], 7, "Total")]),
    ],
)
def test_heading_over_a_repeated_header_starts_another_table(tmp_path, above, tables):
    """Over the header repeated at the top of page 2: a heading naming the next action starts a table of its own;
    words that carry on a cut label (lower-case) leave the table whole."""
    doc = read(pdfgen.actions_over_a_page_break(tmp_path / "actions.pdf", above))
    assert [(t.pages, t.n_rows, t.grid()[-1][0]) for t in doc.tables] == tables


def test_aude_indicator_row_cut_by_page_break_is_joined(aude):
    t = next(t for t in aude.tables if t.pages == [24, 25])
    texts = [r[1] for r in t.grid()]
    assert not any(x.startswith("l'accompagnement") for x in texts)
    assert any(x.endswith("dédié à l'accompagnement global") for x in texts)


def test_lot_et_garonne_action_tables_are_whole(lot_2020):
    fiche = [t for t in lot_2020.tables if any(r[0] == "Soutien aux projets" for r in t.grid())]
    assert len(fiche) == 2  # the body and its copy in the annex
    for t in fiche:
        grid = t.grid()
        assert grid[0] == ["Postes", "Montants", "Part Etat", "Part Département"]
        assert grid[1][:3] == ["Ingénierie des projets", "30 000 €", "30 000 €"]
        assert grid[-1][0] == "Total" and any("BDI" in r[0] for r in grid)
    assert {t.grid()[-1][1] for t in fiche} == {"192 746 €", "207 746 €"}


def test_borderless_header_words_over_the_column_they_start_in(tmp_path):
    doc = read(pdfgen.borderless_left_headers(tmp_path / "h.pdf"))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.source == "borderless"
    assert t.grid() == [
        ["Action", "Part de l'État", "Crédits affectés"],
        ["Premier accueil social", "12 000 €", "8 000 €"],
        ["Maraudes mixtes", "30 000 €", "20 000 €"],
        ["Total", "42 000 €", "28 000 €"],
    ]


def test_labels_at_another_size_stay_on_their_amounts_line(tmp_path):
    doc = read(pdfgen.borderless_mixed_sizes(tmp_path / "m.pdf"))
    assert len(doc.tables) == 1
    assert doc.tables[0].grid() == [
        ["Action", "Part État", "Part Département"],
        ["Accompagnement des", "40 000 €", "25 000 €"],
        ["Sous total 1", "40 000 €", "25 000 €"],
        ["Ateliers d'insertion", "12 000 €", "8 000 €"],
        ["Sous total 2", "12 000 €", "8 000 €"],
    ]


def test_page_with_rotate_entry_is_read_in_its_displayed_frame(tmp_path):
    doc = read(pdfgen.rotated_page(tmp_path / "rot.pdf"))
    page = doc.pages[0]
    assert page.rotation == 90 and (round(page.width), round(page.height)) == (842, 595)
    assert [ln.text for ln in page.lines] == [
        "Action Prévu 2021",
        "Maraudes mixtes 25 000 €",
        "Premier accueil 12 000 €",
        "Total 37 000 €",
    ]
    assert doc.tables and doc.tables[0].grid()[-1] == ["Total", "37 000 €"]


def test_pdfium_words_break_on_a_no_break_space_between_digits():
    """An office PDF (seed 149) groups its amounts' thousands with no-break spaces that pdfium does not report as
    chars: 1.5 points apart, '1' and '584' of '1 584 50|0 €' (wrapped in a narrow cell) joined into '1584', and the
    grand total was read '0 €'. Between two digits pdfium's generated space is the file's: the words are
    pdfplumber's, and the recap reads whole."""
    import pdfplumber
    import pypdfium2 as pdfium
    from _read_cache import budget_against_truth

    from calpae.extract.pdf.pages import page_words
    from calpae.extract.pdf.pdfium_words import PdfiumPage

    path = Path(__file__).parent / "fixtures" / "office" / "013-2019-convention.pdf"
    with pdfplumber.open(path) as plumb:
        slow = sorted(w.text for w in page_words(plumb.pages[2]))
    pdf = pdfium.PdfDocument(str(path))
    fast = sorted(w.text for w in page_words(PdfiumPage(pdf[2], 3)))
    pdf.close()
    assert "1584" not in fast and fast == slow
    assert budget_against_truth(path) == (105, 105, 105, {2, 3})
