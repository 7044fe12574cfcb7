"""Text-export reader: lines, bold, pages, encodings, and tables (tab-separated, HTML, text layout)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from calpae.extract.numbers.parse import parse_number
from calpae.extract.tables.text_layout import split_header, trailing_amounts
from calpae.extract.text.reader import read_text
from calpae.models import Document, Table


def _read(tmp_path: Path, content: str | bytes, name: str = "doc.txt") -> Document:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    doc = Document(id="d" * 16, source=str(path), sha256="0" * 64)
    read_text(path, doc)
    return doc


def _tables(doc: Document, source: str) -> list[Table]:
    return [t for t in doc.tables if t.source == source]


def _amount(text: str) -> Decimal | None:
    parsed = parse_number(text)
    return parsed.value if parsed else None


# --- lines -------------------------------------------------------------------------------------------


def test_one_line_per_source_line_with_bold_and_superscripts(tmp_path):
    doc = _read(
        tmp_path, "Intro\n\n**Titre en gras\nsur deux lignes**\n<b>Autre titre</b>\nle 1^{er} janvier **mot** fin\n"
    )
    lines = doc.lines(include_furniture=True)
    assert [ln.line_no for ln in lines] == [1, 2, 3, 4, 5, 6]
    assert [ln.bold for ln in lines] == [False, False, True, True, True, False]
    assert lines[2].text == "Titre en gras"
    assert lines[4].text == "Autre titre"
    assert lines[5].text == "le 1er janvier mot fin"


def test_form_feeds_split_pages_and_keep_source_line_numbers(tmp_path):
    doc = _read(tmp_path, "a\nb\n\fc\nd\n\fe\n")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [(ln.page, ln.line_no, ln.text) for ln in doc.lines()] == [
        (1, 1, "a"),
        (1, 2, "b"),
        (2, 3, "c"),
        (2, 4, "d"),
        (3, 5, "e"),
    ]


def test_a_blank_last_page_counts_as_the_pdf_counts_it(tmp_path):
    """pdftotext ends every page with a form feed: a blank 9th page of a PDF is '\\f' after the 8th page's, and the
    export has the PDF's page count (copies of one document are told by equal page counts)."""
    doc = _read(tmp_path, "a\n\fb\n\f\f")
    assert (doc.page_count, [[ln.text for ln in p.lines] for p in doc.pages]) == (3, [["a"], ["b"], []])


def test_without_form_feed_one_page(tmp_path):
    doc = _read(tmp_path, "x\ny\n")
    assert len(doc.pages) == 1 and doc.page_count == 1


def test_cp1252_falls_back_with_a_note(tmp_path):
    doc = _read(tmp_path, "Département de l’Essai\n".encode("cp1252"))
    assert doc.lines()[0].text == "Département de l’Essai"
    assert doc.errors == [f"{tmp_path / 'doc.txt'}: not valid UTF-8 (byte 1); decoded as cp1252"]


def test_utf8_has_no_note(tmp_path):
    doc = _read(tmp_path, "\ufeffDépartement\n")
    assert doc.lines()[0].text == "Département" and doc.errors == []


def test_no_break_spaces_kept_inside_numbers_only(tmp_path):
    doc = _read(tmp_path, "Montant\u00a0: 12\u202f345\u00a0€\n")
    text = doc.lines()[0].text
    assert "12\u202f345" in text  # digit grouping survives for the number parser
    assert text.startswith("Montant :")
    assert _amount(text.split(":")[1]) == Decimal("12345")


# --- tab-separated tables ----------------------------------------------------------------------------


