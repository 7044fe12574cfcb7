"""Scanned rapports d'exécution (issue 18, office seeds 147, 149, 151): bold header words kept from the rule
cleaning, figures whose separators or leading one OCR lost, wrapped kind words, glued speck marks, and cross-table
mismatches that only a misread OCR row or header explains."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from calpae.audit.cross import _columns_swapped, _misread_row
from calpae.audit.grids import LineTable
from calpae.budget.arith import Grid
from calpae.extract.ocr.document import mend_lost_separators
from calpae.extract.ocr.image import Segment, rules_to_clean
from calpae.extract.ocr.tokens import split_units
from calpae.indicators.headers import classify_header, states_kind
from calpae.models import BBox, Cell, Document, Page, Table, Word


def test_a_bold_word_on_shading_is_no_rule_to_whiten():
    """Office 147, 080-2022 scan p. 2: 'Financement' and 'Département' (bold, grey cell) ran past 0.4 inch once
    their letters' gaps were bridged and were whitened as rules; the header read '= ‘ Etat' and 'Le'."""
    vert = [Segment(pos=950.0, lo=2330, hi=2550, thick=4), Segment(pos=1258.0, lo=2330, hi=2550, thick=4)]
    rule = Segment(pos=2332.0, lo=300, hi=2180, thick=6)  # the table's top rule, across the vertical rules
    bold = Segment(pos=2350.0, lo=983, hi=1158, thick=4)  # 'Financement', inside its cell
    long_alone = Segment(pos=900.0, lo=300, hi=700, thick=3)  # a rule 1.3 inch long under a title, no vertical
    kept = rules_to_clean([rule, bold, long_alone], vert, tol=9.0, dpi=300)
    assert kept == [rule, long_alone]


def _ocr_doc(texts: list[str]) -> Document:
    cells = [Cell(row=r, col=0, text=t, page=1) for r, t in enumerate(texts)]
    table = Table(id="t", source="ruled", pages=[1], n_rows=len(cells), n_cols=1, cells=cells)
    return Document(
        id="d", source="d.pdf", sha256="d" * 4, kind="pdf", pages=[Page(number=1, ocr=True)], tables=[table]
    )


def test_lost_separators_are_cut_as_the_column_writes_cents():
    """Office 147, 080-2022 scan p. 2 and 3: '26.837,21 €' read '2683721 €', '4.072,08 €' read '407208 €',
    '28.499,84 €' read '28.49984 €': totals of 66 848,94 € failed by millions and gave false errors."""
    doc = _ocr_doc(["2683721 €", "6.043,60 €", "29896,05 €", "407208 €", "28.49984 €", "- €", "66.848,94 €"])
    mend_lost_separators(doc)
    cells = doc.tables[0].cells
    assert [c.text for c in cells] == [
        "26.837,21 €",
        "6.043,60 €",
        "29896,05 €",
        "4.072,08 €",
        "28.499,84 €",
        "- €",
        "66.848,94 €",
    ]
    assert [c.unsure for c in cells] == [
        "separators lost, cut as the column writes its cents",
        None,
        None,
        "separators lost, cut as the column writes its cents",
        "separators lost, cut as the column writes its cents",
        None,
        None,
    ]


def test_a_column_without_cents_is_left_and_a_leading_one_and_mark_are_mended():
    """A column of whole euros keeps '36500 €'; 'L487' (office 147's indicator table) reads 1487, ': 36.500,00 €'
    (its summary table) 36.500,00 €."""
    doc = _ocr_doc(["36500 €", "25.500 €", "62.000 €", "L487", ": 36.500,00 €", "Lot 3"])
    mend_lost_separators(doc)
    assert [c.text for c in doc.tables[0].cells] == ["36500 €", "25.500 €", "62.000 €", "1487", "36.500,00 €", "Lot 3"]
    assert [c.unsure for c in doc.tables[0].cells][3:5] == [
        "a leading 1 read as a letter",
        "a mark before the amount dropped",
    ]


def test_wrapped_or_misread_result_words_state_the_kind():
    """Office 149, 029-2022 scan: 'Résulta' / 't atteint' wrapped in a narrow column, 'Résuilta' misread; the
    spanning 'Indicateurs de suivi – situation au 31/12/2022' made them baselines."""
    assert classify_header(3, "Année 2019 Résulta").value_kind == "actual"
    assert classify_header(4, "Année 2020 Résuilta").value_kind == "actual"
    assert classify_header(6, "Résulta attendu 2022").value_kind == "target"
    assert states_kind("Année 2020 Résuilta") and not states_kind("Année 2020")
    assert classify_header(2, "Situation 2018 du département").value_kind == "baseline"


