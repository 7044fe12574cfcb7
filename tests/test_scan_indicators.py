"""Indicator tables on scanned pages: stray punctuation in a narrow gutter, header lines sized by their ink, and
right-aligned counts that are no amounts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from _read_cache import read_once

from calpae.extract.ocr.document import shows_euros
from calpae.extract.ocr.engine import INSTALL_HINT, drop_specks, tesseract_problem
from calpae.extract.ocr.layout import Layout, OcrCell, OcrRow
from calpae.extract.ocr.page import _drop_repeats
from calpae.indicators.stacked import stacked_header
from calpae.models import BBox, Cell, Table, Word

FIXTURES = Path(__file__).parent / "fixtures" / "office"


def _box(x0: float, x1: float) -> BBox:
    return BBox(x0=x0, top=100.0, x1=x1, bottom=108.0)


def test_a_dot_run_into_a_dash_is_a_speck_unless_a_unit_follows():
    """'.-' in the 3-point gutter between a measure and its indicator closed the gutter (office seed 137); a dash
    zero read with a speck ('.-' '€') stays."""
    items = [("toute", 85.0, _box(125, 139)), (".-", 62.0, _box(149, 156)), ("Nombre", 96.0, _box(156, 179))]
    assert [t for t, _, _ in drop_specks(items)] == ["toute", "Nombre"]
    zero = [("Total", 96.0, _box(100, 120)), (".-", 62.0, _box(300, 304)), ("€", 90.0, _box(305, 309))]
    assert [t for t, _, _ in drop_specks(zero)] == ["Total", ".-", "€"]
    assert [t for t, _, _ in drop_specks([("-", 90.0, _box(300, 304)), ("€", 90.0, _box(305, 309))])] == ["-", "€"]


def _layout(cells: list[str], header: list[str]) -> Layout:
    row = OcrRow(top=100.0, bottom=108.0)
    for k, text in enumerate(cells):
        row.cells[k] = OcrCell(words=[Word(text=text, bbox=_box(200 + 40 * k, 230 + 40 * k), confidence=95.0)])
    head = [Word(text=t, bbox=_box(200 + 40 * k, 230 + 40 * k), confidence=95.0) for k, t in enumerate(header)]
    return Layout(
        edges=[230.0 + 40 * k for k in range(len(cells))],
        left=200.0,
        label_cols=[],
        rows=[row],
        header=head,
        height=8.0,
    )


def test_an_ocr_layout_without_a_euro_is_no_money_table():
    assert not shows_euros(_layout(["844", "830", "1098"], ["Résultat", "atteint", "Indicateurs"]))
    assert shows_euros(_layout(["844", "830€", "1098"], ["Résultat"]))
    assert shows_euros(_layout(["844", "830", "1098"], ["Montants", "(euros)"]))


def test_scanned_indicator_table_with_a_stacked_header_is_read():
    """Page 2 of a scanned Word report (office seed 137, 150 dpi): a 'Nom de la Mesure' column 3 points from the
    'Indicateurs' one, a header of five lines whose '(cible)' and capitals-and-figures lines OCR sizes up to a
    quarter larger than the body. Main read none of its 12 values."""
    problem = tesseract_problem()
    if problem:
        pytest.skip(f"{problem}: {INSTALL_HINT}")
    from calpae.indicators import extract_indicators

    values = extract_indicators(read_once(FIXTURES / "084-2022-rapport_execution.page2.scan.pdf"))
    kinds = ["baseline", "actual", "actual", "actual", "target", "actual"]
    years = [2018, 2019, 2020, 2021, 2022, 2022]
    assert [(v.value_kind, v.year, v.value, v.qualifier) for v in values] == [
        *[(k, y, None, "SO") for k, y in zip(kinds, years, strict=True)],
        *[
            (k, y, Decimal(n), None)
            for k, y, n in zip(kinds, years, ["315", "351", "351", "353", "410", "371"], strict=True)
        ],
    ]
    assert {v.indicator_id for v in values} >= {"ase.jeunes_majeurs"}


def _table(header: list[str]) -> Table:
    rows = [header, ["Prévenir toute sortie sèche", "Nombre de jeunes accompagnés", "12", "15"]]
    cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row) if t]
    return Table(id="t", source="ruled", pages=[1], n_rows=2, n_cols=4, cells=cells)


def test_a_header_cell_of_ocr_noise_over_the_labels_is_blank():
    """OCR read the 'Indicateurs' header cell of a scanned table as 're st' (office seed 139): the label column
    next to the values still names the indicators; a header cell of words names its column as before."""
    found = stacked_header(_table(["Nom de la Mesure", "re st", "Situation 2018", "Résultat atteint 2019"]))
    assert found is not None
    assert [(c.kind, c.year, c.value_kind) for c in found[1]] == [
        ("measure", None, None),
        ("indicator", None, None),
        ("value", 2018, "baseline"),
        ("value", 2019, "actual"),
    ]
    assert (
        stacked_header(_table(["Nom de la Mesure", "Public visé", "Situation 2018", "Résultat atteint 2019"])) is None
    )


def test_a_word_read_twice_on_one_place_is_kept_once():
    """A ruled cell's first-pass '374' and its re-read 5 points higher (office seed 139) read as 374374; the same
    figure on the next row of its column stays."""
    first = Word(text="374", bbox=BBox(x0=251.0, top=558.0, x1=263.0, bottom=564.6), confidence=97.0)
    again = Word(text="374", bbox=BBox(x0=250.8, top=552.9, x1=263.0, bottom=560.8), confidence=97.0)
    below = Word(text="374", bbox=BBox(x0=251.0, top=563.5, x1=263.0, bottom=570.1), confidence=97.0)
    assert _drop_repeats([first, again]) == [first]
    assert _drop_repeats([first, below]) == [first, below]


def _scanned_table(rows: list[list[str]]) -> tuple:
    """A one-page scanned document holding one borderless table of these cells (row 0 its header)."""
    from calpae.models import Document, Page

    cells = [Cell(row=r, col=c, text=t, page=1) for r, row in enumerate(rows) for c, t in enumerate(row) if t]
    table = Table(id="d-t1", source="borderless", pages=[1], n_rows=len(rows), n_cols=len(rows[0]), cells=cells)
    page = Page(number=1, ocr=True, has_text_layer=False)
    doc = Document(id="0" * 16, source="x.scan.pdf", sha256="0" * 64, pages=[page], page_count=1, tables=[table])
    return doc, table


def _read(doc, table) -> list[tuple]:
    from calpae.indicators.tables import indicator_values_from_table

    return [(v.value_kind, v.year, v.value) for v in indicator_values_from_table(doc, table)]


# office seed 159, 976-2022 rapport scan, page 3, as OCR read it: every header's 'en 2020' line lost, the
# decimal commas of four rates too ('588 %' for '58,8 %')
_SEED159_P3 = [
    ["Nom de la Mesure", "Indicateurs", "Situation 2018 du département", "Résultat atteint en2019",
     "Résultat atteint", "Résultat atteint en2021", "Résultat attendu en2022", "Résultat atteint en 2022",
     "Explication"],
    ["Refonder", "Taux de couverture de premier accueil social", "588 %", "559 %", "537 %", "9%.", "765 %",
     "54,6 %", "Activité réduite"],
    ["", "Nombre de structures du CD engagées", "250", "237", "225", "259", "325", "288", ""],
]  # fmt: skip


def test_a_result_column_that_lost_its_year_lies_between_its_neighbours():
    """'Résultat atteint' between 'en2019' and 'en2021' is 2020's result (main read none of that column)."""
    doc, table = _scanned_table(_SEED159_P3)
    got = _read(doc, table)
    assert got[5:] == [
        ("baseline", 2018, Decimal("250")),
        ("actual", 2019, Decimal("237")),
        ("actual", 2020, Decimal("225")),
        ("actual", 2021, Decimal("259")),
        ("target", 2022, Decimal("325")),
        ("actual", 2022, Decimal("288")),
    ]


