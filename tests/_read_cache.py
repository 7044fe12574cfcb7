"""Read each real document once per test run: the PDF reader takes tens of seconds on the Aude report."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from calpae.models import Document


@lru_cache(maxsize=8)
def read_once(path: Path) -> Document:
    """The Document of a file through the real reader, shared by the tests (treat it as read-only)."""
    from calpae.extract.reader import read_document

    return read_document(path)
