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

import json
import re
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from calpae.reconcile.copies import (
    COPY_SHARE,
    MIN_SHARED,
    CopyOf,
    Places,
    _alike,
    add_place,
    documents,
    elsewhere,
    table_amounts,
    table_figures,
    table_places,
)
from calpae.reconcile.facts import normalise_label
from calpae.store.db import Database
from calpae.store.run import TABLE_SCHEMAS, column_types

CHECK = "copy_unread"
# the audit's warnings of amounts read under a meaning nobody wrote (audit/guessed.py) or set from a table's sums
# where OCR read them otherwise (audit/ocr.py): a better copy reading the same amount the same way confirms them
CONFIRMABLE = ("meaning_guessed", "ocr_repaired")
LABEL_SCORE = 85.0  # rapidfuzz ratio (0-100) of two folded row labels at or above which they name one row
LABEL_TAIL_WORDS = 3  # words: the shortest end of the better copy's row label compared with the copy's
# an amount printed with its cents ('188 500,00 €', '75 000.00'): OCR read it whole, grammar and all; a bare run of
# digits on a scan may be a piece of a wrapped or misread amount ('139', '00,00')
WITH_CENTS = re.compile(r"\d[.,]\d{2}(?!\d)\s*(?:€|EUR|euros?)?\s*$", re.IGNORECASE)

_BUDGET = (
    "SELECT document_id, source, page, line, bbox, amount, raw, year, stage, part, row_label, origin "
    "FROM budget_lines WHERE departement_code = ? AND amount IS NOT NULL"
)
_INDICATOR = (
    "SELECT document_id, source, page, line, bbox, value, raw, year, value_kind, indicator_id, indicator_label, "
    "origin FROM indicator_values WHERE departement_code = ? AND value IS NOT NULL"
)


def _same_row(copy: str | None, better: str | None, exact: bool = False) -> bool:
    """Whether the copy's row label names the better copy's row: the better copy's label, or its end of at least
    LABEL_TAIL_WORDS words (a reader may put a recap's theme and Chorus cells before the row's own label), holds the
    copy's, is held in it, or (unless exact) is alike to it, folded."""
    fc, fb = normalise_label(copy or ""), normalise_label(better or "")
    if not fc or not fb:
        return fc == fb
    words = fb.split()
    for k in range(max(1, len(words) - LABEL_TAIL_WORDS + 1)):
        end = " ".join(words[k:])
        if f" {end} " in f" {fc} " or f" {fc} " in f" {end} ":
            return True
        if not exact and fuzz.ratio(fc, end) >= LABEL_SCORE:
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


def _reads(mine: dict[str, Any], theirs: dict[str, Any], exact: bool = False) -> bool:
    """The copy's figure reads the better copy's: same kind and meaning, the same row (budget) or indicator (by
    its referential id where both have one, else by its label); exact: the row's words, not words alike."""
    if mine["kind"] != theirs["kind"] or mine["meaning"] != theirs["meaning"]:
        return False
    if mine["kind"] == "indicator" and mine["indicator"] and theirs["indicator"]:
        return bool(mine["indicator"] == theirs["indicator"])
    return _same_row(mine["label"], theirs["label"], exact)


def _seen(
    con: Database, dept: str
) -> tuple[dict[str, set[Decimal]], dict[str, set[Decimal]], dict[str, Places], dict[str, set[Decimal]]]:
    """The distinct non-zero amounts each document shows: those its records carry and those its audit reported
    unread (a scan whose reader understood no table still saw its figures); apart, those of them printed with
    their cents (WITH_CENTS), the figures OCR read whole; where it prints them; and those its records carry."""
    figures = table_figures(con, dept)
    read = table_amounts(figures, absolute=True)
    out: dict[str, set[Decimal]] = defaultdict(set, {doc: set(values) for doc, values in read.items()})
    places = table_places(figures)
    whole: dict[str, set[Decimal]] = defaultdict(set)
    for doc, _, amount, _, raw in figures:
        if WITH_CENTS.search(_raw(raw)):
            whole[doc].add(abs(amount))
    for doc, cells in con.execute(
        "SELECT f.document_id, f.cells FROM findings f JOIN documents d ON f.document_id = d.document_id "
        "WHERE d.departement_code = ? AND f.\"check\" = 'unread_figure'",
        [dept],
    ).fetchall():
        for c in json.loads(cells or "[]"):
            if c.get("value") and Decimal(c["value"]) != 0:
                out[doc].add(abs(Decimal(c["value"])))
                add_place(places[doc], c.get("page"), c["value"], c.get("bbox"))
                if WITH_CENTS.search(c.get("label") or ""):
                    whole[doc].add(abs(Decimal(c["value"])))
    return out, whole, places, read


def _share(mine: set[Decimal], theirs: set[Decimal]) -> tuple[float, int] | None:
    """(share, count) of mine's amounts theirs holds, when enough to make one document's copy of the other."""
    shared = len(mine & theirs)
    if mine and shared >= MIN_SHARED and shared / len(mine) >= COPY_SHARE:
        return shared / len(mine), shared
    return None


