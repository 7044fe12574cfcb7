"""The office corpus family: committed fixtures whose truth is consistent with their PDFs (no LibreOffice needed),
a small build when LibreOffice is installed, and planted errors in the scans of both families."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from office_truth import load, problems

from corpora import build_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "office"
TRUTHS = sorted(FIXTURES.glob("*.truth.json"))


def test_fixtures_cover_the_hard_layouts():
    truths = [load(p)[0] for p in TRUTHS]
    layouts = [t["document"]["layout"] for t in truths]
    # 972-2021, 095-2022 recaps, 004-2019 report, 011-2022 avenant (lead10); 972-2019 grid recap scan (18rb)
    assert len(truths) == 34
    assert {lay["source"] for lay in layouts} == {"docx", "xlsx"}
    assert {lay["header_lines"] for lay in layouts} == {1, 2, 3}
    assert {lay["borders"] for lay in layouts} >= {"grid", "horizontal", "none"}
    assert any(lay["scan"] for lay in layouts) and any(lay["text_export"] for lay in layouts)
    assert any(lay["narrow"] and lay["merged"] for lay in layouts)
    columns = [len(tab["columns"]) for t in truths for tab in t["tables"]]
    assert 16 in columns and 9 in columns  # the landscape execution recap and the 2021-model indicator table
    assert any(len(tab["pages"]) > 1 for t in truths for tab in t["tables"])  # a table over pages
    scans = [t for t in truths if t["document"]["layout"]["scan"]]
    assert [[d["kind"] for d in t["defects"]] for t in scans] == [["total_mismatch"]] * 4


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.name for p in TRUTHS])
def test_fixture_truth_is_consistent(truth_path):
    assert problems(truth_path) == []


def test_fixture_cells_have_their_meaning():
    recap = next(
        t
        for t in (load(p)[0] for p in TRUTHS)
        if any(len(tab["columns"]) == 16 for tab in t["tables"])
        and not t["document"]["layout"]["scan"]
        and "tableau_financier" in t["file"]  # a report holds the recap twice (body and annexe)
    )
    cells = recap["budget_cells"]
    grand = [c for c in cells if c["level"] == "grand_total"]
    actions = [c for c in cells if c["level"] == "action"]
    assert {c["stage"] for c in grand} == {
        "planned",
        "allocated",
        "carried_in",
        "executed",
        "valorisation",
        "to_carry_over",
    }
    for stage in ("executed", "to_carry_over"):
        for part in ("total",) if stage == "executed" else ("etat", "departement"):
            declared = next(c for c in grand if c["stage"] == stage and c["part"] == part)
            summed = sum(
                (Decimal(c["amount"]) for c in actions if c["stage"] == stage and c["part"] == part), Decimal(0)
            )
            assert Decimal(declared["amount"]) == summed, (stage, part)
    assert all(c["action"] and c["measure_id"] for c in actions)


def _soffice_missing() -> str | None:
    from corpora.office.render import soffice

    if soffice() is None:
        return "LibreOffice is not installed (sh scripts/ensure-libreoffice.sh): the office build is not tested"
    try:
        import docx  # noqa: F401
        import openpyxl  # noqa: F401
    except ImportError:
        return "python-docx/openpyxl missing (pip install -e '.[office]')"
    return None


@pytest.mark.skipif(_soffice_missing() is not None, reason=str(_soffice_missing()))
def test_office_build_small(tmp_path):
    from corpora.office import build_office_corpus

    result = build_office_corpus(tmp_path, 1, [2021], seed=3, scan="none", text="some", codes=["47"])
    names = sorted(p.name for p in result.pdfs)
    assert names == [
        "047-2021-convention.pdf",
        "047-2021-deliberation.pdf",
        "047-2021-deliberation.txt",
        "047-2021-rapport_execution.pdf",
        "047-2021-rapport_execution.txt",
        "047-2021-tableau_financier.pdf",
        "047-2021-tableau_financier.txt",
    ]
    for path in result.truths:
        assert problems(path) == [], path.name
    assert result.unprinted == {}
    report = json.loads((tmp_path / "047-2021-rapport_execution.truth.json").read_text(encoding="utf-8"))
    assert report["document"]["family"] == "office"
    indicator_tables = [t for t in report["tables"] if t["kind"] == "indicators"]
    assert indicator_tables and all(len(t["columns"]) == 9 for t in indicator_tables)
    assert report["indicator_values"] and report["budget_cells"]


def test_generated_scan_carries_a_planted_error(tmp_path):
    build_corpus(tmp_path, 1, [2019, 2020], seed=1, scan="some", codes=["11"])
    scan = json.loads((tmp_path / "011-2019-tableau_financier.scan.truth.json").read_text(encoding="utf-8"))
    digital = json.loads((tmp_path / "011-2019-tableau_financier.truth.json").read_text(encoding="utf-8"))
    assert digital["defects"] == []
    assert scan["document"]["scan"]["planted_for_scan"] is True
    [defect] = scan["defects"]
    assert defect["kind"] == "total_mismatch" and defect["page"] == 1
    assert Decimal(defect["declared"]) - Decimal(defect["correct"]) in {1000, 2500, 10000, 15000}
    # the born-digital copy prints the right amount where the scan prints the wrong one
    same = next(c for c in digital["budget_cells"] if c["id"] == defect["cell"])
    assert Decimal(same["amount"]) == Decimal(defect["correct"])


def test_a_truth_amount_no_page_prints_is_named():
    """LibreOffice can leave a table's rows out at a page's foot while placing their bookmarks (office seed 149):
    the build names each truth amount its page does not print, with the cell and the page."""
    from corpora.office.printed import unprinted

    layout = {"source": "docx", "narrow": False}
    cells = [
        {"id": "t15r0c1", "table": 15, "page": 5, "amount": "196149.58", "raw": "196.149,58 €"},
        {"id": "t14r0c1", "table": 14, "page": 5, "amount": "346500", "raw": "346.500,00 €"},
        {"id": "t14r1c1", "table": 14, "page": 5, "amount": "0", "raw": "0,00 €"},
    ]
    truth = {"document": {"layout": layout}, "tables": [{"index": 14, "columns": [1, 2]}], "budget_cells": cells}
    pages = ["x", "x", "x", "x", "Action5.1Total346.500,00€Action5.2Au31/12/2022"]
    assert unprinted(truth, pages) == ["t15r0c1: '196.149,58 €' not on page 5"]


def test_a_truth_row_no_page_prints_is_left_out():
    """A table row none of whose figures its page prints (a budget row, an indicator row: office seeds 149 and
    131) is left out of the truth; a row with one figure printed stays, and indicator markers say nothing."""
    from corpora.office.printed import unprinted_rows

    layout = {"source": "docx", "narrow": False}
    cells = [
        {"id": "t15r0c1", "table": 15, "page": 5, "amount": "196149.58", "raw": "196.149,58 €"},
        {"id": "t15r0c2", "table": 15, "page": 5, "amount": "0", "raw": "0,00 €"},
        {"id": "t14r0c1", "table": 14, "page": 5, "amount": "346500", "raw": "346.500,00 €"},
        {"id": "t14r0c2", "table": 14, "page": 5, "amount": "12000", "raw": "12.000,00 €"},
    ]
    values = [
        {"table": 6, "row": 0, "page": 5, "value": "881", "raw": "881"},
        {"table": 6, "row": 0, "page": 5, "value": "961", "raw": "961"},
        {"table": 6, "row": 1, "page": 5, "value": "88.6", "raw": "88,6%"},
        {"table": 6, "row": 1, "page": 5, "value": "97.3", "raw": "97,3%"},
        {"table": 6, "row": 2, "page": 5, "value": None, "raw": "NC"},
    ]
    truth = {
        "document": {"layout": layout},
        "tables": [{"index": 14, "columns": [1, 2]}, {"index": 15, "columns": [1, 2]}],
        "budget_cells": cells,
        "indicator_values": values,
    }
    pages = ["x", "x", "x", "x", "Action5.1Total346.500,00€TauxdecouvertureNC88,6%Action5.2Au31/12/2022"]
    assert unprinted_rows(truth, pages) == ({"t15r0c1", "t15r0c2"}, {(6, 0)})


def test_a_row_of_short_figures_each_inside_a_longer_number_is_not_printed():
    """Office seed 167, 083-2022 report: LibreOffice left an indicator row of two-digit counts out at a page's
    foot; each of them stands inside a date or an amount of that page ('2023', '27 693,65 €'), so found with the
    whitespace removed. With the page's spaced text, a row is printed when its figures stand in a row, or one of
    them as a number of its own; two three-digit counts side by side ('311 289') are not one amount's groups."""
    from corpora.office.printed import unprinted_rows

    layout = {"source": "docx", "narrow": False}
    values = [
        {"table": 10, "row": 1, "page": 4, "value": v, "raw": v} for v in ("23", "25", "23", "24", "30", "27")
    ] + [{"table": 3, "row": 0, "page": 4, "value": v, "raw": v} for v in ("311", "289")]
    truth = {"document": {"layout": layout}, "tables": [], "budget_cells": [], "indicator_values": values}
    spaced = ["", "", "", "Reçu le 05/04/2023 majeurs dans l'année 311 289 Montée en charge report 27 693,65 € en 2024"]
    flat = [p.replace(" ", "") for p in spaced]
    assert unprinted_rows(truth, flat) == (set(), set())
    assert unprinted_rows(truth, flat, spaced) == (set(), {(10, 1)})
