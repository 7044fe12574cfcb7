"""Faults: deadlines that hold, stage failures that are said, kills that leave no temporary file, a locked
database, and the end phase rebuilt whenever it is stale."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from hostile_inputs import assert_clean_stderr, calpae, documents, leftovers, pdf_bytes
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from calpae.batch import worker
from calpae.batch.local import worker_context
from calpae.batch.pool import Limits, WorkerPool
from calpae.batch.progress import Progress
from calpae.batch.tasks import BatchSummary, InputItem
from calpae.batch.workdir import PREFIX, run_workdir, sweep_stale
from calpae.cli import main
from calpae.models import DocumentRow
from calpae.pipeline import analyse_document
from calpae.store.run import DocumentRows


def long_pdf(path: Path, pages: int = 30) -> Path:
    """A PDF of many pages of figures: reading it takes well over a tenth of a second."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in range(pages):
        for k in range(40):
            c.drawString(72, 800 - 18 * k, f"Action {p}.{k} : {1000 + 37 * k} EUR  {2000 + 11 * k} EUR  {k}")
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def test_a_timeout_fails_the_document_it_never_stores_a_shorter_one(tmp_path: Path, capsys) -> None:
    slow = long_pdf(tmp_path / "slow.pdf", pages=300)  # tens of seconds of work; the quick one a fraction of one
    (tmp_path / "quick.txt").write_text("Budget 2019 : 12 000 €\n", encoding="utf-8")
    db = tmp_path / "out" / "run.duckdb"
    args = ["batch", str(slow), str(tmp_path / "quick.txt"), "--db", str(db), "--timeout-per-doc", "5"]
    assert main([*args, "--quiet"]) == 1
    err = capsys.readouterr().err
    rows = documents(db)
    assert rows[str(slow)] == ("failed", "timed out after 5 s (--timeout-per-doc)")
    assert rows[str(tmp_path / "quick.txt")][0] == "ok"
    assert f"failed: {slow}: timed out after 5 s" in err and "1 failed" in err
    # extract keeps the same deadline
    assert main(["extract", str(slow), "--out", str(tmp_path / "x"), "--timeout-per-doc", "5", "--quiet"]) == 1
    assert f"failed: {slow}: timed out after 5 s" in capsys.readouterr().err


def test_the_deadline_passes_through_handlers_that_catch_exception(tmp_path: Path, monkeypatch) -> None:
    """A page or stage handler's `except Exception` cannot swallow the deadline (it is a BaseException)."""

    def stubborn(path: Path, ocr: str = "auto"):
        for _ in range(100):
            try:
                time.sleep(0.05)
            except Exception:  # what every per-page handler does
                pass
        raise AssertionError("the deadline was swallowed")

    monkeypatch.setattr(worker, "extract_document", stubborn)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(pdf_bytes(1))
    started = time.monotonic()
    ext = worker.process_item(InputItem(source=str(pdf), path=pdf), "ab" * 32, timeout=0.2)
    assert time.monotonic() - started < 2
    assert ext.document.status == "failed" and ext.document.errors == ["timed out after 0.2 s (--timeout-per-doc)"]


def test_a_stage_failure_is_partial_and_said_in_the_report_and_exit_status(monkeypatch, capsys) -> None:
    from calpae import stages
    from calpae.batch.command import report
    from calpae.batch.tasks import BatchOptions, count
    from calpae.models import Document

    def broken(ext) -> None:
        raise ValueError("no table here")

    monkeypatch.setattr(stages, "PER_DOCUMENT", [("indicators", broken)])
    ext = analyse_document(Document(id="0" * 16, source="r.pdf", sha256="0" * 64))
    assert ext.document.status == "partial"
    assert ext.document.errors == ["indicators stage failed: ValueError: no table here"]
    summary = BatchSummary()
    doc = DocumentRows("0" * 16, "0" * 64, "partial", "r.pdf", ext.document.errors, 1, {})
    count(doc, summary, Progress(quiet=True))
    report(summary, BatchOptions(quiet=True), "x.duckdb")
    assert summary.exit_status == 1
    assert "  partial: r.pdf: indicators stage failed: ValueError: no table here" in capsys.readouterr().err


def _writes_a_temp_file_then_dies(n: int) -> int:
    fd, _ = tempfile.mkstemp(prefix="calpae-doc-")
    os.close(fd)
    os._exit(9)


