"""Accuracy of the national dataset (what users read) against a generated corpus's national facts.

Run by hand, never as a test (also called by benchmarks/accuracy.py on the corpus it extracts):
    python benchmarks/facts.py --corpus DIR --db RUN.duckdb [--json PATH] [--misses PATH]
where RUN.duckdb holds the corpus extracted and reconciled (`calpae batch DIR --db RUN.duckdb --out OUT`).

- Facts: a `dataset_long` budget row matches a truth fact (corpora/facts.py) with the same département, measure
  (both empty for grand totals), year, stage, part and level, a matching action label (benchmarks/_common.labels_match;
  both empty for a measure's own figures; where the truth names the action by its fiche number only, as the office
  family does, the number the label opens with) and a value the documents print for it; one to one. Precision over the
  dataset's budget rows, recall over the truth facts.
- Wide cells: each truth cell (département × year × measure × stage × part, the sum of one level) against the
  dataset_wide column budget:<measure>:<stage>:<part> of that row: equal, missing, or different; cells the dataset
  has and the truth has not are counted apart.
- Measure mapping: budget lines matched to truth cells (same page and amount; the same row and column words first,
  then labels that match), among those whose truth cell has a measure: the measure found in the document
  (budget_lines), and after reconciliation (series): right, wrong, none.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import _common
from _common import Score, fmt, greedy_pairs, labels_match, load_corpus, norm_label, print_table, write_json

from calpae.models import Extraction
from calpae.reconcile.run import RECONCILE_CHECKS, reconcile
from calpae.reconcile.unread import CHECK as COPY_UNREAD
from calpae.store.db import Database, connect
from calpae.store.run import RunStore
from corpora.facts import load_national, wide_cells

_BARE_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,2}")
_CELL_ID = re.compile(r"t(\d+)r(\d+)c(\d+)")  # a truth cell's id: its table, row and column
KEY = ("departement_code", "measure_id", "year", "stage", "part", "level")


def _key(d: object) -> tuple:
    return tuple(str(d.get(k) or "") for k in KEY) if isinstance(d, dict) else ()


def action_number(action: str | None) -> str | None:
    """The fiche number an action label opens with ('8.1 Épicerie sociale itinérante' → '8.1')."""
    m = re.match(r"\s*(\d{1,2}(?:\.\d{1,2}){1,2})\b", action or "")
    return m.group(1) if m else None


def score_facts(truth: list[dict[str, Any]], con: Database) -> tuple[Score, list[dict[str, Any]]]:
    """One-to-one matches of the dataset's budget facts to the truth facts; and the facts missed or wrong."""
    rows = con.execute(
        "SELECT departement_code, measure_id, year, stage, part, level, action, value FROM dataset_long "
        "WHERE fact_type = 'budget'"
    ).fetchall()
    preds = [dict(zip((*KEY, "action", "value"), r, strict=True)) for r in rows]
    for p in preds:
        p["naction"] = norm_label(p["action"])
    for t in truth:
        t["naction"] = norm_label(t.get("action"))
        t["number"] = t.get("action") if _BARE_NUMBER.fullmatch(t.get("action") or "") else None
        t["accepted"] = {Decimal(v) for v in t.get("values", [t["value"]])}

    def ok(t: dict[str, Any], p: dict[str, Any]) -> bool:
        if Decimal(p["value"]) not in t["accepted"]:
            return False
        if t["number"]:  # the office family names an action by its fiche number only, which norm_label erases
            return action_number(p["action"]) == t["number"]
        return labels_match(t["naction"], p["naction"])

    pairs = greedy_pairs(truth, preds, key=_key, ok=ok)
    hit_t, hit_p = {t for t, _ in pairs}, {p for _, p in pairs}
    fields = (*KEY, "action", "value")
    misses = [dict(kind="missed", **{k: t.get(k) for k in fields}) for i, t in enumerate(truth) if i not in hit_t]
    misses += [dict(kind="wrong", **{k: p.get(k) for k in fields}) for i, p in enumerate(preds) if i not in hit_p]
    return Score(len(pairs), len(preds), len(truth)), misses


def score_wide(truth: list[dict[str, Any]], con: Database) -> dict[str, Any]:
    """Truth wide cells against the dataset's budget columns."""
    cells = wide_cells(truth)
    cur = con.execute("SELECT * FROM dataset_wide")
    names = [d[0] for d in cur.description]
    got: dict[tuple, Decimal] = {}
    for row in cur.fetchall():
        values = dict(zip(names, row, strict=True))
        for col, v in values.items():
            if col.startswith("budget:") and v is not None:
                _, measure, stage, part = col.split(":")
                got[(values["departement_code"], values["year"], measure, stage, part)] = Decimal(v)
    equal = missing = different = 0
    wrong = []
    for cell, t in cells.items():
        v = got.get(cell)
        if v is None:
            missing += 1
        elif v in t["accepted"]:
            equal += 1
            continue
        else:
            different += 1
        wrong.append(dict(cell=cell, truth=str(t["value"]), level=t["level"], got=None if v is None else str(v)))
    extra = [c for c in got if c not in cells]
    return {
        "cells": len(cells),
        "equal": equal,
        "missing": missing,
        "different": different,
        "extra": len(extra),
        "wrong": wrong,
        "extra_cells": [list(map(str, c)) for c in extra],
    }


