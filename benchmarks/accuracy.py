"""Accuracy of calpae (and of peer table extractors) on a generated corpus with ground truth, and on ../shared.

Run by hand, never as a test:
    python benchmarks/accuracy.py --corpus DIR [--shared ../shared] [--peers all|none|a,b] [--json PATH]

Matching rules (generated corpus; every match is one-to-one, greedy in truth order):
- Budget cell, calpae: a predicted budget line (calpae.pipeline.extract_document → budget_lines) matches a truth
  cell when the page is the same, the row labels match (both normalised: lower case, no accents, leading
  numbering and punctuation removed; then equal, one containing the other, or rapidfuzz ratio ≥ 85), the stage
  and the part are the same, the year is the same (or the truth cell has none), and the amount is exactly equal
  (Decimal). (Until issue 13 the rule compared one `role`; stage + part replace it: role etat/departement/autre
  was a part of an unstated stage, report was carried_in or to_carry_over, non_consomme to_carry_over or unspent,
  valorisation a stage of its own, total the total part; each truth cell now states both.)
  "calpae (label+amount)" drops stage, part and year: that is the rule peers are scored with.
- Budget cell, peers: from each table a peer extracts, each row gives its first non-numeric cell as label and
  every cell that parses as an amount in € (calpae.extract.numbers.parse_number) as one cell; it matches a truth
  cell by page + row label (as above) + exact amount. Stages, parts and years are not scored for peers.
- Indicator value: a table-origin calpae value matches a truth value by page, year, value_kind, indicator
  (same indicator_id when both have one, else labels match as above) and value (exact Decimal), or, for cells
  without a number, the same qualifier (NR, NC, SO…; a marker written out, "Sans objet", equals its abbreviation).
  Prose-origin indicator values are left out: the truth lists table values only (their count is reported).
  Budget lines read from sentences (origin "prose", issue 16's money facts) are left out: they are not table cells.
- Prose amount: recall only, a calpae prose amount on the same page with the exact amount.
- Planted defect: found when calpae has a finding of the same check (any severity) on the defect's page or a
  page of the defect's table; for cross_table_mismatch / prose_table_mismatch on any page of the document (the
  other copy may carry it); `restatement` comes from `calpae reconcile` over the whole corpus (same document).
  "as error" counts the planted defects found by a finding of severity `error` (a wrong total on a scan must be
  reported as the document's error, not as an OCR doubt).
- False error: a finding of severity `error` that matches no planted defect of its document (same rule);
  reported per 10 documents.
- Unread recall: of the truth budget cells and indicator values missed (strict rules above), the share calpae
  reported itself, as an `unread_figure` finding (every figure of a table_not_read / table_partly_read warning has one)
  or a `meaning_guessed` / `ocr_repaired` warning holding a figure of the same page and amount
  (benchmarks/_misses.py; qualifiers without a figure counted apart); the precision of those reports is the share
  that do not name a truth figure calpae read right.
- National dataset (what users read): the corpus reconciled, dataset_long/dataset_wide scored against the corpus's
  national facts, and the measure of every budget line; rules in benchmarks/facts.py.
Scores are given per family (document.family: "generated" reportlab, "office" LibreOffice-rendered DOCX/XLSX) and
copy kind (born-digital PDF, scan, text export), per layout option (from each truth JSON's document.layout: a
document counts under every option that is on and under each style's value) and overall.

Prose facts (benchmarks/prose_score.py): with --shared, the seed texts against tests/expectations/prose/*.json (facts
found on their line, year and kind right, fragment labels); with --prose-family DIR, a generated prose family
(python -m corpora prose …) against its truth (F1, year and kind, planted arithmetic defects).

Shared corpus (../shared/corpus) against tests/expectations/*.json (hand-checked):
- Aude 2019 budget: multiset of (role, is_total, year, amount) over all budget lines vs the 68 expected rows;
- Aude 2019 indicators: multiset of (value_kind, year, value or qualifier) over table-origin values;
- Lot-et-Garonne 2020: multiset of (role, amount) over the summary table (13 rows + total, 3 columns), and
  whether the planted real defects are reported.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import _common
import _misses
import facts as facts_mod
import peers as peers_mod
from _common import (
    Group,
    TruthDoc,
    family_groups,
    fmt,
    greedy_match,
    greedy_pairs,
    labels_match,
    layout_groups,
    load_corpus,
    machine,
    norm_label,
    print_table,
    write_json,
)
from _families import is_family, print_families
from prose_score import ROOT, score_family, score_keys
from shared import print_shared, run_prose, run_shared

from calpae.models import Extraction

LOOSE_CHECKS = {"cross_table_mismatch", "prose_table_mismatch"}


# --- budget cells ---------------------------------------------------------------------------------------------


def _truth_cells(doc: TruthDoc) -> list[dict]:
    return [
        dict(c, amount=Decimal(c["amount"]), nlabel=norm_label(c.get("row_label"))) for c in doc.truth["budget_cells"]
    ]


def budget_pairs(doc: TruthDoc, ext: Extraction, strict: bool) -> tuple[list[dict], list, list[tuple[int, int]]]:
    """Truth cells, calpae's budget lines with an amount, and their one-to-one matches."""
    truth = _truth_cells(doc)
    lines = [ln for ln in ext.budget_lines if ln.amount is not None and ln.origin != "prose"]
    preds = [(ln.provenance.page, norm_label(ln.row_label), ln.amount, (ln.stage, ln.part), ln.year) for ln in lines]

    def ok(t: dict, p: tuple) -> bool:
        if not labels_match(t["nlabel"], p[1]):
            return False
        if strict:
            return (t.get("stage"), t.get("part")) == p[3] and (t.get("year") is None or t.get("year") == p[4])
        return True

    pairs = greedy_pairs(
        truth, preds, key=lambda x: (x["page"], x["amount"]) if isinstance(x, dict) else (x[0], x[2]), ok=ok
    )
    return truth, lines, pairs


