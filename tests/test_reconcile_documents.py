"""Reconciliation end to end: documents generated here go through extract, the store and reconcile."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from calpae.cli import main
from calpae.reconcile import reconcile
from calpae.store.db import connect

STAMP = (
    "Envoyé en préfecture le {d}/04/{y}\nReçu en préfecture le {d}/04/{y}\nAffiché le\n"
    "ID : 011-221100019-{y}04{d}-RAPPORT{y}-DE\n"
)


def yearly_report(year: int, results: dict[str, tuple[str, ...]], actions: dict[str, str]) -> str:
    """A small rapport d'exécution export: one socle measure, its executed budget and its indicator table."""
    header = "\t".join(
        ["Nom de la Mesure", "Indicateurs", "Situation 2018"]
        + [f"Résultat {y}" for y in range(2019, year + 1)]
        + ["Commentaire"]
    )
    rows = [f"Suivi des jeunes\t{name}\t" + "\t".join(values) + "\t" for name, values in results.items()]
    budget = [f"{label}\t{amount} €" for label, amount in actions.items()]
    total = sum(Decimal(a.replace(".", "")) for a in actions.values())
    return "\n".join(
        [
            STAMP.format(d="14", y=year + 1),
            "**RAPPORT D'EXECUTION DE LA CONVENTION D'APPUI A LA LUTTE CONTRE LA PAUVRETE ET D'ACCES A L'EMPLOI**",
            f"ANNEE {year}",
            "Département de l'Aude",
            "",
            "1. Mesures socle",
            "",
            "1.1. Prévenir les « sorties sèches » des jeunes sortant de l'aide sociale à l'enfance",
            "",
            "1.1.1. Indicateurs",
            "",
            header,
            *rows,
            "",
            "1.1.2. Budget exécuté",
            "",
            f"Actions menées\tRéalisé {year}",
            *budget,
            f"TOTAL\t{total:,.0f} €".replace(",", "."),
            "",
        ]
    )


def test_two_yearly_reports_give_two_restatements_and_a_linked_action(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "aude-2019.md").write_text(
        yearly_report(
            2019,
            {
                "Nombre de jeunes devenus majeurs dans l'année": ("178", "152"),
                "Nombre de jeunes avec un logement stable": ("103", "111"),
                "Nombre de jeunes ayant accès à des ressources financières": ("18", "34"),
            },
            {"Diagnosics partagés des besoins": "12.000", "Hébergements collectifs": "40.500"},
        ),
        encoding="utf-8",
    )
    (inbox / "aude-2020.md").write_text(
        yearly_report(
            2020,
            {
                "Nombre de jeunes devenus majeurs dans l'année": ("178", "152", "160"),
                "Nombre de jeunes avec un logement stable": ("103", "109", "120"),  # 2019 restated: 111 → 109
                "Nombre de jeunes ayant accès à des ressources financières": ("18", "36", "41"),  # 34 → 36
            },
            {"Diagnostics partagés des besoins": "15.000", "Hébergements collectifs": "42.000"},
        ),
        encoding="utf-8",
    )
    db = tmp_path / "run.duckdb"
    assert main(["extract", str(inbox), "--out", str(tmp_path / "out"), "--db", str(db), "--quiet"]) == 0
    with connect(db) as con:
        reconcile(con)
        conflicts = con.execute(
            "SELECT check_name, indicator_id, year, kind, value_a, value_b FROM conflicts ORDER BY indicator_id"
        ).fetchall()
        links = con.execute("SELECT label, canonical FROM label_links").fetchall()
        n_docs = con.execute("SELECT count(*) FROM documents WHERE departement_code = '11'").fetchone()[0]
    assert n_docs == 2
    assert conflicts == [
        ("restatement", "ase.logement_stable", 2019, "actual", Decimal(111), Decimal(109)),
        ("restatement", "ase.ressources_financieres", 2019, "actual", Decimal(34), Decimal(36)),
    ]
    assert links == [("Diagnostics partagés des besoins", "Diagnosics partagés des besoins")]


