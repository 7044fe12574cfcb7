"""The series of one département: every budget line and indicator value as an occurrence of a fact.

Budget lines a document left without a measure take it from the département's other documents when they name the
same action (one measure only), then a sub-total from the lines it sums; action labels are linked one to one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from calpae.audit.notdata import figures_only
from calpae.budget.actions import action_key
from calpae.budget.numbering import split_number
from calpae.budget.vocab import is_subtotal_label
from calpae.reconcile.copies import CopyOf, match_copy_lines
from calpae.reconcile.facts import Label, LabelLink, link
from calpae.store.db import Database

SERIES_COLUMNS = (
    "fact_type",
    "fact_key",
    "departement_code",
    "measure_id",
    "measure_source",
    "indicator_id",
    "action_label",
    "canonical_action",
    "level",
    "year",
    "stage",
    "part",
    "value_kind",
    "value",
    "unit",
    "qualifier",
    "document_id",
    "source",
    "doc_type",
    "doc_year",
    "page",
    "line",
    "raw",
    "line_id",
    "parent",
    "flagged",
    "copy_of",  # the better copy of the same document this row's document yields to (its facts are that copy's)
)
# Documents of one year, later ones last: what they state about the year is the latest word on it.
DOC_ORDER = {"convention": 0, "avenant": 1, "deliberation": 2, "tableau_financier": 3, "rapport_execution": 4}

_BUDGET_SQL = (
    "SELECT document_id, source, departement_code, page, line, measure_id, measure_source, action, row_label, "
    "year, stage, part, level, amount, raw, line_id, parent FROM budget_lines "
    "WHERE amount IS NOT NULL AND year IS NOT NULL AND departement_code = ? "
    # a sentence's budget figure mostly restates a table's, and its subject is no action to link on: it stays in
    # budget_lines (origin 'prose', with its part, stage and level) and out of the facts
    "AND origin IS DISTINCT FROM 'prose' "
    "ORDER BY document_id, page, line, table_id, row_label, column_label, stage, part, year, amount"
)
_INDICATOR_SQL = (
    "SELECT document_id, source, departement_code, page, line, measure_id, indicator_id, indicator_label, "
    "year, value_kind, value, unit, qualifier, raw FROM indicator_values "
    "WHERE indicator_id IS NOT NULL AND year IS NOT NULL AND departement_code = ? "
    # only facts: a prose figure about the nation, another territory or one town, or a change, is context
    "AND (origin IS DISTINCT FROM 'prose' OR (coalesce(scope, 'departement') = 'departement' "
    "AND value_kind IS DISTINCT FROM 'change')) "
    "ORDER BY document_id, page, line, indicator_id, year, value_kind, value, qualifier, raw"
)


def doc_year(value: object) -> int | None:
    """First year of a document's period ('2019-2021' → 2019)."""
    text = str(value or "")
    return int(text[:4]) if text[:4].isdigit() else None


def doc_rank(row: dict[str, Any]) -> tuple:
    """Where a document stands among the département's: its year, then its type's place in a year's cycle."""
    return (row["doc_year"] or 0, DOC_ORDER.get(row["doc_type"], 2), row["document_id"])


def _occurrence(
    docs: dict[str, tuple], document_id: str, source: str, page: int | None, line: int | None, raw: str, **fields: Any
) -> dict[str, Any]:
    """A series row: every column empty but the document's (its type and year from `docs`) and the given fields."""
    doc_type, period = docs.get(document_id, ("other", None))
    row: dict[str, Any] = dict.fromkeys(SERIES_COLUMNS)
    row.update(document_id=document_id, source=source, page=page, line=line, raw=raw, flagged=False)
    row.update(doc_type=doc_type, doc_year=doc_year(period), **fields)
    return row


def fill_measures(rows: list[dict[str, Any]]) -> None:
    """Lines without a measure: an action the département's other documents name under one measure is that
    measure's; then a total whose lines all share a measure."""
    known: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["measure_id"] and r["level"] in ("action", "detail") and r["action_label"]:
            known[action_key(r["action_label"])].add(r["measure_id"])
    for r in rows:
        if r["measure_id"] is None and r["level"] in ("action", "detail") and r["action_label"]:
            found = known.get(action_key(r["action_label"]), set())
            if len(found) == 1:
                r["measure_id"], r["measure_source"] = next(iter(found)), "linked"
    _subtotals_by_number(rows)
    children: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    for r in rows:
        if r["parent"]:
            children[(r["document_id"], r["parent"])].add(r["measure_id"])
    for r in rows:
        kids = children.get((r["document_id"], r["line_id"] or ""), set())
        if (
            r["measure_id"] is None
            and r["level"] not in ("grand_total", "group")
            and len(kids) == 1
            and None not in kids
        ):
            r["measure_id"], r["measure_source"] = next(iter(kids)), "linked"