def score_budget(doc: TruthDoc, ext: Extraction, strict: bool) -> tuple[int, int, int]:
    """(matched, predicted, expected) budget cells of calpae on one document."""
    truth, lines, pairs = budget_pairs(doc, ext, strict)
    return len(pairs), len(lines), len(truth)


def score_peer(doc: TruthDoc, cells: list[tuple]) -> tuple[int, int, int]:
    truth = _truth_cells(doc)
    preds = [(page, norm_label(label), amount) for page, label, amount in cells]
    hit = greedy_match(
        truth,
        preds,
        key=lambda x: (x["page"], x["amount"]) if isinstance(x, dict) else (x[0], x[2]),
        ok=lambda t, p: labels_match(t["nlabel"], p[1]),
    )
    return hit, len(preds), len(truth)


# --- indicators, prose, defects -------------------------------------------------------------------------------


# the same marker written out or abbreviated ('Sans Objet' = 'SO'): one meaning, scored as one
_QUAL_SAME = {"SANS OBJET": "SO", "NON RENSEIGNE": "NR", "NON COMMUNIQUE": "NC", "NON DISPONIBLE": "ND"}


def _qual(q: str | None) -> str | None:
    if not q:
        return None
    key = norm_label(q).upper()
    return _QUAL_SAME.get(key, key)


def indicator_pairs(doc: TruthDoc, ext: Extraction) -> tuple[list[dict], list, list[tuple[int, int]]]:
    """Truth indicator values, calpae's table-origin values, and their one-to-one matches."""
    truth = [
        dict(
            v,
            dvalue=Decimal(v["value"]) if v.get("value") not in (None, "") else None,
            nlabel=norm_label(v.get("indicator")),
        )
        for v in doc.truth["indicator_values"]
    ]
    preds = [v for v in ext.indicator_values if v.origin == "table"]

    def key(x: object) -> tuple:
        if isinstance(x, dict):
            return (x["page"], x.get("year"), x.get("value_kind"))
        return (x.provenance.page, x.year, x.value_kind)

    def ok(t: dict, p) -> bool:
        if t["dvalue"] is not None:
            if p.value is None or p.value != t["dvalue"]:
                return False
        elif p.value is not None or _qual(p.qualifier) != _qual(t.get("qualifier")):
            return False
        if t.get("indicator_id") and p.indicator_id:
            return t["indicator_id"] == p.indicator_id
        return labels_match(t["nlabel"], norm_label(p.indicator_label))

    return truth, preds, greedy_pairs(truth, preds, key=key, ok=ok)


def score_indicators(doc: TruthDoc, ext: Extraction) -> tuple[int, int, int]:
    """(matched, predicted, expected) table indicator values of calpae on one document."""
    truth, preds, pairs = indicator_pairs(doc, ext)
    return len(pairs), len(preds), len(truth)


def score_prose(doc: TruthDoc, ext: Extraction) -> tuple[int, int, int]:
    truth = [(a["page"], Decimal(a["amount"])) for a in doc.truth["prose_amounts"]]
    preds = [(a.provenance.page, a.amount) for a in ext.amounts]
    return greedy_match(truth, preds, key=lambda x: x, ok=lambda t, p: True), len(preds), len(truth)