def _table_row(cell: dict[str, Any]) -> tuple[int, int] | None:
    m = _CELL_ID.fullmatch(cell.get("id") or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _row_offsets(truth: list[dict[str, Any]], preds: list[dict[str, Any]], pairs: list[tuple[int, int]]) -> dict:
    """Per predicted table: the truth table and the row offset (truth row - predicted row) most of its non-zero
    pairs show; readers number rows from their own first row, a header row more or less."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for ti, pi in pairs:
        where, p = _table_row(truth[ti]), preds[pi]
        if truth[ti]["amount"] and p["table_id"] is not None and p["row"] is not None and where is not None:
            seen[p["table_id"]][(where[0], where[1] - p["row"])] += 1
    return {table: c.most_common(1)[0][0] for table, c in seen.items()}


def _cell_pairs(truth: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Truth cells paired with budget lines (same page and amount): the same label and column words first, then
    labels that match (accuracy.py's rule), so equal amounts (zeros) of neighbouring rows do not pair crosswise. A
    zero pairs only with the line of its row, where the table's non-zero pairs show which predicted row that is
    (the zeros of every 'Sous total' row of a recap would otherwise pair with whichever comes first)."""

    def key(x: object) -> tuple:
        return (x["page"], x["amount"]) if isinstance(x, dict) else ()

    def same_row(t: dict[str, Any], p: dict[str, Any], offsets: dict) -> bool:
        off, where = offsets.get(p["table_id"]), _table_row(t)
        if t["amount"] or off is None or where is None or off[0] != where[0] or p["row"] is None:
            return True
        return where[1] - p["row"] == off[1]

    def exact(t: dict[str, Any], p: dict[str, Any]) -> bool:
        return (t["nlabel"], t["ncol"]) == (p["nlabel"], p["ncol"])

    offsets = _row_offsets(
        truth, preds, greedy_pairs(truth, preds, key=key, ok=lambda t, p: t["amount"] and exact(t, p))
    )
    # a table none of whose labels reads exactly (OCR): the offset its non-zero pairs by matching labels show
    loose_offsets = _row_offsets(
        truth,
        preds,
        greedy_pairs(truth, preds, key=key, ok=lambda t, p: t["amount"] and labels_match(t["nlabel"], p["nlabel"])),
    )
    offsets = loose_offsets | offsets
    exact_pairs = greedy_pairs(truth, preds, key=key, ok=lambda t, p: exact(t, p) and same_row(t, p, offsets))
    done_t, done_p = {t for t, _ in exact_pairs}, {p for _, p in exact_pairs}
    rest_t = [i for i in range(len(truth)) if i not in done_t]
    rest_p = [i for i in range(len(preds)) if i not in done_p]
    loose = greedy_pairs(
        [truth[i] for i in rest_t],
        [preds[i] for i in rest_p],
        key=key,
        ok=lambda t, p: labels_match(t["nlabel"], p["nlabel"]) and same_row(t, p, offsets),
    )
    return exact_pairs + [(rest_t[t], rest_p[p]) for t, p in loose]


def score_mapping(folder: Path, con: Database) -> dict[str, Any]:
    """Measure of the budget lines whose truth cell has one: in the document, and after reconciliation."""
    lines = defaultdict(list)
    for r in con.execute(
        "SELECT b.source, b.page, b.row_label, b.amount, b.measure_id, s.measure_id, b.column_label, b.table_id, b.row "
        "FROM budget_lines b LEFT JOIN series s ON s.document_id = b.document_id AND s.line_id = b.line_id "
        "WHERE b.amount IS NOT NULL"
    ).fetchall():
        lines[Path(r[0]).name].append(
            dict(page=r[1], nlabel=norm_label(r[2]), amount=Decimal(r[3]), own=r[4], rec=r[5], ncol=norm_label(r[6]))
            | dict(table_id=r[7], row=r[8])
        )
    counts: Counter = Counter()
    per_doc = {}
    for doc in load_corpus(folder):
        truth = [
            dict(
                c,
                amount=Decimal(c["amount"]),
                nlabel=norm_label(c.get("row_label")),
                ncol=norm_label(c.get("column_label")),
            )
            for c in doc.truth["budget_cells"]
        ]
        preds = lines.get(doc.pdf.name, [])
        pairs = _cell_pairs(truth, preds)
        doc_counts: Counter = Counter()
        for ti, pi in pairs:
            want = truth[ti].get("measure_id")
            if not want:
                continue
            for stage in ("own", "rec"):
                got = preds[pi][stage]
                doc_counts[(stage, "right" if got == want else "none" if got is None else "wrong")] += 1
        counts.update(doc_counts)
        n = sum(v for (s, _), v in doc_counts.items() if s == "own")
        per_doc[doc.pdf.name] = round(doc_counts[("own", "right")] / n, 3) if n else None
    out: dict[str, Any] = {"per_document_own_rate": per_doc}
    for stage in ("own", "rec"):
        n = sum(v for (s, _), v in counts.items() if s == stage)
        out[stage] = {k: counts[(stage, k)] for k in ("right", "wrong", "none")} | {"lines": n}
        out[stage]["rate"] = counts[(stage, "right")] / n if n else None
        out[stage]["wrong_rate"] = counts[(stage, "wrong")] / n if n else None
    return out


def run_facts(folder: Path, con: Database) -> dict[str, Any]:
    truth = load_national(folder)
    facts, misses = score_facts(truth, con)
    return {
        "facts": facts.as_dict(),
        "wide": score_wide(truth, con),
        "mapping": score_mapping(folder, con),
        "misses": misses,
    }


def reconcile_corpus(
    exts: list[Extraction], folder: Path | None = None
) -> tuple[dict[str, list[tuple[str, int | None]]], dict | None, dict[str, Counter]]:
    """Run calpae reconcile over all extractions: its findings per document id, (with the corpus folder) the
    national dataset's scores against the corpus's national facts, and per weaker copy the (page, |amount|) of the
    figures its `copy_unread` findings name (what the copy missed, seen from its better copy); under 'own:<id>',
    those each document's own unread and guessed findings name after reconcile."""
    out: dict[str, list[tuple[str, int | None]]] = {}
    missed: dict[str, Counter] = {}
    facts = None
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp), write_json=False)
        for ext in exts:
            store.add(ext)
        reconcile(store.con)
        marks = ", ".join("?" for _ in RECONCILE_CHECKS)
        rows = store.con.execute(
            f'SELECT document_id, "check", page, declared FROM findings WHERE "check" IN ({marks})',
            list(RECONCILE_CHECKS),
        ).fetchall()
        # the figures each document's own findings name once reconcile ran (it takes out of a weaker copy's
        # warnings the amounts its better copy confirms)
        kept = store.con.execute(
            'SELECT document_id, page, cells FROM findings WHERE "check" IN (?, ?, ?)',
            ["unread_figure", "meaning_guessed", "ocr_repaired"],
        ).fetchall()
        if folder is not None:
            facts = run_facts(folder, store.con)
        store.close()
    for doc_id, check, page, declared in rows:
        out.setdefault(doc_id, []).append((check, page))
        if check == COPY_UNREAD and declared is not None:
            missed.setdefault(doc_id, Counter())[(page, abs(Decimal(declared)))] += 1
    for doc_id, page, cells in kept:
        own = missed.setdefault(f"own:{doc_id}", Counter())
        for c in json.loads(cells or "[]"):
            if c.get("value") is not None:
                own[(c.get("page", page), abs(Decimal(c["value"])))] += 1
    return out, facts, missed


