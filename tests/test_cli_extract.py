"""`calpae extract` end to end: run tables, DuckDB, failed rows for bad files, re-runs that replace rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from calpae.cli import main
from calpae.store import TABLE_SCHEMAS


def make_pdf(path: Path, lines: list[str]) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for text in lines:
        c.drawString(72, y, text)
        y -= 16
    c.showPage()
    c.save()
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def mixed_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = make_pdf(inbox / "rapport.pdf", ["Rapport d'execution 2020", "Part Etat 12 000 EUR"])
    (inbox / "truncated.pdf").write_bytes(good.read_bytes()[:300])
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "renamed.pdf").write_text("just some words, not a PDF\n", encoding="utf-8")
    (inbox / "notes.txt").write_text("1. Introduction\nLe budget est de 12 000 EUR.\n", encoding="utf-8")
    return inbox


def test_bad_files_fail_alone_with_clear_messages(mixed_inbox: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    status = main(["extract", str(mixed_inbox), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    rows = {Path(r["source"]).name: r for r in read_csv(out / "documents.csv")}
    assert set(rows) == {"rapport.pdf", "truncated.pdf", "empty.pdf", "renamed.pdf", "notes.txt"}
    assert rows["rapport.pdf"]["status"] == "ok" and rows["rapport.pdf"]["pages"] == "1"
    assert rows["notes.txt"]["status"] == "ok"
    for bad, reason in [("truncated.pdf", "PDF"), ("empty.pdf", "empty file"), ("renamed.pdf", "not a PDF")]:
        assert rows[bad]["status"] == "failed"
        assert reason in rows[bad]["error"]
        assert f"{bad}:" in err  # one line naming the file
    # the good document's full record is written
    doc = json.loads((out / f"{rows['rapport.pdf']['document_id']}.json").read_text(encoding="utf-8"))
    assert doc["document"]["pages"][0]["lines"][0]["text"].startswith("Rapport")


def test_missing_file_is_a_failed_row(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    status = main(["extract", str(tmp_path / "nowhere.pdf"), "--out", str(out), "--quiet"])
    assert status == 1
    (row,) = read_csv(out / "documents.csv")
    assert row["status"] == "failed" and "not found" in row["error"]
    assert "nowhere.pdf: file not found" in capsys.readouterr().err


def test_every_run_table_exists_with_its_schema(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "a.pdf", ["Texte"])
    out = tmp_path / "out"
    assert main(["extract", str(src), "--out", str(out), "--quiet"]) == 0
    con = duckdb.connect(str(out / "calpae.duckdb"), read_only=True)
    for table, columns in TABLE_SCHEMAS.items():
        with open(out / f"{table}.csv", encoding="utf-8") as fh:
            assert fh.readline().strip().split(",") == list(columns)
        db_cols = [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]
        assert db_cols == list(columns)
    assert {"documents", "budget_lines", "indicator_values", "amounts", "findings"} <= set(TABLE_SCHEMAS)


def test_rerun_and_copy_under_another_name_do_not_duplicate(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "a.pdf", ["Texte"])
    copy = tmp_path / "b.pdf"
    copy.write_bytes(src.read_bytes())
    out = tmp_path / "out"
    main(["extract", str(src), "--out", str(out), "--quiet"])
    main(["extract", str(src), str(copy), "--out", str(out), "--quiet"])
    rows = read_csv(out / "documents.csv")
    assert len(rows) == 1
    assert rows[0]["document_id"] == rows[0]["sha256"][:16]


def test_schema_command_prints_json_schema(capsys) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "Document" in schema["$defs"] and "BudgetLine" in schema["$defs"]