def test_tsv_table_with_header_title_and_cells(tmp_path):
    doc = _read(
        tmp_path,
        "Intro\n\nTableau des dépenses\n\tPrévu 2021\tFait 2021\nAchats\t1.500 €\t1.200 €\n"
        "Loyers\t800 €\t<i>750 €</i>\nTOTAL\t2.300 €\t1.950 €\n\nSuite du texte\n",
    )
    (t,) = _tables(doc, "tsv")
    assert (t.n_rows, t.n_cols, t.line_start, t.line_end) == (4, 3, 4, 7)
    assert t.title == "Tableau des dépenses"
    assert t.grid()[0] == ["", "Prévu 2021", "Fait 2021"]
    assert t.grid()[2] == ["Loyers", "800 €", "750 €"]
    assert t.cell(3, 2).line_no == 7
    flags = {ln.line_no: ln.in_table for ln in doc.lines()}
    assert [flags[i] for i in range(1, 10)] == [False, False, False, True, True, True, True, False, False]


def test_tsv_continues_across_blank_line_and_stamp_block(tmp_path):
    text = (
        "Indicateurs suivis\nNom\tValeur 2020\tValeur 2021\nAlpha\t12\t14\n\n"
        "Envoyé en préfecture le 02/03/2021\nReçu en préfecture le 02/03/2021\nAffiché le\n"
        "ID : 033-223300013-20210302-XYZ_12-DE\n\nBeta\t7\t9\n\nGamma\t3\t4\n"
    )
    doc = _read(tmp_path, text)
    (t,) = _tables(doc, "tsv")
    assert [r[0] for r in t.grid()] == ["Nom", "Alpha", "Beta", "Gamma"]
    assert t.cell(2, 1).line_no == 10 and t.line_end == 12


def test_tsv_repeated_header_after_furniture_is_one_table(tmp_path):
    text = "Nom\tNombre\nAlpha\t12\n\n12\n\nNom\tNombre\nBeta\t7\n"
    (t,) = _tables(_read(tmp_path, text), "tsv")
    assert [r[0] for r in t.grid()] == ["Nom", "Alpha", "Beta"]


def test_tsv_new_header_or_text_between_makes_two_tables(tmp_path):
    text = "Nom\tNombre\nAlpha\t12\n\nLibellé\tCommentaire\nBeta\tplus tard\n\nUn paragraphe.\nX\t1\n"
    tables = _tables(_read(tmp_path, text), "tsv")
    assert [t.n_rows for t in tables] == [2, 2, 1]
    assert tables[2].title == "Un paragraphe."


# --- HTML --------------------------------------------------------------------------------------------


def test_html_fragment_table_with_spans(tmp_path):
    text = (
        'Avant\n<table>\n<tr><th rowspan="2">Poste</th><th colspan="2">Année 2021</th></tr>\n'
        "<tr><th>Etat</th><th>CD</th></tr>\n<tr><td><b>Frais</b></td><td>1 000 €</td><td>2 000 €</td></tr>\n"
        "</table>\nAprès\n"
    )
    doc = _read(tmp_path, text)
    (t,) = _tables(doc, "html")
    assert (t.n_rows, t.n_cols, t.line_start, t.line_end) == (3, 3, 2, 6)
    assert t.grid() == [["Poste", "Année 2021", ""], ["", "Etat", "CD"], ["Frais", "1 000 €", "2 000 €"]]
    assert t.cell(0, 0).row_span == 2 and t.cell(0, 1).col_span == 2
    assert t.cell(2, 2).line_no == 5
    assert not doc.lines()[0].in_table and doc.lines()[1].in_table and not doc.lines()[-1].in_table


def test_inline_html_in_lines_and_cells(tmp_path):
    text = "<p>Un <u>paragraphe</u> et <i>rien</i></p>\nClé\t<ul><li>premier</li><li>second</li></ul>\n"
    doc = _read(tmp_path, text)
    assert doc.lines()[0].text == "Un paragraphe et rien"
    (t,) = _tables(doc, "tsv")
    assert "premier" in t.grid()[0][1] and "<" not in t.grid()[0][1]


