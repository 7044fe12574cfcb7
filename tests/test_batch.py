"""`calpae batch`: archives with bad members, resumption after SIGKILL, nothing redone on a second run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from calpae.batch.inputs import iter_inputs, read_item, unsafe_member_name
from calpae.cli import main


def make_pdf(path: Path, n: int, pages: int = 1) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(pages):
        c.drawString(72, 800, f"Document {n}, page {p + 1}")
        c.drawString(72, 780, f"Montant de l'action : {1000 * (n + 1) + p} EUR")
        c.showPage()
    c.save()
    return path


def table_rows(db: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
    finally:
        con.close()


@pytest.fixture
def bad_zip(tmp_path: Path) -> Path:
    good = make_pdf(tmp_path / "good.pdf", 1, pages=2)
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(good, "dept/good.pdf")
        zf.writestr("dept/corrupt.pdf", good.read_bytes()[:400])
        zf.writestr("dept/empty.pdf", b"")
        zf.writestr("dept/renamed.pdf", b"plain words in a file named like a PDF\n")
        zf.writestr("../evil.pdf", good.read_bytes())
        zf.writestr("dept/readme.docx", b"ignored: not a supported document type")
    return archive


def test_zip_with_bad_members(bad_zip: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "run.duckdb"
    status = main(["batch", str(bad_zip), "--db", str(db), "--workers", "2", "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    docs = {r[1].split("!")[-1]: r for r in table_rows(db, "documents")}
    assert set(docs) == {"dept/good.pdf", "dept/corrupt.pdf", "dept/empty.pdf", "dept/renamed.pdf", "../evil.pdf"}
    assert docs["dept/good.pdf"][8] == "ok" and docs["dept/good.pdf"][7] == 2
    assert "path traversal" in docs["../evil.pdf"][9]
    assert "empty file" in docs["dept/empty.pdf"][9]
    assert "not a PDF" in docs["dept/renamed.pdf"][9]
    assert "PDF" in docs["dept/corrupt.pdf"][9]
    assert "4 failed" in err and "Traceback" not in err
    # second run: nothing new, but the exit status still says four documents of these inputs failed
    assert main(["batch", str(bad_zip), "--db", str(db), "--workers", "2", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "nothing new: 5 document(s) already in" in err
    assert "4 document(s) stored as failed or partial by an earlier run: --retry-failed" in err


def test_tar_members_and_unsafe_names(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "a.pdf", 2)
    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(good, "x/a.pdf")
        info = tarfile.TarInfo("../up/a.pdf")  # tarfile.add would strip an absolute name; '..' survives
        info.size = good.stat().st_size
        with open(good, "rb") as fh:
            tf.addfile(info, fh)
    items = list(iter_inputs([str(archive)]))
    assert [i.problem is None for i in items] == [True, False]
    assert read_item(items[0]) == good.read_bytes()
    assert unsafe_member_name("../x.pdf") and unsafe_member_name("/x.pdf") and unsafe_member_name("C:/x.pdf")
    assert not unsafe_member_name("a/b..c.pdf")


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    assert main(["batch", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--workers", "0"]) == 2


def test_sigkill_then_resume_equals_uninterrupted(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(24):
        make_pdf(inbox / f"doc{n:02d}.pdf", n, pages=3)
    cmd = [sys.executable, "-m", "calpae", "batch", str(inbox), "--workers", "1", "--quiet", "--json"]

    killed_out = tmp_path / "killed"
    proc = subprocess.Popen([*cmd, "--db", str(killed_out / "run.duckdb")], start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(killed_out.glob("*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = len(list(killed_out.glob("*.json")))
    assert 4 <= committed < 24, "the run must be killed half-way for this test to mean anything"
    assert subprocess.run([*cmd, "--db", str(killed_out / "run.duckdb")]).returncode == 0

    whole_out = tmp_path / "whole"
    assert subprocess.run([*cmd, "--db", str(whole_out / "run.duckdb")]).returncode == 0
    for table in ("documents", "budget_lines", "indicator_values", "amounts", "findings"):
        assert table_rows(killed_out / "run.duckdb", table) == table_rows(whole_out / "run.duckdb", table)
    assert len(table_rows(whole_out / "run.duckdb", "documents")) == 24


def test_a_document_past_its_timeout_fails_alone(tmp_path: Path, monkeypatch) -> None:
    from calpae.batch import worker
    from calpae.batch.inputs import InputItem

    def slow(path: Path, ocr: str = "auto"):
        time.sleep(5)

    monkeypatch.setattr(worker, "extract_document", slow)
    pdf = make_pdf(tmp_path / "slow.pdf", 3)
    started = time.monotonic()
    ext = worker.process_item(InputItem(source=str(pdf), path=pdf), "ab" * 32, timeout=0.3)
    assert time.monotonic() - started < 3
    assert ext.document.status == "failed" and "timed out after 0.3 s" in ext.document.errors[0]
    assert ext.document.id == "ab" * 8


def test_dask_local_cluster_gives_the_same_rows_as_local_workers(bad_zip: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the optional extra calpae[dask] is not installed")
    from calpae.batch.dask_engine import run_dask
    from calpae.batch.plan import plan
    from calpae.batch.progress import Progress
    from calpae.batch.tasks import BatchOptions, RunContext
    from calpae.store import RunStore

    local_db = tmp_path / "local.duckdb"
    main(["batch", str(bad_zip), "--db", str(local_db), "--workers", "2", "--quiet"])

    dask_db = tmp_path / "dask.duckdb"
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        store = RunStore(tmp_path / "dask_out", db_path=dask_db, write_json=False)
        try:
            todo = plan(iter_inputs([str(bad_zip)]), {})
            summary = todo.summary
            run = RunContext(store, BatchOptions(quiet=True), summary, Progress(quiet=True))
            run_dask(todo.tasks, run, client=client)
        finally:
            store.close()
    assert summary.processed == 5 and len(summary.failed) == 4
    for table in ("documents", "budget_lines", "indicator_values", "amounts", "findings"):
        assert table_rows(dask_db, table) == table_rows(local_db, table)


def _dies_on_odd(n: int) -> int:
    """A worker function that kills its own process on odd numbers (a parser crashing the interpreter)."""
    if n % 2:
        os._exit(3)
    return n * 10


def test_pool_attributes_a_crash_to_its_document_and_replaces_the_worker() -> None:
    from calpae.batch.local import worker_context
    from calpae.batch.pool import WorkerPool

    pool = WorkerPool(worker_context(), 2, _dies_on_odd)
    outcomes = []
    todo = list(range(6))
    try:
        while todo or pool.busy():
            while todo and pool.idle():
                n = todo.pop(0)
                pool.submit(n, n)
            outcomes.extend(pool.results())
    finally:
        pool.close()
    by_task = {o.task: o for o in outcomes}
    assert sorted(by_task) == list(range(6)) and len(outcomes) == 6
    assert [by_task[n].value for n in (0, 2, 4)] == [0, 20, 40]
    assert all(not by_task[n].ok and "worker process died" in by_task[n].value for n in (1, 3, 5))
    assert pool.crashed == 3


@pytest.mark.parametrize("recycle_mb, expect_recycled", [(1, 7), (None, 0)])
def test_workers_past_the_rss_cap_are_replaced_and_no_document_is_lost(tmp_path: Path, recycle_mb, expect_recycled):
    from calpae.batch.local import run_local
    from calpae.batch.plan import plan
    from calpae.batch.progress import Progress
    from calpae.batch.tasks import BatchOptions, RunContext
    from calpae.store import RunStore

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(7):
        make_pdf(inbox / f"d{n}.pdf", n)
    db = tmp_path / "run.duckdb"
    opts = BatchOptions(workers=2, quiet=True, recycle_rss_mb=recycle_mb, ocr="never")
    with RunStore(tmp_path, db_path=db, write_json=False) as store:
        todo = plan(iter_inputs([str(inbox)]), {})
        summary = todo.summary
        run_local(todo.tasks, RunContext(store, opts, summary, Progress(quiet=True)))
    # a 1 MB cap is passed by every worker after its first document: each document gets a fresh worker
    assert summary.recycled == expect_recycled and summary.crashed == 0
    assert summary.processed == 7 and not summary.failed
    assert len(table_rows(db, "documents")) == 7
    assert len({r[0] for r in table_rows(db, "processed")}) == len(table_rows(db, "processed")) == 7
