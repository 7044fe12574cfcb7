"""Accuracy on the shared corpus (../shared/corpus) against the hand-checked expectations in tests/expectations.

Called by benchmarks/accuracy.py --shared; the rules are in that script's docstring.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import _common
from _common import Score, fmt, print_table
from prose_score import print_scores, total


def _multiset_score(expected: list, predicted: list) -> dict:
    e, p = Counter(expected), Counter(predicted)
    return Score(sum((e & p).values()), sum(p.values()), sum(e.values())).as_dict()


def run_shared(shared: Path) -> dict:
    from calpae.pipeline import extract_document

    expect = _common.ROOT / "tests" / "expectations"
    out: dict = {}
    aude_pdf = shared / "corpus" / "aude-2019-rapport-execution.pdf"
    lot_pdf = shared / "corpus" / "lot-et-garonne-2020-deliberations.pdf"
    if aude_pdf.exists():
        t0 = time.perf_counter()
        ext = extract_document(aude_pdf)
        secs = time.perf_counter() - t0
        budget = json.loads((expect / "aude_2019_budget.json").read_text(encoding="utf-8"))["tables"]
        exp_cells = [
            (role, total, col[1], Decimal(v))
            for t in budget
            for role, total, values in t["rows"]
            for col, v in zip(t["columns"], values, strict=False)
            if v is not None
        ]
        got_cells = [(ln.role, ln.is_total, ln.year, ln.amount) for ln in ext.budget_lines]
        ind = json.loads((expect / "aude_2019_indicators.json").read_text(encoding="utf-8"))["tables"]
        exp_ind = [(item[0], item[1], str(item[2])) for t in ind for row in t["rows"] for item in row]
        got_ind = [
            (v.value_kind, v.year, format(v.value.normalize(), "f") if v.value is not None else v.qualifier)
            for v in ext.indicator_values
            if v.origin == "table"
        ]
        out["aude_2019"] = {
            "pages": ext.document.page_count,
            "seconds": round(secs, 2),
            "budget": _multiset_score(exp_cells, got_cells),
            "indicators": _multiset_score(exp_ind, got_ind),
            "error_findings": sum(1 for f in ext.findings if f.severity == "error"),
        }
    if lot_pdf.exists():
        t0 = time.perf_counter()
        ext = extract_document(lot_pdf)
        secs = time.perf_counter() - t0
        exp = json.loads((expect / "lot_et_garonne_2020_budget.json").read_text(encoding="utf-8"))
        roles = ("total", "etat", "departement")
        exp_cells = [(r, Decimal(v)) for row in exp["summary_rows"] for r, v in zip(roles, row, strict=True)]
        exp_cells += [(r, Decimal(v)) for r, v in zip(roles, exp["summary_total"], strict=True)]
        got_cells = [(ln.role, ln.amount) for ln in ext.budget_lines if ln.table_kind == "summary"]
        body, annex = Decimal(exp["copies_disagree"]["body"]), Decimal(exp["copies_disagree"]["annex"])
        row = exp["row_error"]
        checks = {
            "row_error (part_sum_mismatch 23000 vs 10000)": any(
                f.check == "part_sum_mismatch"
                and (f.declared, f.computed) == (Decimal(row["declared"]), Decimal(row["computed"]))
                for f in ext.findings
            ),
            "copies disagree (cross_table_mismatch 192746/207746)": any(
                f.check == "cross_table_mismatch" and {f.declared, f.computed} == {body, annex} for f in ext.findings
            ),
            "Job 47 read as a name (ambiguous_number info)": any(
                f.check == "ambiguous_number" and exp["boundary_row_label_ends"] in f.message for f in ext.findings
            ),
        }
        out["lot_et_garonne_2020"] = {
            "pages": ext.document.page_count,
            "seconds": round(secs, 2),
            "summary": _multiset_score(exp_cells, got_cells),
            "defects": checks,
            "error_findings": sum(1 for f in ext.findings if f.severity == "error"),
        }
    return out


def print_shared(res: dict) -> None:
    print("\nShared corpus (PDF) against tests/expectations")
    rows = []
    if "aude_2019" in res:
        a = res["aude_2019"]
        for name in ("budget", "indicators"):
            s = a[name]
            rows.append(
                [
                    f"Aude 2019 {name}",
                    s["expected"],
                    s["predicted"],
                    s["matched"],
                    fmt(s["precision"]),
                    fmt(s["recall"]),
                    fmt(s["f1"]),
                ]
            )
    if "lot_et_garonne_2020" in res:
        s = res["lot_et_garonne_2020"]["summary"]
        rows.append(
            [
                "Lot-et-Garonne 2020 summary",
                s["expected"],
                s["predicted"],
                s["matched"],
                fmt(s["precision"]),
                fmt(s["recall"]),
                fmt(s["f1"]),
            ]
        )
    print_table(["what", "expected", "predicted", "matched", "P", "R", "F1"], rows)
    if "aude_2019" in res:
        print(f"Aude 2019: {res['aude_2019']['error_findings']} error findings (expected 0)")
    if "lot_et_garonne_2020" in res:
        for what, ok in res["lot_et_garonne_2020"]["defects"].items():
            print(f"Lot-et-Garonne 2020: {what}: {'found' if ok else 'MISSED'}")


# --- prose facts: the hand-written answer keys of the seed texts, and the generator's prose family -------------


def run_prose(scores: list) -> list[dict]:
    """Per-document prose scores and their total (benchmarks/prose_score.py says how facts are matched)."""
    print_scores(scores)
    return [s.row() for s in scores] + [total(scores).row()]
