"""Cells of one row that do not share a line: amounts centred beside label cells of two lines (a borderless detail
table), and a spreadsheet recap cut by a page break whose header cells stand at different heights."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from _read_cache import budget_against_truth, read_once
from pdfgen import table_grids
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from calpae.budget import extract_budget

FIXTURES = Path(__file__).parent / "fixtures" / "office"
FONT, BOLD = "Helvetica", "Helvetica-Bold"
W, H = A4
LEAD = 10.0  # points between two lines of one cell
PAD = 0.2  # points of padding above and below a cell's lines (rows packed as a word processor sets them)

ROWS = [  # (fiche, label lines, amount): one and two lines, the second starting lower-case or with a capital
    (
        "1.1",
        ["Repérage des jeunes sortant de l'aide sociale à l'enfance avant", "leurs dix-huit ans – Frais"],
        "74.767,79 €",
    ),
    (
        "1.1",
        ["Repérage des jeunes sortant de l'aide sociale à l'enfance avant", "leurs dix-huit ans – Études"],
        "38.268,18 €",
    ),
    ("1.2", ["Hébergement des jeunes majeurs – Frais de personnel"], "89.204,10 €"),
    ("2.1", ["Accompagnement global des demandeurs d'emploi avec", "Pôle emploi – Prestations"], "15.546,06 €"),
    ("2.1", ["Accompagnement global – Subventions"], "27.390,27 €"),
]


def centred_detail(path: Path) -> Path:
    """A borderless detail table (fiche, label, executed amount) whose fiche and amount are centred vertically
    beside labels of one or two lines, rows packed one under the other as a word processor sets them."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(BOLD, 11)
    c.drawString(60, H - 80, "Annexe : dépenses réalisées par action")
    c.setFont(BOLD, 8)
    top = H - 110
    c.drawString(62, top, "Fiche")
    c.drawString(100, top, "Action et poste de dépense")
    c.drawRightString(520, top, "Réalisé 2021")
    top -= LEAD + 2 * PAD
    c.setFont(FONT, 8)
    for fiche, label, amount in ROWS:
        for k, text in enumerate(label):
            c.drawString(100, top - PAD - k * LEAD, text)
        mid = top - PAD - (len(label) - 1) * LEAD / 2
        c.drawString(65, mid, fiche)
        c.drawRightString(520, mid, amount)
        top -= len(label) * LEAD + 2 * PAD
    c.setFont(FONT, 10)
    c.drawString(60, top - 30, "Les montants sont ceux mandatés au 31 décembre.")
    c.showPage()
    c.save()
    return path


def test_amounts_centred_beside_two_line_labels_stay_in_their_rows(tmp_path):
    grids = table_grids(centred_detail(tmp_path / "centred.pdf"))
    assert len(grids) == 1
    source, grid = grids[0]
    assert source == "borderless"
    assert grid == [
        ["Fiche Action et poste de dépense", "Réalisé 2021"],
        [
            "1.1 Repérage des jeunes sortant de l'aide sociale à l'enfance avant leurs dix-huit ans – Frais",
            "74.767,79 €",
        ],
        [
            "1.1 Repérage des jeunes sortant de l'aide sociale à l'enfance avant leurs dix-huit ans – Études",
            "38.268,18 €",
        ],
        ["1.2 Hébergement des jeunes majeurs – Frais de personnel", "89.204,10 €"],
        ["2.1 Accompagnement global des demandeurs d'emploi avec Pôle emploi – Prestations", "15.546,06 €"],
        ["2.1 Accompagnement global – Subventions", "27.390,27 €"],
    ]


def _read_against_truth(name: str) -> tuple[int, int, int, set[int]]:
    """(matched, read, expected) budget cells of one fixture, on page, amount, stage and part; and the pages read."""
    return budget_against_truth(FIXTURES / f"{name}.pdf")


def test_recap_cut_by_a_page_break_keeps_its_stacked_header():
    """An XLSX recap (seed 107; outer border only, header cells of one to three lines centred at different heights,
    merged theme cells) over two pages: every amount is read with its stage and part, on both pages."""
    assert _read_against_truth("050-2021-tableau_financier") == (209, 209, 209, {1, 2})


