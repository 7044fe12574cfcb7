"""A wide text-export table's rows made whole: a total row whose words the export crowded into a neighbour cell, and
a table whose next page repeats its header (calpae.extract.tables.text_grid)."""

from __future__ import annotations

import re

from calpae.models import Cell, Table

_TOTAL_WORDS = re.compile(r"\b(?:sous[ -]?total|total|totaux)\b", re.IGNORECASE)
_ITEM = re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\b(?![ ,]\d)")  # an action's number opening its cell ('1.1')
_GRAND_TOTAL = re.compile(r"^\s*tota(l|ux)\b", re.IGNORECASE)
_MONEY = re.compile(r"\d\s?€|^-\s?€$|\d,\d\d$")  # a grid cell holding an amount


def continues(before: Table, after: Table) -> bool:
    """A table over a page break (its header repeated): the next page's grid has as many columns and the table so
    far does not end with its grand total."""
    if not before.pages or not after.pages or after.pages[0] != before.pages[-1] + 1:
        return False
    if amount_count(after) != amount_count(before):
        return False
    last = [c.text for c in before.cells if c.row == before.n_rows - 1 and c.text.strip()]
    return not (last and _GRAND_TOTAL.match(last[0]))


def amount_count(table: Table) -> int:
    """The table's amount columns: those right of its label columns (a grid's columns are labels, then amounts)."""
    return table.n_cols - _label_count(table)


def _label_count(table: Table) -> int:
    money = {c.col for c in table.cells if c.row > 0 and _MONEY.search(c.text)}
    return min(money, default=table.n_cols)


def append_page(before: Table, after: Table) -> None:
    """The next page's rows (not its repeated header) added below the table's; its label columns matched from the
    right (the item's own label is the last), extra ones on the left joined."""
    shift = before.n_rows - 1
    nb, na = _label_count(before), _label_count(after)
    merged: dict[tuple[int, int], Cell] = {}
    for c in after.cells:
        if c.row == 0:
            continue
        col = c.col + nb - na if c.col >= na else max(0, nb - na + c.col)
        key = (c.row + shift, col)
        if key in merged:
            kept = merged[key]
            merged[key] = kept.model_copy(update={"text": f"{kept.text} {c.text}".strip()})
        else:
            merged[key] = c.model_copy(update={"row": c.row + shift, "col": col})
    before.cells += list(merged.values())
    before.n_rows += after.n_rows - 1
    before.pages = sorted({*before.pages, *after.pages})
    before.line_end = after.line_end


def total_first(texts: dict[int, str]) -> dict[int, str]:
    """A total row whose words the export crowded into a neighbour cell ('… 1er accueil social Sous inconditionnel
    total'): in a row no item number opens, the cell naming a total starts with those words, so the row reads as the
    total it is."""
    if any(_ITEM.match(t) for t in texts.values()):
        return texts
    out = dict(texts)
    sous = next((k for k, t in texts.items() if t.strip().lower() in ("sous", "sous-")), None)
    if sous is not None:  # 'Sous' / 'total' wrapped in one cell, 'total' crowded one space after the neighbour
        # cell's words on its line ('insertion des BRSA total'): the cell is the row's 'Sous total'
        for k, t in texts.items():
            words = t.split()
            if k != sous and "total" in (lowered := [w.lower() for w in words]):
                at = lowered.index("total")
                out[k] = " ".join(words[:at] + words[at + 1 :])
                out[sous] = f"{texts[sous].strip()} {words[at]}"
                return out
    for k, t in texts.items():
        words = t.split()
        lowered = [w.lower() for w in words]
        if "total" in lowered or "totaux" in lowered:
            at = lowered.index("total") if "total" in lowered else lowered.index("totaux")
            sous = max((j for j in range(at) if lowered[j] in ("sous", "sous-")), default=None)
            picked = [j for j in (sous, at) if j is not None]  # 'Sous' and 'total' on two lines of the cell
            if not _TOTAL_WORDS.match(t):
                rest = [w for j, w in enumerate(words) if j not in picked]
                out[k] = " ".join([words[j] for j in picked] + rest)
            break
    return out
