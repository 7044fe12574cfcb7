"""Where each row of a budget table sits: its level, the measure and action it is about, the row it adds into.

A table is read against what it is about (the measure or action its headings or caption name): rows that are parts
(État / Département / Total) are figures of that measure or action; rows that are items are one level below it, their
total one level up. A table whose rows name several measures (a summary, an annexe-10 table) has measure rows, or
action rows grouped by sub-totals under a grand total. The same number on several rows marks detail lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from calpae.budget.captions import caption
from calpae.budget.measures import Found, MeasureMapper, Scope
from calpae.budget.numbering import Numbered, split_number, titled_action
from calpae.budget.tables import BudgetTable
from calpae.budget.vocab import is_subtotal_label as is_subtotal
from calpae.models import Document, Level

# 'Au 31/12/2021' (and what follows) after an action's heading that a reader took into a header or a row
_DATED = re.compile(r"\s+(au|à fin)\s+\d{1,2}/\d{1,2}/\d{4}\b.*$", re.I | re.S)


@dataclass
class RowPlace:
    """One row's place: level, measure, action ('' for a measure's or the document's own figure), number, and the
    index of the row it adds into (its sub-total or total), if the table has one."""

    level: Level
    measure: Found | None
    action: str
    number: str | None = None
    parent_row: int | None = None


# the levels a total steps through; a group's sub-total (of several measures' sub-totals) ranks with the measures
CHAIN: tuple[Level, ...] = ("grand_total", "measure", "action", "detail")


def _rank(level: Level) -> int:
    return CHAIN.index("measure" if level == "group" else level)


def _up(level: Level) -> Level:
    """The level a total of lines of this level sits at."""
    return CHAIN[max(0, _rank(level) - 1)]


def _down(level: Level) -> Level:
    return CHAIN[min(len(CHAIN) - 1, _rank(level) + 1)]


# a fiche number OCR lost the dot of, at the head of a row's own cell ('31 : Déploiement…', '32 Outil partagé…' for
# 3.1, 3.2): in a table of the annexe-10 model its first digit is the measure's national number
_DOTLESS = re.compile(r"^\W*(?P<head>[1-9])[1-9]\s*[:.)\-–]?\s+[^\W\d]")


def _label(n: Numbered) -> str:
    return f"{n.number} {n.text}".strip() if n.number else n.text


def _consensus(found: list[Found | None]) -> Found | None:
    """The one measure a group of rows agrees on (rows without one do not object), as group evidence."""
    given = [f for f in found if f]
    if len({f.measure_id for f in given}) != 1:
        return None
    if len({f.source for f in given}) == 1:
        return given[0]
    return Found(given[0].measure_id, "group", given[0].score)


def _hints(bt: BudgetTable, mapper: MeasureMapper, named: list[Found | None], national: bool) -> list[Found | None]:
    """Each row's weak evidence of its measure: too weak to place the row, enough to object to a measure a group
    lends it: the words of its label naming a measure, or (annexe-10 model) a fiche number that lost its dot."""
    out: list[Found | None] = []
    for row, name in zip(bt.rows, named, strict=True):
        m = _DOTLESS.match(row.own_label) if national else None
        dotless = None if m is None or m.group(0).split()[0] in mapper.national else mapper.by_number(m["head"], True)
        out.append(None if row.is_total else dotless or name)
    return out


def _contradicted(agreed: Found | None, members: list[int], places: list[RowPlace], hints: list[Found | None]) -> bool:
    """A measure the rows of a group agree on that the weak evidence of one of its unplaced rows names otherwise
    (a 'Sous total' OCR cut in two leaves the rows of two measures under one sub-total)."""
    if agreed is None:
        return False
    return any(places[j].measure is None and (h := hints[j]) and h.measure_id != agreed.measure_id for j in members)


def _subtotal_measure(
    mine: Found | None, members: list[int], places: list[RowPlace], hints: list[Found | None]
) -> Found | None:
    """A sub-total's measure: its own words' or the one its rows agree on, unless they contradict each other."""
    agreed = _consensus([places[j].measure for j in members])
    if _contradicted(agreed, members, places, hints):
        agreed = None  # rows of two measures under one sub-total (its 'Sous total' row cut): lent to none
    if mine and agreed and mine.measure_id != agreed.measure_id:
        return None  # 'Sous total 4' over rows of measure 2 (an OCR'd digit?): neither is sure
    return mine or agreed


def annexe_model(bt: BudgetTable) -> bool:
    """A table of the annexe-10 model, whose fiche numbers follow the national numbering of its themes."""
    return bt.kind == "financial_model"


def _titled(doc: Document, bt: BudgetTable) -> Numbered | None:
    """The action a table's caption names, its heading read over as many lines as it wraps, or the heading a reader
    took into the table's header ('Action 2.1 : Maillage … Au 31/12/2021')."""
    found = titled_action(bt.table.title)
    lines = caption(doc, bt.table)
    for k in range(1, len(lines) + 1):
        if found is not None:
            break
        found = titled_action(" ".join(lines[-k:]))
    for head in [c.label for c in bt.columns] if found is None else []:
        found = found or titled_action(_DATED.sub("", head or ""))
    return found