def test_a_scanned_rate_above_100_regains_its_rows_decimal_comma():
    doc, table = _scanned_table(_SEED159_P3)
    assert _read(doc, table)[:5] == [
        ("baseline", 2018, Decimal("58.8")),
        ("actual", 2019, Decimal("55.9")),
        ("actual", 2020, Decimal("53.7")),
        ("target", 2022, Decimal("76.5")),
        ("actual", 2022, Decimal("54.6")),
    ]
    born_digital = _scanned_table(_SEED159_P3)
    born_digital[0].pages[0].ocr = False  # the same cells from a text layer are left as written
    assert _read(*born_digital)[0] == ("baseline", 2018, Decimal("588"))


def test_a_rate_whose_comma_was_put_back_says_so_and_is_reported():
    """The mended rates keep what OCR read in their provenance and each makes an 'ocr_repaired' warning: no value
    is silently made up; the rates read with their comma carry nothing."""
    from calpae.audit.ocr import indicator_repaired_findings
    from calpae.indicators.tables import indicator_values_from_table

    values = indicator_values_from_table(*_scanned_table(_SEED159_P3))
    repaired = [(v.year, v.provenance.repaired) for v in values[:5]]
    assert repaired == [
        (2018, "OCR read '588 %', over 100 % where the row's other rates have decimals: its comma put back"),
        (2019, "OCR read '559 %', over 100 % where the row's other rates have decimals: its comma put back"),
        (2020, "OCR read '537 %', over 100 % where the row's other rates have decimals: its comma put back"),
        (2022, "OCR read '765 %', over 100 % where the row's other rates have decimals: its comma put back"),
        (2022, None),
    ]
    findings = indicator_repaired_findings(values)
    assert [(f.check, f.severity) for f in findings] == [("ocr_repaired", "warning")] * 4
    assert "the value 58.8 (indicator 'Taux de couverture de premier accueil social', baseline 2018)" in (
        findings[0].message
    )


