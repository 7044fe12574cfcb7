"""The national dataset end to end: generated documents → extract → store → reconcile → files, against the truth's
national facts; typed and documented outputs; a stale database rebuilt or refused, never silently used."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from calpae.cli import main
from calpae.models import Document, Extraction, IndicatorValue, Provenance
from calpae.pipeline import extract_document
from calpae.reconcile import StaleDatabase, export_dataset, reconcile, stale_reason
from calpae.store import RunStore
from calpae.store.db import connect
from corpora import build_corpus
from corpora.facts import national_facts, wide_cells

FACT = ("departement_code", "measure_id", "level", "action", "year", "stage", "part")


def _label(text: str | None) -> str:
    from calpae.budget.actions import action_key

    return action_key(text)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """One département over a 2019-model and a 2021-model year, extracted into a database and reconciled."""
    root = tmp_path_factory.mktemp("generated")
    build_corpus(root / "docs", 1, [2019, 2021], seed=5, scan="none", codes=["06"])
    with RunStore(root / "run", write_json=False) as store:
        for pdf in sorted((root / "docs").glob("*.pdf")):
            store.add(extract_document(pdf))
    with connect(root / "run" / "calpae.duckdb") as con:
        reconcile(con)
    return root / "docs", root / "run" / "calpae.duckdb"


def test_every_budget_fact_once_with_its_measure_stage_part_and_level(generated):
    docs, db = generated
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(docs.glob("*.truth.json"))]
    truth = {
        (*(str(f[k] or "") for k in FACT[:3]), _label(f["action"]), *(str(f[k]) for k in FACT[4:])): f
        for f in national_facts(truths)
    }
    with connect(db, read_only=True) as con:
        rows = con.execute(
            "SELECT departement_code, measure_id, level, action, year, stage, part, value FROM dataset_long "
            "WHERE fact_type = 'budget'"
        ).fetchall()
    got = {(*(str(v or "") for v in r[:3]), _label(r[3]), *(str(v) for v in r[4:7])): r[7] for r in rows}
    assert len(got) == len(rows) == len(truth) > 300  # no fact twice, none missing, none made up
    assert got.keys() == truth.keys()
    wrong = [k for k, v in got.items() if v not in {Decimal(x) for x in truth[k].get("values", [truth[k]["value"]])}]
    assert wrong == []


def test_every_wide_cell_is_the_sum_of_one_level(generated):
    docs, db = generated
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(docs.glob("*.truth.json"))]
    cells = wide_cells(national_facts(truths))
    with connect(db, read_only=True) as con:
        cur = con.execute("SELECT * FROM dataset_wide")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    got = {
        (r["departement_code"], r["year"], *c.split(":")[1:]): v
        for r in rows
        for c, v in r.items()
        if c.startswith("budget:") and v is not None
    }
    assert got.keys() == cells.keys()
    assert [c for c, t in cells.items() if got[c] not in t["accepted"]] == []
    executed = got[("06", 2019, "socle.ase_sorties", "executed", "total")]
    assert cells[("06", 2019, "socle.ase_sorties", "executed", "total")]["level"] == "measure" and executed > 0


def test_files_are_typed_documented_and_valid(generated, tmp_path):
    from frictionless import validate

    _, db = generated
    with connect(db) as con:
        written = export_dataset(con, tmp_path, xlsx=True, french_csv=True)
    assert {p.name for p in written} >= {"datapackage.json", "dataset.xlsx", "dataset_long.fr.csv", "coverage.parquet"}
    long = pq.read_schema(tmp_path / "dataset_long.parquet")
    assert str(long.field("value").type) == "decimal128(38, 6)" and str(long.field("year").type) == "int64"
    assert str(long.field("departement_code").type) == "string"
    wide = pq.read_schema(tmp_path / "dataset_wide.parquet")
    assert {str(wide.field(n).type) for n in wide.names[2:]} == {"decimal128(38, 6)"}
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert {"value": "06", "label": "Alpes-Maritimes"} in fields["departement_code"]["categories"]
    french = (tmp_path / "dataset_wide.fr.csv").read_bytes()
    assert french.startswith(b"\xef\xbb\xbfdepartement_code;year;budget:")
    frame = pd.read_csv(tmp_path / "dataset_long.fr.csv", sep=";", decimal=",", dtype={"departement_code": str})
    assert set(frame.departement_code) == {"06"} and frame.value.dtype.kind == "f"
    sheet = pd.read_excel(tmp_path / "dataset.xlsx", sheet_name="dataset_long", dtype={"departement_code": str})
    assert len(sheet) == len(frame)


def _indicator_doc(doc_id: str, dept: str, value: str) -> Extraction:
    doc = Document(id=doc_id, source=f"{doc_id}.pdf", sha256=doc_id * 4, doc_type="rapport_execution",
                   departement_code=dept, year=2020, period="2020", page_count=1)  # fmt: skip
    prov = Provenance(document_id=doc_id, source=doc.source, page=1, raw=value)
    value_row = IndicatorValue(
        provenance=prov,
        departement_code=dept,
        indicator_id="ase.jeunes_majeurs",
        indicator_label="Jeunes majeurs",
        year=2020,
        value_kind="actual",
        value=Decimal(value),
    )
    return Extraction(document=doc, indicator_values=[value_row])


def test_a_stale_database_is_rebuilt_or_refused(tmp_path, capsys):
    with RunStore(tmp_path, write_json=False) as store:
        store.add(_indicator_doc("a" * 16, "11", "120"))
    db = str(tmp_path / "calpae.duckdb")
    assert main(["reconcile", "--db", db]) == 0
    with RunStore(tmp_path, write_json=False) as store:  # a new département's report arrives after reconciliation
        store.add(_indicator_doc("b" * 16, "06", "75"))
    with connect(db) as con:
        assert "extracted" in stale_reason(con)
        with pytest.raises(StaleDatabase):
            export_dataset(con, tmp_path / "refused", rebuild=False)
    assert not (tmp_path / "refused" / "dataset_long.csv").exists()
    capsys.readouterr()
    assert main(["explain", "--db", db, "6", "ase.jeunes_majeurs", "2020"]) == 0
    captured = capsys.readouterr()
    assert "reconciling first" in captured.err and "75" in captured.out
    assert main(["explain", "--db", db, "Alpes-Maritimes", "Nombre de jeunes devenus majeurs", "2020"]) == 0
    assert "Alpes-Maritimes (06)" in capsys.readouterr().out
    with RunStore(tmp_path, write_json=False) as store:
        store.add(_indicator_doc("c" * 16, "2A", "9"))
    assert main(["dataset", "--db", db, "--out", str(tmp_path / "dataset")]) == 0
    long = pd.read_csv(tmp_path / "dataset" / "dataset_long.csv", dtype={"departement_code": str})
    assert sorted(long.departement_code) == ["06", "11", "2A"]


def test_explain_prints_amounts_as_amounts(generated, capsys):
    _, db = generated
    assert main(["explain", "--db", str(db), "06", "socle.ase_sorties", "2019"]) == 0
    out = capsys.readouterr().out
    assert "executed total" in out and " €" in out and ".000000" not in out


CELLS = (("planned", "etat"), ("planned", "departement"), ("planned", "total"), ("executed", "total"))
# The Aude 2019 report's own measure totals (its forecast and executed tables, one per socle measure).
AUDE_SOCLE = {
    "socle.ase_sorties": ("59000", "59000", "118000", "1207650.75"),
    "socle.premier_accueil": ("90000", "90000", "180000", "43084.20"),
    "socle.referent_parcours": ("50000", "50000", "100000", "2733.50"),
    "socle.insertion_orientation": ("156111.20", "156111.20", "312222.40", "139164"),
    "socle.garantie_activite": ("156111.20", "156111.20", "312222.40", "378247.93"),
}


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_aude_2019_wide_cells_are_the_reports_measure_totals(kind, seed, corpus_pdf, tmp_path):
    from _read_cache import read_once

    from calpae.pipeline import analyse_document

    path = seed("aude_2019") if kind == "text" else corpus_pdf("aude_2019")
    with RunStore(tmp_path, write_json=False) as store:
        store.add(analyse_document(read_once(path)))
    with connect(tmp_path / "calpae.duckdb") as con:
        reconcile(con)
        cur = con.execute("SELECT * FROM dataset_wide WHERE departement_code = '11' AND year = 2019")
        row = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    got = {m: tuple(row[f"budget:{m}:{stage}:{part}"] for stage, part in CELLS) for m in AUDE_SOCLE}
    assert got == {m: tuple(Decimal(v) for v in values) for m, values in AUDE_SOCLE.items()}
    # the initiative measures (2.1 to 2.5) are actions of one national measure: their totals add up, once each
    assert row["budget:initiative.locales:executed:total"] == Decimal("1044589.10")
