"""`calpae batch` over a folder of every hostile input kind the probe found, in a real subprocess: one line per
bad file, no traceback, every good document stored, reruns that say failures remain, --retry-failed."""

from __future__ import annotations

import pytest
from hostile_inputs import (
    assert_clean_stderr,
    assert_matches,
    assert_named_once_per_line,
    by_tail,
    calpae,
    documents,
    hostile_folder,
    leftovers,
    pdf_bytes,
    real_zip_password,
    tree,
)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    """The hostile folder plus an encrypted zip and a good PDF named on the command line, batched once."""
    base = tmp_path_factory.mktemp("hostile")
    expected = hostile_folder(base / "inbox")
    (base / "good2.pdf").write_bytes(pdf_bytes(40))
    expected["good2.pdf"] = ("ok", "")
    specs = ["inbox", "good2.pdf"]
    if real_zip_password(base / "enc.zip"):  # the probe's `calpae batch enc.zip good.pdf`
        specs.insert(0, "enc.zip")
        expected["enc.zip!secret.pdf"] = ("failed", "encrypted archive member (password required)")
    cwd, tmpdir = base, base / "tmp"
    tmpdir.mkdir()
    before = tree(base / "inbox")
    run = calpae("batch", *specs, "--db", "out/run.duckdb", "--workers", "2", cwd=cwd, tmpdir=tmpdir)
    return base, expected, before, run


def test_every_bad_input_is_one_line_and_every_good_one_is_stored(hostile_run) -> None:
    base, expected, before, run = hostile_run
    assert run.returncode == 1, run.stderr
    assert_clean_stderr(run.stderr)
    assert_named_once_per_line(run.stderr, expected)
    rows = by_tail(documents(base / "out" / "run.duckdb"), base)
    assert_matches(rows, expected)
    n_failed = sum(1 for s, _ in expected.values() if s == "failed")
    n_ok = sum(1 for s, _ in expected.values() if s == "ok")
    assert sum(1 for s, _ in rows.values() if s == "failed") == n_failed
    assert sum(1 for s, _ in rows.values() if s == "ok") == n_ok
    assert f"{n_failed} failed, 0 partial" in run.stderr
    # the copy is named, the ignored type counted, the nested archive's document kept
    assert "same content: inbox/z-copy-of-good1.pdf: stored once, as inbox/good1.pdf" in run.stderr
    assert "ignored: 1 file(s) of types calpae does not read (.docx ×1)" in run.stderr
    # nothing written outside --out/--db, no temporary file left, the inputs untouched
    assert sorted(p.name for p in base.iterdir()) == sorted(
        {"inbox", "good2.pdf", "out", "tmp"} | ({"enc.zip"} if "enc.zip!secret.pdf" in expected else set())
    )
    assert leftovers(base / "tmp") == []
    assert tree(base / "inbox") == before
    assert (base / "out" / "dataset" / "dataset_long.csv").exists()
    assert (base / "out" / "same_content.csv").read_text(encoding="utf-8").count("z-copy-of-good1.pdf") == 1


def test_a_rerun_says_failures_remain_and_retry_failed_reprocesses_them(hostile_run) -> None:
    base, expected, _, _ = hostile_run
    n_failed = sum(1 for s, _ in expected.values() if s == "failed")
    again = calpae("batch", "inbox", "good2.pdf", "--db", "out/run.duckdb", cwd=base, tmpdir=base / "tmp")
    assert again.returncode == 1
    assert_clean_stderr(again.stderr)
    enc = 1 if "enc.zip!secret.pdf" in expected else 0
    assert f"{n_failed - enc} document(s) stored as failed or partial by an earlier run" in again.stderr
    retry = calpae(
        "batch", "inbox", "--db", "out/run.duckdb", "--retry-failed", "--quiet", cwd=base, tmpdir=base / "tmp"
    )
    assert retry.returncode == 1
    assert f"{n_failed - enc} document(s) processed" in retry.stderr
    assert leftovers(base / "tmp") == []
