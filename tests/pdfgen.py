"""Small PDFs made with reportlab for the PDF reader tests: each layout the reader must handle."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

W, H = A4
FONT, BOLD = "Helvetica", "Helvetica-Bold"


def _top(y: float) -> float:
    """reportlab y (from the bottom) for a distance from the top of the page."""
    return H - y


def _grid(c: canvas.Canvas, xs: list[float], ys: list[float], skip_v: set[tuple[int, int]] = frozenset()) -> None:
    """Ruling lines of a grid; ys are distances from the top; skip_v = (row, x index) vertical segments left out."""
    for y in ys:
        c.line(xs[0], _top(y), xs[-1], _top(y))
    for r in range(len(ys) - 1):
        for k, x in enumerate(xs):
            if (r, k) not in skip_v:
                c.line(x, _top(ys[r]), x, _top(ys[r + 1]))


def _furniture(c: canvas.Canvas, page: int) -> None:
    """A running header, a stamp line and a page-number footer, as on every page of a real report."""
    c.setFont(FONT, 7)
    c.drawString(72, _top(30), "Transmis au contrôle de légalité le 02/03/2021")
    c.drawString(72, _top(40), "ID : 099-229900009-20210302-TEST-DE")
    c.drawRightString(W - 72, _top(30), "Rapport annuel d'exécution")
    c.drawCentredString(W / 2, 30, f"Page {page}")


def _text_lines(path: Path, lines: list[str], step: float) -> Path:
    """One A4 page of plain text lines, `step` points apart, from the top left: layouts with no drawn geometry."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10)
    for k, text in enumerate(lines):
        c.drawString(72, _top(70 + step * k), text)
    c.showPage()
    c.save()
    return path


def ruled_with_spans(path: Path) -> Path:
    """A ruled table: a header cell spanning two columns, a rotated group cell spanning the data rows."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(BOLD, 11)
    c.drawString(72, _top(80), "Tableau 1 : financement par action")
    xs, ys = [72, 100, 300, 400, 500], [100, 120, 140, 160, 180, 200]
    # "Action" covers rows 0-1 x cols 0-1; "Montants 2020" row 0 x cols 2-3; the group cell col 0 x rows 2-4
    skip_v = {(0, 1), (1, 1), (0, 3)}
    skip_h = {(1, 0), (1, 1), (3, 0), (4, 0)}  # (y index, column) horizontal segments left out
    for j, y in enumerate(ys):
        for k in range(len(xs) - 1):
            if (j, k) not in skip_h:
                c.line(xs[k], _top(y), xs[k + 1], _top(y))
    for r in range(len(ys) - 1):
        for k, x in enumerate(xs):
            if (r, k) not in skip_v:
                c.line(x, _top(ys[r]), x, _top(ys[r + 1]))
    c.setFont(FONT, 9)
    c.drawString(76, _top(134), "Action")
    c.drawString(360, _top(114), "Montants 2020")
    c.drawString(304, _top(134), "Part État")
    c.drawString(404, _top(134), "Part Département")
    rows = [
        ("Accueil social", "10 000 €", "12 500 €"),
        ("Référent de parcours", "4 000 €", "4 000 €"),
        ("Formation", "1 500 €", "2 500 €"),
    ]
    for i, (label, a, b) in enumerate(rows):
        y = 154 + 20 * i
        c.drawString(104, _top(y), label)
        c.drawRightString(396, _top(y), a)
        c.drawRightString(496, _top(y), b)
    c.saveState()
    c.translate(90, _top(195))
    c.rotate(90)
    c.drawString(0, 0, "SOCLE")
    c.restoreState()
    c.showPage()
    c.save()
    return path


def borderless(path: Path) -> Path:
    """A borderless table: right-aligned amount columns, labels wrapping onto a second line, prose around."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(72, _top(70), "Le tableau ci-dessous présente les dépenses de l'année par action engagée.")
    c.setFont(BOLD, 10)
    c.drawString(72, _top(100), "Action")
    c.drawRightString(400, _top(100), "Prévu 2021")
    c.drawRightString(520, _top(100), "Réalisé 2021")
    c.setFont(FONT, 10)
    y = 120
    rows = [
        (["Maraudes mixtes"], "25 000 €", "23 410,50 €", 0),
        (["Accompagnement des jeunes sortant", "de l'aide sociale à l'enfance"], "80 000 €", "79 000 €", 0),
        (["Aide à la mobilité des", "allocataires en insertion"], "12 000 €", "9 500 €", 1),
        (["Total"], "117 000 €", "111 910,50 €", 0),
    ]
    for labels, a, b, at in rows:
        for k, text in enumerate(labels):
            c.drawString(72, _top(y + 13 * k), text)
        c.drawRightString(400, _top(y + 13 * at), a)
        c.drawRightString(520, _top(y + 13 * at), b)
        y += 13 * len(labels) + 8
    c.drawString(72, _top(y + 20), "Les montants réalisés tiennent compte des reports de l'exercice précédent.")
    c.showPage()
    c.save()
    return path


