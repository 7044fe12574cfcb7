"""The national budget facts of a corpus: every document's facts merged per département, and the sums users read.

A fact is (département, measure, action, year, stage, part, level). Documents that state it with different values
(a planted defect, a restated figure) leave it with several `values`, any of which a reader may report; `value` is
the one most documents state (ties: most occurrences). A wide cell (département × year × measure × stage × part)
sums the facts of one level: the measure's own figure when a document gives it, else its actions, else their details.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import product
from pathlib import Path
from typing import Any

from corpora.truth import FACT_FIELDS, document_facts, dumps

NATIONAL_FILE = "national_facts.json"
SUM_LEVELS = ("measure", "action", "detail")  # the level a wide cell sums: the first one present
MAX_SUM_CHOICES = 64  # combinations of disputed values a wide cell's accepted sums are enumerated over


def _key(fact: dict[str, Any]) -> tuple:
    return tuple(fact.get(f) for f in FACT_FIELDS)


def national_facts(truths: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts of every document merged: one per key, with the value most documents state and every value stated."""
    docs: dict[tuple, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for truth in truths:
        for fact in document_facts(truth):
            for value in fact.get("values", [fact["value"]]):
                docs[_key(fact)][value].add(truth["file"].replace(".scan.pdf", ".pdf"))
                counts[_key(fact)][value] += 1
    out = []
    for key in sorted(docs, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        per_value = docs[key]
        ranked = sorted(per_value, key=lambda v: (-len(per_value[v]), -counts[key][v], Decimal(v)))
        fact = {**dict(zip(FACT_FIELDS, key, strict=True)), "value": ranked[0]}
        if len(ranked) > 1:
            fact["values"] = sorted(ranked, key=Decimal)
        fact["documents"] = len(set().union(*per_value.values()))
        out.append(fact)
    return out


def wide_cells(facts: Iterable[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """(département, year, measure, stage, part) → the level summed, its sum, every sum the disputed values allow."""
    by_cell: dict[tuple, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        if f.get("measure_id") and f.get("level") in SUM_LEVELS:
            cell = (f["departement_code"], f["year"], f["measure_id"], f["stage"], f["part"])
            by_cell[cell][f["level"]].append(f)
    out = {}
    for cell, levels in by_cell.items():
        level = next(lv for lv in SUM_LEVELS if levels.get(lv))
        chosen = levels[level]
        total = sum((Decimal(f["value"]) for f in chosen), Decimal(0))
        options = [[Decimal(v) for v in f.get("values", [f["value"]])] for f in chosen]
        accepted = {total}
        combos = 1
        for o in options:
            combos *= len(o)
        if combos <= MAX_SUM_CHOICES:
            accepted = {sum(c, Decimal(0)) for c in product(*options)}
        out[cell] = {"level": level, "value": total, "accepted": accepted, "facts": len(chosen)}
    return out


def load_national(folder: Path) -> list[dict[str, Any]]:
    """The corpus's national facts: its national file, else merged from its truth files."""
    path = Path(folder) / NATIONAL_FILE
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))["facts"]
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.truth.json"))]
    return national_facts(truths)


def write_national(folder: Path, truth_paths: Iterable[Path]) -> Path:
    """Write the corpus's national facts beside its documents."""
    truths = [json.loads(Path(p).read_text(encoding="utf-8")) for p in truth_paths]
    path = Path(folder) / NATIONAL_FILE
    path.write_text(dumps({"schema": "calpae-national-facts/1", "facts": national_facts(truths)}), encoding="utf-8")
    return path
