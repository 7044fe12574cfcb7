"""Indicator tables of 2021-model reports as generated PDFs: borderless, the same stacked header at the top of
several pages under the prefecture stamp, 'Sans Objet' rows, percentages, a measure column set close to the
indicator column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from calpae.models import BBox, Line, Word
from calpae.pipeline import extract_document

FONT, BOLD = "Times-Roman", "Times-Bold"
W, H = A4
LEAD = 9.5
MEASURE_X, INDICATOR_X = 60, 143  # the measure column ends 4 pt short of the indicators'
RIGHTS = [330, 372, 414, 456, 498, 540]  # right edges of the six value columns
HEADER = [
    (MEASURE_X, ["Nom de la Mesure"]),
    (INDICATOR_X, ["Indicateurs"]),
    (295, ["Situation", "2018 du dép", "artement"]),
    (343, ["Résultat", "atteint en", "2019"]),
    (385, ["Résultat", "atteint en", "2020"]),
    (427, ["Résultat", "attendu en", "2021"]),
    (469, ["Résultat", "atteint en", "2021"]),
    (511, ["Résultat", "attendu en", "2022 (cible)"]),
    (553, ["Explication"]),
]
KINDS = [("baseline", 2018), ("actual", 2019), ("actual", 2020), ("target", 2021), ("actual", 2021), ("target", 2022)]


def _stamp(c: canvas.Canvas) -> None:
    """The prefecture transmission stamp at the top right of every page."""
    c.setFont("Helvetica", 7)
    for k, text in enumerate(
        [
            "Envoyé en préfecture le 02/05/2022",
            "Reçu en préfecture le 02/05/2022",
            "Affiché le",
            "ID : 099-229900009-20220430-CP2204_07-DE",
        ]
    ):
        c.drawString(360, H - 20 - 10 * k, text)


def _header(c: canvas.Canvas, bottom: float) -> None:
    """Header cells wrapped over one to three lines, vertically centred on the middle line."""
    c.setFont(BOLD, 7)
    for x, lines in HEADER:
        first = bottom + (len(lines) - 1) * 8.4 / 2 + 8.4
        for k, text in enumerate(lines):
            c.drawString(x, first - 8.4 * (k + 1), text)


def _rows(c: canvas.Canvas, top: float, measure: list[str], rows: list[tuple[list[str], list[str]]]) -> float:
    """Indicator rows: label wrapped in its column, values right-aligned and centred beside it; the measure's
    name wrapped in the first column beside the first rows. Returns the y below the table."""
    c.setFont(FONT, 8)
    for k, text in enumerate(measure):
        c.drawString(MEASURE_X, top - 8 - k * LEAD, text)
    y = top
    for label, values in rows:
        height = max(len(label), len(measure) if y == top else 0) * LEAD
        block = y - (height - len(label) * LEAD) / 2
        for k, text in enumerate(label):
            c.drawString(INDICATOR_X, block - 8 - k * LEAD, text)
        for right, text in zip(RIGHTS, values, strict=False):
            c.drawRightString(right, y - height / 2 - 3, text)
        y -= height + 6
    return y


def _prose(c: canvas.Canvas, y: float, heading: str) -> None:
    c.setFont("Helvetica-Bold", 12)
    c.drawString(60, y - 30, heading)
    c.setFont(FONT, 10)
    c.drawString(
        60, y - 50, "Les actions ont été conduites avec les partenaires du territoire tout au long de l'année."
    )


PAGES = [
    (
        ["Prévenir les sorties", "sèches des jeunes", "de l'aide sociale", "à l'enfance"],
        [
            (
                ["Nombre de jeunes sortis du dispositif", "dans l'année"],
                ["954", "1 015", "959", "1 036", "993", "1 241"],
            ),
            (
                ["Taux de jeunes ayant un logement", "stable à la sortie"],
                ["58,3 %", "61 %", "67,5 %", "72,9 %", "73,2 %", "75,8 %"],
            ),
            (["Nombre de jeunes ayant choisi leur", "personne lien à la majorité"], ["Sans Objet"] * 6),
        ],
    ),
    (
        ["Insertion des allocataires", "du RSA – Orientation et", "parcours des allocataires"],
        [
            (["Nombre de nouveaux entrants"], ["Sans Objet"] * 6),
            (["Nombre de nouveaux entrants orientés en", "1 mois et moins"], ["Sans Objet"] * 6),
            (
                ["Nombre total de premiers rendez-vous", "d'accompagnement fixés"],
                ["1 704", "1 692", "1 622", "1 752", "1 831", "2 215"],
            ),
        ],
    ),
    (
        ["Premier accueil social", "inconditionnel de", "proximité"],
        [
            (
                ["Nombre de structures engagées dans la", "démarche d'accueil"],
                ["641", "656", "697", "753", "714", "833"],
            ),
            (
                ["Nombre de personnes reçues par les", "structures d'accueil"],
                ["862", "991", "1 026", "1 108", "957", "1 121"],
            ),
        ],
    ),
]


def indicator_report(path: Path, pages=PAGES, stamp: bool = True) -> Path:
    """One measure per page: its indicator table at the top, under the same header each time, then prose."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for n, (measure, rows) in enumerate(pages, start=1):
        if stamp:
            _stamp(c)
        _header(c, H - 110)
        y = _rows(c, H - 122, measure, rows)
        _prose(c, y, f"{n}.1. Description")
        c.showPage()
    c.save()
    return path


