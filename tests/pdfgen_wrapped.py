"""Small PDFs (reportlab) of tables whose cells wrap as a word processor wraps them in narrow columns."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

W, H = landscape(A4)
FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE = 8.0
LINE = 9.5  # points between two lines of one cell
NBSP = "\u00a0"


def _top(y: float) -> float:
    return H - y


def _cell(c: canvas.Canvas, lines: list[str], x: float, y: float, right: bool = False, bold: bool = False) -> None:
    """A cell's lines from y (distance from the top), left-aligned at x or right-aligned on x."""
    c.setFont(BOLD if bold else FONT, SIZE)
    for k, text in enumerate(lines):
        if right:
            c.drawRightString(x, _top(y + LINE * k), text)
        else:
            c.drawString(x, _top(y + LINE * k), text)


# amount columns: right edges (points) and their stacked headers, three lines each
RIGHTS = (330.0, 372.0, 414.0)
HEADS = (["Crédits", "État", "2021"], ["Crédits", "CD", "2021"], ["Total", "prévu", "2021"])


def wrapped_recap(path: Path) -> Path:
    """A recap with no inner rules: a theme column whose cell spans two action rows and their sub-total, an action
    column, three narrow amount columns where amounts written with no-break spaces wrap at any digit."""
    c = canvas.Canvas(str(path), pagesize=(W, H))
    c.setFont(BOLD, 12)
    c.drawString(60, _top(50), "Annexe – récapitulatif financier")
    _cell(c, ["Thème"], 60, 100, bold=True)
    _cell(c, ["Intitulé de l'action"], 160, 100, bold=True)
    for x, head in zip(RIGHTS, HEADS, strict=True):
        _cell(c, head, x - 30, 90, bold=True)
    rows = [
        (["Mobilité des", "allocataires"], ["12 34", "5 €"], ["1 50", "0 €"], ["13 84", "5 €"]),
        (["Garde d'enfants"], ["8 000", "€"], ["2 10", "0 €"], ["10 10", "0 €"]),
        (["Sous total"], ["20 34", "5 €"], ["3 60", "0 €"], ["23 94", "5 €"]),
    ]
    y = 125.0
    _cell(c, ["Insertion", "des", "allocataires", "du RSA"], 60, y)
    for label, *amounts in rows:
        _cell(c, label, 160, y, bold=label == ["Sous total"])
        for x, lines in zip(RIGHTS, amounts, strict=True):
            _cell(c, [t.replace(" ", NBSP) for t in lines], x, y, right=True)
        y += LINE * 2 + 6
    c.drawString(60, _top(y + 30), "Les montants sont arrêtés au 31 décembre 2021.")
    c.showPage()
    c.save()
    return path


def label_tail(path: Path) -> Path:
    """A table with one amount column whose rows stand a line apart: a label wraps after 'par le', its amount beside
    its first line."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont(BOLD, 10)
    c.drawString(72, height - 70, "Action 1.1 : Accompagnement des jeunes")
    c.setFont(FONT, 10)
    c.drawRightString(480, height - 95, "Au 31/12/2022")
    rows = [
        ("Dépenses exécutées sur la part financée par l'État", "72.157,38 €"),
        ("Dépenses exécutées sur la part financée par le", "85.000 €"),
        ("Département", None),
        ("Crédits à reprogrammer sur 2023 – part Département", "0 €"),
        ("Total", "157.157,38 €"),
    ]
    y = 112.0
    for label, amount in rows:
        c.drawString(72, height - y, label)
        if amount is not None:
            c.drawRightString(480, height - y, amount)
        y += 12.0
    c.drawString(72, height - y - 30, "Les dépenses sont arrêtées au 31 décembre 2022.")
    c.showPage()
    c.save()
    return path
