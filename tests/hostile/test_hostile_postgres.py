"""PostgreSQL from every command, through the command line: extract → batch → reconcile → dataset → explain,
against a real server started by the test (`make test` installs it with scripts/ensure-postgres.sh)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from test_reconcile_documents import yearly_report

from calpae.cli import main
from calpae.store.db import connect


def test_every_command_on_postgres(postgres_url: str, tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    majeurs = "Nombre de jeunes devenus majeurs dans l'année"
    logement = "Nombre de jeunes avec un logement stable"
    (inbox / "aude-2019.md").write_text(
        yearly_report(2019, {majeurs: ("178", "152"), logement: ("103", "111")}, {"Hébergements": "40.500"}),
        encoding="utf-8",
    )
    (inbox / "aude-2020.md").write_text(
        yearly_report(2020, {majeurs: ("178", "152", "160"), logement: ("103", "109", "120")}, {"Hébergements": "42"}),
        encoding="utf-8",
    )
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "out"

    assert main(["extract", str(inbox / "aude-2019.md"), "--db", postgres_url, "--out", str(out), "--quiet"]) == 0
    # batch: the 2019 report is already stored, the 2020 one is new, the broken file fails alone
    assert main(["batch", str(inbox), "--db", postgres_url, "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "2 document(s) processed" in err and "1 already done, 1 failed" in err
    assert f"failed: {inbox / 'broken.pdf'}: corrupt PDF" in err
    assert (out / "dataset" / "dataset_long.csv").exists()

    assert main(["reconcile", "--db", postgres_url]) == 0
    assert main(["dataset", "--db", postgres_url, "--out", str(tmp_path / "dataset")]) == 0
    assert (tmp_path / "dataset" / "dataset_long.parquet").exists()
    capsys.readouterr()
    assert main(["explain", "--db", postgres_url, "11", "ase.logement_stable", "2019"]) == 0
    explained = capsys.readouterr().out
    assert "aude-2019.md" in explained and "aude-2020.md" in explained
    assert "actual: 109  (kept; 2 source(s), sources disagree)" in explained  # the later report's restatement
    assert re.search(r"\n +111  ← .*aude-2019\.md l\.18  «111»", explained)
    assert re.search(r"\n +109  ← .*aude-2020\.md l\.18  «109»", explained)
    assert "CONFLICT restatement" in explained

    with connect(postgres_url) as con:
        assert con.kind == "postgres"
        statuses = dict(con.execute("SELECT source, status FROM documents").fetchall())
        conflicts = con.execute(
            "SELECT indicator_id, year, value_a, value_b FROM conflicts WHERE check_name = 'restatement'"
        ).fetchall()
    expected = [("aude-2019.md", "ok"), ("aude-2020.md", "ok"), ("broken.pdf", "failed")]
    assert statuses == {str(inbox / name): status for name, status in expected}
    assert conflicts == [("ase.logement_stable", 2019, Decimal(111), Decimal(109))]
    # nothing outside --out and the server: no folder named after the URL
    assert not any(p.name.startswith("postgres") for p in tmp_path.iterdir())
