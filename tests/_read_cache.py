"""Read each real document once per test run (the PDF reader takes seconds on the larger reports)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from calpae.models import Document


@lru_cache(maxsize=16)
def _read(path: str) -> Document:
    from calpae.extract import read_document

    return read_document(Path(path))


def read_once(path: Path) -> Document:
    """A private deep copy of the file's Document through the real reader (stages may mutate it)."""
    return _read(str(Path(path).resolve())).model_copy(deep=True)
