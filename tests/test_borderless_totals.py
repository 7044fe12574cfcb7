"""Borderless tables whose grand-total row is packed tight: in a narrow column one amount's '€' touches the next
amount's first digit, and the word finder glues them ('€2'); the row must still give every cell."""

from __future__ import annotations

from pathlib import Path

from pdfgen import table_grids
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from calpae.extract.geometry.words import split_glued_units
from calpae.models import BBox, Word

FONT, BOLD = "Helvetica", "Helvetica-Bold"
W, H = landscape(A4)
SIZE = 7.5

ROWS = [  # number, label, amounts (État, CD, autres, total)
    ("1.1", "Accueil de jour des familles", ["120 000 €", "95 500 €", "12 000 €", "227 500 €"]),
    ("2.1", "Équipes mobiles de proximité", ["88 250,40 €", "60 000 €", "12 000 €", "160 250,40 €"]),
    ("3.1", "Référents de parcours", ["41 000 €", "39 500 €", "12 000 €", "92 500 €"]),
]
TOTAL = ["249 250,40 €", "195 000 €", "36 000 €", "480 250,40 €"]
GRAND = ["1 249 250,40 €", "1 195 000 €", "36 000 €", "2 480 250,40 €"]


def _rights() -> list[float]:
    """Right edges of the amount columns, each a point narrower than the grand-total amount it holds: the '€' of
    one cell (as pdfium boxes it) overlaps the next cell's first digit."""
    rights, x = [], 300.0
    for text in GRAND:
        x += stringWidth(text, BOLD, SIZE) - 1.0
        rights.append(x)
    return rights


def packed_grand_total(path: Path) -> Path:
    """A landscape borderless table: number and label columns, four amount columns, sub-total and a bold grand
    total whose label stands in the label column and whose amounts fill their columns edge to edge."""
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    rights = _rights()
    c.setFont(BOLD, 10)
    c.drawString(60, H - 60, "Tableau récapitulatif de l'exécution")
    c.setFont(BOLD, SIZE)
    c.drawString(60, H - 90, "N°")
    c.drawString(95, H - 90, "Intitulé de l'action")
    for right, head in zip(rights, ["État", "CD", "Autres", "Total"], strict=False):
        c.drawRightString(right, H - 90, head)
    y = H - 108
    for number, label, amounts in ROWS:
        c.setFont(FONT, SIZE)
        c.drawString(60, y, number)
        c.drawString(95, y, label)
        for right, text in zip(rights, amounts, strict=False):
            c.drawRightString(right, y, text)
        y -= 16
    for label, amounts in [("Sous total", TOTAL), ("TOTAL GÉNÉRAL", GRAND)]:
        c.setFont(BOLD, SIZE)
        c.drawString(95, y, label)
        for right, text in zip(rights, amounts, strict=False):
            c.drawRightString(right, y, text)
        y -= 16
    c.setFont(FONT, 10)
    c.drawString(60, y - 20, "Les montants sont arrêtés à la clôture de l'exercice.")
    c.showPage()
    c.save()
    return path


def test_glued_unit_and_digit_are_two_words():
    w = Word(text="€2", bbox=BBox(x0=100.0, top=10.0, x1=108.0, bottom=18.0), size=8.0)
    a, b = split_glued_units([w])
    assert (a.text, b.text) == ("€", "2")
    assert a.bbox.x0 == 100.0 and a.bbox.x1 == b.bbox.x0 == 104.0 and b.bbox.x1 == 108.0
    kept = [Word(text=t, bbox=BBox(x0=0, top=0, x1=5, bottom=5)) for t in ["2€", "€", "12,5%", "€uro"]]
    assert [x.text for x in split_glued_units(kept)] == ["2€", "€", "12,5%", "€uro"]


def test_the_pdf_really_glues_the_grand_total_words(tmp_path):
    """The layout the fix is for: without the split, the word finder gives '€1' and '€2' words on the total row."""
    import pypdfium2

    from calpae.extract.pdf.pdfium_words import pdfium_page_words

    pdf = pypdfium2.PdfDocument(str(packed_grand_total(tmp_path / "raw.pdf")))
    try:
        words = [w.text for w in pdfium_page_words(pdf[0])]
    finally:
        pdf.close()
    assert "€1" in words and "€2" in words, words


def test_packed_grand_total_row_keeps_every_cell(tmp_path):
    grids = [g for s, g in table_grids(packed_grand_total(tmp_path / "t.pdf")) if s == "borderless"]
    assert len(grids) == 1, grids
    grid = grids[0]
    assert grid[0] == ["N°", "Intitulé de l'action", "État", "CD", "Autres", "Total"]
    assert grid[-1] == ["", "TOTAL GÉNÉRAL", *GRAND]
    assert grid[-2] == ["", "Sous total", *TOTAL]
    assert [r[0] for r in grid[1:4]] == [n for n, _, _ in ROWS]


EXECUTED = [
    ("Dépenses payées sur la part de l'État", "98.589,35 €"),
    ("Crédits reportés sur l'an prochain", "30.656,36 €"),
    ("Dépenses payées par le Département", "108.408,54 €"),
    ("Total", "237.654,25 €"),
]


def two_executed_tables(path: Path) -> Path:
    """Two one-column executed tables one below the other, same columns, each under its action's title and the
    same short header; the second title is long and runs on past the header's left edge."""
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 80
    for title in ["Action 4.1 : Diagnostics", "Action 4.2 : Adaptation du logiciel de gestion des allocataires du RSA"]:
        c.setFont(BOLD, 9)
        c.drawString(60, y, title)
        c.drawString(320, y - 18, "Au 31/12/2021")
        y -= 34
        for label, amount in EXECUTED:
            c.setFont(BOLD if label == "Total" else FONT, 9)
            c.drawString(64, y, label)
            c.drawRightString(428, y, amount)
            y -= 16
        y -= 20
    c.setFont(FONT, 10)
    c.drawString(60, y, "Les dépenses sont arrêtées au 31 décembre.")
    c.showPage()
    c.save()
    return path


def test_a_title_running_past_the_header_does_not_glue_two_tables(tmp_path):
    grids = [g for s, g in table_grids(two_executed_tables(tmp_path / "two.pdf")) if s == "borderless"]
    expected = [["", "Au 31/12/2021"]] + [[label, amount] for label, amount in EXECUTED]
    assert grids == [expected, expected]
