"""Consistency checks of an office-family truth against its rendered file (used on the committed fixtures and on
documents built in the tests): pages exist and are exact, sums hold except where a defect is planted, meanings
are complete."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from corpora.office.printed import unprinted

STAGES = {"planned", "allocated", "executed", "carried_in", "to_carry_over", "unspent", "valorisation"}
PARTS = {"etat", "departement", "other", "total"}
LEVELS = {"grand_total", "group", "measure", "action", "detail"}
ROLES = {"etat", "departement", "total", "report", "valorisation", "non_consomme", "autre"}


def load(truth_path: Path) -> tuple[dict, Path]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    return truth, truth_path.parent / truth["file"]


def problems(truth_path: Path) -> list[str]:
    """Everything wrong with one truth file and its document; empty when consistent."""
    truth, doc = load(truth_path)
    out: list[str] = []
    if not doc.exists():
        return [f"{doc.name}: missing"]
    pages = truth["document"]["pages"]
    out += _page_problems(truth, doc, pages)
    out += _sum_problems(truth)
    for c in truth["budget_cells"]:
        if c["stage"] not in STAGES or c["part"] not in PARTS or c["level"] not in LEVELS or c["role"] not in ROLES:
            out.append(f"{c['id']}: meaning {c['role']}/{c['stage']}/{c['part']}/{c['level']}")
    for d in truth["defects"]:
        if "cell" in d and d["kind"] != "malformed_number" and Decimal(d["declared"]) == Decimal(d["correct"]):
            out.append(f"defect on {d['cell']} changes nothing")
    return out


def _page_problems(truth: dict, doc: Path, pages: int) -> list[str]:
    out = []
    items = [(c["id"], c["page"]) for c in truth["budget_cells"]]
    items += [(f"t{v['table']}r{v['row']}", v["page"]) for v in truth["indicator_values"]]
    items += [(a["mark"], a["page"]) for a in truth["prose_amounts"]]
    out += [f"{key}: page {page} not in 1..{pages}" for key, page in items if not (page and 1 <= page <= pages)]
    layout = truth["document"]["layout"]
    if doc.suffix == ".txt":
        found = doc.read_text(encoding="utf-8").rstrip("\f\n").count("\f") + 1
        return out + ([f"{doc.name}: {found} pages, truth says {pages}"] if found != pages else [])
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(doc))
    try:
        if len(pdf) != pages:
            out.append(f"{doc.name}: {len(pdf)} pages, truth says {pages}")
        texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    if layout["scan"]:
        if any(t.strip() for t in texts):
            out.append(f"{doc.name}: a scan with a text layer")
        return out
    flat = [re.sub(r"\s+", "", t) for t in texts]
    if layout["source"] == "docx":
        from corpora.office.render import named_destinations

        marks = named_destinations(doc)
        for c in truth["budget_cells"]:
            if marks.get(c["id"].rsplit("c", 1)[0]) != c["page"]:
                out.append(f"{c['id']}: truth page {c['page']}, bookmark on {marks.get(c['id'].rsplit('c', 1)[0])}")
    # independent of the marks: an amount that cannot wrap (Calc numbers; Word tables of a few wide columns)
    # stands whole on its page
    out += unprinted(truth, flat)
    return out


def _sum_problems(truth: dict) -> list[str]:
    amounts = {c["id"]: Decimal(c["amount"]) for c in truth["budget_cells"]}
    planted = {d["cell"] for d in truth["defects"] if "cell" in d}
    out = []
    for rel in truth["relations"]:
        total = amounts[rel["total"]]
        parts = [amounts[p] for p in rel["parts"]]
        ok = total == sum(parts, Decimal(0)) if rel["kind"] == "sum" else all(p == total for p in parts)
        if not ok and not ({rel["total"], *rel["parts"]} & planted):
            out.append(f"{rel['kind']} {rel['total']} = {rel['parts']} does not hold")
    return out