def split_over_pages(path: Path) -> Path:
    """A ruled table that starts at the bottom of page 1 and goes on at the top of page 2 (header repeated)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    header = ("Mesure", "Prévisionnel", "Réalisé")
    xs = [72, 300, 420, 520]
    body = [(f"Mesure numéro {i}", f"{i} 000 €", f"{i} 500 €") for i in range(1, 9)]
    parts = [(1, 640, body[:5]), (2, 60, body[5:])]
    for page, start, rows in parts:
        _furniture(c, page)
        c.setFont(FONT, 10)
        if page == 1:
            for k in range(30):
                c.drawString(
                    72, _top(80 + 18 * k), f"Ligne de texte courant numéro {k} du rapport."
                ) if 80 + 18 * k < start - 20 else None
        all_rows = [header] + rows
        ys = [start + 20 * i for i in range(len(all_rows) + 1)]
        _grid(c, xs, ys)
        for i, row in enumerate(all_rows):
            y = ys[i] + 14
            c.drawString(76, _top(y), row[0])
            c.drawRightString(416, _top(y), row[1])
            c.drawRightString(516, _top(y), row[2])
        if page == 2:
            c.drawString(72, _top(ys[-1] + 30), "Suite du rapport après le tableau.")
        c.showPage()
    _furniture(c, 3)
    c.setFont(FONT, 10)
    c.drawString(72, _top(100), "Dernière page du rapport.")
    c.showPage()
    c.save()
    return path


def text_layout_with_fragments(path: Path) -> Path:
    """A table with no geometry: label then amounts on one line, rotated text left as stacked fragments."""
    lines = [
        "Le budget pour l'année se répartit ainsi :",
        "Actions",
        "Coût total",
        "Part État",
        "Part CD",
        "SO",
        "C",
        "LE",
        "Dispositif d'accompagnement renforcé des",
        "jeunes majeurs 40 000 € 20 000 € 20 000 €",
        "Premier accueil 10 000 € 5 000 € 5 000 €",
        "C",
        "IL",
        "Plateforme Job 47 136 000 € 68 000 € 68 000 €",
        "TOTAL 186 000 € 93 000 € 93 000 €",
        "Le reste du document décrit chaque action.",
    ]
    return _text_lines(path, lines, 16)


def encrypted(path: Path) -> Path:
    """A PDF that needs a user password."""
    c = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    c.drawString(72, _top(72), "Contenu protégé.")
    c.showPage()
    c.save()
    return path


def truncated(path: Path) -> Path:
    """A valid PDF cut in half, as after an interrupted download."""
    ok = borderless(path.with_name(path.stem + "-full.pdf"))
    data = ok.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def blank_page(path: Path) -> Path:
    """A one-page PDF with no text at all (a scan would look like this to the text layer)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(100, 100, 200, 200)
    c.showPage()
    c.save()
    return path