def figure_copies(con: Database, dept: str, copies: dict[str, CopyOf]) -> dict[str, CopyOf]:
    """The weaker copies reconcile found, and those whose reader read too few figures to be found by them: a
    document of weaker evidence, as many pages, the same kind and year (a scan: the year), many of whose figures,
    read or reported unread, are amounts another's records carry; or, where OCR broke most of its figures into
    pieces, many of those it read with their cents (WITH_CENTS: the pieces are no evidence either way)."""
    docs = documents(con, dept)
    if docs is None:
        return copies
    seen, whole, places, read = _seen(con, dept)
    out = dict(copies)
    for doc, (level, pages, what) in docs.items():
        mine = seen.get(doc, set())
        if doc in copies or not mine:
            continue
        best: tuple[float, str, int] | None = None
        for other, (other_level, other_pages, other_what) in docs.items():
            if other_level <= level or other_pages != pages or not _alike(what, other_what, level):
                continue
            if elsewhere(places[doc], places[other]):
                continue
            theirs = read.get(other, set())
            found = _share(mine, theirs) or _share(whole.get(doc, set()), theirs)
            if found is not None and (best is None or found[1] > best[2]):
                best = (found[0], other, found[1])
        if best is not None:
            out[doc] = CopyOf(doc, best[1], best[2], round(best[0], 3))
    return out


def missed_on_copies(
    con: Database, dept: str, copies: dict[str, CopyOf]
) -> tuple[list[dict[str, Any]], dict[str, Counter]]:
    """The better copy's table figures each weaker copy holds in no record of the same page and meaning, and the
    (page, amount, box) of the copy's figures the better copy reads the same way, row label word for word
    (confirmed), per copy."""
    figures = _figures(con, dept, set(copies) | {c.original for c in copies.values()})
    out = []
    confirmed: dict[str, Counter] = defaultdict(Counter)
    for doc, copy in sorted(copies.items()):
        mine: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for f in figures.get(doc, []):
            mine[(f["page"], f["value"])].append(f)
        for o in figures.get(copy.original, []):
            # a copy's record of no page (a text export read as one run of lines) may be on any page
            here = mine.get((o["page"], o["value"]), []) or mine.get((None, o["value"]), [])
            same = next((f for f in here if _reads(f, o, exact=True)), None) or next(
                (f for f in here if _reads(f, o)), None
            )
            if same is not None:
                here.remove(same)
                if _reads(same, o, exact=True):  # confirmed: the same words, not words alike (OCR's guesses)
                    confirmed[doc][(same["page"], same["value"], same["bbox"] or None)] += 1
                continue
            out.append(dict(document_id=doc, original=o, read_otherwise=bool(here)))
    return out, confirmed


def withdraw_confirmed(con: Database, copies: dict[str, CopyOf], confirmed: dict[str, Counter]) -> int:
    """Take out of each weaker copy's `meaning_guessed` and `ocr_repaired` warnings the amounts its better copy reads
    the same way (same page, amount, meaning and row; the cell's box names which of equal amounts): a second reading
    from stronger evidence is no guess, and confirms a repair. A warning left with no amount goes. Returns how many
    amounts were taken out."""
    columns = TABLE_SCHEMAS["findings"]
    types = column_types("findings")
    sources = dict(con.execute("SELECT document_id, source FROM documents").fetchall())
    taken = 0
    for doc, sure in confirmed.items():
        cols = ", ".join(f'"{c}"' for c in columns)
        rows = con.execute(
            f'SELECT {cols} FROM findings WHERE document_id = ? AND "check" IN (?, ?)', [doc, *CONFIRMABLE]
        ).fetchall()
        if not rows:
            continue
        left = Counter(sure)
        keep = []
        for row in rows:
            f = dict(zip(columns, row, strict=True))
            cells = json.loads(f["cells"] or "[]")
            rest = []
            for c in cells:
                value = abs(Decimal(c["value"])) if c.get("value") is not None else None
                key = (c.get("page", f["page"]), value, c.get("bbox") or None)
                if value is not None and left[key] > 0:
                    left[key] -= 1
                    continue
                rest.append(c)
            gone = len(cells) - len(rest)
            taken += gone
            if rest and gone:
                f["cells"] = json.dumps(rest, ensure_ascii=False)
                f["message"] += (
                    f" ({gone} of them read the same way in {sources.get(copies[doc].original)}, the same "
                    f"document's better copy: confirmed, not listed)"
                )
            if rest or not cells:  # a warning naming no cell is left as it is
                keep.append([f[c] for c in columns])
        con.execute('DELETE FROM findings WHERE document_id = ? AND "check" IN (?, ?)', [doc, *CONFIRMABLE])
        if keep:
            con.insert_rows("findings", columns, types, keep)
    return taken


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
