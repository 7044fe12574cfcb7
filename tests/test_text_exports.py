"""Text exports (pdftotext -layout): records carry the page (form feeds) as well as the source line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from calpae.pipeline import extract_document

OFFICE = Path(__file__).parent / "fixtures" / "office"


def test_office_text_export_budget_lines_carry_page_and_line():
    ext = extract_document(OFFICE / "082-2019-rapport_execution.txt")
    executed = [ln for ln in ext.budget_lines if ln.amount in (Decimal("421331.73"), Decimal("223415.42"))]
    # the executed table of measure 1 runs over the first page break (form feed after source line 63)
    assert [(ln.provenance.page, ln.provenance.line, ln.amount) for ln in executed] == [
        (1, 62, Decimal("421331.73")),
        (2, 79, Decimal("223415.42")),
    ]
    truth = json.loads((OFFICE / "082-2019-rapport_execution.text.truth.json").read_text(encoding="utf-8"))
    pages = [(c["page"], Decimal(c["amount"])) for c in truth["budget_cells"] if c["kind"] == "executed"]
    assert (1, Decimal("421331.73")) in pages and (2, Decimal("223415.42")) in pages


def test_text_without_form_feed_gives_lines_only(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Budget\nPostes  Montants\nAteliers  1 000 €\nLoyers  2 000 €\nTotal  3 000 €\n", encoding="utf-8")
    lines = extract_document(path).budget_lines
    assert [(ln.provenance.page, ln.provenance.line) for ln in lines] == [(None, 3), (None, 4), (None, 5)]