def text_layout_action_table(path: Path) -> Path:
    """A per-action table laid out as text: header on one line, rows missing a part, a label wrapping onto two
    lines with its amount alone on the next line, and a total row; prose above and below."""
    lines = [
        "Budget prévu pour cette action en 2021 : 64 000 €",
        "Postes Montants Part Etat Part Département",
        "Coordination du réseau 20 000 € 20 000 €",
        "Ateliers collectifs 14 000 € 4 000 € 10 000 €",
        "Prestations d'accompagnement",
        "vers l'emploi des allocataires",
        "30 000 €",
        " 30 000 €",
        "Total 64 000 € 54 000 € 10 000 €",
        "• Les ateliers se tiennent dans chaque territoire d'action sociale du département.",
    ]
    return _text_lines(path, lines, 20)


def row_cut_by_page_break(path: Path) -> Path:
    """A ruled table whose last row on page 1 goes on, in its text column only, at the top of page 2."""
    c = canvas.Canvas(str(path), pagesize=A4)
    xs = [72, 170, 470, 540]
    header = ("Mesure", "Indicateur", "Résultat")
    parts = [
        (
            1,
            700,
            [
                header,
                ("Accueil", "Nombre de personnes reçues par", "120"),
                ("Orientation", "Délai moyen entre la demande et", "35 jours"),
            ],
        ),
        (2, 60, [header, ("", "le premier rendez-vous", ""), ("Formation", "Agents formés", "14")]),
    ]
    for page, start, rows in parts:
        c.setFont(FONT, 10)
        if page == 1:
            for k in range(20):
                c.drawString(72, _top(80 + 18 * k), f"Paragraphe d'introduction, ligne {k}.")
        ys = [start + 20 * i for i in range(len(rows) + 1)]
        _grid(c, xs, ys)
        for i, row in enumerate(rows):
            for x, text in zip(xs, row, strict=False):
                c.drawString(x + 4, _top(ys[i] + 14), text)
        if page == 2:
            c.drawString(72, _top(ys[-1] + 30), "Fin du tableau des indicateurs.")
        c.showPage()
    c.save()
    return path


def borderless_left_headers(path: Path) -> Path:
    """A borderless table whose header words are left-aligned at the start of each column, amounts right-aligned."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(72, _top(70), "Répartition des crédits de l'exercice entre les financeurs de chaque action.")
    edges, starts = [300, 430], [215, 310]
    c.drawString(72, _top(100), "Action")
    for x, words in zip(starts, (["Part", "de", "l'État"], ["Crédits", "affectés"]), strict=False):
        c.drawString(x, _top(100), " ".join(words))
    rows = [
        ("Premier accueil social", "12 000 €", "8 000 €"),
        ("Maraudes mixtes", "30 000 €", "20 000 €"),
        ("Total", "42 000 €", "28 000 €"),
    ]
    for i, (label, a, b) in enumerate(rows):
        y = 120 + 16 * i
        c.drawString(72, _top(y), label)
        c.drawRightString(edges[0], _top(y), a)
        c.drawRightString(edges[1], _top(y), b)
    c.drawString(72, _top(200), "Les crédits affectés sont votés chaque année par l'assemblée départementale.")
    c.showPage()
    c.save()
    return path


def borderless_mixed_sizes(path: Path) -> Path:
    """A borderless table where total labels are set larger than their amounts (baselines 2.5 pt apart) and a
    wrapped label line ends on 'des' before its far-away amounts."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(72, _top(70), "Tableau des crédits prévus pour l'année, par action et par financeur.")
    c.drawString(72, _top(100), "Action")
    c.drawRightString(380, _top(100), "Part État")
    c.drawRightString(500, _top(100), "Part Département")
    rows = [
        ("Accompagnement des", "40 000 €", "25 000 €", 7, 0.0),
        ("Sous total 1", "40 000 €", "25 000 €", 9, 2.5),
        ("Ateliers d'insertion", "12 000 €", "8 000 €", 7, 0.0),
        ("Sous total 2", "12 000 €", "8 000 €", 9, 2.5),
    ]
    y = 122
    for label, a, b, size, shift in rows:
        c.setFont(BOLD if size == 9 else FONT, size)
        c.drawString(72, _top(y + shift), label)
        c.setFont(FONT, 7)
        c.drawRightString(380, _top(y), a)
        c.drawRightString(500, _top(y), b)
        y += 16
    c.setFont(FONT, 10)
    c.drawString(72, _top(y + 20), "Les sous-totaux reprennent chaque action du plan départemental.")
    c.showPage()
    c.save()
    return path


