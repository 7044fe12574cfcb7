"""Reconciliation: restatements between two yearly reports, renamed actions linked one to one, dataset exports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from calpae.models import BudgetLine, Document, Extraction, IndicatorValue, Provenance
from calpae.reconcile import export_dataset, reconcile
from calpae.reconcile.facts import Label, link, link_labels, normalise_label
from calpae.store import RunStore
from calpae.store.db import Database, connect


def report(doc_id: str, year: int, indicators: dict[tuple[str, int, str], str], actions: dict[str, str]) -> Extraction:
    doc = Document(
        id=doc_id,
        source=f"{doc_id}.pdf",
        sha256=doc_id * 4,
        doc_type="rapport_execution",
        departement_code="11",
        year=year,
        period=str(year),
        page_count=3,
    )
    prov = Provenance(document_id=doc_id, source=doc.source, page=2, raw="cell")
    values = [
        IndicatorValue(
            provenance=prov,
            departement_code="11",
            indicator_id=ind,
            indicator_label=ind,
            year=y,
            value_kind=kind,
            value=Decimal(v),
        )
        for (ind, y, kind), v in indicators.items()
    ]
    lines = [
        BudgetLine(
            provenance=prov,
            departement_code="11",
            measure_id="socle.premier_accueil",
            table_id=f"{doc_id}-t1",
            table_kind="forecast",
            row_label=label,
            column_label="Total",
            year=2020,
            role="total",
            stage="planned",
            part="total",
            level="action",
            action=label,
            amount=Decimal(amount),
        )
        for label, amount in actions.items()
    ]
    return Extraction(document=doc, indicator_values=values, budget_lines=lines)


def build_db(tmp_path: Path, db: str | None = None) -> Database:
    common = {("acc.orientes_30j", 2018, "baseline"): "40", ("acc.delai_moyen", 2018, "baseline"): "55"}
    first = report(
        "a" * 16,
        2019,
        {
            **common,
            ("acc.orientes_30j", 2019, "actual"): "61",
            ("acc.delai_moyen", 2019, "actual"): "42",
            ("ase.jeunes_majeurs", 2019, "actual"): "120",
        },
        {"Diagnosics partagés du territoire": "10000", "Coordination des accueils": "5000"},
    )
    second = report(
        "b" * 16,
        2020,
        {
            **common,
            ("acc.orientes_30j", 2019, "actual"): "64",
            ("acc.delai_moyen", 2019, "actual"): "40",
            ("ase.jeunes_majeurs", 2019, "actual"): "120",
            ("acc.orientes_30j", 2020, "actual"): "70",
        },
        {"Diagnostics partagés du territoire": "10000", "Coordination des accueils": "5000"},
    )
    with RunStore(tmp_path, db_path=db, write_json=False) as store:
        store.add(first)
        store.add(second)
    return connect(db or tmp_path / "calpae.duckdb")


def test_two_restatements_and_one_renamed_action(tmp_path: Path) -> None:
    con = build_db(tmp_path)
    summary = reconcile(con)
    conflicts = con.execute(
        "SELECT check_name, indicator_id, year, value_a, value_b, document_a, document_b FROM conflicts "
        "ORDER BY indicator_id"
    ).fetchall()
    assert [(c[0], c[1], c[2], c[3], c[4]) for c in conflicts] == [
        ("restatement", "acc.delai_moyen", 2019, Decimal("42"), Decimal("40")),
        ("restatement", "acc.orientes_30j", 2019, Decimal("61"), Decimal("64")),
    ]
    assert {(c[5], c[6]) for c in conflicts} == {("a" * 16, "b" * 16)}
    links = con.execute("SELECT label, canonical, score FROM label_links").fetchall()
    assert links == [("Diagnostics partagés du territoire", "Diagnosics partagés du territoire", links[0][2])]
    assert 85 <= links[0][2] < 100
    assert summary.conflicts == 2
    findings = con.execute('SELECT "check", document_id FROM findings ORDER BY 1').fetchall()
    assert findings == [("restatement", "b" * 16)] * 2
    # re-running replaces, it does not pile up
    reconcile(con)
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 2


def test_dataset_long_wide_coverage(tmp_path: Path) -> None:
    con = build_db(tmp_path)
    reconcile(con)
    written = export_dataset(con, tmp_path / "dataset")
    assert {p.name for p in written} >= {"dataset_long.csv", "dataset_long.parquet", "dataset_wide.csv", "coverage.csv"}
    long = pd.read_parquet(tmp_path / "dataset" / "dataset_long.parquet")
    row = long[(long.indicator_id == "acc.orientes_30j") & (long.year == 2019)].iloc[0]
    assert row.value == Decimal("64") and bool(row.has_conflict) and row.n_sources == 2
    assert row.departement_name == "Aude"
    named = long[long.indicator_id == "ase.jeunes_majeurs"].iloc[0]
    assert named.indicator_name.startswith("Nombre de jeunes") and named.unit == ""
    wide = pd.read_csv(tmp_path / "dataset" / "dataset_wide.csv", dtype=str)
    assert list(wide.departement_code.unique()) == ["11"]
    assert wide.loc[wide.year == "2020", "budget:socle.premier_accueil:planned:total"].item() == "15000"
    coverage = pd.read_csv(tmp_path / "dataset" / "coverage.csv", dtype=str)
    assert len(coverage) == 101
    assert coverage.set_index("departement_code").loc["11", "has_data"] == "true"


def test_label_normalisation_and_linking() -> None:
    assert normalise_label("  Référent  de parcours ! ") == "referent de parcours"
    links = link_labels(
        [
            ("47", "m", "Accompagnement global renforcé"),
            ("47", "m", "renforcé Accompagnement global"),
            ("47", "other", "renforcé Accompagnement global"),
            ("47", "m", "Formation"),
        ]
    )
    assert links[("47", "m", "renforcé Accompagnement global")].canonical == "Accompagnement global renforcé"
    assert links[("47", "other", "renforcé Accompagnement global")].canonical == "renforcé Accompagnement global"
    assert links[("47", "m", "Formation")].canonical == "Formation"


def test_linking_is_one_to_one_and_never_merges_two_labels_of_one_document() -> None:
    postes = ("Frais de personnel", "Prestations de service", "Communication et animation")
    first = [Label("11", "m", f"Épicerie – {p}", "A", "detail") for p in postes]
    second = [Label("11", "m", f"Épicerie – {p}", "B", "detail") for p in reversed(postes)]
    renamed = [Label("11", "m", "1.2 Hébergements", "A"), Label("11", "m", "Action 1.2 : Hébergement des jeunes", "B")]
    links = link([*first, *second, *renamed])
    assert {links[lab].canonical for lab in first} == {lab.label for lab in first}  # three actions stay three
    assert [links[lab].canonical for lab in second] == [lab.label for lab in second]  # each to its own twin
    assert links[renamed[1]].canonical == "1.2 Hébergements"  # the same fiche number, reworded


def test_cost_items_of_one_numbered_action_link_by_their_own_words() -> None:
    """Every cost item of action 1.1 carries the number 1.1: the number cannot tell them apart. A reading that lost
    the wrapped first line of the labels still links each item to its own twin, not to the next one."""
    postes = ("Frais de personnel", "Prestations de service", "Subventions aux partenaires", "Communication")
    short = [Label("972", "m", f"1.1 jeune de dix-sept ans – {p}", "A", "detail") for p in postes]
    full = [
        Label("972", "m", f"1.1 Entretien et personne lien pour chaque jeune de dix-sept ans – {p}", "B", "detail")
        for p in reversed(postes)  # the other document lists them in another order
    ]
    other = Label("972", "m", "1.2 Hébergement des jeunes – Frais de personnel", "B", "detail")
    links = link([*short, *full, other])
    assert [links[lab].canonical for lab in full] == [lab.label for lab in reversed(short)]
    assert links[other].canonical == other.label  # another action's item, though its words match one


def test_a_fiche_number_buried_under_header_words_links_to_its_action() -> None:
    """A page break ran the recap's repeated header and theme cells into a row's label: the fiche number inside it
    still names the action, and the action keeps the clean wording another document gives it."""
    buried = Label("11", "m", "Thème Imputation chorus 0304 50 19 19 04 - Référents de parcours 3.2 Outil partagé", "A")
    glued = Label("11", "i", "Initiatives locales 0304 50 19 19 108.2 Accès aux soins", "A")
    clean = [Label("11", "m", "3.2 Outil partagé de suivi", "B"), Label("11", "i", "8.2 Accès aux soins des", "B")]
    other = Label("11", "m", "Thème Imputation chorus 3.1 Déploiement", "C")
    links = link([buried, glued, *clean, other])
    assert links[buried].canonical == links[clean[0]].canonical == "3.2 Outil partagé de suivi"
    assert links[glued].canonical == links[clean[1]].canonical == "8.2 Accès aux soins des"
    assert links[other].canonical == other.label  # 3.1 is no number of the 3.2 action: its own


def test_explain_names_every_source_and_the_conflict(tmp_path: Path, capsys) -> None:
    from calpae.cli import main

    build_db(tmp_path).close()
    db = str(tmp_path / "calpae.duckdb")
    assert main(["reconcile", "--db", db]) == 0
    capsys.readouterr()
    assert main(["explain", "--db", db, "11", "acc.orientes_30j", "2019"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("←")[1].split()[0] for line in out if "←" in line] == [
        "aaaaaaaaaaaaaaaa.pdf",
        "bbbbbbbbbbbbbbbb.pdf",
    ]
    assert any(line.startswith("CONFLICT restatement") and "61" in line and "64" in line for line in out)
    assert main(["explain", "--db", db, "11", "acc.orientes_30j", "2031"]) == 1


def _order_db(tmp_path: Path, name: str, labels: list[str], dept_b: str) -> Database:
    """Two départements; in the first, near-duplicate labels tie on (document, page, line), inserted in `labels`
    order."""
    first = report("c" * 16, 2019, {}, {label: "5000" for label in labels})
    other = report("d" * 16, 2019, {("ase.jeunes_majeurs", 2019, "actual"): "80"}, {"Bus solidaire": "700"})
    other.document.departement_code = dept_b
    for rec in [*other.budget_lines, *other.indicator_values]:
        rec.departement_code = dept_b
    with RunStore(tmp_path / name, write_json=False) as store:
        store.add(first)
        store.add(other)
    return connect(tmp_path / name / "calpae.duckdb")


def test_reconcile_and_dataset_do_not_depend_on_row_order(tmp_path: Path) -> None:
    labels = ["Coordination des accueils", "Coordination des acceuils"]
    outputs = []
    for name, order in (("ab", labels), ("ba", labels[::-1])):
        con = _order_db(tmp_path, name, order, dept_b="34")
        reconcile(con)
        links = con.execute("SELECT departement_code, label, canonical FROM label_links").fetchall()
        series = con.execute("SELECT fact_key, value FROM series ORDER BY 1, 2").fetchall()
        export_dataset(con, tmp_path / name / "dataset")
        outputs.append((links, series, (tmp_path / name / "dataset" / "dataset_long.csv").read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]  # nothing follows the order the rows were stored in
    links, _, long_csv = outputs[0]
    assert links == []  # two labels of one document are two actions, however alike
    assert [line.split(",")[0] for line in long_csv.splitlines()[1:]] == [
        "11",
        "11",
        "34",
        "34",
    ]  # one département after the other


def test_a_sub_total_cut_from_its_rows_takes_the_measure_of_its_numbered_actions(tmp_path: Path) -> None:
    doc = report("e" * 16, 2021, {}, {"8.1 Épicerie sociale": "700", "Sous total 8": "700"})
    lines = doc.budget_lines
    lines[0].measure_id, lines[1].measure_id = "initiative.locales", None
    lines[1].level, lines[1].action = "measure", ""
    with RunStore(tmp_path, write_json=False) as store:
        store.add(doc)
    con = connect(tmp_path / "calpae.duckdb")
    reconcile(con)
    got = con.execute("SELECT measure_id, measure_source FROM series WHERE level = 'measure'").fetchall()
    assert got == [("initiative.locales", "linked")]
