"""Checks across tables and prose of one document: copies of one table, summary vs per-action, prose vs table."""

from __future__ import annotations

import re
from decimal import Decimal

from rapidfuzz import fuzz

from calpae.audit.checks import finding, fmt
from calpae.audit.grids import LineTable, col_value
from calpae.budget.arith import TOLERANCE
from calpae.budget.vocab import fold
from calpae.models import Amount, CellRef, Finding

COPY_OVERLAP = 0.6
PROSE_WINDOW_LINES = 60


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(label)).strip()


def _detail(lt: LineTable) -> dict[str, int]:
    return {_key(lb): r for r, lb in enumerate(lt.grid.labels) if not lt.grid.is_total[r]}


def _total_row(lt: LineTable) -> int | None:
    return next((r for r, t in enumerate(lt.grid.is_total) if t), None)


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= TOLERANCE


def _are_copies(a: LineTable, b: LineTable) -> bool:
    """Copies of one table: mostly the same row labels, same column roles, and most shared cells equal."""
    da, db = _detail(a), _detail(b)
    if len(da) < 2 or len(db) < 2 or a.grid.col_roles != b.grid.col_roles:
        return False
    common = set(da) & set(db)
    if len(common) < 2 or len(common) < COPY_OVERLAP * min(len(da), len(db)):
        return False
    shared = [(a.grid.values[da[k]][c], b.grid.values[db[k]][c]) for k in common for c in range(len(a.cols))]
    shared = [(x, y) for x, y in shared if x is not None and y is not None]
    return bool(shared) and sum(_same(x, y) for x, y in shared) * 2 > len(shared)


def copy_findings(tables: list[LineTable]) -> list[Finding]:
    """cross_table_mismatch between copies (body vs annex): totals and shared rows that differ."""
    out: list[Finding] = []
    for i, a in enumerate(tables):
        for b in tables[i + 1 :]:
            if not _are_copies(a, b):
                continue
            da, db = _detail(a), _detail(b)
            only = sorted(
                {a.grid.labels[r] for k, r in da.items() if k not in db}
                | {b.grid.labels[r] for k, r in db.items() if k not in da}
            )
            pairs = [(da[k], db[k]) for k in da if k in db]
            ta, tb = _total_row(a), _total_row(b)
            if ta is not None and tb is not None:
                pairs.append((ta, tb))
            for ra, rb in pairs:
                for c, role in enumerate(a.grid.col_roles):
                    va, vb = a.grid.values[ra][c], b.grid.values[rb][c]
                    if va is None or vb is None or _same(va, vb):
                        continue
                    where = b.line(rb, c) or b.any_line(rb)
                    theirs = a.line(ra, c) or a.any_line(ra)
                    label = f"{b.grid.labels[rb]} / {a.grid.col_labels[c] or role or ''}".rstrip(" /")
                    extra = f"; rows in only one of them: {', '.join(only)}" if only else ""
                    out.append(
                        finding(
                            where,
                            "cross_table_mismatch",
                            "error",
                            f"'{b.grid.labels[rb]}' ({a.grid.col_labels[c] or role}) is {fmt(vb)} here but "
                            f"{fmt(va)} in the other copy of this table ({a.place()}){extra}",
                            vb,
                            va,
                            b.table_id,
                            [CellRef.of(where, "declared", label), CellRef.of(theirs, "other", label)],
                        )
                    )
    return out


def _context(lt: LineTable, titles: dict[str, str]) -> str:
    ln = next(iter(lt.cells.values()))
    return " ".join(x for x in (titles.get(ln.section or "", ""),) if x)


def _role_value(lt: LineTable, role: str) -> Decimal | None:
    """An action table's figure for a role: its total row's column, or the row of that role (État / Département /
    TOTAL rows under one amount column)."""
    tr = _figure_row(lt)
    if not lt.grid.roles_as_rows:
        return col_value(lt, tr, role) if tr is not None else None
    for r, values in enumerate(lt.grid.values):
        is_total = lt.grid.is_total[r]
        if (role == "total" and is_total) or (not is_total and lt.any_line(r).role == role):
            return next((v for v in values if v is not None), None)
    return None


def _role_lines(lt: LineTable, role: str) -> list:
    """The cells behind _role_value: the figure row's cell of that role's column, or the row of that role."""
    tr = _figure_row(lt)
    if not lt.grid.roles_as_rows:
        cols = [c for c, ro in enumerate(lt.grid.col_roles) if ro == role and tr is not None]
        lines = [lt.line(tr, c) for c in cols if tr is not None]
        return [ln for ln in lines if ln is not None][:1]
    for r in range(len(lt.grid.values)):
        is_total = lt.grid.is_total[r]
        if (role == "total" and is_total) or (not is_total and lt.any_line(r).role == role):
            return [lt.any_line(r)]
    return []