def test_a_column_without_its_neighbours_gap_gets_no_year():
    """Neighbours one year apart (2019, 2020) leave no year for the column between them: it stays unread."""
    rows = [list(r) for r in _SEED159_P3]
    rows[0][5] = "Résultat atteint en2020"
    doc, table = _scanned_table(rows)
    assert [(k, y) for k, y, _ in _read(doc, table)[4:9]] == [
        ("baseline", 2018), ("actual", 2019), ("actual", 2020), ("target", 2022), ("actual", 2022)
    ]  # fmt: skip


def test_a_baseline_header_that_lost_its_year_is_the_year_before_the_results():
    """Office seed 157, 093-2022 rapport scan, page 2 as OCR read it: 'Situati' / 'on' / '2018' / 'du' / 'départ' /
    'ement' lost its 'on' and '2018' lines. Main read none of the baselines."""
    rows = [
        ["Mesure Prévenir toute", "Indicateurs", "Situati du département", "Année 2019 Résultat atteint",
         "Année 2020 Résultat atteint", "Année 2021 Résuitat atteint", "Résultat attendu (cible)",
         "Résuitat atteint", "n Données"],
        ["« sortie sèche »", "Nombre de jeunes devenus majeurs dans l'année", "1.349", "1.537", "1.742", "1.974",
         "1.754", "2.204", "en cours de consolidation"],
    ]  # fmt: skip
    rows[0][6] = "Année 2022 " + rows[0][6]
    rows[0][7] = "Année 2022 " + rows[0][7]
    doc, table = _scanned_table(rows)
    assert _read(doc, table) == [
        ("baseline", 2018, Decimal("1349")),
        ("actual", 2019, Decimal("1537")),
        ("actual", 2020, Decimal("1742")),
        ("actual", 2021, Decimal("1974")),
        ("target", 2022, Decimal("1754")),
        ("actual", 2022, Decimal("2204")),
    ]
    rows[0][2] = "du département"  # no word of a baseline: no year given
    assert [k for k, _, _ in _read(*_scanned_table(rows))] == ["actual", "actual", "actual", "target", "actual"]


