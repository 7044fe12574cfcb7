"""Lines a table leaves without a measure take it from the document's own action lines.

A detail line ('Hébergements collectifs – Frais de personnel') belongs to the action it names, wherever that action's
own line is; a sub-total belongs to the measure of the lines it sums. Only an unambiguous action (one measure) counts.
"""

from __future__ import annotations

import re
from collections import defaultdict

from calpae.budget.numbering import split_number
from calpae.models import BudgetLine
from calpae.textnorm import fold_words


def action_key(text: str | None) -> str:
    """An action's words without its number (a number the reader lost the dot of too: '82 Épicerie'), folded: the
    form one action is recognised by."""
    return re.sub(r"^\d+(?: \d+)* (?=[a-z])", "", fold_words(split_number(text or "").text))


def _named_action(key: str, known: dict[str, set[str]]) -> str | None:
    """The longest known action key that is the line's key or begins it."""
    if key in known:
        return key
    heads = [k for k in known if k and key.startswith(k + " ")]
    return max(heads, key=len) if heads else None


def link_actions(lines: list[BudgetLine]) -> None:
    """Fill measures (and detail lines' parents) from the document's action lines, then totals from what they sum."""
    known: dict[str, set[str]] = defaultdict(set)
    action_lines: dict[tuple[str, str | None, str | None, int | None], BudgetLine] = {}
    for ln in lines:
        if ln.level == "action" and ln.action:
            key = action_key(ln.action)
            if ln.measure_id:
                known[key].add(ln.measure_id)
            action_lines.setdefault((key, ln.stage, ln.part, ln.year), ln)
    _heading_yields(lines, known)
    for ln in lines:
        if ln.level != "detail" and not (ln.level == "action" and ln.measure_id is None):
            continue
        name = _named_action(action_key(ln.action or ln.row_label), known)
        if name is None:
            continue
        if ln.measure_id is None and len(known[name]) == 1:
            ln.measure_id, ln.measure_source, ln.measure_score = next(iter(known[name])), "action", None
        owner = action_lines.get((name, ln.stage, ln.part, ln.year)) if ln.level == "detail" else None
        if owner is not None and owner.line_id != ln.line_id:
            ln.parent = owner.line_id
    _totals_from_children(lines)


# evidence a row gives of its own measure that outweighs the heading in force above a table (which a missed heading
# leaves stale): its Chorus code (a number read through the headings may be a text export's misread row)
OWN_EVIDENCE = frozenset({"chorus"})


def _heading_yields(lines: list[BudgetLine], known: dict[str, set[str]]) -> None:
    """An action whose rows' own evidence (a Chorus code) names one measure, while a table the heading in
    force put under another measure names it too ('Lutte contre la précarité énergétique' under chapter 4's heading
    when the report's later headings were not found): the rows' evidence wins over the heading's."""
    own: dict[str, set[tuple[str | None, str]]] = defaultdict(set)
    for ln in lines:
        if ln.level == "action" and ln.action and ln.measure_id and ln.measure_source in OWN_EVIDENCE:
            own[action_key(ln.action)].add((split_number(ln.action).number, ln.measure_id))
    for ln in lines:
        if ln.level != "action" or not ln.action or ln.measure_source != "heading":
            continue
        key, number = action_key(ln.action), split_number(ln.action).number
        # numbered alike, or the heading's row has no number: '2.1 Description' is not '1.1 Description'
        named = {m for n, m in own.get(key, set()) if number is None or n == number}
        if len(named) == 1 and ln.measure_id not in named:
            ln.measure_id, ln.measure_source, ln.measure_score = next(iter(named)), "action", None
            known[key] = set(named)


def _totals_from_children(lines: list[BudgetLine]) -> None:
    children: dict[str, list[BudgetLine]] = defaultdict(list)
    for ln in lines:
        if ln.parent:
            children[ln.parent].append(ln)
    for ln in lines:
        if ln.measure_id is not None or ln.level in ("grand_total", "group") or not ln.line_id:
            continue
        kids = children.get(ln.line_id, [])
        ids = {k.measure_id for k in kids}
        if kids and len(ids) == 1 and None not in ids:
            ln.measure_id, ln.measure_source = kids[0].measure_id, "group"