def _defect_pages(doc: TruthDoc, defect: dict) -> set[int] | None:
    """Pages a finding for this defect may be on; None means any page of the document."""
    if defect["kind"] in LOOSE_CHECKS:
        return None
    pages = {defect["page"]} if defect.get("page") else set()
    tables = doc.truth.get("tables", [])
    if defect.get("table") is not None and defect["table"] < len(tables):
        pages |= set(tables[defect["table"]].get("pages", []))
    return pages or None


def _finding_matches(doc: TruthDoc, defect: dict, check: str, page: int | None) -> bool:
    if check != defect["kind"]:
        return False
    pages = _defect_pages(doc, defect)
    return pages is None or page in pages


def score_defects(
    doc: TruthDoc, ext: Extraction, reconciled: list[tuple[str, int | None]]
) -> tuple[int, int, int, int]:
    """(planted found, planted, false errors, planted found as an `error` finding) for one document."""
    findings = [(f.check, f.provenance.page, f.severity) for f in ext.findings]
    findings += [(c, p, "warning") for c, p in reconciled]
    defects = doc.truth["defects"]
    found = sum(1 for d in defects if any(_finding_matches(doc, d, c, p) for c, p, _ in findings))
    false_errors = sum(
        1 for c, p, s in findings if s == "error" and not any(_finding_matches(doc, d, c, p) for d in defects)
    )
    as_error = sum(1 for d in defects if any(s == "error" and _finding_matches(doc, d, c, p) for c, p, s in findings))
    return found, len(defects), false_errors, as_error


# --- the generated corpus -------------------------------------------------------------------------------------