def test_a_year_taken_from_the_neighbours_is_flagged_and_reported():
    """The years fill_years gives (a result column between 2019 and 2021, a baseline before the first results) are
    not printed: each such value says so in its provenance and its table gets a meaning_guessed warning naming
    them; values under printed years carry nothing."""
    from calpae.audit.guessed import indicator_guessed_findings
    from calpae.indicators.tables import indicator_values_from_table
    from calpae.models import Extraction

    doc, table = _scanned_table(_SEED159_P3)
    values = indicator_values_from_table(doc, table)
    assert [(v.year, v.provenance.inferred) for v in values[5:8]] == [
        (2018, None),
        (2019, None),
        (2020, "the header 'Résultat atteint' prints no year: 2020, between its neighbours' 2019 and 2021"),
    ]
    found = indicator_guessed_findings(Extraction(document=doc, indicator_values=values))
    assert [(f.check, f.severity, len(f.cells)) for f in found] == [("meaning_guessed", "warning", 2)]
    assert [c.label for c in found[0].cells] == [
        "Taux de couverture de premier accueil social / 2020 actual",
        "Nombre de structures du CD engagées / 2020 actual",
    ]
    assert "prints no year" in found[0].message
    rows = [list(r) for r in _SEED159_P3]
    rows[0][2] = "Situation du département"
    baseline = indicator_values_from_table(*_scanned_table(rows))[0]
    assert (baseline.year, baseline.provenance.inferred) == (
        2018,
        "the header 'Situation du département', a baseline, prints no year: 2018, the year before the first results",
    )


def test_a_year_inferred_that_is_the_documents_own_is_not_in_doubt():
    """The same table in a report of 2020: the 'Résultat atteint' column that lost its year between 2019 and 2021
    is the report's own year, which the document's period says too; no warning. In a report of 2021 it stays one."""
    from calpae.audit.guessed import indicator_guessed_findings
    from calpae.indicators.tables import indicator_values_from_table
    from calpae.models import Extraction

    found = {}
    for period in ("2020", "2021"):
        doc, table = _scanned_table(_SEED159_P3)
        doc.period = period
        values = indicator_values_from_table(doc, table)
        found[period] = [
            len(f.cells) for f in indicator_guessed_findings(Extraction(document=doc, indicator_values=values))
        ]
    assert found == {"2020": [], "2021": [2]}


# office seed 169, 078-2022 rapport scan, page 6, as OCR read it: cells centred in tall rows, the first line of the
# first row's indicator (and measure) set beside the header's last line and read into it
_SEED169_P6 = [
    ["", "", "", "", "", "", "Année 2022", "", ""],
    ["Nom de la Mesure", "Indicateurs Nombre de bénéficiaires du RSA orientés vers la", "Situatiodu département",
     "Année 2019 Résultat atteint", "Année 2020 Résultat atteint", "Année 2021 Résultat atteint", "Résultat (cible)",
     "Résultat atteint", "Explication"],
    ["Insertion des allocataires du RSA Garantie d'activité",
     "ge rantie d'activité départementale (nouveaux entrants de l'année)", "1 010", "1 072", "1 182", "1 268",
     "1 313", "1 490", "tardif des s intervenants"],
    ["", "Nombre de bénéficiaires du RSA en cours d'accompagnement par la garantie départementale", "924", "947",
     "905", "1 024", "1 201", "958", "Données en cours de consolidation"],
]  # fmt: skip


