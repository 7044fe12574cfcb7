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


def budget_against_truth(pdf: Path) -> tuple[int, int, int, set[int]]:
    """(matched, read, expected) budget cells of a fixture with its truth beside it (NAME.truth.json), on page,
    amount, stage and part; and the pages read."""
    import json
    from collections import Counter
    from decimal import Decimal

    from calpae.budget import extract_budget

    truth = json.loads(pdf.with_name(pdf.name.removesuffix(".pdf") + ".truth.json").read_text(encoding="utf-8"))
    lines, _ = extract_budget(read_once(pdf))
    expected = Counter((c["page"], Decimal(c["amount"]), c["stage"], c["part"]) for c in truth["budget_cells"])
    read = Counter((ln.provenance.page, ln.amount, ln.stage, ln.part) for ln in lines if ln.amount is not None)
    pages = {p for p, *_ in read.elements()}
    return sum((expected & read).values()), sum(read.values()), sum(expected.values()), pages