def test_whole_html_file(tmp_path):
    text = (
        "<html><body>\n<p><b>Titre fort</b></p>\n<p>Texte simple</p>\n<table>\n"
        "<tr><td>A</td><td>5 €</td></tr>\n<tr><td>B</td><td>6 €</td></tr>\n</table>\n</body></html>\n"
    )
    doc = _read(tmp_path, text, name="page.html")
    assert doc.kind == "html"
    plain = [ln for ln in doc.lines() if not ln.in_table]
    assert [(ln.text, ln.line_no, ln.bold) for ln in plain] == [("Titre fort", 2, True), ("Texte simple", 3, False)]
    (t,) = _tables(doc, "html")
    assert t.grid() == [["A", "5 €"], ["B", "6 €"]] and t.cell(1, 1).line_no == 6


# --- text layout -------------------------------------------------------------------------------------

LAYOUT = """Le budget se répartit comme suit :




Opérations

Coût complet

des opérations

Apport État

2021

Apport CD

2021

XY
Z

WV


Ouverture d'un lieu d'accueil pour les

familles 90 000 € 40 000 € 50 000 €

Equipe mobile 30 000 € 15 000 € 15 000 €
Q
RS

tu

Achat de véhicules et frais

de carburant

12 000 € 6 000 € 6 000 €

Étude préalable sans financement

prévu cette année

TOTAL 132 000 € 61 000 € 71 000 €



Une phrase de conclusion qui remplit toute la ligne du document comme le ferait une prose.
"""


def test_text_layout_table_wrapped_labels_header_and_fragments(tmp_path):
    doc = _read(tmp_path, LAYOUT)
    (t,) = _tables(doc, "text_layout")
    grid = t.grid()
    assert t.n_cols == 4
    assert grid[0] == ["Opérations", "Coût complet des opérations", "Apport État 2021", "Apport CD 2021"]
    assert grid[1] == ["Ouverture d'un lieu d'accueil pour les familles", "90 000 €", "40 000 €", "50 000 €"]
    assert grid[2][0] == "Equipe mobile"
    assert grid[3] == ["Achat de véhicules et frais de carburant", "12 000 €", "6 000 €", "6 000 €"]
    assert grid[4] == ["Étude préalable sans financement prévu cette année", "", "", ""]
    assert grid[5] == ["TOTAL", "132 000 €", "61 000 €", "71 000 €"]
    words = {w for r in grid for w in r[0].split()}
    assert not {"XY", "Z", "WV", "Q", "RS", "tu"} & words
    assert t.title == "Le budget se répartit comme suit :"
    assert t.cell(3, 1).line_no == 40 and t.cell(3, 0).line_no == 36
    in_table = {ln.line_no for ln in doc.lines() if ln.in_table}
    assert 1 not in in_table and 6 in in_table and 46 in in_table and 50 not in in_table


def test_text_layout_header_on_one_line_and_amounts_on_their_own_lines(tmp_path):
    text = (
        "Dépenses prévues pour l'année : 50 000 €\n\nPostes Montants Part Etat Part CD\n\n"
        "Ingénierie de\nl'action\n\n30 000 € 15 000 € 15 000 €\n"
        "Matériel\n20 000 €\n20 000 €\nTotal 50 000 € 15 000 € 35 000 €\n"
    )
    (t,) = _tables(_read(tmp_path, text), "text_layout")
    assert t.grid() == [
        ["Postes", "Montants", "Part Etat", "Part CD"],
        ["Ingénierie de l'action", "30 000 €", "15 000 €", "15 000 €"],
        ["Matériel", "20 000 €", "20 000 €", ""],
        ["Total", "50 000 €", "15 000 €", "35 000 €"],
    ]
    assert t.title == "Dépenses prévues pour l'année : 50 000 €"


def test_prose_with_amounts_is_not_a_table(tmp_path):
    text = (
        "Le Département a consacré cette année une somme importante à cette action, soit 40 000 €.\n"
        "Une seconde phrase longue qui ne contient aucune donnée chiffrée mais remplit la ligne.\n"
        "Le coût complet est de 12 000 € pour la première tranche et de 8 000 € ensuite.\n"
    )
    assert _tables(_read(tmp_path, text), "text_layout") == []


