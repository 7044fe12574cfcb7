"""What calpae misses on one generated document: the truth cells it did not match and the lines it got wrong.

Run by hand:  python benchmarks/explain.py CORPUS/008-2022-tableau_financier.pdf [--what budget|indicators|both]
(a scan `.scan.pdf` or a text export `.txt` of a corpus works the same)
Uses the strict matching rules of benchmarks/accuracy.py (page, label, stage, part, year, amount).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from _common import TruthDoc
from accuracy import budget_pairs, indicator_pairs


def _show_budget(doc: TruthDoc, ext) -> None:
    truth, lines, pairs = budget_pairs(doc, ext, strict=True)
    hit_t = {t for t, _ in pairs}
    hit_p = {p for _, p in pairs}
    print(f"budget: {len(pairs)} matched, {len(lines)} predicted, {len(truth)} expected")
    for i, t in enumerate(truth):
        if i not in hit_t:
            meaning = f"{t.get('stage')}/{t.get('part')}/{t.get('year')}"
            print(f"  missed  p{t['page']} {t.get('row_label')!r:60.60} {meaning} {t['amount']}")
    for i, ln in enumerate(lines):
        if i not in hit_p:
            print(
                f"  wrong   p{ln.provenance.page} {ln.row_label!r:60.60} {ln.stage}/{ln.part}/{ln.year} {ln.amount}"
                f"  [{ln.column_label!r:.60}]"
            )


def _show_indicators(doc: TruthDoc, ext) -> None:
    truth, preds, pairs = indicator_pairs(doc, ext)
    hit_t = {t for t, _ in pairs}
    hit_p = {p for _, p in pairs}
    print(f"indicators: {len(pairs)} matched, {len(preds)} predicted, {len(truth)} expected")
    for i, t in enumerate(truth):
        if i not in hit_t:
            print(
                f"  missed  p{t['page']} {t.get('indicator')!r:60.60} {t.get('value_kind')}/{t.get('year')}"
                f" {t.get('value') or t.get('qualifier')}"
            )
    for i, v in enumerate(preds):
        if i not in hit_p:
            print(
                f"  wrong   p{v.provenance.page} {v.indicator_label!r:60.60} {v.value_kind}/{v.year}"
                f" {v.value if v.value is not None else v.qualifier} id={v.indicator_id}"
            )


def _truth_of(path: Path) -> TruthDoc:
    """The document with the truth JSON beside it that describes it (PDF, scan or text export)."""
    for candidate in sorted(path.parent.glob("*.truth.json")):
        truth = json.loads(candidate.read_text(encoding="utf-8"))
        if truth.get("file") == path.name:
            return TruthDoc(path, truth)
    raise SystemExit(f"{path}: no truth JSON beside it names this file")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--what", choices=["budget", "indicators", "both"], default="both")
    args = ap.parse_args()
    from calpae.pipeline import extract_document

    doc = _truth_of(args.pdf)
    ext = extract_document(args.pdf)
    if args.what in ("budget", "both"):
        _show_budget(doc, ext)
    if args.what in ("indicators", "both"):
        _show_indicators(doc, ext)


if __name__ == "__main__":
    main()