def _figure_row(lt: LineTable) -> int | None:
    """The row holding an action table's figures: its total row, or its only row."""
    tr = _total_row(lt)
    return tr if tr is not None or len(lt.grid.labels) != 1 else 0


def _measure(lines) -> str | None:
    ids = {ln.measure_id for ln in lines}
    return ids.pop() if len(ids) == 1 else None


def _match_action(summary: LineTable, r: int, actions: list[LineTable], titles: dict[str, str]) -> LineTable | None:
    """The per-action table of a summary row: same total, a clearly matching section title, or else the one
    table of the row's measure (when the summary has one row and the document one table for it)."""
    total = col_value(summary, r, "total")
    label = summary.grid.labels[r]
    scored = []
    for lt in actions:
        if _figure_row(lt) is None:
            continue
        sim = fuzz.token_set_ratio(_key(label), _key(_context(lt, titles))) if titles else 0
        same_total = _same(total, _role_value(lt, "total"))
        if same_total or sim >= 85:
            scored.append((same_total, sim, lt))
    if scored:
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        return scored[0][2]
    row_lines = [ln for (row, _), ln in summary.cells.items() if row == summary.rows[r]]
    measure = _measure(row_lines)
    if measure is None:
        return None
    same_rows = [
        x
        for x in range(len(summary.grid.labels))
        if _measure([ln for (row, _), ln in summary.cells.items() if row == summary.rows[x]]) == measure
    ]
    same_tables = [lt for lt in actions if _figure_row(lt) is not None and _measure(lt.cells.values()) == measure]
    return same_tables[0] if len(same_rows) == 1 and len(same_tables) == 1 else None


def _misread_row(lt: LineTable, r: int | None) -> bool:
    """True when a table read by OCR has a row whose amounts do not add up: its total (the total column's, else its
    largest amount) is not the sum of the others. Which of its figures OCR misread (or which column a garbled
    header gave each) is not known, so a comparison with another table through that row proves no error."""
    if r is None or lt.grid.roles_as_rows or not any(ln.provenance.ocr for ln in lt.cells.values()):
        return False
    values = [v for v in lt.grid.values[r] if v is not None]
    if len(values) < 3:
        return False
    tc = next((c for c, ro in enumerate(lt.grid.col_roles) if ro == "total"), None)
    declared = lt.grid.values[r][tc] if tc is not None else None
    total = declared if declared is not None else max(values)
    return not _same(total, sum(values, Decimal(0)) - total)


def _columns_swapped(s: LineTable, r: int, lt: LineTable, mine: Decimal, theirs: Decimal) -> bool:
    """True when one of the two tables was read by OCR and each figure compared stands in the other table's row
    under another column: the tables hold the same figures and differ on which column is which (an OCR header
    garbled or run over its neighbour: 'État (FALPAE)' read over the column of the carried-over credits)."""
    if not any(ln.provenance.ocr for t in (s, lt) for ln in t.cells.values()):
        return False
    fr = _figure_row(lt)
    if fr is None or lt.grid.roles_as_rows:
        return False
    ours = [v for v in s.grid.values[r] if v is not None]
    other = [v for v in lt.grid.values[fr] if v is not None]
    return any(_same(mine, v) for v in other) and any(_same(theirs, v) for v in ours)


def summary_findings(tables: list[LineTable], titles: dict[str, str]) -> list[Finding]:
    """Summary rows against their per-action tables, a carried-over amount explaining a part difference."""
    out: list[Finding] = []
    # per-action figures: action tables by columns, or forecast tables (also État / Département / TOTAL rows);
    # rows such as 'Dépenses exécutées sur la part État' under a date column are execution, not the forecast
    actions = [t for t in tables if (t.kind == "action" and not t.grid.roles_as_rows) or t.kind == "forecast"]
    for s in (t for t in tables if t.kind == "summary"):
        for r, label in enumerate(s.grid.labels):
            if s.grid.is_total[r]:
                continue
            lt = _match_action(s, r, actions, titles)
            if lt is None:
                continue
            total, etat, dept = (col_value(s, r, ro) for ro in ("total", "etat", "departement"))
            carried = total - (etat or 0) - (dept or 0) if total is not None else Decimal(0)
            diffs = {ro: (_role_value(lt, ro) or 0) - (col_value(s, r, ro) or 0) for ro in ("etat", "departement")}
            # the per-action parts may include the carry-over the summary keeps apart, on one part or split
            spread = carried and all(d >= 0 for d in diffs.values()) and _same(Decimal(sum(diffs.values())), carried)
            for role in ("total", "etat", "departement"):
                mine, theirs = col_value(s, r, role), _role_value(lt, role)
                if mine is None or theirs is None or _same(mine, theirs):
                    continue
                if carried and (_same(theirs - mine, carried) or (role != "total" and spread)):
                    continue
                where = next((ln for (row, _), ln in s.cells.items() if row == s.rows[r]), None)
                assert where is not None, "a summary row has cells"
                mine_line = next(
                    (ln for c, ro in enumerate(s.grid.col_roles) if ro == role and (ln := s.line(r, c)) is not None),
                    where,
                )
                cells = [CellRef.of(mine_line, "declared", f"{label} / {role}")] + [
                    CellRef.of(ln, "other", ln.row_label) for ln in _role_lines(lt, role)
                ]
                unsure = (
                    _misread_row(s, r) or _misread_row(lt, _figure_row(lt)) or _columns_swapped(s, r, lt, mine, theirs)
                )
                out.append(
                    finding(
                        where,
                        "cross_table_mismatch",
                        "warning" if unsure else "error",
                        f"summary row '{label}' gives {role} {fmt(mine)} but its action table ({lt.place()}) "
                        f"gives {fmt(theirs)} (difference {fmt(mine - theirs)}, not explained by a carry-over)"
                        + (
                            "; a row of these tables read by OCR does not add up, so either figure may be misread: "
                            "check the scan"
                            if unsure
                            else ""
                        ),
                        mine,
                        theirs,
                        s.table_id,
                        cells,
                    )
                )
    return out