def print_facts(res: dict[str, Any]) -> None:
    f, w, m = res["facts"], res["wide"], res["mapping"]
    print("\nNational dataset against the corpus's national facts")
    print_table(
        ["facts (truth)", "dataset rows", "matched", "P", "R", "wide cells", "equal", "missing", "different", "extra"],
        [
            [
                f["expected"],
                f["predicted"],
                f["matched"],
                fmt(f["precision"]),
                fmt(f["recall"]),
                w["cells"],
                w["equal"],
                w["missing"],
                w["different"],
                w["extra"],
            ]
        ],
    )
    rows = []
    for stage, name in (("own", "in the document"), ("rec", "after reconcile")):
        s = m[stage]
        rows.append([name, s["lines"], s["right"], s["wrong"], s["none"], fmt(s["rate"]), fmt(s["wrong_rate"])])
    print("\nMeasure of the budget lines that have one (lines matched to truth cells)")
    print_table(["where", "lines", "right", "wrong", "none", "rate", "wrong rate"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--db", required=True, help="the corpus's run database, reconciled")
    ap.add_argument("--json", default=None)
    ap.add_argument("--misses", type=Path, default=None)
    args = ap.parse_args(argv)
    with connect(args.db, read_only=True) as con:
        res = run_facts(args.corpus, con)
    print_facts(res)
    if args.misses:
        args.misses.write_text(json.dumps(_common.to_jsonable(res), indent=1, ensure_ascii=False), encoding="utf-8")
    write_json(args.json, {"machine": _common.machine(), "command": " ".join(sys.argv), "facts": res})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
