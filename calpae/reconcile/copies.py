"""Copies of one document read from weaker evidence: a scan or a text export of a document whose born-digital PDF is
also in the archive. The copy's figures are the same figures read less surely (OCR words, a lost header, columns a
text export ran together), so they never make facts of their own: each copy line is matched to the line of the
better copy it reads (same page, amount, year, stage and part) and takes that line's measure, level and action; a
copy line that matches none is reported (a different amount where the better copy has the line: `copy_mismatch`),
and the dataset keeps the better copy's facts only.

A document B is a copy of A when both are of one département, A is read from stronger evidence (a PDF's own text
layer over a text export over OCR), they have the same number of pages, and many of B's distinct amounts are A's; or,
where B's reader broke its amounts apart (a text export's columns cut through numbers, OCR), when both are the same
kind of document for the same year (for a scan, whose kind OCR'd words may mislead, the same year), A the only such
one of as many pages that shares a few amounts with B.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from calpae.reconcile.facts import normalise_label
from calpae.store.db import Database

COPY_SHARE = 0.4  # share of a document's distinct non-zero amounts found in another (of as many pages) to be its copy
MIN_SHARED = 5  # distinct non-zero amounts two documents must share, at least, to be copies of one document
PLACE_SLACK = 30.0  # points: a copy's figure this near where another prints its amount on the page is that figure
SAME_LINE_SCORE = 85.0  # rapidfuzz ratio of two row labels (folded) above which they are one line read twice

# What a document's text was read from, strongest first: a PDF's text layer, a text export, OCR of page images.
BORN_DIGITAL, TEXT_EXPORT, OCR = 2, 1, 0


@dataclass(frozen=True)
class CopyOf:
    """A document that is a weaker copy of `original`: distinct amounts they share, and that share of its own."""

    document_id: str
    original: str
    shared: int
    share: float
    exact: bool = False  # its characters are exact (a text export), not OCR's guesses


def evidence(input_kind: str | None, ocr_pages: int | None) -> int:
    """How surely a document's figures were read, from how its text was obtained (unknown: as a born-digital PDF)."""
    if ocr_pages:
        return OCR
    return TEXT_EXPORT if input_kind in ("text", "html") else BORN_DIGITAL