def _pos(item) -> tuple[int, int]:
    return (item.provenance.page or 0, item.provenance.line or 0)


_STATES = re.compile(r"(budget|cout total|montant total)[^€\d]{0,40}(20[1-3]\d[^€\d]{0,30})?$")


def _stated_phrase(a: Amount) -> str | None:
    """The words that introduce this amount as a budget or total cost ('budget de l'action pour 2020'), if any.

    A range ('50 000 € à 80 000 €') states no single figure.
    """
    text = fold(a.text)
    raw = fold(a.provenance.raw)
    at = text.find(raw) if raw else -1
    if at <= 0 or re.match(r"\s*(a|et)\s+\d", text[at + len(raw) :]):
        return None
    m = _STATES.search(text[:at].rstrip(" :"))
    return m.group(0) if m else None


def _stated_years(a: Amount) -> set[int]:
    """Years the sentence gives the stated amount before stating it ('s'est élevée pour 2019 à un montant total
    de …', 'budget de l'action pour 2020 : …'): a table of another year is not the one it describes."""
    text = fold(a.text)
    raw = fold(a.provenance.raw)
    at = text.find(raw) if raw else -1
    before = text[:at] if at > 0 else ""
    clause = re.split(r"[.;!?]\s", before)[-1]
    return {int(y) for y in re.findall(r"\b(20[1-3]\d)\b", clause)}


def _states_budget(a: Amount) -> bool:
    return _stated_phrase(a) is not None


def prose_findings(tables: list[LineTable], amounts: list[Amount]) -> list[Finding]:
    """A budget stated in prose against the total of the next budget table it introduces."""
    out: list[Finding] = []
    stated = sorted((a for a in amounts if _states_budget(a)), key=_pos)
    for i, a in enumerate(stated):
        nxt = stated[i + 1] if i + 1 < len(stated) else None
        page, line = _pos(a)
        following = [t for t in tables if t.order_key() > (page, line) and (nxt is None or t.order_key() < _pos(nxt))]
        if not following:
            continue
        lt = following[0]
        tpage, tline = lt.order_key()
        if (page and tpage > page + 1) or (not page and tline - line > PROSE_WINDOW_LINES):
            continue
        tr = _total_row(lt)
        years = _stated_years(a)
        table_years = {ln.year for ln in lt.cells.values() if ln.year}
        if tr is None or (years and table_years and not years & table_years):
            continue
        total = col_value(lt, tr, "total") or next((v for v in lt.grid.values[tr] if v is not None), None)
        values = {v for row in lt.grid.values for v in row if v is not None}
        if total is None or _same(a.amount, total) or any(_same(a.amount, v) for v in values):
            continue
        total_lines = [ln for c in range(len(lt.grid.col_roles)) if (ln := lt.line(tr, c)) is not None]
        total_line = next((ln for ln in total_lines if ln.amount == total), total_lines[0] if total_lines else None)
        cells = [CellRef.of(a, "declared", "texte")]
        if total_line is not None:
            cells.append(CellRef.of(total_line, "other", f"{total_line.row_label} / {total_line.column_label}"))
        out.append(
            finding(
                a,
                "prose_table_mismatch",
                "error",
                f"the text states {fmt(a.amount)} but the table that follows ({lt.place()}) totals {fmt(total)} "
                f"(difference {fmt(a.amount - total)})",
                a.amount,
                total,
                lt.table_id,
                cells,
            )
        )
    return out