def _values(path: Path):
    return [v for v in extract_document(path).indicator_values if v.origin == "table"]


def _expected(pages=PAGES) -> set[tuple[str, int, str, object]]:
    out = set()
    for _, rows in pages:
        for label, values in rows:
            for (kind, year), text in zip(KINDS, values, strict=False):
                value = (
                    None if text == "Sans Objet" else Decimal(text.replace(" ", "").replace("%", "").replace(",", "."))
                )
                out.add((" ".join(label), year, kind, value))
    return out


def _got(values) -> set[tuple[str, int, str, object]]:
    return {(v.indicator_label, v.year, v.value_kind, v.value) for v in values}


def test_sans_objet_rows_are_read_with_their_qualifier(tmp_path):
    values = _values(indicator_report(tmp_path / "r.pdf", stamp=False))
    so = [v for v in values if v.qualifier == "SO"]
    assert len(so) == 18, sorted({v.indicator_label for v in so})
    assert {v.indicator_label for v in so} == {
        "Nombre de jeunes ayant choisi leur personne lien à la majorité",
        "Nombre de nouveaux entrants",
        "Nombre de nouveaux entrants orientés en 1 mois et moins",
    }


def test_every_value_of_each_page_is_read(tmp_path):
    values = _values(indicator_report(tmp_path / "r.pdf", stamp=False))
    assert _got(values) == _expected()


def test_a_table_header_repeated_under_the_stamp_is_not_a_running_header(tmp_path):
    values = _values(indicator_report(tmp_path / "r.pdf", stamp=True))
    assert _got(values) == _expected()


def _word(text: str, x0: float, top: float, size: float = 8.0) -> Word:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return Word(
        text=text, bbox=BBox(x0=x0, top=top, x1=x0 + stringWidth(text, FONT, size), bottom=top + size), size=size
    )


def _line(words) -> Line:
    from calpae.extract.geometry.lines import make_line

    return make_line(words, 1)


def test_sans_objet_is_one_qualifier_cell():
    from calpae.extract.numbers.cells import is_amount_row, split_line

    words = [_word("Nombre", 60, 100), _word("de", 90, 100), _word("jeunes", 100, 100)]
    for right in (330, 372, 414):
        words += [_word("Sans", right - 35, 100), _word("Objet", right - 17, 100)]
    split = split_line(_line(words))
    assert [c.text for c in split.cells] == ["Sans Objet"] * 3
    assert split.label_text == "Nombre de jeunes" and is_amount_row(split)


def test_sans_objet_in_prose_stays_text():
    from calpae.extract.numbers.cells import split_line

    split = split_line(
        _line(
            [
                _word("la", 60, 100),
                _word("demande", 70, 100),
                _word("est", 105, 100),
                _word("sans", 120, 100),
                _word("objet.", 138, 100),
            ]
        )
    )
    assert split.cells == []


def _text(text: str, x0: float, top: float) -> list:
    """Words of a phrase set from x0, one 2 pt space between words."""
    out = []
    for token in text.split():
        out.append(_word(token, x0, top))
        x0 = out[-1].bbox.x1 + 2.0
    return out