def test_a_figures_glued_speck_mark_is_dropped():
    def word(text: str) -> Word:
        return Word(text=text, bbox=BBox(x0=0.0, top=0.0, x1=20.0, bottom=8.0), confidence=50.0)

    out = split_units([word("2209:"), word(":1678"), word(".1243"), word("2019."), word("3.1"), word("12:")])
    assert [w.text for w in out] == ["2209", "1678", "1243", "2019.", "3.1", "12:"]


def _table(values: list[list[str | None]], roles: list[str | None], ocr: bool) -> LineTable:
    grid = Grid(
        labels=[f"r{r}" for r in range(len(values))],
        is_total=[False] * len(values),
        col_roles=roles,
        col_labels=[""] * len(roles),
        values=[[Decimal(v) if v is not None else None for v in row] for row in values],
    )
    line = SimpleNamespace(provenance=SimpleNamespace(ocr=ocr, page=1, line=None))
    cells = {(r, c): line for r in range(len(values)) for c in range(len(roles))}
    return LineTable("t", "action", grid, cells, list(range(len(values))), list(range(len(roles))))  # type: ignore[arg-type]


def test_an_ocr_header_run_over_its_neighbour_or_a_row_that_does_not_add_up_proves_no_mismatch():
    """Office 151, 087-2022 scan p. 3: the action table's 'État (FALPAE)' was read over the carried-over column
    (etat 53 725,26 against the summary's 233 500, which the action row holds under another column); a row whose
    total is not the sum of its parts ('188 233 500,00 €', a label's digits run into it) proves nothing either."""
    roles = ["etat", "departement", "report", "total"]
    summary = _table([["233500", "233500", "53725.26", "520725.26"]], roles, ocr=True)
    action = _table([["233500", "233500", "53725.26", "520725.26"]], [None, "departement", "etat", "total"], ocr=True)
    assert _columns_swapped(summary, 0, action, Decimal("233500"), Decimal("53725.26"))
    digital = _table([["233500", "233500", "53725.26", "520725.26"]], [None, "departement", "etat", "total"], False)
    digital_summary = _table([["233500", "233500", "53725.26", "520725.26"]], roles, ocr=False)
    assert not _columns_swapped(digital_summary, 0, digital, Decimal("233500"), Decimal("53725.26"))
    garbled = _table([["188233500", "233500", "53725.26", "520725.26"]], [None, None, "etat", "total"], ocr=True)
    assert _misread_row(garbled, 0) and not _misread_row(action, 0)


def test_a_date_header_read_as_digits_is_no_row_of_money():
    """Office 171 and 167, 2022 rapport scans: an action table's 'Au 31/12/2022' header read '31122022',
    '311272022', '3.171.220,22' (the slashes lost or read as 1 or 7) was a first row of 31 million euros; it is the
    header. Amounts with a euro sign, or whose digits name no day, month and year, stay money."""
    from calpae.budget.tables import read_budget_table

    labels = [
        "Dépenses exécutées sur la part financée par l'État",
        "Crédits à reporter sur 2023 - part État",
        "Dépenses exécutées sur la part financée par le Département",
        "Total",
    ]
    amounts = ["37 314,18 €", "11 685,82 €", "1 000,00 €", "50 000,00 €"]
    for head in ("31122022", "311272022", "3.171.220,22"):
        rows = [["", head], *([a, b] for a, b in zip(labels, amounts, strict=True))]
        cells = [Cell(row=r, col=c, text=t, page=1) for r, row in enumerate(rows) for c, t in enumerate(row) if t]
        table = Table(id="t", source="ruled", pages=[1], n_rows=5, n_cols=2, cells=cells, title="Action 2.2 : Agents")
        bt = read_budget_table(table, 2022)
        assert bt is not None
        assert [(r.label, r.texts) for r in bt.rows] == [(a, [b]) for a, b in zip(labels, amounts, strict=True)]
        assert [c.label for c in bt.columns] == [head]
    from calpae.budget.tables import _is_lost_date

    assert [_is_lost_date(t) for t in ("31122022 €", "1 532 021", "12 000 000", "Au 31122022")] == [False] * 4


def test_a_speck_glued_before_an_amount_is_dropped():
    """Office 171, 973-2022 scan p. 3: ':57 488,83 €' (a rule's remnant glued on) was no amount and its table lost
    its carried-in column, then its year (2021 for 2022); a dot glued on may be a decimal and stays."""
    doc = _ocr_doc([":57 488,83 €", "|12 000 €", ".57"])
    mend_lost_separators(doc)
    assert [c.text for c in doc.tables[0].cells] == ["57 488,83 €", "12 000 €", ".57"]