def _table_scope(bt: BudgetTable, mapper: MeasureMapper, doc: Document) -> tuple[Scope, Numbered | None]:
    """What the table is about: the measure its caption names (a Chorus code, its action's number read through the
    document's headings, the caption's words), and the headings in force where it starts. Where the caption and the
    heading name different measures (a heading paired with the table next to its own), the Chorus code decides,
    else neither: the table's rows are left to their own evidence."""
    scope = mapper.scope(bt.table.section)
    titled = _titled(doc, bt)
    text = f"{bt.table.title or ''} {bt.header}"
    chorus = mapper.chorus(text)
    own = chorus or (mapper.by_number(titled.number, False) if titled else None)
    own = own or (mapper.names(bt.table.title) if not titled else None)
    if scope.measure is None:
        return Scope(own, scope.action, scope.action_number), titled
    if own is not None and own.measure_id != scope.measure.measure_id:
        return (Scope(chorus) if chorus else Scope()), titled
    return scope, titled


def _row_heading(label: str, labels: list[str]) -> Numbered | None:
    """An action's heading that a reader, running two tables together across a page, left at the head of a row
    ('Action 5.2 : Garantie … Dépenses exécutées … État'): the heading, without the row's own words (those of the
    table's other rows, or a date header); it starts that action's figures."""
    if titled_action(label) is None:
        return None
    text = _DATED.sub("", label)
    for other in sorted({lb for lb in labels if lb != label and len(lb) > 3}, key=len, reverse=True):
        if text.endswith(" " + other):
            text = text[: -len(other)].strip()
            break
    return titled_action(text)


def _role_rows(bt: BudgetTable, scope: Scope, titled: Numbered | None) -> list[RowPlace]:
    """Rows that are the parts of one figure (État, Département, reports, total): all at the level of what the table
    is about: an action (a caption or heading names one), a measure, or the document."""
    if titled is not None:
        level: Level = "action"
        action = _label(titled)
    elif scope.action is not None:
        level, action = "action", f"{scope.action_number or ''} {scope.action}".strip()
    else:
        level, action = ("measure" if scope.measure else "grand_total"), ""
    number = titled.number if titled else scope.action_number
    places = []
    for row in bt.rows:
        heading = _row_heading(row.label, [r.label for r in bt.rows])
        if heading is not None:
            level, action, number = "action", _label(heading), heading.number
        places.append(RowPlace(level, scope.measure, action, number))
    return places


def _own_measures(bt: BudgetTable, mapper: MeasureMapper, nums: list[Numbered], national: bool) -> list[Found | None]:
    """Each row's own evidence: a Chorus code, its number, or (for totals) the words after 'Sous total'."""
    out: list[Found | None] = []
    for row, n in zip(bt.rows, nums, strict=True):
        if row.is_total and not is_subtotal(row.label):
            out.append(None)
            continue
        found = mapper.chorus_or_number(row.label, n.number, national)
        if found is None and row.own:  # the number of the theme a merged cell beside the item names
            found = mapper.by_number(split_number(row.label).number, national)
        if found is None and row.is_total:
            found = mapper.names(n.text)
        if found is None and row.is_total and row.beside:  # a Chorus code set beside the sub-total, not a name
            chorus = mapper.chorus_or_number(row.beside, None, national)
            found = chorus if chorus is not None and chorus.source == "chorus" else None
        out.append(found)
    return out