def test_a_killed_worker_leaves_its_temporary_files_in_the_run_folder(tmp_path: Path) -> None:
    with run_workdir() as workdir:
        pool = WorkerPool(worker_context(), 1, _writes_a_temp_file_then_dies, Limits(tmpdir=str(workdir)))
        try:
            pool.submit(1, 1)
            outcomes = []
            while pool.busy():
                outcomes.extend(pool.results())
        finally:
            pool.close()
        assert [o.ok for o in outcomes] == [False]
        assert [p.name[:11] for p in workdir.iterdir()] == ["calpae-doc-"]
    assert not workdir.exists()


def test_sweep_removes_only_the_folders_of_dead_runs(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{PREFIX}{dead.stdout.strip()}-abc"
    alive = tmp_path / f"{PREFIX}{os.getppid()}-def"
    stale.mkdir()
    alive.mkdir()
    assert sweep_stale(tmp_path) == [stale]
    assert alive.exists() and not stale.exists()


def test_kill_9_then_rerun_leaves_no_temporary_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(6):
        long_pdf(inbox / f"d{n:02d}.pdf", pages=2)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    cmd = [sys.executable, "-m", "calpae", "batch", "inbox", "--db", "out/run.duckdb", "--workers", "1", "--quiet"]
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (tmp_path / "out" / "run.duckdb.wal").exists():
        time.sleep(0.05)  # the first commit is under way
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert any(name.startswith("calpae-run-") for name in leftovers(tmpdir)), "killed before it started"
    rerun = calpae("batch", "inbox", "--db", "out/run.duckdb", "--workers", "1", cwd=tmp_path, tmpdir=tmpdir)
    assert rerun.returncode == 0, rerun.stderr
    assert leftovers(tmpdir) == []
    assert len(documents(tmp_path / "out" / "run.duckdb")) == 6


def test_two_batches_on_one_database_the_second_says_it_is_locked(tmp_path: Path, capsys) -> None:
    db = tmp_path / "run.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(120)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        (tmp_path / "a.txt").write_text("Budget\n", encoding="utf-8")
        assert main(["batch", str(tmp_path / "a.txt"), "--db", str(db), "--quiet"]) == 2
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"calpae batch: {db}: the database is in use by another process")
    assert f"(process {holder.pid})" in err


@pytest.mark.parametrize("breakage", ["killed", "dataset deleted"])
def test_the_end_phase_is_rebuilt_when_missing_or_stale(tmp_path: Path, breakage: str, capsys) -> None:
    from calpae.batch import endphase

    (tmp_path / "a.txt").write_text("Budget\n", encoding="utf-8")
    args = ["batch", str(tmp_path / "a.txt"), "--db", str(tmp_path / "run.duckdb")]
    if breakage == "killed":  # the end phase dies after the documents are committed
        real = endphase.export_dataset

        def dies(*a, **k):
            raise KeyboardInterrupt

        endphase.export_dataset = dies
        try:
            assert main(args) == 130
        finally:
            endphase.export_dataset = real
    else:
        assert main(args) == 0
        for f in (tmp_path / "dataset").iterdir():
            f.unlink()
    capsys.readouterr()
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "nothing new: 1 document(s) already in" in err
    assert "batch: reconcile (" in err and (tmp_path / "dataset" / "dataset_long.csv").exists()
    assert main(args) == 0  # now up to date: no end phase
    assert "reconcile" not in capsys.readouterr().err


def test_no_traceback_for_a_document_that_cannot_be_stored(tmp_path: Path, capsys) -> None:
    """A commit group the database refuses is written one by one; the refused document fails with the reason."""
    from calpae.batch.tasks import commit
    from calpae.store import RunStore

    def row(doc_id: str, source: str) -> DocumentRows:
        doc = [doc_id, source, doc_id * 4, "other", "", "", "", 1, "ok", ""]
        doc += [None] * (len(DocumentRow.COLUMNS) - len(doc))  # columns added later (the figure counts) left empty
        return DocumentRows(doc_id, doc_id * 4, "ok", source, [], 1, {"documents": [doc]})

    good, bad = row("a" * 16, "a.pdf"), row("b" * 16, "b\udce9.pdf")  # a name no database can hold
    summary = BatchSummary()
    with RunStore(tmp_path, write_json=False) as store:
        commit(store, [good, bad], summary, Progress(quiet=True))
    assert summary.processed == 2
    assert [s for s, _ in summary.failed] == ["b\\xe9.pdf"]
    assert "could not be stored" in summary.failed[0][1]
    rows = documents(tmp_path / "calpae.duckdb")
    assert rows["b\\xe9.pdf"][0] == "failed"
    assert_clean_stderr(capsys.readouterr().err)