def test_sub_totals_beside_merged_cells_keep_their_label_when_a_cell_overflows():
    """An XLSX recap (seed 171) whose theme and Chorus cells are merged over their actions and whose 'Sous total'
    stands in the narrow fiche column: a theme cell's text overflowing into the Chorus column moved the boundary
    between Chorus and fiche columns right of 'Sous', so two sub-totals lost their label and were read as actions
    (an analyst summing actions counted them twice)."""
    lines, _ = extract_budget(read_once(FIXTURES / "972-2021-tableau_financier.pdf"))
    allocated = [ln for ln in lines if ln.stage == "allocated" and ln.part == "etat"]
    assert [(ln.provenance.page, ln.row_label) for ln in allocated if ln.level == "measure"] == [
        *[(1, "Sous total")] * 5,
        (2, "Sous total"),
    ]
    assert [ln.amount for ln in allocated if ln.level == "measure"][:2] == [Decimal("355500.00"), Decimal("276500.00")]
    assert [ln for ln in lines if not ln.row_label.strip()] == []
    assert _read_against_truth("972-2021-tableau_financier") == (187, 187, 187, {1, 2})


def test_recap_page_whose_merged_cells_lost_their_inner_rules_continues_the_table():
    """An XLSX recap (seed 167, grid borders) whose second page holds a sub-total and the grand total only: the theme,
    Chorus and column-0 cells merged over the page break are drawn without their inner rules there (14 columns, not
    16), and the merged cell's text overflowing the first page's foot ran into its footer ('Convention nt d'appui'),
    which so no longer matched the second page's. The second page continues the table: its 22 amounts are read."""
    assert _read_against_truth("095-2022-tableau_financier") == (187, 187, 187, {1, 2})


def test_summary_whose_first_label_wraps_above_its_amounts_keeps_its_header():
    """A Word report (seed 172, outer border, valign bottom): the financial summary's first measure wraps over two
    lines, its amounts beside the second, '(ASE)'. The first line was taken for the table's title and the header
    above it for prose: 21 amounts of no stage. A line opening on a parenthesis under a line that ends no sentence
    closes the phrase above it."""
    assert _read_against_truth("004-2019-rapport_execution") == (53, 53, 53, {1, 2, 3, 4, 5, 6})
    lines, _ = extract_budget(read_once(FIXTURES / "004-2019-rapport_execution.pdf"))
    first = next(ln for ln in lines if ln.provenance.page == 1)
    assert (first.row_label, first.stage, first.part, first.amount) == (
        "1. Prévenir toute « sortie sèche » pour les jeunes sortants de l'aide sociale à l'enfance (ASE)",
        "planned",
        "etat",
        Decimal("181500.00"),
    )


def test_ragged_line_ends_leaving_white_down_a_page_are_no_label_column():
    """A Word avenant (seed 174) whose last recap page holds one action: the last words of two lines of its title
    ('… en situation de', '… dans les') end two points right of the rest, white running down the page beside
    them. They were cut into a label column of their own and read after the title ('… ruraux de les')."""
    lines, _ = extract_budget(read_once(FIXTURES / "011-2022-avenant.pdf"))
    assert [ln.action for ln in lines if ln.provenance.page == 3 and ln.stage == "planned" and ln.part == "etat"] == [
        "8.1 Accès aux soins des personnes en situation de grande précarité dans les territoires ruraux",
        "",
        "",
    ]


def test_recap_whose_tall_rows_leave_white_under_the_header():
    """An XLSX recap (seed 31) whose long theme labels in a narrow column make rows tall: centred, the first row's
    text stands as far below the header as rows stand apart, and the header is still read."""
    assert _read_against_truth("018-2020-tableau_financier") == (187, 187, 187, {1, 2, 3})


def test_office_layouts_draw_every_vertical_alignment():
    """The office generator sets cells top-, centre- and bottom-aligned (Word's default is top, Excel's bottom):
    over a département's twenty documents each alignment appears, whatever the seed; the other draws are kept."""
    from corpora.office.layout import choose_office_layout

    for seed in (3, 31, 37):
        valigns = [choose_office_layout(k, "rapport_execution", seed).valign for k in range(20)]
        assert set(valigns) == {"top", "center", "bottom"}
    assert choose_office_layout(0, "tableau_financier", 3).valign == "center"
    assert choose_office_layout(1, "tableau_financier", 3).valign == "top"
    assert choose_office_layout(2, "tableau_financier", 3).valign == "bottom"


def test_recap_whose_merged_theme_cell_is_cut_by_the_page_break_is_one_table():
    """A Calc recap (seed 37) whose theme cell, merged over the last rows of page 1 and centred, leaves its text
    under the page's last amounts; page 2 repeats the header: both pages are one table, every cell read."""
    assert _read_against_truth("065-2021-tableau_financier") == (198, 198, 198, {1, 2})


