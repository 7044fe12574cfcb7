"""A small run of sample documents and its report, built once per test session for the report tests.

Four generated documents: a convention whose sub-total is wrong (total_mismatch), two execution reports of one
département (a summary row against its action table on another page; an indicator restated the next year),
and a deliberation whose PDF is deleted after extraction (the report must say so instead of a crop)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"
DOCUMENTS = (
    "006-2019-convention.pdf",
    "073-2019-rapport_execution.pdf",
    "073-2020-rapport_execution.pdf",
    "073-2019-deliberation.pdf",
)
DELETED = "073-2019-deliberation.pdf"


@dataclass
class ReportRun:
    inbox: Path
    out: Path
    db: Path
    report: Path


def report_run(tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    """Extract, reconcile and report the four documents (once a session; later calls reuse the folder)."""
    base = tmp_path_factory.getbasetemp() / "report-run"
    run = ReportRun(base / "inbox", base / "out", base / "out" / "calpae.duckdb", base / "out" / "report")
    if (base / "done").exists():
        return run
    missing = [name for name in DOCUMENTS if not (SAMPLES / name).exists()]
    if missing:
        pytest.skip(f"corpora/samples lacks {', '.join(missing)}: python -m corpora build --out corpora/samples")
    from calpae.cli import main

    shutil.rmtree(base, ignore_errors=True)
    run.inbox.mkdir(parents=True)
    for name in DOCUMENTS:
        shutil.copy(SAMPLES / name, run.inbox / name)
    assert main(["extract", str(run.inbox), "--out", str(run.out), "--quiet", "--ocr", "never"]) == 0
    assert main(["reconcile", "--db", str(run.db)]) == 0
    (run.inbox / DELETED).unlink()
    assert main(["report", str(run.out), "--quiet"]) == 0
    (base / "done").touch()
    return run