def test_text_and_pdf_of_one_report_agree_and_rerun_does_not_duplicate(tmp_path: Path, seed, corpus_pdf) -> None:
    """The Aude report's text export and its PDF are two documents whose facts must agree."""
    db = tmp_path / "run.duckdb"
    files = [str(seed("aude_2019")), str(corpus_pdf("aude_2019"))]
    counts = []
    for _ in range(2):
        main(["extract", *files, "--out", str(tmp_path / "out"), "--db", str(db), "--quiet"])
        with connect(db) as con:
            assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
            reconcile(con)
            counts.append(con.execute("SELECT count(*) FROM series").fetchone()[0])
            in_both = con.execute(  # the tables' facts (the prose's may be worded apart by the PDF's line breaks)
                "SELECT count(*), count(*) FILTER (WHERE n = 2) FROM (SELECT fact_key, count(DISTINCT s.document_id) "
                "AS n FROM series s WHERE fact_type = 'budget' AND EXISTS (SELECT 1 FROM budget_lines b WHERE "
                "b.origin = 'table' AND b.document_id = s.document_id AND b.amount = s.value AND "
                "coalesce(b.action, b.row_label) = s.action_label AND "
                "coalesce(b.page, -1) = coalesce(s.page, -1) AND coalesce(b.line, -1) = coalesce(s.line, -1)) "
                "GROUP BY fact_key)"
            ).fetchone()
            budget_conflicts = con.execute("SELECT count(*) FROM conflicts WHERE fact_type = 'budget'").fetchone()[0]
            forecast = dict(
                con.execute(
                    "SELECT measure_id, sum(value) FROM series WHERE fact_type = 'budget' AND stage = 'planned' "
                    "AND part = 'total' AND level = 'measure' AND source LIKE '%.pdf' GROUP BY 1"
                ).fetchall()
            )
    assert counts[0] == counts[1] > 0  # re-extracting replaces rows, it never adds a copy
    assert in_both[0] == in_both[1] > 40  # every budget fact is found in both the text and the PDF
    assert budget_conflicts == 0
    assert forecast["socle.ase_sorties"] == Decimal("118000")


def test_dataset_over_the_seed_exports(tmp_path: Path, seed) -> None:
    import pandas as pd

    db = tmp_path / "run.duckdb"
    main(
        [
            "extract",
            str(seed("aude_2019")),
            str(seed("lot_et_garonne_2020")),
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(db),
            "--quiet",
        ]
    )
    assert main(["dataset", "--db", str(db), "--out", str(tmp_path / "dataset")]) == 0
    long = pd.read_parquet(tmp_path / "dataset" / "dataset_long.parquet")
    kinds = set(zip(long.departement_code, long.fact_type, strict=True))
    assert {("11", "budget"), ("11", "indicator"), ("47", "budget")} <= kinds
    aude = long[(long.departement_code == "11") & (long.indicator_id == "ase.jeunes_majeurs")]
    # the table's baseline and result; the prose adds the avenant's planned 150 (a target stated in a sentence)
    assert dict(zip(aude.value_kind, aude.value, strict=True)) == {
        "baseline": Decimal(178),
        "actual": Decimal(152),
        "target": Decimal(150),
    }
    leg = long[(long.departement_code == "47") & (long.fact_type == "budget") & (long.year == 2020)]
    assert Decimal("1936652") in set(leg.value)  # the summary table's total
    wide = pd.read_csv(tmp_path / "dataset" / "dataset_wide.csv", dtype=str)
    assert {("11", "2019"), ("47", "2020")} <= set(zip(wide.departement_code, wide.year, strict=True))
    coverage = pd.read_csv(tmp_path / "dataset" / "coverage.csv", dtype=str)
    assert len(coverage) == 101
    assert set(coverage[coverage.has_data == "true"].departement_code) == {"11", "47"}
