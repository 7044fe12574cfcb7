"""Seed documents read once per test session for the budget and audit tests (PDF reading is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _read_cache import read_once

from calpae.models import Document


def read_seed_doc(path: Path) -> Document:
    """The Document of a seed file; skips visibly while the reader finds no tables in it."""
    doc = read_once(path)
    if not doc.tables:
        pytest.skip(f"the reader found no tables in {path.name} yet")
    return doc