def test_label_columns_split_where_a_left_aligned_column_starts():
    """A measure name wrapped up to 4 pt from the indicator column: two label columns, not one."""
    from calpae.extract.tables.bands import label_columns

    edge = _text("du RSA – Orientation et", 60, 110)[-1].bbox.x1 + 4.0
    words = (
        _text("Insertion des allocataires", 60, 100)
        + _text("du RSA – Orientation et", 60, 110)
        + _text("Nombre de nouveaux entrants", edge, 110)
        + _text("parcours des allocataires", 60, 120)
        + _text("Nombre de nouveaux orientés en", edge, 135)
        + _text("moins", edge, 145)
        + _text("Nombre total de rendez-vous", edge, 160)
    )
    assert [round(a) for a, _ in label_columns(words)] == [60, round(edge)]


def test_label_columns_keep_one_column_whose_lines_share_a_first_phrase():
    """'Nombre de jeunes …' on every row: the words after it line up, yet no line starts there."""
    from calpae.extract.tables.bands import label_columns

    words = []
    for top, tail in ((100, "devenus majeurs"), (120, "pris en charge"), (140, "ayant pu choisir")):
        words += _text("Nombre de jeunes " + tail, 60, top)
    words += _text("référentiel", 60, 130) + _text("lien", 60, 150)
    assert len(label_columns(words)) == 1


def test_a_columnar_line_above_table_rows_heads_a_table():
    from calpae.extract.structure.furniture import heads_table

    header = _line([_word("Situation", 295, 90), _word("Résultat", 343, 90), _word("Résultat", 385, 90)])
    running = _line([_word("Département", 60, 40), _word("de", 110, 40), _word("test", 122, 40)])
    row = _line(
        [
            _word("Nombre", 160, 110),
            _word("954", 318, 110),
            _word("1", 355, 110),
            _word("015", 360, 110),
            _word("959", 402, 110),
        ]
    )
    assert heads_table([header, row], 0)
    assert not heads_table([running, row], 0)
    assert not heads_table([header, _line([_word("Les", 60, 110), _word("actions", 75, 110)])], 0)


def test_stacked_header_lines_above_a_columnar_line_head_the_table_too():
    # a header whose cells wrap: 'Situation  Résultat' (two cells) stacked over the three-cell line; a prefecture
    # stamp set as close above a table is no part of it
    from calpae.extract.structure.furniture import heads_table

    top = _line([_word("Situation", 295, 82), _word("Résultat", 385, 82)])
    header = _line([_word("Situation", 295, 90), _word("Résultat", 343, 90), _word("Résultat", 385, 90)])
    stamp = _line([_word("Affiché", 343, 82), _word("le", 372, 82), _word("01/02/2020", 380, 82)])
    row = _line(
        [
            _word("Nombre", 160, 110),
            _word("954", 318, 110),
            _word("1", 355, 110),
            _word("015", 360, 110),
            _word("959", 402, 110),
        ]
    )
    assert heads_table([top, header, row], 0)
    assert not heads_table([stamp, header, row], 0)
    far = _line([_word("Situation", 295, 60), _word("Résultat", 385, 60)])  # a line's white above: not stacked
    assert not heads_table([far, header, row], 0)


def test_a_comparative_after_et_closes_a_label_line():
    from calpae.extract.tables.figures.layout import runs_on

    assert not runs_on("orientés en 1 mois et moins", "Nombre total de rendez-vous")
    assert runs_on("accessible à moins", "de 30 minutes")
    assert runs_on("Nombre de personnes de plus", "Nombre")


def _phrases(line: Line) -> list[tuple[str, bool]]:
    """(text, is a figure) of each phrase of one line, at a 2 pt word space."""
    from calpae.extract.tables.figures.marks import marks

    (mark,) = marks([line], 2.0)
    return [(p.text, p.figure) for p in mark.phrases]


def test_markers_and_figures_set_close_to_a_comment_are_cut_apart():
    line = _line(
        _text("Nombre", 60, 100)
        + _text("Sans Objet Sans Objet Sans Objet Montée en", 200, 100)
        + _text("1 874 Recrutement", 420, 100)
    )
    assert _phrases(line) == [
        ("Nombre", False),
        ("Sans Objet", True),
        ("Sans Objet", True),
        ("Sans Objet", True),
        ("Montée en", False),
        ("1 874", True),
        ("Recrutement", False),
    ]
    # a recap's numbered label set close to the cell before it: its number and dash are no figures
    numbered = _line(_text("Engagements", 60, 130) + _text("1 - Prévenir toute", 120, 130))
    assert _phrases(numbered) == [("Engagements", False), ("1 - Prévenir toute", False)]


