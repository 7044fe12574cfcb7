"""Prose facts of calpae against hand-written answer keys (tests/expectations/prose/*.json) and against the prose
family of the generator (corpora/prose.py truth files).

A key fact is found when calpae states, on the same source line (text input) or page (PDF), a prose figure with
exactly the same value (indicator value of origin 'prose', or a prose amount); matching is one-to-one, greedy in
key order. Of the facts found, year right and kind right are counted (kind 'budget' = an amount with a part and a
stage; its part and stage are also scored), and scope and unit. A fragment label is a prose label of fewer than two
content words or ending on a function word (calpae.indicators.prose_subject.is_fragment) that is not a referential
indicator name. Precision = predicted prose figures that match a key fact / all predicted prose figures.

    python benchmarks/prose_score.py [--keys tests/expectations/prose] [--seeds ../shared/seeds] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT_NAMES = {"%": "percent", "fte": "other", "weeks": "other", "minutes": "other"}


@dataclass
class Predicted:
    """One prose figure calpae stated."""

    line: int | None
    page: int | None
    value: Decimal
    unit: str
    year: int | None
    kind: str | None
    scope: str | None
    label: str
    indicator_id: str | None = None
    part: str | None = None
    stage: str | None = None


@dataclass
class DocScore:
    name: str
    expected: int = 0
    predicted: int = 0
    found: int = 0
    year_ok: int = 0
    kind_ok: int = 0
    year_kind_ok: int = 0
    scope_ok: int = 0
    unit_ok: int = 0
    budget_ok: int = 0
    budget_total: int = 0
    indicator_ok: int = 0
    indicator_total: int = 0
    fragments: int = 0
    seconds: float = 0.0
    defects_found: int = 0
    defects_planted: int = 0
    false_findings: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def row(self) -> dict:
        found = max(self.found, 1)
        return {
            "document": self.name,
            "expected": self.expected,
            "predicted": self.predicted,
            "found": self.found,
            "recall": round(self.found / max(self.expected, 1), 3),
            "precision": round(self.found / max(self.predicted, 1), 3),
            "year_right": round(self.year_ok / found, 3),
            "kind_right": round(self.kind_ok / found, 3),
            "year_and_kind_right": round(self.year_kind_ok / found, 3),
            "scope_right": round(self.scope_ok / found, 3),
            "unit_right": round(self.unit_ok / found, 3),
            "budget_part_stage_right": f"{self.budget_ok}/{self.budget_total}",
            "indicator_id_right": f"{self.indicator_ok}/{self.indicator_total}",
            "fragment_labels": self.fragments,
            "f1": f1(self),
            "defects": f"{self.defects_found}/{self.defects_planted}",
            "false_findings": self.false_findings,
            "seconds": round(self.seconds, 2),
        }


def predicted_facts(ext) -> list[Predicted]:
    """The prose figures of one extraction: prose indicator values and prose amounts."""
    out = []
    for v in ext.indicator_values:
        if v.origin != "prose" or v.value is None:
            continue
        p = v.provenance
        out.append(
            Predicted(
                p.line, p.page, v.value, v.unit or "", v.year, v.value_kind, v.scope, v.indicator_label, v.indicator_id
            )
        )
    for a in ext.amounts:
        p = a.provenance
        out.append(
            Predicted(p.line, p.page, a.amount, "EUR", a.year, a.kind, a.scope, a.subject or "", None, a.part, a.stage)
        )
    return out


def is_fragment_label(label: str) -> bool:
    """A fragment: not a noun phrase of two content words, and not a referential indicator name."""
    from calpae.indicators.prose_subject import is_fragment
    from calpae.referential import load_referential

    return is_fragment(label) and not load_referential().resolve_alias(label)


def score_facts(name: str, facts: list[dict], preds: list[Predicted], by: str = "line") -> DocScore:
    """Match key facts to predicted figures one-to-one on (line or page, value) and count what is right."""
    sc = DocScore(name, expected=len(facts), predicted=len(preds))
    free = list(range(len(preds)))
    for fact in facts:
        where, value = fact[by], Decimal(str(fact["value"]))
        hit = next((i for i in free if getattr(preds[i], by) == where and preds[i].value == value), None)
        if hit is None:
            sc.misses.append(f"{by} {where} {fact.get('anchor', '')!r} = {fact['value']} ({fact['kind']})")
            continue
        free.remove(hit)
        p = preds[hit]
        sc.found += 1
        year_ok, kind_ok = p.year == fact.get("year"), p.kind == fact["kind"]
        sc.year_ok += year_ok
        sc.kind_ok += kind_ok
        sc.year_kind_ok += year_ok and kind_ok
        sc.scope_ok += p.scope == fact.get("scope")
        sc.unit_ok += UNIT_NAMES.get(p.unit, p.unit) == fact.get("unit")
        if fact["kind"] == "budget" and fact.get("budget"):
            sc.budget_total += 1
            sc.budget_ok += (p.part, p.stage) == (fact["budget"]["part"], fact["budget"]["stage"])
        if fact.get("indicator_id") or p.indicator_id:
            sc.indicator_total += 1
            sc.indicator_ok += p.indicator_id == fact.get("indicator_id")
        if not (year_ok and kind_ok and p.scope == fact.get("scope")):
            sc.wrong.append(
                f"{by} {where} {fact.get('anchor', '')!r}: year {p.year}/{fact.get('year')} "
                f"kind {p.kind}/{fact['kind']} scope {p.scope}/{fact.get('scope')} label {p.label!r}"
            )
    for i in free:
        p = preds[i]
        sc.extras.append(f"{by} {getattr(p, by)} {p.value} {p.unit} {p.kind} {p.label!r}")
    sc.fragments = sum(1 for p in preds if is_fragment_label(p.label))
    return sc


def score_keys(keys: Path, seeds: Path) -> list[DocScore]:
    """Run calpae on each key's seed text and score its prose facts."""
    from calpae.pipeline import extract_document

    out = []
    for path in sorted(keys.glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        ext = extract_document(seeds / key["seed"])
        sc = score_facts(path.stem, key["facts"], predicted_facts(ext))
        sc.seconds = time.perf_counter() - started
        out.append(sc)
    return out


def score_family(folder: Path) -> list[DocScore]:
    """Run calpae on every report of a generated prose family (corpora/prose.py) and score it on its truth."""
    from calpae.pipeline import extract_document

    out = []
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        ext = extract_document(folder / truth["file"])
        sc = score_facts(truth["file"], truth["facts"], predicted_facts(ext))
        sc.seconds = time.perf_counter() - started
        planted = {(d["kind"], d["line"]) for d in truth.get("defects", [])}
        reported = {(f.check, f.provenance.line) for f in ext.findings if f.check.startswith("prose_")}
        sc.defects_found = len(planted & reported)
        sc.defects_planted = len(planted)
        sc.false_findings = len(reported - planted)
        out.append(sc)
    return out


def f1(s) -> float:
    p, r = s.found / max(s.predicted, 1), s.found / max(s.expected, 1)
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def total(scores: list[DocScore]) -> DocScore:
    t = DocScore("all")
    for s in scores:
        for k in ("expected", "predicted", "found", "year_ok", "kind_ok", "year_kind_ok", "scope_ok", "unit_ok"):
            setattr(t, k, getattr(t, k) + getattr(s, k))
        for k in (
            "budget_ok",
            "budget_total",
            "indicator_ok",
            "indicator_total",
            "fragments",
            "seconds",
            "defects_found",
            "defects_planted",
            "false_findings",
        ):
            setattr(t, k, getattr(t, k) + getattr(s, k))
    return t


def print_scores(scores: list[DocScore], verbose: bool = False) -> None:
    rows = [s.row() for s in scores] + [total(scores).row()]
    cols = list(rows[0])
    print("  ".join(f"{c[:14]:>14}" for c in cols))
    for r in rows:
        print("  ".join(f"{str(r[c])[:14]:>14}" for c in cols))
    if verbose:
        for s in scores:
            print(f"\n== {s.name}")
            for kind, items in (("MISS", s.misses), ("WRONG", s.wrong), ("EXTRA", s.extras)):
                for item in items:
                    print(f"  {kind} {item}")
    kinds = Counter()
    for s in scores:
        kinds.update(w.split(" kind ")[1].split(" ")[0] for w in s.wrong if " kind " in w)
    if verbose:
        print("\nkinds predicted on wrong rows:", dict(kinds))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keys", type=Path, default=ROOT / "tests" / "expectations" / "prose")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--family", type=Path, default=None, help="score a generated prose family folder instead")
    ap.add_argument("--json", type=Path, default=None, help="write the scores as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, wrong attributes and extras")
    args = ap.parse_args(argv)
    if args.family is not None:
        scores = score_family(args.family)
    elif not args.seeds.is_dir():
        print(f"prose_score: no seed texts at {args.seeds}", file=sys.stderr)
        return 2
    else:
        scores = score_keys(args.keys, args.seeds)
    print_scores(scores, args.verbose)
    if args.json:
        args.json.write_text(json.dumps([s.row() for s in scores] + [total(scores).row()], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