def place_rows(doc: Document, bt: BudgetTable, mapper: MeasureMapper) -> list[RowPlace]:
    """The place of every row of a budget table."""
    scope, titled = _table_scope(bt, mapper, doc)
    if bt.roles_as_rows:
        return _role_rows(bt, scope, titled)
    nums = [split_number(r.own_label) for r in bt.rows]
    own = _own_measures(bt, mapper, nums, annexe_model(bt))
    named = [
        None if r.is_total else mapper.names(r.label if r.own else n.text) for r, n in zip(bt.rows, nums, strict=True)
    ]
    items = [i for i, r in enumerate(bt.rows) if not r.is_total]
    subtotals = [i for i, r in enumerate(bt.rows) if r.is_total and is_subtotal(r.label)]
    evidence = {f.measure_id for i in items for f in (own[i], named[i]) if f}
    own_ids = {f.measure_id for i in items if (f := own[i])}
    withdrawn = scope.measure is not None and bool(evidence - {scope.measure.measure_id})
    if withdrawn:
        # rows naming another measure than the heading in force: the heading may be the next table's, so it
        # lends its measure to no row (each row keeps its own evidence; an honest unmapped beats a wrong guess),
        # nor its action heading, which is that measure's ('6.1 Description' above an annexe recap of all measures)
        scope = Scope()
    multi = bool(subtotals) or len(own_ids) >= 2 or (scope.measure is None and len(evidence) >= 2)
    repeated = Counter(nums[i].number for i in items if nums[i].number)
    base: Level = "detail" if (titled or scope.action) else "action"
    # a lone row naming the measure the table is about, no total below it: the measure's own figures in columns
    own_name = named[items[0]] if len(items) == 1 == len(bt.rows) else None
    lone = own_name is not None and not titled and not scope.action
    if own_name is not None and scope.measure and own_name.measure_id != scope.measure.measure_id:
        lone = False
    places: list[RowPlace] = []
    for i, row in enumerate(bt.rows):
        n = nums[i]
        if row.is_total:
            places.append(RowPlace("grand_total", None, "", n.number))  # placed below, once its members are known
            continue
        if n.number and repeated[n.number] > 1:
            level: Level = "detail"
        elif (lone or (multi and not subtotals)) and named[i] and (n.number is None or "." not in n.number):
            level = "measure"  # rows of a summary naming its measures (sub-totals make the rows above them actions)
        else:
            level = base
        measure = own[i] or (named[i] if level == "measure" or ((multi or withdrawn) and not scope.measure) else None)
        measure = measure or (None if multi else scope.measure)
        action = "" if level == "measure" else _label(n)
        places.append(RowPlace(level, measure, action, n.number))
    _place_totals(bt, places, own, scope, titled, _hints(bt, mapper, named, annexe_model(bt)))
    return places


def _unsure_total(
    places: list[RowPlace], loose: list[int], tops: list[int], level: Level, measure: Found | None = None
) -> bool:
    """A total whose measure its parts do not make sure: rows under no sub-total of no known measure or of another
    measure than its sub-totals agree on ('total', its 'Sous' torn off, below rows of measure 5 after the
    sub-total of measure 4), or a grand total over measures' figures some of which name a measure and some none."""
    if any(places[j].measure is None for j in loose):
        return True
    if measure is not None and any((m := places[j].measure) and m.measure_id != measure.measure_id for j in loose):
        return True
    named = [places[j].measure is not None for j in tops]
    return level == "grand_total" and any(named) and not all(named)


def _place_totals(
    bt: BudgetTable,
    places: list[RowPlace],
    own: list[Found | None],
    scope: Scope,
    titled: Numbered | None,
    hints: list[Found | None],
) -> None:
    """Sub-totals one level above their rows (and their measure shared with them); a total above its members."""
    start = block = 0  # first row after the last total, after the last grand total
    subs: list[int] = []
    grouped: set[int] = set()  # sub-totals a group's sub-total already adds up
    groups: list[int] = []
    for i, row in enumerate(bt.rows):
        if not row.is_total:
            continue
        members = [j for j in range(start, i) if not bt.rows[j].is_total]
        under = [j for j in subs if j not in grouped]
        if is_subtotal(row.label) and not members and len(under) >= 2:
            # a sub-total right below sub-totals ('Sous-total engagements de mesures socle'): their group's sum
            for j in under:
                places[j].parent_row = i
            grouped.update(under)
            groups.append(i)
            places[i] = RowPlace("group", None, "", places[i].number)
        elif is_subtotal(row.label):
            measure = _subtotal_measure(own[i], members, places, hints)
            level = _up(max((places[j].level for j in members), key=_rank, default="action"))
            for j in members:
                places[j].parent_row = i
                if places[j].measure is None and measure is not None:
                    places[j].measure = Found(measure.measure_id, "group", measure.score)
            action = _label(split_number(row.label)) if level in ("action", "detail") else ""
            places[i] = RowPlace(level, measure, action, places[i].number)
            subs.append(i)
        else:
            members = [j for j in range(block, i) if j in subs or j in groups or not bt.rows[j].is_total]
            tops = [j for j in members if (j in subs and j not in grouped) or j in groups] or members
            measure = _consensus([places[j].measure for j in tops]) or (None if tops else scope.measure)
            loose = [j for j in members if j not in tops and not bt.rows[j].is_total and places[j].parent_row is None]
            level = _up(min((places[j].level for j in tops), key=_rank, default=_down("measure")))
            if _unsure_total(places, loose, tops, level, measure):
                measure = None
            if any(j in groups for j in tops):  # a group of measures is among its parts: the total of several
                measure = None
            elif measure is None and scope.measure and all(places[j].measure is None for j in tops):
                measure = scope.measure
            if measure is None:
                level = "grand_total"
            action = ""
            if level == "action":
                action = _label(titled) if titled else f"{scope.action_number or ''} {scope.action or ''}".strip()
            for j in tops:
                places[j].parent_row = i
            places[i] = RowPlace(level, measure, action, places[i].number)
            subs, groups = [], []
            grouped = set()
            block = i + 1
        start = i + 1