def test_a_label_head_read_into_the_header_goes_back_to_its_row():
    """'Indicateurs Nombre de bénéficiaires du RSA orientés vers la' over 'ge rantie d'activité …': the words after
    the column's name, capitalised, over a label opening lower-case, are that label's first line (main read the
    row's six values under 'ge rantie d'activité …')."""
    from calpae.indicators.tables import indicator_values_from_table

    values = indicator_values_from_table(*_scanned_table(_SEED169_P6))
    assert [(v.indicator_label, v.year, v.value) for v in values[:2]] == [
        (
            "Nombre de bénéficiaires du RSA orientés vers la ge rantie d'activité départementale (nouveaux entrants "
            "de l'année)",
            2018,
            Decimal("1010"),
        ),
        (
            "Nombre de bénéficiaires du RSA orientés vers la ge rantie d'activité départementale (nouveaux entrants "
            "de l'année)",
            2019,
            Decimal("1072"),
        ),
    ]
    assert values[6].indicator_label.startswith("Nombre de bénéficiaires du RSA en cours")
    rows = [list(r) for r in _SEED169_P6]
    rows[2][1] = "Garantie d'activité départementale (nouveaux entrants de l'année)"  # opens capitalised: kept
    assert indicator_values_from_table(*_scanned_table(rows))[0].indicator_label == rows[2][1]


def test_a_target_and_result_right_of_the_last_results_that_lost_their_year():
    """Office 169, 078-2022 scan p. 5: the 'Année 2022' band over the last two columns read as 'cree nn', their own
    headers 'és attendu (cible)' and 'Résultat atteint' with no year: right of 2021's results, the target is 2022's
    and the result beside it too, each said to be inferred. A column with no kind word is left unread."""
    from calpae.indicators.tables import indicator_values_from_table

    rows = [
        ["", "", "", "", "", "", "cree nn", "", "Explication"],
        ["St A", "Indicateurs", "Situation 2018 du département", "Année 2019 Résultat atteint",
         "Année 2020 Résultat atteint", "Année 2021 Résultat atteint", "és attendu (cible)", "Résultat atteint", ""],
        ["Insertion des allocataires du RSA", "Nombre de nouveaux entrants", "914", "863", "875", "945", "1 188",
         "1 085", "consolidation"],
    ]  # fmt: skip
    values = indicator_values_from_table(*_scanned_table(rows))
    assert [(v.value_kind, v.year, v.value) for v in values] == [
        ("baseline", 2018, Decimal("914")),
        ("actual", 2019, Decimal("863")),
        ("actual", 2020, Decimal("875")),
        ("actual", 2021, Decimal("945")),
        ("target", 2022, Decimal("1188")),
        ("actual", 2022, Decimal("1085")),
    ]
    assert values[4].provenance.inferred == (
        "the header 'cree nn és attendu (cible)' prints no year: 2022, the year after the last dated results (2021)"
    )
    assert values[5].provenance.inferred == (
        "the header 'Résultat atteint' prints no year: 2022, the year of the target just left of it"
    )
    rows[1][6] = "(illisible)"
    assert [v.year for v in indicator_values_from_table(*_scanned_table(rows))] == [2018, 2019, 2020, 2021]


def test_a_lone_letter_before_a_scanned_figure_is_a_speck():
    """Office 171, 973-2022 scan p. 3: 'À 1518' (a speck of the cell's rule read as a letter) was no value; the
    figure is kept and says what OCR read. '9%.' is left unread: its dot may be what is left of its digits."""
    from calpae.indicators.tables import indicator_values_from_table

    rows = [list(r) for r in _SEED159_P3]
    rows[2][2] = "À 250"
    values = indicator_values_from_table(*_scanned_table(rows))
    assert [(v.year, v.value, v.provenance.unsure) for v in values[5:7]] == [
        (2018, Decimal("250"), "OCR read 'À 250': a lone letter before the figure dropped"),
        (2019, Decimal("237"), None),
    ]
    assert [v.year for v in values[:5]] == [2018, 2019, 2020, 2022, 2022]
