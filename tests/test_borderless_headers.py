"""Borderless tables with rotated header cells, centred amounts beside wrapped labels, and a number column."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from calpae.extract import read_document
from calpae.extract.tables.bands import Band, assign_rows, blocks
from calpae.models import BBox, Word

FONT, BOLD = "Helvetica", "Helvetica-Bold"
LEAD = 9.5  # line pitch inside a cell
PAD = 7.0  # extra space between two rows

ROWS = [  # number, label lines, amounts (one per amount column)
    (
        "1.1",
        ["Premier accueil des jeunes", "sortant de la protection", "de l'enfance"],
        ["12 000 €", "3 500,50 €", "15 500,50 €"],
    ),
    ("", ["Sous total 1"], ["12 000 €", "3 500,50 €", "15 500,50 €"]),
    ("2.1", ["Formation des travailleurs", "sociaux du territoire"], ["8 000 €", "0 €", "8 000 €"]),
    ("2.2", ["Référents de parcours"], ["4 250 €", "1 000 €", "5 250 €"]),
    ("", ["TOTAL GÉNÉRAL"], ["24 250 €", "4 500,50 €", "28 750,50 €"]),
]


def _vertical(c: canvas.Canvas, x: float, y_bottom: float, lines: list[str], size: float = 7.0) -> None:
    """Header text written bottom to top, one vertical line per entry, left to right."""
    c.setFont(BOLD, size)
    for k, text in enumerate(lines):
        c.saveState()
        c.translate(x + k * (size + 2), y_bottom)
        c.rotate(90)
        c.drawString(0, 0, text)
        c.restoreState()


def _vertical_down(c: canvas.Canvas, x: float, y_bottom: float, lines: list[str], size: float = 7.0) -> None:
    """Header text written top to bottom (turned clockwise): the first vertical line is the rightmost."""
    c.setFont(BOLD, size)
    for k, text in enumerate(lines):
        c.saveState()
        c.translate(x + (len(lines) - 1 - k) * (size + 2) + size, y_bottom + 110)
        c.rotate(-90)
        c.drawString(0, 0, text)
        c.restoreState()


def _table(
    path: Path, pagesize: tuple[float, float], headers: list[list[str]], col_right: list[float], vertical=_vertical
) -> Path:
    """A borderless table: upright label headers, rotated amount headers, amounts centred beside their label."""
    w, h = pagesize
    c = canvas.Canvas(str(path), pagesize=pagesize)
    c.setFont(BOLD, 12)
    c.drawString(60, h - 60, "Tableau de suivi des crédits")
    c.setFont(FONT, 10)
    c.drawString(60, h - 80, "Le tableau ci-dessous récapitule les montants par action du plan.")
    head_bottom = h - 200
    c.setFont(BOLD, 7)
    c.drawString(60, head_bottom + 40, "Fiche")
    c.drawString(60, head_bottom + 32, "N°")
    c.drawString(95, head_bottom + 36, "Libellé de l'action")
    for right, lines in zip(col_right, headers, strict=False):
        vertical(c, right - 20, head_bottom, lines)
    y = head_bottom - 18  # top of the first row
    for number, label, amounts in ROWS:
        font = BOLD if not number else FONT
        height = len(label) * LEAD
        mid = y - height / 2
        c.setFont(font, 8)
        for k, text in enumerate(label):
            c.drawString(95, y - 8 - k * LEAD, text)
        if number:
            c.drawString(60, mid - 3, number)
        c.setFont(font, 7)
        for right, amount in zip(col_right, amounts, strict=False):
            c.drawRightString(right, mid - 3, amount)
        y -= height + PAD
    c.setFont(FONT, 10)
    c.drawString(60, y - 20, "Les montants sont exprimés en euros et arrêtés au 31 décembre.")
    c.showPage()
    c.save()
    return path


def _grid(path: Path) -> tuple[list[str], list[list[str]]]:
    doc = read_document(path, ocr="never")
    tables = [t for t in doc.tables if t.source == "borderless"]
    assert len(tables) == 1, [t.source for t in doc.tables]
    t = tables[0]
    grid = [["" for _ in range(t.n_cols)] for _ in range(t.n_rows)]
    for cell in t.cells:
        grid[cell.row][cell.col] = cell.text
    return grid[0], grid[1:]


HEADERS = [["A Crédits État versés en 2021"], ["B Crédits reportés sur 2021"], ["C Budget total 2021 (A+B)"]]


def test_landscape_rotated_headers_give_full_column_labels(tmp_path):
    size = landscape(A4)
    head, body = _grid(_table(tmp_path / "l.pdf", size, HEADERS, [330, 420, 510]))
    assert head == [
        "Fiche N°",
        "Libellé de l'action",
        "A Crédits État versés en 2021",
        "B Crédits reportés sur 2021",
        "C Budget total 2021 (A+B)",
    ]
    assert [r[:2] for r in body] == [
        ["1.1", "Premier accueil des jeunes sortant de la protection de l'enfance"],
        ["", "Sous total 1"],
        ["2.1", "Formation des travailleurs sociaux du territoire"],
        ["2.2", "Référents de parcours"],
        ["", "TOTAL GÉNÉRAL"],
    ]
    assert body[0][2:] == ["12 000 €", "3 500,50 €", "15 500,50 €"]
    assert body[2][2:] == ["8 000 €", "0 €", "8 000 €"]


def test_portrait_rotated_header_wrapped_over_two_vertical_lines(tmp_path):
    headers = [["A Participation de l'État"], ["B Crédits reportés de", "l'exercice précédent"], ["C Total"]]
    head, body = _grid(_table(tmp_path / "p.pdf", A4, headers, [330, 420, 510]))
    assert head[2:] == ["A Participation de l'État", "B Crédits reportés de l'exercice précédent", "C Total"]
    assert body[1][1] == "Sous total 1" and body[1][2:] == ["12 000 €", "3 500,50 €", "15 500,50 €"]
    assert body[4][1:] == ["TOTAL GÉNÉRAL", "24 250 €", "4 500,50 €", "28 750,50 €"]


def test_table_lines_are_flagged_and_prose_is_not(tmp_path):
    doc = read_document(_table(tmp_path / "f.pdf", A4, HEADERS, [330, 420, 510]), ocr="never")
    lines = doc.pages[0].lines
    assert all(ln.in_table for ln in lines if "Premier accueil" in ln.text or "Sous total" in ln.text)
    assert not any(ln.in_table for ln in lines if ln.text.startswith(("Le tableau", "Les montants")))


def test_budget_stage_reads_roles_from_rotated_labels(tmp_path):
    from calpae.pipeline import extract_document

    ext = extract_document(_table(tmp_path / "b.pdf", landscape(A4), HEADERS, [330, 420, 510]))
    got = {(ln.row_label, ln.column_label, ln.role, str(ln.amount)) for ln in ext.budget_lines}
    # the budget stage joins the label columns (number + wording), as it does for ruled tables
    assert ("2.1 Formation des travailleurs sociaux du territoire", "B Crédits reportés sur 2021", "report", "0") in got
    assert ("TOTAL GÉNÉRAL", "C Budget total 2021 (A+B)", "total", "28750.50") in got
    assert len(got) == 15


def test_top_to_bottom_rotated_headers_read_in_their_own_direction(tmp_path):
    headers = [["A Participation de l'État"], ["B Crédits reportés de", "l'exercice précédent"], ["C Total"]]
    head, body = _grid(_table(tmp_path / "d.pdf", A4, headers, [330, 420, 510], vertical=_vertical_down))
    assert head[2:] == ["A Participation de l'État", "B Crédits reportés de l'exercice précédent", "C Total"]
    assert body[4][1:] == ["TOTAL GÉNÉRAL", "24 250 €", "4 500,50 €", "28 750,50 €"]


def test_rotated_words_record_their_reading_direction(tmp_path):
    up = read_document(_table(tmp_path / "u.pdf", A4, HEADERS, [330, 420, 510]), ocr="never")
    down = read_document(_table(tmp_path / "v.pdf", A4, HEADERS, [330, 420, 510], vertical=_vertical_down), ocr="never")

    def turns(doc):
        return {w.rotation for p in doc.pages for ln in p.lines for w in ln.words if not w.upright}

    assert turns(up) == {90} and turns(down) == {270}
    assert {w.rotation for p in up.pages for ln in p.lines for w in ln.words if w.upright} == {0}


def _w(top: float, bottom: float) -> Word:
    return Word(text="x", bbox=BBox(x0=10, top=top, x1=20, bottom=bottom), size=8.0)


def test_blocks_split_on_row_padding_and_refuse_two_amount_lines_in_one_block():
    words = [_w(100, 108), _w(109.5, 117.5), _w(125, 133)]  # two lines of one cell, then a new row
    bands = blocks(words, 1)
    assert [(b.top, b.bottom) for b in bands] == [(100, 117.5), (125, 133)]
    assert [b.row for b in assign_rows(bands, [(1, 110.0), (1, 129.0)])] == [0, 1]
    fresh = blocks(words, 1)
    assert assign_rows(fresh, [(1, 104.0), (1, 113.0)]) is None  # packed rows: the line logic decides
    lone = assign_rows([Band(page=1, top=100, bottom=108, words=[_w(100, 108)])], [(1, 104.0), (1, 150.0)])
    assert lone is not None and [b.row for b in lone] == [0, 1]
