"""Borderless tables read from aligned amounts: a one-row table under stacked header cells, a table set just
above another one with different columns, header cells that stop short of right-aligned amounts."""

from __future__ import annotations

from pathlib import Path

from pdfgen import table_grids
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

FONT, BOLD = "Helvetica", "Helvetica-Bold"
W, H = A4
LEAD = 9.5


def _stacked_header(c: canvas.Canvas, cells: list[tuple[float, list[str]]], bottom: float) -> None:
    """Header cells wrapped over one to three lines, bottom-aligned on `bottom` (reportlab y), left x given."""
    c.setFont(BOLD, 8)
    for x, lines in cells:
        for k, text in enumerate(reversed(lines)):
            c.drawString(x, bottom + k * LEAD, text)


def _row(c: canvas.Canvas, y: float, label: list[str], amounts: list[tuple[float, str]], bold: bool = False) -> float:
    """A row whose amounts are centred beside a label wrapped over several lines; returns the next row's top."""
    c.setFont(BOLD if bold else FONT, 8)
    for k, text in enumerate(label):
        c.drawString(60, y - 8 - k * LEAD, text)
    mid = y - len(label) * LEAD / 2
    for right, text in amounts:
        c.drawRightString(right, mid - 3, text)
    return y - len(label) * LEAD - 6


