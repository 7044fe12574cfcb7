"""Arguments and environments calpae cannot use: one line naming what is wrong, exit 2, nothing written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest
from hostile_inputs import assert_clean_stderr, by_tail, documents, pdf_bytes

from calpae.batch.local import usable_cores, worker_count
from calpae.batch.names import raw_name, shown_name
from calpae.cli import main
from calpae.store.db import Database, DatabaseError


@pytest.fixture
def one_doc(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("Budget 2019 : 12 000 €\n", encoding="utf-8")
    return path


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert_clean_stderr(err)
    assert err.count("\n") == 1, err
    return err.strip()


@pytest.mark.parametrize(
    "option, value, says",
    [
        ("--timeout-per-doc", "inf", "'inf': must be a number of seconds > 0 and ≤ 604800"),
        ("--timeout-per-doc", "nan", "'nan': must be a number of seconds > 0 and ≤ 604800"),
        ("--timeout-per-doc", "0", "'0': must be a number of seconds > 0 and ≤ 604800"),
        ("--timeout-per-doc", "-1", "'-1': must be a number of seconds > 0 and ≤ 604800"),
        ("--max-memory-mb", "0", "'0': must be a number of MB ≥ 1024"),
        ("--max-memory-mb", "-1", "'-1': must be a number of MB ≥ 1024"),
        ("--workers", "0", "'0': must be ≥ 1"),
        ("--workers", "two", "'two' is not a number"),
    ],
)
@pytest.mark.parametrize("command", ["batch", "extract"])
def test_unusable_limits_are_one_line_and_exit_2(
    command: str, option: str, value: str, says: str, one_doc: Path, tmp_path: Path, capsys
) -> None:
    where = ["--db", str(tmp_path / "x.duckdb")] if command == "batch" else ["--out", str(tmp_path / "out")]
    assert main([command, str(one_doc), *where, option, value]) == 2
    assert one_line(capsys) == f"calpae {command}: argument {option}: {says} (see calpae {command} --help)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_bad_databases_are_one_line_and_exit_2(one_doc: Path, tmp_path: Path, capsys) -> None:
    zero = tmp_path / "zero.duckdb"
    zero.write_bytes(b"")
    foreign = tmp_path / "notes.duckdb"
    foreign.write_text("not a database\n", encoding="utf-8")
    cases = {
        str(zero): f"{zero}: not a DuckDB database (an empty file or a file of another kind)",
        str(foreign): f"{foreign}: not a DuckDB database (an empty file or a file of another kind)",
        "md:calpae": "md:calpae: not a database calpae can use (a DuckDB file path, or postgresql://…)",
        "s3://bucket/run.duckdb": "s3://bucket/run.duckdb: not a database calpae can use",
        str(tmp_path): f"--db {tmp_path}: a folder, not a database file",
        "postgresql://u:secret@127.0.0.1:1/db": "postgresql://u:***@127.0.0.1:1/db: cannot connect (connection failed",
        "postgresql://u@127.0.0.1:notaport/db": "postgresql://u@127.0.0.1:notaport/db: cannot connect",
    }
    for db, says in cases.items():
        out = ["--out", str(tmp_path / "out")] if "://" in db or db.startswith("md:") else []
        assert main(["batch", str(one_doc), "--db", db, "--quiet", *out]) == 2, db
        line = one_line(capsys)
        assert line.startswith(f"calpae batch: {says}"), line
        assert "secret" not in line
    for command in (["reconcile", "--db", str(zero)], ["explain", "--db", str(foreign), "11", "x", "2019"]):
        assert main(command) == 2
        assert "not a DuckDB database" in one_line(capsys)
    assert not (tmp_path / "postgresql:").exists() and not Path("postgresql:").exists()


def test_duckdb_never_loads_an_extension(tmp_path: Path) -> None:
    with Database(tmp_path / "x.duckdb") as con:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('autoinstall_known_extensions', 'autoload_known_extensions')"
            ).fetchall()
        )
        assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_json_auto('https://example.invalid/x.json')")
    with pytest.raises(DatabaseError, match=r"postgres://x@h/db\?connect_timeout=1: cannot connect"):
        Database("postgres://x@h/db?connect_timeout=1")


def test_unwritable_out_is_said_before_any_work(one_doc: Path, tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    for out, says in [("/proc/calpae-x", "cannot write there"), (str(a_file / "sub"), "cannot write there")]:
        assert main(["batch", str(one_doc), "--db", str(tmp_path / "x.duckdb"), "--out", out, "--quiet"]) == 2
        assert one_line(capsys).startswith(f"calpae batch: --out {out}: {says}")
    if os.geteuid() != 0:  # root writes anywhere: a read-only folder is only read-only to others
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
        assert main(["batch", str(one_doc), "--db", str(tmp_path / "y.duckdb"), "--out", str(ro)]) == 2
        assert "cannot write there (Permission denied)" in one_line(capsys)
    assert not (tmp_path / "x.duckdb").exists()


def test_explain_before_reconcile_and_dataset_on_an_empty_database(one_doc: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "run.duckdb"
    assert main(["extract", str(one_doc), "--out", str(tmp_path / "out"), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    # a database never reconciled is reconciled first, and says so (issue 13: never used stale, never silently)
    assert main(["explain", "--db", str(db), "11", "x", "2019"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "calpae explain: the database has not been reconciled yet; reconciling first",
        "no value for département 11, x, 2019",
    ]
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main(["dataset", "--db", str(empty), "--out", str(tmp_path / "ds")]) == 2
    assert one_line(capsys) == f"calpae: {empty} holds no run tables (run `calpae extract … --db {empty}` first)"
    assert main(["explain", "--db", str(db), "11' OR 1=1 --", "x; DROP TABLE documents", "2019"]) == 2
    assert len(documents(db)) == 1


def test_workers_are_clamped_to_the_documents_and_the_cores(one_doc: Path, tmp_path: Path, capsys) -> None:
    assert worker_count(1000, 5) == min(5, usable_cores())
    assert worker_count(1000, 1) == 1 and worker_count(3, 10_000) == min(3, usable_cores())
    assert main(["batch", str(one_doc), "--db", str(tmp_path / "x.duckdb"), "--workers", "1000"]) == 0
    assert "note: 1 worker(s) used, not 1000 (cores or documents fewer)" in capsys.readouterr().err


def test_non_utf8_names_are_stored_escaped_and_losslessly(tmp_path: Path, capsys) -> None:
    raw = os.fsencode(tmp_path) + b"/d\xe9lib\\2019.pdf"
    with open(raw, "wb") as fh:
        fh.write(pdf_bytes(5))
    name = os.fsdecode(raw)
    assert raw_name(shown_name(name)) == raw
    for command in (["extract", str(tmp_path), "--out", str(tmp_path / "o")], ["batch", name, "--db", "x.duckdb"]):
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            assert main([*command, "--quiet"]) == 0
        finally:
            os.chdir(cwd)
        err = capsys.readouterr().err
        assert_clean_stderr(err)
        assert "d\\xe9lib\\\\2019.pdf: the file name is not valid UTF-8" in err
    rows = by_tail(documents(tmp_path / "o" / "calpae.duckdb"), tmp_path)
    assert rows == {
        "d\\xe9lib\\\\2019.pdf": ("ok", "the file name is not valid UTF-8: shown with \\xNN for each raw byte")
    }
    assert len(documents(tmp_path / "x.duckdb")) == 1


def test_an_unreadable_sub_folder_is_a_row(tmp_path: Path, monkeypatch, capsys) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "locked").mkdir(parents=True)
    (inbox / "locked" / "hidden.pdf").write_bytes(pdf_bytes(6))
    (inbox / "seen.pdf").write_bytes(pdf_bytes(7))
    if os.geteuid() == 0:  # root reads any folder: make listing that one fail as it does for a user
        real = os.scandir

        def scandir(path=".", *a):
            if isinstance(path, str | os.PathLike) and os.fspath(path).endswith("locked"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path, *a)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        (inbox / "locked").chmod(0)
    try:
        assert main(["batch", str(inbox), "--db", str(tmp_path / "x.duckdb"), "--quiet"]) == 1
    finally:
        (inbox / "locked").chmod(0o755)
        monkeypatch.undo()
    assert f"failed: {inbox / 'locked'}: folder cannot be read (Permission denied)" in capsys.readouterr().err
    rows = by_tail(documents(tmp_path / "x.duckdb"), inbox)
    assert rows == {"locked": ("failed", "folder cannot be read (Permission denied)"), "seen.pdf": ("ok", None)}


def test_identical_content_is_named_in_extract_too(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.pdf").write_bytes(pdf_bytes(8))
    (tmp_path / "b.pdf").write_bytes((tmp_path / "a.pdf").read_bytes())
    assert main(["extract", str(tmp_path / "a.pdf"), str(tmp_path / "b.pdf"), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert f"same content: {tmp_path / 'b.pdf'}: stored once, as {tmp_path / 'a.pdf'}" in err
    con = duckdb.connect(str(tmp_path / "o" / "calpae.duckdb"), read_only=True)
    assert con.execute("SELECT source, same_as FROM same_content").fetchall() == [
        (str(tmp_path / "b.pdf"), str(tmp_path / "a.pdf"))
    ]
    con.close()


def test_a_failure_inside_a_command_is_one_line_not_a_traceback(monkeypatch, tmp_path: Path, capsys) -> None:
    from calpae.reconcile import cli as reconcile_cli

    def bug(args):
        raise KeyError("oops")

    monkeypatch.setattr(reconcile_cli, "cmd_reconcile", bug)  # the parser is built per call: it takes this one
    monkeypatch.delenv("CALPAE_TRACEBACK", raising=False)
    assert main(["reconcile", "--db", str(tmp_path / "x.duckdb")]) == 3
    assert one_line(capsys) == "calpae reconcile: internal error: KeyError: 'oops' (CALPAE_TRACEBACK=1 shows where)"


def test_repeated_extracts_are_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(pdf_bytes(9, pages=2))
    (tmp_path / "b.txt").write_text("Rapport 2020\n\nLe montant réalisé s'élève à 12.500 €.\n", encoding="utf-8")
    out = tmp_path / "out"
    runs = []
    for _ in range(2):
        assert main(["extract", str(tmp_path / "a.pdf"), str(tmp_path / "b.txt"), "--out", str(out), "--quiet"]) == 0
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".csv", ".json")})
    assert runs[0] == runs[1] and len(runs[0]) == 8  # 6 run tables as CSV, 2 JSON records