def test_recap_over_a_footer_line_keeps_its_labels_and_header():
    """A one-page Calc recap (seed 111; outer border only, header cells of up to five lines centred) followed by a
    footer line running from under the labels across the amounts: the footer is no label, so the label columns end
    before the amounts and the first amount column keeps its header; every cell is read with its stage and part."""
    assert _read_against_truth("017-2021-tableau_financier") == (176, 176, 176, {1})


def test_headerless_next_page_whose_columns_the_reader_cut_otherwise_continues_the_recap():
    """A Word convention's recap (seed 131; outer border only, cells centred) over three pages, its header on page 2
    only: with no header to go by, pages 3-4 are read with a thirteenth column (each Chorus code's last group, '04',
    '07', on a column of its own). Its columns are mapped onto the recap's by where they stand, so pages 3-4 continue
    the recap: every cell read, the sub-totals, the group sub-total and the grand total at their level."""
    from calpae.budget import extract_budget

    assert _read_against_truth("065-2019-convention") == (119, 119, 119, {2, 3, 4})
    lines, _ = extract_budget(read_once(FIXTURES / "065-2019-convention.pdf"))
    got = [(ln.provenance.page, ln.level, ln.measure_id, str(ln.amount)) for ln in lines if ln.part == "other"]
    assert got == [
        (2, "action", "socle.ase_sorties", "36000"),
        (2, "action", "socle.ase_sorties", "0"),
        (2, "measure", "socle.ase_sorties", "36000"),
        (2, "action", "socle.premier_accueil", "0"),
        (2, "action", "socle.premier_accueil", "33000"),
        (3, "measure", "socle.premier_accueil", "33000"),
        (3, "action", "socle.referent_parcours", "0"),
        (3, "measure", "socle.referent_parcours", "0"),
        (3, "action", "socle.insertion_orientation", "0"),
        (3, "action", "socle.insertion_orientation", "0"),
        (3, "measure", "socle.insertion_orientation", "0"),
        (3, "action", "socle.garantie_activite", "0"),
        (3, "measure", "socle.garantie_activite", "0"),
        (3, "group", None, "69000"),
        (3, "action", "initiative.locales", "0"),
        (4, "measure", "initiative.locales", "0"),
        (4, "grand_total", None, "69000"),
    ]


def test_action_tables_cut_at_one_height_on_several_pages_are_no_page_footer():
    """A borderless 2022 report (seed 133): the two-column 'Au 31/12/2022' tables of actions 2.1, 4.1 and 5.2 are each
    cut by a page break after the same rows, so their header and first rows ('Dépenses exécutées sur la part financée
    par l'État 66.890,29 €', '… 261.274,74 €', '… 35.670,71 €') stand at one height near the foot of three pages, as
    a running footer would. Rows of amounts that differ from page to page, and the line above them, are the
    tables': every cell is read with its stage and part."""
    assert _read_against_truth("092-2022-rapport_execution") == (107, 107, 107, {1, 2, 3, 4, 5, 6})


def test_a_table_closed_by_its_total_and_prose_does_not_run_into_the_next_pages_annex():
    """A borderless 2020 report (seed 141): chapter 6's action table ends on its TOTAL row, prose follows on its page,
    and the next page opens the cost-item annex under its own header, whose amount column says 'Réalisé 2020' too.
    Joined as one table, the annex's items of actions 8.1 and 8.2 hung under the TOTAL row with no measure; apart,
    they take their actions' measure."""
    from calpae.budget import extract_budget

    lines, _ = extract_budget(read_once(FIXTURES / "073-2020-rapport_execution.pdf"))
    initiatives = [
        (ln.provenance.page, ln.level, ln.measure_id, ln.amount)
        for ln in lines
        if ln.row_label and ln.row_label.startswith(("8.1 ", "8.2 ", "Épicerie", "Lutte contre la précarité"))
    ]
    assert sorted(initiatives) == sorted(
        [(7, "action", "initiative.locales", Decimal(a)) for a in ("66992.97", "190974.90")]
        + [
            (8, "detail", "initiative.locales", Decimal(a))
            for a in ("14428.20", "10408.51", "8756.65", "24559.08", "8840.53", "46262.77", "47066.21", "27566.76")
        ]
        + [(9, "detail", "initiative.locales", Decimal(a)) for a in ("45345.53", "24733.63")]
    )