def test_trailing_amounts_keeps_years_and_names_in_label():
    am = trailing_amounts("Total de l'année 2020 650 732")
    assert am is not None and am.label == "Total de l'année 2020" and am.amounts == ["650 732"]
    assert trailing_amounts("reports 2019") is None
    assert trailing_amounts("Taux atteint 45 %") is None


def test_split_header_binds_repeated_heads_and_pads_missing_label():
    assert split_header(["Postes Montants Part Etat Part CD"], 4) == ["Postes", "Montants", "Part Etat", "Part CD"]
    assert split_header(["Part Etat", "2021", "Part CD", "2021"], 3) == ["", "Part Etat 2021", "Part CD 2021"]


# --- seeds -------------------------------------------------------------------------------------------


def test_seed_aude_tab_tables(seed, tmp_path):
    path = seed("aude_2019")
    doc = Document(id="s" * 16, source=str(path), sha256="0" * 64)
    read_text(path, doc)
    tsv = _tables(doc, "tsv")
    assert len(tsv) == 38
    assert not _tables(doc, "text_layout")
    first = tsv[0]
    assert first.grid() == [
        ["", "Prévisionnel 2019"],
        ["Financement Etat (FALPAE)", "59.000 €"],
        ["Département", "59.000 €"],
        ["TOTAL", "118.000 €"],
    ]
    assert first.title.startswith("1.1.5.1.")
    executed = tsv[1]
    assert executed.cell(1, 1).text == "1.002.884,00 €" and executed.cell(4, 0).text == "TOTAL"
    indicators = tsv[2]  # continued across a blank line: one table of 7 rows
    assert indicators.n_rows == 7 and indicators.n_cols == 5
    assert indicators.cell(0, 0).text == "Nom de la Mesure"
    assert all("<" not in c.text for t in tsv for c in t.cells)
    money = [t for t in tsv if t.n_cols == 2 and any("€" in c.text for c in t.cells)]
    assert len(money) >= 19


def test_seed_lot_et_garonne_summary_table(seed):
    path = seed("lot_et_garonne_2020")
    doc = Document(id="s" * 16, source=str(path), sha256="0" * 64)
    read_text(path, doc)
    layout = _tables(doc, "text_layout")
    summary = next(t for t in layout if any(_amount(c.text) == Decimal("1936652") for c in t.cells) and t.n_cols == 4)
    grid = summary.grid()
    body = grid[1:]
    at = next(k for k, r in enumerate(body) if r[0] == "TOTAL")
    actions = [r for r in body[:at] if any(r[1:])]
    assert len(actions) == 13
    assert [_amount(x) for x in body[at][1:]] == [Decimal("1936652"), Decimal("650732"), Decimal("742977")]
    # below its total, the summary accounts for it: 1 936 652 = 650 732 + 742 977 + the 542 943 carried over
    assert [(r[0], _amount(r[1])) for r in body[at + 1 :]] == [
        ("Participation État et Département 2020", Decimal("1393709")),
        ("Total hors report 2019", Decimal("1393709")),
        ("Report 2019", Decimal("542943")),
        ("Total général", Decimal("1936652")),
    ]
    assert grid[0][0] == "Actions" and grid[0][3] == "Part CD 2020" and "2019" in grid[0][1]
    for row in body:
        words = row[0].split()
        assert not {"SO", "C", "LE", "IL", "(C", "ré"} & set(words), row[0]
    assert sum(_amount(r[1]) for r in actions if _amount(r[1]) is not None) > 0
    carried = [t for t in layout if any(_amount(c.text) == Decimal("542943") for c in t.cells)]
    assert carried  # the carry-over appears in a table next to the summary
    per_action = [t for t in layout if t.n_cols == 4 and t.grid()[0][1:] and "Part Etat" in t.grid()[0]]
    assert len(per_action) >= 10