def test_one_marker_set_close_to_a_comment_is_cut_from_it():
    """A narrow column's 'Sans Objet' one space before the comment cell's first word (no other marker beside it to
    cut the run by): the marker is a figure, the comment's words apart; else the value column loses its marker
    and the column splits in two, cutting the '1 509' under it into 1 and 509."""
    line = _line(_text("Nombre", 60, 100) + _text("Sans Objet Données en", 200, 100))
    assert _phrases(line) == [
        ("Nombre", False),
        ("Sans Objet", True),
        ("Données en", False),
    ]
    # a label's words that are no marker stay one phrase
    label = _line(_text("Nombre", 60, 130) + _text("Sans Domicile Fixe", 200, 130))
    assert _phrases(label) == [("Nombre", False), ("Sans Domicile Fixe", False)]


def _header_cells(marked, edges: list[tuple[float, float]]) -> list[tuple[int, int, int, str]]:
    """(row, column, columns spanned, text) of the header cells read over one label column and value columns."""
    from calpae.extract.tables.figures.header import read_header
    from calpae.extract.tables.figures.layout import Span

    kinds = ["label"] + ["value"] * (len(edges) - 1)
    header = read_header(marked, [Span(x0, x1) for x0, x1 in edges], kinds, 1, 2)
    return sorted((c.row, c.col, c.col_span, c.text) for c in header.cells)


def test_a_year_over_two_narrow_columns_heads_both():
    """'Année 2022' over its two kinds ('Résultat attendu (cible)', 'Résultat atteint'), whose columns of
    three-digit counts are narrower than the year: it only touches them, yet it stands over a header phrase of
    each; a cell spanning both, each kind its own column's header (not one cell over the first column)."""
    from calpae.extract.tables.figures.marks import marks

    lines = [
        _line(_text("Indicateurs", 60, 363) + _text("Année 2021", 364, 363) + _text("Année 2022", 425, 363)),
        _line(_text("Résultat", 410, 372)),
        _line(_text("Résultat", 369, 377) + _text("Résultat", 451, 377)),
        _line(_text("attendu", 410, 382)),
        _line(_text("atteint", 371, 386) + _text("atteint", 453, 386)),
        _line(_text("(cible)", 412, 391)),
    ]
    assert _header_cells(marks(lines, 2.0), [(60, 120), (374.8, 384.7), (415.8, 425.7), (456.8, 466.7)]) == [
        (0, 2, 2, "Année 2022"),
        (1, 0, 1, "Indicateurs"),
        (1, 1, 1, "Année 2021 Résultat atteint"),
        (1, 2, 1, "Résultat attendu (cible)"),
        (1, 3, 1, "Résultat atteint"),
    ]


def test_cell_ends_set_one_space_apart_under_their_own_headers_are_cut():
    """Two narrow columns' headers wrapped mid-word ('Résulta' / 't atteint'), their last lines 'en 2019' and
    'en 2020' set one word space apart: one phrase over both columns, yet each column has its own header phrase
    above it. They are the ends of the two cells, not a cell spanning both (which would leave each column's year
    unread)."""
    from calpae.extract.tables.figures.marks import marks

    lines = [
        _line(_text("Indicateurs", 60, 329) + _text("Résulta", 277, 329) + _text("Résulta", 313, 329)),
        _line(_text("t atteint", 277, 341) + _text("t atteint", 313, 341)),
        _line(_text("en 2019", 277, 352) + _text("en 2020", 307, 352)),
    ]
    (*_, last) = ms = marks(lines, 3.0)
    assert [p.text for p in last.phrases] == ["en 2019 en 2020"]  # closer than the page's column gap
    assert _header_cells(ms, [(60, 120), (282.1, 303.3), (311.0, 338.8)]) == [
        (0, 0, 1, "Indicateurs"),
        (0, 1, 1, "Résultat atteint en 2019"),
        (0, 2, 1, "Résultat atteint en 2020"),
    ]


def test_two_counts_one_above_the_other_are_not_one_wrapped_amount():
    from calpae.extract.tables.wrapped import _money_cell

    assert not _money_cell("1.691288", 2)
    assert _money_cell("1.691.288,00 €", 2)
    assert _money_cell("84 000,00 €", 2)
    assert _money_cell("1.691", 1)


def test_a_number_run_on_from_the_label_before_a_column_gap_ends_the_label():
    """'Nombre de rendez-vous à 2' (wrapped: '… semaines ou moins'), then the values in their columns."""
    from calpae.extract.numbers.cells import is_amount_row, split_line

    words = _text("Nombre de 1ers rendez-vous à 2", 160, 100)
    words += [_word("643", 318, 100), _word("730", 360, 100), _word("783", 402, 100)]
    split = split_line(_line(words))
    assert split.label_text == "Nombre de 1ers rendez-vous à 2"
    assert [c.text for c in split.cells] == ["643", "730", "783"] and is_amount_row(split)