def test_annex_rows_whose_labels_run_as_long_as_prose_stay_rows():
    """A borderless 2022 report (seed 139): the cost-item annex's rows 'fiche – action – item' run as long as the
    page's prose, yet a column gutter parts each label from its amount. Read as prose, four rows split the annex
    into four tables and one item (4.1's staff costs) fell out of it: the TOTAL GÉNÉRAL check failed by that item."""
    import json

    from calpae.audit import audit_extraction
    from calpae.budget import extract_budget
    from calpae.models import Extraction

    doc = read_once(FIXTURES / "022-2022-rapport_execution.pdf")
    lines, _ = extract_budget(doc)
    truth = json.loads((FIXTURES / "022-2022-rapport_execution.truth.json").read_text(encoding="utf-8"))
    annex = sorted(Decimal(c["amount"]) for c in truth["budget_cells"] if c["table"] == 21 and not c["is_total"])
    read = [ln for ln in lines if ln.provenance.page in (7, 8) and ln.level == "detail" and ln.amount is not None]
    assert sorted(ln.amount for ln in read) == annex
    assert len(annex) == 45 and len({ln.table_id for ln in read}) == 1
    findings = audit_extraction(Extraction(document=doc, budget_lines=lines))
    assert [f.check for f in findings if f.severity == "error"] == []


def test_fiche_number_beside_a_wrapped_labels_last_line_keeps_the_annex_header():
    """A borderless 2019 report (seed 141): the cost-item annex sets each fiche number beside its label's last line
    ('1.1 jeune de dix-sept ans – Frais…', the first line above it). The leading number hid that the label continues
    lower-case, so its first line was no part of the row, and the first row's stray line cut the header off: the
    annex's 36 amounts were read with no stage or year."""
    assert _read_against_truth("073-2019-rapport_execution") == (253, 253, 253, {1, 2, 3, 4, 5, 6, 7, 8})


def centred_forecast(path: Path) -> Path:
    """A borderless one-row forecast table (measure, État, Département, carried over, total) whose label and total
    both wrap over two lines while the other amounts stand centred between them: three lines half a line apart."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(BOLD, 11)
    c.drawString(60, H - 80, "Budget prévisionnel : État, Département, total")
    c.setFont(BOLD, 9)
    top = H - 110
    heads = [
        (60, ["", "Mesure"]),
        (300, ["Financement", "État"]),
        (380, ["", "Département"]),
        (460, ["Crédits", "reportés"]),
        (540, ["", "TOTAL"]),
    ]
    for x, words in heads:
        for k, text in enumerate(words):
            (c.drawString if x == 60 else c.drawRightString)(x, top - k * LEAD, text)
    top -= 2 * LEAD + 8
    c.setFont(FONT, 9)
    c.drawString(60, top, "Prévention des sorties sèches de")
    c.drawString(60, top - 12, "l'aide sociale à l'enfance")
    for x, amount in ((300, "120.000,00 €"), (380, "80.000,00 €"), (460, "12.500,50 €")):
        c.drawRightString(x, top - 6, amount)
    c.drawRightString(540, top, "212.500,50")
    c.drawRightString(540, top - 12, "€")
    c.setFont(FONT, 10)
    c.drawString(60, top - 50, "Le budget exécuté est présenté action par action.")
    c.showPage()
    c.save()
    return path


def test_amounts_centred_between_a_wrapped_label_and_total_are_one_row(tmp_path):
    """The three amounts stand half a line below the label's and the total's first line: one row of five cells, not
    a row holding the total alone and the others lost. (The label's second line, beside the total's wrapped '€',
    is not read into the label: a line with words over the amounts does not extend a row's label.)"""
    grids = table_grids(centred_forecast(tmp_path / "forecast.pdf"))
    assert [(source, len(grid)) for source, grid in grids] == [("borderless", 2)]
    head, row = grids[0][1]
    assert head == ["Mesure", "Financement État", "Département", "Crédits reportés", "TOTAL"]
    assert row == ["Prévention des sorties sèches de", "120.000,00 €", "80.000,00 €", "12.500,50 €", "212.500,50"]


def test_a_label_word_reaching_past_its_column_bound_does_not_stop_the_document():
    """A Word report (seed 182, borderless): on its summary page a label word ('2020.') ends past the edge of the
    label column the other label lines make (its centre right of the bound between labels and amounts, yet left of
    the first amount). It was placed in a column that does not exist, and the whole document failed to read. It is
    a label's word: every amount of the report is read."""
    assert _read_against_truth("092-2020-rapport_execution") == (230, 230, 230, {1, 2, 3, 4, 5, 6})