def run_corpus(folder: Path, peer_names: list[str], misses_out: Path | None) -> dict:
    from calpae.pipeline import extract_document

    docs = load_corpus(folder)
    peers = peers_mod.available_peers(peer_names)
    groups: dict[str, Group] = {}
    exts: list[Extraction] = []
    timings: Counter = Counter()
    peer_cells: dict[str, list] = {name: [] for name in peers}
    for i, doc in enumerate(docs, 1):
        print(f"[{i}/{len(docs)}] {doc.pdf.name}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        exts.append(extract_document(doc.pdf))
        timings["calpae"] += time.perf_counter() - t0
        for name in peers:
            t0 = time.perf_counter()
            peer_cells[name].append(peers_mod.run_peer(name, doc.pdf))
            timings[name] += time.perf_counter() - t0
    reconciled, facts, copy_missed = facts_mod.reconcile_corpus(exts, folder)
    misses = []
    for di, (doc, ext) in enumerate(zip(docs, exts, strict=True)):
        names = list(dict.fromkeys(["overall", *family_groups(doc), *layout_groups(doc.layout)]))
        per_doc = {
            "budget": score_budget(doc, ext, strict=True),
            "budget_label_amount": score_budget(doc, ext, strict=False),
            "indicators": score_indicators(doc, ext),
            "prose_amounts": score_prose(doc, ext),
        }
        for name in peers:
            cells = peer_cells[name][di]
            per_doc[f"peer:{name}"] = (
                score_peer(doc, cells) if cells is not None else (0, 0, len(doc.truth["budget_cells"]))
            )
        found, planted, false_err, as_error = score_defects(doc, ext, reconciled.get(ext.document.id, []))
        truth_b, _, pairs_b = budget_pairs(doc, ext, strict=True)
        truth_i, _, pairs_i = indicator_pairs(doc, ext)
        fates = _misses.account(
            _misses.missed(truth_b, pairs_b, "amount") + _misses.missed(truth_i, pairs_i, "dvalue"),
            ext,
            _misses.read_right(truth_b, pairs_b, "amount") + _misses.read_right(truth_i, pairs_i, "dvalue"),
            copy_missed.get(ext.document.id),
            copy_missed.get(f"own:{ext.document.id}", Counter()),
        )
        for g in names:
            grp = groups.setdefault(g, Group())
            grp.docs += 1
            grp.pages += doc.pages
            for metric, counts in per_doc.items():
                grp.score(metric).add(*counts)
            grp.score("defects").add(found, 0, planted)
            grp.score("defects_as_error").add(as_error, 0, planted)
            grp.score("false_errors").add(false_err, 0, 0)
            grp.misses.update(fates)
        misses.append(
            {
                "file": doc.pdf.name,
                "layout": doc.layout,
                "status": ext.document.status,
                "errors": ext.document.errors,
                **{k: v for k, v in per_doc.items()},
                "defects": (found, planted),
                "defects_as_error": as_error,
                "false_errors": false_err,
                "missed_figures": dict(fates),
                "figures": ext.figures.model_dump() if ext.figures else None,
                "prose_indicator_values": sum(1 for v in ext.indicator_values if v.origin == "prose"),
            }
        )
    if misses_out:
        misses_out.write_text(json.dumps(_common.to_jsonable(misses), indent=1, ensure_ascii=False), encoding="utf-8")
    return {
        "corpus": str(folder),
        "facts": facts,
        "documents": len(docs),
        "pages": sum(d.pages for d in docs),
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "peer_errors": dict(peers_mod.PEER_ERRORS),
        "peers": list(peers),
        "groups": {
            g: {
                "docs": grp.docs,
                "pages": grp.pages,
                "misses": dict(grp.misses),
                **{m: s.as_dict() for m, s in grp.scores.items()},
            }
            for g, grp in groups.items()
        },
    }


def print_corpus(res: dict) -> None:
    print(f"\nGenerated corpus {res['corpus']}: {res['documents']} documents, {res['pages']} pages")
    print(f"seconds: {res['seconds']}")
    groups = res["groups"]
    print_families(groups)
    _misses.print_accounting(groups, ["overall", *sorted(g for g in groups if is_family(g))], print_table)
    order = ["overall"] + sorted(g for g in groups if g != "overall" and not is_family(g))
    print("\nBudget cells (calpae: page + label + stage + part + year + amount) and other calpae metrics")
    rows = []
    for g in order:
        r = groups[g]
        b, bl, ind, pr, d = r["budget"], r["budget_label_amount"], r["indicators"], r["prose_amounts"], r["defects"]
        rows.append(
            [
                g,
                r["docs"],
                fmt(b["precision"]),
                fmt(b["recall"]),
                fmt(b["f1"]),
                fmt(bl["f1"]),
                fmt(ind["precision"]),
                fmt(ind["recall"]),
                fmt(ind["f1"]),
                fmt(pr["recall"]),
                f"{d['matched']}/{d['expected']}",
                f"{10 * r['false_errors']['matched'] / r['docs']:.2f}",
            ]
        )
    print_table(
        [
            "layout",
            "docs",
            "budget P",
            "budget R",
            "budget F1",
            "F1 label+amt",
            "ind P",
            "ind R",
            "ind F1",
            "prose R",
            "defects",
            "false err/10 docs",
        ],
        rows,
    )
    print("\nBudget-cell F1 on page + row label + amount (the peers' rule), calpae beside each peer")
    names = ["calpae"] + res["peers"]
    rows = []
    for g in order:
        r = groups[g]
        cells = [fmt(r["budget_label_amount"]["f1"])]
        cells += [fmt(r[f"peer:{n}"]["f1"]) for n in res["peers"]]
        rows.append([g, r["docs"], *cells])
    print_table(["layout", "docs", *names], rows)
    print("\nPrecision / recall of the same (overall)")
    r = groups["overall"]
    rows = [["calpae", fmt(r["budget_label_amount"]["precision"]), fmt(r["budget_label_amount"]["recall"])]]
    rows += [[n, fmt(r[f"peer:{n}"]["precision"]), fmt(r[f"peer:{n}"]["recall"])] for n in res["peers"]]
    print_table(["extractor", "P", "R"], rows)
    if res["peer_errors"]:
        print("\npeer errors:", res["peer_errors"])
    if res.get("facts"):
        facts_mod.print_facts(res["facts"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="generated corpus folder (PDFs + *.truth.json)")
    ap.add_argument("--shared", type=Path, default=None, help="the shared folder (with corpus/ inside), e.g. ../shared")
    ap.add_argument("--peers", default="all", help="all, none, or a comma list of " + ",".join(peers_mod.PEERS))
    ap.add_argument("--misses", type=Path, default=None, help="write per-document scores here (JSON)")
    ap.add_argument(
        "--prose-family", type=Path, default=None, help="a generated prose family folder (corpora/prose.py)"
    )
    ap.add_argument("--json", default=None, help="write the results here")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)
    names = [] if args.peers == "none" else list(peers_mod.PEERS) if args.peers == "all" else args.peers.split(",")
    payload: dict = {"machine": machine(), "command": " ".join(sys.argv)}
    if args.corpus:
        payload["corpus"] = run_corpus(args.corpus, names, args.misses)
        print_corpus(payload["corpus"])
    if args.shared:
        payload["shared"] = run_shared(args.shared)
        print_shared(payload["shared"])
        payload["prose_keys"] = run_prose(score_keys(ROOT / "tests" / "expectations" / "prose", args.shared / "seeds"))
    if args.prose_family:
        payload["prose_family"] = run_prose(score_family(args.prose_family))
    write_json(args.json, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