def shifted_media_box(path: Path) -> Path:
    """The ruled table of ruled_with_spans on a page whose media box does not start at (0, 0)."""
    import pypdfium2 as pdfium

    src = ruled_with_spans(path.with_name(path.stem + "-src.pdf"))
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[0]
    page.set_mediabox(30, 50, W, H)
    page.close()
    pdf.save(str(path))
    pdf.close()
    return path


def rotated_page(path: Path) -> Path:
    """A page with /Rotate 90 whose content is drawn turned the other way, so it displays upright (landscape)."""
    import pypdfium2 as pdfium

    src = path.with_name(path.stem + "-src.pdf")
    c = canvas.Canvas(str(src), pagesize=A4)
    c.setFont(FONT, 10)
    rows = [
        ("Action", "", "Prévu 2021"),
        ("Maraudes mixtes", "", "25 000 €"),
        ("Premier accueil", "", "12 000 €"),
        ("Total", "", "37 000 €"),
    ]
    for k, (label, _, amount) in enumerate(rows):
        c.saveState()
        c.translate(100 + 16 * k, 72)  # displayed: 100 + 16k from the top, 72 from the left
        c.rotate(90)
        c.drawString(0, 0, label)
        c.drawRightString(400, 0, amount)
        c.restoreState()
    c.showPage()
    c.save()
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[0]
    page.set_rotation(90)
    page.close()
    pdf.save(str(path))
    pdf.close()
    return path


def table_grids(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(source, rows of cell texts) of every table calpae reads from a generated PDF (no OCR)."""
    from calpae.extract import read_document

    return [(t.source, t.grid()) for t in read_document(path, ocr="never").tables]


def actions_over_a_page_break(path: Path, above: str) -> Path:
    """Two ruled two-column tables of one header, the first ending page 1, the second opening page 2 just under
    `above` (a heading naming the next action, or the cut-off rest of the first table's last label)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    xs = [62, 318, 432]
    header = ("", "Au 31/12/2022")
    parts = [
        (
            1,
            640,
            "Action 6.1 : Lutte contre la précarité",
            [
                ("Dépenses exécutées part État", "108 308,26 €"),
                ("Dépenses exécutées part Département", "127 986,53 €"),
                ("Total", "236 294,79 €"),
            ],
        ),
        (
            2,
            113,
            above,
            [
                ("Dépenses exécutées part État", "28 225,30 €"),
                ("Dépenses exécutées part Département", "38 687,68 €"),
                ("Total", "66 912,98 €"),
            ],
        ),
    ]
    for page, start, caption, rows in parts:
        _furniture(c, page)
        c.setFont(FONT, 10)
        if page == 1:
            for k in range(25):
                c.drawString(72, _top(80 + 18 * k), f"Ligne de texte courant numéro {k} du rapport.")
        c.drawString(62, _top(start - 4.5), caption)
        ys = [start + 16 * i for i in range(len(rows) + 2)]
        _grid(c, xs, ys)
        for i, row in enumerate([header, *rows]):
            c.drawString(66, _top(ys[i] + 12), row[0])
            c.drawRightString(428, _top(ys[i] + 12), row[1])
        c.showPage()
    c.save()
    return path