def _subtotals_by_number(rows: list[dict[str, Any]]) -> None:
    """'Sous total 8' with nothing above it in its table (a reader split the table at a page): the measure of the
    document's actions numbered 8.k, when they have one only."""
    by_number: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        number = split_number(r["action_label"]).number if r["measure_id"] and r["action_label"] else None
        if number and "." in number:
            by_number[(r["document_id"], number.split(".")[0])].add(r["measure_id"])
    for r in rows:
        if r["measure_id"] is None and is_subtotal_label(r.get("row_label") or ""):
            number = split_number(r["row_label"]).number
            found = by_number.get((r["document_id"], number or ""), set())
            if number and "." not in number and len(found) == 1:
                r["measure_id"], r["measure_source"] = next(iter(found)), "linked"


def budget_series(
    con: Database, dept: str, docs: dict[str, tuple], flagged: set[tuple], copies: dict[str, CopyOf] | None = None
) -> tuple[list[dict[str, Any]], list[LabelLink], list[dict[str, Any]]]:
    """Budget occurrences of one département with their fact keys, the label links made, and what weaker copies of
    a document read differently from its better copy (copies.match_copy_lines)."""
    copies = copies or {}
    rows = []
    for r in con.execute(_BUDGET_SQL, [dept]).fetchall():
        action = (r[8] if r[7] is None else r[7]) if r[12] in ("action", "detail") else (r[7] or "")
        rows.append(
            _occurrence(docs, r[0], r[1], r[3], r[4], r[14], fact_type="budget", departement_code=r[2])
            | dict(measure_id=r[5], measure_source=r[6], action_label=action, level=r[12], year=r[9])
            | dict(stage=r[10], part=r[11], value=r[13], unit="EUR", line_id=r[15], parent=r[16], row_label=r[8])
            | dict(flagged=(r[0], r[3] if r[3] is not None else r[4], r[13]) in flagged)
        )
    # a weaker copy's lines are its better copy's: they neither lend measures nor shape the links, and take the
    # fields of the line they read once those are known; a text export's figure the better copy lacks is its own
    matched = match_copy_lines(rows, copies)
    # a line whose label is a run of figures, no word (OCR took a row's amounts for its label), names no action:
    # no fact (the audit counts its figure unread)
    wordless = {id(r) for r in rows if r["level"] in ("action", "detail") and figures_only(r["action_label"])}
    own = [r for r in rows if not r.get("copy_of") and id(r) not in wordless]
    fill_measures(own)
    labels = {
        id(r): Label(r["departement_code"], r["measure_id"] or "", r["action_label"], r["document_id"], r["level"])
        for r in own
    }
    ordered = sorted(own, key=doc_rank)
    links = link([labels[id(r)] for r in ordered if r["action_label"]])
    for r in rows:
        canon = r["action_label"] or ""
        if r["action_label"] and id(r) in labels:
            canon = links[labels[id(r)]].canonical
        r["canonical_action"] = canon
        r["fact_key"] = "|".join(
            str(x) for x in ("budget", dept, r["measure_id"] or "", r["level"], canon, r["year"], r["stage"], r["part"])
        )
    for r in rows:
        if id(r) in wordless and not r.get("copy_of"):
            r["fact_key"] = None
    for r, o in matched.pairs:
        # the better copy's measure, unless the line is one of equal ones of several measures (zero sub-totals) and
        # names none of them itself, or its own evidence names another measure: then none (it would spread a guess)
        measure = o["measure_id"]
        if (r.pop("unsure", False) or r["measure_id"]) and measure != r["measure_id"]:
            measure = None
        source = r["measure_source"] if measure is not None and measure == r["measure_id"] else "copy"
        r.update(measure_id=measure, measure_source=source if measure else None, level=o["level"])
        r.update(action_label=o["action_label"], canonical_action=o["canonical_action"], fact_key=o["fact_key"])
    differences = matched.differences
    for d in differences:
        if not d["kept"]:
            d["fact_key"] = d["copy"]["fact_key"]
            d["copy"]["fact_key"] = None  # read differently from the better copy: no occurrence of any fact
    used = {labels[id(r)] for r in own if r["action_label"]}
    ordered_links = [links[lab] for lab in sorted(used, key=lambda x: (x.measure_id, x.level, x.label, x.document_id))]
    return rows, ordered_links, differences


def indicator_series(
    con: Database, dept: str, docs: dict[str, tuple], copies: dict[str, CopyOf] | None = None
) -> list[dict[str, Any]]:
    """Indicator occurrences of one département with their fact keys (a weaker copy's marked `copy_of`)."""
    copies = copies or {}
    rows = []
    for r in con.execute(_INDICATOR_SQL, [dept]).fetchall():
        rows.append(
            _occurrence(docs, r[0], r[1], r[3], r[4], r[13], fact_type="indicator", departement_code=r[2])
            | dict(fact_key=f"indicator|{r[2]}|{r[6]}|{r[8]}|{r[9]}", measure_id=r[5], indicator_id=r[6])
            | dict(action_label=r[7], year=r[8], value_kind=r[9], value=r[10], unit=r[11], qualifier=r[12])
            | dict(copy_of=copies[r[0]].original if r[0] in copies else None)
        )
    return rows
