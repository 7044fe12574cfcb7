"""What a weaker copy missed, seen from its better copy: a scan or a text export of a document whose born-digital PDF
is also in the archive (copies.find_copies) holds the same figures at the same places. A figure the better copy read
in a table (a budget amount, an indicator value) that the copy holds in no record of the same page with the same
meaning (budget: year, stage, part and row label; indicator: indicator, year and kind of value) was not read on the
copy, or was read there under another meaning: one `copy_unread` finding on the copy names it by page, box and
amount, with what the better copy says it is. Records are paired one to one (a recap page holds many equal zeros).

These findings are the copy's own reading gaps, as `unread_figure` is a document's: information, not an error of the
document; the dataset never takes a weaker copy's facts anyway (copies.py).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from calpae.reconcile.copies import CopyOf
from calpae.reconcile.facts import normalise_label
from calpae.store.db import Database

CHECK = "copy_unread"
LABEL_SCORE = 85.0  # rapidfuzz ratio (0-100) of two folded row labels at or above which they name one row
LABEL_TAIL_WORDS = 3  # words: the shortest end of the better copy's row label compared with the copy's

_BUDGET = (
    "SELECT document_id, source, page, line, bbox, amount, raw, year, stage, part, row_label, origin "
    "FROM budget_lines WHERE departement_code = ? AND amount IS NOT NULL"
)
_INDICATOR = (
    "SELECT document_id, source, page, line, bbox, value, raw, year, value_kind, indicator_id, indicator_label, "
    "origin FROM indicator_values WHERE departement_code = ? AND value IS NOT NULL"
)


def _same_row(copy: str | None, better: str | None) -> bool:
    """Whether the copy's row label names the better copy's row: the better copy's label, or its end of at least
    LABEL_TAIL_WORDS words (a reader may put a recap's theme and Chorus cells before the row's own label), holds the
    copy's, is held in it, or is alike to it, folded."""
    fc, fb = normalise_label(copy or ""), normalise_label(better or "")
    if not fc or not fb:
        return fc == fb
    words = fb.split()
    for k in range(max(1, len(words) - LABEL_TAIL_WORDS + 1)):
        end = " ".join(words[k:])
        if f" {end} " in f" {fc} " or f" {fc} " in f" {end} " or fuzz.ratio(fc, end) >= LABEL_SCORE:
            return True
    return False


def _raw(text: str | None) -> str:
    """The figure as printed: a record's raw text ends with it ('<row label> | 58.000 €')."""
    return (text or "").rpartition(" | ")[2]


def _figures(con: Database, dept: str, docs: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Each document's table figures: (kind, page, amount, meaning, label) and where they are."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in con.execute(_BUDGET, [dept]).fetchall():
        if r[0] in docs and r[11] != "prose":
            out[r[0]].append(
                dict(
                    kind="budget",
                    source=r[1],
                    page=r[2],
                    line=r[3],
                    bbox=r[4],
                    value=abs(Decimal(r[5])),
                    raw=_raw(r[6]),
                )
                | dict(meaning=(r[7], r[8], r[9]), label=r[10], what=f"{r[10]} ({r[7]} {r[8]}/{r[9]})")
            )
    for r in con.execute(_INDICATOR, [dept]).fetchall():
        if r[0] in docs and r[11] != "prose":
            out[r[0]].append(
                dict(kind="indicator", source=r[1], page=r[2], line=r[3], bbox=r[4], value=abs(Decimal(r[5])))
                | dict(raw=_raw(r[6]), meaning=(r[7], r[8]), indicator=r[9], label=r[10])
                | dict(what=f"{r[10] or r[9]} ({r[7]} {r[8]})")
            )
    return out


def _reads(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """The copy's figure reads the better copy's: same kind and meaning, the same row (budget) or indicator (by
    its referential id where both have one, else by its label)."""
    if mine["kind"] != theirs["kind"] or mine["meaning"] != theirs["meaning"]:
        return False
    if mine["kind"] == "indicator" and mine["indicator"] and theirs["indicator"]:
        return bool(mine["indicator"] == theirs["indicator"])
    return _same_row(mine["label"], theirs["label"])


def missed_on_copies(con: Database, dept: str, copies: dict[str, CopyOf]) -> list[dict[str, Any]]:
    """The better copy's table figures each weaker copy holds in no record of the same page and meaning."""
    figures = _figures(con, dept, set(copies) | {c.original for c in copies.values()})
    out = []
    for doc, copy in sorted(copies.items()):
        mine: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for f in figures.get(doc, []):
            mine[(f["page"], f["value"])].append(f)
        for o in figures.get(copy.original, []):
            here = mine.get((o["page"], o["value"]), [])
            same = next((f for f in here if _reads(f, o)), None)
            if same is not None:
                here.remove(same)
                continue
            out.append(dict(document_id=doc, original=o, read_otherwise=bool(here)))
    return out


def finding_rows(con: Database, missed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One `copy_unread` findings-table row per figure a weaker copy missed, placed on the copy's page."""
    sources = dict(con.execute("SELECT document_id, source FROM documents").fetchall())
    out = []
    for m in missed:
        o = m["original"]
        how = "reads it under another meaning" if m["read_otherwise"] else "holds it in no record"
        out.append(
            dict(document_id=m["document_id"], source=sources.get(m["document_id"]), page=o["page"], line=None)
            | dict(section=None, check=CHECK, severity="info", bbox=o["bbox"], declared=o["value"], computed=None)
            | dict(
                difference=None,
                message=(
                    f"page {o['page']}: the figure '{o['raw']}' that {o['source']} reads there as {o['what']} is "
                    f"not read on this copy (it {how}); check it by hand"
                ),
            )
        )
    return out