def _columns(con: Database) -> set[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'documents'").fetchall()
    return {r[0] for r in rows}


def _alike(what: tuple[str | None, int | None], other: tuple[str | None, int | None], level: int) -> bool:
    """Two documents of the same kind for the same year; for a document read by OCR the year alone (its kind was
    guessed from OCR'd words)."""
    (kind, year), (other_kind, other_year) = what, other
    if year is None or year != other_year:
        return False
    return level == OCR or (kind is not None and kind == other_kind)


def _other_kind(what: tuple[str | None, int | None], other: tuple[str | None, int | None], level: int) -> bool:
    """Two documents whose own words name two kinds (an avenant and the year's tableau financier state the same
    planned amounts): not copies of one document, however many amounts they share. A kind OCR'd words named may
    be wrong: it tells nothing."""
    return level != OCR and what[0] is not None and other[0] is not None and what[0] != other[0]


Described = tuple[int, int, tuple[str | None, int | None]]  # evidence level, pages, (kind, year)


def documents(con: Database, dept: str) -> dict[str, Described] | None:
    """A département's documents read (not failed), each with its evidence level, pages, kind and year; None when
    the run tables predate the input kind and OCR columns."""
    if not {"input_kind", "ocr_pages"} <= _columns(con):
        return None
    return {
        r[0]: (evidence(r[1], r[2]), r[3], (None if r[4] == "other" else r[4], r[5]))
        for r in con.execute(
            "SELECT document_id, input_kind, ocr_pages, pages, doc_type, year FROM documents "
            "WHERE departement_code = ? AND status IS DISTINCT FROM 'failed'",
            [dept],
        ).fetchall()
    }


TableFigure = tuple[str, int | None, Decimal, str | None, str | None]  # document, page, amount, box, raw text


def table_figures(con: Database, dept: str) -> list[TableFigure]:
    """The non-zero amounts of the département's table records (prose left out), with where each stands: read once,
    the copies' amounts, places and printed forms all come from them."""
    return [
        (doc, page, Decimal(amount), bbox, raw)
        for doc, page, amount, bbox, raw in con.execute(
            "SELECT document_id, page, amount, bbox, raw FROM budget_lines WHERE departement_code = ? "
            "AND amount IS NOT NULL AND amount <> 0 AND origin IS DISTINCT FROM 'prose'",
            [dept],
        ).fetchall()
    ]


def table_amounts(figures: list[TableFigure], absolute: bool = False) -> dict[str, set[Decimal]]:
    """Per document, the distinct amounts of its table figures; absolute: their sizes."""
    amounts: dict[str, set[Decimal]] = defaultdict(set)
    for doc, _, value, _, _ in figures:
        amounts[doc].add(abs(value) if absolute else value)
    return amounts


Places = dict[tuple[int, Decimal], list[tuple[float, float]]]  # (page, |amount|) → centres of its figures' boxes


def add_place(places: Places, page: int | None, amount: object, bbox: str | None) -> None:
    """Note where a page prints an amount (the centre of a run-table box 'x0,top,x1,bottom'; none: not noted)."""
    parts = (bbox or "").split(",")
    if page is None or amount is None or len(parts) != 4:
        return
    x0, top, x1, bottom = (float(p) for p in parts)
    places[(page, abs(Decimal(str(amount))))].append(((x0 + x1) / 2, (top + bottom) / 2))


def table_places(figures: list[TableFigure]) -> dict[str, Places]:
    """Per document, where its table figures stand, page by page."""
    out: dict[str, Places] = defaultdict(lambda: defaultdict(list))
    for doc, page, amount, bbox, _ in figures:
        add_place(out[doc], page, amount, bbox)
    return out


def elsewhere(mine: Places, theirs: Places) -> bool:
    """Most of the amounts two documents print on the same page stand at other places on it (beyond PLACE_SLACK):
    two layouts stating the same figures (an avenant and the year's tableau financier), not one document twice.
    Documents without boxes (text exports) tell nothing."""
    near = far = 0
    for key, spots in mine.items():
        for x, y in spots if key in theirs else []:
            if min(math.hypot(x - a, y - b) for a, b in theirs[key]) <= PLACE_SLACK:
                near += 1
            else:
                far += 1
    return near + far >= MIN_SHARED and far > near


def find_copies(con: Database, dept: str) -> dict[str, CopyOf]:
    """Every document of a département that is a weaker copy of another, with the copy it yields to."""
    docs = documents(con, dept)
    if docs is None:
        return {}
    figures = table_figures(con, dept)
    amounts, places = table_amounts(figures), table_places(figures)
    out = {}
    for copy, (level, pages, what) in docs.items():
        mine = amounts.get(copy, set())
        best: tuple[float, float, str, int] | None = None
        # the same kind of document for the same year, of as many pages, sharing a few amounts (a one-page
        # deliberation without figures is no candidate beside a one-page recap)
        same_kind = [
            o
            for o, (lv, pg, w) in docs.items()
            if lv > level and pg == pages and _alike(what, w, level) and len(mine & amounts.get(o, set())) >= MIN_SHARED
        ]
        if level == OCR:  # the one of its guessed kind, where OCR's words did name a kind the year has
            named = [o for o in same_kind if _alike(what, docs[o][2], BORN_DIGITAL)]
            same_kind = named or same_kind
        for other, (other_level, other_pages, other_what) in docs.items():
            if other_level <= level or other_pages != pages or not mine or _other_kind(what, other_what, level):
                continue
            if elsewhere(places[copy], places[other]):
                continue
            shared = len(mine & amounts.get(other, set()))
            if shared < MIN_SHARED or (shared / len(mine) < COPY_SHARE and same_kind != [other]):
                continue
            rank = (shared / len(mine), shared / len(amounts[other]), other, shared)
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best is not None:
            out[copy] = CopyOf(copy, best[2], best[3], round(best[0], 3), exact=level == TEXT_EXPORT)
    return out


def _same_label(a: str | None, b: str | None) -> bool:
    fa, fb = normalise_label(a or ""), normalise_label(b or "")
    return fa == fb or fuzz.ratio(fa, fb) >= SAME_LINE_SCORE


def _same_words(r: dict[str, Any], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The better copy's line an equal amount reads, by the row's words; where several rows share them (the zero
    'Sous total' of each measure), the one of the measure the copy's own row names, else the first, whose measure
    the copy line does not take when those rows are of several measures (`unsure`)."""
    same = [o for o in found if _same_label(o["row_label"], r["row_label"])]
    if len(same) > 1 and r.get("measure_id"):
        same = [o for o in same if o.get("measure_id") == r["measure_id"]] or same
    if len({o.get("measure_id") for o in same}) > 1:
        r["unsure"] = True
    return same[:1]


_ROW = re.compile(r"/r(\d+)c\d+$")


def _row(r: dict[str, Any]) -> int | None:
    m = _ROW.search(r.get("line_id") or "")
    return int(m.group(1)) if m else None


def _in_step(r: dict[str, Any], found: list[dict[str, Any]], steps: dict[str, list[tuple[int, str, int]]]) -> list:
    """Among equal amounts, the better copy's line at the row the copy's rows are in step with: the surely paired
    lines nearest above and below it in its table (at its end, the one there is) agree on the better copy's table
    and row offset."""
    row = _row(r)
    if row is None:
        return []
    sure = steps.get(_table(r), [])
    above = [s for s in sure if s[0] < row]
    below = [s for s in sure if s[0] > row]
    near = [s[1:] for s in (above[-1:] + below[:1])]  # at a table's end, the sure pair on its one side
    if not near or len(set(near)) > 1:
        return []
    table, offset = near[0]
    return [o for o in found if _table(o) == table and _row(o) == row - offset][:1]


def _place(r: dict[str, Any]) -> tuple:
    return (r["amount_key"], r["year"], r["stage"], r["part"])


def _candidates(r: dict[str, Any], originals: dict[tuple, list[dict[str, Any]]], taken: set[int]) -> list[dict]:
    """The better copy's lines not yet paired with the copy line's amount, year, stage and part, on its page."""
    return [
        o
        for o in originals.get(_place(r), ())
        if id(o) not in taken and (r["page"] is None or o["page"] is None or o["page"] == r["page"])
    ]


@dataclass
class CopyMatch:
    """What the copies' lines are: the better copy's line each reads, what they read differently, what they add."""

    pairs: list[tuple[dict[str, Any], dict[str, Any]]]  # (copy line, the better copy's line it reads)
    differences: list[dict[str, Any]]  # {"copy": line, "original": line or None, "kept": bool}


def match_copy_lines(rows: list[dict[str, Any]], copies: dict[str, CopyOf]) -> CopyMatch:
    """Pair each copy line with the better copy's line it reads (its page, amount, year, stage and part; among equal
    amounts the one with its words) and mark it `copy_of`. A line the better copy has with another amount is a
    misreading (reported); a line it lacks is the copy's own where its characters are exact (a text export) and the
    better copy shows no such figure on that page (a table it did not read): then it stays a fact of its own."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        r["amount_key"] = Decimal(r["value"])
        by_doc[r["document_id"]].append(r)
    out = CopyMatch([], [])
    for doc, copy in copies.items():
        originals: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        for o in by_doc.get(copy.original, ()):
            originals[_place(o)].append(o)
        taken: set[int] = set()
        unmatched = []
        steps: dict[str, list[tuple[int, str, int]]] = defaultdict(list)  # copy table: (row, table, row offset)
        deferred = []
        for r in by_doc.get(doc, ()):
            r["copy_of"] = copy.original
            found = _candidates(r, originals, taken)
            if len(found) > 1 or not r["amount_key"]:  # equal amounts (zeros) of several rows: decided below
                deferred.append(r)
                continue
            if not found:
                unmatched.append(r)
                continue
            taken.add(id(found[0]))
            out.pairs.append((r, found[0]))
            if (row := _row(r)) is not None and (their := _row(found[0])) is not None:
                steps[_table(r)].append((row, _table(found[0]), row - their))
        for sure in steps.values():
            sure.sort()
        for r in deferred:  # the row offset of the table's sure pairs decides, else the row's words
            found = _candidates(r, originals, taken)
            found = _in_step(r, found, steps) or _same_words(r, found)
            if not found:
                unmatched.append(r)
                continue
            taken.add(id(found[0]))
            out.pairs.append((r, found[0]))
        read = {_table(r) for r, _ in out.pairs if r["document_id"] == doc}  # tables with a confirmed line
        out.differences += _unmatched(unmatched, by_doc.get(copy.original, []), taken, copy, read)
    for r in rows:
        r.pop("amount_key", None)
    return out


def _table(r: dict[str, Any]) -> str:
    """The table a budget line belongs to (its line id is '<table>/r<row>c<col>')."""
    return (r.get("line_id") or "").rpartition("/")[0]


def _unmatched(
    unmatched: list[dict[str, Any]],
    originals: list[dict[str, Any]],
    taken: set[int],
    copy: CopyOf,
    read: set[str],
) -> list[dict[str, Any]]:
    """What each copy line the better copy does not confirm is: a misreading, or a figure of the copy's own (only in
    a table the better copy did not read). `read`: the copy's tables the better copy confirms a line of."""
    loose: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    on_page: dict[Any, set[Decimal]] = defaultdict(set)
    for o in originals:
        on_page[o["page"]].add(o["amount_key"])
        if id(o) not in taken and o["amount_key"]:
            loose[(o["page"], o["amount_key"])].append(o)
    # a table of the copy is one the better copy read when it confirms one of its lines, or shows one of its
    # non-zero amounts on that page (the copy read those cells under another row, stage or year)
    read = read | {_table(u) for u in unmatched if u["amount_key"] and u["amount_key"] in on_page.get(u["page"], ())}
    out = []
    for r in unmatched:
        # the same non-zero amount on the same page, once in each copy, read as another stage, part or year:
        # the same printed cell, so the same measure (its fact stays apart, reported as the copy's own)
        mine = [u for u in unmatched if (u["page"], u["amount_key"]) == (r["page"], r["amount_key"])]
        there = loose.get((r["page"], r["amount_key"]), [])
        if r["amount_key"] and len(mine) == 1 and len(there) == 1 and there[0]["measure_id"]:
            r["measure_id"], r["measure_source"] = there[0]["measure_id"], "copy"
        page = [o for o in originals if o["page"] == r["page"]]
        same = [
            o
            for o in page
            if (o["year"], o["stage"], o["part"]) == (r["year"], r["stage"], r["part"])
            and _same_label(o["row_label"], r["row_label"])
        ]
        # unseen: a non-zero amount the better copy shows nowhere (a table it did not read; an amount it shows on
        # any page is a cell the copy read under another row, stage or year)
        unseen = bool(r["amount_key"]) and not any(r["amount_key"] in amounts for amounts in on_page.values())
        kept = copy.exact and not same and unseen and bool(r["measure_id"]) and _table(r) not in read
        if kept:
            r["copy_of"] = None  # the better copy has nothing there: the copy's own figure, a fact like any
        elif r["measure_source"] != "copy" and r["measure_id"] not in {o["measure_id"] for o in page}:
            # a reading the better copy does not confirm, under a measure it has nowhere on that page: a guess
            r["measure_id"] = r["measure_source"] = None
        out.append(dict(copy=r, original=same[0] if len(same) == 1 else None, kept=kept))
    return out


COPY_COLUMNS = (
    "departement_code",
    "document_id",
    "source",
    "copy_of",
    "copy_of_source",
    "shared_amounts",
    "share",
    "budget_lines",
    "lines_matched",
    "lines_differing",
    "lines_only_here",
    "lines_kept",
)
COPY_TYPES = {
    "shared_amounts": "INTEGER",
    "share": "DOUBLE PRECISION",
    "budget_lines": "INTEGER",
    "lines_matched": "INTEGER",
    "lines_differing": "INTEGER",
    "lines_only_here": "INTEGER",
    "lines_kept": "INTEGER",
}


def copy_rows(
    copies: dict[str, CopyOf], rows: list[dict[str, Any]], differences: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The `copies` table: each weaker copy, the copy it yields to, and how many of its lines that one confirms."""
    sources = {r["document_id"]: r["source"] for r in rows}
    lines: dict[str, int] = defaultdict(int)
    for r in rows:
        lines[r["document_id"]] += 1
    differing: dict[str, int] = defaultdict(int)
    only: dict[str, int] = defaultdict(int)
    kept: dict[str, int] = defaultdict(int)
    for d in differences:
        (kept if d["kept"] else differing if d["original"] is not None else only)[d["copy"]["document_id"]] += 1
    out = []
    for doc, c in sorted(copies.items()):
        n = lines.get(doc, 0)
        out.append(
            dict(departement_code=next((r["departement_code"] for r in rows if r["document_id"] == doc), None))
            | dict(document_id=doc, source=sources.get(doc), copy_of=c.original, copy_of_source=sources.get(c.original))
            | dict(shared_amounts=c.shared, share=c.share, budget_lines=n)
            | dict(lines_matched=n - differing[doc] - only[doc] - kept[doc], lines_differing=differing[doc])
            | dict(lines_only_here=only[doc], lines_kept=kept[doc])
        )
    return out


def difference_rows(differences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conflict rows for what a copy reads differently: `copy_mismatch` where its better copy has the line with
    another amount (a misread figure, the better copy's kept), `copy_only` where the better copy has no such line."""
    out = []
    for d in differences:
        if d["kept"]:
            continue
        r, o = d["copy"], d["original"]
        a = o or {}
        out.append(
            dict(
                check_name="copy_mismatch" if o is not None else "copy_only",
                fact_type="budget",
                fact_key=a.get("fact_key") or d.get("fact_key"),
                departement_code=r["departement_code"],
                measure_id=a.get("measure_id") or r["measure_id"],
                indicator_id=None,
                action_label=a.get("canonical_action") or r["action_label"],
                year=r["year"],
                kind=r["stage"],
                stage=r["stage"],
                part=r["part"],
                level=a.get("level") or r["level"],
                value_a=a.get("value"),
                value_b=r["value"],
                difference=Decimal(r["value"]) - Decimal(a["value"]) if o is not None else None,
                document_a=a.get("document_id"),
                source_a=a.get("source"),
                page_a=a.get("page"),
                line_a=a.get("line"),
                document_b=r["document_id"],
                source_b=r["source"],
                page_b=r["page"],
                line_b=r["line"],
            )
        )
    return out