def test_a_number_ending_a_sentence_stays_an_amount():
    from calpae.extract.numbers.cells import split_line

    split = split_line(_line(_text("Le budget alloué est de 5 000 €", 60, 100)))
    assert [c.text for c in split.cells] == ["5 000 €"]


def _grid_table(rows: list[list[str]]):
    from calpae.models import Cell, Document, Table

    cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    table = Table(id="t1", source="tsv", pages=[], n_rows=len(rows), n_cols=len(rows[0]), cells=cells)
    return Document(id="0" * 16, source="test.txt", sha256="0" * 64, kind="text", tables=[table]), table


def test_comment_header_glued_on_a_value_column_of_numbers_is_that_value_column():
    """The empty 'Explication' column's header read into the last value column's (rotated) header."""
    from calpae.indicators.tables import indicator_values_from_table

    doc, table = _grid_table(
        [
            [
                "Nom de la Mesure",
                "Indicateurs",
                "Résultat atteint en 2021",
                "Explication Résultat attendu en 2022 (cible)",
            ],
            ["Accueil", "Nombre de personnes reçues", "1 089", "1 153"],
            ["", "Nombre de structures", "NR", "NC"],
        ]
    )
    got = [
        (v.indicator_label, v.year, v.value_kind, v.value, v.qualifier) for v in indicator_values_from_table(doc, table)
    ]
    assert ("Nombre de personnes reçues", 2022, "target", Decimal("1153"), None) in got
    assert ("Nombre de structures", 2022, "target", None, "NC") in got


def test_comment_column_holding_text_stays_a_comment():
    from calpae.indicators.tables import indicator_values_from_table

    doc, table = _grid_table(
        [
            ["Indicateurs", "Résultat atteint en 2021", "Explication de l'écart au résultat attendu en 2021"],
            ["Nombre de personnes reçues", "1 089", "hausse liée à 2 nouveaux lieux"],
        ]
    )
    vals = indicator_values_from_table(doc, table)
    assert [(v.year, v.value) for v in vals] == [(2021, Decimal("1089"))]
    assert vals[0].comment == "hausse liée à 2 nouveaux lieux"


def test_a_header_cell_just_right_of_the_longest_label_is_columnar():
    """'du Département' left-aligned in its value column, a few points right of a label filling its column."""
    from calpae.extract.tables.borderless.header import is_columnar

    label_right = 285.0
    line = _line(_text("du Département", label_right + 6.5, 100))
    assert is_columnar(line, amount_left=318.0, label_right=label_right)
    assert not is_columnar(
        _line(_text("du Département", label_right - 40, 100)), amount_left=318.0, label_right=label_right
    )


def test_qualifier_cells_in_columns_make_a_row_after_a_label_running_on():
    """'… du passage à la' then six 'Sans Objet' cells: the label wraps on, the cells still make a row."""
    from calpae.extract.numbers.cells import is_amount_row, split_line

    words = _text("personne lien au moment du passage à la", 160, 100)
    x = words[-1].bbox.x1 + 6.0
    for _ in range(6):
        cell = _text("Sans Objet", x, 100)
        words += cell
        x = cell[-1].bbox.x1 + 10.0
    split = split_line(_line(words))
    assert [c.text for c in split.cells] == ["Sans Objet"] * 6
    assert is_amount_row(split)


def test_pdf_label_columns_are_never_cut_at_one_word_space():
    """A generated borderless report (seed 135) whose header names more label phrases than its label columns: on a
    PDF, one word space apart is no column edge (only a text export sets two columns one space apart), so the wrapped
    indicator 'Nombre de nouveaux entrants orientés en 1 / mois et moins' keeps its words and its three values."""
    import json

    fixture = Path(__file__).parent / "fixtures" / "generated" / "064-2020-rapport_execution.pdf"
    truth = json.loads(fixture.with_suffix(".truth.json").read_text(encoding="utf-8"))["indicator_values"]
    values = extract_document(fixture).indicator_values
    got = {(v.indicator_label, v.year, v.value_kind, v.value) for v in values}
    assert len(values) == 39
    want = {(t["indicator"], t["year"], t["value_kind"], t["value"] and Decimal(t["value"])) for t in truth}
    assert got == want
