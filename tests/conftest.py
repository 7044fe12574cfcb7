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
