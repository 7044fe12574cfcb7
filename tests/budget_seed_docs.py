"""Seed documents read once per test session for the budget and audit tests (PDF reading is the slow part)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from calpae.models import Document


@lru_cache(maxsize=4)
def _read(path: str) -> Document:
    from calpae.extract.reader import read_document

    return read_document(Path(path))


def read_seed_doc(path: Path) -> Document:
    """The Document of a seed file; skips visibly while the reader finds no tables in it."""
    doc = _read(str(path))
    if not doc.tables:
        pytest.skip(f"the reader found no tables in {path.name} yet")
    return doc