def one_row_then_executed(path: Path) -> Path:
    """A forecast table of one action (four amount columns) and, just below, a two-column executed table."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(BOLD, 10)
    c.drawString(60, H - 70, "3.2.1. Montants inscrits au plan : État, Département, total")
    rights = [300, 380, 460, 540]
    _stacked_header(
        c,
        [
            (60, ["Action"]),
            (255, ["Apport de", "l'État", "(fonds)"]),
            (345, ["Conseil", "départemental"]),
            (420, ["Reliquat", "reporté", "2019"]),
            (505, ["TOTAL"]),
        ],
        H - 110,
    )
    y = _row(
        c,
        H - 118,
        ["Coordination des acteurs de", "l'insertion sur le territoire", "(bassins)"],
        list(zip(rights, ["75.000 €", "82.500 €", "11.204,50 €", "168.704,50 €"], strict=False)),
    )
    c.setFont(BOLD, 10)
    c.drawString(60, y - 20, "3.2.2. Dépenses de l'année")
    _stacked_header(c, [(60, ["Opérations conduites"]), (235, ["Exécuté 2020"])], y - 48)
    y = _row(c, y - 56, ["Animation d'un réseau de partenaires", "de l'emploi"], [(300, "61.300,25 €")])
    y = _row(c, y, ["Ateliers collectifs"], [(300, "9.750 €")])
    y = _row(c, y, ["TOTAL"], [(300, "71.050,25 €")], bold=True)
    c.setFont(FONT, 10)
    c.drawString(60, y - 30, "Les dépenses sont celles mandatées avant la clôture de l'exercice.")
    c.showPage()
    c.save()
    return path


def test_one_row_table_under_stacked_headers_is_read_by_columns(tmp_path):
    grids = table_grids(one_row_then_executed(tmp_path / "one.pdf"))
    forecast = next(g for _, g in grids if len(g[0]) == 5)
    assert forecast[0] == [
        "Action",
        "Apport de l'État (fonds)",
        "Conseil départemental",
        "Reliquat reporté 2019",
        "TOTAL",
    ]
    assert forecast[1:] == [
        [
            "Coordination des acteurs de l'insertion sur le territoire (bassins)",
            "75.000 €",
            "82.500 €",
            "11.204,50 €",
            "168.704,50 €",
        ]
    ]
    assert [s for s, g in grids if g is forecast] == ["borderless"]


def test_table_below_a_one_row_table_keeps_its_header_and_wrapped_labels(tmp_path):
    grids = table_grids(one_row_then_executed(tmp_path / "exec.pdf"))
    executed = [g for s, g in grids if len(g[0]) == 2]
    assert executed == [
        [
            ["Opérations conduites", "Exécuté 2020"],
            ["Animation d'un réseau de partenaires de l'emploi", "61.300,25 €"],
            ["Ateliers collectifs", "9.750 €"],
            ["TOTAL", "71.050,25 €"],
        ]
    ]


def test_budget_stage_reads_the_one_row_table_roles(tmp_path):
    from calpae.pipeline import extract_document

    ext = extract_document(one_row_then_executed(tmp_path / "b.pdf"))
    got = {(ln.role, str(ln.amount)) for ln in ext.budget_lines if ln.row_label.startswith("Coordination")}
    assert ("etat", "75000") in got and ("departement", "82500") in got and ("total", "168704.50") in got


def test_a_lone_amount_line_in_prose_is_not_a_table(tmp_path):
    path = tmp_path / "prose.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(60, H - 80, "Le présent document décrit les actions engagées durant l'année écoulée.")
    c.drawString(60, H - 94, "Enveloppe globale mobilisée")
    c.drawRightString(540, H - 94, "12.500 €")
    c.drawString(60, H - 108, "Cette enveloppe sera reconduite l'an prochain sous réserve du vote du budget.")
    c.showPage()
    c.save()
    assert not [g for s, g in table_grids(path) if s == "borderless"]


DETAIL = [  # number, label lines, amount
    ("1.1", ["Hébergement temporaire des jeunes – Personnel"], "41.250,00 €"),
    ("1.1", ["Hébergement temporaire des jeunes – Matériel et", "logiciels"], "12.480,35 €"),
    (
        "2.3",
        ["Animation d'un réseau de lieux d'accueil de proximité", "ouverts aux familles – Personnel"],
        "30.000,00 €",
    ),
    (
        "2.3",
        ["Animation d'un réseau de lieux d'accueil de proximité", "ouverts aux familles – Matériel et", "logiciels"],
        "7.125,10 €",
    ),
    ("3.1", ["Référents de parcours – Prestations externes"], "18.900,00 €"),
    ("", ["TOTAL GÉNÉRAL"], "109.755,45 €"),
]


def _detail_rows(c: canvas.Canvas, y: float, rows: list) -> float:
    """Rows of a number column, a wrapped label and one amount; number and amount centred on the label."""
    for number, label, amount in rows:
        c.setFont(FONT, 8)
        for k, text in enumerate(label):
            c.drawString(110, y - 8 - k * LEAD, text)
        mid = y - len(label) * LEAD / 2
        c.drawString(67, mid - 3, number)
        c.drawRightString(471, mid - 3, amount)
        y -= len(label) * LEAD + 7
    return y


def numbered_detail_over_two_pages(path: Path) -> Path:
    """A two-row forecast table, then a detail table with a number column, wrapped labels, amounts right-aligned
    under a left-aligned header, continued on the next page under its repeated header."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(BOLD, 10)
    c.drawString(60, H - 70, "5.1. Montants prévus")
    c.setFont(BOLD, 8)
    c.drawString(270, H - 92, "Prévu 2021")
    c.setFont(FONT, 8)
    c.drawString(67, H - 108, "Apport de l'État")
    c.drawRightString(372, H - 108, "60.000 €")
    c.drawString(67, H - 124, "Apport du Département")
    c.drawRightString(372, H - 124, "49.755,45 €")
    c.setFont(BOLD, 12)
    c.drawString(60, H - 160, "Annexe : dépenses par poste")

    def header(top: float) -> None:
        c.setFont(BOLD, 8)
        c.drawString(67, top, "Fiche")
        c.drawString(110, top, "Action et poste")
        c.drawString(364, top, "Payé 2021")

    header(H - 180)
    _detail_rows(c, H - 186, DETAIL[:4])
    c.showPage()
    header(H - 100)
    y = _detail_rows(c, H - 106, DETAIL[4:])
    c.setFont(FONT, 10)
    c.drawString(60, y - 30, "Les montants proviennent du compte administratif de l'exercice.")
    c.showPage()
    c.save()
    return path


