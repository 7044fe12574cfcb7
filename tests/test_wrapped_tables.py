"""Tables whose cells wrap in narrow columns, without inner rules: the words-based reader
(calpae.extract.tables.wrapped), a label's wrapped tail in a borderless table, and the office recaps."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfgen_wrapped
from _read_cache import read_once

from calpae.extract import read_document
from calpae.pipeline import extract_document

OFFICE = Path(__file__).parent / "fixtures" / "office"


def test_amounts_wrapped_at_any_digit_are_read_whole(tmp_path: Path) -> None:
    doc = read_document(pdfgen_wrapped.wrapped_recap(tmp_path / "recap.pdf"))
    assert [t.grid() for t in doc.tables] == [
        [
            ["Thème", "Intitulé de l'action", "Crédits État 2021", "Crédits CD 2021", "Total prévu 2021"],
            ["Insertion des allocataires du RSA", "Mobilité des allocataires", "12 345 €", "1 500 €", "13 845 €"],
            ["", "Garde d'enfants", "8 000 €", "2 100 €", "10 100 €"],
            ["", "Sous total", "20 345 €", "3 600 €", "23 945 €"],
        ]
    ]
    theme = next(c for t in doc.tables for c in t.cells if c.text.startswith("Insertion"))
    assert theme.row_span == 2  # the merged theme cell spans the rows it stands beside


def test_a_label_cut_mid_phrase_keeps_its_tail(tmp_path: Path) -> None:
    # the amount stands beside the first line of a label wrapped after 'par le'; the rows are a line apart
    doc = read_document(pdfgen_wrapped.label_tail(tmp_path / "tail.pdf"))
    assert [t.grid() for t in doc.tables] == [
        [
            ["", "Au 31/12/2022"],
            ["Dépenses exécutées sur la part financée par l'État", "72.157,38 €"],
            ["Dépenses exécutées sur la part financée par le Département", "85.000 €"],
            ["Crédits à reprogrammer sur 2023 – part Département", "0 €"],
            ["Total", "157.157,38 €"],
        ]
    ]


def test_word_recap_without_inner_rules() -> None:
    # 082-2022: the landscape 16-column recap, horizontal rules only, every amount wrapped ('190 / 000 €')
    doc = read_once(OFFICE / "082-2022-tableau_financier.pdf")
    first = doc.tables[0].grid()
    assert first[1][5:9] == [
        "A Crédits État versés en 2022",
        "B Crédits État 2021 reportés sur 2022",
        "C Crédits CD affectés en 2022",
        "Dont valorisation CD",
    ]
    assert first[2][3:] == [
        "1.1",
        "Allocations individuelles jeunes majeurs",
        "190 000 €",
        "62 477,52 €",
        "190 000 €",
        "58 500 €",
        "41 399,23 €",
        "0 €",
        "483 876,75 €",
        "422 866,52 €",
        "58 500 €",
        "24 906,35 €",
        "36 103,88 €",
    ]


def test_word_recap_budget_lines_and_no_false_error() -> None:
    ext = extract_document(OFFICE / "082-2022-tableau_financier.pdf")
    lines = {(ln.provenance.page, ln.row_label, ln.role, ln.amount) for ln in ext.budget_lines}
    assert len(ext.budget_lines) == 187
    assert (1, "Sous total", "report", 62477.52) in {(p, label, role, float(a)) for p, label, role, a in lines}
    assert [f.check for f in ext.findings if f.severity == "error"] == []


def test_calc_recap_reads_every_cell() -> None:
    # 055-2022: the recap drawn in Calc, three-line header, action 1.1's budget F planted 10 000 too high: its row
    # does not add up (the planted part_sum_mismatch, the one wrong cell, which also explains its one-row
    # sub-total and the grand total under it, both warnings pointing to it); nothing else is reported
    ext = extract_document(OFFICE / "055-2022-tableau_financier.pdf")
    assert len(ext.budget_lines) == 165
    errors = [(f.check, f.provenance.page, f.declared, f.computed) for f in ext.findings if f.severity == "error"]
    assert errors == [("part_sum_mismatch", 1, Decimal("269205.52"), Decimal("259205.52"))]
    follows = [(f.declared, f.computed) for f in ext.findings if "follows from the single wrong cell" in f.message]
    assert sorted(follows) == [
        (Decimal("259205.52"), Decimal("269205.52")),
        (Decimal("1751358.49"), Decimal("1761358.49")),
    ]
