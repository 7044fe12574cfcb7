"""Shared fixtures: the real seed documents in ../shared (skipped, visibly, where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pg_server"]  # the throw-away PostgreSQL server fixtures

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"

SEED_FILES = {
    "lot_bilan_2021": "000_620ba445ff1e4a43.txt",
    "lot_et_garonne_2020": "001_6e5c9574a5e7a458.txt",
    "lot_et_garonne_pdi": "002_a7cbb184d88bfcf9.txt",
    "aude_2019": "003_54c51cc0932b05d0.txt",
    "instruction_2022": "004_fe5a75757384fb07.txt",
}
CORPUS_FILES = {
    "lot_bilan_2021": "lot-bilan-2021.pdf",
    "lot_et_garonne_2020": "lot-et-garonne-2020-deliberations.pdf",
    "lot_et_garonne_pdi": "lot-et-garonne-pdi-2016-2020.pdf",
    "aude_2019": "aude-2019-rapport-execution.pdf",
    "instruction_2022": "instruction-dgcs-2022-19.pdf",
}


# Tests (or the fixtures they share) that took 5 s or more on the 2-core CI machine (pytest --durations=50):
# `pytest -m "not slow"` leaves them out. A test may also carry @pytest.mark.slow itself.
SLOW_FIXTURES = {"corpus", "scanned", "aude", "lot_2020"}
SLOW_TESTS = {
    "test_sigkill_then_resume_equals_uninterrupted",
    "test_dask_local_cluster_gives_the_same_rows_as_local_workers",
    "test_zip_with_bad_members",
    "test_workers_past_the_rss_cap_are_replaced_and_no_document_is_lost",
    "test_pool_attributes_a_crash_to_its_document_and_replaces_the_worker",
    "test_text_and_pdf_of_one_report_agree_and_rerun_does_not_duplicate",
    "test_dataset_over_the_seed_exports",
    "test_aude_2019_has_no_error",
    "test_lot_et_garonne_2020_defects_reported",
    "test_bad_files_fail_alone_with_clear_messages",
    "test_corpus_pdfs",
    "test_store_reconcile_and_dataset_on_postgres",
    "test_aude_pdf_stamps",
    "test_always_ocrs_a_born_digital_page",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Markers given by what a test uses: `seeds` to those reading the real documents in ../shared (the seed and
    corpus_pdf fixtures), `slow` to those listed above."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if {"seed", "corpus_pdf"} & fixtures:
            item.add_marker(pytest.mark.seeds)
        if SLOW_FIXTURES & fixtures or item.name.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the real seed documents live in ../shared beside the checkout")
    return path


@pytest.fixture(scope="session")
def seed():
    """seed('aude_2019') -> Path of the text export, skipping where ../shared is absent."""
    return lambda name: _need(SEEDS / SEED_FILES[name])


@pytest.fixture(scope="session")
def corpus_pdf():
    """corpus_pdf('aude_2019') -> Path of the PDF rendering, skipping where ../shared is absent."""
    return lambda name: _need(CORPUS / CORPUS_FILES[name])