def test_numbered_detail_table_keeps_numbers_wrapped_labels_and_one_header(tmp_path):
    grids = table_grids(numbered_detail_over_two_pages(tmp_path / "detail.pdf"))
    detail = [g for s, g in grids if len(g[0]) == 3]
    assert len(detail) == 1, grids
    assert detail[0][0] == ["Fiche", "Action et poste", "Payé 2021"]
    assert detail[0][1:] == [[n, " ".join(label), amount] for n, label, amount in DETAIL]
    forecast = [g for s, g in grids if len(g[0]) == 2]
    assert forecast == [
        [["", "Prévu 2021"], ["Apport de l'État", "60.000 €"], ["Apport du Département", "49.755,45 €"]]
    ]


def test_amounts_beside_a_label_line_ending_on_a_short_word_still_make_a_row(tmp_path):
    """'… personne lien pour' then three amounts: a wrapped label breaks anywhere, prose never sets three amounts
    in columns."""
    path = tmp_path / "stop.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _stacked_header(
        c, [(60, ["Action"]), (265, ["Part", "État"]), (345, ["Part", "Département"]), (505, ["Total"])], H - 100
    )
    from reportlab.pdfbase.pdfmetrics import stringWidth

    # the first amount starts 12 pt after the label line that ends on 'pour': closer than prose's number would be
    first = 60 + stringWidth("adultes suivis, avec un référent pour", FONT, 8) + 12 + stringWidth("10.000 €", FONT, 8)
    rights = [first, 400, 540]
    y = _row(
        c,
        H - 110,
        ["Aide au logement des jeunes", "adultes suivis, avec un référent pour", "chacun d'eux"],
        list(zip(rights, ["10.000 €", "5.000 €", "15.000 €"], strict=False)),
    )
    y = _row(
        c,
        y,
        ["Actions de repérage des", "publics éloignés de"],
        list(zip(rights, ["2.500 €", "2.500 €", "5.000 €"], strict=False)),
    )
    _row(c, y, ["TOTAL"], list(zip(rights, ["12.500 €", "7.500 €", "20.000 €"], strict=False)), bold=True)
    c.showPage()
    c.save()
    [(source, grid)] = table_grids(path)
    assert source == "borderless"
    assert grid[1:] == [
        [
            "Aide au logement des jeunes adultes suivis, avec un référent pour chacun d'eux",
            "10.000 €",
            "5.000 €",
            "15.000 €",
        ],
        ["Actions de repérage des publics éloignés de", "2.500 €", "2.500 €", "5.000 €"],
        ["TOTAL", "12.500 €", "7.500 €", "20.000 €"],
    ]


def test_a_label_line_opening_on_a_dash_below_the_amounts_ends_the_row_above(tmp_path):
    """Rows set at the line pitch, amounts beside the middle line of three-line labels: '– Référent de parcours',
    the rest of a title 'A – B' below its row's amounts, belongs to that row, not to the numbered row under it."""
    path = tmp_path / "dash.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _stacked_header(
        c, [(60, ["Mesure"]), (265, ["Part", "État"]), (345, ["Part", "Département"]), (505, ["Total"])], H - 100
    )
    rights = [300, 400, 540]
    rows = [
        (
            ["3. Refonder le travail social au", "service de toutes les familles", "– Référent de parcours"],
            ["38.000 €", "45.500 €", "83.500 €"],
        ),
        (
            ["4. Insertion des allocataires du RSA –", "Orientation et parcours des", "allocataires"],
            ["192.000 €", "192.000 €", "384.000 €"],
        ),
        (["TOTAL"], ["230.000 €", "237.500 €", "467.500 €"]),
    ]
    y = H - 118
    c.setFont(FONT, 8)
    for label, amounts in rows:
        for k, text in enumerate(label):
            c.drawString(60, y - k * LEAD, text)
        mid = y - (len(label) - 1) * LEAD / 2
        for right, text in zip(rights, amounts, strict=True):
            c.drawRightString(right, mid, text)
        y -= len(label) * LEAD
    c.showPage()
    c.save()
    [(source, grid)] = table_grids(path)
    assert source == "borderless"
    assert grid[1:] == [[" ".join(label), *amounts] for label, amounts in rows]
