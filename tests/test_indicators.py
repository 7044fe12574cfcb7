"""Indicator tables and prose → indicator_values; mapping to the referential; `calpae unmapped`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from _read_cache import read_once

from calpae.indicators.headers import classify_header, find_header
from calpae.indicators.tables import indicator_values_from_table
from calpae.indicators.values import read_cell, unit_of
from calpae.models import Cell, Document, Line, Page, Section, Table

EXPECT = Path(__file__).parent / "expectations"


def make_table(rows: list[list[str]], *, tid: str = "d-t1", section: str | None = None, line0: int = 1) -> Table:
    """A text-like Table from rows of cell texts, each row one source line."""
    cells = [Cell(row=r, col=c, text=t, line_no=line0 + r) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Table(
        id=tid,
        source="tsv",
        n_rows=len(rows),
        n_cols=max(len(r) for r in rows),
        cells=cells,
        section=section,
        line_start=line0,
        line_end=line0 + len(rows) - 1,
    )


def make_doc(tables: list[Table] = (), lines: list[str] = (), sections: list[Section] = ()) -> Document:
    page = Page(number=1, lines=[Line(text=t, page=1, line_no=i) for i, t in enumerate(lines, 1)])
    return Document(
        id="d",
        source="mem.txt",
        sha256="0" * 64,
        kind="text",
        pages=[page],
        tables=list(tables),
        sections=list(sections),
        departement_code="99",
    )


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, kind, year, value_kind",
    [
        ("Situation 2018 du Département", "value", 2018, "baseline"),
        ("Résultat du Département en 2019", "value", 2019, "actual"),
        ("Résultat atteint en 2020", "value", 2020, "actual"),
        ("Résultat attendu en 2021", "value", 2021, "target"),
        ("Résultat attendu en 2022 (cible)", "value", 2022, "target"),
        ("Objectif fixé pour 2022", "value", 2022, "target"),
        ("Situation au 31 déc. 2018", "value", 2018, "baseline"),
        ("2020", "value", 2020, "actual"),
        ("Indicateurs", "indicator", None, None),
        ("Nom de la Mesure", "measure", None, None),
        ("Nom de l'action", "measure", None, None),
        ("Justification des écarts le cas échéant", "comment", None, None),
        ("Explication sur l'atteinte de l'objectif en 2021", "comment", None, None),
    ],
)
def test_header_meanings(header, kind, year, value_kind):
    col = classify_header(0, header)
    assert (col.kind, col.year, col.value_kind) == (kind, year, value_kind)


def test_budget_header_is_not_an_indicator_table():
    assert find_header([["Action", "Prévisionnel 2019", "Réalisé 2019"], ["x", "1 €", "2 €"]]) is None


# --- cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit, qualifier",
    [
        ("152", Decimal("152"), None, None),
        ("3 278", Decimal("3278"), None, None),
        ("1.125", Decimal("1125"), None, None),
        ("73%", Decimal("73"), "%", None),
        ("NR", None, None, "NR"),
        ("NC", None, None, "NC"),
        ("Sans Objet", None, None, "SO"),
        ("312 <i>(sur 9 mois)</i>", Decimal("312"), None, "sur 9 mois"),
        ("40 (au 1er semestre)", Decimal("40"), None, "au 1er semestre"),
    ],
)
def test_read_cell(text, value, unit, qualifier):
    got = read_cell(text)
    assert (got.value, got.unit, got.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text", ["", "   ", "voir ci-dessous"])
def test_cells_without_values(text):
    assert read_cell(text) is None


@pytest.mark.parametrize(
    "label, unit",
    [
        ("Taux de couverture à moins de 30 minutes", "%"),
        ("Délai moyen d'orientation", "days"),
        ("Nombre de rendez-vous fixés dans le délai de 2 semaines", "count"),
        ("Montant des aides versées", "EUR"),
        ("Nombre de jeunes suivis", "count"),
    ],
)
def test_units_from_wording(label, unit):
    assert unit_of(label, None) == unit


# --- tables built in the test ------------------------------------------------------------------

LAYOUT_2019 = [
    ["Nom de la Mesure", "Indicateurs", "Situation 2018 du Département", "Résultat 2019", "Justification"],
    ["Accès au logement", "Nombre de personnes logées", "40", "52", "hausse due au nouveau dispositif"],
    ["", "Part des personnes suivies", "NR", "61 %", ""],
    ["Aide alimentaire", "Nombre de colis", "", "Sans Objet", ""],
    ["", "Délai moyen d'attente", "", "", ""],
]


def test_layout_2019_values_kinds_and_inheritance():
    doc = make_doc([make_table(LAYOUT_2019, section="3.1.7", line0=10)])
    vals = indicator_values_from_table(doc, doc.tables[0])
    got = [(v.indicator_label, v.measure_label, v.year, v.value_kind, v.value, v.unit, v.qualifier) for v in vals]
    assert got == [
        ("Nombre de personnes logées", "Accès au logement", 2018, "baseline", Decimal("40"), "count", None),
        ("Nombre de personnes logées", "Accès au logement", 2019, "actual", Decimal("52"), "count", None),
        ("Part des personnes suivies", "Accès au logement", 2018, "baseline", None, "%", "NR"),
        ("Part des personnes suivies", "Accès au logement", 2019, "actual", Decimal("61"), "%", None),
        ("Nombre de colis", "Aide alimentaire", 2019, "actual", None, "count", "SO"),
        ("Délai moyen d'attente", "Aide alimentaire", 2019, "actual", None, "days", "empty"),
    ]
    assert vals[0].comment == "hausse due au nouveau dispositif"
    assert vals[0].section == "3.1.7"
    assert vals[1].provenance.line == 11 and vals[1].provenance.raw == "52"
    assert vals[1].provenance.page is None


def test_four_column_variant_with_note():
    rows = [
        ["Indicateurs", "2019", "2020", "2021"],
        ["Nombre de jeunes reçus", "27 (sur 6 mois)", "", ""],
        ["Nombre d'ateliers", "1.204", "", ""],
    ]
    doc = make_doc([make_table(rows)])
    vals = indicator_values_from_table(doc, doc.tables[0])
    assert [(v.year, v.value_kind, v.value, v.qualifier) for v in vals] == [
        (2019, "actual", Decimal("27"), "sur 6 mois"),
        (2019, "actual", Decimal("1204"), None),
    ]
    assert vals[0].measure_label is None


def test_model_2021_with_targets_and_wrapped_header():
    rows = [
        [
            "Nom de la Mesure",
            "Indicateurs",
            "Situation 2018",
            "Résultat atteint en 2019",
            "Résultat atteint en 2020",
            "Résultat attendu en 2021",
            "Résultat atteint en 2021",
            "Explication sur l'atteinte de l'objectif et",
            "Résultat attendu en 2022 (cible)",
        ],
        ["---", "---", "---", "---", "---", "---", "---", "---", "---"],
        ["", "", "", "", "", "", "", "son évolution", ""],
        [
            "Insertion",
            "Taux d'orientation en moins d'un mois",
            "12 %",
            "20 %",
            "35 %",
            "50 %",
            "48 %",
            "proche de la cible",
            "100 %",
        ],
    ]
    doc = make_doc([make_table(rows)])
    vals = indicator_values_from_table(doc, doc.tables[0])
    assert [(v.year, v.value_kind, v.value) for v in vals] == [
        (2018, "baseline", Decimal("12")),
        (2019, "actual", Decimal("20")),
        (2020, "actual", Decimal("35")),
        (2021, "target", Decimal("50")),
        (2021, "actual", Decimal("48")),
        (2022, "target", Decimal("100")),
    ]
    assert all(v.unit == "%" and v.comment == "proche de la cible" for v in vals)


def test_pdf_cells_give_page_and_bbox():
    from calpae.models import BBox

    t = make_table([["Indicateurs", "2019"], ["Nombre de visites", "93"]])
    for c in t.cells:
        c.line_no, c.page = None, 4
        c.bbox = BBox(x0=10 + 100 * c.col, top=20 * c.row, x1=90 + 100 * c.col, bottom=20 * c.row + 15)
    doc = make_doc([t])
    doc.kind = "pdf"
    (v,) = indicator_values_from_table(doc, t)
    assert v.provenance.page == 4 and v.provenance.line is None
    assert v.provenance.bbox.x0 == 110 and v.provenance.raw == "93"


# --- the real Aude 2019 report -------------------------------------------------------------------


def _expected_rows(table: dict) -> list[list[tuple]]:
    out = []
    for row in table["rows"]:
        vals = []
        for item in row:
            kind, year, val = item[:3]
            note = item[3] if len(item) > 3 else None
            vals.append((kind, year, val, note))
        out.append(vals)
    return out


def _observed_rows(values) -> list[list[tuple]]:
    rows: dict[tuple, list] = {}
    for v in values:
        key = (v.table_id, v.measure_label, v.indicator_label)
        if v.value is not None:
            shown, note = format(v.value.normalize(), "f"), v.qualifier
        else:
            shown, note = v.qualifier, None
        rows.setdefault(key, []).append((v.value_kind, v.year, shown, note))
    return list(rows.values())


def _check_aude(values) -> None:
    expected = json.loads((EXPECT / "aude_2019_indicators.json").read_text())["tables"]
    table_values = [v for v in values if v.origin == "table"]
    by_table: dict[str, list] = {}
    for v in table_values:
        by_table.setdefault(v.table_id, []).append(v)
    assert len(by_table) == len(expected) == 10
    observed = [_observed_rows(vs) for vs in by_table.values()]
    assert sum(len(t) for t in observed) == 42
    assert observed == [_expected_rows(t) for t in expected]
    for table, vs in zip(expected, by_table.values(), strict=True):
        if table.get("indicator_ids"):
            row_ids = list(dict.fromkeys((v.indicator_label, v.indicator_id) for v in vs))
            assert [i for _, i in row_ids] == table["indicator_ids"], table["section"]
            assert all(v.measure_id and v.measure_id.startswith("socle.") for v in vs)


@pytest.fixture(scope="module")
def aude_values(seed, corpus_pdf):
    """Indicator values of the Aude 2019 report, read once per kind of input."""
    from calpae.indicators import extract_indicators

    cache = {}

    def get(kind: str):
        if kind not in cache:
            path = seed("aude_2019") if kind == "text" else corpus_pdf("aude_2019")
            cache[kind] = extract_indicators(read_once(path))
        return cache[kind]

    return get


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_aude_2019_indicator_tables(aude_values, kind):
    values = aude_values(kind)
    _check_aude(values)
    table_values = [v for v in values if v.origin == "table"]
    if kind == "pdf":
        assert all(v.provenance.page and v.provenance.bbox for v in table_values)
    else:
        assert all(v.provenance.line and v.provenance.page is None for v in table_values)


def test_aude_2019_prose_keeps_definitions_out(aude_values):
    prose = [v for v in aude_values("text") if v.origin == "prose"]
    assert any(v.value == Decimal("73") and v.unit == "%" and "2001" in v.indicator_label for v in prose)
    near = [v for v in prose if "moins de 30 minutes" in v.provenance.raw]
    assert near and all(v.value != Decimal("30") for v in near)  # the distance defines, it is not a value


# --- prose ---------------------------------------------------------------------------------------


def test_prose_skips_table_lines_and_furniture():
    doc = make_doc(lines=["Indicateur\t12 jeunes\t14", "Reçu en préfecture le 3 mai : 18 dossiers"])
    doc.pages[0].lines[1].furniture = True
    from calpae.indicators.prose import prose_indicators

    assert prose_indicators(doc) == []


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_lot_2021_brochure_prose_indicators(seed, corpus_pdf, kind):
    from calpae.indicators.prose import prose_indicators

    path = seed("lot_bilan_2021") if kind == "text" else corpus_pdf("lot_bilan_2021")
    vals = prose_indicators(read_once(path))
    facts = {(v.value, v.unit) for v in vals}
    for expected in [
        ("24", "count"),
        ("17", "count"),
        ("4", "count"),
        ("2", "count"),
        ("1", "count"),
        ("100", "%"),
        ("30", "days"),
        ("15", "count"),
    ]:
        assert (Decimal(expected[0]), expected[1]) in facts, expected
    labels = {(v.value, v.indicator_label) for v in vals}
    assert {(Decimal("4"), "jeunes en CDI"), (Decimal("2"), "jeunes en CDD")} <= labels
    assert not any(v.unit == "EUR" for v in vals)  # money is in amounts (the fund of 75 000 €), not an indicator


# --- calpae unmapped -----------------------------------------------------------------------------


def _run_with(tmp_path, values, budget_rows=()):
    from calpae.models import Extraction
    from calpae.store import RunStore

    doc = make_doc()
    ext = Extraction(document=doc, indicator_values=values, budget_lines=list(budget_rows))
    with RunStore(tmp_path, write_json=False) as store:
        store.add(ext)
    return tmp_path


def _iv(label: str, indicator_id: str | None = None):
    from calpae.models import IndicatorValue

    prov = make_doc().provenance(page=None, line=1, bbox=None, raw="1")
    return IndicatorValue(provenance=prov, indicator_label=label, indicator_id=indicator_id, value=Decimal(1))


@pytest.mark.parametrize("source", ["duckdb", "csv"])
def test_unmapped_groups_labels_with_counts(tmp_path, source, capsys):
    from calpae.cli import main
    from calpae.models import BudgetLine

    prov = make_doc().provenance(page=None, line=2, bbox=None, raw="5 €")
    budget = [
        BudgetLine(
            provenance=prov,
            table_id="t",
            table_kind="forecast",
            row_label="Action X",
            column_label="Total",
            amount=Decimal(5),
        )
    ]
    run = _run_with(tmp_path, [_iv("Nombre de visites"), _iv("Nombre de visites"), _iv("Mapped", "ind-1")], budget)
    if source == "csv":
        (run / "calpae.duckdb").unlink()
    assert main(["unmapped", str(run)]) == 0
    out = capsys.readouterr().out
    assert "indicator_values: 2 unmapped row(s), 1 distinct label(s)" in out
    assert "2    1 doc(s)  Nombre de visites" in out and "Mapped" not in out
    assert "budget_lines: 1 unmapped row(s)" in out and "Action X" in out


def test_unmapped_on_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    from calpae.cli import main

    assert main(["unmapped", str(tmp_path / "nope")]) == 2
    assert "not a run folder" in capsys.readouterr().err


def test_label_fragment_on_its_own_row_joins_the_row_above():
    rows = [
        ["Indicateurs", "Situation 2018", "Résultat 2019"],
        ["Nombre de personnes suivies par un conseiller dédié à", "NC", "12"],
        ["l'accompagnement renforcé", "", ""],
        ["Délai moyen d'entrée", "", ""],
    ]
    doc = make_doc([make_table(rows)])
    vals = indicator_values_from_table(doc, doc.tables[0])
    assert [v.indicator_label for v in vals] == [
        "Nombre de personnes suivies par un conseiller dédié à l'accompagnement renforcé"
    ] * 2 + ["Délai moyen d'entrée"]
